r"""Descriptive statistics: location, spread, shape, mode, autocorrelation, a summary.

Every moment is computed by the *corrected two-pass* algorithm, never by the textbook
:math:`\overline{x^2} - \bar x^2`, which cancels catastrophically when the mean is large
next to the spread (it loses every digit on NIST's NumAcc4, values :math:`10^7 + 0.1k`):

1. a first mean :math:`\tilde m = \frac1n \sum x_i` (NumPy's pairwise summation along the
   observation axis), then the correction :math:`m = \tilde m + \frac1n\sum (x_i - \tilde m)`,
   which recovers the digits the first sum lost;
2. deviations :math:`d_i = x_i - m` and
   :math:`S = \sum d_i^2 - \frac1n\left(\sum d_i\right)^2` (Chan, Golub and LeVeque's
   corrected two-pass sum of squares; the second term is the rounding error of :math:`m`).

Order statistics (quantiles, the median, the IQR, the mode) live in
:mod:`m4ml.stats.quantiles`; covariance and the
correlation coefficients in :mod:`m4ml.stats.correlation`.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983). Algorithms for computing the sample
variance: analysis and recommendations. The American Statistician 37(3), 242-247.
"""

import warnings
from typing import NamedTuple

import numpy as np

from m4ml._core import scalar_or_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.stats._moments import central_sums, scaled_sd, scaled_var
from m4ml.stats._nan_policy import nan_policy
from m4ml.stats._validation import as_sample
from m4ml.stats.quantiles import median

__all__ = [
    "DescribeResult",
    "autocorrelation",
    "describe",
    "kurtosis",
    "mean",
    "skewness",
    "std",
    "var",
]


@nan_policy("x")
def mean(x: ArrayLike, axis: int | None = None) -> float | FloatArray:
    r"""Arithmetic mean, accurate to the last digit.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis to average over; ``None`` (default, as in NumPy) uses every element.

    Returns
    -------
    float or ndarray
        :math:`\bar x = \frac1n\sum_i x_i`.

    Raises
    ------
    ValueError
        Empty input, NaN or infinity.

    Notes
    -----
    A pairwise sum followed by the correction
    :math:`\bar x = \tilde m + \frac1n\sum_i (x_i - \tilde m)`; two passes, :math:`O(n)`.

    Examples
    --------
    >>> print(mean([0.1, 0.1, 0.1]))  # a plain sum gives 0.10000000000000002
    0.1
    >>> mean([[1.0, 2.0], [3.0, 5.0]], axis=0)
    array([2. , 3.5])
    """
    return scalar_or_array(central_sums(as_sample(x, axis=axis)).mean)


@nan_policy("x")
def var(x: ArrayLike, axis: int | None = None, ddof: int = 0) -> float | FloatArray:
    r"""Variance :math:`s^2 = \frac{1}{n - \mathrm{ddof}} \sum_i (x_i - \bar x)^2`.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations; ``None`` (default) uses every element.
    ddof : int
        Delta degrees of freedom: 0 (default, as NumPy) for the maximum-likelihood variance,
        1 for the unbiased sample variance.

    Returns
    -------
    float or ndarray
        The variance.

    Raises
    ------
    ValueError
        Empty input, NaN/inf, or ``ddof`` >= the number of observations.

    Notes
    -----
    Corrected two-pass sum of squares (module docstring); relative error
    :math:`O(n\varepsilon + n^2\varepsilon^2\kappa^2)` with
    :math:`\kappa = \lVert x\rVert / \sqrt{S}`, against :math:`O(n\varepsilon\kappa^2)` for
    the one-pass formula.

    Examples
    --------
    >>> print(var([10000000.2, 10000000.1, 10000000.3], ddof=1))  # of the stored binary values
    0.01000000011175871
    """
    n, _, ss, c, _ = _checked_sums(x, axis, ddof)
    return scalar_or_array(scaled_var(ss, n - ddof, c))


def _checked_sums(x, axis, ddof):
    cs = central_sums(as_sample(x, axis=axis))
    if isinstance(ddof, bool) or not isinstance(ddof, int | np.integer) or not 0 <= ddof < cs.n:
        raise ValueError(f"ddof must be an integer with 0 <= ddof < n = {cs.n}, got {ddof!r}")
    return cs


