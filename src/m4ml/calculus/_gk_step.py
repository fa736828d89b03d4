"""One step of adaptive Gauss–Kronrod quadrature: the rule on a set of intervals, a bisection,
and QUADPACK's error estimate (the kernel under :func:`m4ml.calculus.quad`)."""

import math
from functools import lru_cache

import numpy as np

from m4ml.calculus.gauss import _kronrod_rule

_EPS = float(np.finfo(float).eps)
_TINY = float(np.finfo(float).tiny)


@lru_cache(maxsize=4)
def _rule(order):
    """Kronrod rule plus the arrays :func:`_bisect` needs (nodes of both halves, weights)."""
    x, wk, wg = _kronrod_rule(order)
    both = np.concatenate((x - 1.0, x + 1.0))
    return x, wk, wg, both, np.column_stack((wk, wg))


def _apply_rule(fun, lo, hi, rule):
    """Kronrod values, errors, and the two crude bounds on intervals ``[lo_i, hi_i]`` at once.

    Returns Python lists ``(values, errors, resasc, resabs)``.
    """
    x, wk, weights = rule[0], rule[1], rule[4]
    half = 0.5 * (hi - lo)
    nodes = (0.5 * (hi + lo))[:, None] + half[:, None] * x
    f = fun(nodes.reshape(-1)).reshape(nodes.shape)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf are reported just below
        sums = f @ weights
    if not np.isfinite(sums).all():
        _raise_nonfinite(f, nodes)
    dev = (np.abs(np.concatenate((f - 0.5 * sums[:, :1], f))) @ wk).tolist()
    m = len(half)
    values, errors, ascs, abss = [], [], [], []
    for (k, g), h, asc, absf in zip(sums.tolist(), half.tolist(), dev[:m], dev[m:]):
        values.append(h * k)
        ascs.append(abs(h) * asc)
        abss.append(abs(h) * absf)
        errors.append(_error(h * k, h * g, ascs[-1], abss[-1]))
    return values, errors, ascs, abss


def _raise_nonfinite(f, nodes):
    """Name the first node where the integrand is NaN/inf (or say the sums overflowed)."""
    bad = ~np.isfinite(f.reshape(-1))
    if not bad.any():
        raise ValueError("the integrand's values overflow the quadrature sums; rescale it")
    at = float(nodes.reshape(-1)[bad][0])
    raise ValueError(
        f"func returned NaN or infinity at x = {at!r} (for an infinite range: at t = {at!r} "
        "of the substitution x = a + (1 - t) / t). Quadrature nodes are interior to each "
        "interval, so put an integrable singularity at a limit or in points."
    )


def _error(k, g, asc, absf):
    """QUADPACK's error estimate from the Kronrod and Gauss values (Python floats)."""
    err = abs(k - g)
    if asc > 0.0 and err > 0.0:
        err = asc * min(1.0, (200.0 * err / asc) ** 1.5)
    if absf > _TINY / (50.0 * _EPS):
        err = max(50.0 * _EPS * absf, err)
    return err


def _bisect(fun, a, b, rule):
    """Kronrod values and error estimates of both halves of ``[a, b]``: one call of ``fun``."""
    both, weights, wk = rule[3], rule[4], rule[1]
    n = len(wk)
    mid = 0.5 * (a + b)
    h = 0.25 * (b - a)  # half-width of each half
    f = fun(mid + h * both).reshape(2, n)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf are reported just below
        sums = f @ weights  # [[K_left, G_left], [K_right, G_right]]
    (kl, gl), (kr, gr) = sums.tolist()
    if not math.isfinite(kl + gl + kr + gr):
        _raise_nonfinite(f, mid + h * both)
    dev = np.abs(np.concatenate((f - 0.5 * sums[:, :1], f))) @ wk
    al, ar, absl, absr = dev.tolist()
    h_abs = abs(h)
    el = _error(h * kl, h * gl, h_abs * al, h_abs * absl)
    er = _error(h * kr, h * gr, h_abs * ar, h_abs * absr)
    return mid, h * kl, h * kr, el, er
