r"""Distributions over :math:`K` categories: Categorical and Multinomial.

Both take a probability vector ``probs`` (non-negative, summing to 1 within
:math:`10^{-8}`, then renormalized exactly). Categorical is the one-trial case: a single label
in :math:`\{0, \dots, K-1\}`; Multinomial counts the labels of :math:`n` independent trials.
"""

from typing import Self

import numpy as np
from scipy.special import gammaln, xlogy

from m4ml._core import check_rng
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.probability.base import (
    DiscreteDistribution,
    Distribution,
    as_count_param,
    as_points,
    scalar_or_array,
    sum_tolerance,
)
from m4ml.probability.discrete import Binomial

__all__ = ["Categorical", "Multinomial", "as_probability_vector"]


def as_probability_vector(probs, name="probs"):
    """Validate a probability vector: 1-D, non-negative, finite, summing to 1.

    The sum may stray from 1 by ``m4ml.probability.base.sum_tolerance``: 1e-8 in float64,
    the rounding of the entries in a lower precision (a float32 vector summing to 1 + 2e-8).

    Returns the vector renormalized to sum to 1 exactly (up to rounding).
    """
    from m4ml._core import as_float_array

    tol = sum_tolerance(probs if hasattr(probs, "dtype") else np.asarray(probs))
    p = as_float_array(probs, name, min_ndim=1, max_ndim=1)
    if p.size == 0:
        raise ValueError(f"{name} must hold at least one probability")
    if np.any(p < 0):
        raise ValueError(f"{name} must be non-negative, got {p[p < 0][0]!r}")
    total = p.sum()
    if abs(total - 1.0) > tol:
        raise ValueError(f"{name} must sum to 1, got sum {total!r}")
    return p / total


