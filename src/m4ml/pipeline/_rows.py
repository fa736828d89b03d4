"""Rows of array-likes: counting them, checking that inputs agree, taking a subset of them
(keeping the container's type), and checking a target vector before it is split or scored.

Shared by the splitters, cross-validation, the searches and the inspection tools, which accept
NumPy arrays, lists, pandas DataFrames/Series and sparse matrices alike.
"""

import numpy as np

from m4ml._core.validation import as_label_array


def _n_samples(a):
    """Number of rows of an array-like (ndarray, list, DataFrame, Series, sparse matrix)."""
    if hasattr(a, "shape") and len(a.shape) > 0:
        return a.shape[0]
    try:
        return len(a)
    except TypeError:
        raise TypeError(f"expected an array-like with rows, got {type(a).__name__}") from None


def _check_lengths(*arrays):
    lengths = [_n_samples(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"inputs have inconsistent numbers of samples: {lengths}")
    return lengths[0] if lengths else 0


def _take(a, indices):
    """Rows ``indices`` of ``a``, keeping its type (pandas by position, lists as lists)."""
    if hasattr(a, "iloc"):
        return a.iloc[indices]
    if isinstance(a, np.ndarray) or hasattr(a, "tocsr"):
        return a[indices]
    return [a[i] for i in indices]


def check_target(y, name="y"):
    """``y`` unchanged if it is a usable target: class labels, or finite real numbers.

    Raises
    ------
    TypeError
        Complex values, or objects that are neither strings nor real numbers.
    ValueError
        NaN or infinity.
    """
    if y is None or hasattr(y, "tocsr"):
        return y
    arr = np.asarray(y)
    if arr.dtype.kind in "fc" or arr.dtype.kind == "O":
        as_label_array(arr, name, ndim=None)
    return y
