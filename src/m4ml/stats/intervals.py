r"""Classical confidence intervals: a mean (Student t) and a binomial proportion.

A :math:`100(1-\alpha)\%` confidence interval is a random interval that covers the true
parameter with probability :math:`1 - \alpha` over repeated samples. Two-sided intervals put
:math:`\alpha/2` in each tail; ``alternative="less"`` gives the upper bound
:math:`(-\infty, U]` and ``"greater"`` the lower bound :math:`[L, \infty)` (for a
proportion, :math:`[0, U]` and :math:`[L, 1]`), each with all of :math:`\alpha` in its tail.
"""

from typing import Literal

import numpy as np

from m4ml._core import scalar_or_array
from m4ml._core.hints import ArrayLike
from m4ml.stats._nan_policy import nan_policy
from m4ml.stats._null import Beta, Normal
from m4ml.stats._results import ConfidenceInterval, check_alternative, check_confidence_level
from m4ml.stats.parametric import ttest_1samp

__all__ = ["mean_ci", "proportion_ci"]

PROPORTION_METHODS = ("wilson", "wilsoncc", "clopper-pearson", "wald")


@nan_policy("x")
def mean_ci(
    x: ArrayLike,
    confidence_level: float = 0.95,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    axis: int | None = 0,
) -> ConfidenceInterval:
    r"""Student-t confidence interval for a population mean.

    Parameters
    ----------
    x : array_like
        The sample (at least 2 observations along ``axis``).
    confidence_level : float
        Coverage :math:`1 - \alpha`, strictly between 0 and 1 (default 0.95).
    alternative : {"two-sided", "less", "greater"}
        Two-sided, an upper bound (``"less"``) or a lower bound (``"greater"``).
    axis : int or None
        Axis of the observations.

    Returns
    -------
    ConfidenceInterval
        ``(low, high)``.

    Raises
    ------
    ValueError
        Fewer than 2 observations, NaN/inf, or a bad level/alternative.

    Notes
    -----
    :math:`\bar x \pm t_{n-1,\,1-\alpha/2}\, s/\sqrt n`, exact for normal data and
    asymptotically right otherwise (the same interval ``ttest_1samp(...)
    .confidence_interval()`` reports). A constant sample gives the zero-width interval
    :math:`[\bar x, \bar x]`.

    References
    ----------
    Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.

    Examples
    --------
    >>> ci = mean_ci([5.1, 4.9, 5.6, 5.8, 6.0, 5.2])
    >>> print(f"{ci.low:.4f} {ci.high:.4f}")
    4.9799 5.8867
    """
    level = check_confidence_level(confidence_level)
    check_alternative(alternative)
    res = ttest_1samp(x, 0.0, axis=axis, alternative=alternative)
    return ConfidenceInterval(*res.confidence_interval(level))


def _check_counts(k, n):
    k = np.asarray(k)
    n = np.asarray(n)
    for name, v in (("k", k), ("n", n)):
        if v.dtype.kind not in "iuf" or np.any(~np.isfinite(v)) or np.any(v != np.floor(v)):
            raise ValueError(f"{name} must be a non-negative integer count, got {v!r}")
    if np.any(k < 0) or np.any(n < 1) or np.any(k > n):
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k!r}, n={n!r}")
    return k.astype(float), n.astype(float)


def proportion_interval(k, n, level, method, alternative):
    """The interval formulas shared by :func:`proportion_ci` and ``binomtest`` (arrays)."""
    p = k / n
    two = alternative == "two-sided"
    lo_open = np.full(np.shape(p), alternative == "less") | (k == 0)
    hi_open = np.full(np.shape(p), alternative == "greater") | (k == n)
    if method == "clopper-pearson":
        tail = (1.0 - level) / 2.0 if two else 1.0 - level
        with np.errstate(invalid="ignore", divide="ignore"):
            lo = Beta(np.maximum(k, 1.0), n - k + 1.0).ppf(tail)
            hi = Beta(k + 1.0, np.maximum(n - k, 1.0)).isf(tail)
    else:
        z = Normal().ppf(0.5 + level / 2.0 if two else level)
        if method == "wald":
            half = z * np.sqrt(p * (1.0 - p) / n)
            lo, hi = np.clip(p - half, 0.0, 1.0), np.clip(p + half, 0.0, 1.0)
            lo_open = np.full(np.shape(p), alternative == "less")
            hi_open = np.full(np.shape(p), alternative == "greater")
        else:
            t = 1.0 + z * z / n
            center = (p + z * z / (2.0 * n)) / t
            if method == "wilson":
                half = z / t * np.sqrt(p * (1.0 - p) / n + (z / (2.0 * n)) ** 2)
                lo, hi = center - half, center + half
            else:  # Newcombe's continuity-corrected Wilson interval
                with np.errstate(invalid="ignore"):
                    r_lo = np.sqrt(z * z - 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) + 1.0))
                    r_hi = np.sqrt(z * z + 2.0 - 1.0 / n + 4.0 * p * (n * (1.0 - p) - 1.0))
                lo = center - (1.0 + z * r_lo) / (2.0 * n * t)
                hi = center + (1.0 + z * r_hi) / (2.0 * n * t)
    lo = np.where(lo_open, 0.0, lo)
    hi = np.where(hi_open, 1.0, hi)
    return scalar_or_array(lo), scalar_or_array(hi)


