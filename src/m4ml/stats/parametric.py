r"""Tests about means: the z-test and Student's t-tests (one-sample, independent, paired).

Each test returns a :class:`~m4ml.stats._results.TestResult` (unpacks as
``statistic, pvalue``; ``df``, ``alternative`` and ``confidence_interval()`` where defined),
follows ``scipy.stats``' argument names, and works along ``axis`` for stacks of samples.
Sample means and sums of squares use the corrected two-pass algorithm of
:mod:`m4ml.stats.descriptive`, so large common offsets cost no digits (NIST StRD ANOVA).

For a statistic :math:`T` with null distribution :math:`D`, the p-value is
:math:`P_D(T \le t)` for ``alternative="less"``, :math:`P_D(T \ge t)` for ``"greater"`` and
:math:`2\min` of the two for ``"two-sided"``.
"""

from typing import Literal

import numpy as np

from m4ml._core import check_finite, scalar_or_array
from m4ml._core.hints import ArrayLike
from m4ml.stats._moments import central_sums, scaled_sd
from m4ml.stats._nan_policy import nan_policy
from m4ml.stats._null import Normal, StudentT, pvalue
from m4ml.stats._results import TestResult, check_alternative
from m4ml.stats._validation import as_sample

__all__ = ["ttest_1samp", "ttest_ind", "ttest_rel", "ztest"]


def _moments(a, overwrite=False):
    """``(n, mean, S, c)``: count, corrected mean and sum of squares in units of ``c**2``.

    The corrected two-pass sums of :mod:`m4ml.stats._moments` (scaled by a power of two ``c``
    where squares would over- or underflow). ``overwrite=True`` lets the deviations reuse
    ``a``'s memory (for a temporary the caller owns).
    """
    cs = central_sums(a, overwrite=overwrite)
    return cs.n, cs.mean, cs.ss, cs.scale


def _pooled(ssa, ca, ssb, cb):
    """Two scaled sums of squares brought to the common scale ``c = max(ca, cb)``."""
    c = np.maximum(ca, cb)
    return ssa * (ca / c) ** 2, ssb * (cb / c) ** 2, c


def _location_ci(center, se, dist, alternative):
    """``ci(level)`` for a location: :math:`\\hat\\theta \\pm q\\,\\mathrm{se}`, one-sided too."""

    def ci(level):
        if alternative == "two-sided":
            q = dist.ppf(0.5 + level / 2.0)
            return scalar_or_array(center - q * se), scalar_or_array(center + q * se)
        q = dist.ppf(level)
        if alternative == "less":
            return scalar_or_array(np.full(np.shape(center), -np.inf)), scalar_or_array(
                center + q * se
            )
        return scalar_or_array(center - q * se), scalar_or_array(np.full(np.shape(center), np.inf))

    return ci


def _check_spread(se, what):
    if np.any(se == 0.0):
        raise ValueError(
            f"{what} has zero variance, so the test statistic is undefined (0/0 or x/0)"
        )


