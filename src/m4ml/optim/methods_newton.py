r"""Second-order methods: modified Newton and Newton–CG with a line search, and Newton–CG in a
trust region.

Private workers behind ``minimize(method="newton" | "newton-cg" | "trust-ncg")``.
"""

import numpy as np

from m4ml._core import LinAlgError
from m4ml.linalg.cholesky import cho_solve, cholesky
from m4ml.optim.linesearch import strong_wolfe
from m4ml.optim.methods_quasi_newton import _MAX_STALLS, _start

_EPS = np.finfo(float).eps


def _gnorm(g):
    return np.max(np.abs(g), initial=0.0)


def _modified_cholesky(H, beta=1e-3, max_tries=60):
    r"""Cholesky factor of :math:`H + \tau I` for the smallest :math:`\tau` tried that works.

    Nocedal & Wright Alg. 3.3: :math:`\tau_0 = 0` if :math:`\min_i h_{ii} > 0`, else
    :math:`\beta - \min_i h_{ii}`, doubled (at least to :math:`\beta`) after each failed
    factorization; :math:`\beta` is scaled by the Hessian's largest diagonal entry.
    """
    n = H.shape[0]
    scale = max(float(np.max(np.abs(np.diag(H)), initial=0.0)), 1.0)
    beta = beta * scale
    dmin = float(np.min(np.diag(H)))
    tau = 0.0 if dmin > 0 else beta - dmin
    eye = np.eye(n)
    for _ in range(max_tries):
        try:
            return cholesky(H + tau * eye)
        except LinAlgError:
            tau = max(2.0 * tau, beta)
    raise LinAlgError("could not make the Hessian positive definite by a shift")


def newton(obj, x, rec, max_iter, gtol=1e-5):
    r"""Newton's method with Hessian modification and a strong-Wolfe line search.

    Solves :math:`(\nabla^2 f(x_k) + \tau_k I) p_k = -\nabla f(x_k)` with :math:`\tau_k \ge 0`
    just large enough for a Cholesky factorization to exist (so :math:`p_k` is a descent
    direction), then takes a line-search step from :math:`\alpha = 1`. Quadratic convergence
    near a minimizer with a positive definite Hessian (there :math:`\tau_k = 0`); cost one
    Hessian and one :math:`n^3/3` factorization per iteration.
    """
    f, g = _start(obj, x, rec)
    stalls = 0
    while _gnorm(g) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        H = obj.hess(x)
        if not np.isfinite(H).all():
            raise ValueError(f"the Hessian is not finite at iteration {rec.nit}")
        L = _modified_cholesky(0.5 * (H + H.T))
        p = -cho_solve((L, True), g)
        if not float(g @ p) < 0:
            p = -g
        ls = strong_wolfe(obj.fun_and_grad, x, p, f, g, alpha0=1.0, c2=0.9)
        if not ls.success and ls.alpha == 0.0:
            return rec.result(x, f, g, obj, 2)
        stalls = stalls + 1 if f - ls.fun <= 1e-12 * abs(f) else 0
        x, f, g = ls.x, ls.fun, ls.grad
        rec.nit += 1
        if rec.record(x, f, _gnorm(g)):
            return rec.result(x, f, g, obj, 3)
        if stalls >= _MAX_STALLS and _gnorm(g) > gtol:
            return rec.result(x, f, g, obj, 2)
    return rec.result(x, f, g, obj, 0)


def _hvp_at(obj, x, n):
    """Hessian-vector products at ``x``: ``hessp``/autodiff's hvp, or one Hessian matrix."""
    if obj.has_hessp(n):
        return lambda v: obj.hessp(x, v)
    H = obj.hess(x)
    return lambda v: H @ v


