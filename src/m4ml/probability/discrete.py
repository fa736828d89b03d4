r"""Discrete distributions on the integers: Bernoulli, Binomial, Poisson, Geometric.

Each cdf goes through a classical special function (the binomial cdf through the incomplete
beta function, the Poisson cdf through the incomplete gamma function) and each survival
function through its complement, computed directly. Points off the support, non-integers
included, have probability 0 (``logpmf = -inf``), as in scipy.stats. Categorical and
Multinomial are in :mod:`m4ml.probability.categorical`.
"""

from typing import Self

import numpy as np
from scipy.special import betainc, betaincc, gammainc, gammaincc, gammaln, xlog1py, xlogy

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability._saddle import binomial_logpmf
from m4ml.probability.base import (
    DiscreteDistribution,
    as_count_param,
    as_param,
    as_points,
    as_probabilities,
    as_sample,
    scalar_or_array,
)

__all__ = ["Bernoulli", "Binomial", "Geometric", "Poisson"]


def _integer_points(k):
    """Points as floats, and a mask of those that are (finite) integers."""
    k = as_points(k, "k")
    return k, np.isfinite(k) & (k == np.floor(k))


def _binary_entropy(p):
    return -xlogy(p, p) - xlog1py(1.0 - p, -p)


class Binomial(DiscreteDistribution):
    r"""Binomial distribution: successes in :math:`n` independent trials (``scipy.stats.binom``).

    Parameters
    ----------
    n : array_like
        Number of trials, a non-negative integer.
    p : array_like
        Success probability in :math:`[0, 1]`.

    Raises
    ------
    ValueError
        ``n`` not a non-negative integer, ``p`` outside :math:`[0, 1]`.

    Notes
    -----
    .. math:: P(X = k) = \binom nk p^k (1-p)^{n-k},

    evaluated in Loader's saddle-point form (Stirling errors and deviances, see
    ``m4ml.probability._saddle``), which avoids the cancellation of three large ``gammaln``
    values (:math:`10^{-12}` relative error at :math:`n = 1000`). Integrating
    the beta density by parts gives the cdf as an incomplete beta function,

    .. math:: F(k) = P(X \le k) = I_{1-p}(n - k, k + 1), \qquad S(k) = I_p(k + 1, n - k),

    the survival function computed directly (``betainc``), so far-tail probabilities keep
    their digits. ``ppf``/``isf`` bisect on these over :math:`\{0, \dots, n\}`.
    :math:`E X = np`, :math:`\operatorname{Var}X = np(1-p)`; the entropy is the sum
    :math:`-\sum_k P(k)\log P(k)` over the support. With :math:`n` known the maximum-likelihood
    :math:`\hat p` is :math:`\bar x / n`.

    References
    ----------
    .. [1] M. Abramowitz and I. A. Stegun, *Handbook of Mathematical Functions*, 26.5.24.
    .. [2] C. Loader, "Fast and accurate computation of binomial probabilities", 2000.

    Examples
    --------
    >>> from m4ml.probability.discrete import Binomial
    >>> d = Binomial(10, 0.3)
    >>> print(f"{d.pmf(3):.6f} {d.cdf(3):.6f} {d.sf(3):.6f} {d.ppf(0.5):.0f}")
    0.266828 0.649611 0.350389 3
    """

    _param_names = (("n", "n"), ("p", "p"))

    def __init__(self, n: ArrayLike, p: ArrayLike):
        self.n = as_count_param(n, "n")
        self.p = as_param(p, "p", low=0.0, high=1.0)

    def logpmf(self, k: ArrayLike) -> float | FloatArray:
        """Log probability mass; ``-inf`` off :math:`\\{0, \\dots, n\\}`."""
        k, integer = _integer_points(k)
        n, p = self.n, self.p
        inside = integer & (k >= 0) & (k <= n)
        out = binomial_logpmf(np.where(inside, k, 0.0), n, p)
        return scalar_or_array(np.where(inside, out, -np.inf))

    def cdf(self, k: ArrayLike) -> float | FloatArray:
        """Cdf :math:`I_{1-p}(n - k, k + 1)` at :math:`k = \\lfloor x \\rfloor`."""
        k = np.floor(as_points(k, "k"))
        n, p = self.n, self.p
        kk = np.clip(k, 0.0, np.maximum(n - 1.0, 0.0))
        with np.errstate(invalid="ignore"):
            inner = betaincc(kk + 1.0, n - kk, p)
        return scalar_or_array(np.where(k < 0, 0.0, np.where(k >= n, 1.0, inner)))

    def sf(self, k: ArrayLike) -> float | FloatArray:
        """Survival function :math:`P(X > k) = I_p(k + 1, n - k)`."""
        k = np.floor(as_points(k, "k"))
        n, p = self.n, self.p
        kk = np.clip(k, 0.0, np.maximum(n - 1.0, 0.0))
        with np.errstate(invalid="ignore"):
            inner = betainc(kk + 1.0, n - kk, p)
        return scalar_or_array(np.where(k < 0, 1.0, np.where(k >= n, 0.0, inner)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`np`."""
        return scalar_or_array(np.broadcast_to(self.n * self.p, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`np(1-p)`."""
        return scalar_or_array(np.broadcast_to(self.n * self.p * (1 - self.p), self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Entropy :math:`-\\sum_k P(k) \\log P(k)` (nats), summed over the support."""
        n, p = np.broadcast_arrays(self.n, self.p)
        out = np.empty(n.shape)
        for idx in np.ndindex(n.shape):
            k = np.arange(n[idx] + 1.0)
            lp = np.asarray(Binomial(n[idx], p[idx]).logpmf(k))
            out[idx] = -np.sum(np.exp(lp) * np.where(np.isfinite(lp), lp, 0.0))
        return scalar_or_array(out)

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, n)``."""
        return 0.0, self.n

    def _sample(self, shape, rng):
        n = np.broadcast_to(self.n, shape).astype(np.int64)
        return rng.binomial(n, np.broadcast_to(self.p, shape)).astype(float)

    @classmethod
    def fit(cls, data: ArrayLike, n: ArrayLike) -> Self:
        """Maximum-likelihood ``p = mean(data) / n`` for a known number of trials ``n``."""
        n = as_count_param(n, "n")
        x = as_sample(data)
        if np.any((x < 0) | (x > n) | (x != np.floor(x))):
            raise ValueError("Binomial.fit needs integer data in [0, n]")
        return cls(n, float(x.mean() / n) if n > 0 else 0.0)


class Bernoulli(Binomial):
    r"""Bernoulli distribution on :math:`\{0, 1\}` (``scipy.stats.bernoulli(p)``).

    Parameters
    ----------
    p : array_like
        Probability of 1, in :math:`[0, 1]`.

    Raises
    ------
    ValueError
        ``p`` outside :math:`[0, 1]`.

    Notes
    -----
    :math:`P(X = 1) = p`, :math:`P(X = 0) = 1 - p`: the binomial with :math:`n = 1`, whose
    methods it inherits. :math:`E X = p`, :math:`\operatorname{Var}X = p(1-p)`, entropy
    :math:`-p\log p - (1-p)\log(1-p)`; the maximum-likelihood :math:`\hat p` is the sample
    mean.

    References
    ----------
    .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006, 2.1.

    Examples
    --------
    >>> from m4ml.probability.discrete import Bernoulli
    >>> d = Bernoulli(0.25)
    >>> print(f"{d.pmf(1):.2f} {d.cdf(0):.2f} {d.var():.4f} {d.entropy():.6f}")
    0.25 0.75 0.1875 0.562335
    """

    _param_names = (("p", "p"),)

    def __init__(self, p: ArrayLike):
        self.p = as_param(p, "p", low=0.0, high=1.0)
        self.n = np.float64(1.0)

    def entropy(self) -> float | FloatArray:
        """Entropy :math:`-p\\log p - (1-p)\\log(1-p)` (nats)."""
        return scalar_or_array(_binary_entropy(self.p))

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood ``p``: the fraction of ones (data must be 0/1)."""
        x = as_sample(data)
        if np.any((x != 0) & (x != 1)):
            raise ValueError("Bernoulli.fit needs data of zeros and ones")
        return cls(float(x.mean()))


class Poisson(DiscreteDistribution):
    r"""Poisson distribution with rate :math:`\lambda` (``scipy.stats.poisson(mu)``).

    Parameters
    ----------
    rate : array_like
        Mean number of events :math:`\lambda \ge 0`.

    Raises
    ------
    ValueError
        ``rate < 0`` or not finite.

    Notes
    -----
    .. math:: \log P(X = k) = k\log\lambda - \lambda - \log k!, \qquad
              F(k) = Q(k + 1, \lambda), \quad S(k) = P(k + 1, \lambda),

    where :math:`P, Q` are the regularized incomplete gamma functions: :math:`P(X \le k)` is
    the probability that the :math:`(k+1)`-th event of a unit-rate Poisson process comes
    after time :math:`\lambda`, a Gamma(:math:`k+1`) tail. ``ppf`` bisects on the cdf from a
    bracket :math:`\lambda \pm 10\sqrt\lambda`. :math:`E X = \operatorname{Var}X = \lambda`;
    the entropy is :math:`-\sum_k P(k)\log P(k)` summed over :math:`\lambda \pm
    (40\sqrt\lambda + 40)`. The maximum-likelihood rate is the sample mean.

    References
    ----------
    .. [1] M. Abramowitz and I. A. Stegun, *Handbook of Mathematical Functions*, 26.4.21.

    Examples
    --------
    >>> from m4ml.probability.discrete import Poisson
    >>> d = Poisson(3.0)
    >>> print(f"{d.pmf(2):.6f} {d.cdf(2):.6f} {d.sf(10):.4e} {d.ppf(0.9):.0f}")
    0.224042 0.423190 2.9234e-04 5
    """

    _param_names = (("rate", "rate"),)

    def __init__(self, rate: ArrayLike):
        self.rate = as_param(rate, "rate", low=0.0)

    def logpmf(self, k: ArrayLike) -> float | FloatArray:
        """Log probability mass; ``-inf`` off the non-negative integers."""
        k, integer = _integer_points(k)
        inside = integer & (k >= 0)
        kk = np.where(inside, k, 0.0)
        out = xlogy(kk, self.rate) - gammaln(kk + 1.0) - self.rate
        return scalar_or_array(np.where(inside, out, -np.inf))

    def cdf(self, k: ArrayLike) -> float | FloatArray:
        """Cdf :math:`Q(\\lfloor k \\rfloor + 1, \\lambda)`."""
        k = np.floor(as_points(k, "k"))
        kk = np.maximum(k, 0.0)
        out = np.where(self.rate > 0, gammaincc(kk + 1.0, self.rate), 1.0)
        return scalar_or_array(np.where(k < 0, 0.0, out))

    def sf(self, k: ArrayLike) -> float | FloatArray:
        """Survival function :math:`P(\\lfloor k \\rfloor + 1, \\lambda)`."""
        k = np.floor(as_points(k, "k"))
        kk = np.maximum(k, 0.0)
        out = np.where(self.rate > 0, gammainc(kk + 1.0, self.rate), 0.0)
        return scalar_or_array(np.where(k < 0, 1.0, out))

    def _ppf_bracket(self, q):
        lam = np.broadcast_to(self.rate, self.batch_shape)
        return np.maximum(np.floor(lam - 10.0 * np.sqrt(lam)) - 1.0, 0.0), np.ceil(
            lam + 10.0 * np.sqrt(lam) + 10.0
        )

    def mean(self) -> float | FloatArray:
        """Mean :math:`\\lambda`."""
        return scalar_or_array(np.broadcast_to(self.rate, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`\\lambda`."""
        return self.mean()

    def entropy(self) -> float | FloatArray:
        """Entropy (nats), summed over the bulk of the support."""
        lam = np.broadcast_to(self.rate, self.batch_shape)
        out = np.empty(lam.shape)
        for idx in np.ndindex(lam.shape):
            w = 40.0 * np.sqrt(lam[idx]) + 40.0
            k = np.arange(max(np.floor(lam[idx] - w), 0.0), np.ceil(lam[idx] + w) + 1.0)
            lp = np.asarray(Poisson(lam[idx]).logpmf(k))
            out[idx] = -np.sum(np.exp(lp) * np.where(np.isfinite(lp), lp, 0.0))
        return scalar_or_array(out)

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, inf)``."""
        return 0.0, np.inf

    def _sample(self, shape, rng):
        return rng.poisson(np.broadcast_to(self.rate, shape)).astype(float)

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood rate: the sample mean (data must be non-negative integers)."""
        x = as_sample(data)
        if np.any((x < 0) | (x != np.floor(x))):
            raise ValueError("Poisson.fit needs non-negative integer data")
        return cls(float(x.mean()))


class Geometric(DiscreteDistribution):
    r"""Geometric distribution: trials up to and including the first success (``scipy.stats.geom``).

    Parameters
    ----------
    p : array_like
        Success probability in :math:`(0, 1]`.

    Raises
    ------
    ValueError
        ``p`` outside :math:`(0, 1]`.

    Notes
    -----
    Support :math:`\{1, 2, \dots\}`:

    .. math:: P(X = k) = (1-p)^{k-1}p, \qquad S(k) = (1-p)^k = e^{k\log(1-p)}, \qquad
              F(k) = -\operatorname{expm1}\bigl(k \operatorname{log1p}(-p)\bigr),

    so both tails are accurate. The quantile is
    :math:`\lceil \log(1-q)/\log(1-p) \rceil`, corrected by one where rounding put it past the
    first :math:`k` with :math:`F(k) \ge q`. :math:`E X = 1/p`, :math:`\operatorname{Var}X =
    (1-p)/p^2`, entropy :math:`(-(1-p)\log(1-p) - p\log p)/p`; the maximum-likelihood
    :math:`\hat p` is :math:`1/\bar x`.

    References
    ----------
    .. [1] W. Feller, *An Introduction to Probability Theory and Its Applications*, vol. 1,
       3rd ed., 1968, XI.2.

    Examples
    --------
    >>> from m4ml.probability.discrete import Geometric
    >>> d = Geometric(0.5)
    >>> print(f"{d.pmf(3):.3f} {d.cdf(3):.3f} {d.mean():.1f} {d.ppf(0.9):.0f}")
    0.125 0.875 2.0 4
    """

    _param_names = (("p", "p"),)

    def __init__(self, p: ArrayLike):
        self.p = as_param(p, "p", low=0.0, high=1.0, low_open=True)

    def logpmf(self, k: ArrayLike) -> float | FloatArray:
        """Log probability mass; ``-inf`` off :math:`\\{1, 2, \\dots\\}`."""
        k, integer = _integer_points(k)
        inside = integer & (k >= 1)
        kk = np.where(inside, k, 1.0)
        out = xlog1py(kk - 1.0, -self.p) + np.log(self.p)
        return scalar_or_array(np.where(inside, out, -np.inf))

    def cdf(self, k: ArrayLike) -> float | FloatArray:
        """Cdf :math:`1 - (1-p)^{\\lfloor k \\rfloor}` via ``expm1``."""
        k = np.maximum(np.floor(as_points(k, "k")), 0.0)
        return scalar_or_array(-np.expm1(xlog1py(k, -self.p)))

    def sf(self, k: ArrayLike) -> float | FloatArray:
        """Survival function :math:`(1-p)^{\\lfloor k \\rfloor}`."""
        k = np.maximum(np.floor(as_points(k, "k")), 0.0)
        return scalar_or_array(np.exp(xlog1py(k, -self.p)))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`\\lceil \\log(1-q)/\\log(1-p) \\rceil` (rounding-corrected)."""
        q = as_probabilities(q)
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.ceil(np.log1p(-q) / np.log1p(-self.p))
        k = np.where(np.isnan(k), 1.0, np.maximum(k, 1.0))  # p == 1: every quantile is 1
        back = np.maximum(k - 1.0, 1.0)
        k = np.where((k > 1) & (np.asarray(self.cdf(back)) >= q), back, k)
        return scalar_or_array(np.where(q == 0, 0.0, np.where(q == 1, np.inf, k)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`1/p`."""
        return scalar_or_array(np.broadcast_to(1.0 / self.p, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`(1-p)/p^2`."""
        return scalar_or_array(np.broadcast_to((1.0 - self.p) / self.p**2, self.batch_shape))

    def entropy(self) -> float | FloatArray:
        """Entropy :math:`(-(1-p)\\log(1-p) - p\\log p)/p` (nats)."""
        return scalar_or_array(_binary_entropy(self.p) / self.p)

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(1, inf)``."""
        return 1.0, np.inf

    def _ppf_bracket(self, q):
        return np.ones(self.batch_shape), np.asarray(self.ppf(np.clip(q, 0, 1))) + 1.0

    def _sample(self, shape, rng):
        return rng.geometric(np.broadcast_to(self.p, shape)).astype(float)

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood ``p = 1 / mean(data)`` (data: integers >= 1)."""
        x = as_sample(data)
        if np.any((x < 1) | (x != np.floor(x))):
            raise ValueError("Geometric.fit needs integer data >= 1")
        return cls(float(1.0 / x.mean()))
