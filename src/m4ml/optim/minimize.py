r"""``minimize``: one entry point to the unconstrained and bound-constrained methods.

The interface follows :func:`scipy.optimize.minimize` (argument names and order, the result's
fields). Method names are case-insensitive, so SciPy's spellings of the methods m4ml has
(``"CG"``, ``"BFGS"``, ``"Newton-CG"``, ``"trust-ncg"``, ``"Nelder-Mead"``) work unchanged.
This module is a pure dispatcher: the methods live in ``methods_*.py`` and never call back here.
"""

import inspect
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, HasBounds
from m4ml.optim._derivatives import Objective
from m4ml.optim._result import OptimizeResult, Recorder
from m4ml.optim.constrained import minimize_constrained
from m4ml.optim.methods_bounds import parse_bounds, projected_lbfgs
from m4ml.optim.methods_first_order import cg, gd, momentum, nesterov
from m4ml.optim.methods_nelder_mead import nelder_mead
from m4ml.optim.methods_newton import newton, newton_cg, trust_ncg
from m4ml.optim.methods_quasi_newton import bfgs, lbfgs

__all__ = ["minimize"]

_METHODS = {
    "gd": gd,
    "momentum": momentum,
    "nesterov": nesterov,
    "cg": cg,
    "bfgs": bfgs,
    "lbfgs": lbfgs,
    "newton": newton,
    "newton-cg": newton_cg,
    "trust-ncg": trust_ncg,
    "projected-lbfgs": projected_lbfgs,
    "nelder-mead": nelder_mead,
}
_NEEDS_HESS = {"newton", "newton-cg", "trust-ncg"}
_BOUNDED = {"projected-lbfgs", "nelder-mead"}
_DEPRECATED = {"lbfgs-b": "projected-lbfgs"}


def _method_name(method, bounds):
    """The canonical (lower-case) method name; deprecated and refused SciPy names explained."""
    if method is None:
        return "projected-lbfgs" if bounds is not None else "lbfgs"
    if not isinstance(method, str):
        raise ValueError(f"method must be a string or None, got {method!r}")
    name = method.lower()
    if name in _DEPRECATED:
        new = _DEPRECATED[name]
        warnings.warn(
            f"method {method!r} is deprecated and will be removed in the next release: it is "
            f"projected L-BFGS, not L-BFGS-B; use method={new!r}",
            DeprecationWarning,
            stacklevel=3,
        )
        return new
    if name == "l-bfgs-b":
        raise ValueError(
            "m4ml has no true L-BFGS-B (generalized Cauchy point and subspace minimization); "
            "use method='projected-lbfgs' for box bounds"
        )
    if name not in _METHODS:
        raise ValueError(
            f"unknown method {method!r}; choose one of {sorted(_METHODS)} (case-insensitive)"
        )
    return name


