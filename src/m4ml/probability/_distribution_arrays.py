r"""Probability arrays: checking them, and the pieces every information measure shares.

:func:`as_distribution` checks that an array holds probability vectors along an axis (finite,
non-negative, summing to 1 within ``sum_tolerance``) or rescales counts and weights to them;
``_pair`` checks and broadcasts two of them; ``_log_base`` turns a logarithm base into the
divisor of a result in nats; ``_rel_terms`` forms the terms :math:`p \log(p/q)` of a relative
entropy with the limits taken exactly. Used by :mod:`m4ml.probability.information` and
``information_joint``, the Markov chains and Bayes' theorem.
"""

import math

import numpy as np

from m4ml._core import as_float_array
from m4ml.probability.base import sum_tolerance


def _log_base(base):
    """``log(base)`` (1 for nats) after checking that ``base`` is a valid logarithm base."""
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, int | float | np.integer | np.floating):
        raise TypeError(f"base must be a positive real number, got {type(base).__name__}")
    if not (math.isfinite(base) and base > 0 and base != 1):
        raise ValueError(f"base must be positive, finite and not 1, got {base!r}")
    return math.log(base)


def as_distribution(p, name="p", *, axis=0, normalize=False):
    """Check that ``p`` holds probability vectors along ``axis`` (None: all entries).

    Returns a float64 array; with ``normalize`` each slice is divided by its sum instead of
    being required to sum to 1. Non-negativity and finiteness are checked with one ``min``
    and one ``sum`` (a NaN makes the minimum NaN, an infinity makes the sum infinite).
    """
    tol = sum_tolerance(p)
    arr = as_float_array(p, name, min_ndim=1, finite=False)
    if arr.size == 0:
        raise ValueError(f"{name} is empty; a distribution needs at least one outcome")
    if axis is not None:
        if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
            raise TypeError(f"axis must be an int or None, got {type(axis).__name__}")
        if not -arr.ndim <= axis < arr.ndim:
            raise ValueError(f"axis {axis} is out of range for {name} of shape {arr.shape}")
        axis = int(axis) % arr.ndim
    low = arr.min()
    if not low >= 0:
        raise ValueError(
            f"{name} must hold non-negative probabilities without NaN, found {float(low)!r}"
        )
    if np.isinf(low) or np.isinf(arr.max()):
        raise ValueError(f"{name} contains infinity; probabilities must be finite")
    if normalize:
        # weights of any magnitude: divide by each slice's largest power of two first, so the
        # sum can neither overflow (1e308-scale weights) nor lose subnormal ones
        big = arr.max(axis=axis, keepdims=True)
        if (big == 0).any():
            raise ValueError(f"{name} has a slice summing to 0; cannot normalize")
        arr = arr / np.ldexp(1.0, np.frexp(big)[1] - 1)
        return arr / arr.sum(axis=axis, keepdims=True)
    with np.errstate(over="ignore"):
        total = arr.sum(axis=axis, keepdims=True)
    err = np.abs(total - 1.0).max()
    if err > tol:
        bad = float(total.ravel()[np.argmax(np.abs(total - 1.0).ravel())])
        where = "in total" if axis is None else f"along axis {axis}"
        raise ValueError(
            f"{name} must sum to 1 {where}, found a sum of {bad!r}; "
            "pass normalize=True to rescale counts or weights"
        )
    return arr


def _pair(p, q, axis, normalize):
    P = as_distribution(p, "p", axis=axis, normalize=normalize)
    Q = as_distribution(q, "q", axis=axis, normalize=normalize)
    try:
        P, Q = np.broadcast_arrays(P, Q)
    except ValueError:
        raise ValueError(
            f"p and q must have broadcastable shapes, got {np.shape(p)} and {np.shape(q)}"
        ) from None
    return P, Q


def _rel_terms(P, Q):
    r"""Elementwise :math:`p \log(p/q)` with the limits 0 at p = 0 and +inf at p > 0 = q.

    Where :math:`|\log(p/q)| < 0.4` (so :math:`q/2 < p < 2q` and ``p - q`` is exact) the
    logarithm is recomputed as :math:`\mathrm{log1p}((p - q)/q)`: nearly equal ``p`` and
    ``q`` keep their relative accuracy, which ``log(p / q)`` loses to the rounding of
    ``p / q`` near 1. Where ``p / q`` overflows (a subnormal ``q``) the logarithms are taken
    separately.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lg = np.log(P / Q)
        lg = np.where(np.abs(lg) < 0.4, np.log1p((P - Q) / Q), lg)
        over = np.isinf(lg) & (Q > 0)  # p / q overflowed (q subnormal): take logs apart
        if over.any():
            lg[over] = np.log(P[over]) - np.log(Q[over])
        t = P * lg
    t[P == 0] = 0.0
    return t
