r"""Gaussian mixtures over chunks: the E-step per block, the M-step from merged statistics.

EM's E-step is per row (the responsibilities of :math:`x_i` need only :math:`x_i` and the
current parameters); its M-step needs only, per component, the responsibility mass, the
weighted mean and the weighted co-moment of the rows, which merge exactly across blocks
(:mod:`m4ml.distributed._mixture_stats`). So one EM iteration is one pass over the chunks,
followed by the small M-step in memory.
"""

import warnings
from typing import Self

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.errors import ConvergenceWarning
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.distributed import _mixture_stats as ms
from m4ml.distributed._blocks import apply_rows, check_block, is_dask, map_reduce
from m4ml.distributed._fit_input import fit_rows, random_state_rng, row_index
from m4ml.distributed._kmeans_chunks import assign
from m4ml.distributed.kmeans import KMeans, _take_rows, kmeans_parallel
from m4ml.distributed.moments import moments
from m4ml.models import GaussianMixture as _GaussianMixture
from m4ml.models.mixture_gaussian import precision_cholesky_from_precisions

__all__ = ["GaussianMixture"]

_PARAMS = (
    "n_components", "covariance_type", "tol", "reg_covar", "max_iter", "n_init", "init_params",
    "weights_init", "means_init", "precisions_init", "random_state", "warm_start", "verbose",
    "verbose_interval",
)  # fmt: skip


class _Shape:  # what the in-memory parameter check reads of X
    def __init__(self, shape):
        self.shape = shape


