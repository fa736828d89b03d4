r"""Posterior predictive distributions of the conjugate models (:mod:`m4ml.stats.bayes`).

The conjugate models of :mod:`m4ml.stats.bayes` predict new data with three compound
distributions that :mod:`m4ml.probability` does not define:

* :class:`NegativeBinomial` — a Poisson count whose rate is Gamma distributed
  (``GammaPoisson``'s predictive), ``scipy.stats.nbinom(n, p)``;
* :class:`BetaBinomialDistribution` — a binomial count whose success probability is Beta
  distributed (``BetaBinomial``'s predictive), ``scipy.stats.betabinom(n, a, b)``;
* :class:`DirichletMultinomialDistribution` — multinomial counts whose probabilities are
  Dirichlet distributed (``DirichletMultinomial``'s predictive),
  ``scipy.stats.dirichlet_multinomial(alpha, n)``.

Each is a frozen distribution in the style of :mod:`m4ml.probability` (``pmf``/``logpmf``,
``cdf``/``sf``/``ppf`` for the univariate ones, ``mean``, ``var``, ``sample(size, rng)``).
"""

import numpy as np
from scipy.special import betainc, betaincc, betaln, gammaln, xlog1py

from m4ml._core import as_float_array, check_rng, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.probability.base import (
    DiscreteDistribution,
    as_count_param,
    as_param,
    as_points,
    as_probabilities,
    scalar_or_array,
)

__all__ = ["BetaBinomialDistribution", "DirichletMultinomialDistribution", "NegativeBinomial"]


def _integer_points(k):
    k = as_points(k, "k")
    return k, k == np.floor(k)