@nan_policy("x1", "x2")
def ztest(
    x1: ArrayLike,
    x2: ArrayLike | None = None,
    value: float = 0.0,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    sigma: float | None = None,
    ddof: int = 1,
    axis: int | None = 0,
) -> TestResult:
    r"""z-test for a mean, or for the difference of two means.

    Parameters
    ----------
    x1 : array_like
        First sample.
    x2 : array_like, optional
        Second sample; the null hypothesis is then :math:`\mu_1 - \mu_2 = \text{value}`.
    value : float
        Hypothesised mean (difference).
    alternative : {"two-sided", "less", "greater"}
        Alternative to :math:`\mu_{(1-2)} = \text{value}`.
    sigma : float or (float, float), optional
        Known population standard deviation(s). Without it the sample standard deviations
        (``ddof``) are used, pooled for two samples, as ``statsmodels.stats.weightstats.ztest``.
    ddof : int
        Delta degrees of freedom of the sample variances (default 1).
    axis : int or None
        Axis of the observations.

    Returns
    -------
    TestResult
        ``statistic`` :math:`z`, ``pvalue`` from the standard normal, ``confidence_interval()``
        for the mean (difference) :math:`\hat\theta \pm z_{1-\alpha/2}\,\mathrm{se}`.

    Raises
    ------
    ValueError
        Empty samples, NaN/inf, zero variance, non-positive ``sigma`` or a bad ``alternative``.

    Notes
    -----
    :math:`z = (\hat\theta - \text{value})/\mathrm{se}` with
    :math:`\mathrm{se} = \sigma/\sqrt n` (one sample) or
    :math:`\sigma_p\sqrt{1/n_1 + 1/n_2}`, :math:`\sigma_p^2 = \frac{S_1 + S_2}{n_1 + n_2 - 2
    \,\mathrm{ddof}}` (two samples, :math:`S_i` sums of squared deviations), or
    :math:`\sqrt{\sigma_1^2/n_1 + \sigma_2^2/n_2}` with known :math:`\sigma_i`.

    References
    ----------
    Seabold, S. and Perktold, J. (2010). statsmodels (``weightstats.ztest``).

    Examples
    --------
    >>> res = ztest([5.1, 4.9, 5.6, 5.8, 6.0, 5.2], value=5.0, sigma=0.5)
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f}")
    2.1229 0.0338
    """
    check_alternative(alternative)
    a = as_sample(x1, "x1", axis=axis, min_size=1)
    n1, m1, ss1, c1 = _moments(a)
    if sigma is not None:
        sig = np.broadcast_to(np.asarray(sigma, dtype=float), (2,) if x2 is not None else ())
        if np.any(~np.isfinite(sig)) or np.any(sig <= 0):
            raise ValueError(f"sigma must be positive and finite, got {sigma!r}")
    if x2 is None:
        if sigma is None:
            if n1 - ddof <= 0:
                raise ValueError(f"x1 needs more than ddof = {ddof} observations")
            se = scaled_sd(ss1, (n1 - ddof) * n1, c1)
        else:
            se = sig / np.sqrt(n1)
        center = m1
    else:
        b = as_sample(x2, "x2", axis=axis, min_size=1)
        n2, m2, ss2, c2 = _moments(b)
        if sigma is None:
            dof = n1 + n2 - 2 * ddof
            if dof <= 0:
                raise ValueError("the two samples need more observations than 2*ddof")
            s1, s2, c = _pooled(ss1, c1, ss2, c2)
            se = scaled_sd((s1 + s2) * (1.0 / n1 + 1.0 / n2), dof, c)
        else:
            se = np.sqrt(sig[0] ** 2 / n1 + sig[1] ** 2 / n2)
        center = m1 - m2
    se = np.broadcast_to(se, np.shape(center))
    _check_spread(se, "the sample")
    z = (center - value) / se
    dist = Normal()
    return TestResult(
        scalar_or_array(z),
        pvalue(dist, z, alternative),
        alternative=alternative,
        ci=_location_ci(center, se, dist, alternative),
        name="ztest",
    )


def _t_result(center, value, se, df, alternative, name):
    se = np.broadcast_to(se, np.shape(center))
    _check_spread(se, "the sample")
    t = (center - value) / se
    dist = StudentT(df)
    return TestResult(
        scalar_or_array(t),
        pvalue(dist, t, alternative),
        df=scalar_or_array(df),
        alternative=alternative,
        ci=_location_ci(center, se, dist, alternative),
        name=name,
    )


