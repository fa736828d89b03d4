r"""k-means clustering: Lloyd's and Elkan's algorithms, k-means++ seeding.

k-means minimizes the within-cluster sum of squares (the *inertia*)

.. math:: J(c, \mu) = \sum_i w_i \, \|x_i - \mu_{c_i}\|^2

by alternating its two exact partial minimizations: assign each point to its nearest center
(:math:`c_i = \arg\min_k \|x_i - \mu_k\|^2`), then move each center to the weighted mean of its
points. Neither step increases :math:`J`, so the iteration reaches a fixed point (a local
minimum) in finitely many steps. It is the zero-variance limit of EM for a Gaussian mixture with
shared spherical covariance (:mod:`m4ml.models.mixture`).
"""

import numbers
import warnings
from collections.abc import Callable
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    ClusterMixin,
    TransformerMixin,
)

from m4ml._core.errors import ConvergenceWarning
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml._core.validation import as_float_array
from m4ml.models._base import check_is_fitted, check_sample_weight, validate_X
from m4ml.models._kmeans_steps import _elkan, _inertia, _lloyd
from m4ml.models.kernels import euclidean_distances

__all__ = ["KMeans", "kmeans_plusplus"]


def _rng(random_state):
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    if random_state is None or isinstance(random_state, np.random.Generator):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    raise ValueError(f"random_state must be None, an int or a Generator, got {random_state!r}")


def kmeans_plusplus(
    X: ArrayLike,
    n_clusters: int,
    *,
    sample_weight: ArrayLike | None = None,
    random_state: Seed = None,
    n_local_trials: int | None = None,
) -> tuple[FloatArray, NDArray[np.intp]]:
    r"""Choose initial centers by k-means++ (greedy variant), as scikit-learn's ``kmeans_plusplus``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    n_clusters : int
    sample_weight : array_like, shape (n_samples,), optional
    random_state : None, int or numpy.random.Generator
    n_local_trials : int, optional
        Candidates drawn per center; default :math:`2 + \lfloor \ln k \rfloor`.

    Returns
    -------
    centers : ndarray, shape (n_clusters, n_features)
    indices : ndarray of int, shape (n_clusters,)
        Rows of ``X`` chosen.

    Raises
    ------
    ValueError
        ``n_clusters`` larger than the number of samples, NaN/inf.

    Notes
    -----
    The first center is a (weighted) random point; each next one is drawn with probability
    proportional to :math:`w_i D(x_i)^2`, the squared distance to the nearest chosen center
    (D² sampling). Arthur and Vassilvitskii (2007) show the expected inertia is then within
    :math:`8(\ln k + 2)` of the optimum. The greedy variant draws ``n_local_trials`` candidates
    and keeps the one that lowers the potential :math:`\sum_i w_i D(x_i)^2` most;
    :math:`O(n d k \cdot \text{trials})`.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import kmeans_plusplus
    >>> X = np.array([[0.0, 0.0], [0.1, 0.0], [10.0, 10.0], [10.1, 10.0]])
    >>> centers, idx = kmeans_plusplus(X, 2, random_state=0)
    >>> sorted(np.round(centers[:, 0]).tolist())
    [0.0, 10.0]
    """
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    n = X.shape[0]
    if not isinstance(n_clusters, numbers.Integral) or not 1 <= n_clusters <= n:
        raise ValueError(f"n_samples={n} should be >= n_clusters={n_clusters}.")
    w = check_sample_weight(sample_weight, n)
    rng = _rng(random_state)
    trials = n_local_trials if n_local_trials is not None else 2 + int(np.log(n_clusters))
    indices = np.empty(n_clusters, dtype=np.intp)
    indices[0] = rng.choice(n, p=w / w.sum())
    closest = euclidean_distances(X[indices[:1]], X, squared=True)[0]
    potential = closest @ w
    for c in range(1, n_clusters):
        cumulative = np.cumsum(w * closest)
        draws = rng.uniform(size=trials) * potential
        candidates = np.minimum(np.searchsorted(cumulative, draws), n - 1)
        dist = np.minimum(closest, euclidean_distances(X[candidates], X, squared=True))
        pots = dist @ w
        best = int(np.argmin(pots))
        indices[c], closest, potential = candidates[best], dist[best], pots[best]
    return X[indices].copy(), indices


