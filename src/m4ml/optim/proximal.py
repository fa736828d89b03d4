r"""Proximal gradient methods (ISTA and FISTA) for a smooth loss plus an L1 / elastic-net penalty.

.. math:: \min_x F(x) = f(x) + \alpha\left(\rho\|x\|_1 + \tfrac{1-\rho}{2}\|x\|_2^2\right)
"""

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core import ConvergenceWarning, as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.optim._result import OptimizeResult
from m4ml.optim.regularizers import prox_elastic_net

__all__ = ["proximal_gradient"]


def _gradient(fun, jac):
    if jac is not None:
        if not callable(jac):
            raise TypeError(f"jac must be callable or None, got {type(jac).__name__}")
        return lambda x: (float(fun(x)), np.asarray(jac(x), dtype=float).reshape(-1))
    from m4ml.autodiff import value_and_grad

    vg = value_and_grad(fun)

    def both(x):
        v, g = vg(x)
        return float(v), np.asarray(g, dtype=float).reshape(-1)

    return both


def _min_norm_subgradient(x, g, a, b):
    r"""The smallest element of :math:`\partial F(x)`, coordinatewise (zero at the optimum)."""
    a = np.broadcast_to(a, x.shape)
    s = g + b * x
    at_zero = x == 0
    out = s + a * np.sign(x)
    out[at_zero] = np.sign(s[at_zero]) * np.maximum(np.abs(s[at_zero]) - a[at_zero], 0.0)
    return out


