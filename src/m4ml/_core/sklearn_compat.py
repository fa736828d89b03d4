"""scikit-learn's input validation, as m4ml's estimators call it.

``validate_data`` and ``check_array`` test finiteness with a fast path that first sums the
whole array; for finite data near the float64 limit (values of order 1e308) that sum overflows
and NumPy emits a RuntimeWarning before scikit-learn falls back to an elementwise check. The
wrappers here silence only that intermediate overflow; the elementwise check still runs and
still rejects NaN and infinity with scikit-learn's message.
"""

import functools

import numpy as np
from sklearn.utils.validation import check_array as _check_array
from sklearn.utils.validation import validate_data as _validate_data

__all__ = ["check_array", "validate_data"]


def _quiet(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            return func(*args, **kwargs)

    return wrapper


validate_data = _quiet(_validate_data)
check_array = _quiet(_check_array)
