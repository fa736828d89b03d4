r"""Gaussian mixture models fitted by expectation-maximization, in log space.

The model: :math:`p(x) = \sum_{k=1}^K \pi_k \, \mathcal N(x; \mu_k, \Sigma_k)`. EM maximizes the
log-likelihood :math:`\ell(\theta) = \sum_i \log \sum_k \pi_k \mathcal N(x_i; \mu_k, \Sigma_k)`
by alternating

* **E-step**: responsibilities :math:`r_{ik} = \pi_k \mathcal N(x_i; \theta_k) / p(x_i)`, computed
  as :math:`\exp(\log \pi_k + \log \mathcal N_{ik} - \operatorname{logsumexp}_j(\dots))`;
* **M-step**: :math:`N_k = \sum_i r_{ik}`, :math:`\pi_k = N_k / n`, :math:`\mu_k` and
  :math:`\Sigma_k` the responsibility-weighted mean and covariance.

By Jensen's inequality :math:`\ell(\theta) \ge \sum_{i,k} r_{ik} \log(\pi_k \mathcal N_{ik} /
r_{ik})`, with equality at the E-step's :math:`r`; the M-step maximizes the right side, so
:math:`\ell` never decreases from one iteration to the next.
"""

import numbers
import warnings
from typing import Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin

from m4ml._core.errors import ConvergenceWarning
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.models._base import check_is_fitted, validate_X
from m4ml.models.kmeans import KMeans, _rng, kmeans_plusplus
from m4ml.models.mixture_gaussian import (
    COVARIANCE_TYPES,
    estimate_gaussian_parameters,
    estimate_log_gaussian_prob,
    precision_cholesky,
    precision_cholesky_from_precisions,
)

__all__ = ["GaussianMixture"]

_INITS = ("kmeans", "k-means++", "random", "random_from_data")


def _logsumexp_rows(a):
    m = a.max(axis=1, keepdims=True)
    m[~np.isfinite(m)] = 0.0
    return np.log(np.exp(a - m).sum(axis=1)) + m[:, 0]


