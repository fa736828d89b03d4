r"""Pieces of :mod:`m4ml.stats` that higher layers build on (designated, importable, stable).

:mod:`m4ml.distributed` computes the same statistics from summaries merged over chunks and
then needs exactly the final steps the in-memory functions use, so the two paths agree by
construction. Those steps live here, under public names, instead of being imported from this
package's private modules:

* :func:`quantile_positions` and :func:`interpolate_order_statistics`: the Hyndman–Fan
  definition of every quantile ``method`` as "which two order statistics, with what weight"
  (:func:`m4ml.stats.quantile`);
* :func:`check_alternative`, :func:`t_test_result`, :func:`f_sf` and :func:`anova_result`:
  the null distributions and the result objects of the t- and F-tests
  (:func:`m4ml.stats.ttest_ind`, :func:`m4ml.stats.f_oneway`).

These are not in ``m4ml.stats.__all__`` (they are tools, not statistics); import them from
``m4ml.stats.building_blocks``.
"""

import warnings

import numpy as np

from m4ml._core import scalar_or_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.stats._null import FDist
from m4ml.stats._results import TestResult
from m4ml.stats._results import check_alternative as _check_alternative
from m4ml.stats.parametric import _t_result
from m4ml.stats.quantiles import _index_and_weight, _lerp

__all__ = [
    "anova_result",
    "check_alternative",
    "f_sf",
    "interpolate_order_statistics",
    "quantile_positions",
    "t_test_result",
]


def quantile_positions(
    n: int, q: ArrayLike, method: str = "linear"
) -> tuple[np.ndarray, np.ndarray, FloatArray]:
    r"""The two order statistics each quantile reads, and the weight between them.

    Parameters
    ----------
    n : int
        Sample size, at least 1.
    q : array_like
        Probabilities in :math:`[0, 1]` (not checked here).
    method : str
        One of :data:`m4ml.stats.quantiles.QUANTILE_METHODS`.

    Returns
    -------
    lo, hi : ndarray of intp, shape of ``q``
        0-based indices into the sorted sample, clamped to :math:`[0, n-1]`.
    gamma : ndarray, shape of ``q``
        The weight of :math:`x_{(hi)}`: the quantile is
        :math:`(1-\gamma)\,x_{(lo)} + \gamma\,x_{(hi)}` (:func:`interpolate_order_statistics`).

    Raises
    ------
    ValueError
        An unknown ``method``.

    Notes
    -----
    The virtual index :math:`h(q)` of the method (:mod:`m4ml.stats.quantiles`),
    :math:`lo = \lfloor h\rfloor`, :math:`hi = lo + 1`, :math:`\gamma = h - \lfloor h\rfloor`
    (or the method's own rule for the discontinuous ones).

    Examples
    --------
    >>> lo, hi, g = quantile_positions(4, [0.25, 0.5])
    >>> lo.tolist(), hi.tolist(), g.tolist()
    ([0, 1], [1, 2], [0.75, 0.5])
    """
    qa = np.asarray(q, dtype=np.float64)
    lo, gamma = _index_and_weight(n, qa, method)
    lo_i = np.clip(lo, 0, n - 1).astype(np.intp)
    hi_i = np.clip(lo + 1.0, 0, n - 1).astype(np.intp)
    return lo_i, hi_i, np.asarray(gamma, dtype=np.float64)


