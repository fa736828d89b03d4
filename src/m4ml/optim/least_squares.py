r"""Nonlinear least squares with SciPy's interface: :func:`least_squares`.

The problem is

.. math:: \min_x F(x) = \tfrac12 \sum_{i=1}^m C^2 \rho\big((f_i(x)/C)^2\big)
          \quad\text{s.t.}\quad \ell \le x \le u,

with residuals :math:`f: \mathbb R^n \to \mathbb R^m`, a loss :math:`\rho` (``"linear"``:
:math:`\rho(z) = z`, ordinary least squares) and its scale :math:`C` = ``f_scale``. The
solvers are in :mod:`m4ml.optim.lsq_solvers`; the Jacobian is the user's, or exact from
:mod:`m4ml.autodiff` when ``fun`` is written with :mod:`m4ml.numpy`, or finite differences.
"""

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, HasBounds
from m4ml.autodiff import jacfwd
from m4ml.calculus.differentiation import jacobian_fd
from m4ml.optim._derivatives import warn_fallback
from m4ml.optim._lsq_common import LOSSES
from m4ml.optim._result import OptimizeResult
from m4ml.optim.lsq_solvers import _coleman_li, _Problem, lm, trf

__all__ = ["least_squares"]

_MESSAGES = {
    -1: "Improper input parameters status returned from MINPACK.",
    0: "The maximum number of function evaluations is exceeded.",
    1: "`gtol` termination condition is satisfied.",
    2: "`ftol` termination condition is satisfied.",
    3: "`xtol` termination condition is satisfied.",
    4: "Both `ftol` and `xtol` termination conditions are satisfied.",
}


def _bounds(bounds, n):
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lb, ub = bounds.lb, bounds.ub
    else:
        try:
            lb, ub = bounds
        except (TypeError, ValueError):
            raise ValueError("bounds must be a pair (lb, ub) of scalars or arrays") from None
    lb = np.broadcast_to(np.asarray(lb, dtype=float), (n,)).copy()
    ub = np.broadcast_to(np.asarray(ub, dtype=float), (n,)).copy()
    if np.isnan(lb).any() or np.isnan(ub).any():
        raise ValueError("bounds must not contain NaN")
    if np.any(lb >= ub):
        raise ValueError("each lower bound must be strictly less than its upper bound")
    return lb, ub


def _tol(value, name):
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(f"{name} must be a non-negative number or None, got {value!r}")
    return float(value)


def _make_fun(fun, args, kwargs, m_expected=None):
    def residuals(x):
        with np.errstate(all="ignore"):
            out = np.asarray(fun(x, *args, **kwargs), dtype=float)
        if out.ndim > 1:
            raise ValueError(f"fun must return a 1-D array of residuals, got shape {out.shape}")
        return np.atleast_1d(out)

    return residuals


def _make_jac(jac, fun, args, kwargs, x0, m):
    """The Jacobian as ``jac(x, f) -> (m, n)``: user, autodiff or finite differences."""
    n = x0.size

    def shaped(J):
        J = np.asarray(J, dtype=float).reshape(m, n) if np.size(J) == m * n else None
        if J is None:
            raise ValueError(f"the Jacobian must have shape ({m}, {n})")
        return J

    if callable(jac):
        return lambda x, f: shaped(jac(x, *args, **kwargs))
    if jac in ("2-point", "3-point", "cs"):
        method = "forward" if jac == "2-point" else "central"
        return lambda x, f: shaped(jacobian_fd(lambda z: fun(z, *args, **kwargs), x, method=method))
    if jac is not None:
        raise ValueError(f"jac must be callable, '2-point', '3-point' or None, got {jac!r}")
    ad = jacfwd(lambda z: fun(z, *args, **kwargs))
    try:
        with np.errstate(all="ignore"):
            shaped(ad(x0))
    except Exception as exc:  # not written with m4ml.numpy: finite differences, said once
        warn_fallback(exc, stacklevel=4)
        return lambda x, f: shaped(jacobian_fd(lambda z: fun(z, *args, **kwargs), x))

    def exact(x, f):
        with np.errstate(all="ignore"):
            return shaped(ad(x))

    return exact


