"""One rule for losses and penalties at the edge of the float range (private).

A loss of finite inputs can still overflow (``mse`` of values near 1e200 squares them). The
functions wrapped here evaluate with NumPy's floating-point warnings off and raise a
``ValueError`` naming the function when the value is not finite, instead of returning ``inf``
with a ``RuntimeWarning``: the user is told to rescale the data.
"""

import functools

import numpy as np

from m4ml.autodiff import primal

__all__ = ["overflow_checked"]


def overflow_checked(fn):
    """Decorate a loss/penalty so that an overflowing value raises a clear ValueError."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            out = fn(*args, **kwargs)
        value = np.asarray(primal(out), dtype=float)
        if not np.all(np.isfinite(value)):
            raise ValueError(
                f"{fn.__name__} overflows float64 for inputs of this size (values near 1e154 "
                "or beyond are squared or summed past 1.8e308); rescale the data"
            )
        return out

    return wrapper