class KMeans(ClassNamePrefixFeaturesOutMixin, TransformerMixin, ClusterMixin, BaseEstimator):
    r"""k-means clustering (Lloyd's or Elkan's algorithm) with k-means++ seeding.

    Parameters
    ----------
    n_clusters : int, default 8
    init : {"k-means++", "random"}, array of shape (n_clusters, n_features) or callable
        Initial centers: greedy k-means++ (:func:`kmeans_plusplus`), ``n_clusters`` random
        rows, given centers, or ``init(X, n_clusters, random_state) -> centers``.
    n_init : int or "auto", default "auto"
        Runs from different seeds; the lowest inertia wins. "auto" is 10 for ``init="random"``
        and 1 otherwise.
    max_iter : int, default 300
    tol : float, default 1e-4
        Stop when the squared movement of the centers, summed, is at most ``tol`` times the mean
        feature variance (or when no label changes).
    verbose : int, default 0
        Unused; kept for scikit-learn compatibility.
    random_state : None, int or numpy.random.Generator
    copy_x : bool, default True
        Unused (the data are never modified in place).
    algorithm : {"lloyd", "elkan"}, default "lloyd"

    Attributes
    ----------
    cluster_centers_ : ndarray, shape (n_clusters, n_features)
    labels_ : ndarray of int, shape (n_samples,)
    inertia_ : float
        :math:`\sum_i w_i \|x_i - \mu_{c_i}\|^2` at the returned centers.
    n_iter_ : int
        Iterations of the best run.

    Notes
    -----
    Lloyd's iteration costs :math:`O(n d k)` per step: the assignment needs only
    :math:`\|\mu_k\|^2 - 2 x_i^\top\mu_k` (one matrix product) since :math:`\|x_i\|^2` is the same
    for every :math:`k`; the data are centred first so that this difference loses no digits. A
    cluster left empty is given the point farthest from its current center (which lowers the
    inertia). Elkan's variant keeps an upper bound on each point's distance to its center and
    lower bounds to every other center, updated by the triangle inequality as centers move, and
    skips the distances the bounds decide; it returns the same clustering with far fewer
    distance evaluations when clusters are well separated. A ``ConvergenceWarning`` names the
    iteration count when a run stops at ``max_iter``.

    References
    ----------
    .. [1] S. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28, 1982.
    .. [2] C. Elkan, "Using the triangle inequality to accelerate k-means", ICML 2003.
    .. [3] D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", 2007.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import KMeans
    >>> X = np.array([[1, 2], [1, 4], [1, 0], [10, 2], [10, 4], [10, 0]])
    >>> km = KMeans(n_clusters=2, random_state=0).fit(X)
    >>> sorted(km.cluster_centers_.tolist())
    [[1.0, 2.0], [10.0, 2.0]]
    >>> float(km.inertia_)
    16.0
    >>> bool(km.predict([[0, 0]])[0] == km.labels_[0])
    True
    """

    def __init__(
        self,
        n_clusters: int = 8,
        *,
        init: Literal["k-means++", "random"] | ArrayLike | Callable[..., Any] = "k-means++",
        n_init: int | Literal["auto"] = "auto",
        max_iter: int = 300,
        tol: float = 1e-4,
        verbose: int = 0,
        random_state: Seed = None,
        copy_x: bool = True,
        algorithm: Literal["lloyd", "elkan"] = "lloyd",
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm

    def _check_params(self, X):
        if not isinstance(self.n_clusters, numbers.Integral) or self.n_clusters < 1:
            raise ValueError(f"n_clusters must be a positive int, got {self.n_clusters!r}")
        if X.shape[0] < self.n_clusters:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters}.")
        if self.algorithm not in ("lloyd", "elkan"):
            raise ValueError(f"algorithm must be 'lloyd' or 'elkan', got {self.algorithm!r}")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive int, got {self.max_iter!r}")
        if not isinstance(self.tol, numbers.Real) or self.tol < 0:
            raise ValueError(f"tol must be >= 0, got {self.tol!r}")
        explicit = not isinstance(self.init, str) and not callable(self.init)
        if isinstance(self.init, str) and self.init not in ("k-means++", "random"):
            raise ValueError(
                f"init must be 'k-means++', 'random', an array or a callable, got {self.init!r}"
            )
        if self.n_init == "auto":
            return 10 if isinstance(self.init, str) and self.init == "random" else 1
        if not isinstance(self.n_init, numbers.Integral) or self.n_init < 1:
            raise ValueError(f"n_init must be 'auto' or a positive int, got {self.n_init!r}")
        if explicit and self.n_init != 1:
            warnings.warn(
                f"Explicit initial center position passed: performing only one init in "
                f"{type(self).__name__} instead of n_init={self.n_init}.",
                UserWarning,
                stacklevel=3,
            )
            return 1
        return int(self.n_init)

    def _initial_centers(self, X, w, rng, shift):
        K = self.n_clusters
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, K, sample_weight=w, random_state=rng)[0]
        if isinstance(self.init, str):
            return X[rng.choice(X.shape[0], size=K, replace=False, p=w / w.sum())].copy()
        if callable(self.init):
            centers = np.asarray(self.init(X + shift, K, rng), dtype=np.float64) - shift
        else:
            centers = np.asarray(self.init, dtype=np.float64) - shift
        if centers.shape != (K, X.shape[1]):
            raise ValueError(
                f"The shape of the initial centers {centers.shape} does not match the number of "
                f"clusters and features ({K}, {X.shape[1]})"
            )
        if not np.isfinite(centers).all():
            raise ValueError("init contains NaN or infinity")
        return centers

    def fit(
        self, X: ArrayLike, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
    ) -> Self:
        """Cluster ``X``; returns ``self``."""
        X = validate_X(self, X, reset=True)
        n_init = self._check_params(X)
        w = check_sample_weight(sample_weight, X.shape[0])
        rng = _rng(self.random_state)
        mean = X.mean(axis=0)
        Xc = X - mean
        tol = float(np.var(X, axis=0).mean() * self.tol) if self.tol else 0.0
        run = _lloyd if self.algorithm == "lloyd" else _elkan
        best = None
        for _ in range(n_init):
            centers0 = self._initial_centers(Xc, w, rng, mean)
            labels, centers, n_iter, converged = run(Xc, w, centers0, self.max_iter, tol)
            inertia = _inertia(Xc, w, centers, labels)
            if best is None or inertia < best[0]:
                best = (inertia, labels, centers, n_iter, converged)
        inertia, labels, centers, n_iter, converged = best
        if not converged:
            warnings.warn(
                f"KMeans: Lloyd's iteration did not converge in {n_iter} iterations; increase "
                "max_iter or tol",
                ConvergenceWarning,
                stacklevel=2,
            )
        distinct = np.unique(labels).size
        if distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.cluster_centers_ = centers + mean
        self.labels_, self.inertia_, self.n_iter_ = labels, inertia, n_iter
        self._n_features_out = self.n_clusters
        return self

    def fit_predict(
        self, X: ArrayLike, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
    ) -> NDArray[np.intp]:
        """Fit and return ``labels_``."""
        return self.fit(X, sample_weight=sample_weight).labels_

    def predict(self, X: ArrayLike) -> NDArray[np.intp]:
        """Index of the nearest center for each row of ``X``."""
        check_is_fitted(self, "cluster_centers_")
        X = validate_X(self, X, reset=False)
        return np.argmin(euclidean_distances(X, self.cluster_centers_, squared=True), axis=1)

    def transform(self, X: ArrayLike) -> FloatArray:
        """Euclidean distances to every center, shape (n_samples, n_clusters)."""
        check_is_fitted(self, "cluster_centers_")
        X = validate_X(self, X, reset=False)
        return euclidean_distances(X, self.cluster_centers_)

    def fit_transform(
        self, X: ArrayLike, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
    ) -> FloatArray:
        """Fit and return the distances of ``X`` to the centers."""
        return self.fit(X, sample_weight=sample_weight).transform(X)

    def score(
        self, X: ArrayLike, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
    ) -> float:
        """Opposite of the inertia of ``X`` with respect to the fitted centers."""
        check_is_fitted(self, "cluster_centers_")
        X = validate_X(self, X, reset=False)
        w = check_sample_weight(sample_weight, X.shape[0])
        d = euclidean_distances(X, self.cluster_centers_, squared=True)
        return -float(w @ d.min(axis=1))