@nan_policy("x")
def std(x: ArrayLike, axis: int | None = None, ddof: int = 0) -> float | FloatArray:
    r"""Standard deviation :math:`\sqrt{\operatorname{var}(x, \mathrm{ddof})}`.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations; ``None`` (default) uses every element.
    ddof : int
        Delta degrees of freedom (0 default, 1 for the sample standard deviation).

    Returns
    -------
    float or ndarray
        The standard deviation.

    Raises
    ------
    ValueError
        As :func:`var`.

    Notes
    -----
    The square root of :func:`var`; the square root halves the relative error.

    Examples
    --------
    >>> print(round(std([2, 4, 4, 4, 5, 5, 7, 9]), 12))
    2.0
    """
    n, _, ss, c, _ = _checked_sums(x, axis, ddof)
    return scalar_or_array(scaled_sd(ss, n - ddof, c))


def _standardized_moments(a, name):
    """``(n, m, S, c, d*d, d)`` for a sample ``a`` (observations last, ``S`` and ``d`` scaled
    by ``c``: the moment ratios do not depend on it), rejecting zero variance."""
    n, m, S, c, d = central_sums(a, deviations=True, always_scale=True)
    m2 = S / n
    size = np.abs(m) / c + np.sqrt(m2)
    if np.any(m2 <= (1e3 * np.finfo(float).eps * size) ** 2):
        raise ValueError(f"{name} is undefined for data with (numerically) zero variance")
    return n, m, S, c, d * d, d


def _skew(n, m2, m3, bias):
    g1 = m3 / m2**1.5
    if not bias:
        if n < 3:
            raise ValueError("the bias-corrected skewness needs at least 3 observations")
        g1 = g1 * np.sqrt(n * (n - 1.0)) / (n - 2.0)
    return g1


def _kurt(n, m2, m4, fisher, bias):
    ratio = m4 / (m2 * m2)
    if bias:
        g = ratio - 3.0
    else:
        if n < 4:
            raise ValueError("the bias-corrected kurtosis needs at least 4 observations")
        g = ((n * n - 1.0) * ratio - 3.0 * (n - 1.0) ** 2) / ((n - 2.0) * (n - 3.0))
    return g if fisher else g + 3.0


def _dot(u, v):
    return np.einsum("...i,...i->...", u, v)


@nan_policy("x")
def skewness(x: ArrayLike, axis: int | None = 0, bias: bool = True) -> float | FloatArray:
    r"""Sample skewness :math:`g_1 = m_3 / m_2^{3/2}`.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations (default 0, as ``scipy.stats.skew``); ``None`` flattens.
    bias : bool
        ``False`` applies the adjustment :math:`G_1 = g_1\sqrt{n(n-1)}/(n-2)` (needs
        :math:`n > 2`).

    Returns
    -------
    float or ndarray
        The skewness.

    Raises
    ------
    ValueError
        Empty input, NaN/inf, zero variance, or ``bias=False`` with fewer than 3 observations.

    Notes
    -----
    :math:`m_k = \frac1n \sum_i (x_i - \bar x)^k`, from the two-pass deviations.

    Examples
    --------
    >>> print(round(skewness([1.0, 2.0, 3.0, 10.0]), 10))
    1.0182337649
    """
    n, _, S, _, d2, d = _standardized_moments(as_sample(x, axis=axis), "skewness")
    return scalar_or_array(_skew(n, S / n, _dot(d2, d) / n, bias))


@nan_policy("x")
def kurtosis(
    x: ArrayLike, axis: int | None = 0, fisher: bool = True, bias: bool = True
) -> float | FloatArray:
    r"""Sample kurtosis :math:`g_2 = m_4 / m_2^2 - 3` (excess kurtosis by default).

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations (default 0, as ``scipy.stats.kurtosis``).
    fisher : bool
        ``True`` (default) subtracts 3 so a normal distribution scores 0 (excess kurtosis);
        ``False`` gives Pearson's :math:`m_4/m_2^2`.
    bias : bool
        ``False`` gives the adjusted estimator
        :math:`G_2 = \frac{(n^2-1) m_4/m_2^2 - 3(n-1)^2}{(n-2)(n-3)}` (needs :math:`n > 3`).

    Returns
    -------
    float or ndarray
        The kurtosis.

    Raises
    ------
    ValueError
        Empty input, NaN/inf, zero variance, or ``bias=False`` with fewer than 4 observations.

    Notes
    -----
    Moments from the two-pass deviations, as in :func:`skewness`.

    Examples
    --------
    >>> print(round(kurtosis([1.0, 2.0, 3.0, 10.0]), 10))
    -0.7696
    """
    n, _, S, _, d2, _ = _standardized_moments(as_sample(x, axis=axis), "kurtosis")
    return scalar_or_array(_kurt(n, S / n, _dot(d2, d2) / n, fisher, bias))


