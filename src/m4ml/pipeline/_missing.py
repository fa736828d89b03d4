"""Which entries of an array are missing: the one definition every pipeline step shares.

An entry is missing when it equals ``missing_values``; with the default ``missing_values=np.nan``
that means NaN in a float array and NaN, ``None`` or ``pandas.NA`` in an object array.
:func:`validate_missing_input` is the input check every imputer applies with that definition.
"""

import numbers

import numpy as np

from m4ml._core.sklearn_compat import validate_data


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


def validate_missing_input(est, X, *, reset, dtype=None):
    """Convert ``X`` for an imputer: numeric or object 2-D array, NaN allowed if it is missing.

    Strings become an object array. A numeric ``X`` with a non-numeric ``missing_values`` is a
    ValueError, as is infinity, or NaN when NaN is not the missing marker.
    """
    allow_nan = is_nan_missing(est.missing_values)
    X = validate_data(
        est,
        X,
        reset=reset,
        dtype=dtype,
        copy=getattr(est, "copy", False),
        force_writeable=True,
        ensure_all_finite="allow-nan" if allow_nan else True,
    )
    if X.dtype.kind in "US":
        X = X.astype(object)
    if X.dtype.kind not in "biufO":
        raise ValueError(
            f"{type(est).__name__} does not support data with dtype {X.dtype}; pass numbers "
            "or an object array of categories"
        )
    mv = est.missing_values
    if X.dtype.kind in "biuf" and not allow_nan and not isinstance(mv, numbers.Real):
        raise ValueError(
            "'X' and 'missing_values' types are expected to be both numerical. Got "
            f"X.dtype={X.dtype} and type(missing_values)={type(mv)}."
        )
    return X
