"""Scaling by powers of two: exact, and enough to keep squares inside the float64 range."""

import numpy as np

__all__ = ["power_of_two_scale", "scale_for_largest"]

# Outside [2**-400, 2**400] sums of squares (of values or of deviations, which are at least
# eps * max|x| when not zero) could overflow or underflow; inside, scaling changes nothing.
SAFE_LOW = 2.0**-400
SAFE_HIGH = 2.0**400


def power_of_two_scale(a, *, always=False, axis=-1):
    """Per-slice power of two :math:`c` with :math:`\\max|a| / 2 \\le c` (along ``axis``).

    Returns 1 where ``max|a|`` lies in the safe range (unless ``always``) and where it is 0.
    """
    a = np.moveaxis(a, axis, -1)
    if a.shape[-1] == 0:
        return np.ones(a.shape[:-1])
    return scale_for_largest(np.maximum(a.max(axis=-1), -a.min(axis=-1)), always=always)


def scale_for_largest(big, *, always=False):
    """:func:`power_of_two_scale` from the largest absolute values ``big`` already at hand."""
    _, e = np.frexp(big)  # big = f * 2**e with 0.5 <= f < 1, so big < 2**e
    scale = np.ldexp(1.0, e - 1)
    if always:
        return np.where(big > 0.0, scale, 1.0)
    return np.where((big >= SAFE_LOW) & (big <= SAFE_HIGH) | (big == 0.0), 1.0, scale)
