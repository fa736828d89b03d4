r"""Distributions whose cdf is the regularized incomplete gamma function.

:math:`P(a, y) = \gamma(a, y)/\Gamma(a)` (``gammainc``) and its complement :math:`Q(a, y)`
(``gammaincc``, computed directly, not as :math:`1 - P`) give the Gamma and chi-squared cdf and
survival function, and, through :math:`y = \beta/x`, those of the inverse gamma; their inverses
(``gammaincinv``, ``gammainccinv``) give ``ppf`` and ``isf``.
"""

from typing import Self

import numpy as np
from scipy.special import digamma, gammainc, gammaincc, gammainccinv, gammaincinv, gammaln, xlogy

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability._fit import gamma_shape_mle, inverse_digamma
from m4ml.probability._saddle import deviance, stirling_error
from m4ml.probability.base import (
    ContinuousDistribution,
    as_param,
    as_points,
    as_probabilities,
    as_sample,
    scalar_or_array,
)

__all__ = ["ChiSquared", "Gamma", "InverseGamma"]


_SADDLE_SHAPE = 10.0


def _standard_gamma_logpdf(a, y):
    r"""Log density of Gamma(``a``, rate 1) at ``y``.

    Below shape 10: :math:`(a-1)\log y - y - \log\Gamma(a)`. From shape 10 on those terms are
    large and cancel (about :math:`2\times10^{-12}` relative error at :math:`a = 2500`), so
    with :math:`m = a - 1` and Stirling's :math:`\log\Gamma(m+1) = m\log m - m +
    \tfrac12\log 2\pi m + \delta(m)` the density is rewritten as
    :math:`-D(m, y) - \tfrac12\log 2\pi m - \delta(m)` with the deviance
    :math:`D(m, y) = m\log(m/y) + y - m` (Loader's form; ``m4ml.probability._saddle``).
    """
    a = np.asarray(a, dtype=float)
    y = np.asarray(y, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if np.all(a < _SADDLE_SHAPE):
            out = xlogy(a - 1.0, y) - y - gammaln(a)
        else:
            m = np.maximum(a - 1.0, _SADDLE_SHAPE - 1.0)
            saddle = -deviance(m, np.maximum(y, 0.0)) - 0.5 * np.log(2 * np.pi * m)
            saddle = saddle - stirling_error(m)
            if np.all(a >= _SADDLE_SHAPE):
                out = saddle
            else:
                out = np.where(a >= _SADDLE_SHAPE, saddle, xlogy(a - 1.0, y) - y - gammaln(a))
    return np.where((y < 0) | (y == np.inf), -np.inf, out)


class Gamma(ContinuousDistribution):
    r"""Gamma distribution with shape :math:`a` and rate :math:`\lambda` (``scipy.stats.gamma(a,
    scale=1/rate)``).

    Parameters
    ----------
    shape : array_like
        Shape :math:`a > 0`.
    rate : array_like, default 1
        Rate :math:`\lambda > 0` (inverse scale).

    Raises
    ------
    ValueError
        A parameter that is not positive and finite.

    Notes
    -----
    With :math:`y = \lambda x`,

    .. math:: \log f(x) = (a - 1)\log y - y - \log\Gamma(a) + \log\lambda, \qquad
              F(x) = P(a, y) = \frac{1}{\Gamma(a)}\int_0^{y} t^{a-1}e^{-t}\,dt,

    the regularized lower incomplete gamma function (``gammainc``); from shape 10 on the log
    density is evaluated in Loader's saddle-point form (Stirling error and deviance), which
    does not cancel for large shapes. The survival function is
    :math:`Q(a, y)` (``gammaincc``), accurate far in the right tail. Quantiles invert them:
    ``ppf`` :math:`= P^{-1}(a, q)/\lambda`, ``isf`` :math:`= Q^{-1}(a, q)/\lambda`.
    :math:`E X = a/\lambda`, :math:`\operatorname{Var}X = a/\lambda^2`, entropy
    :math:`a - \log\lambda + \log\Gamma(a) + (1 - a)\psi(a)`.

    Maximum likelihood: :math:`\hat\lambda = \hat a/\bar x` and :math:`\hat a` solves
    :math:`\log a - \psi(a) = \log\bar x - \overline{\log x}`, found by Newton's method from
    Minka's closed-form start (a handful of iterations; the function is convex and decreasing).

    References
    ----------
    .. [1] T. P. Minka, "Estimating a Gamma distribution", 2002.
    .. [2] N. M. Temme, *Special Functions*, Wiley, 1996, ch. 11 (incomplete gamma functions).

    Examples
    --------
    >>> from m4ml.probability.gamma_family import Gamma
    >>> d = Gamma(2.0, rate=0.5)
    >>> print(f"{d.mean():.1f} {d.var():.1f} {d.cdf(4.0):.6f} {d.ppf(0.5):.6f}")
    4.0 8.0 0.593994 3.356694
    """

    _param_names = (("shape", "shape"), ("rate", "rate"))

    def __init__(self, shape: ArrayLike, rate: ArrayLike = 1.0):
        self.shape = as_param(shape, "shape", low=0.0, low_open=True)
        self.rate = as_param(rate, "rate", low=0.0, low_open=True)

    def _a(self):
        return self.shape

    def _y(self, x):
        return as_points(x) * self.rate

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density; ``-inf`` for ``x < 0`` and at ``x = inf``."""
        return scalar_or_array(_standard_gamma_logpdf(self._a(), self._y(x)) + np.log(self.rate))

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf :math:`P(a, \\lambda x)`."""
        return scalar_or_array(gammainc(self._a(), np.maximum(self._y(x), 0.0)))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function :math:`Q(a, \\lambda x)`."""
        return scalar_or_array(gammaincc(self._a(), np.maximum(self._y(x), 0.0)))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`P^{-1}(a, q) / \\lambda`."""
        return scalar_or_array(gammaincinv(self._a(), as_probabilities(q)) / self.rate)

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function :math:`Q^{-1}(a, q) / \\lambda`."""
        return scalar_or_array(gammainccinv(self._a(), as_probabilities(q)) / self.rate)

    def mean(self) -> float | FloatArray:
        """Mean :math:`a / \\lambda`."""
        return scalar_or_array(np.broadcast_to(self._a() / self.rate, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`a / \\lambda^2`."""
        return scalar_or_array(np.broadcast_to(self._a() / self.rate**2, self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Differential entropy (nats)."""
        a = self._a()
        h = a - np.log(self.rate) + gammaln(a) + (1.0 - a) * digamma(a)
        return scalar_or_array(np.broadcast_to(h, self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, inf)``."""
        return 0.0, np.inf

    def _sample(self, shape, rng):
        return rng.standard_gamma(np.broadcast_to(self._a(), shape)) / self.rate

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood fit (Newton on the shape equation); data must be positive."""
        x = as_sample(data, min_size=2)
        if np.any(x <= 0):
            raise ValueError("Gamma.fit needs positive data")
        s = np.log(x.mean()) - np.mean(np.log(x))
        if s <= 0:
            raise ValueError("Gamma.fit needs data that are not all equal")
        a = float(gamma_shape_mle(s))
        return cls(a, a / x.mean())


class ChiSquared(Gamma):
    r"""Chi-squared distribution with :math:`k` degrees of freedom (``scipy.stats.chi2(df)``).

    It is :math:`\mathrm{Gamma}(k/2, \text{rate } 1/2)`: the sum of :math:`k` squared
    independent standard normals.

    Parameters
    ----------
    df : array_like
        Degrees of freedom :math:`k > 0` (need not be an integer).

    Raises
    ------
    ValueError
        ``df <= 0`` or not finite.

    Notes
    -----
    .. math:: \log f(x) = (k/2 - 1)\log x - x/2 - \tfrac k2\log 2 - \log\Gamma(k/2),
              \qquad F(x) = P(k/2, x/2),

    the regularized incomplete gamma function; ``sf`` :math:`= Q(k/2, x/2)`, ``ppf``
    :math:`= 2P^{-1}(k/2, q)`. :math:`E X = k`, :math:`\operatorname{Var}X = 2k`, entropy
    :math:`k/2 + \log 2 + \log\Gamma(k/2) + (1 - k/2)\psi(k/2)`. The maximum-likelihood
    :math:`\hat k` solves :math:`\psi(k/2) = \overline{\log x} - \log 2` (inverse digamma by
    Newton).

    References
    ----------
    .. [1] M. Abramowitz and I. A. Stegun, *Handbook of Mathematical Functions*, 26.4.

    Examples
    --------
    >>> from m4ml.probability.gamma_family import ChiSquared
    >>> d = ChiSquared(3)
    >>> print(f"{d.mean():.1f} {d.var():.1f} {d.sf(7.814727903251178):.6f}")
    3.0 6.0 0.050000
    """

    _param_names = (("df", "df"),)

    def __init__(self, df: ArrayLike):
        self.df = as_param(df, "df", low=0.0, low_open=True)
        self.rate = np.float64(0.5)

    def _a(self):
        return self.df / 2.0

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood df: :math:`\\psi(k/2) = \\overline{\\log x} - \\log 2`."""
        x = as_sample(data)
        if np.any(x <= 0):
            raise ValueError("ChiSquared.fit needs positive data")
        return cls(2.0 * float(inverse_digamma(np.mean(np.log(x)) - np.log(2.0))))


class InverseGamma(ContinuousDistribution):
    r"""Inverse-gamma distribution (``scipy.stats.invgamma(a, scale=scale)``).

    :math:`X = 1/Y` with :math:`Y \sim \mathrm{Gamma}(a, \text{rate } \beta)`: the conjugate
    prior of a normal variance.

    Parameters
    ----------
    shape : array_like
        Shape :math:`a > 0`.
    scale : array_like, default 1
        Scale :math:`\beta > 0`.

    Raises
    ------
    ValueError
        A parameter that is not positive and finite.

    Notes
    -----
    With :math:`y = x/\beta`,

    .. math:: \log f(x) = -(a + 1)\log y - 1/y - \log\Gamma(a) - \log\beta, \qquad
              F(x) = Q(a, \beta/x), \quad S(x) = P(a, \beta/x),

    since :math:`X \le x \iff Y \ge 1/x`. ``ppf`` :math:`= \beta / Q^{-1}(a, q)`, ``isf``
    :math:`= \beta / P^{-1}(a, q)`. :math:`E X = \beta/(a - 1)` for :math:`a > 1`,
    :math:`\operatorname{Var}X = \beta^2/((a-1)^2(a-2))` for :math:`a > 2` (``inf``/``nan``
    otherwise, as scipy), entropy :math:`a + \log\beta + \log\Gamma(a) - (1 + a)\psi(a)`. The
    maximum-likelihood fit is the Gamma fit of :math:`1/x`: same shape, rate = scale.

    References
    ----------
    .. [1] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., 2013, appendix A.

    Examples
    --------
    >>> from m4ml.probability.gamma_family import InverseGamma
    >>> d = InverseGamma(3.0, scale=2.0)
    >>> print(f"{d.mean():.1f} {d.var():.1f} {d.cdf(1.0):.6f}")
    1.0 1.0 0.676676
    """

    _param_names = (("shape", "shape"), ("scale", "scale"))

    def __init__(self, shape: ArrayLike, scale: ArrayLike = 1.0):
        self.shape = as_param(shape, "shape", low=0.0, low_open=True)
        self.scale = as_param(scale, "scale", low=0.0, low_open=True)

    def _inv(self, x):
        y = as_points(x) / self.scale
        with np.errstate(divide="ignore"):
            return y, np.where(y > 0, 1.0 / np.where(y > 0, y, 1.0), np.inf)

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density; ``-inf`` for ``x <= 0``."""
        y, iy = self._inv(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = -(self.shape + 1.0) * np.log(y) - iy - gammaln(self.shape) - np.log(self.scale)
        return scalar_or_array(np.where(y > 0, out, -np.inf))

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf :math:`Q(a, \\beta/x)`."""
        _, iy = self._inv(x)
        return scalar_or_array(gammaincc(self.shape, iy))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function :math:`P(a, \\beta/x)`."""
        _, iy = self._inv(x)
        return scalar_or_array(gammainc(self.shape, iy))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`\\beta / Q^{-1}(a, q)`."""
        with np.errstate(divide="ignore"):
            return scalar_or_array(self.scale / gammainccinv(self.shape, as_probabilities(q)))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function :math:`\\beta / P^{-1}(a, q)`."""
        with np.errstate(divide="ignore"):
            return scalar_or_array(self.scale / gammaincinv(self.shape, as_probabilities(q)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`\\beta/(a - 1)`, ``inf`` for :math:`a \\le 1`."""
        a, b = np.broadcast_arrays(self.shape, self.scale)
        with np.errstate(divide="ignore"):
            return scalar_or_array(np.where(a > 1, b / np.maximum(a - 1.0, 1e-300), np.inf))

    def var(self) -> float | FloatArray:
        """Variance :math:`\\beta^2/((a-1)^2(a-2))`, ``inf`` for :math:`a \\le 2`."""
        a, b = np.broadcast_arrays(self.shape, self.scale)
        safe = np.maximum(a, 2.5)
        v = b**2 / ((safe - 1.0) ** 2 * (safe - 2.0))
        return scalar_or_array(np.where(a > 2, v, np.inf))

    def entropy(self) -> float | FloatArray:
        """Differential entropy (nats)."""
        a = self.shape
        h = a + np.log(self.scale) + gammaln(a) - (1.0 + a) * digamma(a)
        return scalar_or_array(np.broadcast_to(h, self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, inf)``."""
        return 0.0, np.inf

    def _sample(self, shape, rng):
        return self.scale / rng.standard_gamma(np.broadcast_to(self.shape, shape))

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood fit (the Gamma fit of ``1/data``)."""
        x = as_sample(data, min_size=2)
        if np.any(x <= 0):
            raise ValueError("InverseGamma.fit needs positive data")
        g = Gamma.fit(1.0 / x)
        return cls(float(g.shape), float(g.rate))
