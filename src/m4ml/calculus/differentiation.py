r"""Numerical differentiation: finite differences with Richardson extrapolation.

:func:`derivative` differentiates a function of one variable (elementwise over an array of
points); the Jacobians, gradients and Hessians of functions of several variables
(:func:`jacobian_fd`, :func:`gradient_fd`, :func:`hessian_fd`) are defined in
``m4ml.calculus._multivariate_fd`` and exported from here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike
from m4ml.calculus._integrand import Integrand
from m4ml.calculus._multivariate_fd import gradient_fd, hessian_fd, jacobian_fd

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
