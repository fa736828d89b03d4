r"""k-means over chunks: k-means‖ seeding, then Lloyd's iteration with mergeable sums.

Lloyd's two steps split over row blocks: the assignment is per row, and the update needs only
the per-cluster weights :math:`W_k` and weighted sums :math:`S_k`, which add across blocks, so
each iteration is one pass (:mod:`m4ml.distributed._kmeans_chunks`). Seeding by k-means++
needs :math:`k` sequential passes; k-means‖ (Bahmani et al. 2012) replaces them by a few
rounds that each draw about :math:`\ell` points at once, then reclusters the drawn candidates,
weighted by how many rows each attracts, with weighted k-means++ and Lloyd in memory.
"""

import numbers
import warnings
from typing import Self

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.errors import ConvergenceWarning
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.distributed import _kmeans_chunks as kc
from m4ml.distributed._blocks import apply_rows, is_dask, map_reduce
from m4ml.distributed._fit_input import fit_rows, random_state_rng, row_index, sample_weight_rows
from m4ml.distributed.moments import moments
from m4ml.models import KMeans as _KMeans

__all__ = ["KMeans"]


def _take_rows(X, idx):
    """Rows ``idx`` of ``X`` (Dask or NumPy) as a NumPy array, in the order of ``idx``."""
    idx = np.asarray(idx, dtype=np.int64)
    if not is_dask(X):
        return X[idx].copy()
    order = np.argsort(idx, kind="stable")
    rows = np.asarray(X[idx[order]].compute())
    out = np.empty_like(rows)
    out[order] = rows
    return out


def kmeans_parallel(X, w, n_clusters, rng, *, oversampling_factor=2.0, rounds=5):
    r"""k-means‖ seeds for the (centred) rows of ``X``: ``n_clusters`` centers.

    One row is drawn with probability :math:`\propto w_i`; then each of ``rounds`` rounds adds
    every row independently with probability :math:`\min(1, \ell w_i D(x_i)^2 / \phi)`,
    :math:`\ell` = ``oversampling_factor`` :math:`\cdot k` (two passes: the cost :math:`\phi`,
    then the draws). Each candidate is weighted by the total weight of the rows nearest to it
    (one pass), and the weighted candidates are clustered in memory by
    :class:`m4ml.models.KMeans` (weighted k-means++ seeding, then Lloyd).
    """
    n = X.shape[0]
    idx = row_index(X)
    p = None if w is None else w[:, 0] / w[:, 0].sum()
    centers = _take_rows(X, [rng.choice(n, p=p)])
    ell = oversampling_factor * n_clusters
    for _ in range(rounds):
        phi = reduce_rows(lambda b, wb, c=centers: kc.cost_chunk(b, wb, c), _add, X, w)
        if phi <= 0.0:  # every row is already a candidate
            break
        seed = int(rng.integers(2**62))
        new = reduce_rows(
            lambda b, wb, i, c=centers, s=seed, f=phi: kc.sample_chunk(b, wb, i, c, ell, f, s),
            _vstack,
            X,
            w,
            idx,
        )
        centers = np.vstack([centers, new])
    if centers.shape[0] < n_clusters:  # too few distinct rows drawn: add random rows
        extra = rng.choice(n, size=n_clusters - centers.shape[0], replace=False, p=p)
        centers = np.vstack([centers, _take_rows(X, extra)])
    if centers.shape[0] == n_clusters:
        return centers
    weight = reduce_rows(lambda b, wb, c=centers: kc.nearest_weight_chunk(b, wb, c), _add, X, w)
    if not weight.any():
        weight = np.ones_like(weight)
    with warnings.catch_warnings():  # duplicate candidates: fewer distinct clusters is fine
        warnings.simplefilter("ignore", ConvergenceWarning)
        km = _KMeans(n_clusters, init="k-means++", n_init=1, random_state=rng)
        return km.fit(centers, sample_weight=weight).cluster_centers_


def _add(a, b):
    return a + b


def reduce_rows(chunk, merge, X, w, *more):
    """:func:`map_reduce` of ``chunk(block, weights or None, *more_blocks)`` over ``X``."""
    if w is None:
        return map_reduce(lambda b, *rest: chunk(b, None, *rest), merge, X, *more)
    return map_reduce(chunk, merge, X, w, *more)


