r"""Jacobians, gradients and Hessians of functions of several variables by finite differences.

Each partial derivative is a one-dimensional difference along a coordinate axis, with a step
scaled to the coordinate (:math:`h_j \sim \varepsilon^{1/(p+1)} \max(1, |x_j|)` for an
:math:`O(h^p)` formula), so the truncation and rounding errors balance. The public home of
:func:`jacobian_fd`, :func:`gradient_fd` and :func:`hessian_fd` is
:mod:`m4ml.calculus.differentiation` (and :mod:`m4ml.calculus`), which re-exports them.
"""

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray

__all__ = ["gradient_fd", "hessian_fd", "jacobian_fd"]

_EPS = float(np.finfo(float).eps)
_METHODS = ("central", "forward", "backward")


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
