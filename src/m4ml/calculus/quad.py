r"""Adaptive Gauss–Kronrod quadrature with extrapolation: :func:`quad`."""

import heapq
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from m4ml._core import check_positive_int
from m4ml.calculus._gk_step import _EPS, _apply_rule, _bisect, _rule
from m4ml.calculus._integrand import Integrand
from m4ml.calculus.extrapolation import EpsilonTable
from m4ml.calculus.warnings import IntegrationWarning

__all__ = ["quad"]

_MESSAGES = {
    0: "converged",
    1: "the maximum number of subdivisions (limit) was reached",
    2: "roundoff error prevents reaching the requested tolerance",
    3: "the integrand behaves badly: an interval became too small to bisect",
    4: "the integral is probably divergent, or converges too slowly to extrapolate",
}


def _transformed(func, a, b):
    """Integrand on a finite interval in ``t`` equivalent to ``func`` over ``[a, b]``."""
    if math.isfinite(a) and math.isfinite(b):
        return func, a, b, 10
    if math.isfinite(a):  # [a, inf): x = a + (1 - t) / t

        def g(t):
            return func(a + (1.0 - t) / t) / (t * t)
    elif math.isfinite(b):  # (-inf, b]: x = b - (1 - t) / t

        def g(t):
            return func(b - (1.0 - t) / t) / (t * t)
    else:  # (-inf, inf): fold onto [0, inf)

        def g(t):
            u = (1.0 - t) / t
            both = func(np.concatenate([u, -u]))
            n = len(t)
            return (both[:n] + both[n:]) / (t * t)

    return g, 0.0, 1.0, 7


def _check_limits(a, b):
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise TypeError(f"the limits a and b must be real numbers, got {a!r} and {b!r}") from None
    if math.isnan(a) or math.isnan(b):
        raise ValueError("the limits of integration must not be NaN")
    return a, b


