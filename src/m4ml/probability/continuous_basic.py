r"""Continuous distributions with elementary closed forms: Uniform, Exponential, Laplace.

Their cdfs and quantiles need only ``exp``/``log``; the tails are kept accurate with
``expm1``/``log1p`` (e.g. the exponential cdf :math:`1 - e^{-\lambda x}` is
``-expm1(-rate * x)``, exact for tiny :math:`x`).
"""

from typing import Self

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability.base import (
    ContinuousDistribution,
    as_param,
    as_points,
    as_probabilities,
    as_sample,
    scalar_or_array,
)

__all__ = ["Exponential", "Laplace", "Uniform"]


class Uniform(ContinuousDistribution):
    r"""Continuous uniform distribution on :math:`[a, b]` (``scipy.stats.uniform(a, b - a)``).

    Parameters
    ----------
    low, high : array_like
        Endpoints :math:`a < b`.

    Raises
    ------
    ValueError
        ``high <= low`` or a non-finite endpoint.

    Notes
    -----
    :math:`f(x) = 1/(b - a)` on :math:`[a, b]`, :math:`F(x) = (x - a)/(b - a)` clipped to
    :math:`[0, 1]`, ``sf`` :math:`= (b - x)/(b - a)`, ``ppf`` :math:`= a + q(b - a)`.
    :math:`E X = (a+b)/2`, :math:`\operatorname{Var}X = (b-a)^2/12`, entropy
    :math:`\log(b - a)`. The maximum-likelihood fit is :math:`(\min x, \max x)`.

    References
    ----------
    .. [1] G. Casella and R. L. Berger, *Statistical Inference*, 2nd ed., 2002, 3.3.

    Examples
    --------
    >>> from m4ml.probability.continuous_basic import Uniform
    >>> d = Uniform(2.0, 6.0)
    >>> print(f"{d.pdf(3.0):.2f} {d.cdf(3.0):.2f} {d.var():.4f} {d.entropy():.4f}")
    0.25 0.25 1.3333 1.3863
    """

    _param_names = (("low", "low"), ("high", "high"))

    def __init__(self, low: ArrayLike = 0.0, high: ArrayLike = 1.0):
        self.low = as_param(low, "low")
        self.high = as_param(high, "high")
        if np.any(self.high <= self.low):
            raise ValueError("high must be > low for every pair of endpoints")

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density; ``-inf`` outside :math:`[a, b]`."""
        x = as_points(x)
        inside = (x >= self.low) & (x <= self.high)
        return scalar_or_array(np.where(inside, -np.log(self.high - self.low), -np.inf))

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf :math:`(x - a)/(b - a)`, clipped."""
        return scalar_or_array(np.clip((as_points(x) - self.low) / (self.high - self.low), 0, 1))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function :math:`(b - x)/(b - a)`, clipped."""
        return scalar_or_array(np.clip((self.high - as_points(x)) / (self.high - self.low), 0, 1))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`a + q(b - a)`."""
        return scalar_or_array(self.low + as_probabilities(q) * (self.high - self.low))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function :math:`b - q(b - a)`."""
        return scalar_or_array(self.high - as_probabilities(q) * (self.high - self.low))

    def mean(self) -> float | FloatArray:
        """Mean :math:`(a + b)/2`."""
        return scalar_or_array(np.broadcast_to((self.low + self.high) / 2, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`(b - a)^2 / 12`."""
        return scalar_or_array(np.broadcast_to((self.high - self.low) ** 2 / 12, self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Differential entropy :math:`\\log(b - a)`."""
        return scalar_or_array(np.broadcast_to(np.log(self.high - self.low), self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(low, high)``."""
        return self.low, self.high

    def _sample(self, shape, rng):
        return self.low + (self.high - self.low) * rng.random(shape)

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood endpoints: the sample minimum and maximum."""
        x = as_sample(data, min_size=2)
        if np.ptp(x) == 0:
            raise ValueError("Uniform.fit needs data that are not all equal")
        return cls(x.min(), x.max())


class Exponential(ContinuousDistribution):
    r"""Exponential distribution with rate :math:`\lambda` (``scipy.stats.expon(scale=1/rate)``).

    Parameters
    ----------
    rate : array_like, default 1
        Rate :math:`\lambda > 0`.

    Raises
    ------
    ValueError
        ``rate <= 0`` or not finite.

    Notes
    -----
    .. math:: f(x) = \lambda e^{-\lambda x}, \quad F(x) = -\operatorname{expm1}(-\lambda x),
              \quad S(x) = e^{-\lambda x}, \quad F^{-1}(q) = -\operatorname{log1p}(-q)/\lambda

    for :math:`x \ge 0`; ``isf`` :math:`= -\log(q)/\lambda`. :math:`E X = 1/\lambda`,
    :math:`\operatorname{Var}X = 1/\lambda^2`, entropy :math:`1 - \log\lambda`. The
    maximum-likelihood rate is :math:`1/\bar x`.

    References
    ----------
    .. [1] W. Feller, *An Introduction to Probability Theory and Its Applications*, vol. 2,
       1971, I.3.

    Examples
    --------
    >>> from m4ml.probability.continuous_basic import Exponential
    >>> d = Exponential(2.0)
    >>> print(f"{d.mean():.2f} {d.cdf(1.0):.6f} {d.sf(1.0):.6f} {d.ppf(0.5):.6f}")
    0.50 0.864665 0.135335 0.346574
    """

    _param_names = (("rate", "rate"),)

    def __init__(self, rate: ArrayLike = 1.0):
        self.rate = as_param(rate, "rate", low=0.0, low_open=True)

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density; ``-inf`` for ``x < 0``."""
        x = as_points(x)
        out = np.log(self.rate) - self.rate * x
        return scalar_or_array(np.where(x < 0, -np.inf, out))

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf :math:`1 - e^{-\\lambda x}` via ``expm1``."""
        return scalar_or_array(-np.expm1(-self.rate * np.maximum(as_points(x), 0.0)))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function :math:`e^{-\\lambda x}`."""
        return scalar_or_array(np.exp(-self.rate * np.maximum(as_points(x), 0.0)))

    def logsf(self, x: ArrayLike) -> float | FloatArray:
        """Log survival function :math:`-\\lambda x`."""
        return scalar_or_array(-self.rate * np.maximum(as_points(x), 0.0))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`-\\operatorname{log1p}(-q)/\\lambda`."""
        with np.errstate(divide="ignore"):
            return scalar_or_array(-np.log1p(-as_probabilities(q)) / self.rate)

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function :math:`-\\log(q)/\\lambda`."""
        with np.errstate(divide="ignore"):
            return scalar_or_array(-np.log(as_probabilities(q)) / self.rate)

    def mean(self) -> float | FloatArray:
        """Mean :math:`1/\\lambda`."""
        return scalar_or_array(np.broadcast_to(1.0 / self.rate, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`1/\\lambda^2`."""
        return scalar_or_array(np.broadcast_to(1.0 / self.rate**2, self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Differential entropy :math:`1 - \\log\\lambda`."""
        return scalar_or_array(np.broadcast_to(1.0 - np.log(self.rate), self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, inf)``."""
        return 0.0, np.inf

    def _sample(self, shape, rng):
        return rng.standard_exponential(shape) / self.rate

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood rate :math:`1/\\bar x` (data must be non-negative)."""
        x = as_sample(data)
        if np.any(x < 0) or x.mean() == 0:
            raise ValueError("Exponential.fit needs non-negative data with a positive mean")
        return cls(1.0 / x.mean())


class Laplace(ContinuousDistribution):
    r"""Laplace (double exponential) distribution (``scipy.stats.laplace(loc, scale)``).

    Parameters
    ----------
    loc : array_like, default 0
        Location :math:`\mu` (mean and median).
    scale : array_like, default 1
        Scale :math:`b > 0`.

    Raises
    ------
    ValueError
        ``scale <= 0`` or a non-finite parameter.

    Notes
    -----
    With :math:`z = (x - \mu)/b`: :math:`f(x) = e^{-|z|}/(2b)`, :math:`F(x) = \tfrac12 e^{z}`
    for :math:`z < 0` and :math:`1 - \tfrac12 e^{-z}` otherwise (each tail from its own
    exponential, so both keep full precision); ``ppf`` :math:`= \mu + b\log(2q)` for
    :math:`q < 1/2` and :math:`\mu - b\log(2(1 - q))` above. :math:`E X = \mu`,
    :math:`\operatorname{Var}X = 2b^2`, entropy :math:`1 + \log(2b)`. Maximum likelihood:
    :math:`\hat\mu` is the sample median and :math:`\hat b` the mean absolute deviation from it.

    References
    ----------
    .. [1] S. Kotz, T. J. Kozubowski and K. Podgórski, *The Laplace Distribution and
       Generalizations*, Birkhäuser, 2001, ch. 2.

    Examples
    --------
    >>> from m4ml.probability.continuous_basic import Laplace
    >>> d = Laplace(1.0, 2.0)
    >>> print(f"{d.pdf(1.0):.4f} {d.cdf(3.0):.6f} {d.var():.1f} {d.ppf(0.25):.6f}")
    0.2500 0.816060 8.0 -0.386294
    """

    _param_names = (("loc", "loc"), ("scale", "scale"))

    def __init__(self, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0):
        self.loc = as_param(loc, "loc")
        self.scale = as_param(scale, "scale", low=0.0, low_open=True)

    def _z(self, x):
        return (as_points(x) - self.loc) / self.scale

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density :math:`-|z| - \\log(2b)`."""
        return scalar_or_array(-np.abs(self._z(x)) - np.log(2.0 * self.scale))

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf, each side from its own exponential."""
        z = self._z(x)
        half = 0.5 * np.exp(-np.abs(z))
        return scalar_or_array(np.where(z < 0, half, 1.0 - half))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function ``cdf`` of the reflected point."""
        z = self._z(x)
        half = 0.5 * np.exp(-np.abs(z))
        return scalar_or_array(np.where(z > 0, half, 1.0 - half))

    def _quantile(self, q, sign):
        lower = q < 0.5
        with np.errstate(divide="ignore"):
            tail = np.log(2.0 * np.where(lower, q, 1.0 - q))
        return scalar_or_array(self.loc + sign * self.scale * np.where(lower, tail, -tail))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile (see Notes)."""
        return self._quantile(as_probabilities(q), 1.0)

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function, the reflected quantile."""
        return self._quantile(as_probabilities(q), -1.0)

    def mean(self) -> float | FloatArray:
        """Mean :math:`\\mu`."""
        return scalar_or_array(np.broadcast_to(self.loc, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`2b^2`."""
        return scalar_or_array(np.broadcast_to(2.0 * self.scale**2, self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Differential entropy :math:`1 + \\log(2b)`."""
        return scalar_or_array(np.broadcast_to(1.0 + np.log(2.0 * self.scale), self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(-inf, inf)``."""
        return -np.inf, np.inf

    def _sample(self, shape, rng):
        return rng.laplace(np.broadcast_to(self.loc, shape), np.broadcast_to(self.scale, shape))

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum likelihood: median and mean absolute deviation from it."""
        x = as_sample(data, min_size=2)
        mu = np.median(x)
        b = np.mean(np.abs(x - mu))
        if b == 0:
            raise ValueError("Laplace.fit needs data that are not all equal")
        return cls(mu, b)