class Categorical(DiscreteDistribution):
    r"""Categorical distribution on :math:`\{0, 1, \dots, K-1\}`.

    Parameters
    ----------
    probs : array_like, shape (K,)
        :math:`p_k = P(X = k)`, non-negative, summing to 1.

    Raises
    ------
    ValueError
        ``probs`` empty, not 1-D, negative, or not summing to 1 within :math:`10^{-8}`.

    Notes
    -----
    :math:`P(X = k) = p_k`; :math:`F(k) = \sum_{j \le k} p_j` and the survival function
    :math:`S(k) = \sum_{j > k} p_j` is accumulated from the right, so a small upper tail is not
    lost to :math:`1 - F`. :math:`E X = \sum_k k p_k`, :math:`\operatorname{Var}X = \sum_k k^2
    p_k - (E X)^2`, entropy :math:`-\sum_k p_k \log p_k`. Sampling inverts the cdf of uniform
    draws with a binary search. The maximum-likelihood ``probs`` are the observed frequencies.
    The reference is ``scipy.stats.rv_discrete(values=(range(K), probs))``.

    References
    ----------
    .. [1] K. P. Murphy, *Probabilistic Machine Learning: An Introduction*, MIT Press, 2022,
       2.5.

    Examples
    --------
    >>> from m4ml.probability.categorical import Categorical
    >>> d = Categorical([0.2, 0.5, 0.3])
    >>> print(f"{d.pmf(1):.1f} {d.cdf(1):.1f} {d.mean():.1f} {d.ppf(0.75):.0f}")
    0.5 0.7 1.1 2
    >>> Categorical.fit([0, 2, 2, 1]).probs
    array([0.25, 0.25, 0.5 ])
    """

    _param_names = (("probs", "probs"),)

    def __init__(self, probs: ArrayLike):
        self.probs = as_probability_vector(probs)
        self._cum = np.concatenate([[0.0], np.cumsum(self.probs)])
        self._cum[-1] = 1.0
        self._tail = np.concatenate([np.cumsum(self.probs[::-1])[::-1], [0.0]])
        self._tail[0] = 1.0

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """``()``: one distribution over the last axis of ``probs``."""
        return ()

    @property
    def n_categories(self) -> int:
        """Number of categories :math:`K`."""
        return self.probs.size

    def _index(self, k):
        k = as_points(k, "k")
        j = np.clip(np.floor(k), -1.0, self.n_categories - 1.0).astype(np.intp)
        return k, j

    def logpmf(self, k: ArrayLike) -> float | FloatArray:
        """Log probability; ``-inf`` off :math:`\\{0, \\dots, K-1\\}`."""
        k, j = self._index(k)
        inside = (k == np.floor(k)) & (k >= 0) & (k < self.n_categories)
        with np.errstate(divide="ignore"):
            logp = np.log(self.probs)
        return scalar_or_array(np.where(inside, logp[np.maximum(j, 0)], -np.inf))

    def cdf(self, k: ArrayLike) -> float | FloatArray:
        """Cdf :math:`\\sum_{j \\le k} p_j`."""
        _, j = self._index(k)
        return scalar_or_array(self._cum[j + 1])

    def sf(self, k: ArrayLike) -> float | FloatArray:
        """Survival function :math:`\\sum_{j > k} p_j` (summed from the right)."""
        _, j = self._index(k)
        return scalar_or_array(self._tail[j + 1])

    def mean(self) -> float | FloatArray:
        """Mean :math:`\\sum_k k p_k`."""
        return scalar_or_array(np.arange(self.n_categories) @ self.probs)

    def var(self) -> float | FloatArray:
        """Variance :math:`\\sum_k (k - E X)^2 p_k`."""
        c = np.arange(self.n_categories) - self.mean()
        return scalar_or_array((c * c) @ self.probs)

    def entropy(self) -> float | FloatArray:
        """Entropy :math:`-\\sum_k p_k \\log p_k` (nats)."""
        return scalar_or_array(-np.sum(xlogy(self.probs, self.probs)))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, K - 1)``."""
        return 0.0, float(self.n_categories - 1)

    def _sample(self, shape, rng):
        u = rng.random(shape)
        j = np.searchsorted(self._cum[1:], u, side="right")
        return np.minimum(j, self.n_categories - 1).astype(float)

    @classmethod
    def fit(cls, data: ArrayLike, n_categories: int | None = None) -> Self:
        """Maximum-likelihood ``probs``: the frequencies of the labels ``0 .. K-1``."""
        from m4ml.probability.base import as_sample

        x = as_sample(data)
        if np.any((x < 0) | (x != np.floor(x))):
            raise ValueError("Categorical.fit needs non-negative integer labels")
        k = int(x.max()) + 1 if n_categories is None else int(n_categories)
        if x.max() >= k:
            raise ValueError(f"labels must be < n_categories={k}, got {int(x.max())}")
        return cls(np.bincount(x.astype(np.intp), minlength=k) / x.size)


class Multinomial(Distribution):
    r"""Multinomial distribution: category counts of :math:`n` independent trials.

    Parameters
    ----------
    n : int
        Number of trials, :math:`n \ge 0`.
    probs : array_like, shape (K,)
        Category probabilities, non-negative, summing to 1.

    Raises
    ------
    ValueError
        ``n`` not a non-negative integer or bad ``probs`` (see :class:`Categorical`).

    Notes
    -----
    For counts :math:`x \in \mathbb N^K` with :math:`\sum_k x_k = n`,

    .. math:: \log P(x) = \log n! - \sum_k \log x_k! + \sum_k x_k \log p_k,

    and 0 for any other vector. :math:`E x = np`, :math:`\operatorname{Cov} x =
    n(\operatorname{diag}p - pp^\top)`. The entropy uses the marginals
    :math:`x_k \sim \mathrm{Bin}(n, p_k)`:

    .. math:: H = -\log n! - n\sum_k p_k\log p_k + \sum_k E[\log x_k!],

    an :math:`O(nK)` sum. The maximum-likelihood ``probs`` for known :math:`n` are the pooled
    category frequencies. The reference is ``scipy.stats.multinomial``.

    References
    ----------
    .. [1] N. L. Johnson, S. Kotz and N. Balakrishnan, *Discrete Multivariate Distributions*,
       Wiley, 1997, ch. 35.

    Examples
    --------
    >>> from m4ml.probability.categorical import Multinomial
    >>> d = Multinomial(4, [0.5, 0.25, 0.25])
    >>> print(f"{d.pmf([2, 1, 1]):.4f} {d.pmf([2, 2, 1]):.1f}")
    0.1875 0.0
    >>> d.mean()
    array([2., 1., 1.])
    """

    _param_names = (("n", "n"), ("probs", "probs"))

    def __init__(self, n: int, probs: ArrayLike):
        self.n = as_count_param(n, "n")
        if self.n.ndim:
            raise ValueError("n must be a scalar number of trials")
        self.probs = as_probability_vector(probs)

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """``()`` (one distribution over vectors of length :math:`K`)."""
        return ()

    def logpmf(self, x: ArrayLike) -> float | FloatArray:
        """Log probability of count vectors ``x`` (last axis of length :math:`K`)."""
        x = as_points(x)
        if x.ndim == 0 or x.shape[-1] != self.probs.size:
            raise ValueError(f"x must have last axis of length {self.probs.size}, got {x.shape}")
        valid = np.all((x >= 0) & (x == np.floor(x)), axis=-1) & (x.sum(axis=-1) == self.n)
        xx = np.where(valid[..., None], x, 0.0)
        out = gammaln(self.n + 1) - gammaln(xx + 1).sum(-1) + xlogy(xx, self.probs).sum(-1)
        return scalar_or_array(np.where(valid, out, -np.inf))

    def pmf(self, x: ArrayLike) -> float | FloatArray:
        """Probability of count vectors ``x``."""
        return scalar_or_array(np.exp(self.logpmf(x)))

    def mean(self) -> float | FloatArray:
        """Mean vector :math:`np`."""
        return self.n * self.probs

    def var(self) -> float | FloatArray:
        """Marginal variances :math:`np_k(1 - p_k)`."""
        return self.n * self.probs * (1.0 - self.probs)

    def cov(self) -> FloatArray:
        """Covariance matrix :math:`n(\\operatorname{diag}p - pp^\\top)`."""
        p = self.probs
        return self.n * (np.diag(p) - np.outer(p, p))

    def entropy(self) -> float | FloatArray:
        """Entropy (nats), through the binomial marginals (see Notes)."""
        n, p = float(self.n), self.probs
        k = np.arange(n + 1.0)
        marg = np.asarray(Binomial(n, p[:, None]).pmf(k))
        return scalar_or_array(
            -gammaln(n + 1) - n * np.sum(xlogy(p, p)) + np.sum(marg * gammaln(k + 1))
        )

    def sample(
        self, size: int | tuple[int, ...] | None = None, rng: Seed = None
    ) -> float | FloatArray:
        """Draw count vectors: shape ``size + (K,)``."""
        gen = check_rng(rng)
        return gen.multinomial(int(self.n), self.probs, size=size).astype(float)

    def _sample(self, shape, rng):
        return rng.multinomial(int(self.n), self.probs, size=shape).astype(float)

    @classmethod
    def fit(cls, data: ArrayLike, n: int) -> Self:
        """Maximum-likelihood ``probs`` from rows of counts that each sum to ``n``."""
        from m4ml._core import as_float_array

        x = as_float_array(data, "data", min_ndim=2, max_ndim=2)
        n = as_count_param(n, "n")
        if x.shape[0] == 0 or np.any(x.sum(axis=1) != n) or n == 0:
            raise ValueError("Multinomial.fit needs at least one row, each summing to n > 0")
        if np.any((x < 0) | (x != np.floor(x))):
            raise ValueError("Multinomial.fit needs non-negative integer counts")
        return cls(n, x.sum(axis=0) / (x.shape[0] * n))