class GaussianMixture(DensityMixin, BaseEstimator):
    r"""Gaussian mixture model by EM over chunks: one pass per iteration.

    Parameters
    ----------
    n_components, covariance_type, tol, reg_covar, max_iter, n_init, init_params, weights_init,
    means_init, precisions_init, random_state, warm_start, verbose, verbose_interval
        As :class:`m4ml.models.GaussianMixture` (covariance types "full", "tied", "diag",
        "spherical"). For NumPy input every ``init_params`` is the in-memory initialization
        itself. For Dask input: "kmeans" labels by :class:`m4ml.distributed.KMeans`
        (k-means‖ seeding), "k-means++" one-point components at k-means‖ seeds, "random"
        responsibilities drawn per block (seeded by the block's first row), and
        "random_from_data" the same rows as in memory.

    Attributes
    ----------
    weights_, means_, covariances_, precisions_, precisions_cholesky_, converged_, n_iter_,
    lower_bound_, lower_bounds_, n_features_in_
        As :class:`m4ml.models.GaussianMixture`; ``lower_bounds_`` holds the mean
        log-likelihood at each iteration's E-step (non-decreasing).
    estimator_ : m4ml.models.GaussianMixture
        The in-memory model with these parameters (used by ``predict``, ``score_samples``...).

    Raises
    ------
    ValueError
        Bad parameters or initial values, fewer rows than components, NaN or infinity in a
        chunk, or a component whose covariance is not positive definite.

    Notes
    -----
    The data are centred by their merged mean first (log densities and covariances do not
    change under a shift; the means are shifted back). Each pass: a block computes
    :math:`r_{ik} \propto \pi_k\mathcal N(x_i;\mu_k,\Sigma_k)` in log space and returns
    :math:`\sum_i \log p(x_i)` and its :math:`(N_k, \bar x_k, M_k)`; the merged statistics give
    :math:`\pi_k = N_k/n`, :math:`\mu_k = \bar x_k` and :math:`\Sigma_k = M_k/N_k + \text{reg}\,I`
    (with the in-memory :math:`10\epsilon` added to :math:`N_k`). Each block's statistics are
    the in-memory M-step's (a refined mean, the scatter about it), merged in centred form, so
    the covariances keep their digits far from the origin, and from the same initial parameters
    the iterates are the in-memory ones (a single block: the same operations).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-3, 1, (200, 2)), rng.normal(3, 0.5, (100, 2))])
    >>> gm = GaussianMixture(2, random_state=0).fit(X)
    >>> np.round(np.sort(gm.weights_), 2).tolist()
    [0.33, 0.67]
    >>> bool(np.all(np.diff(gm.lower_bounds_) >= 0))
    True
    """

    def __init__(
        self,
        n_components: int = 1,
        *,
        covariance_type: str = "full",
        tol: float = 1e-3,
        reg_covar: float = 1e-6,
        max_iter: int = 100,
        n_init: int = 1,
        init_params: str = "kmeans",
        weights_init: ArrayLike | None = None,
        means_init: ArrayLike | None = None,
        precisions_init: ArrayLike | None = None,
        random_state: Seed = None,
        warm_start: bool = False,
        verbose: int = 0,
        verbose_interval: int = 10,
    ) -> None:
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    def _in_memory(self):
        return _GaussianMixture(**{name: getattr(self, name) for name in _PARAMS})

    # -- initialization ------------------------------------------------------------------
    def _stats_under(self, Xc, resp_of_block, *more):
        def chunk(block, *rest):
            b = check_block(block, "X")
            if b.shape[0] == 0:
                return ms.stats_chunk(b, np.zeros((0, self.n_components)), self.covariance_type)
            return ms.stats_chunk(b, resp_of_block(b, *rest), self.covariance_type)

        return map_reduce(chunk, ms.merge_stats, Xc, *more)

    def _initial_stats(self, Xc, rng):
        K, n, d = self.n_components, Xc.shape[0], Xc.shape[1]
        init = self.init_params
        if init == "kmeans":
            km = KMeans(K, n_init=1, random_state=rng).fit(Xc)
            centers = km.cluster_centers_

            def one_hot(b):
                return (assign(b, centers)[:, None] == np.arange(K)) * 1.0

            return self._stats_under(Xc, one_hot)
        if init == "random":
            seed = int(rng.integers(2**62))

            def uniform(b, idx):
                r = np.random.default_rng([seed, int(idx[0, 0])]).uniform(size=(b.shape[0], K))
                return r / r.sum(axis=1, keepdims=True)

            return self._stats_under(Xc, uniform, row_index(Xc))
        if init == "random_from_data":
            points = _take_rows(Xc, rng.choice(n, size=K, replace=False))
        else:
            points = kmeans_parallel(Xc, None, K, rng)
        zeros = np.zeros((K, d, d) if self.covariance_type in ("full", "tied") else (K, d))
        return np.ones(K), points, zeros

    def _initialize(self, Xc, rng, shift):
        """Initial ``(weights, means, precisions_cholesky)`` in centred coordinates."""
        n = Xc.shape[0]
        if not is_dask(Xc):  # the in-memory initialization itself, on the data as given
            gm = self._in_memory()
            gm._initialize_parameters(Xc + shift, rng)
            return (
                gm.weights_,
                gm.means_ - shift,
                gm.precisions_cholesky_,
                gm.__dict__.get("covariances_"),
            )
        stats = self._initial_stats(Xc, rng)
        nk, means, cov, pc = ms.m_step(stats, self.reg_covar, self.covariance_type)
        weights = nk / n
        if self.weights_init is not None:
            weights = np.asarray(self.weights_init, dtype=np.float64)
        if self.means_init is not None:
            means = np.asarray(self.means_init, dtype=np.float64) - shift
        if self.precisions_init is not None:
            pc = precision_cholesky_from_precisions(
                np.asarray(self.precisions_init, dtype=np.float64), self.covariance_type
            )
            cov = None
        return weights, means, pc, cov

    # -- EM ------------------------------------------------------------------------------
    def _em(self, Xc, params, bound):
        weights, means, pc, cov = params
        n, ctype = Xc.shape[0], self.covariance_type
        bounds, converged, n_iter = [], False, 0
        while n_iter < self.max_iter:
            n_iter += 1
            previous = bound

            def chunk(block, w=weights, m=means, p=pc):
                return ms.e_step_chunk(block, w, m, p, ctype)

            total, stats = map_reduce(chunk, ms.merge_e_step, Xc)
            bound = total / n
            nk, means, cov, pc = ms.m_step(stats, self.reg_covar, ctype)
            weights = nk / nk.sum()
            bounds.append(bound)
            if abs(bound - previous) < self.tol:
                converged = True
                break
        return (weights, means, pc, cov), bound, n_iter, bounds, converged

    def fit(self, X: ArrayLike, y: None = None) -> Self:
        """Estimate the parameters by EM over the chunks of ``X``; returns ``self``."""
        Xr = fit_rows(self, X)
        if Xr.shape[0] < 2:
            raise ValueError(
                f"Found array with {Xr.shape[0]} sample(s) while a minimum of 2 is required."
            )
        self._in_memory()._check_parameters(_Shape(Xr.shape))
        m = moments(Xr, name="X")
        Xc = Xr - m.mean
        do_init = not (self.warm_start and hasattr(self, "converged_"))
        rng = random_state_rng(self.random_state)
        best_bound, best = -np.inf, None
        for _ in range(self.n_init if do_init else 1):
            if do_init:
                params, bound = self._initialize(Xc, rng, m.mean), -np.inf
            else:
                params = (self.weights_, self.means_ - m.mean, self.precisions_cholesky_,
                          self.covariances_)  # fmt: skip
                bound = self.lower_bound_
            run = self._em(Xc, params, bound)
            if best is None or run[1] > best_bound:
                best_bound, best = run[1], run
        (weights, means, pc, cov), bound, n_iter, bounds, converged = best
        if not converged and self.max_iter > 0:
            warnings.warn(
                f"GaussianMixture: EM did not converge in {n_iter} iterations (best of "
                f"{self.n_init} initializations); increase max_iter or tol, try other "
                "initializations, or check for degenerate data",
                ConvergenceWarning,
                stacklevel=2,
            )
        est = self._in_memory()
        est._set_parameters((weights, means + m.mean, cov, pc))
        est.n_features_in_, est.converged_, est.n_iter_ = Xr.shape[1], converged, n_iter
        est.lower_bound_, est.lower_bounds_ = best_bound, bounds
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
        self.estimator_ = est
        for name in ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_",
                     "converged_", "n_iter_", "lower_bound_", "lower_bounds_"):  # fmt: skip
            setattr(self, name, getattr(est, name))
        return self

    def fit_predict(self, X: ArrayLike, y: None = None) -> NDArray:
        """Fit, then the most responsible component of each training row (lazy for Dask)."""
        return self.fit(X).predict(X)

    # -- prediction ----------------------------------------------------------------------
    def _est(self):
        check_is_fitted(self, "estimator_")
        return self.estimator_

    def predict(self, X: ArrayLike) -> NDArray:
        """The most responsible component per row: lazy Dask for Dask input."""
        return apply_rows(self._est().predict, X, dtype=np.intp)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Responsibilities :math:`r_{ik}` per row: lazy Dask for Dask input."""
        return apply_rows(self._est().predict_proba, X, self.n_components)

    def score_samples(self, X: ArrayLike) -> FloatArray:
        r"""Log density :math:`\log p(x_i)` per row: lazy Dask for Dask input."""
        return apply_rows(self._est().score_samples, X)

    def score(self, X: ArrayLike, y: None = None) -> float:
        """Mean log-likelihood of ``X`` (computed)."""
        s = self.score_samples(X)
        return float(s.mean().compute() if is_dask(s) else s.mean())

    def _n_rows(self, X):
        return int(
            X.to_dask_array(lengths=True).shape[0]
            if hasattr(X, "to_dask_array")
            else np.shape(X)[0]
        )

    def bic(self, X: ArrayLike) -> float:
        r"""Bayesian information criterion :math:`-2\ell + p\log n` (lower is better)."""
        n = self._n_rows(X)
        return float(-2 * self.score(X) * n + self._est()._n_parameters() * np.log(n))

    def aic(self, X: ArrayLike) -> float:
        r"""Akaike information criterion :math:`-2\ell + 2p` (lower is better)."""
        n = self._n_rows(X)
        return float(-2 * self.score(X) * n + 2 * self._est()._n_parameters())

    def sample(self, n_samples: int = 1) -> tuple[FloatArray, NDArray]:
        """Draw ``n_samples`` points from the fitted mixture: ``(X, component labels)``."""
        return self._est().sample(n_samples)