def quad(
    func: Callable[..., Any],
    a: float,
    b: float,
    args: tuple[Any, ...] = (),
    full_output: bool | int = 0,
    epsabs: float = 1.49e-8,
    epsrel: float = 1.49e-8,
    limit: int = 50,
    points: Sequence[float] | None = None,
    vectorized: bool | None = None,
) -> tuple[float, float] | tuple[float, float, dict[str, Any]]:
    r"""Integrate ``func`` from ``a`` to ``b`` (possibly infinite) with an error estimate.

    Parameters
    ----------
    func : callable
        ``func(x, *args) -> float``. It is called on arrays of nodes when it supports them
        (see ``vectorized``), which is much faster.
    a, b : float
        Limits; ``-numpy.inf`` / ``numpy.inf`` allowed. ``b < a`` gives the negated integral.
    args : tuple
        Extra arguments for ``func`` (a single non-tuple value is wrapped).
    full_output : bool
        Also return a dict of diagnostics.
    epsabs, epsrel : float
        Absolute and relative tolerance: the goal is
        :math:`|I - \text{value}| \le \max(\text{epsabs}, \text{epsrel}\,|I|)`.
    limit : int
        Maximum number of subintervals (default 50).
    points : sequence of float, optional
        Break points inside a finite ``[a, b]`` (discontinuities, kinks, singularities); the
        range is split there first.
    vectorized : bool or None
        ``None`` (default) tries ``func`` on an array and falls back to one call per node if
        that fails or returns the wrong shape; ``True``/``False`` force one mode.

    Returns
    -------
    value : float
        The integral.
    abserr : float
        An estimate of the absolute error.
    info : dict
        Only with ``full_output``: ``neval`` (integrand evaluations), ``last`` (number of
        subintervals), ``alist``, ``blist``, ``rlist``, ``elist`` (the subintervals — in the
        transformed variable :math:`t` for infinite ranges — with their values and errors),
        ``ier`` (0 on success) and ``message``.

    Raises
    ------
    TypeError
        ``func`` not callable, non-numeric limits.
    ValueError
        NaN limits, negative or zero tolerances, a bad ``limit``, ``points`` with infinite
        limits, or ``func`` returning NaN/inf at a node.

    Warns
    -----
    IntegrationWarning
        When the tolerance is not met (subdivision limit, roundoff, bad integrand); the best
        value and its error estimate are still returned.

    Notes
    -----
    On each subinterval :math:`[\alpha, \beta]` the 21-point Gauss–Kronrod rule :math:`K` and
    its embedded 10-point Gauss rule :math:`G` (:func:`m4ml.calculus.gauss.kronrod_nodes`) give
    the value :math:`K` and the QUADPACK error estimate

    .. math:: E = \tilde I \min\left(1, \left(\frac{200 |K - G|}{\tilde I}\right)^{3/2}\right),
              \qquad \tilde I = \int_\alpha^\beta |f - \bar f|,

    raised to at least :math:`50\epsilon \int |f|` for roundoff. Globally adaptive: a priority
    queue holds the subintervals by error, and the worst is bisected until
    :math:`\sum E \le \max(\epsilon_{abs}, \epsilon_{rel} |\sum K|)`.

    Near an endpoint singularity bisection alone converges only geometrically, so (as in
    QUADPACK's QAGS) once the worst intervals are the smallest ones, the larger intervals are
    first refined until their error is below tolerance, and then the current total joins a
    sequence :math:`S_1, S_2, \dots` (one term per level of refinement toward the singularity)
    that Wynn's :math:`\epsilon`-algorithm extrapolates
    (:func:`m4ml.calculus.extrapolation.wynn_epsilon`). Its error estimate is three times the
    change between the last two extrapolations (at least :math:`50\epsilon` relative), and
    is trusted only if the extrapolation moved the sum by less than ten times the sum's own
    estimate; the extrapolated value replaces the sum when its estimate is smaller. If the
    tolerance is not met, the reported error also includes the distance between the two.

    Infinite ranges are mapped to :math:`(0, 1]` by :math:`x = a + (1 - t)/t`
    (:math:`dx = dt / t^2`), the doubly infinite range is folded,
    :math:`f(x) + f(-x)` over :math:`[0, \infty)`, and the 15-point Kronrod rule is used there.

    Cost: one vectorized call of ``func`` per bisection, with 42 nodes on a finite range, 30
    on a half-infinite one and 60 on the whole line (the fold evaluates :math:`\pm x`); at
    most ``21 + 42 (limit - 1)`` evaluations on a finite range. Bookkeeping: a heap,
    :math:`O(\log m)` per bisection for :math:`m` subintervals, :math:`O(m)` per
    extrapolation step.

    References
    ----------
    .. [1] R. Piessens, E. de Doncker-Kapenga, C. W. Überhuber and D. K. Kahaner,
       *QUADPACK: A Subroutine Package for Automatic Integration*, Springer, 1983.
    .. [2] P. Wynn, "On a device for computing the e_m(S_n) transformation", *Math. Tables
       Aids Comput.* 10 (1956), 91-96.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.quad import quad
    >>> value, err = quad(np.exp, 0.0, 1.0)
    >>> round(value, 12), err < 1e-12
    (1.718281828459, True)
    >>> value, err = quad(lambda x: np.exp(-x * x), -np.inf, np.inf)
    >>> round(value, 12), round(float(np.sqrt(np.pi)), 12)
    (1.772453850906, 1.772453850906)
    >>> value, err = quad(lambda x: 1.0 / np.sqrt(x), 0.0, 1.0)  # endpoint singularity
    >>> round(value, 10), err < 1e-8
    (2.0, True)
    """
    a, b = _check_limits(a, b)
    epsabs, epsrel = float(epsabs), float(epsrel)
    if not (epsabs >= 0 and epsrel >= 0) or (epsabs == 0 and epsrel == 0):
        raise ValueError(f"need epsabs >= 0, epsrel >= 0, not both 0; got {epsabs}, {epsrel}")
    limit = check_positive_int(limit, "limit")
    fun = Integrand(func, args, vectorized, finite=False)  # checked on the rule's sums
    sign = 1.0
    if b < a:
        a, b, sign = b, a, -1.0
    if points is not None:
        if not (math.isfinite(a) and math.isfinite(b)):
            raise ValueError("points can only be given for a finite range, as in scipy")
        pts = np.asarray(points, dtype=float).reshape(-1)
        if not np.isfinite(pts).all():
            raise ValueError("points must be finite")
        pts = np.unique(pts[(pts > a) & (pts < b)])
    else:
        pts = np.zeros(0)
    if a == b:
        value, err, state = 0.0, 0.0, _State([], [], [], [], [])
    else:
        g, lo, hi, order = _transformed(fun, a, b)
        if g is not fun:
            g = Integrand(g, (), True, "func", finite=False)
        breaks = np.array([lo, hi]) if pts.size == 0 else np.concatenate([[lo], pts, [hi]])
        state = _adapt(g, breaks, _rule(order), epsabs, epsrel, limit)
        value, err = state.value, state.err
    if state.ier:
        warnings.warn(
            f"quad: {_MESSAGES[state.ier]}; the error estimate {err:.3g} may be unreliable. "
            "Try a larger limit, break points at singularities, or looser tolerances.",
            IntegrationWarning,
            stacklevel=2,
        )
    if not full_output:
        return sign * value, err
    info = {
        "neval": fun.neval,
        "last": len(state.alist),
        "alist": np.array(state.alist),
        "blist": np.array(state.blist),
        "rlist": sign * np.array(state.rlist),
        "elist": np.array(state.elist),
        "ier": state.ier,
        "message": _MESSAGES[state.ier],
    }
    return sign * value, err, info


