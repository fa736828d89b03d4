r"""The normal (Gaussian) distribution."""

from typing import Self

import numpy as np
from scipy.special import log_ndtr, ndtr, ndtri

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability.base import (
    ContinuousDistribution,
    as_param,
    as_points,
    as_probabilities,
    scalar_or_array,
)

__all__ = ["Normal"]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


class Normal(ContinuousDistribution):
    r"""Normal distribution :math:`N(\mu, \sigma^2)`, frozen (``scipy.stats.norm(loc, scale)``).

    Parameters
    ----------
    mean : array_like, default 0
        Location :math:`\mu` (stored as ``loc``).
    std : array_like, default 1
        Standard deviation :math:`\sigma > 0` (stored as ``scale``). Parameters broadcast
        against each other and against the points.

    Raises
    ------
    ValueError
        ``std <= 0``, or NaN/inf parameters.

    Notes
    -----
    With :math:`z = (x - \mu)/\sigma`,

    .. math:: \log f(x) = -\tfrac12 z^2 - \log\sigma - \tfrac12 \log 2\pi, \qquad
              F(x) = \Phi(z) = \tfrac12 \operatorname{erfc}(-z/\sqrt2),

    :math:`\Phi` being ``scipy.special.ndtr``. The survival function is :math:`\Phi(-z)`
    (never :math:`1 - \Phi(z)`, which is 0 beyond :math:`z \approx 8.3`), ``logcdf`` is
    ``log_ndtr`` (asymptotic series in the far tail) and the quantile is
    :math:`\mu + \sigma\Phi^{-1}(q)` with ``ndtri``; ``isf`` uses :math:`-\Phi^{-1}(q)`.
    :math:`E X = \mu`, :math:`\operatorname{Var} X = \sigma^2`, differential entropy
    :math:`\tfrac12\log(2\pi e\sigma^2)`. The maximum-likelihood fit is the sample mean and the
    standard deviation with divisor :math:`n` (two-pass). Sampling scales standard normals
    from NumPy's ziggurat generator.

    References
    ----------
    .. [1] W. J. Cody, "Rational Chebyshev approximations for the error function",
       Math. Comp. 23, 1969.

    Examples
    --------
    >>> from m4ml.probability.normal import Normal
    >>> d = Normal(1.0, 2.0)
    >>> d
    Normal(mean=1.0, std=2.0)
    >>> print(f"{d.cdf(1.0):.3f} {d.ppf(0.975):.4f} {d.sf(41.0):.3e}")
    0.500 4.9199 2.754e-89
    >>> [round(float(v), 6) for v in d.interval(0.5)]
    [-0.34898, 2.34898]
    """

    _param_names = (("mean", "loc"), ("std", "scale"))

    def __init__(self, mean: ArrayLike = 0.0, std: ArrayLike = 1.0):
        self.loc = as_param(mean, "mean")
        self.scale = as_param(std, "std", low=0.0, low_open=True)

    def _z(self, x):
        return (as_points(x) - self.loc) / self.scale

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density."""
        z = self._z(x)
        z *= z
        z *= -0.5
        z -= np.log(self.scale) + _HALF_LOG_2PI
        return scalar_or_array(z)

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cumulative distribution function :math:`\\Phi(z)`."""
        return scalar_or_array(ndtr(self._z(x)))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function :math:`\\Phi(-z)`."""
        return scalar_or_array(ndtr(-self._z(x)))

    def logcdf(self, x: ArrayLike) -> float | FloatArray:
        """Log cdf via ``log_ndtr``."""
        return scalar_or_array(log_ndtr(self._z(x)))

    def logsf(self, x: ArrayLike) -> float | FloatArray:
        """Log survival function via ``log_ndtr(-z)``."""
        return scalar_or_array(log_ndtr(-self._z(x)))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`\\mu + \\sigma \\Phi^{-1}(q)`."""
        return scalar_or_array(self.loc + self.scale * ndtri(as_probabilities(q)))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function :math:`\\mu - \\sigma \\Phi^{-1}(q)`."""
        return scalar_or_array(self.loc - self.scale * ndtri(as_probabilities(q)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`\\mu`."""
        return scalar_or_array(np.broadcast_to(self.loc, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`\\sigma^2`."""
        return scalar_or_array(np.broadcast_to(self.scale**2, self.batch_shape))

    def std(self) -> float | FloatArray:
        """Standard deviation :math:`\\sigma` (directly: :math:`\\sigma^2` may overflow)."""
        return scalar_or_array(np.broadcast_to(self.scale, self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Differential entropy :math:`\\tfrac12 \\log(2\\pi e \\sigma^2)` (nats)."""
        h = 0.5 + _HALF_LOG_2PI + np.log(self.scale)
        return scalar_or_array(np.broadcast_to(h, self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(-inf, inf)``."""
        return -np.inf, np.inf

    def _sample(self, shape, rng):
        z = rng.standard_normal(shape)
        z *= self.scale
        z += self.loc
        return z

    @classmethod
    def fit(cls, data: ArrayLike, axis: int | None = None) -> Self:
        r"""Maximum-likelihood fit: the sample mean and the standard deviation with divisor n.

        Parameters
        ----------
        data : array_like
            Finite observations.
        axis : int or None
            ``None`` (default) fits one normal to every value; an int fits one per slice
            along that axis (a batch, e.g. ``axis=0`` fits each column of a table).

        Raises
        ------
        ValueError
            Fewer than two observations (one point cannot determine a standard deviation),
            all observations equal (the maximum-likelihood standard deviation is 0), NaN/inf.

        Notes
        -----
        Computed at a power-of-two scale :math:`c \ge \max|x|/2` so that squares neither
        overflow nor underflow, with the corrected two-pass sum of squares.

        Examples
        --------
        >>> Normal.fit([1.0, 2.0, 3.0, 4.0]).std().round(6)
        np.float64(1.118034)
        >>> Normal.fit([[1.0, 10.0], [3.0, 30.0]], axis=0).mean()
        array([ 2., 20.])
        """
        x = as_float_array(data, "data", min_ndim=1)
        x = x.reshape(-1, 1) if axis is None else np.moveaxis(x, axis, 0)
        n = x.shape[0]
        if n < 2:
            raise ValueError(
                f"Normal.fit needs at least two observations: {n} point(s) cannot determine a "
                "standard deviation"
            )
        big = np.maximum(x.max(axis=0), -x.min(axis=0))
        c = np.where(big > 0.0, np.ldexp(1.0, np.frexp(big)[1] - 1), 1.0)
        y = x / c
        m0 = y.mean(axis=0)
        d = y - m0
        s1 = d.sum(axis=0)
        ss = np.maximum(np.einsum("i...,i...->...", d, d) - s1 * s1 / n, 0.0)
        if np.any(ss == 0.0):
            raise ValueError(
                "Normal.fit: all observations are equal, so the maximum-likelihood standard "
                "deviation is 0, which no normal distribution has"
            )
        mu = (m0 + s1 / n) * c
        sigma = np.sqrt(ss / n) * c
        if axis is None:
            mu, sigma = mu[0], sigma[0]
        return cls(mu, sigma)