def _vstack(a, b):
    return np.vstack([a, b])


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    r"""k-means clustering over chunks: k-means‖ seeding, Lloyd's iteration, one pass per step.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means||", "random"} or array_like (n_clusters, n_features), default="k-means||"
        k-means‖ seeding (:func:`kmeans_parallel`), ``n_clusters`` random rows (the same draw
        as :class:`m4ml.models.KMeans` with ``init="random"``), or given centers.
    n_init : int or "auto", default="auto"
        Runs; the lowest inertia wins. "auto": 10 for "random", else 1.
    max_iter : int, default=300
    tol : float, default=1e-4
        Stop when :math:`\sum_k\|c_k^{new} - c_k\|^2 \le \text{tol}\cdot\overline{\sigma_j^2}`
        or no label changed (the in-memory rules).
    verbose : int, default=0
        Unused (scikit-learn compatibility).
    random_state : None, int or numpy.random.Generator
    copy_x : bool, default=True
        Unused (the data are never modified).
    algorithm : {"lloyd"}, default="lloyd"
        Elkan's bounds would have to be stored per row between passes; not offered.
    oversampling_factor : float, default=2.0
        :math:`\ell/k`, the expected number of candidates drawn per round over ``n_clusters``.
    init_max_iter : int, default=5
        Rounds of k-means‖ (Bahmani et al. found 5 rounds with :math:`\ell \ge k` enough).

    Attributes
    ----------
    cluster_centers_, inertia_, n_iter_, n_features_in_
        As :class:`m4ml.models.KMeans`.
    labels_ : ndarray or dask.array.Array
        ``predict`` of the training data (lazy for Dask input).
    estimator_ : m4ml.models.KMeans
        The in-memory estimator holding the centers (used by ``predict``/``transform``).

    Raises
    ------
    ValueError
        Bad parameters, ``init`` of the wrong shape, fewer rows than clusters, NaN or infinity
        in a chunk.

    Notes
    -----
    The data are centred by their merged mean first, as in memory. Iteration :math:`t` is one
    pass: each block assigns its rows to the nearest of the current centers and returns
    :math:`W_k`, :math:`S_k`, its inertia, a hash of its labels and its rows farthest from
    their centers; the merged sums give :math:`c_k = S_k/W_k`. A cluster left empty takes the
    point farthest from its own center (the in-memory rule, which lowers the inertia; never a
    NaN center). The run stops when every block's labels hash as in the previous pass (no label
    changed) or the centers move less than ``tol``, so from the same ``init`` it visits the
    in-memory iterates. k-means‖ costs :math:`2r + 1` passes for :math:`r` rounds and draws
    about :math:`r\ell` candidates; its expected cost is within :math:`O(\log k)` of the
    optimum, as k-means++ (Bahmani et al., Theorem 1).

    References
    ----------
    .. [1] B. Bahmani, B. Moseley, A. Vattani, R. Kumar and S. Vassilvitskii, "Scalable
       k-means++", PVLDB 5(7), 2012.

    Examples
    --------
    >>> X = np.array([[0.0], [0.5], [9.0], [10.0]])
    >>> km = KMeans(2, random_state=0).fit(X)
    >>> sorted(km.cluster_centers_.ravel().tolist())
    [0.25, 9.5]
    >>> KMeans(2, init=[[0.0], [1.0]]).fit(X).n_iter_
    2
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: str | ArrayLike = "k-means||",
        n_init: int | str = "auto",
        max_iter: int = 300,
        tol: float = 1e-4,
        verbose: int = 0,
        random_state: Seed = None,
        copy_x: bool = True,
        algorithm: str = "lloyd",
        oversampling_factor: float = 2.0,
        init_max_iter: int = 5,
    ) -> None:
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm
        self.oversampling_factor = oversampling_factor
        self.init_max_iter = init_max_iter

    def _check_params(self, n):
        def integer(name, low):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")

        integer("n_clusters", 1)
        integer("max_iter", 1)
        integer("init_max_iter", 0)
        if n < self.n_clusters:
            raise ValueError(f"n_samples={n} should be >= n_clusters={self.n_clusters}.")
        if not isinstance(self.tol, numbers.Real) or not self.tol >= 0:
            raise ValueError(f"tol must be >= 0, got {self.tol!r}")
        f = self.oversampling_factor
        if not isinstance(f, numbers.Real) or not 0 < f < np.inf:
            raise ValueError(f"oversampling_factor must be a positive number, got {f!r}")
        if self.algorithm != "lloyd":
            raise ValueError(f"algorithm must be 'lloyd' over chunks, got {self.algorithm!r}")
        if isinstance(self.init, str) and self.init not in ("k-means||", "random"):
            raise ValueError(
                f"init must be 'k-means||', 'random' or an array of centers, got {self.init!r}"
            )
        if self.n_init == "auto":
            return 10 if isinstance(self.init, str) and self.init == "random" else 1
        integer("n_init", 1)
        return 1 if not isinstance(self.init, str) else int(self.n_init)

    def _initial_centers(self, Xc, w, rng, mean):
        K, n = self.n_clusters, Xc.shape[0]
        if isinstance(self.init, str) and self.init == "k-means||":
            return kmeans_parallel(
                Xc, w, K, rng, oversampling_factor=self.oversampling_factor,
                rounds=self.init_max_iter,
            )  # fmt: skip
        if isinstance(self.init, str):
            p = np.full(n, 1.0 / n) if w is None else w[:, 0] / w[:, 0].sum()
            return _take_rows(Xc, rng.choice(n, size=K, replace=False, p=p))
        centers = np.asarray(self.init, dtype=np.float64)
        if centers.shape != (K, Xc.shape[1]):
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match the number of "
                f"clusters and features ({K}, {Xc.shape[1]})"
            )
        if not np.isfinite(centers).all():
            raise ValueError("init contains NaN or infinity")
        return centers - mean

    def _lloyd(self, Xc, w, idx, centers, tol):
        def run(c):
            chunk = lambda b, wb, i: kc.lloyd_chunk(b, wb, i, c)  # noqa: E731
            return reduce_rows(chunk, kc.merge_lloyd, Xc, w, idx)

        prints_old, strict, converged = None, False, False
        it = 0
        while it < self.max_iter:
            it += 1
            weight, counts, sums, inertia, prints, far = run(centers)
            new, relocated = kc.relocate_and_average(centers, weight, sums, far)
            shift = float(((new - centers) ** 2).sum())
            same, centers = np.array_equal(new, centers) and not relocated, new
            if prints == prints_old:
                strict = converged = True
                break
            if shift <= tol:
                converged = True
                break
            prints_old = prints
        if not (strict and same):  # the labels under the final centers: one more pass
            _, counts, _, inertia, _, _ = run(centers)
        return centers, inertia, it, converged, int((counts > 0).sum())

    def fit(self, X: ArrayLike, y: None = None, sample_weight: ArrayLike | None = None) -> Self:
        """Seed, then iterate Lloyd's steps over the chunks of ``X``; returns ``self``."""
        Xr = fit_rows(self, X)
        n_init = self._check_params(Xr.shape[0])
        w = sample_weight_rows(sample_weight, Xr)
        rng = random_state_rng(self.random_state)
        m = moments(Xr, name="X")
        tol = float((m.m2 / m.n).mean() * self.tol) if self.tol else 0.0
        Xc, idx = Xr - m.mean, row_index(Xr)
        best = None
        for _ in range(n_init):
            centers0 = self._initial_centers(Xc, w, rng, m.mean)
            run = self._lloyd(Xc, w, idx, centers0, tol)
            if best is None or run[1] < best[1]:
                best = run
        centers, inertia, n_iter, converged, distinct = best
        if not converged:
            warnings.warn(
                f"KMeans: Lloyd's iteration did not converge in {n_iter} iterations; increase "
                "max_iter or tol",
                ConvergenceWarning,
                stacklevel=2,
            )
        if distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning,
                stacklevel=2,
            )
        est = _KMeans(self.n_clusters, n_init=1, max_iter=self.max_iter, tol=self.tol)
        est.cluster_centers_ = centers + m.mean
        est.n_features_in_, est._n_features_out = Xr.shape[1], self.n_clusters
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
        est.inertia_, est.n_iter_ = inertia, n_iter
        self.estimator_ = est
        self.cluster_centers_, self.inertia_, self.n_iter_ = est.cluster_centers_, inertia, n_iter
        self._n_features_out = self.n_clusters
        self.labels_ = self.predict(X)
        return self

    def fit_predict(
        self, X: ArrayLike, y: None = None, sample_weight: ArrayLike | None = None
    ) -> NDArray:
        """Fit and return ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def predict(self, X: ArrayLike) -> NDArray:
        """Index of the nearest center per row: lazy Dask for Dask input."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict, X, dtype=np.intp)

    def transform(self, X: ArrayLike) -> FloatArray:
        """Distances to every center: lazy Dask for Dask input."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.transform, X, self.n_clusters)

    def score(self, X: ArrayLike, y: None = None, sample_weight: ArrayLike | None = None) -> float:
        """Opposite of the inertia of ``X`` with respect to the fitted centers (computed)."""
        check_is_fitted(self, "estimator_")
        if not is_dask(X) and not hasattr(X, "to_dask_array"):
            return self.estimator_.score(X, sample_weight=sample_weight)
        est = self.estimator_
        nearest = apply_rows(lambda b: (est.transform(b) ** 2).min(axis=1), X)
        w = 1.0 if sample_weight is None else sample_weight
        return -float((nearest * w).sum().compute())
