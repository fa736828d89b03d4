r"""Pieces of :mod:`m4ml.stats` that higher layers build on (designated, importable, stable).

:mod:`m4ml.distributed` computes the same statistics from summaries merged over chunks and
then needs exactly the final steps the in-memory functions use, so the two paths agree by
construction. Those steps live here, under public names, instead of being imported from this
package's private modules:

* :func:`quantile_positions` and :func:`interpolate_order_statistics`: the Hyndman–Fan
  definition of every quantile ``method`` as "which two order statistics, with what weight"
  (:func:`m4ml.stats.quantile`);
* :func:`check_alternative`, :func:`t_test_result` and :func:`f_sf`: the null distributions
  and the result object of the t- and F-tests (:func:`m4ml.stats.ttest_ind`,
  :func:`m4ml.stats.f_oneway`).

These are not in ``m4ml.stats.__all__`` (they are tools, not statistics); import them from
``m4ml.stats.building_blocks``.
"""

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.stats._null import FDist
from m4ml.stats._results import TestResult
from m4ml.stats._results import check_alternative as _check_alternative
from m4ml.stats.parametric import _t_result
from m4ml.stats.quantiles import _index_and_weight, _lerp

__all__ = [
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
