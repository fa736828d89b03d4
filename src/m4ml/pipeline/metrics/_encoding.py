"""Label arrays and their integer encoding: the sorted classes and each sample's class index.

Integer (and bool) labels from a small range are encoded in linear time through a lookup
table; any other labels (floats, strings) through one sort (:func:`numpy.unique`).
"""

import numpy as np

from m4ml._core import as_label_array as check_labels


def as_label_array(y, name="y"):
    """Convert ``y`` to an ndarray of labels, rejecting ragged input.

    pandas objects and scipy.sparse matrices are converted to dense NumPy arrays.

    Raises
    ------
    ValueError
        If ``y`` is a scalar or cannot be converted to a rectangular array.
    """
    if hasattr(y, "to_numpy") and not isinstance(y, np.ndarray):  # pandas Series/DataFrame
        y = y.to_numpy()
    if hasattr(y, "toarray") and hasattr(y, "nnz"):  # a scipy.sparse indicator matrix
        y = y.toarray()
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} could not be converted to an array: {exc}") from None
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array of values, got the scalar {y!r}")
    check_labels(arr, name, ndim=None)  # complex, NaN/inf, None, mixed types: refused
    if arr.dtype.kind == "O" and arr.size and all(isinstance(v, str) for v in arr.flat[:1]):
        try:  # an object column of strings (pandas) behaves like a string array
            as_str = arr.astype(str)
            if np.array_equal(as_str, arr):
                return as_str
        except (TypeError, ValueError):
            pass
    return arr


def column_or_1d(y, name="y"):
    """Return ``y`` as a 1-D array; a column vector of shape ``(n, 1)`` is flattened.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D (or a single column).
    """
    arr = as_label_array(y, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        return arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (or a single column), got shape {arr.shape}")
    return arr


def _is_string_kind(arr):
    """True if the labels are strings (a str array, or an object array holding strings)."""
    if arr.dtype.kind in "US":
        return True
    if arr.dtype.kind == "O":
        return any(isinstance(v, str) for v in arr.ravel()[:1000])
    return False


def unique_inverse(y, name="y"):
    """Sorted classes of the 1-D label array ``y`` and the code of each sample.

    Returns ``(classes, codes)`` with ``classes[codes] == y``. Integer (and bool) labels whose
    range is at most a few times the number of samples are counted with a lookup table in
    linear time; all other labels are sorted once.

    Raises
    ------
    ValueError
        If the labels cannot be ordered (for example None mixed with strings, or NaN).
    """
    if y.dtype.kind in "iub" and y.size:
        yi = y.view(np.uint8) if y.dtype.kind == "b" else y
        lo, hi = int(yi.min()), int(yi.max())
        span = hi - lo + 1
        if span <= 4 * y.size + 1024 and -(2**62) < lo and hi < 2**62:
            shifted = yi.astype(np.intp, copy=False)
            if lo != 0:
                shifted = shifted - lo
            present = np.bincount(shifted, minlength=span) > 0
            table = np.cumsum(present) - 1
            classes = (np.flatnonzero(present) + lo).astype(yi.dtype)
            if y.dtype.kind == "b":
                classes = classes.astype(bool)
            return classes, table[shifted]
    if y.dtype.kind == "f" and y.size and not np.isfinite(y).all():
        raise ValueError(f"{name} contains NaN or infinity; labels must be finite")
    try:
        classes, codes = np.unique(y, return_inverse=True)
    except TypeError:
        raise ValueError(
            f"{name} holds labels that cannot be ordered (mixed types or missing values such "
            "as None); encode or drop them first"
        ) from None
    if y.dtype.kind == "O":
        missing = [c for c in classes if c is None or (isinstance(c, float) and c != c)]
        if missing:
            raise ValueError(f"{name} contains missing labels ({missing[0]!r})")
    return classes, codes.reshape(-1)


def check_label_kinds(*arrays):
    """Raise ``ValueError`` if some arrays hold strings and others numbers."""
    kinds = {_is_string_kind(a) for a in arrays if a.size}
    if len(kinds) > 1:
        raise ValueError("Mix of label input types (string and number)")


def positions(classes, labels):
    """Index of each of ``labels`` in the sorted ``classes``, and whether it was found."""
    labels = np.asarray(labels)
    if classes.size == 0:
        return np.zeros(labels.shape, dtype=np.intp), np.zeros(labels.shape, dtype=bool)
    try:
        idx = np.searchsorted(classes, labels)
    except TypeError:  # labels of another type than the classes are simply absent
        return np.zeros(labels.shape, dtype=np.intp), np.zeros(labels.shape, dtype=bool)
    idx = np.minimum(idx, classes.size - 1)
    return idx, classes[idx] == labels


def encode_pair(y_true, y_pred):
    """Encode two 1-D label arrays against their common sorted classes.

    Returns ``(classes, true_codes, pred_codes)``.
    """
    check_label_kinds(y_true, y_pred)
    both = np.concatenate([y_true, y_pred])
    classes, codes = unique_inverse(both, "y_true and y_pred")
    return classes, codes[: y_true.shape[0]], codes[y_true.shape[0] :]