def proportion_ci(
    k: int | ArrayLike,
    n: int | ArrayLike,
    confidence_level: float = 0.95,
    method: Literal["wilson", "wilsoncc", "clopper-pearson", "wald"] = "wilson",
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> ConfidenceInterval:
    r"""Confidence interval for a binomial proportion from ``k`` successes in ``n`` trials.

    Parameters
    ----------
    k, n : int or array_like of int
        Successes and trials, :math:`0 \le k \le n`, :math:`n \ge 1`.
    confidence_level : float
        Coverage :math:`1 - \alpha` (default 0.95).
    method : {"wilson", "wilsoncc", "clopper-pearson", "wald"}
        Interval construction (Notes). ``"wilson"`` is the default: near-nominal coverage
        without the Wald interval's collapse at :math:`\hat p \in \{0, 1\}`.
    alternative : {"two-sided", "less", "greater"}
        Two-sided, upper bound only (``"less"``: :math:`[0, U]`), or lower bound only.

    Returns
    -------
    ConfidenceInterval
        ``(low, high)`` inside :math:`[0, 1]`.

    Raises
    ------
    ValueError
        Counts that are negative, non-integer, or with :math:`k > n`; a bad method, level or
        alternative.

    Notes
    -----
    With :math:`\hat p = k/n` and :math:`z` the normal quantile (:math:`z_{1-\alpha/2}`, or
    :math:`z_{1-\alpha}` one-sided):

    * Wald: :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`, clipped to [0, 1]. Poor coverage
      for small :math:`n` or extreme :math:`p`; shown for teaching.
    * Wilson (score): the :math:`p` with :math:`|\hat p - p| \le z\sqrt{p(1-p)/n}`,
      :math:`\frac{\hat p + z^2/2n}{1 + z^2/n} \pm \frac{z}{1 + z^2/n}
      \sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}`; ``"wilsoncc"`` adds Newcombe's
      continuity correction.
    * Clopper–Pearson ("exact"): inverts the binomial test,
      :math:`L = B^{-1}_{k,\,n-k+1}(\alpha/2)`, :math:`U = B^{-1}_{k+1,\,n-k}(1-\alpha/2)`
      (beta quantiles, from the binomial–beta tail identity); conservative.

    The interval's open side is 0 at :math:`k = 0` and 1 at :math:`k = n` (except Wald).
    These agree with ``scipy.stats.binomtest(...).proportion_ci`` and statsmodels'
    ``proportion_confint``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22, 209-212. Clopper, C. J. and Pearson, E. S. (1934). The use of
    confidence or fiducial limits illustrated in the case of the binomial. Biometrika 26,
    404-413. Newcombe, R. G. (1998). Two-sided confidence intervals for the single
    proportion. Statistics in Medicine 17, 857-872.

    Examples
    --------
    >>> print("{:.4f} {:.4f}".format(*proportion_ci(7, 20)))
    0.1812 0.5671
    >>> print("{:.4f} {:.4f}".format(*proportion_ci(7, 20, method="clopper-pearson")))
    0.1539 0.5922
    """
    level = check_confidence_level(confidence_level)
    check_alternative(alternative)
    if method not in PROPORTION_METHODS:
        raise ValueError(f"method must be one of {PROPORTION_METHODS}, got {method!r}")
    kf, nf = _check_counts(k, n)
    return ConfidenceInterval(*proportion_interval(kf, nf, level, method, alternative))
