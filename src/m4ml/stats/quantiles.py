r"""Order statistics: quantiles (Hyndman–Fan, NumPy's method names), median, IQR, mode.

Every method reads the sorted sample :math:`x_{(1)} \le \dots \le x_{(n)}` at a *virtual
index*, 0-based here, :math:`h(q)`, and interpolates between its neighbours
:math:`x_{(\lfloor h\rfloor)}` and :math:`x_{(\lfloor h\rfloor + 1)}` with weight
:math:`\gamma`. The continuous methods (Hyndman–Fan types 4–9) use

.. math:: h = n q + \alpha + q(1 - \alpha - \beta) - 1, \qquad \gamma = h - \lfloor h\rfloor,

with plotting positions :math:`(\alpha, \beta)`: ``interpolated_inverted_cdf`` (0, 1),
``hazen`` (1/2, 1/2), ``weibull`` (0, 0), ``linear`` (1, 1) — the default,
:math:`h = (n-1)q` — ``median_unbiased`` (1/3, 1/3) and ``normal_unbiased`` (3/8, 3/8).
The discontinuous ones pick an order statistic: ``inverted_cdf`` (type 1,
:math:`x_{(\lceil nq\rceil)}`), ``averaged_inverted_cdf`` (type 2, the average at the jumps),
``closest_observation`` (type 3, the nearest order statistic, even one on ties); and on the
linear index: ``lower`` (floor), ``higher`` (ceil), ``nearest`` (round half to even),
``midpoint`` (the mean of floor and ceil).

References
----------
Hyndman, R. J. and Fan, Y. (1996). Sample quantiles in statistical packages.
The American Statistician 50(4), 361-365.
"""

from typing import NamedTuple

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.stats._nan_policy import nan_policy
from m4ml.stats._validation import as_sample

__all__ = ["QUANTILE_METHODS", "ModeResult", "iqr", "median", "mode", "quantile"]

_CONTINUOUS = {
    "interpolated_inverted_cdf": (0.0, 1.0),
    "hazen": (0.5, 0.5),
    "weibull": (0.0, 0.0),
    "linear": (1.0, 1.0),
    "median_unbiased": (1.0 / 3.0, 1.0 / 3.0),
    "normal_unbiased": (3.0 / 8.0, 3.0 / 8.0),
}
QUANTILE_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    *_CONTINUOUS,
    "lower",
    "higher",
    "nearest",
    "midpoint",
)


def _index_and_weight(n, q, method):
    """0-based lower index (float) and interpolation weight for each probability in ``q``."""
    if method == "linear":
        h = (n - 1) * q
    elif method in _CONTINUOUS:
        alpha, beta = _CONTINUOUS[method]
        h = n * q + (alpha + q * (1.0 - alpha - beta)) - 1.0
    elif method in ("lower", "higher", "nearest", "midpoint"):
        h = (n - 1) * q
        lo = np.floor(h)
        frac = h - lo
        if method == "lower":
            return lo, np.zeros_like(h)
        if method == "higher":
            return lo, (frac > 0).astype(float)
        if method == "nearest":
            return np.around(h), np.zeros_like(h)
        return lo, np.where(frac > 0, 0.5, 0.0)
    elif method == "inverted_cdf":  # x_(ceil(nq)), 1-based
        return np.ceil(n * q) - 1.0, np.zeros_like(q)
    elif method == "averaged_inverted_cdf":
        h = n * q - 1.0
        lo = np.floor(h)
        return lo, np.where(h - lo > 0, 1.0, 0.5)
    elif method == "closest_observation":
        h = n * q - 1.5
        lo = np.floor(h)
        # the upper neighbour, except exactly halfway onto an even 1-based order statistic
        tie_down = (h == lo) & (lo % 2 == 1)
        return np.where(tie_down, lo, lo + 1.0), np.zeros_like(h)
    else:
        raise ValueError(f"method must be one of {QUANTILE_METHODS}, got {method!r}")
    lo = np.floor(h)
    return lo, h - lo


def _lerp(a, b, t):
    """``a + (b - a) t``, computed from the nearer end so t = 1 returns ``b`` exactly."""
    diff = b - a
    out = np.where(t >= 0.5, b - diff * (1.0 - t), a + diff * t)
    return np.where(a == b, a, out)


