r"""The two trust-region solvers behind :func:`m4ml.optim.least_squares` (private workers).

``trf``: Branch, Coleman and Li's trust-region reflective method. With bounds
:math:`\ell \le x \le u` it works in the variables scaled by the Coleman–Li vector
:math:`v` (:math:`v_i = u_i - x_i` if :math:`g_i < 0` and :math:`u_i` is finite,
:math:`x_i - \ell_i` if :math:`g_i > 0` and :math:`\ell_i` is finite, else 1), whose square
root :math:`D` shrinks the steps of variables heading into a nearby bound; the subproblem
:math:`\min \tfrac12\|J D\hat p + f\|^2 + \tfrac12 \hat p^\top C \hat p`,
:math:`C = \operatorname{diag}(g \circ \partial v)`, :math:`\|\hat p\| \le \Delta`, is solved
exactly by SVD. A step that would leave the box is cut at :math:`\theta = \max(0.995,
1 - \|v \circ g\|_\infty)` of the way to the boundary, and also reflected off it; the best of
the cut step, the reflected step and the scaled-gradient (Cauchy) step under the model is
taken, so every iterate stays strictly inside. Without bounds :math:`v = 1`, :math:`C = 0`: a
plain trust-region Gauss–Newton method.

``lm``: Levenberg–Marquardt in Moré's trust-region form: the step solves
:math:`(J^\top J + \lambda D^2)p = -J^\top f` with :math:`\lambda` chosen so that
:math:`\|Dp\| = \Delta` (or 0), :math:`D` the running maximum of the column norms of :math:`J`
(MINPACK's scaling, so the method is invariant to the units of :math:`x`). It follows
MINPACK's radius rules: the first radius is at most the first step, a step is accepted when
:math:`\rho \ge 10^{-4}`, a poor step shrinks :math:`\Delta` by the factor in
:math:`[0.1, 0.5]` that minimizes the quadratic through the slope and the actual change, and a
good one sets :math:`\Delta = 2\|Dp\|`.

``trf`` accepts a step when it decreases the cost and sets :math:`\Delta` from the ratio
:math:`\rho` of actual to predicted decrease (quartered below 0.25, doubled above 0.75 at the
boundary). Both stop on SciPy's tests: ``status`` 1 gtol (:math:`\|v \circ g\|_\infty <`
``gtol``), 2 ftol (:math:`dF < \text{ftol}\,F` with :math:`\rho > 0.25`), 3 xtol
(:math:`\|dx\| < \text{xtol}(\text{xtol} + \|x\|)`), 4 both, 0 ``max_nfev`` reached.

References: M. A. Branch, T. F. Coleman and Y. Li, "A subspace, interior, and conjugate
gradient method for large-scale bound-constrained minimization problems", SIAM J. Sci. Comput.
21(1), 1999; J. J. Moré, "The Levenberg–Marquardt algorithm: implementation and theory",
Lecture Notes in Mathematics 630, 1978.
"""

import numpy as np

from m4ml.optim._lsq_common import robust_cost, robust_scale, svd_of, trust_region_step

__all__ = ["lm", "trf"]


def _norm(v):
    return float(np.sqrt(v @ v))


def _coleman_li(x, g, lb, ub):
    """The scaling vector v and its derivative dv (the Coleman–Li affine scaling)."""
    v, dv = np.ones_like(x), np.zeros_like(x)
    up = (g < 0) & np.isfinite(ub)
    v[up], dv[up] = ub[up] - x[up], -1.0
    lo = (g > 0) & np.isfinite(lb)
    v[lo], dv[lo] = x[lo] - lb[lo], 1.0
    return v, dv


def _to_bound(x, p, lb, ub):
    """Largest t >= 0 with lb <= x + t p <= ub, and which coordinates reach a bound at t."""
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.where(p > 0, (ub - x) / p, np.where(p < 0, (lb - x) / p, np.inf))
    t = float(np.min(steps))
    return t, steps <= t


def _inside(x, lb, ub):
    return bool(np.all(x > lb) and np.all(x < ub))


def _line_min(a, b, lo, hi):
    """Minimize a t^2 + b t on [lo, hi]: (t, value)."""
    cands = [lo, hi]
    if a > 0 and lo < -b / (2 * a) < hi:
        cands.append(-b / (2 * a))
    vals = [a * t * t + b * t for t in cands]
    k = int(np.argmin(vals))
    return cands[k], vals[k]


class _Problem:
    """Residuals with their Jacobian, the robust loss, counters and the limit on evaluations."""

    def __init__(self, fun, jac, loss, f_scale, max_nfev):
        self.fun, self.jac, self.loss, self.f_scale = fun, jac, loss, f_scale
        self.max_nfev = max_nfev
        self.nfev = self.njev = 0

    def residuals(self, x):
        self.nfev += 1
        return self.fun(x)

    def jacobian(self, x, f):
        self.njev += 1
        return self.jac(x, f)

    def cost(self, f):
        return robust_cost(self.loss, f, self.f_scale)

    def scaled(self, f, J):
        return robust_scale(self.loss, f, J, self.f_scale)


