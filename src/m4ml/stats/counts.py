r"""Tests on counts: the exact binomial test and Pearson's chi-squared tests.

For counts :math:`O_i` with expected counts :math:`E_i` under the null hypothesis, Pearson's
statistic :math:`X^2 = \sum_i (O_i - E_i)^2/E_i` is asymptotically :math:`\chi^2` with
(cells − 1 − estimated parameters) degrees of freedom. The binomial test needs no
asymptotics: its p-value sums binomial probabilities.
"""

from typing import Literal

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike
from m4ml.stats._null import Binomial, ChiSquared
from m4ml.stats._results import TestResult, check_alternative
from m4ml.stats.intervals import PROPORTION_METHODS, _check_counts, proportion_interval

__all__ = ["binomtest", "chi2_contingency", "chisquare"]

_RELATIVE = 1.0 + 1e-7  # pmf values within this factor of P(X = k) count as "as extreme"


def _binom_two_sided(k, n, p):
    r"""Sum of :math:`P(X = j)` over every :math:`j` no more probable than the observed ``k``."""
    if k == p * n:
        return 1.0
    dist = Binomial(n, p)
    threshold = dist.pmf(k) * _RELATIVE
    if k < p * n:  # other tail: the smallest j >= np with pmf(j) <= threshold
        j = np.arange(np.ceil(p * n), n + 1)
        far = j[dist.pmf(j) <= threshold]
        other = dist.sf(far[0] - 1.0) if far.size else 0.0
        total = dist.cdf(k) + other
    else:  # other tail: the largest j <= np with pmf(j) <= threshold
        j = np.arange(0, np.floor(p * n) + 1)
        far = j[dist.pmf(j) <= threshold]
        other = dist.cdf(far[-1]) if far.size else 0.0
        total = other + dist.sf(k - 1.0)
    return float(min(1.0, total))