class GaussianMixture(DensityMixin, BaseEstimator):
    r"""Gaussian mixture model, maximum likelihood by EM.

    Parameters
    ----------
    n_components : int, default 1
    covariance_type : {"full", "tied", "diag", "spherical"}, default "full"
        Own full covariance per component, one shared full covariance, own diagonal, or own
        multiple of the identity.
    tol : float, default 1e-3
        Stop when the mean log-likelihood changes by less than ``tol``.
    reg_covar : float, default 1e-6
        Added to the covariance diagonals: a component that collapses onto one point keeps a
        positive definite covariance instead of an infinite likelihood. With 0, such a
        component (also a one-point start: "k-means++", "random_from_data") has covariance
        exactly 0, and ``fit`` raises ValueError.
    max_iter : int, default 100
    n_init : int, default 1
        Initializations; the run with the largest final lower bound is kept.
    init_params : {"kmeans", "k-means++", "random", "random_from_data"}, default "kmeans"
        Initial responsibilities: a k-means labelling, k-means++ seeds, random, or random
        points.
    weights_init, means_init, precisions_init : array_like, optional
        Given initial parameters (precisions, not covariances, as in scikit-learn).
    random_state : None, int or numpy.random.Generator
    warm_start : bool, default False
        Continue from the previous fit's parameters.
    verbose, verbose_interval : int
        Unused; kept for scikit-learn compatibility.

    Attributes
    ----------
    weights_, means_, covariances_, precisions_, precisions_cholesky_ : ndarray
        Fitted parameters; ``precisions_cholesky_`` holds :math:`P_k` with :math:`P_k
        P_k^\top = \Sigma_k^{-1}`.
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Mean log-likelihood of the training data at the last E-step of the best run.
    lower_bounds_ : list of float
        The lower bound after each iteration of the best run (non-decreasing).

    Notes
    -----
    Each iteration costs :math:`O(n K d^2)` for "full" (the E-step is one product of ``X`` with
    all :math:`K` precision factors side by side; the M-step one symmetric product per
    component) plus :math:`O(K d^3)` for the Cholesky factors from :func:`m4ml.linalg.cholesky`.
    Everything is done with log densities and log-sum-exp, so points far from every component
    do not underflow. ``bic`` is :math:`-2\ell + p \log n` and ``aic`` :math:`-2\ell + 2p` with
    :math:`p` free parameters.

    References
    ----------
    .. [1] A. P. Dempster, N. M. Laird and D. B. Rubin, "Maximum likelihood from incomplete
       data via the EM algorithm", J. R. Stat. Soc. B 39, 1977.
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, 2006, sec. 9.2.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import GaussianMixture
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
        covariance_type: Literal["full", "tied", "diag", "spherical"] = "full",
        tol: float = 1e-3,
        reg_covar: float = 1e-6,
        max_iter: int = 100,
        n_init: int = 1,
        init_params: Literal["kmeans", "k-means++", "random", "random_from_data"] = "kmeans",
        weights_init: ArrayLike | None = None,
        means_init: ArrayLike | None = None,
        precisions_init: ArrayLike | None = None,
        random_state: Seed = None,
        warm_start: bool = False,
        verbose: int = 0,
        verbose_interval: int = 10,
    ):
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

    # -- parameters --------------------------------------------------------------------------
    def _check_parameters(self, X):
        K, d = self.n_components, X.shape[1]
        for name, low in (("n_components", 1), ("n_init", 1), ("max_iter", 0)):
            v = getattr(self, name)
            if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < low:
                raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")
        for name in ("tol", "reg_covar"):
            v = getattr(self, name)
            if not isinstance(v, numbers.Real) or not np.isfinite(v) or v < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {v!r}")
        if self.covariance_type not in COVARIANCE_TYPES:
            raise ValueError(
                f"covariance_type must be one of {COVARIANCE_TYPES}, got {self.covariance_type!r}"
            )
        if self.init_params not in _INITS:
            raise ValueError(f"init_params must be one of {_INITS}, got {self.init_params!r}")
        if X.shape[0] < K:
            raise ValueError(
                f"Expected n_samples >= n_components but got n_components = {K}, "
                f"n_samples = {X.shape[0]}"
            )
        if self.weights_init is not None:
            w = np.asarray(self.weights_init, dtype=np.float64)
            if w.shape != (K,):
                raise ValueError(f"weights_init must have shape ({K},), got {w.shape}")
            if (w < 0).any() or (w > 1).any() or not np.isclose(w.sum(), 1.0):
                raise ValueError(
                    "weights_init must be in [0, 1] and sum to 1, got sum " + str(w.sum())
                )
        if self.means_init is not None:
            m = np.asarray(self.means_init, dtype=np.float64)
            if m.shape != (K, d):
                raise ValueError(f"means_init must have shape ({K}, {d}), got {m.shape}")
        if self.precisions_init is not None:
            shape = {"full": (K, d, d), "tied": (d, d), "diag": (K, d), "spherical": (K,)}
            p = np.asarray(self.precisions_init, dtype=np.float64)
            if p.shape != shape[self.covariance_type]:
                raise ValueError(
                    f"precisions_init for covariance_type={self.covariance_type!r} must have "
                    f"shape {shape[self.covariance_type]}, got {p.shape}"
                )
            if self.covariance_type in ("diag", "spherical") and (p <= 0).any():
                raise ValueError("precisions_init must be positive")

    def _initialize_parameters(self, X, rng):
        n, K = X.shape[0], self.n_components
        resp = np.zeros((n, K))
        if self.init_params == "kmeans":
            labels = KMeans(K, n_init=1, random_state=rng).fit(X).labels_
            resp[np.arange(n), labels] = 1.0
        elif self.init_params == "random":
            resp = rng.uniform(size=(n, K))
            resp /= resp.sum(axis=1, keepdims=True)
        elif self.init_params == "random_from_data":
            resp[rng.choice(n, size=K, replace=False), np.arange(K)] = 1.0
        else:
            resp[kmeans_plusplus(X, K, random_state=rng)[1], np.arange(K)] = 1.0
        nk, means, cov = estimate_gaussian_parameters(X, resp, self.reg_covar, self.covariance_type)
        self.weights_ = (
            nk / n if self.weights_init is None else np.asarray(self.weights_init, dtype=float)
        )
        self.means_ = means if self.means_init is None else np.asarray(self.means_init, float)
        if self.precisions_init is None:
            self.covariances_ = cov
            self.precisions_cholesky_ = precision_cholesky(cov, self.covariance_type)
        else:
            self.precisions_cholesky_ = precision_cholesky_from_precisions(
                np.asarray(self.precisions_init, dtype=float), self.covariance_type
            )

    # -- EM ----------------------------------------------------------------------------------
    def _weighted_log_prob(self, X):
        log_prob = estimate_log_gaussian_prob(
            X, self.means_, self.precisions_cholesky_, self.covariance_type
        )
        with np.errstate(divide="ignore"):
            return log_prob + np.log(self.weights_)

    def _e_step(self, X):
        weighted = self._weighted_log_prob(X)
        log_norm = _logsumexp_rows(weighted)
        return float(log_norm.mean()), weighted - log_norm[:, None]

    def _m_step(self, X, log_resp):
        nk, self.means_, self.covariances_ = estimate_gaussian_parameters(
            X, np.exp(log_resp), self.reg_covar, self.covariance_type
        )
        self.weights_ = nk / nk.sum()
        self.precisions_cholesky_ = precision_cholesky(self.covariances_, self.covariance_type)

    def _get_parameters(self):
        return (self.weights_, self.means_, self.covariances_, self.precisions_cholesky_)

    def _set_parameters(self, params):
        self.weights_, self.means_, self.covariances_, self.precisions_cholesky_ = params
        pc = self.precisions_cholesky_
        if self.covariance_type in ("full", "tied"):
            self.precisions_ = pc @ np.swapaxes(pc, -1, -2)
        else:
            self.precisions_ = pc**2

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Estimate the parameters by EM (``n_init`` runs, the best kept); returns ``self``."""
        self.fit_predict(X, y)
        return self

    def fit_predict(self, X: ArrayLike, y: ArrayLike | None = None) -> NDArray[np.intp]:
        """Fit, then return the most responsible component of each training point."""
        X = validate_X(self, X, reset=True, ensure_min_samples=2)
        self._check_parameters(X)
        do_init = not (self.warm_start and hasattr(self, "converged_"))
        rng = _rng(self.random_state)
        best_bound, best = -np.inf, None
        self.converged_ = False
        for _ in range(self.n_init if do_init else 1):
            if do_init:
                self._initialize_parameters(X, rng)
            bound = -np.inf if do_init else self.lower_bound_
            bounds, converged, n_iter = [], False, 0
            if self.max_iter == 0 and not hasattr(self, "covariances_"):
                self.covariances_ = None
            while n_iter < self.max_iter:
                n_iter += 1
                previous = bound
                bound, log_resp = self._e_step(X)
                self._m_step(X, log_resp)
                bounds.append(bound)
                if abs(bound - previous) < self.tol:
                    converged = True
                    break
            if best is None or bound > best_bound:
                best_bound, best = bound, (self._get_parameters(), n_iter, bounds, converged)
        params, self.n_iter_, self.lower_bounds_, self.converged_ = best
        if not self.converged_ and self.max_iter > 0:
            warnings.warn(
                f"GaussianMixture: EM did not converge in {self.n_iter_} iterations (best of "
                f"{self.n_init} initializations); increase max_iter or tol, try other "
                "initializations, or check for degenerate data",
                ConvergenceWarning,
                stacklevel=2,
            )
        self._set_parameters(params)
        self.lower_bound_ = best_bound
        return self._e_step(X)[1].argmax(axis=1)

    # -- prediction --------------------------------------------------------------------------
    def _check_X(self, X):
        check_is_fitted(self, "precisions_cholesky_")
        return validate_X(self, X, reset=False)

    def score_samples(self, X: ArrayLike) -> FloatArray:
        r"""Log density :math:`\log p(x_i)` of each sample, by log-sum-exp over components."""
        return _logsumexp_rows(self._weighted_log_prob(self._check_X(X)))

    def score(self, X: ArrayLike, y: ArrayLike | None = None) -> float:
        """Mean log-likelihood of ``X``."""
        return float(self.score_samples(X).mean())

    def predict(self, X: ArrayLike) -> NDArray[np.intp]:
        """The component with the largest responsibility for each sample."""
        return self._weighted_log_prob(self._check_X(X)).argmax(axis=1)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Responsibilities :math:`r_{ik}` (posterior component probabilities)."""
        weighted = self._weighted_log_prob(self._check_X(X))
        return np.exp(weighted - _logsumexp_rows(weighted)[:, None])

    def _n_parameters(self):
        K, d = self.means_.shape
        cov = {
            "full": K * d * (d + 1) / 2,
            "tied": d * (d + 1) / 2,
            "diag": K * d,
            "spherical": K,
        }[self.covariance_type]
        return int(cov + K * d + K - 1)

    def bic(self, X: ArrayLike) -> float:
        r"""Bayesian information criterion :math:`-2\ell + p\log n` (lower is better)."""
        X = self._check_X(X)
        return float(-2 * self.score(X) * X.shape[0] + self._n_parameters() * np.log(X.shape[0]))

    def aic(self, X: ArrayLike) -> float:
        r"""Akaike information criterion :math:`-2\ell + 2p` (lower is better)."""
        X = self._check_X(X)
        return float(-2 * self.score(X) * X.shape[0] + 2 * self._n_parameters())

    def sample(self, n_samples: int = 1) -> tuple[FloatArray, NDArray[np.intp]]:
        """Draw ``n_samples`` points; returns ``(X, component labels)``, grouped by component."""
        check_is_fitted(self, "precisions_cholesky_")
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"Invalid value for 'n_samples': {n_samples!r}; it must be >= 1")
        from m4ml.probability.multivariate import MultivariateNormal

        rng = _rng(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        K, d = self.means_.shape
        parts = []
        for k in range(K):
            m = int(counts[k])
            if self.covariance_type in ("full", "tied"):
                cov = self.covariances_[k] if self.covariance_type == "full" else self.covariances_
                parts.append(
                    MultivariateNormal(self.means_[k], cov).sample(m, rng=rng).reshape(m, d)
                )
            else:
                scale = np.sqrt(self.covariances_[k])
                parts.append(self.means_[k] + rng.standard_normal((m, d)) * scale)
        labels = np.repeat(np.arange(K), counts)
        return np.vstack(parts), labels