def _truncated_cg(hvp, g, max_cg):
    r"""Approximately solve :math:`H p = -g` by CG, stopping at :math:`\|r\| \le
    \min(0.5, \sqrt{\|g\|})\|g\|` or at the first direction of non-positive curvature (then
    the iterate so far, or :math:`-g` if there is none: Nocedal & Wright Alg. 7.1)."""
    z = np.zeros_like(g)
    r = g.copy()
    d = -r
    gn = np.sqrt(float(g @ g))
    eps = min(0.5, np.sqrt(gn)) * gn
    rr = float(r @ r)
    for j in range(max_cg):
        Hd = hvp(d)
        dHd = float(d @ Hd)
        if dHd <= 1e-300 * float(d @ d):
            return -g if j == 0 else z
        a = rr / dHd
        z = z + a * d
        r = r + a * Hd
        rr_new = float(r @ r)
        if np.sqrt(rr_new) <= eps:
            break
        d = -r + (rr_new / rr) * d
        rr = rr_new
    return z


def newton_cg(obj, x, rec, max_iter, gtol=1e-5):
    r"""Line-search Newton–CG (truncated Newton), SciPy's ``"Newton-CG"``.

    The Newton equations :math:`\nabla^2 f(x_k) p = -\nabla f(x_k)` are solved only
    approximately, by conjugate gradients on Hessian-vector products, to the forcing tolerance
    :math:`\|r\| \le \min(0.5, \sqrt{\|g_k\|})\|g_k\|` (superlinear convergence); CG
    stops early at negative curvature, so :math:`p_k` is always a descent direction. A
    strong-Wolfe line search from :math:`\alpha = 1` follows. Cost per iteration: a few
    Hessian-vector products (``hessp``, autodiff's forward-over-reverse product, or one Hessian
    matrix) and no factorization.
    """
    f, g = _start(obj, x, rec)
    n = x.size
    stalls = 0
    while _gnorm(g) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        p = _truncated_cg(_hvp_at(obj, x, n), g, max_cg=max(2 * n, 20))
        if not np.isfinite(p).all():
            raise ValueError(f"the Hessian products are not finite at iteration {rec.nit}")
        if not float(g @ p) < 0:
            p = -g
        ls = strong_wolfe(obj.fun_and_grad, x, p, f, g, alpha0=1.0, c2=0.9)
        if not ls.success and ls.alpha == 0.0:
            return rec.result(x, f, g, obj, 2)
        stalls = stalls + 1 if f - ls.fun <= 1e-12 * abs(f) else 0
        x, f, g = ls.x, ls.fun, ls.grad
        rec.nit += 1
        if rec.record(x, f, _gnorm(g)):
            return rec.result(x, f, g, obj, 3)
        if stalls >= _MAX_STALLS and _gnorm(g) > gtol:
            return rec.result(x, f, g, obj, 2)
    return rec.result(x, f, g, obj, 0)


def _to_boundary(z, d, radius):
    """The tau >= 0 with ||z + tau d|| = radius."""
    a, b, c = float(d @ d), 2.0 * float(z @ d), float(z @ z) - radius * radius
    return (-b + np.sqrt(max(b * b - 4.0 * a * c, 0.0))) / (2.0 * a)


def _steihaug(hvp, g, radius, max_cg):
    r"""Approximately minimize :math:`m(p) = g^\top p + \frac12 p^\top H p` on
    :math:`\|p\| \le \Delta` by CG (Steihaug–Toint): stop at negative curvature or at the
    boundary, or when :math:`\|r\| \le \min(0.5, \sqrt{\|g\|})\|g\|`."""
    z = np.zeros_like(g)
    r = g.copy()
    d = -r
    gn = np.sqrt(float(g @ g))
    eps = min(0.5, np.sqrt(gn)) * gn
    rr = float(r @ r)
    for _ in range(max_cg):
        Hd = hvp(d)
        dHd = float(d @ Hd)
        if dHd <= 0:
            return z + _to_boundary(z, d, radius) * d, True
        a = rr / dHd
        z_new = z + a * d
        if np.sqrt(float(z_new @ z_new)) >= radius:
            return z + _to_boundary(z, d, radius) * d, True
        z = z_new
        r = r + a * Hd
        rr_new = float(r @ r)
        if np.sqrt(rr_new) < eps:
            return z, False
        d = -r + (rr_new / rr) * d
        rr = rr_new
    return z, False


