r"""Multivariate distributions: the Gaussian (through its Cholesky factor) and the Dirichlet.

Both are distributions over vectors: points are arrays whose last axis is the event dimension
(length :math:`d` or :math:`K`), and ``sample(size)`` returns shape ``size + (d,)``.
"""

from typing import Self

import numpy as np
from scipy.special import digamma, gammaln, xlogy

from m4ml._core import LinAlgError, as_float_array, check_rng
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.linalg.cholesky import cholesky
from m4ml.linalg.triangular import solve_triangular
from m4ml.probability._fit import inverse_digamma
from m4ml.probability.base import Distribution, as_param, as_points, scalar_or_array

__all__ = ["Dirichlet", "MultivariateNormal"]

_LOG_2PI = np.log(2.0 * np.pi)


def _event_points(x, dim, name="x"):
    x = as_points(x, name)
    if x.ndim == 0 or x.shape[-1] != dim:
        raise ValueError(f"{name} must have a last axis of length {dim}, got shape {x.shape}")
    return x


def _sample_size(size):
    if size is None:
        return ()
    return (int(size),) if np.ndim(size) == 0 else tuple(int(s) for s in size)


class MultivariateNormal(Distribution):
    r"""Multivariate normal :math:`N(\mu, \Sigma)` (``scipy.stats.multivariate_normal``).

    Parameters
    ----------
    mean : array_like, shape (d,)
        Mean vector :math:`\mu` (stored as ``loc``).
    cov : array_like, shape (d, d), (d,) or scalar
        Covariance :math:`\Sigma`, symmetric positive definite; a vector is a diagonal and a
        scalar a multiple of the identity.

    Raises
    ------
    LinAlgError
        ``cov`` not symmetric or not positive definite (the message says which).
    ValueError
        Shapes that do not match, or NaN/inf.

    Notes
    -----
    Everything goes through the Cholesky factor :math:`\Sigma = LL^\top`, computed once. With
    :math:`z = L^{-1}(x - \mu)` from one forward substitution (for all points at once),

    .. math:: \log f(x) = -\tfrac12\lVert z\rVert^2 - \sum_i \log L_{ii} - \tfrac d2\log 2\pi,

    never forming :math:`\Sigma^{-1}` or :math:`\det\Sigma` (:math:`\tfrac12\log\det\Sigma =
    \sum_i \log L_{ii}`). Sampling is :math:`x = \mu + Lz` with :math:`z` standard normal: one
    matrix product of an :math:`N \times d` block by :math:`L^\top`. Entropy
    :math:`\tfrac d2(1 + \log 2\pi) + \sum_i\log L_{ii}`. Maximum likelihood: the sample mean
    and the covariance with divisor :math:`n`. The cdf (a :math:`d`-dimensional integral) is
    not provided.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, 2.3.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.probability.multivariate import MultivariateNormal
    >>> d = MultivariateNormal([0.0, 1.0], [[2.0, 0.5], [0.5, 1.0]])
    >>> print(f"{d.logpdf([0.0, 1.0]):.6f} {d.entropy():.6f}")
    -2.117685 3.117685
    >>> d.sample(3, rng=0).shape
    (3, 2)
    """

    _param_names = (("mean", "loc"), ("cov", "cov"))

    def __init__(self, mean: ArrayLike, cov: ArrayLike):
        self.loc = as_float_array(mean, "mean", min_ndim=1, max_ndim=1)
        d = self.loc.size
        c = as_float_array(cov, "cov", max_ndim=2)
        if c.ndim == 0:
            c = c * np.eye(d)
        elif c.ndim == 1:
            c = np.diag(c)
        if c.shape != (d, d):
            raise ValueError(f"cov must have shape ({d}, {d}) to match mean, got {c.shape}")
        try:
            self.cholesky_factor = cholesky(c)
        except LinAlgError as exc:
            raise LinAlgError(f"cov must be symmetric positive definite: {exc}") from None
        self.cov = c
        self._half_logdet = float(np.sum(np.log(np.diag(self.cholesky_factor))))

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """``()``."""
        return ()

    @property
    def dim(self) -> int:
        """Dimension :math:`d`."""
        return self.loc.size

    def mahalanobis(self, x: ArrayLike) -> float | FloatArray:
        """Squared Mahalanobis distance :math:`(x-\\mu)^\\top\\Sigma^{-1}(x-\\mu)`."""
        x = _event_points(x, self.dim)
        dev = (x - self.loc).reshape(-1, self.dim)
        z = solve_triangular(self.cholesky_factor, dev.T, lower=True)
        return scalar_or_array(np.einsum("ij,ij->j", z, z).reshape(x.shape[:-1]))

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density at points ``x`` of shape ``(..., d)``."""
        m = self.mahalanobis(x)
        return scalar_or_array(-0.5 * m - self._half_logdet - 0.5 * self.dim * _LOG_2PI)

    def pdf(self, x: ArrayLike) -> float | FloatArray:
        """Density at points ``x`` of shape ``(..., d)``."""
        return scalar_or_array(np.exp(self.logpdf(x)))

    def mean(self) -> float | FloatArray:
        """Mean vector :math:`\\mu`."""
        return self.loc.copy()

    def var(self) -> float | FloatArray:
        """Marginal variances, the diagonal of :math:`\\Sigma`."""
        return np.diag(self.cov).copy()

    def entropy(self) -> float | FloatArray:
        """Differential entropy (nats)."""
        return scalar_or_array(0.5 * self.dim * (1.0 + _LOG_2PI) + self._half_logdet)

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(-inf, inf)`` in every coordinate."""
        return -np.inf, np.inf

    def sample(
        self, size: int | tuple[int, ...] | None = None, rng: Seed = None
    ) -> float | FloatArray:
        """Draw vectors :math:`\\mu + Lz`: shape ``size + (d,)``."""
        gen = check_rng(rng)
        shape = _sample_size(size)
        z = gen.standard_normal((*shape, self.dim))
        x = z @ self.cholesky_factor.T
        x += self.loc
        return x

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum likelihood: sample mean and covariance with divisor ``n``."""
        x = as_float_array(data, "data", min_ndim=2, max_ndim=2)
        if x.shape[0] < 1:
            raise ValueError("MultivariateNormal.fit needs at least one observation")
        mu = x.mean(axis=0)
        dev = x - mu
        return cls(mu, (dev.T @ dev) / x.shape[0])


class Dirichlet(Distribution):
    r"""Dirichlet distribution on the probability simplex (``scipy.stats.dirichlet(alpha)``).

    Parameters
    ----------
    alpha : array_like, shape (K,)
        Concentration parameters :math:`\alpha_k > 0`, :math:`K \ge 2`.

    Raises
    ------
    ValueError
        ``alpha`` not 1-D with at least two positive finite entries.

    Notes
    -----
    For :math:`x` on the simplex (:math:`x_k \ge 0`, :math:`\sum_k x_k = 1`, checked to
    :math:`10^{-8}`; elsewhere the density is 0),

    .. math:: \log f(x) = \sum_k (\alpha_k - 1)\log x_k - \log B(\alpha), \qquad
              \log B(\alpha) = \sum_k \log\Gamma(\alpha_k) - \log\Gamma(\alpha_0),

    :math:`\alpha_0 = \sum_k\alpha_k`. :math:`E x_k = \alpha_k/\alpha_0`,
    :math:`\operatorname{Var} x_k = \alpha_k(\alpha_0-\alpha_k)/(\alpha_0^2(\alpha_0+1))`,
    entropy :math:`\log B(\alpha) + (\alpha_0 - K)\psi(\alpha_0) - \sum_k(\alpha_k -
    1)\psi(\alpha_k)`. Sampling normalizes independent Gamma(:math:`\alpha_k`) draws.
    Maximum likelihood uses Minka's fixed point :math:`\psi(\alpha_k^{new}) = \psi(\alpha_0) +
    \overline{\log x_k}`, with :math:`\psi^{-1}` by Newton; each step increases the
    likelihood.

    References
    ----------
    .. [1] T. P. Minka, "Estimating a Dirichlet distribution", 2000 (revised 2012).

    Examples
    --------
    >>> from m4ml.probability.multivariate import Dirichlet
    >>> d = Dirichlet([1.0, 2.0, 3.0])
    >>> d.mean()
    array([0.16666667, 0.33333333, 0.5       ])
    >>> print(f"{d.pdf([0.2, 0.3, 0.5]):.4f}")
    4.5000
    """

    _param_names = (("alpha", "alpha"),)

    def __init__(self, alpha: ArrayLike):
        self.alpha = as_param(alpha, "alpha", low=0.0, low_open=True)
        if self.alpha.ndim != 1 or self.alpha.size < 2:
            raise ValueError(f"alpha must be 1-D with at least 2 entries, got {self.alpha.shape}")
        self._log_beta = float(np.sum(gammaln(self.alpha)) - gammaln(np.sum(self.alpha)))

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """``()``."""
        return ()

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density at points ``x`` of shape ``(..., K)``; ``-inf`` off the simplex."""
        x = _event_points(x, self.alpha.size)
        on = np.all(x >= 0, axis=-1) & (np.abs(x.sum(axis=-1) - 1.0) <= 1e-8)
        xx = np.where(on[..., None], x, 0.5)
        out = np.sum(xlogy(self.alpha - 1.0, xx), axis=-1) - self._log_beta
        return scalar_or_array(np.where(on, out, -np.inf))

    def pdf(self, x: ArrayLike) -> float | FloatArray:
        """Density at points ``x`` of shape ``(..., K)``."""
        return scalar_or_array(np.exp(self.logpdf(x)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`\\alpha/\\alpha_0`."""
        return self.alpha / self.alpha.sum()

    def var(self) -> float | FloatArray:
        """Marginal variances."""
        a0 = self.alpha.sum()
        return self.alpha * (a0 - self.alpha) / (a0 * a0 * (a0 + 1.0))

    def cov(self) -> FloatArray:
        """Covariance matrix :math:`(\\operatorname{diag}m - mm^\\top)/(\\alpha_0 + 1)`."""
        m = self.mean()
        return (np.diag(m) - np.outer(m, m)) / (self.alpha.sum() + 1.0)

    def entropy(self) -> float | FloatArray:
        """Differential entropy (nats)."""
        a, a0 = self.alpha, self.alpha.sum()
        h = self._log_beta + (a0 - a.size) * digamma(a0) - np.sum((a - 1.0) * digamma(a))
        return scalar_or_array(h)

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, 1)`` in every coordinate (the simplex)."""
        return 0.0, 1.0

    def sample(
        self, size: int | tuple[int, ...] | None = None, rng: Seed = None
    ) -> float | FloatArray:
        """Draw points of the simplex: shape ``size + (K,)``."""
        gen = check_rng(rng)
        g = gen.standard_gamma(self.alpha, size=(*_sample_size(size), self.alpha.size))
        return g / g.sum(axis=-1, keepdims=True)

    @classmethod
    def fit(cls, data: ArrayLike, max_iter: int = 10000, tol: float = 1e-12) -> Self:
        """Maximum likelihood by Minka's fixed-point iteration (rows on the open simplex)."""
        x = as_float_array(data, "data", min_ndim=2, max_ndim=2)
        if x.shape[0] < 2 or x.shape[1] < 2:
            raise ValueError("Dirichlet.fit needs at least 2 rows of at least 2 components")
        if np.any(x <= 0) or np.any(np.abs(x.sum(axis=1) - 1.0) > 1e-8):
            raise ValueError("Dirichlet.fit needs rows of positive entries summing to 1")
        mean_log = np.log(x).mean(axis=0)
        m, v = x.mean(axis=0), x.var(axis=0)
        s = np.median(m * (1 - m) / np.maximum(v, 1e-300) - 1.0)
        alpha = m * max(s, 1e-3)
        for _ in range(max_iter):
            new = inverse_digamma(digamma(alpha.sum()) + mean_log)
            if np.max(np.abs(new - alpha) / alpha) < tol:
                alpha = new
                break
            alpha = new
        return cls(alpha)