def binomtest(
    k: int,
    n: int,
    p: float = 0.5,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> TestResult:
    r"""Exact test that the success probability of a Bernoulli experiment is ``p``.

    Parameters
    ----------
    k : int
        Number of successes, :math:`0 \le k \le n`.
    n : int
        Number of trials, :math:`n \ge 1`.
    p : float
        Hypothesised success probability in [0, 1].
    alternative : {"two-sided", "less", "greater"}
        Alternative to :math:`\pi = p`.

    Returns
    -------
    TestResult
        ``statistic`` :math:`= \hat p = k/n` (also ``proportion_estimate``), ``pvalue``,
        ``k``, ``n``, and ``confidence_interval(confidence_level=0.95, method="exact")`` with
        methods ``"exact"`` (Clopper–Pearson), ``"wilson"``, ``"wilsoncc"``, as scipy.

    Raises
    ------
    ValueError
        Counts that are negative, non-integer or with :math:`k > n`; ``p`` outside [0, 1];
        a bad alternative or interval method.

    Notes
    -----
    With :math:`X \sim \mathrm{Bin}(n, p)`: ``"less"`` gives :math:`P(X \le k)`,
    ``"greater"`` :math:`P(X \ge k)`, and ``"two-sided"``
    :math:`\sum_{j:\,P(X=j) \le P(X=k)} P(X = j)` (the "method of small p-values"; a
    relative slack of :math:`10^{-7}` treats equal probabilities as equal despite
    rounding). The far tail is located on the vectorized pmf and summed through the
    incomplete-beta cdf/sf, so p-values far below machine epsilon keep their digits.

    References
    ----------
    Clopper, C. J. and Pearson, E. S. (1934). Biometrika 26, 404-413.

    Examples
    --------
    >>> res = binomtest(3, 15, p=0.1)
    >>> print(f"{res.statistic:.4f} {res.pvalue:.6f}")
    0.2000 0.184061
    >>> print("{:.4f} {:.4f}".format(*res.confidence_interval()))
    0.0433 0.4809
    """
    check_alternative(alternative)
    kf, nf = _check_counts(k, n)
    if kf.ndim or nf.ndim:
        raise ValueError("binomtest takes scalar k and n")
    kf, nf = float(kf), float(nf)
    if not (isinstance(p, int | float | np.floating | np.integer) and 0.0 <= p <= 1.0):
        raise ValueError(f"p must be a probability in [0, 1], got {p!r}")
    p = float(p)
    if alternative == "less":
        pval = Binomial(nf, p).cdf(kf)
    elif alternative == "greater":
        pval = Binomial(nf, p).sf(kf - 1.0)
    else:
        pval = _binom_two_sided(kf, nf, p)

    def ci(level, method="exact"):
        name = "clopper-pearson" if method == "exact" else method
        if name not in PROPORTION_METHODS or name == "wald":
            raise ValueError(f"method must be 'exact', 'wilson' or 'wilsoncc', got {method!r}")
        return proportion_interval(kf, nf, level, name, alternative)

    return TestResult(
        kf / nf,
        float(pval),
        alternative=alternative,
        ci=ci,
        name="binomtest",
        k=int(kf),
        n=int(nf),
        proportion_estimate=kf / nf,
    )


def _as_counts(x, name):
    a = as_float_array(x, name)
    if a.size == 0:
        raise ValueError(f"{name} is empty")
    if np.any(a < 0):
        raise ValueError(f"{name} must hold non-negative counts")
    return a


@overflow_guard("chisquare")
def chisquare(
    f_obs: ArrayLike, f_exp: ArrayLike | None = None, ddof: int = 0, axis: int = 0
) -> TestResult:
    r"""Pearson's chi-squared goodness-of-fit test.

    Parameters
    ----------
    f_obs : array_like
        Observed counts in each category (non-negative).
    f_exp : array_like, optional
        Expected counts (positive, the same total as ``f_obs`` within a relative
        :math:`10^{-8}`); equal frequencies by default.
    ddof : int
        Parameters estimated from the data: the degrees of freedom are :math:`k - 1 -
        \mathrm{ddof}`.
    axis : int
        Axis of the categories.

    Returns
    -------
    TestResult
        ``statistic`` :math:`X^2`, ``pvalue`` :math:`P(\chi^2_{k-1-\mathrm{ddof}} \ge X^2)`,
        ``df``. No confidence interval.

    Raises
    ------
    ValueError
        Empty or negative counts, non-positive expected counts, totals that differ,
        :math:`k - 1 - \mathrm{ddof} < 1`, or NaN/inf.

    Notes
    -----
    :math:`X^2 = \sum_i (O_i - E_i)^2/E_i`. The :math:`\chi^2` approximation wants
    :math:`E_i \gtrsim 5`.

    References
    ----------
    Pearson, K. (1900). On the criterion that a given system of deviations ... Philosophical
    Magazine 50(302), 157-175.

    Examples
    --------
    >>> res = chisquare([16, 18, 16, 14, 12, 12])
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f} {res.df}")
    2.0000 0.8491 5
    """
    obs = np.moveaxis(np.atleast_1d(_as_counts(f_obs, "f_obs")), axis, -1)
    k = obs.shape[-1]
    if f_exp is None:
        exp = np.broadcast_to(obs.mean(axis=-1, keepdims=True), obs.shape)
    else:
        exp = np.moveaxis(np.atleast_1d(as_float_array(f_exp, "f_exp")), axis, -1)
        try:
            obs, exp = np.broadcast_arrays(obs, exp)
        except ValueError:
            raise ValueError(
                f"f_obs and f_exp must have matching shapes, got {np.shape(f_obs)} and "
                f"{np.shape(f_exp)}"
            ) from None
        if np.any(exp <= 0):
            raise ValueError("f_exp must hold positive expected counts")
        so, se = obs.sum(axis=-1), exp.sum(axis=-1)
        if np.any(np.abs(so - se) > 1e-8 * np.maximum(so, se)):
            raise ValueError(
                "f_obs and f_exp must have the same total (relative tolerance 1e-8); "
                f"got {so!r} and {se!r}"
            )
    df = k - 1 - ddof
    if df < 1:
        raise ValueError(f"degrees of freedom k - 1 - ddof = {df} must be at least 1")
    if np.any(exp.sum(axis=-1) == 0):
        raise ValueError("f_obs sums to zero; there is nothing to test")
    stat = np.sum((obs - exp) ** 2 / exp, axis=-1)
    stat = stat[()] if stat.ndim == 0 else stat
    return TestResult(stat, ChiSquared(df).sf(stat), df=df, name="chisquare")


@overflow_guard("chi2_contingency")
def chi2_contingency(observed: ArrayLike, correction: bool = True) -> TestResult:
    r"""Chi-squared test of independence of the factors of a contingency table.

    Parameters
    ----------
    observed : array_like
        Table of counts, at least 2-D (one axis per factor), non-negative.
    correction : bool
        Apply Yates' continuity correction when the test has one degree of freedom
        (a 2×2 table), as scipy does by default.

    Returns
    -------
    TestResult
        ``statistic``, ``pvalue``, ``df`` (also ``dof``), ``expected_freq``.

    Raises
    ------
    ValueError
        Fewer than 2 dimensions, negative counts, NaN/inf, or a zero row/column (an expected
        frequency of 0 makes the statistic undefined).

    Notes
    -----
    Under independence :math:`E = N\,\prod_a (\text{marginal}_a/N)` — for two factors
    :math:`E_{ij} = r_i c_j/N` — and :math:`\nu = \prod_a d_a - \sum_a d_a + D - 1`
    (:math:`(r-1)(c-1)` for an :math:`r\times c` table). Yates moves each :math:`O_{ij}` by
    :math:`\min(1/2, |E_{ij} - O_{ij}|)` toward :math:`E_{ij}` before forming :math:`X^2`.
    With :math:`\nu = 0` the statistic is 0 and the p-value 1.

    References
    ----------
    Yates, F. (1934). Contingency tables involving small numbers and the chi-squared test.
    Supplement to JRSS 1(2), 217-235.

    Examples
    --------
    >>> res = chi2_contingency([[12, 5], [7, 15]])
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f} {res.df}")
    4.3221 0.0376 1
    >>> res.expected_freq.round(3)
    array([[ 8.282,  8.718],
           [10.718, 11.282]])
    """
    obs = _as_counts(observed, "observed")
    if obs.ndim < 2:
        raise ValueError(f"observed must be a table with at least 2 dimensions, got {obs.ndim}")
    total = obs.sum()
    expected = np.full(obs.shape, total)
    for ax in range(obs.ndim):
        margin = obs.sum(axis=tuple(a for a in range(obs.ndim) if a != ax))
        if np.any(margin == 0):
            raise ValueError(
                f"observed has an all-zero slice along axis {ax} (a zero row or column); its "
                "expected frequencies are 0 and the statistic is undefined"
            )
        shape = [1] * obs.ndim
        shape[ax] = -1
        expected = expected * (margin / total).reshape(shape)
    dof = int(obs.size - sum(obs.shape) + obs.ndim - 1)
    if dof == 0:
        stat, p = 0.0, 1.0
    else:
        o = obs
        if correction and dof == 1:
            diff = expected - obs
            o = obs + np.sign(diff) * np.minimum(0.5, np.abs(diff))
        stat = float(np.sum((o - expected) ** 2 / expected))
        p = float(ChiSquared(dof).sf(stat))
    return TestResult(stat, p, df=dof, name="chi2_contingency", dof=dof, expected_freq=expected)