@nan_policy("x")
def quantile(
    x: ArrayLike, q: float | ArrayLike, axis: int | None = None, method: str = "linear"
) -> float | FloatArray:
    r"""Sample quantile(s) of ``x`` at probabilities ``q``.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    q : float or array_like
        Probabilities in :math:`[0, 1]`.
    axis : int or None
        Axis of the observations; ``None`` (default, as NumPy) flattens.
    method : str
        One of :data:`QUANTILE_METHODS` (NumPy's names; module docstring). Default ``"linear"``.

    Returns
    -------
    float or ndarray
        Shape ``q.shape + `` the shape of ``x`` without ``axis`` (NumPy's convention).

    Raises
    ------
    ValueError
        Empty input, NaN/inf, ``q`` outside [0, 1], or an unknown ``method``.

    Notes
    -----
    One ``partition`` along the axis at the needed order statistics (introselect,
    :math:`O(n)` per index); the index arithmetic is vectorized over ``q``. Indices beyond
    the sample are clamped to the first/last order statistic.

    Examples
    --------
    >>> quantile([1.0, 2.0, 3.0, 4.0], [0.25, 0.5])
    array([1.75, 2.5 ])
    >>> print(quantile([1.0, 2.0, 3.0, 4.0], 0.25, method="inverted_cdf"))
    1.0
    """
    a = as_sample(x, axis=axis)
    qa = as_float_array(q, "q")
    if not ((qa >= 0.0) & (qa <= 1.0)).all():
        raise ValueError("q must hold probabilities in [0, 1]")
    n = a.shape[-1]
    lo, gamma = _index_and_weight(n, qa, method)
    lo_i = np.clip(lo, 0, n - 1).astype(np.intp)
    hi_i = np.clip(lo + 1.0, 0, n - 1).astype(np.intp)
    # only the order statistics at lo_i and hi_i are needed: one partition (introselect)
    kth = np.unique(np.concatenate([lo_i.ravel(), hi_i.ravel()]))
    s = np.moveaxis(np.partition(a, kth, axis=-1), -1, 0)
    left, right = s[lo_i], s[hi_i]
    g = np.reshape(gamma, gamma.shape + (1,) * (s.ndim - 1))
    out = _lerp(left, right, g)
    return out[()] if out.ndim == 0 else out


@nan_policy("x")
def median(x: ArrayLike, axis: int | None = None) -> float | FloatArray:
    r"""The median: the middle order statistic, or the mean of the two middle ones.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations; ``None`` (default, as NumPy) flattens.

    Returns
    -------
    float or ndarray
        ``quantile(x, 0.5, axis)``.

    Raises
    ------
    ValueError
        Empty input, NaN or infinity.

    Notes
    -----
    :math:`x_{((n+1)/2)}` for odd :math:`n`, :math:`\tfrac12(x_{(n/2)} + x_{(n/2+1)})` for even;
    the two middle order statistics come from one ``partition`` (introselect, :math:`O(n)`).

    Examples
    --------
    >>> print(median([3.0, 1.0, 2.0, 10.0]))
    2.5
    """
    a = as_sample(x, axis=axis)
    n = a.shape[-1]
    lo, hi = (n - 1) // 2, n // 2
    part = np.partition(a, [lo, hi], axis=-1)
    out = (part[..., lo] + part[..., hi]) / 2.0
    return out[()] if out.ndim == 0 else out


@nan_policy("x")
def iqr(x: ArrayLike, axis: int | None = None, method: str = "linear") -> float | FloatArray:
    r"""Interquartile range :math:`Q(0.75) - Q(0.25)`.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations; ``None`` (default, as ``scipy.stats.iqr``) flattens.
    method : str
        Quantile method (see :func:`quantile`).

    Returns
    -------
    float or ndarray
        The interquartile range.

    Raises
    ------
    ValueError
        As :func:`quantile`.

    Notes
    -----
    A robust spread: for normal data :math:`\mathrm{IQR} \approx 1.349\,\sigma`.

    Examples
    --------
    >>> print(iqr([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]))
    3.5
    """
    qs = quantile(x, [0.25, 0.75], axis=axis, method=method)
    out = qs[1] - qs[0]
    return out[()] if np.ndim(out) == 0 else out


class ModeResult(NamedTuple):
    """The most frequent value(s) and how often they occur."""

    mode: float
    count: float


def mode(x: ArrayLike, axis: int | None = 0) -> ModeResult:
    r"""The most frequent value along an axis (the smallest one on ties), with its count.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    axis : int or None
        Axis of the observations (default 0, as ``scipy.stats.mode``); ``None`` flattens.

    Returns
    -------
    ModeResult
        ``(mode, count)``, unpackable.

    Raises
    ------
    ValueError
        Empty input, NaN or infinity.

    Notes
    -----
    Sort each slice (:math:`O(n\log n)`), mark where a run of equal values starts, number the
    runs by a cumulative sum and count them with ``bincount``; the first longest run of the
    sorted slice holds the smallest modal value. No Python loop over slices.

    Examples
    --------
    >>> mode([3, 1, 2, 3, 1])
    ModeResult(mode=np.float64(1.0), count=np.float64(2.0))
    """
    a = as_sample(x, axis=axis)
    shape = a.shape[:-1]
    s = np.sort(a.reshape(-1, a.shape[-1]), axis=-1)
    start = np.ones(s.shape, dtype=bool)
    start[:, 1:] = s[:, 1:] != s[:, :-1]
    run = np.cumsum(start.ravel()) - 1
    counts = np.bincount(run)[run].reshape(s.shape)
    counts = np.where(start, counts, 0)
    best = np.argmax(counts, axis=-1)
    rows = np.arange(s.shape[0])
    modes = s[rows, best].reshape(shape)
    cnt = counts[rows, best].astype(np.float64).reshape(shape)
    return ModeResult(modes[()] if modes.ndim == 0 else modes, cnt[()] if cnt.ndim == 0 else cnt)
