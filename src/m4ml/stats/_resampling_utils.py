r"""Shared machinery of :mod:`m4ml.stats.resampling` (private).

Validation of the ``data``/``statistic``/count arguments, vectorizing a statistic that takes
no ``axis``, batching, the linear-interpolation quantile with a per-element level, and the
bootstrap's percentile-of-score, the jackknife and the BCa levels.
"""

import inspect
import math
import numbers

import numpy as np
from scipy.special import ndtr, ndtri

from m4ml._core import as_float_array


def as_samples(data, axis, min_obs):
    """Each sample as float64 with observations on the last axis; batch shapes broadcast."""
    if isinstance(data, np.ndarray) or not isinstance(data, list | tuple):
        raise TypeError("data must be a tuple or list of samples (array_likes)")
    if len(data) == 0:
        raise ValueError("data must contain at least one sample")
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    samples = []
    for k, sample in enumerate(data):
        arr = np.atleast_1d(as_float_array(sample, f"data[{k}]"))
        if not -arr.ndim <= axis < arr.ndim:
            raise ValueError(f"axis={axis} is out of range for data[{k}] of shape {arr.shape}")
        arr = np.moveaxis(arr, axis, -1)
        if arr.shape[-1] < min_obs:
            raise ValueError(
                f"data[{k}] has {arr.shape[-1]} observation(s) along axis {axis}; at least "
                f"{min_obs} are needed"
            )
        samples.append(arr)
    try:
        batch = np.broadcast_shapes(*(s.shape[:-1] for s in samples))
    except ValueError:
        raise ValueError("the samples' shapes (apart from axis) do not broadcast") from None
    return [np.broadcast_to(s, batch + s.shape[-1:]) for s in samples]


def check_statistic(statistic, vectorized):
    """Return ``statistic`` as a function of ``(*samples, axis=-1)``; ``vectorized=None``
    guesses from whether it takes an ``axis`` argument."""
    if not callable(statistic):
        raise TypeError("statistic must be callable")
    if vectorized not in (True, False, None):
        raise ValueError(f"vectorized must be True, False or None, got {vectorized!r}")
    if vectorized is None:
        try:
            vectorized = "axis" in inspect.signature(statistic).parameters
        except (TypeError, ValueError):  # some builtins have no signature
            vectorized = False
    return statistic if vectorized else vectorize_statistic(statistic)


def check_count(value, name):
    """``value`` as a positive int (``inf`` allowed); ValueError naming ``name`` otherwise."""
    if isinstance(value, float) and math.isinf(value) and value > 0:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def batches(total, batch):
    """Sizes of successive batches covering ``total`` items (one batch if ``batch`` is None)."""
    step = total if batch is None else batch
    for start in range(0, total, step):
        yield min(step, total - start)


def vectorize_statistic(statistic):
    """Wrap ``statistic(*samples) -> number`` as ``f(*samples, axis=-1)`` over batch axes.

    The samples arrive with observations on the last axis and equal (broadcast) leading
    shapes; the statistic is called once per leading index (a Python loop: pass a vectorized
    statistic for speed).
    """

    def stat_nd(*samples, axis=-1):
        samples = [np.moveaxis(s, axis, -1) for s in samples]
        lead = np.broadcast_shapes(*(s.shape[:-1] for s in samples))
        samples = [np.broadcast_to(s, lead + s.shape[-1:]) for s in samples]
        out = np.empty(lead)
        for index in np.ndindex(*lead):
            out[index] = statistic(*(s[index] for s in samples))
        return out[()]

    return stat_nd


def linear_quantile(values, q):
    """Quantiles of ``values`` along the last axis at levels ``q`` (one per leading index).

    NumPy's default (``method="linear"``): the sorted values :math:`v_0 \\le \\dots \\le
    v_{B-1}` are interpolated at position :math:`h = (B-1)q`. ``q`` broadcasts against the
    leading shape, so every row can have its own level (the BCa interval needs that); a NaN
    level gives NaN.
    """
    ordered = np.sort(values, axis=-1)
    last = ordered.shape[-1] - 1
    q = np.broadcast_to(np.asarray(q, dtype=np.float64), ordered.shape[:-1])
    bad = ~np.isfinite(q)
    h = np.where(bad, 0.0, q) * last
    lo = np.clip(np.floor(h), 0, last).astype(np.intp)
    hi = np.minimum(lo + 1, last)
    v_lo = np.take_along_axis(ordered, lo[..., None], axis=-1)[..., 0]
    v_hi = np.take_along_axis(ordered, hi[..., None], axis=-1)[..., 0]
    out = v_lo + (h - lo) * (v_hi - v_lo)
    return np.where(bad, np.nan, out)[()]


def percentile_of_score(values, score):
    """Fraction of ``values`` (last axis) below ``score``, ties counted half: in [0, 1]."""
    score = np.asarray(score)[..., None]
    below = np.count_nonzero(values < score, axis=-1)
    at_or_below = np.count_nonzero(values <= score, axis=-1)
    return (below + at_or_below) / (2.0 * values.shape[-1])


def jackknife(samples, statistic):
    """The statistic with each observation of each sample left out: one array per sample."""
    out = []
    for j, sample in enumerate(samples):
        n = sample.shape[-1]
        keep = ~np.eye(n, dtype=bool)
        rows = np.broadcast_to(np.arange(n), (n, n))[keep].reshape(n, n - 1)
        args = [np.expand_dims(s, -2) for s in samples]
        args[j] = sample[..., rows]  # (..., n, n - 1): row i leaves out observation i
        lead = np.broadcast_shapes(*(a.shape[:-1] for a in args))
        args = [np.broadcast_to(a, lead + a.shape[-1:]) for a in args]
        out.append(np.asarray(statistic(*args, axis=-1), dtype=np.float64))
    return out


def bca_levels(samples, statistic, theta_hat, boot, alpha):
    r"""The BCa quantile levels :math:`(\alpha_1, \alpha_2)` for nominal tail ``alpha``."""
    z0 = ndtri(percentile_of_score(boot, theta_hat))
    num, den = 0.0, 0.0
    for theta_i in jackknife(samples, statistic):
        n = theta_i.shape[-1]
        u = (n - 1) * (theta_i.mean(axis=-1, keepdims=True) - theta_i)
        num = num + (u**3).sum(axis=-1) / n**3
        den = den + (u**2).sum(axis=-1) / n**2
    with np.errstate(invalid="ignore", divide="ignore"):
        a_hat = num / (6.0 * den**1.5)
        z_a = ndtri(alpha)
        low = ndtr(z0 + (z0 + z_a) / (1 - a_hat * (z0 + z_a)))
        high = ndtr(z0 + (z0 - z_a) / (1 - a_hat * (z0 - z_a)))
    return low, high
