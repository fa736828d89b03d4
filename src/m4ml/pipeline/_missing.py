"""Which entries of an array are missing: the one definition every pipeline step shares.

An entry is missing when it equals ``missing_values``; with the default ``missing_values=np.nan``
that means NaN in a float array and NaN, ``None`` or ``pandas.NA`` in an object array.
"""

import numpy as np


def _is_nan_like(value):
    """NaN, None or pandas.NA (without importing pandas)."""
    if value is None or type(value).__name__ == "NAType":
        return True
    try:
        return bool(value != value)  # only NaN is unequal to itself
    except (TypeError, ValueError):
        return False


_nan_like = np.frompyfunc(_is_nan_like, 1, 1)


def is_nan_missing(missing_values):
    """True if ``missing_values`` denotes NaN/None (rather than a sentinel such as -1)."""
    return _is_nan_like(missing_values)


def missing_mask(X, missing_values=np.nan):
    """Boolean array, True where ``X`` holds a missing value.

    Parameters
    ----------
    X : ndarray
        Numeric or object array.
    missing_values : float, int, str or None
        The placeholder for missing entries. NaN (default) and None both select NaN, None and
        pandas.NA.

    Returns
    -------
    ndarray of bool, shape of ``X``

    Examples
    --------
    >>> import numpy as np
    >>> missing_mask(np.array([[1.0, np.nan], [None, "a"]], dtype=object)).tolist()
    [[False, True], [True, False]]
    >>> missing_mask(np.array([1, -1, 2]), missing_values=-1).tolist()
    [False, True, False]
    """
    X = np.asarray(X)
    if is_nan_missing(missing_values):
        if X.dtype.kind == "f":
            return np.isnan(X)
        if X.dtype.kind == "O":
            return _nan_like(X).astype(bool) if X.size else np.zeros(X.shape, dtype=bool)
        return np.zeros(X.shape, dtype=bool)
    if X.dtype.kind == "O":
        return np.frompyfunc(lambda v: bool(v == missing_values), 1, 1)(X).astype(bool)
    return X == missing_values