def proximal_gradient(
    fun: Callable[[FloatArray], float],
    x0: ArrayLike,
    *,
    jac: Callable[[FloatArray], ArrayLike] | None = None,
    alpha: float = 1.0,
    l1_ratio: float = 1.0,
    method: Literal["fista", "ista"] = "fista",
    step: float | None = None,
    restart: bool = True,
    tol: float = 1e-8,
    max_iter: int = 10000,
    callback: Callable[..., Any] | None = None,
    penalized: ArrayLike | None = None,
) -> OptimizeResult:
    r"""Minimize a smooth function plus an L1 or elastic-net penalty by ISTA or FISTA.

    .. math:: \min_x F(x) = f(x) + \alpha\rho\|x\|_1 + \tfrac{\alpha(1-\rho)}{2}\|x\|_2^2

    Parameters
    ----------
    fun : callable
        The smooth part ``f(x) -> float`` for a 1-D array ``x`` (written with
        :mod:`m4ml.numpy` when ``jac`` is omitted).
    x0 : array_like, shape (n,)
        Starting point.
    jac : callable, optional
        ``jac(x) -> (n,)``, the gradient of ``f``; default :func:`m4ml.autodiff.value_and_grad`.
    alpha : float, default 1.0
        Penalty strength :math:`\alpha \ge 0`.
    l1_ratio : float, default 1.0
        Mixing :math:`\rho \in [0, 1]` (1: L1 / lasso, between: elastic net).
    method : {"fista", "ista"}
        Accelerated (Beck–Teboulle) or plain proximal gradient.
    step : float, optional
        A fixed step :math:`1/L` (``L`` a Lipschitz constant of :math:`\nabla f`). Omitted, the
        step is found by backtracking.
    restart : bool, default True
        FISTA's adaptive (gradient-based) restart of the momentum.
    tol : float, default 1e-8
        Stop when the gradient mapping :math:`\|L(y - x_{+})\|_\infty \le` ``tol``.
    max_iter : int, default 10000
    callback : callable, optional
        ``callback(xk)`` after each iteration; returning ``True`` stops (status 3).
    penalized : array_like of bool, shape (n,), optional
        Which coordinates carry the penalty (default: all). Unpenalized coordinates, such as a
        model's intercept, take plain gradient steps (their prox is the identity).

    Returns
    -------
    OptimizeResult
        ``x``, ``fun`` (:math:`F(x)`, penalty included), ``jac`` (:math:`\nabla f(x)`),
        ``optimality`` (the infinity norm of the minimum-norm subgradient of :math:`F` at
        ``x``: zero exactly at a minimizer), ``step`` (the final :math:`1/L`), ``nit``,
        ``nfev``, ``njev``, ``success``, ``status`` (0 converged, 1 iteration limit, 3 callback),
        ``message``, ``history`` (``"fun"``: :math:`F` per iterate).

    Raises
    ------
    ValueError
        Bad ``x0``, ``alpha < 0``, ``l1_ratio`` outside [0, 1], unknown ``method``, non-positive
        ``step``/``tol``, or ``f`` not finite at ``x0``.
    TypeError
        ``fun`` or ``jac`` not callable.

    Warns
    -----
    ConvergenceWarning
        At the iteration limit.

    Notes
    -----
    Each iteration linearizes :math:`f` at :math:`y` and solves the penalized problem exactly:

    .. math:: x_{+} = \operatorname{prox}_{tg}\bigl(y - t\nabla f(y)\bigr),\qquad
              \operatorname{prox}_{tg}(v)_j = \frac{\operatorname{sign}(v_j)\max(|v_j| -
              t\alpha\rho, 0)}{1 + t\alpha(1-\rho)},

    (soft-thresholding, which sets coordinates with :math:`|v_j| \le t\alpha\rho` to exactly
    zero). The step :math:`t = 1/L` is accepted when the quadratic upper bound
    :math:`f(x_+) \le f(y) + \nabla f(y)^\top(x_+ - y) + \tfrac{L}{2}\|x_+ - y\|^2` holds,
    else :math:`L \leftarrow 2L` (backtracking). ISTA takes :math:`y = x_k` and converges as
    :math:`O(1/k)`; FISTA takes :math:`y = x_k + \frac{t_{k-1} - 1}{t_k}(x_k - x_{k-1})`,
    :math:`t_k = \tfrac12(1 + \sqrt{1 + 4t_{k-1}^2})`, and converges as :math:`O(1/k^2)`.
    The adaptive restart sets :math:`t = 1` whenever :math:`(y - x_+)^\top(x_+ - x_k) > 0`
    (the momentum points uphill), which recovers linear convergence on strongly convex
    problems. Cost per iteration: one or two gradient evaluations plus :math:`O(n)`.

    References
    ----------
    .. [1] A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for
       linear inverse problems", SIAM J. Imaging Sci. 2(1), 2009.
    .. [2] B. O'Donoghue and E. Candès, "Adaptive restart for accelerated gradient schemes",
       Found. Comput. Math. 15, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> import m4ml.numpy as mnp
    >>> b = np.array([3.0, 0.5, -2.0])
    >>> res = proximal_gradient(lambda x: 0.5 * mnp.sum((x - b) ** 2), np.zeros(3), alpha=1.0)
    >>> res.x.tolist()  # soft-thresholding of b at 1: exact zero in the middle
    [2.0, 0.0, -1.0]
    """
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    x = as_float_array(x0, "x0", copy=True).reshape(-1)
    if x.size == 0:
        raise ValueError("x0 must have at least one entry")
    for name, v in (("alpha", alpha), ("l1_ratio", l1_ratio), ("tol", tol)):
        if not np.isscalar(v) or not np.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must lie in [0, 1], got {l1_ratio}")
    if tol <= 0:
        raise ValueError(f"tol must be > 0, got {tol}")
    if method not in ("fista", "ista"):
        raise ValueError(f"method must be 'fista' or 'ista', got {method!r}")
    if step is not None and not (np.isscalar(step) and np.isfinite(step) and step > 0):
        raise ValueError(f"step must be a positive number, got {step!r}")
    max_iter = check_positive_int(max_iter, "max_iter")
    a, b = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    prox = prox_elastic_net
    if penalized is not None:
        mask = np.asarray(penalized, dtype=bool).reshape(-1)
        if mask.shape != x.shape:
            raise ValueError(f"penalized must have shape {x.shape}, got {mask.shape}")
        a, b = a * mask, b * mask  # per-coordinate strengths (zero where unpenalized)

        def prox(v, t, alpha, l1_ratio):  # the separable prox, coordinate by coordinate
            shrunk = np.sign(v) * np.maximum(np.abs(v) - t * a, 0.0) / (1.0 + t * b)
            return np.where(mask, shrunk, v)

    fg = _gradient(fun, jac)
    counts = {"nfev": 0}

    def evaluate(z):
        counts["nfev"] += 1
        return fg(z)

    def penalty(z):
        return float(np.sum(a * np.abs(z)) + 0.5 * np.sum(b * z * z))

    fx, gx = evaluate(x)
    if not np.isfinite(fx) or not np.isfinite(gx).all():
        raise ValueError("fun or its gradient is not finite at x0")
    if step is None:  # a local estimate of L from a short gradient step, refined by backtracking
        d = 1e-6 * max(1.0, np.abs(x).max()) * (gx / max(np.abs(gx).max(), 1e-300))
        L = max(np.abs(evaluate(x - d)[1] - gx).max() / max(np.abs(d).max(), 1e-300), 1e-12)
        backtrack = True
    else:
        L, backtrack = 1.0 / step, False
    history = [fx + penalty(x)]
    y, fy, gy = x, fx, gx
    x_prev, t_k = x, 1.0
    status = 1
    nit = 0
    for it in range(1, max_iter + 1):
        nit = it
        while True:
            x_new = prox(y - gy / L, 1.0 / L, alpha=alpha, l1_ratio=l1_ratio)
            f_new, g_new = evaluate(x_new)
            dx = x_new - y
            bound = fy + gy @ dx + 0.5 * L * (dx @ dx)
            if not backtrack or (np.isfinite(f_new) and f_new <= bound + 1e-12 * abs(fy)):
                break
            L *= 2.0
        gmap = L * np.abs(dx).max()
        history.append(f_new + penalty(x_new))
        if method == "fista":
            if restart and (y - x_new) @ (x_new - x_prev) > 0:
                t_k = 1.0
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t_k * t_k))
            y = x_new + ((t_k - 1.0) / t_next) * (x_new - x_prev)
            t_k = t_next
            x_prev = x_new
            if y is not x_new and not np.array_equal(y, x_new):
                fy, gy = evaluate(y)
            else:
                fy, gy = f_new, g_new
        else:
            x_prev, y, fy, gy = x_new, x_new, f_new, g_new
        fx, gx = f_new, g_new
        if gmap <= tol:
            status = 0
            break
        if callback is not None and callback(np.array(x_new, copy=True)) is True:
            status = 3
            break
    x = x_new
    messages = {
        0: "Converged: the gradient mapping is below tol.",
        1: f"Proximal gradient did not converge in {max_iter} iterations "
        f"(gradient mapping {gmap:.3g} > tol {tol:.3g}).",
        3: "Stopped by the callback.",
    }
    if status == 1:
        import warnings

        warnings.warn(messages[1], ConvergenceWarning, stacklevel=2)
    return OptimizeResult(
        x=x,
        fun=float(fx + penalty(x)),
        jac=gx,
        optimality=float(np.abs(_min_norm_subgradient(x, gx, a, b)).max()),
        step=1.0 / L,
        nit=nit,
        nfev=counts["nfev"],
        njev=counts["nfev"],
        success=status == 0,
        status=status,
        message=messages[status],
        history={"fun": np.array(history)},
    )