@nan_policy("a")
def ttest_1samp(
    a: ArrayLike,
    popmean: float | ArrayLike = 0.0,
    axis: int | None = 0,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> TestResult:
    r"""One-sample t-test: is the population mean ``popmean``?

    Parameters
    ----------
    a : array_like
        The sample (at least 2 observations along ``axis``).
    popmean : float or array_like
        Hypothesised mean, broadcast against the result.
    axis : int or None
        Axis of the observations (default 0, as scipy).
    alternative : {"two-sided", "less", "greater"}
        Alternative to :math:`\mu = \mu_0`.

    Returns
    -------
    TestResult
        ``statistic`` :math:`t`, ``pvalue``, ``df`` :math:`= n-1`, and
        ``confidence_interval()`` for the population mean.

    Raises
    ------
    ValueError
        Fewer than 2 observations, NaN/inf, zero variance or a bad ``alternative``.

    Notes
    -----
    :math:`t = (\bar x - \mu_0)/(s/\sqrt n)` follows Student's t with :math:`n-1` degrees of
    freedom under normal data; the interval is :math:`\bar x \pm t_{n-1,1-\alpha/2}\,s/\sqrt n`.
    Cost :math:`O(n)`.

    References
    ----------
    Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.

    Examples
    --------
    >>> res = ttest_1samp([5.1, 4.9, 5.6, 5.8, 6.0, 5.2], 5.0)
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f} {res.df:.0f}")
    2.4568 0.0575 5
    >>> low, high = res.confidence_interval(0.95)
    >>> print(f"{low:.4f} {high:.4f}")
    4.9799 5.8867
    """
    check_alternative(alternative)
    x = as_sample(a, "a", axis=axis, min_size=2)
    n, m, ss, c = _moments(x)
    se = scaled_sd(ss, (n - 1.0) * n, c)
    return _t_result(m, popmean, se, n - 1.0, alternative, "ttest_1samp")


@nan_policy("a", "b")
def ttest_ind(
    a: ArrayLike,
    b: ArrayLike,
    axis: int | None = 0,
    equal_var: bool = True,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> TestResult:
    r"""Two-sample t-test for equal means (Student's pooled, or Welch's).

    Parameters
    ----------
    a, b : array_like
        The samples; their shapes must agree except along ``axis``.
    axis : int or None
        Axis of the observations.
    equal_var : bool
        ``True`` (default): pooled variance, :math:`n_1+n_2-2` degrees of freedom.
        ``False``: Welch's test with the Welch–Satterthwaite degrees of freedom.
    alternative : {"two-sided", "less", "greater"}
        Alternative to :math:`\mu_a = \mu_b` (``"less"``: :math:`\mu_a < \mu_b`).

    Returns
    -------
    TestResult
        ``statistic``, ``pvalue``, ``df``, ``confidence_interval()`` for
        :math:`\mu_a - \mu_b`.

    Raises
    ------
    ValueError
        Fewer than 2 observations in a sample, NaN/inf, zero variance, or a bad
        ``alternative``.

    Notes
    -----
    Pooled: :math:`t = (\bar a - \bar b)/\bigl(s_p\sqrt{1/n_a + 1/n_b}\bigr)`,
    :math:`s_p^2 = \frac{(n_a-1)s_a^2 + (n_b-1)s_b^2}{n_a+n_b-2}`. Welch:
    :math:`t = (\bar a - \bar b)/\sqrt{v_a + v_b}`, :math:`v_i = s_i^2/n_i`,
    :math:`\nu = \frac{(v_a+v_b)^2}{v_a^2/(n_a-1) + v_b^2/(n_b-1)}`.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. Biometrika 34, 28-35.

    Examples
    --------
    >>> a = [20.1, 22.3, 19.8, 21.5, 23.0]
    >>> b = [18.2, 19.9, 17.5, 18.8, 20.1, 19.0]
    >>> print("{:.4f} {:.4f}".format(*ttest_ind(a, b)))
    3.3931 0.0080
    >>> res = ttest_ind(a, b, equal_var=False)
    >>> print(f"{res.statistic:.4f} {res.pvalue:.4f} {res.df:.3f}")
    3.2850 0.0131 7.125
    """
    check_alternative(alternative)
    x = as_sample(a, "a", axis=axis, min_size=2)
    y = as_sample(b, "b", axis=axis, min_size=2)
    try:
        np.broadcast_shapes(x.shape[:-1], y.shape[:-1])
    except ValueError:
        raise ValueError(
            f"a and b must have matching shapes apart from axis, got {np.shape(a)} and "
            f"{np.shape(b)}"
        ) from None
    na, ma, ssa, ca = _moments(x)
    nb, mb, ssb, cb = _moments(y)
    ssa, ssb, c = _pooled(ssa, ca, ssb, cb)
    if equal_var:
        df = na + nb - 2.0
        se = scaled_sd((ssa + ssb) * (1.0 / na + 1.0 / nb), df, c)
        df = np.broadcast_to(df, np.shape(se))
    else:  # va, vb in units of c**2; the Welch df is a ratio, free of c
        va, vb = ssa / (na - 1.0) / na, ssb / (nb - 1.0) / nb
        se = np.sqrt(va + vb) * c
        _check_spread(se, "the pair of samples")
        df = (va + vb) ** 2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0))
    return _t_result(ma - mb, 0.0, se, df, alternative, "ttest_ind")


@nan_policy("a", "b", paired=True)
def ttest_rel(
    a: ArrayLike,
    b: ArrayLike,
    axis: int | None = 0,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
) -> TestResult:
    r"""Paired t-test: the one-sample t-test on the differences ``a - b``.

    Parameters
    ----------
    a, b : array_like
        Paired samples of the same shape.
    axis : int or None
        Axis of the observations.
    alternative : {"two-sided", "less", "greater"}
        Alternative to :math:`E[a - b] = 0`.

    Returns
    -------
    TestResult
        ``statistic``, ``pvalue``, ``df`` :math:`= n-1`, ``confidence_interval()`` for the
        mean difference.

    Raises
    ------
    ValueError
        Mismatched shapes, fewer than 2 pairs, NaN/inf, constant differences.

    Notes
    -----
    :math:`d_i = a_i - b_i`, :math:`t = \bar d/(s_d/\sqrt n)`; pairing removes the
    between-subject variation the independent test would count as noise.

    References
    ----------
    Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.

    Examples
    --------
    >>> before = [72.0, 80.5, 65.2, 90.1, 77.7]
    >>> after = [70.1, 78.9, 65.0, 86.8, 75.2]
    >>> print("{:.4f} {:.4f}".format(*ttest_rel(before, after)))
    3.6909 0.0210
    """
    check_alternative(alternative)
    # NaN/inf in a or b always shows in a - b, so one finiteness check on the differences
    x = as_sample(a, "a", axis=axis, min_size=2, finite=False)
    y = as_sample(b, "b", axis=axis, min_size=2, finite=False)
    if x.shape != y.shape:
        raise ValueError(
            f"a and b must have the same shape (paired observations), got {np.shape(a)} and "
            f"{np.shape(b)}"
        )
    with np.errstate(invalid="ignore"):
        d = x - y
    check_finite(d, "a or b")
    n, m, ss, c = _moments(d, overwrite=True)
    se = scaled_sd(ss, (n - 1.0) * n, c)
    return _t_result(m, 0.0, se, n - 1.0, alternative, "ttest_rel")
