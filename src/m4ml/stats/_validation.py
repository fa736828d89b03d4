"""Input checks shared by the modules of :mod:`m4ml.stats` (private).

``as_sample`` converts a sample to a finite float64 array and rejects empty samples with a
message naming the argument; ``resolve_axis`` validates an ``axis`` argument.
"""

import numbers

import numpy as np

from m4ml._core import as_float_array

__all__ = ["as_sample", "resolve_axis"]


def resolve_axis(axis, ndim, name="axis"):
    """Return ``axis`` as a non-negative int (``None`` stays ``None``); ValueError if invalid."""
    if axis is None:
        return None
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an int or None, got {type(axis).__name__}")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ValueError(f"{name}={axis} is out of range for an array with {ndim} dimension(s)")
    return int(axis) % max(ndim, 1)


def as_sample(x, name="x", *, axis=None, min_size=1, max_ndim=None, finite=True):
    """Convert a sample to float64 and move the observations to the last axis.

    Parameters
    ----------
    x : array_like
        Finite real numbers.
    name : str
        Argument name for error messages.
    axis : int or None
        Axis holding the observations; ``None`` flattens the array.
    min_size : int
        Minimum number of observations along ``axis``.
    max_ndim : int, optional
        Maximum number of dimensions allowed.
    finite : bool
        Reject NaN/inf (default); ``False`` leaves the check to the caller.

    Returns
    -------
    ndarray
        The sample with observations along the last axis (1-D when ``axis`` is None).

    Raises
    ------
    ValueError
        NaN/inf, an out-of-range axis, or fewer than ``min_size`` observations.
    TypeError
        Non-numeric input.
    """
    arr = as_float_array(x, name, max_ndim=max_ndim, finite=finite)
    if axis is None:
        arr = arr.ravel()
    else:
        if arr.ndim == 0:
            arr = arr.reshape(1)
        arr = np.moveaxis(arr, resolve_axis(axis, arr.ndim), -1)
    n = arr.shape[-1]
    if n < min_size:
        what = "is empty" if n == 0 else f"has {n} observation(s)"
        raise ValueError(f"{name} {what}; at least {min_size} observation(s) are needed")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {np.shape(x)})")
    return arr
