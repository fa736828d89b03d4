r"""Numerical differentiation: finite differences with Richardson extrapolation."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.calculus._integrand import Integrand

__all__ = ["DerivativeResult", "derivative", "gradient_fd", "hessian_fd", "jacobian_fd"]

_EPS = float(np.finfo(float).eps)

# central stencils (offsets, weights) for h^n f^(n); their error expands in h^2, h^4, ...
_CENTRAL = {
    1: ([-1, 1], [-0.5, 0.5]),
    2: ([-1, 0, 1], [1.0, -2.0, 1.0]),
    3: ([-2, -1, 1, 2], [-0.5, 1.0, -1.0, 0.5]),
    4: ([-2, -1, 0, 1, 2], [1.0, -4.0, 6.0, -4.0, 1.0]),
}
_METHODS = ("central", "forward", "backward")


def _stencil(n, method):
    """Offsets and weights of the n-th difference, and the power step of its error series."""
    if method == "central":
        offsets, weights = _CENTRAL[n]
        return np.array(offsets, float), np.array(weights), 2
    j = np.arange(n + 1)
    binom = np.array([1.0])
    for _ in range(n):
        binom = np.convolve(binom, [1.0, 1.0])
    weights = (-1.0) ** (n - j) * binom  # forward difference Delta^n
    if method == "forward":
        return j.astype(float), weights, 1
    return -j[::-1].astype(float), weights, 1  # backward: offsets -n..0, same weights


@dataclass(frozen=True)
class DerivativeResult:
    """Result of :func:`derivative`.

    Attributes
    ----------
    df : float or ndarray
        The derivative, shaped like ``x``.
    error : float or ndarray
        Estimated absolute error of ``df``.
    success : bool or ndarray
        Whether ``error`` is at most ``max(atol, rtol * |df|)``.
    nfev : int
        Number of function evaluations per point of ``x``.
    """

    df: object
    error: object
    success: object
    nfev: int


def derivative(
    f: Callable[..., Any],
    x: float | ArrayLike,
    n: int = 1,
    method: Literal["central", "forward", "backward"] = "central",
    step: float | None = None,
    args: tuple[Any, ...] = (),
    levels: int = 10,
    rtol: float | None = None,
    atol: float = 0.0,
) -> DerivativeResult:
    r"""The ``n``-th derivative of a scalar function, with an error estimate.

    Parameters
    ----------
    f : callable
        ``f(x, *args)``, elementwise: given an array of points it returns the values at each
        (a scalar-only ``f`` also works, more slowly).
    x : float or array_like
        Point(s) at which to differentiate (each independently).
    n : int
        Order of the derivative, 1 to 4.
    method : {"central", "forward", "backward"}
        Which finite differences: central (error series in :math:`h^2`; the default and the
        most accurate) or one-sided (for a point at the edge of ``f``'s domain).
    step : float, optional
        The largest step :math:`h_0`; the default is ``0.5 * max(1, |x|)`` (0.125 times that
        for one-sided methods). Steps :math:`h_0, h_0/2, \dots, h_0/2^{L-1}` are used.
    args : tuple
        Extra arguments for ``f``.
    levels : int
        Number of step sizes :math:`L` in the Richardson table (default 10).
    rtol, atol : float
        Tolerances for ``success`` (default ``rtol`` is :math:`10^{n-1}\sqrt\epsilon` for
        central differences, 1000 times that for one-sided ones).

    Returns
    -------
    DerivativeResult
        ``df``, ``error``, ``success``, ``nfev``.

    Raises
    ------
    TypeError
        ``f`` not callable; non-integer ``n``.
    ValueError
        ``n`` outside 1..4, an unknown method, a non-positive step, NaN/inf ``x``, or ``f``
        returning NaN/inf near ``x``.

    Notes
    -----
    With a difference stencil :math:`D_h f = h^{-n} \sum_j w_j f(x + j h)`, e.g.
    :math:`D_h f = \frac{f(x + h) - f(x - h)}{2h}` for :math:`n = 1`,

    .. math:: D_h = f^{(n)}(x) + c_1 h^p + c_2 h^{2p} + \dots,
              \qquad p = 2 \text{ (central)}, \ p = 1 \text{ (one-sided)}.

    Richardson extrapolation over the halving steps :math:`h_k = h_0 / 2^k`,

    .. math:: T_{k,j} = T_{k,j-1} + \frac{T_{k,j-1} - T_{k-1,j-1}}{2^{pj} - 1},
              \qquad T_{k,0} = D_{h_k},

    cancels one error term per column. As in Ridders' method, each entry's error is
    estimated as :math:`\max(|T_{k,j} - T_{k,j-1}|, |T_{k,j} - T_{k-1,j-1}|)` plus a bound
    on its rounding error (:math:`\epsilon \sum_j |w_j f(x + j h)| / h^n`, propagated through
    the table), and the entry with the smallest estimate is returned with it. Typical
    accuracy for smooth ``f`` of unit scale: :math:`10^{-13}` for :math:`n = 1`,
    :math:`10^{-11}` for :math:`n = 2`, :math:`10^{-9}` for :math:`n = 3`,
    :math:`10^{-7}` for :math:`n = 4` (central); one-sided differences lose more
    (:math:`10^{-12}, 10^{-9}, 10^{-6}, 10^{-4}`). Cost: :math:`L` times the stencil size
    evaluations, in one vectorized call.

    References
    ----------
    .. [1] L. F. Richardson, "The deferred approach to the limit", *Phil. Trans. R. Soc. A*
       226 (1927), 299-361.
    .. [2] C. J. F. Ridders, "Accurate computation of F'(x) and F'(x) F''(x)", *Adv. Eng.
       Software* 4 (1982), 75-76.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.differentiation import derivative
    >>> res = derivative(np.sin, 1.0)
    >>> round(float(res.df), 12), round(float(np.cos(1.0)), 12), bool(res.error < 1e-11)
    (0.540302305868, 0.540302305868, True)
    >>> res = derivative(np.exp, [0.0, 1.0], n=3)
    >>> np.round(res.df, 8)
    array([1.        , 2.71828183])
    """
    fun = Integrand(f, args, None, "f", finite=False)
    n = check_positive_int(n, "n")
    if n > 4:
        raise ValueError(f"n must be 1, 2, 3 or 4, got {n}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    levels = check_positive_int(levels, "levels", minimum=2)
    x = as_float_array(x, "x")
    scale = np.maximum(1.0, np.abs(x))
    if step is None:
        h0 = 0.5 * scale * (1.0 if method == "central" else 0.125)
    else:
        h0 = as_float_array(step, "step")
        if np.any(h0 <= 0):
            raise ValueError(f"step must be positive, got {step}")
        h0 = np.broadcast_to(h0, x.shape)
    offsets, weights, p = _stencil(n, method)
    # layout (L levels, s stencil points, *x.shape): reductions run over the leading axes
    shape = (levels,) + (1,) * x.ndim
    h = h0 / 2.0 ** np.arange(levels).reshape(shape)  # (L, ...)
    points = x + h[:, None] * offsets.reshape((1, -1) + (1,) * x.ndim)  # (L, s, ...)
    with np.errstate(all="ignore"):  # steps that leave f's domain are discarded below
        values = fun(points.reshape(-1)).reshape(points.shape)
    usable = np.isfinite(values).all(axis=1)  # (L, ...)
    if not usable.any(axis=0).all():
        raise ValueError(
            "f returned NaN or infinity at every step near x; is x inside f's domain? "
            "(try a one-sided method or a smaller step)"
        )
    values = np.where(usable[:, None], values, 0.0)
    hn = h**n
    table = sum(w * values[:, i] for i, w in enumerate(weights)) / hn
    size = sum(abs(w) * np.abs(values[:, i]) for i, w in enumerate(weights))
    noise = _EPS * (size + np.abs(values).max(axis=1)) / hn
    noise = np.where(usable, noise, np.inf)
    best = table.copy()
    best_err = np.full(table.shape, np.inf)
    prev, prev_noise = table, noise
    for j in range(1, levels):
        q = 2.0 ** (p * j) - 1.0
        cur = prev[1:] + (prev[1:] - prev[:-1]) / q
        cur_noise = ((q + 1.0) * prev_noise[1:] + prev_noise[:-1]) / q
        with np.errstate(invalid="ignore"):
            err = np.maximum(np.abs(cur - prev[1:]), np.abs(cur - prev[:-1]))
        err = np.where(np.isfinite(cur_noise), err + cur_noise, np.inf)
        take = err < best_err[j:]
        best[j:] = np.where(take, cur, best[j:])
        best_err[j:] = np.where(take, err, best_err[j:])
        prev, prev_noise = cur, cur_noise
    k = np.argmin(best_err, axis=0)[None]
    df = np.take_along_axis(best, k, 0)[0]
    error = np.take_along_axis(best_err, k, 0)[0]
    if rtol is None:
        rtol = np.sqrt(_EPS) * 10.0 ** (n - 1) * (1.0 if method == "central" else 1e3)
    success = error <= np.maximum(atol, rtol * np.abs(df))
    if df.ndim == 0:
        df, error, success = float(df), float(error), bool(success)
    return DerivativeResult(df, error, success, levels * len(offsets))


def _as_point(x):
    x = as_float_array(x, "x")
    if x.size == 0:
        raise ValueError("x must hold at least one coordinate")
    return x


def _default_step(x, order):
    """Near-optimal steps for an O(h^order) difference: h ~ eps^(1/(order + 1)) * scale."""
    return _EPS ** (1.0 / (order + 1)) * np.maximum(1.0, np.abs(x))


def _call(f, x, args):
    y = np.asarray(f(x, *args), dtype=float)
    if not np.isfinite(y).all():
        raise ValueError("f returned NaN or infinity near x; is x inside f's domain?")
    return y


def jacobian_fd(
    f: Callable[..., Any],
    x: ArrayLike,
    step: float | ArrayLike | None = None,
    method: Literal["central", "forward", "backward"] = "central",
    args: tuple[Any, ...] = (),
) -> FloatArray:
    r"""Jacobian of ``f`` at ``x`` by finite differences with one Richardson step.

    Parameters
    ----------
    f : callable
        ``f(x, *args)`` mapping an array shaped like ``x`` to an array (or scalar).
    x : array_like
        The point.
    step : float or array_like, optional
        Step(s) :math:`h` per coordinate; default :math:`\epsilon^{1/5}\max(1, |x_i|)` for
        central, :math:`\epsilon^{1/3}\max(1, |x_i|)` for one-sided differences.
    method : {"central", "forward", "backward"}
        Difference scheme.
    args : tuple
        Extra arguments for ``f``.

    Returns
    -------
    ndarray, shape f(x).shape + x.shape
        :math:`J_{\dots, i} = \partial f_{\dots} / \partial x_i`.

    Raises
    ------
    ValueError
        Unknown method, empty or non-finite ``x``, non-positive step, NaN/inf values of ``f``.

    Notes
    -----
    Column :math:`i` is :math:`D_h = (f(x + h e_i) - f(x - h e_i)) / 2h` (error
    :math:`O(h^2)`) combined as :math:`(4 D_{h/2} - D_h) / 3` (error :math:`O(h^4)`); the
    one-sided versions combine :math:`2 D_{h/2} - D_h` (error :math:`O(h^2)`). With the
    default steps the error is about :math:`\epsilon^{4/5} \approx 10^{-13}` (central) and
    :math:`\epsilon^{2/3} \approx 10^{-11}` (one-sided) relative to the scale of ``f``.
    Cost: :math:`4 n` (central) or :math:`2n + 1` evaluations for :math:`n` coordinates.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
       section 8.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.differentiation import jacobian_fd
    >>> J = jacobian_fd(lambda v: np.array([v[0] * v[1], np.sin(v[0])]), [1.0, 2.0])
    >>> np.round(J, 10)
    array([[2.        , 1.        ],
           [0.54030231, 0.        ]])
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    x = _as_point(x)
    order = 4 if method == "central" else 2
    h = _default_step(x, order) if step is None else np.broadcast_to(as_float_array(step), x.shape)
    if np.any(h <= 0):
        raise ValueError("step must be positive")
    f0 = _call(f, x, args) if method != "central" else None
    columns = []
    for i in np.ndindex(x.shape):
        estimates = []
        for hh in (h[i], h[i] / 2.0):
            e = np.zeros(x.shape)
            e[i] = hh
            if method == "central":
                d = (_call(f, x + e, args) - _call(f, x - e, args)) / (2.0 * hh)
            elif method == "forward":
                d = (_call(f, x + e, args) - f0) / hh
            else:
                d = (f0 - _call(f, x - e, args)) / hh
            estimates.append(d)
        coarse, fine = estimates
        columns.append((4.0 * fine - coarse) / 3.0 if method == "central" else 2 * fine - coarse)
    J = np.stack(columns, axis=-1)
    return J.reshape(J.shape[:-1] + x.shape)


def gradient_fd(
    f: Callable[..., Any],
    x: ArrayLike,
    step: float | ArrayLike | None = None,
    method: Literal["central", "forward", "backward"] = "central",
    args: tuple[Any, ...] = (),
) -> FloatArray:
    r"""Gradient of a scalar function by finite differences (see :func:`jacobian_fd`).

    Parameters
    ----------
    f : callable
        ``f(x, *args) -> float``.
    x : array_like
        The point.
    step : float or array_like, optional
        Steps, as in :func:`jacobian_fd`.
    method : {"central", "forward", "backward"}
        Difference scheme.
    args : tuple
        Extra arguments for ``f``.

    Returns
    -------
    ndarray, shaped like ``x``
        :math:`\nabla f(x)`.

    Raises
    ------
    ValueError
        ``f`` not scalar-valued, or as for :func:`jacobian_fd`.

    Notes
    -----
    :math:`\partial_i f \approx \frac{4 D_{h/2} - D_h}{3}` with
    :math:`D_h = \frac{f(x + h e_i) - f(x - h e_i)}{2h}`: error :math:`O(h^4)`, about
    :math:`10^{-13}` relative with the default step. Cost :math:`4n + 1` evaluations (one to
    check that ``f`` is scalar-valued).

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
       section 8.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.differentiation import gradient_fd
    >>> np.round(gradient_fd(lambda v: v @ v + v[0], [1.0, -2.0]), 10)
    array([ 3., -4.])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    x = _as_point(x)
    if np.ndim(_call(f, x, args)) != 0:
        raise ValueError("gradient_fd needs a scalar-valued f; use jacobian_fd")
    return jacobian_fd(f, x, step, method, args)


def hessian_fd(
    f: Callable[..., Any],
    x: ArrayLike,
    step: float | ArrayLike | None = None,
    args: tuple[Any, ...] = (),
) -> FloatArray:
    r"""Hessian of a scalar function by central differences with one Richardson step.

    Parameters
    ----------
    f : callable
        ``f(x, *args) -> float``.
    x : array_like
        The point.
    step : float or array_like, optional
        Steps :math:`h_i`; default :math:`\epsilon^{1/6} \max(1, |x_i|)`.
    args : tuple
        Extra arguments for ``f``.

    Returns
    -------
    ndarray, shape x.shape + x.shape
        The (symmetric) matrix of second derivatives.

    Raises
    ------
    ValueError
        ``f`` not scalar-valued, empty or non-finite ``x``, a non-positive step.

    Notes
    -----
    .. math:: H_{ij} \approx D_{ij}(h) = \frac{f(x + h_i e_i + h_j e_j) - f(x + h_i e_i - h_j
              e_j) - f(x - h_i e_i + h_j e_j) + f(x - h_i e_i - h_j e_j)}{4 h_i h_j},

    an :math:`O(h^2)` formula (on the diagonal it is the second difference with step
    :math:`2h_i`), improved to :math:`O(h^4)` by :math:`(4 D(h/2) - D(h)) / 3`; the result is
    symmetrized. Relative accuracy about :math:`\epsilon^{2/3} \approx 10^{-10}`. Cost
    :math:`\approx 4 n^2` evaluations.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
       section 8.1.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.differentiation import hessian_fd
    >>> np.round(hessian_fd(lambda v: v[0] ** 2 * v[1] + np.exp(v[1]), [1.0, 0.0]), 8)
    array([[0., 2.],
           [2., 1.]])
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    x = _as_point(x)
    if np.ndim(_call(f, x, args)) != 0:
        raise ValueError("hessian_fd needs a scalar-valued f")
    h = _default_step(x, 5) if step is None else np.broadcast_to(as_float_array(step), x.shape)
    if np.any(h <= 0):
        raise ValueError("step must be positive")
    flat_x, flat_h, m = x.reshape(-1), h.reshape(-1), x.size

    def second(scale):
        H = np.empty((m, m))
        for i in range(m):
            for j in range(i, m):
                ei = np.zeros(m)
                ej = np.zeros(m)
                ei[i] = scale * flat_h[i]
                ej[j] = scale * flat_h[j]
                total = 0.0
                for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                    point = (flat_x + si * ei + sj * ej).reshape(x.shape)
                    total += si * sj * float(_call(f, point, args))
                H[i, j] = H[j, i] = total / (4.0 * ei[i] * ej[j])
        return H

    H = (4.0 * second(0.5) - second(1.0)) / 3.0
    H = 0.5 * (H + H.T)
    return H.reshape(x.shape + x.shape)