class _State:
    """The subintervals (ends, values, errors, depths) and the outcome of :func:`_adapt`."""

    def __init__(self, alist, blist, rlist, elist, levels, value=0.0, err=0.0):
        self.alist, self.blist, self.rlist, self.elist = alist, blist, rlist, elist
        self.levels, self.ier = levels, 0
        self.value, self.err = value, err


def _diverges(extrapolated, area, errsum, one_signed, defabs):
    """QUADPACK's divergence test on an accepted extrapolation (dqagse, label 100).

    An extrapolation 100 times larger or smaller than the plain sum of the subintervals, or a
    sum whose own error estimate exceeds it, means the sequence being extrapolated diverges.
    Skipped for an integrand that changes sign and whose integral is small next to that of |f|.
    """
    if not one_signed and max(abs(extrapolated), abs(area)) <= 0.01 * defabs:
        return False
    if area == 0.0:
        return errsum > 0.0
    ratio = extrapolated / area
    return ratio < 0.01 or ratio > 100.0 or errsum > abs(area)


def _adapt(g, breaks, rule, epsabs, epsrel, limit):
    """Globally adaptive bisection with epsilon extrapolation (the engine of :func:`quad`)."""
    lo, hi = breaks[:-1], breaks[1:]
    rlist, elist, resasc, resabs = _apply_rule(g, lo, hi, rule)
    alist, blist = lo.tolist(), hi.tolist()
    levels = [0] * len(alist)
    area, errsum = math.fsum(rlist), math.fsum(elist)
    defabs = math.fsum(resabs)  # the first estimate of the integral of |f|
    one_signed = abs(area) >= (1.0 - 50 * _EPS) * defabs  # f keeps one sign (QUADPACK's ksgn)
    tol = max(epsabs, epsrel * abs(area))
    state = _State(alist, blist, rlist, elist, levels, area, errsum)
    single = len(alist) == 1
    trusted = not (single and elist[0] == resasc[0])  # the estimate equals the crude bound
    if (errsum <= tol and trusted) or errsum == 0.0:
        return state
    if single and tol < errsum <= 100 * _EPS * resabs[0]:  # QUADPACK: only when tol is missed
        state.ier = 2
        return state
    heap = [(-e, i) for i, e in enumerate(elist)]
    heapq.heapify(heap)
    table = EpsilonTable()  # Wynn's epsilon table of the totals, one term per level
    table.append(area)
    ext_value, ext_err, ext_history = None, math.inf, []
    small_level = 1  # intervals at this depth or deeper count as "small"
    large_mode = False
    ertest = tol
    while len(alist) < limit:
        if large_mode:  # bisect the worst *large* interval first
            skipped = []
            while heap and levels[heap[0][1]] >= small_level:
                skipped.append(heapq.heappop(heap))
            if not heap:
                large_mode = False
                heap = skipped
                heapq.heapify(heap)
                continue
            _, i = heapq.heappop(heap)
            for item in skipped:
                heapq.heappush(heap, item)
        else:
            _, i = heapq.heappop(heap)
        a1, b1 = alist[i], blist[i]
        mid = 0.5 * (a1 + b1)
        if not (a1 < mid < b1) or (b1 - a1) <= 8 * _EPS * max(abs(a1), abs(b1)):
            state.ier = 3
            heapq.heappush(heap, (-elist[i], i))
            break
        _, ra, rb, ea, eb = _bisect(g, a1, b1, rule)
        area += ra + rb - rlist[i]
        errsum += ea + eb - elist[i]
        lev = levels[i] + 1
        alist[i], blist[i], rlist[i], elist[i], levels[i] = a1, mid, ra, ea, lev
        alist.append(mid)
        blist.append(b1)
        rlist.append(rb)
        elist.append(eb)
        levels.append(lev)
        j = len(alist) - 1
        heapq.heappush(heap, (-ea, i))
        heapq.heappush(heap, (-eb, j))
        if len(alist) % 16 == 0:  # refresh the running sums against drift
            area, errsum = math.fsum(rlist), math.fsum(elist)
        tol = max(epsabs, epsrel * abs(area))
        if errsum <= tol:
            break
        worst = heap[0][1]
        if not large_mode and levels[worst] < small_level:
            continue  # ordinary adaptivity: the worst interval is still a large one
        erlarg = sum(e for e, lev in zip(elist, levels) if lev < small_level)
        if erlarg > ertest:
            large_mode = True
            continue
        large_mode = False
        estimate = table.append(area)
        if estimate is not None:
            ext_history.append(estimate)
            # error: the change from the previous extrapolation, trusted only when the
            # extrapolation moved the sum by no more than its own error estimate allows
            if len(ext_history) >= 2 and abs(estimate - area) <= 10.0 * errsum:
                e = max(3.0 * abs(estimate - ext_history[-2]), 50 * _EPS * abs(estimate))
                if e < ext_err:
                    ext_value, ext_err = estimate, e
                    ertest = max(epsabs, epsrel * abs(estimate))
                    if ext_err <= ertest:
                        break
        small_level += 1
    area, errsum = math.fsum(rlist), math.fsum(elist)
    if ext_value is not None and ext_err < errsum:
        if _diverges(ext_value, area, errsum, one_signed, defabs):
            # Wynn's table also "sums" divergent sequences (1 + 2 + 4 + ... = -1): report the
            # distance between the extrapolation and the plain sum as the error, and say so
            state.value, state.ier = ext_value, 4
            state.err = ext_err + errsum + abs(ext_value - area)
            return state
        state.value, state.err = ext_value, ext_err
        goal = max(epsabs, epsrel * abs(ext_value))
    else:
        state.value, state.err = area, errsum
        goal = max(epsabs, epsrel * abs(area))
    if state.err <= goal:
        state.ier = 0
    else:
        state.ier = state.ier or 1
        if state.value != area:  # unconverged extrapolation: add how far it moved the sum
            state.err += abs(state.value - area)
    return state
