r"""Line searches: Armijo backtracking and the strong-Wolfe search with zoom.

Along a descent direction :math:`p` (:math:`\nabla f(x)^\top p < 0`) a line search picks a step
:math:`\alpha` for :math:`\phi(\alpha) = f(x + \alpha p)`. Two conditions:

* sufficient decrease (Armijo): :math:`\phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0)`;
* strong curvature: :math:`|\phi'(\alpha)| \le c_2 |\phi'(0)|`,

with :math:`0 < c_1 < c_2 < 1`. Both together are the *strong Wolfe conditions*; they keep
:math:`s^\top y > 0`, which quasi-Newton updates need.

A NaN or infinite :math:`f(x + \alpha p)` is treated as "too far": both searches shrink the
step (they never return such a point).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray

__all__ = ["LineSearchResult", "armijo_backtracking", "strong_wolfe"]


class LineSearchResult(NamedTuple):
    """Step found by a line search: ``x_new = x + alpha * p``; ``grad`` is None if not computed."""

    alpha: float
    x: np.ndarray
    fun: float
    grad: np.ndarray | None
    nfev: int
    success: bool


def _check(c1, c2=None):
    if not 0.0 < c1 < 1.0:
        raise ValueError(f"c1 must lie in (0, 1), got {c1}")
    if c2 is not None and not c1 < c2 < 1.0:
        raise ValueError(f"c2 must lie in (c1, 1) = ({c1}, 1), got {c2}")


def _check_point(x, p, f0, g0):
    """The start of a line search as finite real vectors of one length, and ``f0`` a float."""
    x = as_float_array(x, "x", min_ndim=1, max_ndim=1)
    p = as_float_array(p, "p", min_ndim=1, max_ndim=1)
    g0 = as_float_array(g0, "g0", min_ndim=1, max_ndim=1)
    if not x.size or not x.shape == p.shape == g0.shape:
        raise ValueError(
            f"x, p and g0 must be non-empty vectors of one length, got {x.shape}, {p.shape} "
            f"and {g0.shape}"
        )
    f0 = float(as_float_array(f0, "f0", max_ndim=0))
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.isfinite(g0 @ p):
            raise ValueError("the directional derivative g0 . p overflows float64; rescale")
    return x, p, f0, g0


def armijo_backtracking(
    fun: Callable[[FloatArray], float],
    x: ArrayLike,
    p: ArrayLike,
    f0: float,
    g0: ArrayLike,
    alpha0: float = 1.0,
    c1: float = 1e-4,
    max_iter: int = 50,
) -> LineSearchResult:
    r"""Backtrack from ``alpha0`` until the Armijo sufficient-decrease condition holds.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x, p : ndarray
        The point and a descent direction.
    f0 : float
        ``fun(x)``.
    g0 : ndarray
        The gradient at ``x``.
    alpha0 : float
        First trial step.
    c1 : float
        Sufficient-decrease constant in (0, 1).
    max_iter : int
        Maximum number of reductions.

    Returns
    -------
    LineSearchResult
        ``grad`` is None (the caller evaluates it if needed); ``success`` False if no step
        within ``max_iter`` reductions satisfied the condition.

    Raises
    ------
    ValueError
        If ``p`` is not a descent direction or ``c1`` is out of range.

    Notes
    -----
    Each rejected step is replaced by the minimizer of the quadratic interpolating
    :math:`\phi(0)`, :math:`\phi'(0)` and :math:`\phi(\alpha)`,
    :math:`\alpha^+ = -\phi'(0)\alpha^2 / (2(\phi(\alpha) - \phi(0) - \phi'(0)\alpha))`,
    safeguarded to :math:`[0.1\alpha, 0.5\alpha]` (halving when :math:`\phi(\alpha)` is not
    finite). One function evaluation per trial.

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer 2006, Alg. 3.1
    and Sec. 3.5.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda z: float(z @ z)
    >>> x = np.array([1.0, 1.0]); g = 2 * x
    >>> r = armijo_backtracking(f, x, -g, f(x), g)
    >>> round(r.alpha, 6), r.success
    (0.5, True)
    """
    _check(c1)
    x, p, f0, g0 = _check_point(x, p, f0, g0)
    d0 = float(g0 @ p)
    if not d0 < 0:
        raise ValueError(f"p is not a descent direction: grad . p = {d0:g} >= 0")
    alpha, nfev = float(alpha0), 0
    for _ in range(max_iter):
        xn = x + alpha * p
        fn = float(fun(xn))
        nfev += 1
        if np.isfinite(fn) and fn <= f0 + c1 * alpha * d0:
            return LineSearchResult(alpha, xn, fn, None, nfev, True)
        if np.isfinite(fn):
            denom = 2.0 * (fn - f0 - d0 * alpha)
            new = -d0 * alpha * alpha / denom if denom > 0 else 0.5 * alpha
            alpha = min(max(new, 0.1 * alpha), 0.5 * alpha)
        else:
            alpha *= 0.5
    return LineSearchResult(alpha, x, f0, None, nfev, False)


def _cubic_min(a, fa, da, b, fb, db):
    """Minimizer of the cubic matching f and f' at a and b (None if it does not exist)."""
    with np.errstate(all="ignore"):
        d1 = da + db - 3.0 * (fa - fb) / (a - b)
        rad = d1 * d1 - da * db
        if not (np.isfinite(rad) and rad >= 0):
            return None
        d2 = np.copysign(np.sqrt(rad), b - a)
        den = db - da + 2.0 * d2
        if den == 0:
            return None
        t = b - (b - a) * (db + d2 - d1) / den
    return float(t) if np.isfinite(t) else None