def minimize(
    fun: Callable[..., float],
    x0: ArrayLike,
    args: tuple[Any, ...] = (),
    method: str | None = None,
    jac: Callable[..., ArrayLike] | Literal[True, "2-point", "3-point"] | None = None,
    hess: Callable[..., Any] | None = None,
    hessp: Callable[..., Any] | None = None,
    bounds: Sequence[tuple[float | None, float | None]] | HasBounds | None = None,
    constraints: dict[str, Any] | Sequence[dict[str, Any]] = (),
    tol: float | None = None,
    max_iter: int | None = None,
    callback: Callable[..., Any] | None = None,
    options: dict[str, Any] | None = None,
) -> OptimizeResult:
    r"""Minimize a scalar function of one or more variables.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float`` with ``x`` a 1-D array of shape ``(n,)``; with ``jac=True``
        it returns ``(f, g)``.
    x0 : array_like, shape (n,)
        Starting point (flattened; must be finite). With bounds it is clipped into the box.
    args : tuple
        Extra arguments for ``fun``, ``jac``, ``hess`` and ``hessp``.
    method : str, optional
        Case-insensitive: ``"gd"`` (steepest descent with Armijo backtracking),
        ``"momentum"`` (heavy ball), ``"nesterov"``, ``"cg"`` (nonlinear conjugate gradient,
        PR+), ``"bfgs"``, ``"lbfgs"``, ``"newton"`` (modified Newton with line search),
        ``"newton-cg"`` (truncated Newton: CG on Hessian products, line search),
        ``"trust-ncg"`` (Steihaug–Toint CG trust region), ``"projected-lbfgs"`` (box bounds;
        ``"lbfgs-b"`` is its deprecated name) or ``"nelder-mead"`` (derivative-free simplex;
        clips to box bounds). Default: ``"lbfgs"``, or ``"projected-lbfgs"`` when ``bounds``
        are given. SciPy's ``"L-BFGS-B"`` is refused: m4ml's bounded method is not it.
    jac : callable, True, "2-point", "3-point" or None
        The gradient ``jac(x, *args)``; ``True`` if ``fun`` returns ``(f, g)``; None uses
        :mod:`m4ml.autodiff` when it can trace ``fun`` and central differences otherwise.
    hess : callable, optional
        ``hess(x, *args) -> (n, n)`` for ``"newton"``, ``"newton-cg"`` and ``"trust-ncg"``;
        otherwise autodiff or differences of the gradient.
    hessp : callable, optional
        ``hessp(x, p, *args) -> H p`` for ``"newton-cg"`` and ``"trust-ncg"`` (used instead of
        ``hess``).
    bounds : sequence of (low, high) pairs or an object with ``lb`` and ``ub``, optional
        Box bounds; ``None`` or an infinite value leaves a side free.
    constraints : sequence of dict, optional
        scipy-style ``{"type": "eq"|"ineq", "fun": ..., "jac": ...}`` (``"ineq"`` means
        ``fun(x) >= 0``). When given, the problem goes to
        :func:`m4ml.optim.constrained.minimize_constrained` (``method`` None, ``"sqp"`` or
        ``"augmented-lagrangian"``), whose result carries the multipliers and KKT residuals.
        Those methods build their own Hessian model: ``hess`` and ``hessp`` are refused, and
        ``options`` may only hold ``"maxiter"``.
    tol : float, optional
        Tolerance on the gradient's infinity norm (the projected gradient with bounds); sets
        ``options["gtol"]``.
    max_iter : int, optional
        Iteration limit (default :math:`\max(1000, 200n)`, 20000 for first-order methods).
    callback : callable, optional
        ``callback(xk)`` after each iteration; returning ``True`` stops (status 3).
    options : dict, optional
        Per-method options: ``gtol``, ``ftol`` (bfgs, lbfgs, projected-lbfgs: stop when the
        relative decrease of f falls below it), ``memory`` (lbfgs, projected-lbfgs),
        ``learning_rate`` and ``momentum`` (momentum, nesterov), ``initial_radius`` /
        ``max_radius`` (trust-ncg), ``xatol``, ``fatol``, ``adaptive``, ``maxfev``,
        ``initial_simplex`` (nelder-mead, as SciPy), ``history_x`` (keep every iterate in
        ``result.history["x"]``). ``maxiter`` is accepted as SciPy's name for ``max_iter``.

    Returns
    -------
    OptimizeResult
        ``x, fun, jac, nit, nfev, njev, nhev, success, status, message, history``.

    Raises
    ------
    ValueError
        Unknown method or option, bad ``x0``/``bounds``/``tol``, or ``fun`` not finite at ``x0``.
    TypeError
        ``fun`` is not callable.
    FloatingPointError
        Momentum or Nesterov diverged (:math:`f` became non-finite): lower the learning rate.

    Notes
    -----
    Each method iterates :math:`x_{k+1} = x_k + \alpha_k p_k` with a descent direction
    :math:`p_k` (:math:`\nabla f(x_k)^\top p_k < 0`): :math:`-\nabla f` (gd), a conjugate
    direction (cg), :math:`-H_k \nabla f` with :math:`H_k \approx \nabla^2 f^{-1}` from the
    secant pairs (bfgs: :math:`O(n^2)` per step; lbfgs: :math:`O(mn)`), or the Newton step
    :math:`-(\nabla^2 f + \tau I)^{-1} \nabla f` (:math:`O(n^3)` per step; quadratic
    convergence). Every method reduces :math:`f` monotonically (to rounding) except momentum and
    Nesterov, which take fixed steps
    :math:`v \leftarrow \mu v - \eta \nabla f(x + \mu v)`, :math:`x \leftarrow x + v`.
    See docs/optimization.md for each method and the Moré–Garbow–Hillstrom table.
    When ``fun`` returns NaN or inf at a trial point the line search treats it as a step too long
    and backtracks (trust-ncg shrinks its radius); only at ``x0`` is it an error.
    Convergence is declared when :math:`\|\nabla f(x)\|_\infty \le` ``gtol`` (default
    :math:`10^{-5}`, as scipy's BFGS); ``success`` is False with ``status`` 1 at the iteration
    limit and 2 when no step decreases :math:`f` any more (rounding level).

    References
    ----------
    J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer 2006.

    Examples
    --------
    >>> import numpy as np
    >>> def rosen(x):
    ...     return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2
    >>> def rosen_grad(x):
    ...     return np.array([-400.0 * x[0] * (x[1] - x[0] ** 2) - 2.0 * (1.0 - x[0]),
    ...                      200.0 * (x[1] - x[0] ** 2)])
    >>> res = minimize(rosen, [-1.2, 1.0], jac=rosen_grad, method="bfgs", tol=1e-8)
    >>> res.success, np.round(res.x, 6).tolist()
    (True, [1.0, 1.0])
    >>> res = minimize(rosen, [-1.2, 1.0], jac=rosen_grad, bounds=[(None, 0.5), (None, None)])
    >>> np.round(res.x, 4).tolist()
    [0.5, 0.25]
    """
    options = dict(options or {})
    if "maxiter" in options:
        if max_iter is not None:
            raise ValueError("give max_iter or options['maxiter'], not both")
        max_iter = options.pop("maxiter")
    if constraints not in ((), [], None):
        if hess is not None or hessp is not None:
            raise ValueError(
                "hess and hessp are not used with general constraints (SQP and the augmented "
                "Lagrangian build their own Hessian model): drop them"
            )
        if options:
            raise ValueError(
                f"options {sorted(options)} are not used with general constraints; only "
                "tol, max_iter (options['maxiter']) and callback are"
            )
        return _minimize_with_constraints(
            fun, x0, args, method, jac, bounds, constraints, tol, max_iter, callback
        )
    x0 = as_float_array(x0, "x0", copy=True).reshape(-1)
    if x0.size == 0:
        raise ValueError("x0 must have at least one entry")
    method = _method_name(method, bounds)
    if bounds is not None and method not in _BOUNDED:
        raise ValueError(
            f"method {method!r} does not handle bounds; use method='projected-lbfgs' (or "
            "'nelder-mead')"
        )
    keep_x = bool(options.pop("history_x", False))
    if tol is not None:
        if not isinstance(tol, numbers.Real) or not tol > 0:
            raise ValueError(f"tol must be a positive number, got {tol!r}")
        if method == "nelder-mead":
            options.setdefault("xatol", float(tol))
            options.setdefault("fatol", float(tol))
        else:
            options.setdefault("gtol", float(tol))
    if max_iter is None:
        n = x0.size
        max_iter = 20000 if method in ("gd", "momentum", "nesterov") else max(1000, 200 * n)
    elif isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral) or max_iter < 0:
        raise ValueError(f"max_iter must be a non-negative integer, got {max_iter!r}")
    if callback is not None and not callable(callback):
        raise TypeError("callback must be callable or None")
    lower, upper = np.full(x0.size, -np.inf), np.full(x0.size, np.inf)
    if bounds is not None:
        lower, upper = parse_bounds(bounds, x0.size)
        x0 = np.clip(x0, lower, upper)
    obj = Objective(
        fun, x0, args, jac, hess if method in _NEEDS_HESS else None, hessp,
        derivatives=method != "nelder-mead",
    )  # fmt: skip
    rec = Recorder(callback, keep_x)
    solver = _METHODS[method]
    allowed = [
        k for k in inspect.signature(solver).parameters
        if k not in ("obj", "x", "x0", "rec", "max_iter", "lower", "upper")
    ]  # fmt: skip
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise ValueError(f"unknown option(s) {unknown} for method {method!r}; known: {allowed}")
    if method in _BOUNDED:
        return solver(obj, x0, rec, int(max_iter), lower, upper, **options)
    return solver(obj, x0, rec, int(max_iter), **options)


def _minimize_with_constraints(fun, x0, args, method, jac, bounds, constraints, tol, max_iter,
                               callback):  # fmt: skip
    """Route a problem with general constraints to the constrained solvers."""
    if isinstance(method, str):
        method = method.lower()
    if method not in (None, "sqp", "augmented-lagrangian"):
        raise ValueError(
            f"method {method!r} does not handle general constraints; use None, 'sqp' or "
            "'augmented-lagrangian'"
        )
    if args:
        f, g = (lambda x: fun(x, *args)), jac
        if callable(jac):
            g = lambda x: jac(x, *args)  # noqa: E731
    else:
        f, g = fun, jac
    kwargs = {"tol": tol} if tol is not None else {}
    if max_iter is not None:
        kwargs["max_iter"] = max_iter
    return minimize_constrained(
        f, x0, jac=g, constraints=constraints, bounds=bounds, callback=callback,
        method="auto" if method is None else method, **kwargs,
    )  # fmt: skip
