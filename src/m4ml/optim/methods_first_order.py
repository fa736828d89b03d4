r"""First-order methods: steepest descent, heavy-ball momentum, Nesterov, nonlinear CG.

Private workers behind ``minimize(method="gd" | "momentum" | "nesterov" | "cg")``; each uses
only :math:`f` and :math:`\nabla f` and costs :math:`O(n)` memory.
"""

import numpy as np

from m4ml.optim.linesearch import armijo_backtracking, strong_wolfe
from m4ml.optim.methods_quasi_newton import _start


def _gnorm(g):
    return np.max(np.abs(g), initial=0.0)


def gd(obj, x, rec, max_iter, gtol=1e-5):
    r"""Steepest descent :math:`x_{k+1} = x_k - \alpha_k \nabla f(x_k)` with Armijo backtracking.

    The trial step starts from twice the last accepted one (so the step adapts up as well as
    down), the first from :math:`1/\|\nabla f(x_0)\|_2`. Linear convergence with rate
    :math:`((\kappa - 1)/(\kappa + 1))^2` on a quadratic of condition number :math:`\kappa`.
    """
    f, g = _start(obj, x, rec)
    alpha = 1.0 / max(np.sqrt(float(g @ g)), 1e-300)
    while _gnorm(g) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        ls = armijo_backtracking(obj.fun, x, -g, f, g, alpha0=alpha)
        if not ls.success:
            return rec.result(x, f, g, obj, 2)
        alpha = 2.0 * ls.alpha
        x = ls.x
        f, g = obj.fun_and_grad(x)
        rec.nit += 1
        if rec.record(x, f, _gnorm(g)):
            return rec.result(x, f, g, obj, 3)
    return rec.result(x, f, g, obj, 0)


def _fixed_step(obj, x, rec, max_iter, gtol, learning_rate, beta, lookahead):
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    if not 0 <= beta < 1:
        raise ValueError(f"momentum must lie in [0, 1), got {beta}")
    f, g = _start(obj, x, rec)
    v = np.zeros_like(x)
    while _gnorm(g) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        if lookahead:  # gradient at the look-ahead point x + beta v
            _, g_ahead = obj.fun_and_grad(x + beta * v)
            v = beta * v - learning_rate * g_ahead
        else:
            v = beta * v - learning_rate * g
        x = x + v
        f, g = obj.fun_and_grad(x)
        if not np.isfinite(f):
            raise FloatingPointError(
                f"{'nesterov' if lookahead else 'momentum'} diverged at iteration {rec.nit + 1} "
                f"(f is not finite): lower options['learning_rate'] (now {learning_rate})"
            )
        rec.nit += 1
        if rec.record(x, f, _gnorm(g)):
            return rec.result(x, f, g, obj, 3)
    return rec.result(x, f, g, obj, 0)


def momentum(obj, x, rec, max_iter, gtol=1e-5, learning_rate=1e-3, momentum=0.9):
    r"""Heavy ball (Polyak): :math:`v \leftarrow \mu v - \eta \nabla f(x)`, then :math:`x + v`.

    A fixed step: it converges on an :math:`L`-smooth, :math:`m`-strongly convex function for
    :math:`\eta < 2(1 + \mu)/L`; divergence raises ``FloatingPointError``.
    """
    return _fixed_step(obj, x, rec, max_iter, gtol, learning_rate, momentum, False)


def nesterov(obj, x, rec, max_iter, gtol=1e-5, learning_rate=1e-3, momentum=0.9):
    r"""Nesterov's accelerated gradient in the Sutskever form.

    :math:`v \leftarrow \mu v - \eta \nabla f(x + \mu v)`, :math:`x \leftarrow x + v`: the
    gradient is taken at the look-ahead point (two gradient evaluations per iteration here, one
    for the look-ahead and one for the convergence test).
    """
    return _fixed_step(obj, x, rec, max_iter, gtol, learning_rate, momentum, True)


def cg(obj, x, rec, max_iter, gtol=1e-5):
    r"""Nonlinear conjugate gradient, Polak–Ribière+ with restarts.

    :math:`p_{k+1} = -g_{k+1} + \beta_{k+1} p_k` with
    :math:`\beta = \max(0, g_{k+1}^\top (g_{k+1} - g_k) / g_k^\top g_k)`, restarting with
    :math:`p = -g` every :math:`n` steps, when consecutive gradients are far from orthogonal
    (:math:`|g_{k+1}^\top g_k| \ge 0.2\, \|g_{k+1}\|^2`) or when :math:`p` is not a descent
    direction. Strong-Wolfe line search with :math:`c_2 = 0.1`; the first trial step is
    :math:`\alpha_{k-1} g_{k-1}^\top p_{k-1} / g_k^\top p_k` (Nocedal & Wright eq. 3.60).
    """
    n = x.size
    f, g = _start(obj, x, rec)
    p = -g
    gg = float(g @ g)
    alpha0 = 1.0 / max(np.sqrt(gg), 1e-300)
    since_restart = 0
    while _gnorm(g) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        dg = float(g @ p)
        ls = strong_wolfe(obj.fun_and_grad, x, p, f, g, alpha0=alpha0, c2=0.1)
        if not ls.success and ls.alpha == 0.0:
            if since_restart == 0:
                return rec.result(x, f, g, obj, 2)
            p, since_restart = -g, 0
            alpha0 = 1.0 / max(np.sqrt(gg), 1e-300)
            continue
        x, f, g_new = ls.x, ls.fun, ls.grad
        rec.nit += 1
        if rec.record(x, f, _gnorm(g_new)):
            return rec.result(x, f, g_new, obj, 3)
        if _gnorm(g_new) <= gtol:
            return rec.result(x, f, g_new, obj, 0)
        gg_new = float(g_new @ g_new)
        since_restart += 1
        beta = max(0.0, float(g_new @ (g_new - g)) / gg)
        if since_restart >= n or abs(float(g_new @ g)) >= 0.2 * gg_new:
            beta, since_restart = 0.0, 0
        p_new = -g_new + beta * p
        dg_new = float(g_new @ p_new)
        if not dg_new < 0:
            p_new, dg_new, since_restart = -g_new, -gg_new, 0
        alpha0 = ls.alpha * dg / dg_new
        g, gg, p = g_new, gg_new, p_new
    return rec.result(x, f, g, obj, 0)
