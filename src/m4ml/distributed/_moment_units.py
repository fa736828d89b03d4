"""Power-of-two units for the chunk moments of :mod:`m4ml.distributed.moments` (private).

The corrected two-pass sums of a block, in data units where they fit and otherwise on the
block divided column by column by powers of two (exact), and the single rounding that brings a
scaled result back to data units. The math is in the docstring of
:mod:`m4ml.distributed.moments` ("Scaled moments").
"""

import numpy as np

from m4ml._core import power_of_two_scale
from m4ml._core.scaling import SAFE_HIGH, SAFE_LOW  # squares of values in it stay in range

__all__ = ["in_data_units", "scaled_two_pass", "two_pass"]


def scaled_two_pass(b, cross):
    """``(mean, m2, scale)`` of the rows of ``b``: ``mean``, ``m2`` in units of the per-column
    power of two ``scale`` (0 for a column of zeros)."""
    found = _in_range(b, cross)  # data units fit most blocks: no division, as without scaling
    if found is not None:
        return found
    c = power_of_two_scale(b, axis=0)
    y = b / c
    mean, m2 = two_pass(y, cross, y.sum(axis=0) / b.shape[0])
    zero = (mean == 0.0) & ((np.diagonal(m2) if cross else m2) == 0.0)
    return mean, m2, np.where(zero, 0.0, c)


def _in_range(b, cross):
    r"""``(mean, m2, scale)`` of ``b`` in data units (scale 1, or 0 for a column of zeros) when
    every column's largest value lies in :math:`[2^{-400}, 2^{400}]` or is 0, else None.

    That largest value is at least :math:`\max(|\bar x|, \sqrt{M_2/n})` and at most
    :math:`|\bar x| + \sqrt{M_2}`; a first mean outside the range (0 aside) settles it before
    any square is formed (subnormal arithmetic is slow)."""
    n = b.shape[0]
    with np.errstate(over="ignore", invalid="ignore"):
        m0 = b.sum(axis=0) / n
        a0 = np.abs(m0)
        if not np.all((a0 <= SAFE_HIGH) & ((a0 >= SAFE_LOW) | (a0 == 0.0))):
            return None
        mean, m2 = two_pass(b, cross, m0)
        diag = np.abs(np.diagonal(m2) if cross else m2)
        top, low = np.abs(mean) + np.sqrt(diag), np.maximum(np.abs(mean), np.sqrt(diag / n))
    zero = (mean == 0.0) & (diag == 0.0)  # tiny symmetric values may look so: look at them
    if zero.any():
        zero[zero] = ~np.any(b[:, zero], axis=0)
    if np.all(zero | ((top <= SAFE_HIGH) & (low >= SAFE_LOW))):
        return mean, m2, np.where(zero, 0.0, 1.0)
    return None


def two_pass(b, cross, m0):
    """Corrected two-pass mean and co-moments (or sums of squared deviations) of the rows,
    from the first mean ``m0``."""
    n = b.shape[0]
    d = b - m0
    s = d.sum(axis=0)
    m2 = d.T @ d - np.outer(s, s) / n if cross else np.einsum("ij,ij->j", d, d) - s * s / n
    return m0 + s / n, m2


def _exponent(scale):
    """:math:`e` with ``scale`` :math:`= 2^e` (0 where the scale is 0: its column is zero)."""
    return np.frexp(scale)[1] - (np.asarray(scale) != 0.0)


def in_data_units(value, scale, what, power=1):
    """``value * scale**power`` per column (``value * scale[j] * scale[k]`` for a matrix), in
    one rounding; ``ValueError`` naming ``what`` when that leaves the float64 range."""
    e = np.broadcast_to(_exponent(scale) * power, np.shape(value)[-1:])
    if np.ndim(value) == 2:
        e = e[:, None] + e[None, :]
    with np.errstate(over="ignore"):
        out = np.ldexp(value, e)
    if not np.isfinite(out).all():
        order = int(np.log10(np.max(scale)))
        raise ValueError(f"{what} overflows float64 (the data are of order 1e{order})")
    return out