def interpolate_order_statistics(left: ArrayLike, right: ArrayLike, gamma: ArrayLike) -> FloatArray:
    r"""``left + (right - left) * gamma``, computed from the nearer end (exact at both ends).

    Parameters
    ----------
    left, right : array_like
        The order statistics :math:`x_{(lo)}` and :math:`x_{(hi)}`.
    gamma : array_like
        Weights in :math:`[0, 1]` (broadcast against ``left``).

    Returns
    -------
    ndarray
        :math:`x_{(lo)} + \gamma (x_{(hi)} - x_{(lo)})`, equal to ``right`` at
        :math:`\gamma = 1` and to ``left`` where the two are equal.

    Notes
    -----
    For :math:`\gamma \ge 1/2` it evaluates :math:`x_{(hi)} - (1-\gamma)(x_{(hi)} - x_{(lo)})`,
    which keeps the result inside :math:`[x_{(lo)}, x_{(hi)}]` under rounding.

    Examples
    --------
    >>> interpolate_order_statistics([1.0, 1.0], [2.0, 2.0], [0.25, 1.0]).tolist()
    [1.25, 2.0]
    """
    a, b = np.asarray(left, dtype=np.float64), np.asarray(right, dtype=np.float64)
    return _lerp(a, b, np.asarray(gamma, dtype=np.float64))


def check_alternative(alternative: str) -> str:
    """Return ``alternative`` if it is ``"two-sided"``, ``"less"`` or ``"greater"``.

    Parameters
    ----------
    alternative : str

    Returns
    -------
    str
        ``alternative`` itself.

    Raises
    ------
    ValueError
        For anything else, naming the allowed values.

    Examples
    --------
    >>> check_alternative("less")
    'less'
    """
    return _check_alternative(alternative)


def t_test_result(
    estimate: float, null_value: float, se: float, df: float, alternative: str, name: str
) -> TestResult:
    r"""The :class:`~m4ml.stats.TestResult` of a t-test from its estimate and standard error.

    Parameters
    ----------
    estimate : float
        The estimated location (e.g. :math:`\bar x_a - \bar x_b`).
    null_value : float
        Its value under the null hypothesis.
    se : float
        Standard error of ``estimate``, positive.
    df : float
        Degrees of freedom of the Student-t null distribution.
    alternative : {"two-sided", "less", "greater"}
    name : str
        The test's name, kept on the result.

    Returns
    -------
    TestResult
        ``statistic`` :math:`t = (\hat\theta - \theta_0)/\mathrm{se}`, ``pvalue`` from
        :math:`t_{\nu}`, ``df`` and ``confidence_interval()``
        :math:`\hat\theta \pm t_{\nu, 1-\alpha/2}\,\mathrm{se}` (one-sided for the
        one-sided alternatives), exactly as :func:`m4ml.stats.ttest_ind` builds it.

    Raises
    ------
    ValueError
        ``se`` is zero (the sample has no spread).

    Examples
    --------
    >>> res = t_test_result(1.0, 0.0, 0.5, 10.0, "two-sided", "demo")
    >>> print(f"{res.statistic:.6f} {res.pvalue:.6f}")
    2.000000 0.073388
    """
    return _t_result(estimate, null_value, se, df, alternative, name)


def f_sf(f: ArrayLike, d1: ArrayLike, d2: ArrayLike) -> FloatArray:
    r"""Upper tail :math:`P(F_{d_1, d_2} > f)` of Fisher's F distribution.

    Parameters
    ----------
    f : array_like
        Statistic values, non-negative.
    d1, d2 : array_like
        Numerator and denominator degrees of freedom.

    Returns
    -------
    ndarray or float

    Notes
    -----
    :math:`P(F > f) = I_{d_2/(d_1 f + d_2)}(d_2/2, d_1/2)`, the regularized incomplete beta
    function, evaluated on the tail that keeps full relative precision
    (:mod:`m4ml.stats._null`).

    Examples
    --------
    >>> round(float(f_sf(13.5, 1, 4)), 6)
    0.021312
    """
    return FDist(d1, d2).sf(f)


