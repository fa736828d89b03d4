"""Ratios that may be undefined: the ``zero_division`` convention of the precision/recall
family, and averaging that skips undefined (NaN) entries."""

import numbers

import numpy as np

from m4ml.pipeline.metrics._labels import warn_undefined


def _zero_division_value(zero_division):
    """The number that replaces an undefined ratio; ValueError for an invalid setting."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, numbers.Real) and not isinstance(zero_division, bool):
        if np.isnan(zero_division):
            return np.nan
        if zero_division in (0, 1):
            return float(zero_division)
    raise ValueError(f"zero_division must be 'warn', 0.0, 1.0 or np.nan; got {zero_division!r}")


def _divide(num, den, metric, modifier, average, warn_for, zero_division):
    """``num / den`` elementwise with zero denominators replaced by ``zero_division``."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    zero = den == 0
    out = num / np.where(zero, 1.0, den)
    if not zero.any():
        return out
    out[zero] = _zero_division_value(zero_division)
    if zero_division == "warn" and metric in warn_for:
        what, per = ("sample", "label") if average != "samples" else ("label", "sample")
        where = "due to" if out.shape[0] == 1 else f"in {per}s with"
        warn_undefined(
            f"{metric.capitalize()} is ill-defined and being set to 0.0 {where} no {modifier} "
            f"{what}s. Use `zero_division` parameter to control this behavior."
        )
    return out


def _nan_average(values, weights=None):
    """Weighted mean ignoring NaN entries; uniform if the remaining weights sum to zero."""
    if values.shape[0] == 0:
        return np.nan
    keep = ~np.isnan(values)
    if not keep.any():
        return np.nan
    if weights is None:
        return values[keep].mean()
    w = np.asarray(weights, dtype=np.float64)[keep]
    return np.average(values[keep], weights=w) if w.sum() != 0 else values[keep].mean()