def autocorrelation(x: ArrayLike, lag: int = 1) -> float:
    r"""Sample autocorrelation coefficient at ``lag``, as NIST StRD defines it.

    Parameters
    ----------
    x : array_like
        A 1-D series of finite reals.
    lag : int
        The lag :math:`k`, :math:`1 \le k < n`.

    Returns
    -------
    float
        :math:`r(k) = \dfrac{\sum_{i=k+1}^{n} (x_i - \bar x)(x_{i-k} - \bar x)}
        {\sum_{i=1}^{n} (x_i - \bar x)^2}`.

    Raises
    ------
    ValueError
        Not 1-D, NaN/inf, ``lag`` out of range, or a constant series.

    Notes
    -----
    Deviations from the corrected mean; the denominator is the corrected two-pass sum of
    squares, so both sums keep their digits on data with a large common offset.

    Examples
    --------
    >>> print(round(autocorrelation([1.0, 2.0, 3.0, 4.0, 5.0]), 12))
    0.4
    """
    a = as_sample(x, max_ndim=1)
    n, _, S, _, d = central_sums(a, deviations=True)
    if isinstance(lag, bool) or not isinstance(lag, int | np.integer) or not 1 <= lag < n:
        raise ValueError(f"lag must be an integer with 1 <= lag < n = {n}, got {lag!r}")
    if S == 0.0:
        raise ValueError("autocorrelation is undefined for a constant series")
    return scalar_or_array(np.dot(d[lag:], d[:-lag]) / S)


class DescribeResult(NamedTuple):
    """Summary of a sample, field for field as ``scipy.stats.describe``."""

    nobs: int
    minmax: tuple
    mean: float
    variance: float
    skewness: float
    kurtosis: float
    median: float


@nan_policy("x")
def describe(
    x: ArrayLike, axis: int | None = 0, ddof: int = 1, bias: bool = True
) -> DescribeResult:
    r"""Summary statistics: count, range, mean, variance, skewness, excess kurtosis, median.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations (default 0, as ``scipy.stats.describe``).
    ddof : int
        Delta degrees of freedom of the variance (default 1).
    bias : bool
        Passed to :func:`skewness` and :func:`kurtosis`.

    Returns
    -------
    DescribeResult
        ``(nobs, (min, max), mean, variance, skewness, kurtosis, median)``.

    Raises
    ------
    ValueError
        Empty input, NaN/inf, zero variance (skewness and kurtosis are undefined), or
        ``ddof`` >= n.

    Notes
    -----
    The fields agree with ``scipy.stats.describe``; ``median`` is an extra last field.

    Examples
    --------
    >>> d = describe([1.0, 2.0, 3.0, 10.0])
    >>> print(d.nobs, d.minmax, d.mean, round(d.variance, 12), d.median)
    4 (np.float64(1.0), np.float64(10.0)) 4.0 16.666666666667 2.5
    """
    a = as_sample(x, axis=axis)
    n, m, S, c, d2, d = _standardized_moments(a, "describe (skewness and kurtosis)")
    if isinstance(ddof, bool) or not isinstance(ddof, int | np.integer) or not 0 <= ddof < n:
        raise ValueError(f"ddof must be an integer with 0 <= ddof < n = {n}, got {ddof!r}")
    m2 = S / n
    with np.errstate(over="ignore"):
        variance = S / (n - ddof) * c * c
    if not np.all(np.isfinite(variance)):
        warnings.warn(
            "describe: the variance exceeds the float64 range (data of order "
            f"1e{int(np.log10(np.max(c)))}) and is reported as inf; the other fields are exact",
            UserWarning,
            stacklevel=2,
        )
    return DescribeResult(
        int(n),
        (scalar_or_array(a.min(axis=-1)), scalar_or_array(a.max(axis=-1))),
        scalar_or_array(m),
        scalar_or_array(variance),
        scalar_or_array(_skew(n, m2, _dot(d2, d) / n, bias)),
        scalar_or_array(_kurt(n, m2, _dot(d2, d2) / n, True, bias)),
        median(a, axis=-1),
    )