def _check(dF, F, dx, x, ratio, ftol, xtol):
    ftol_ok = dF < ftol * F and ratio > 0.25
    xtol_ok = dx < xtol * (xtol + _norm(x))
    if ftol_ok and xtol_ok:
        return 4
    if ftol_ok:
        return 2
    if xtol_ok:
        return 3
    return None


def trf(prob, x, f, lb, ub, x_scale, ftol, xtol, gtol):
    """Trust-region reflective iteration from a strictly feasible x (see the module)."""
    bounded = bool(np.isfinite(lb).any() or np.isfinite(ub).any())
    cost = prob.cost(f)
    J = prob.jacobian(x, f)
    jac_scale = isinstance(x_scale, str)
    scale_inv = None
    radius = None
    status = None
    while True:
        fs, Js = prob.scaled(f, J)
        g = Js.T @ fs
        if jac_scale:
            cn = np.sqrt(np.sum(Js * Js, axis=0))
            scale_inv = cn if scale_inv is None else np.maximum(scale_inv, cn)
            scale_inv = np.where(scale_inv > 0, scale_inv, 1.0)
            scale = 1.0 / scale_inv
        else:
            scale = x_scale
        if bounded:
            v, dv = _coleman_li(x, g, lb, ub)
        else:
            v, dv = np.ones_like(x), np.zeros_like(x)
        g_norm = float(np.max(np.abs(v * g), initial=0.0))
        if g_norm < gtol:
            status = 1
            break
        if prob.nfev >= prob.max_nfev:
            status = 0
            break
        d = np.sqrt(v) * scale
        diag_h = g * dv * scale**2
        Jh, gh = Js * d, g * d
        if radius is None:
            radius = _norm(x / scale)
            radius = 1.0 if radius == 0 else radius
        if bounded:
            aug = np.vstack([Jh, np.diag(np.sqrt(diag_h))])
            s, V, Ut = svd_of(aug)
            uf = Ut(np.concatenate([fs, np.zeros(x.size)]))
        else:
            s, V, Ut = svd_of(Jh)
            uf = Ut(fs)
        theta = max(0.995, 1.0 - g_norm)
        actual = -1.0
        lam = 0.0
        while actual <= 0 and prob.nfev < prob.max_nfev:
            ph, lam = trust_region_step(s, V, uf, radius, lam)

            def model(sh, Jh=Jh, gh=gh, diag_h=diag_h):
                Js_ = Jh @ sh
                return 0.5 * float(Js_ @ Js_ + sh @ (diag_h * sh)) + float(gh @ sh)

            if bounded:
                sh = _select_step(x, ph, d, gh, Jh, diag_h, radius, lb, ub, theta, model)
            else:
                sh = ph
            step = d * sh
            x_new = x + step
            if bounded:  # stay strictly inside
                x_new = np.clip(x_new, np.nextafter(lb, ub), np.nextafter(ub, lb))
            predicted = -model(sh)
            f_new = prob.residuals(x_new)
            if not np.all(np.isfinite(f_new)):
                radius = 0.25 * _norm(sh)
                actual = -1.0
                if radius < 1e-300:
                    break
                continue
            cost_new = prob.cost(f_new)
            actual = cost - cost_new
            ratio = actual / predicted if predicted > 0 else (1.0 if actual >= 0 else -1.0)
            sn = _norm(sh)
            if ratio < 0.25:
                radius = 0.25 * sn
            elif ratio > 0.75 and sn > 0.95 * radius:
                radius = 2.0 * radius
            status = _check(actual, cost, _norm(step), x, ratio, ftol, xtol)
            if status is not None:
                break
            if sn == 0.0:
                status = 3
                break
        if actual > 0:
            x, f, cost = x_new, f_new, cost_new
            if status is None:
                J = prob.jacobian(x, f)
        if status is not None or prob.nfev >= prob.max_nfev:
            break
    return x, f, 0 if status is None else status