def least_squares(
    fun: Callable[..., ArrayLike],
    x0: ArrayLike,
    jac: Callable[..., ArrayLike] | Literal["2-point", "3-point"] | None = None,
    bounds: tuple[ArrayLike, ArrayLike] | HasBounds = (-np.inf, np.inf),
    method: Literal["trf", "lm"] = "trf",
    ftol: float | None = 1e-8,
    xtol: float | None = 1e-8,
    gtol: float | None = 1e-8,
    x_scale: float | ArrayLike | Literal["jac"] = 1.0,
    loss: Literal["linear", "soft_l1", "huber", "cauchy", "arctan"] = "linear",
    f_scale: float = 1.0,
    max_nfev: int | None = None,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
) -> OptimizeResult:
    r"""Solve a nonlinear least-squares problem with bounds (SciPy's ``least_squares``).

    .. math:: \min_x \tfrac12\sum_i C^2\rho\big((f_i(x)/C)^2\big) \quad\text{s.t.}\quad
              \ell \le x \le u

    Parameters
    ----------
    fun : callable
        ``fun(x, *args, **kwargs) -> (m,)`` residuals.
    x0 : array_like, shape (n,)
        Starting point; must satisfy the bounds (``"trf"`` moves it strictly inside).
    jac : callable, {"2-point", "3-point"} or None
        ``jac(x, *args, **kwargs) -> (m, n)``, finite differences (forward or central, by
        :func:`m4ml.calculus.jacobian_fd`), or None: exact derivatives from
        :mod:`m4ml.autodiff` (forward mode) when ``fun`` is written with :mod:`m4ml.numpy`,
        else central differences with a :class:`~m4ml.optim.FiniteDifferenceWarning`.
    bounds : (lb, ub) or an object with ``lb`` and ``ub``
        Scalars or arrays of shape (n,); ``±inf`` leaves a side free.
    method : {"trf", "lm"}
        Trust-region reflective (bounds and robust losses) or Levenberg–Marquardt
        (unbounded, linear loss, :math:`m \ge n`; refuses the rest, as SciPy).
    ftol, xtol, gtol : float or None
        Tolerances on the relative decrease of the cost, the relative step and the
        (scaled) gradient; None disables a test. Defaults 1e-8.
    x_scale : float, array_like or "jac"
        Characteristic scale of each variable (the trust region is a ball in ``x / x_scale``);
        ``"jac"`` uses the running maximum of the Jacobian's column norms (MINPACK's scaling;
        ``"lm"`` uses it when ``x_scale`` is left at 1.0).
    loss : {"linear", "soft_l1", "huber", "cauchy", "arctan"}
        :math:`\rho(z)`: :math:`z`, :math:`2(\sqrt{1+z}-1)`, Huber (:math:`z` or
        :math:`2\sqrt z-1`), :math:`\ln(1+z)`, :math:`\arctan z`.
    f_scale : float
        :math:`C > 0`, the residual size beyond which the robust losses flatten out.
    max_nfev : int, optional
        Evaluations of ``fun`` allowed (default :math:`100n`, ``"lm"``: :math:`100n` as well).
    args, kwargs
        Extra arguments for ``fun`` and ``jac``.

    Returns
    -------
    OptimizeResult
        ``x``; ``cost`` :math:`F(x)`; ``fun`` the residuals; ``jac`` the Jacobian at ``x``
        (scaled by the loss, so that :math:`J^\top J` is the Gauss–Newton Hessian of the
        cost); ``grad`` :math:`\nabla F = J^\top(\rho' f)`; ``optimality``
        :math:`\|v \circ \nabla F\|_\infty` (Coleman–Li scaled with bounds); ``active_mask``
        (−1 / 1 for a variable at its lower / upper bound, else 0); ``nfev``, ``njev``;
        ``status`` (0 ``max_nfev``, 1 gtol, 2 ftol, 3 xtol, 4 ftol and xtol); ``message``;
        ``success`` (status > 0).

    Raises
    ------
    ValueError
        Bad ``x0`` (NaN, outside the bounds), bounds, method, loss, tolerances, ``f_scale``,
        ``x_scale``, ``max_nfev``; ``"lm"`` with bounds, a robust loss or :math:`m < n`;
        residuals that are not finite at ``x0``.
    TypeError
        ``fun`` is not callable.

    Notes
    -----
    Each iteration linearizes :math:`f(x + p) \approx f + Jp` and solves the trust-region
    subproblem :math:`\min_p \|Jp + f\|` s.t. :math:`\|D p\| \le \Delta` exactly from the SVD
    of :math:`J D^{-1}` (QR first when :math:`m > n`), :math:`O(mn^2)`: the Gauss–Newton step
    :math:`p = -J^+ f` when it fits, else the Levenberg–Marquardt step :math:`(J^\top J +
    \lambda D^2)p = -J^\top f` on the boundary. Robust losses rescale the rows of :math:`f` and
    :math:`J` by :math:`\sqrt{\rho' + 2\rho'' z}`, so that Gauss–Newton on the rescaled problem
    follows the robust cost. Bounds are handled by Coleman and Li's scaling and reflection
    (see :mod:`m4ml.optim.lsq_solvers`). With ``method="lm"`` and the default ``x_scale=1.0``
    the scaling is MINPACK's (``"jac"``), as in SciPy's ``lm``.

    References
    ----------
    .. [1] M. A. Branch, T. F. Coleman and Y. Li, SIAM J. Sci. Comput. 21(1), 1999.
    .. [2] J. J. Moré, "The Levenberg–Marquardt algorithm: implementation and theory", 1978.
    .. [3] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., 2006, ch. 10.

    Examples
    --------
    Fit :math:`y = a e^{-bt}` to data; the model is written with :mod:`m4ml.numpy`, so the
    Jacobian is exact:

    >>> import numpy as np
    >>> import m4ml.numpy as mnp
    >>> t = np.linspace(0.0, 3.0, 12)
    >>> y = 2.0 * np.exp(-1.3 * t)
    >>> res = least_squares(lambda p: p[0] * mnp.exp(-p[1] * t) - y, [1.0, 1.0])
    >>> res.success, np.round(res.x, 8).tolist()
    (True, [2.0, 1.3])
    >>> res = least_squares(lambda p: p[0] * mnp.exp(-p[1] * t) - y, [1.0, 1.0],
    ...                     bounds=([0.0, 0.0], [1.5, 5.0]))
    >>> np.round(res.x, 4).tolist(), res.active_mask.tolist()
    ([1.5, 0.9927], [1, 0])
    """
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    kwargs = {} if kwargs is None else dict(kwargs)
    args = tuple(args)
    x0 = as_float_array(x0, "x0", copy=True)
    if x0.ndim > 1:
        raise ValueError(f"x0 must be a scalar or a 1-D array, got shape {x0.shape}")
    x0 = np.atleast_1d(x0)
    n = x0.size
    if n == 0:
        raise ValueError("x0 must have at least one entry")
    if method not in ("trf", "lm"):
        raise ValueError(f"method must be 'trf' or 'lm', got {method!r}")
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    ftol, xtol, gtol = _tol(ftol, "ftol"), _tol(xtol, "xtol"), _tol(gtol, "gtol")
    if max(ftol, xtol, gtol) == 0:
        raise ValueError("at least one of ftol, xtol, gtol must be positive")
    if isinstance(f_scale, bool) or not isinstance(f_scale, numbers.Real) or not f_scale > 0:
        raise ValueError(f"f_scale must be a positive number, got {f_scale!r}")
    if isinstance(x_scale, str):
        if x_scale != "jac":
            raise ValueError(f"x_scale must be 'jac' or positive numbers, got {x_scale!r}")
    else:
        x_scale = np.broadcast_to(as_float_array(x_scale, "x_scale"), (n,)).copy()
        if np.any(x_scale <= 0):
            raise ValueError("x_scale must be positive")
    if max_nfev is None:
        max_nfev = 100 * n
    elif isinstance(max_nfev, bool) or not isinstance(max_nfev, numbers.Integral) or max_nfev < 1:
        raise ValueError(f"max_nfev must be a positive integer or None, got {max_nfev!r}")
    lb, ub = _bounds(bounds, n)
    if np.any(x0 < lb) or np.any(x0 > ub):
        raise ValueError("x0 is infeasible: it must lie within the bounds")
    bounded = bool(np.isfinite(lb).any() or np.isfinite(ub).any())
    if method == "lm":
        if bounded:
            raise ValueError("method 'lm' does not handle bounds; use method='trf'")
        if loss != "linear":
            raise ValueError(f"method 'lm' supports only loss='linear', got {loss!r}")
        if not isinstance(x_scale, str) and np.all(x_scale == 1.0):
            x_scale = "jac"
    residuals = _make_fun(fun, args, kwargs)
    if bounded:  # strictly inside, as the reflective method needs
        span = ub - lb
        pad = np.where(np.isfinite(span), 1e-10 * np.where(np.isfinite(span), span, 0), 1e-10)
        x0 = np.clip(x0, lb + np.minimum(pad, 0.5 * span), ub - np.minimum(pad, 0.5 * span))
    f0 = residuals(x0)
    if not np.all(np.isfinite(f0)):
        raise ValueError("residuals are not finite at x0: start elsewhere")
    m = f0.size
    if method == "lm" and m < n:
        raise ValueError(f"method 'lm' needs at least as many residuals as variables ({m} < {n})")
    jac_fn = _make_jac(jac, fun, args, kwargs, x0, m)
    prob = _Problem(residuals, jac_fn, loss, float(f_scale), int(max_nfev))
    prob.nfev = 1
    if method == "lm":
        x, f, status = lm(prob, x0, f0, x_scale, ftol, xtol, gtol)
    else:
        x, f, status = trf(prob, x0, f0, lb, ub, x_scale, ftol, xtol, gtol)
    J = prob.jacobian(x, f)
    fs, Js = prob.scaled(f, J)
    g = Js.T @ fs
    active = np.zeros(n, dtype=int)
    if bounded:
        tol_b = 1e-10 * np.maximum(1.0, np.abs(x))
        active[(x - lb) <= tol_b] = -1
        active[(ub - x) <= tol_b] = 1
        v = _coleman_li(x, g, lb, ub)[0]
    else:
        v = np.ones(n)
    return OptimizeResult(
        x=x,
        cost=prob.cost(f),
        fun=f,
        jac=Js,
        grad=g,
        optimality=float(np.max(np.abs(v * g), initial=0.0)),
        active_mask=active,
        nfev=prob.nfev,
        njev=prob.njev,
        status=status,
        message=_MESSAGES[status],
        success=status > 0,
    )