def trust_ncg(obj, x, rec, max_iter, gtol=1e-5, initial_radius=1.0, max_radius=1000.0, eta=0.15):
    r"""Newton–CG trust-region method (Steihaug–Toint truncated CG for the subproblem).

    Each iteration approximately solves
    :math:`\min_p\, m_k(p) = f_k + g_k^\top p + \tfrac12 p^\top H_k p`,
    :math:`\|p\|_2 \le \Delta_k`, with the agreement ratio
    :math:`\rho_k = (f(x_k) - f(x_k + p)) / (m_k(0) - m_k(p))` deciding acceptance
    (:math:`\rho > \eta`) and the radius (quartered when :math:`\rho < 1/4`, doubled when
    :math:`\rho > 3/4` at the boundary; Nocedal & Wright Alg. 4.1 and 7.2). The Hessian enters
    only through products: the user's ``hessp``, or one Hessian matrix per iteration.
    Near the solution the decrease falls to the rounding level of :math:`f`; then the actual
    decrease is measured as :math:`-\tfrac12(g_k + g(x_k + p))^\top p` instead (the trapezoid
    rule, exact for a quadratic), so the iteration reaches gradients far below
    :math:`\sqrt{\epsilon}`. A trial point with non-finite :math:`f` counts as
    :math:`\rho = -\infty` (radius shrinks).
    ``nit`` (and ``max_iter``) count accepted steps; rejected ones only shrink the radius,
    and a radius below :math:`10^{-15}\max(1, \|x\|)` ends the run with status 2.
    """
    if not 0 < initial_radius <= max_radius:
        raise ValueError("need 0 < initial_radius <= max_radius")
    if not 0 <= eta < 0.25:
        raise ValueError(f"eta must lie in [0, 0.25), got {eta}")
    f, g = _start(obj, x, rec)
    radius = float(initial_radius)
    n = x.size
    fresh = True
    while _gnorm(g) > gtol:
        if rec.nit >= max_iter:
            return rec.result(x, f, g, obj, 1)
        if fresh:
            hvp = _hvp_at(obj, x, n)
        p, hit = _steihaug(hvp, g, radius, max_cg=max(2 * n, 20))
        predicted = -(float(g @ p) + 0.5 * float(p @ hvp(p)))
        if not predicted > 0:
            return rec.result(x, f, g, obj, 2)
        f_new, g_new = obj.fun_and_grad(x + p)
        actual = f - f_new
        if np.isfinite(f_new) and abs(actual) <= 1e3 * _EPS * max(abs(f), abs(f_new)):
            # the decrease is at f's rounding level, so f - f_new is noise: measure it by
            # the trapezoid rule on the gradients, -(g + g_new)'p / 2 (exact for quadratics)
            actual = -0.5 * float((g + g_new) @ p)
        rho = actual / predicted if np.isfinite(f_new) else -np.inf
        pn = np.sqrt(float(p @ p))
        if rho < 0.25:
            radius = 0.25 * pn if np.isfinite(pn) else 0.25 * radius
        elif rho > 0.75 and hit:
            radius = min(2.0 * radius, max_radius)
        fresh = rho > eta
        if fresh:
            x, f, g = x + p, f_new, g_new
            rec.nit += 1
            if rec.record(x, f, _gnorm(g)):
                return rec.result(x, f, g, obj, 3)
        elif radius < 1e-15 * max(1.0, np.sqrt(float(x @ x))):
            return rec.result(x, f, g, obj, 2)
    return rec.result(x, f, g, obj, 0)