class NegativeBinomial(DiscreteDistribution):
    r"""Negative binomial distribution: failures before the ``n``-th success
    (``scipy.stats.nbinom(n, p)``).

    Parameters
    ----------
    n : array_like
        Number of successes :math:`r > 0` (any positive real: the Gamma–Poisson mixture).
    p : array_like
        Success probability :math:`0 < p \le 1`.

    Raises
    ------
    ValueError
        ``n <= 0`` or ``p`` outside :math:`(0, 1]`.

    Notes
    -----
    .. math:: P(K = k) = \frac{\Gamma(k + r)}{\Gamma(r)\,k!}\, p^r (1 - p)^k,
              \qquad k = 0, 1, 2, \dots

    It is the Poisson distribution mixed over a Gamma rate: if
    :math:`\lambda \sim \mathrm{Gamma}(r, \text{rate } \beta)` and
    :math:`K \mid \lambda \sim \mathrm{Poisson}(\lambda)`, then :math:`K` is negative binomial
    with :math:`p = \beta/(\beta + 1)`. The cdf is a regularized incomplete beta function,
    :math:`F(k) = I_p(r, \lfloor k\rfloor + 1)` (the probability that the
    :math:`(\lfloor k\rfloor + r)`-th trial has not yet been needed), and the survival function
    its complement ``betaincc``, so the right tail keeps its digits. :math:`E K = r(1-p)/p`,
    :math:`\operatorname{Var} K = r(1-p)/p^2`. Sampling draws the Gamma rate, then the Poisson.

    References
    ----------
    .. [1] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, sec. 2.6.

    Examples
    --------
    >>> d = NegativeBinomial(3, 0.5)
    >>> print(f"{d.pmf(2):.6f} {d.cdf(2):.6f} {d.mean():.1f} {d.var():.1f} {d.ppf(0.5):.0f}")
    0.187500 0.500000 3.0 6.0 2
    """

    _param_names = (("n", "n"), ("p", "p"))

    def __init__(self, n: ArrayLike, p: ArrayLike):
        self.n = as_param(n, "n", low=0.0, low_open=True)
        self.p = as_param(p, "p", low=0.0, low_open=True, high=1.0)

    def logpmf(self, k: ArrayLike) -> float | FloatArray:
        """Log probability mass; ``-inf`` off the non-negative integers."""
        k, integer = _integer_points(k)
        inside = integer & (k >= 0)
        kk = np.where(inside, k, 0.0)
        r, p = self.n, self.p
        out = gammaln(kk + r) - gammaln(r) - gammaln(kk + 1.0) + r * np.log(p) + xlog1py(kk, -p)
        return scalar_or_array(np.where(inside, out, -np.inf))

    def cdf(self, k: ArrayLike) -> float | FloatArray:
        """Cdf :math:`I_p(r, \\lfloor k \\rfloor + 1)`."""
        k = np.floor(as_points(k, "k"))
        out = betainc(self.n, np.maximum(k, 0.0) + 1.0, self.p)
        return scalar_or_array(np.where(k < 0, 0.0, out))

    def sf(self, k: ArrayLike) -> float | FloatArray:
        """Survival function :math:`1 - I_p(r, \\lfloor k \\rfloor + 1)` (``betaincc``)."""
        k = np.floor(as_points(k, "k"))
        out = betaincc(self.n, np.maximum(k, 0.0) + 1.0, self.p)
        return scalar_or_array(np.where(k < 0, 1.0, out))

    def _ppf_bracket(self, q):
        mean = np.broadcast_to(np.asarray(self.mean(), dtype=float), self.batch_shape)
        return np.zeros(self.batch_shape), np.ceil(mean) + 1.0

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile: the smallest :math:`k` with :math:`F(k) \\ge q` (``inf`` at ``q = 1``)."""
        q = as_probabilities(q)
        return scalar_or_array(np.where(q == 1.0, np.inf, super().ppf(np.where(q == 1.0, 0.5, q))))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function (``inf`` at ``q = 0``)."""
        q = as_probabilities(q)
        return scalar_or_array(np.where(q == 0.0, np.inf, super().isf(np.where(q == 0.0, 0.5, q))))

    def mean(self) -> float | FloatArray:
        """Mean :math:`r(1-p)/p`."""
        return scalar_or_array(np.broadcast_to(self.n * (1.0 - self.p) / self.p, self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`r(1-p)/p^2`."""
        v = self.n * (1.0 - self.p) / self.p**2
        return scalar_or_array(np.broadcast_to(v, self.batch_shape))

    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return 0.0, np.inf

    def _sample(self, shape, rng):
        r, p = np.broadcast_to(self.n, shape), np.broadcast_to(self.p, shape)
        with np.errstate(divide="ignore"):
            lam = rng.standard_gamma(r) * ((1.0 - p) / p)
        return rng.poisson(lam).astype(float)


class BetaBinomialDistribution(DiscreteDistribution):
    r"""Beta-binomial distribution (``scipy.stats.betabinom(n, a, b)``).

    Parameters
    ----------
    n : array_like
        Number of trials, a non-negative integer.
    a, b : array_like
        Beta shape parameters :math:`a, b > 0`.

    Raises
    ------
    ValueError
        ``n`` not a non-negative integer, or ``a``/``b`` not positive.

    Notes
    -----
    If :math:`\theta \sim \mathrm{Beta}(a, b)` and :math:`K \mid \theta \sim
    \mathrm{Binomial}(n, \theta)`, then

    .. math:: P(K = k) = \binom nk \frac{B(k + a, n - k + b)}{B(a, b)}, \qquad k = 0, \dots, n,

    computed in logs with :math:`\log\binom nk = -\log(n + 1) - \log B(n - k + 1, k + 1)`.
    The support is finite, so ``cdf`` and ``sf`` sum the mass table from the left and from the
    right respectively (each tail summed in the tail, no :math:`1 - F` cancellation); the cost
    is :math:`O(n)` per parameter set, once, plus a table look-up per point.
    :math:`E K = na/(a+b)`, :math:`\operatorname{Var} K = nab(a+b+n)/((a+b)^2(a+b+1))`.

    References
    ----------
    .. [1] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, sec. 2.4.

    Examples
    --------
    >>> d = BetaBinomialDistribution(2, 1.0, 1.0)  # a uniform prior: each count 1/3
    >>> print(d.pmf([0, 1, 2]), d.cdf(1), d.mean())
    [0.33333333 0.33333333 0.33333333] 0.6666666666666666 1.0
    """

    _param_names = (("n", "n"), ("a", "a"), ("b", "b"))

    def __init__(self, n: ArrayLike, a: ArrayLike, b: ArrayLike):
        self.n = as_count_param(n, "n")
        self.a = as_param(a, "a", low=0.0, low_open=True)
        self.b = as_param(b, "b", low=0.0, low_open=True)
        self._tables = None

    def _logpmf_inside(self, k):
        n, a, b = self.n, self.a, self.b
        return -np.log1p(n) - betaln(n - k + 1.0, k + 1.0) + betaln(k + a, n - k + b) - betaln(a, b)

    def logpmf(self, k: ArrayLike) -> float | FloatArray:
        """Log probability mass; ``-inf`` off :math:`\\{0, \\dots, n\\}`."""
        k, integer = _integer_points(k)
        inside = integer & (k >= 0) & (k <= self.n)
        kk = np.where(inside, k, 0.0)
        return scalar_or_array(np.where(inside, self._logpmf_inside(kk), -np.inf))

    def _cumulative(self):
        """Mass table over 0..max(n) (zero beyond each n), its left and right cumulative sums."""
        if self._tables is None:
            j = np.arange(int(np.max(self.n)) + 1, dtype=float)
            shape = (*self.batch_shape, 1)
            n = np.reshape(np.broadcast_to(self.n, self.batch_shape), shape)
            inside = j <= n
            jj = np.where(inside, j, 0.0)
            with np.errstate(invalid="ignore"):
                lp = np.where(
                    inside,
                    -np.log1p(n)
                    - betaln(n - jj + 1.0, jj + 1.0)
                    + betaln(jj + self.a[..., None], n - jj + self.b[..., None])
                    - betaln(self.a, self.b)[..., None],
                    -np.inf,
                )
            pmf = np.exp(lp)
            left = np.cumsum(pmf, axis=-1)
            right = np.cumsum(pmf[..., ::-1], axis=-1)[..., ::-1]  # P(K >= j)
            self._tables = (lp, left, right)
        return self._tables

    def _lookup(self, table, index):
        index = np.asarray(index, dtype=np.intp)
        if table.ndim == 1:
            return table[index]
        shape = np.broadcast_shapes(index.shape, table.shape[:-1])
        full = np.broadcast_to(table, shape + table.shape[-1:])
        return np.take_along_axis(full, np.broadcast_to(index, shape)[..., None], axis=-1)[..., 0]

    def cdf(self, k: ArrayLike) -> float | FloatArray:
        """Cdf, the left cumulative sum of the mass table."""
        k = np.floor(as_points(k, "k"))
        _, left, _ = self._cumulative()
        top = left.shape[-1] - 1
        out = self._lookup(left, np.clip(k, 0, top))
        return scalar_or_array(np.where(k < 0, 0.0, np.where(k >= self.n, 1.0, out)))

    def sf(self, k: ArrayLike) -> float | FloatArray:
        """Survival function :math:`P(K > k)`, the right cumulative sum of the mass table."""
        k = np.floor(as_points(k, "k"))
        _, _, right = self._cumulative()
        top = right.shape[-1] - 1
        out = self._lookup(right, np.clip(k + 1.0, 0, top))
        return scalar_or_array(np.where(k < 0, 1.0, np.where(k >= self.n, 0.0, out)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`na/(a+b)`."""
        return scalar_or_array(
            np.broadcast_to(self.n * self.a / (self.a + self.b), self.batch_shape)
        )

    def var(self) -> float | FloatArray:
        """Variance :math:`nab(a+b+n)/((a+b)^2(a+b+1))`."""
        n, a, b = self.n, self.a, self.b
        s = a + b
        return scalar_or_array(
            np.broadcast_to(n * a * b * (s + n) / (s * s * (s + 1.0)), self.batch_shape)
        )

    def entropy(self) -> float | FloatArray:
        """Entropy (nats), :math:`-\\sum_k P(k)\\log P(k)` over the support."""
        lp, _, _ = self._cumulative()
        terms = np.where(np.isfinite(lp), -np.exp(lp) * lp, 0.0)
        return scalar_or_array(np.sum(terms, axis=-1))

    def support(self) -> tuple[float, float | FloatArray]:
        """``(0, n)``."""
        return 0.0, self.n

    def _sample(self, shape, rng):
        theta = rng.beta(np.broadcast_to(self.a, shape), np.broadcast_to(self.b, shape))
        return rng.binomial(np.broadcast_to(self.n, shape).astype(np.int64), theta).astype(float)


class DirichletMultinomialDistribution:
    r"""Dirichlet-multinomial distribution of :math:`K` category counts
    (``scipy.stats.dirichlet_multinomial(alpha, n)``).

    Parameters
    ----------
    n : int
        Number of draws, a non-negative integer.
    alpha : array_like, shape (K,)
        Concentration parameters :math:`\alpha_i > 0`, :math:`K \ge 1`.

    Raises
    ------
    ValueError
        ``n`` not a non-negative integer, or ``alpha`` not a 1-D array of positive numbers.

    Notes
    -----
    If :math:`\theta \sim \mathrm{Dirichlet}(\alpha)` and :math:`x \mid \theta \sim
    \mathrm{Multinomial}(n, \theta)`, then with :math:`A = \sum_i \alpha_i`

    .. math:: P(x) = \frac{n!\,\Gamma(A)}{\Gamma(n + A)}
              \prod_{i=1}^K \frac{\Gamma(x_i + \alpha_i)}{x_i!\,\Gamma(\alpha_i)},
              \qquad x_i \in \{0, 1, \dots\},\ \textstyle\sum_i x_i = n,

    evaluated with ``gammaln``. :math:`E x_i = n\alpha_i/A` and
    :math:`\operatorname{Cov}(x_i, x_j) = n \frac{n + A}{1 + A}\,\bar\alpha_i(\delta_{ij} -
    \bar\alpha_j)` with :math:`\bar\alpha = \alpha/A`: the multinomial covariance inflated by
    :math:`(n + A)/(1 + A)`. Sampling draws the Dirichlet probabilities, then the multinomial.

    References
    ----------
    .. [1] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press, 2012,
       sec. 3.4.

    Examples
    --------
    >>> d = DirichletMultinomialDistribution(2, [1.0, 1.0, 1.0])
    >>> print(f"{d.pmf([1, 1, 0]):.6f} {d.pmf([2, 0, 0]):.6f}", d.mean())
    0.166667 0.166667 [0.66666667 0.66666667 0.66666667]
    """

    def __init__(self, n: int, alpha: ArrayLike):
        self.n = float(as_count_param(n, "n"))
        alpha = as_float_array(alpha, "alpha", min_ndim=1, max_ndim=1)
        if alpha.size == 0 or np.any(alpha <= 0):
            raise ValueError("alpha must be a non-empty 1-D array of positive numbers")
        self.alpha = alpha

    def __repr__(self):
        alpha = np.array2string(self.alpha, separator=", ")
        return f"DirichletMultinomialDistribution(n={int(self.n)}, alpha={alpha})"

    @overflow_guard("logpmf")
    def logpmf(self, x: ArrayLike) -> float | FloatArray:
        """Log probability of count vectors ``x`` (last axis of length K); ``-inf`` off support."""
        x = as_points(x, "x")
        if x.ndim == 0 or x.shape[-1] != self.alpha.size:
            raise ValueError(
                f"x must have the {self.alpha.size} category counts on its last axis, got shape "
                f"{x.shape}"
            )
        ok = np.all((x >= 0) & (x == np.floor(x)), axis=-1) & (np.sum(x, axis=-1) == self.n)
        xx = np.where(ok[..., None], x, 0.0)
        a, big_a = self.alpha, self.alpha.sum()
        out = (
            gammaln(self.n + 1.0)
            + gammaln(big_a)
            - gammaln(self.n + big_a)
            + np.sum(gammaln(xx + a) - gammaln(a) - gammaln(xx + 1.0), axis=-1)
        )
        return scalar_or_array(np.where(ok, out, -np.inf))

    def pmf(self, x: ArrayLike) -> float | FloatArray:
        """Probability of count vectors ``x``, ``exp(logpmf(x))``."""
        return scalar_or_array(np.exp(self.logpmf(x)))

    def mean(self) -> FloatArray:
        """Mean counts :math:`n\\alpha/A`."""
        return self.n * self.alpha / self.alpha.sum()

    def cov(self) -> FloatArray:
        """Covariance matrix :math:`n\\frac{n+A}{1+A}(\\operatorname{diag}\\bar\\alpha -
        \\bar\\alpha\\bar\\alpha^\\top)`."""
        big_a = self.alpha.sum()
        p = self.alpha / big_a
        return self.n * (self.n + big_a) / (1.0 + big_a) * (np.diag(p) - np.outer(p, p))

    def var(self) -> FloatArray:
        """Variances of the counts, the diagonal of :meth:`cov`."""
        big_a = self.alpha.sum()
        p = self.alpha / big_a
        return self.n * (self.n + big_a) / (1.0 + big_a) * p * (1.0 - p)

    def sample(self, size: int | tuple[int, ...] | None = None, rng: Seed = None) -> FloatArray:
        """Draw count vectors; shape ``size + (K,)`` (``(K,)`` for ``size=None``)."""
        rng = check_rng(rng)
        shape = () if size is None else ((int(size),) if np.ndim(size) == 0 else tuple(size))
        theta = rng.dirichlet(self.alpha, size=shape if shape else None)
        return rng.multinomial(int(self.n), theta).astype(float)

    def rvs(
        self, size: int | tuple[int, ...] | None = None, random_state: Seed = None
    ) -> FloatArray:
        """Alias of :meth:`sample` with scipy's argument name ``random_state``."""
        return self.sample(size, random_state)