def strong_wolfe(
    fun_and_grad: Callable[[FloatArray], tuple[float, FloatArray]],
    x: ArrayLike,
    p: ArrayLike,
    f0: float,
    g0: ArrayLike,
    alpha0: float = 1.0,
    c1: float = 1e-4,
    c2: float = 0.9,
    alpha_max: float = 1e10,
    max_iter: int = 30,
) -> LineSearchResult:
    r"""Find a step satisfying the strong Wolfe conditions (bracketing, then zoom).

    Parameters
    ----------
    fun_and_grad : callable
        ``fun_and_grad(x) -> (f, g)``; a non-finite ``f`` counts as too long a step.
    x, p : ndarray
        The point and a descent direction.
    f0 : float
        :math:`f(x)`.
    g0 : ndarray
        :math:`\nabla f(x)`.
    alpha0 : float
        First trial step (1 for Newton and quasi-Newton directions).
    c1, c2 : float
        Wolfe constants, :math:`0 < c_1 < c_2 < 1` (0.9 for quasi-Newton, 0.1 for nonlinear CG).
    alpha_max : float
        Largest step tried.
    max_iter : int
        Maximum number of function evaluations.

    Returns
    -------
    LineSearchResult
        With the new gradient. When the search fails (``success`` False) it still returns the
        best point satisfying sufficient decrease, if it met one, else ``x`` itself.

    Raises
    ------
    ValueError
        If ``p`` is not a descent direction or the constants are out of range.

    Notes
    -----
    Nocedal & Wright's Algorithm 3.5 expands the trial step (doubling) until an interval
    :math:`[\alpha_{lo}, \alpha_{hi}]` must contain a strong-Wolfe point: either the step
    violates sufficient decrease, or :math:`\phi` stopped decreasing, or
    :math:`\phi'(\alpha) \ge 0`. Algorithm 3.6 (zoom) then shrinks the interval, each trial at the
    minimizer of the cubic through :math:`\phi, \phi'` at both ends, kept at least 10% of the
    interval away from its ends (bisection when the cubic has no minimizer). Every trial costs
    one evaluation of :math:`f` and :math:`\nabla f`.

    Near a minimizer :math:`f` stops changing within rounding before :math:`\nabla f` is small;
    there (:math:`|\phi(\alpha) - \phi(0)| \le 10^{-12}|\phi(0)|`) sufficient decrease is
    replaced by Hager and Zhang's approximate-Wolfe test
    :math:`\phi'(\alpha) \le (2c_1 - 1)\phi'(0)`, which reads the decrease from the slope.

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer 2006, Alg. 3.5,
    3.6 and eq. (3.59). W. W. Hager and H. Zhang, "A new conjugate gradient method with
    guaranteed descent and an efficient line search", SIAM J. Optim. 16(1):170-192, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> fg = lambda z: (float(z @ z), 2 * z)
    >>> x = np.array([3.0, -1.0]); f0, g0 = fg(x)
    >>> r = strong_wolfe(fg, x, -g0, f0, g0, alpha0=1.0)
    >>> r.success, np.round(r.x, 6).tolist()
    (True, [0.0, 0.0])
    """
    _check(c1, c2)
    x, p, f0, g0 = _check_point(x, p, f0, g0)
    d0 = float(g0 @ p)
    if not d0 < 0:
        raise ValueError(f"p is not a descent direction: grad . p = {d0:g} >= 0")
    nfev = 0
    best = (0.0, x, f0, g0)  # best point meeting sufficient decrease so far
    noise = 1e-12 * abs(f0)  # f differences below this are rounding

    def decrease_ok(a, fa, da):
        # Armijo, or (Hager-Zhang's approximate Wolfe) f unchanged to rounding while the
        # derivative shows the model decreased: phi'(a) <= (2 c1 - 1) phi'(0)
        return fa <= f0 + c1 * a * d0 or (fa <= f0 + noise and da <= (2 * c1 - 1) * d0)

    def evaluate(a):
        nonlocal nfev, best
        xa = x + a * p
        fa, ga = fun_and_grad(xa)
        nfev += 1
        da = float(ga @ p) if np.isfinite(fa) else np.nan
        if np.isfinite(fa) and decrease_ok(a, fa, da) and (fa < best[2] or best[0] == 0.0):
            best = (a, xa, fa, ga)
        return xa, fa, ga, da

    def done(a, xa, fa, ga):
        return LineSearchResult(a, xa, fa, ga, nfev, True)

    def failed():
        a, xa, fa, ga = best
        return LineSearchResult(a, xa, fa, ga, nfev, False)

    def zoom(lo, flo, dlo, hi, fhi, dhi):
        while nfev < max_iter:
            width = hi - lo
            t = None
            if np.isfinite(fhi) and np.isfinite(dhi):
                t = _cubic_min(lo, flo, dlo, hi, fhi, dhi)
            lo_edge, hi_edge = min(lo, hi), max(lo, hi)
            margin = 0.1 * abs(width)
            if t is None or not (lo_edge + margin <= t <= hi_edge - margin):
                t = lo + 0.5 * width
            if abs(t - lo) <= 1e-16 * max(1.0, abs(lo)):
                break
            xt, ft, gt, dt = evaluate(t)
            if not np.isfinite(ft) or not decrease_ok(t, ft, dt) or ft > flo + noise:
                hi, fhi, dhi = t, ft, dt
            else:
                if abs(dt) <= -c2 * d0:
                    return done(t, xt, ft, gt)
                if dt * (hi - lo) >= 0:
                    hi, fhi, dhi = lo, flo, dlo
                lo, flo, dlo = t, ft, dt
        return failed()

    a_prev, f_prev, d_prev = 0.0, f0, d0
    a = min(float(alpha0), alpha_max)
    first = True
    while nfev < max_iter:
        xa, fa, ga, da = evaluate(a)
        if not np.isfinite(fa) or not decrease_ok(a, fa, da) or (not first and fa > f_prev + noise):
            return zoom(a_prev, f_prev, d_prev, a, fa, da)
        if abs(da) <= -c2 * d0:
            return done(a, xa, fa, ga)
        if da >= 0:
            return zoom(a, fa, da, a_prev, f_prev, d_prev)
        if a >= alpha_max:
            break
        a_prev, f_prev, d_prev = a, fa, da
        a = min(2.0 * a, alpha_max)
        first = False
    return failed()