def anova_result(
    n: ArrayLike, means: ArrayLike, ss_within: ArrayLike, scale: ArrayLike
) -> TestResult:
    r"""The one-way ANOVA :class:`~m4ml.stats.TestResult` from per-group summaries.

    Parameters
    ----------
    n : array_like, shape (k,)
        Group sizes.
    means : array_like, shape (k, ...)
        Group means, in units of ``scale`` (trailing axes: independent tests).
    ss_within : array_like
        :math:`SS_W = \sum_g M_{2,g}`, in units of ``scale**2``.
    scale : array_like
        The power of two the data were divided by (so that no square over- or underflows).

    Returns
    -------
    TestResult
        ``statistic`` :math:`F`, ``pvalue``, ``df = (k - 1, N - k)``, ``ss_between``,
        ``ss_within``, ``ms_between``, ``ms_within`` (data units), ``r_squared`` and
        ``residual_std``, exactly as :func:`m4ml.stats.f_oneway` builds them.

    Raises
    ------
    ValueError
        :math:`N \le k`, or every observation equal (:math:`F = 0/0`).

    Warns
    -----
    UserWarning
        The sums of squares in data units leave the float64 range (reported as inf; F, the
        p-value, ``r_squared`` and ``residual_std`` come from the scaled values and are exact).

    Notes
    -----
    :math:`SS_B = \sum_g n_g(\bar x_g - \bar x)^2` about the corrected weighted grand mean
    :math:`\bar x`, :math:`F = \frac{SS_B/(k-1)}{SS_W/(N-k)}`, :math:`p = P(F_{k-1,N-k} > F)`
    (0 where :math:`SS_W = 0`); F is free of ``scale``, the sums of squares are multiplied by
    ``scale**2`` at the end.

    Examples
    --------
    >>> res = anova_result([3, 3], [2.0, 5.0], 4.0, 1.0)
    >>> print(f"F={res.statistic:.4f} df={res.df} SS_B={res.ss_between:.4f}")
    F=13.5000 df=(1, 4) SS_B=13.5000
    """
    n = np.asarray(n, dtype=np.float64)
    means, scale = np.asarray(means, dtype=np.float64), np.asarray(scale, dtype=np.float64)
    ss_within = np.asarray(ss_within, dtype=np.float64)
    k, N = n.size, n.sum()
    if N <= k:
        raise ValueError(f"f_oneway needs more observations ({N:.0f}) than groups ({k})")
    nb = n.reshape((k,) + (1,) * (means.ndim - 1))
    grand = np.sum(nb * means, axis=0) / N
    dev = means - grand
    grand = grand + np.sum(nb * dev, axis=0) / N  # corrected weighted mean
    dev = means - grand
    ss_between = np.sum(nb * dev * dev, axis=0)
    if np.any((ss_within == 0.0) & (ss_between == 0.0)):
        raise ValueError("all observations are equal, so F = 0/0 is undefined")
    df_b, df_w = k - 1, int(N) - k
    ms_b, ms_w = ss_between / df_b, ss_within / df_w  # in units of scale**2
    with np.errstate(divide="ignore"):
        F = ms_b / ms_w
    residual_std = np.sqrt(ms_w) * scale
    r_squared = ss_between / (ss_between + ss_within)
    with np.errstate(over="ignore"):
        ss_between, ss_within = ss_between * scale**2, ss_within * scale**2
    if not (np.all(np.isfinite(ss_between)) and np.all(np.isfinite(ss_within))):
        warnings.warn(
            "the ANOVA sums of squares exceed the float64 range (data of order "
            f"1e{int(np.log10(np.max(scale)))}); they are reported as inf, while F, the p-value, "
            "r_squared and residual_std are computed at a safe scale and are accurate",
            UserWarning,
            stacklevel=3,
        )
    ms_b, ms_w = ss_between / df_b, ss_within / df_w
    finite = np.isfinite(F)
    p = np.where(finite, FDist(df_b, df_w).sf(np.where(finite, F, 1.0)), 0.0)
    return TestResult(
        scalar_or_array(F),
        scalar_or_array(p),
        df=(df_b, df_w),
        name="f_oneway",
        ss_between=scalar_or_array(ss_between),
        ss_within=scalar_or_array(ss_within),
        ms_between=scalar_or_array(ms_b),
        ms_within=scalar_or_array(ms_w),
        df_between=df_b,
        df_within=df_w,
        r_squared=scalar_or_array(r_squared),
        residual_std=scalar_or_array(residual_std),
    )