def _select_step(x, ph, d, gh, Jh, diag_h, radius, lb, ub, theta, model):
    """Best of the cut, reflected and Cauchy steps (in the scaled variables)."""
    p = d * ph
    if _inside(x + p, lb, ub):
        return ph
    t, hits = _to_bound(x, p, lb, ub)
    # reflected step: from the boundary point, the rest of p with the hit coordinates flipped
    rh = ph.copy()
    rh[hits] *= -1.0
    r = d * rh
    x_b = x + t * p
    ph_b = t * ph
    best_sh, best_val = theta * ph_b, model(theta * ph_b)
    # along rh from ph_b, stay inside the region |ph_b + s rh| <= radius and the box
    a_q, b_q = float(rh @ rh), 2.0 * float(ph_b @ rh)
    c_q = float(ph_b @ ph_b) - radius * radius
    disc = b_q * b_q - 4 * a_q * c_q
    if a_q > 0 and disc >= 0:
        s_tr = (-b_q + np.sqrt(disc)) / (2 * a_q)
        s_box, _ = _to_bound(x_b, r, lb, ub)
        hi = min(s_tr, s_box) * theta if np.isfinite(s_box) else s_tr
        lo = (1 - theta) / s_box if np.isfinite(s_box) and s_box > 0 else 0.0
        lo = min(lo, hi)
        if hi > 0:
            # model along ph_b + s rh: a s^2 + b s + const
            Jr = Jh @ rh
            Jb = Jh @ ph_b
            aa = 0.5 * float(Jr @ Jr + rh @ (diag_h * rh))
            bb = float(Jb @ Jr + ph_b @ (diag_h * rh)) + float(gh @ rh)
            s_star, _ = _line_min(aa, bb, lo, hi)
            cand = ph_b + s_star * rh
            val = model(cand)
            if val < best_val:
                best_sh, best_val = cand, val
    # scaled gradient (Cauchy) step
    gn = _norm(gh)
    if gn > 0:
        cdir = -gh
        t_box, _ = _to_bound(x, d * cdir, lb, ub)
        hi = min(radius / gn, theta * t_box)
        Jc = Jh @ cdir
        aa = 0.5 * float(Jc @ Jc + cdir @ (diag_h * cdir))
        bb = float(gh @ cdir)
        tc, _ = _line_min(aa, bb, 0.0, hi)
        val = model(tc * cdir)
        if val < best_val:
            best_sh, best_val = tc * cdir, val
    return best_sh


def lm(prob, x, f, x_scale, ftol, xtol, gtol):
    """Levenberg–Marquardt (trust-region form, MINPACK scaling by default)."""
    cost = prob.cost(f)
    J = prob.jacobian(x, f)
    jac_scale = isinstance(x_scale, str)
    diag = None
    radius = None
    status = None
    lam = 0.0
    first = True
    while True:
        g = J.T @ f
        if jac_scale:
            cn = np.sqrt(np.sum(J * J, axis=0))
            diag = cn if diag is None else np.maximum(diag, cn)
            diag = np.where(diag > 0, diag, 1.0)
        else:
            diag = 1.0 / x_scale
        # gtol as MINPACK: the largest cosine between f and a column of J
        fn = _norm(f)
        cn = np.sqrt(np.sum(J * J, axis=0))
        with np.errstate(divide="ignore", invalid="ignore"):
            cosines = np.where(cn > 0, np.abs(g) / (cn * fn), 0.0) if fn > 0 else np.zeros_like(g)
        if float(np.max(cosines, initial=0.0)) <= gtol:
            status = 1
            break
        if prob.nfev >= prob.max_nfev:
            status = 0
            break
        if radius is None:
            radius = 100.0 * _norm(diag * x)
            radius = 100.0 if radius == 0 else radius
        Jh = J / diag
        s, V, Ut = svd_of(Jh)
        uf = Ut(f)
        accepted = False
        while not accepted and prob.nfev < prob.max_nfev:
            ph, lam = trust_region_step(s, V, uf, radius, lam)
            pn = _norm(ph)
            if first:  # MINPACK: the first step bound is at most the first step
                radius, first = min(radius, pn), False
            step = ph / diag
            x_new = x + step
            Jp = Jh @ ph
            predicted = -(0.5 * float(Jp @ Jp) + float(f @ Jp))
            f_new = prob.residuals(x_new)
            cost_new = prob.cost(f_new) if np.all(np.isfinite(f_new)) else np.inf
            actual = cost - cost_new if np.isfinite(cost_new) else -np.inf
            ratio = actual / predicted if predicted > 0 else (1.0 if actual >= 0 else -1.0)
            if ratio <= 0.25:
                # MINPACK's reduction: the minimizer of the quadratic through the directional
                # derivative and the actual decrease, kept in [0.1, 0.5]
                if actual >= 0:
                    shrink = 0.5
                else:
                    dirder = float(f @ Jp)  # the slope of the cost along the step
                    shrink = 0.5 * dirder / (dirder + 0.5 * actual) if np.isfinite(actual) else 0.1
                if not np.isfinite(cost_new) or cost_new >= 100.0 * cost or not shrink >= 0.1:
                    shrink = 0.1
                radius = shrink * min(radius, pn / 0.1)
                lam = lam / shrink
            elif lam == 0.0 or ratio >= 0.75:
                radius = 2.0 * pn
                lam = 0.5 * lam
            accepted = ratio >= 1e-4
            status = _check(actual, cost, _norm(diag * step), diag * x, ratio, ftol, xtol)
            if status is not None or pn == 0.0 or radius < 1e-300:
                status = 3 if status is None else status
                break
        if accepted:
            x, f, cost = x_new, f_new, cost_new
            if status is None:
                J = prob.jacobian(x, f)
        if status is not None or prob.nfev >= prob.max_nfev:
            break
    return x, f, 0 if status is None else status
