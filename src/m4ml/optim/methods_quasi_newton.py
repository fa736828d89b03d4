r"""Quasi-Newton methods: BFGS and limited-memory BFGS, both with a strong-Wolfe line search.

Each step solves :math:`p_k = -H_k \nabla f(x_k)` with :math:`H_k` an approximation of the
inverse Hessian built from the pairs :math:`s_k = x_{k+1} - x_k`,
:math:`y_k = \nabla f(x_{k+1}) - \nabla f(x_k)` by the BFGS update

.. math:: H_{k+1} = (I - \rho_k s_k y_k^\top) H_k (I - \rho_k y_k s_k^\top)
          + \rho_k s_k s_k^\top, \qquad \rho_k = 1 / (y_k^\top s_k),

which keeps :math:`H` positive definite whenever :math:`y_k^\top s_k > 0` (guaranteed by the
strong-Wolfe conditions; a pair that fails it is skipped). These are the private workers behind
``minimize(method="bfgs" | "lbfgs")``.
"""

import numpy as np

from m4ml.optim.linesearch import strong_wolfe

# consecutive iterations without a decrease of f beyond rounding before giving up (status 2)
_MAX_STALLS = 10


def _start(obj, x0, rec):
    f, g = obj.fun_and_grad(x0)
    if not np.isfinite(f):
        raise ValueError("fun returned NaN or inf at x0 (or its gradient did): start elsewhere")
    rec.record(x0, f, np.max(np.abs(g), initial=0.0))
    return f, g


def _loop(obj, x, rec, max_iter, gtol, ftol, direction, update, c2=0.9):
    """The iteration shared by both methods: direction, line search, update, tests."""
    f, g = _start(obj, x, rec)
    if np.max(np.abs(g), initial=0.0) <= gtol:
        return rec.result(x, f, g, obj, 0)
    first, stalls = True, 0
    while rec.nit < max_iter:
        p = direction(g)
        dg = float(g @ p)
        if not dg < 0:  # the approximation lost definiteness numerically: restart along -g
            update(None, None, reset=True)
            p, dg, first = -g, -float(g @ g), True
        alpha0 = 1.0 / np.sqrt(-dg) if first else 1.0  # first: a step of unit length
        ls = strong_wolfe(obj.fun_and_grad, x, p, f, g, alpha0=alpha0, c2=c2)
        if not ls.success and ls.alpha == 0.0:
            if not first:  # retry once along steepest descent with a fresh approximation
                update(None, None, reset=True)
                first = True
                continue
            return rec.result(x, f, g, obj, 2)
        s, y = ls.x - x, ls.grad - g
        f_old = f
        x, f, g = ls.x, ls.fun, ls.grad
        rec.nit += 1
        gnorm = np.max(np.abs(g), initial=0.0)
        if rec.record(x, f, gnorm):
            return rec.result(x, f, g, obj, 3)
        update(s, y)
        first = False
        if gnorm <= gtol:
            return rec.result(x, f, g, obj, 0)
        if ftol > 0 and (f_old - f) <= ftol * max(abs(f_old), abs(f), 1.0):
            return rec.result(x, f, g, obj, 0)
        # progress read only from slopes (f flat to rounding) cannot go on for ever
        stalls = stalls + 1 if f_old - f <= 1e-12 * abs(f_old) else 0
        if stalls >= _MAX_STALLS:
            return rec.result(x, f, g, obj, 2)
    return rec.result(x, f, g, obj, 1)


def bfgs(obj, x0, rec, max_iter, gtol=1e-5, ftol=0.0):
    r"""BFGS with a dense inverse-Hessian approximation (:math:`O(n^2)` memory and work per step).

    Before the first update :math:`H_0` is rescaled to
    :math:`(y_0^\top s_0)/(y_0^\top y_0)\, I` (Nocedal & Wright eq. 6.20). The update is applied
    as two rank-one corrections with matrix-vector products, :math:`O(n^2)` flops.
    """
    n = x0.size
    H = [np.eye(n), True]  # matrix, "not yet scaled"

    def direction(g):
        return -(H[0] @ g)

    def update(s, y, reset=False):
        if reset:
            H[0], H[1] = np.eye(n), True
            return
        sy = float(s @ y)
        if not sy > 1e-10 * np.sqrt(float(s @ s) * float(y @ y)):
            return
        if H[1]:
            H[0] = (sy / float(y @ y)) * np.eye(n)
            H[1] = False
        rho = 1.0 / sy
        Hy = H[0] @ y
        # (I - rho s y^T) H (I - rho y s^T) + rho s s^T expanded into rank-one terms
        H[0] += (rho * rho * float(y @ Hy) + rho) * np.outer(s, s) - rho * (
            np.outer(Hy, s) + np.outer(s, Hy)
        )

    return _loop(obj, x0, rec, max_iter, gtol, ftol, direction, update)


def lbfgs(obj, x0, rec, max_iter, gtol=1e-5, ftol=0.0, memory=10):
    r"""Limited-memory BFGS: :math:`H_k g` by the two-loop recursion over the last ``memory`` pairs.

    Cost per step :math:`O(mn)` for :math:`m` stored pairs, with
    :math:`H_k^0 = \gamma_k I`, :math:`\gamma_k = s_{k-1}^\top y_{k-1} / y_{k-1}^\top y_{k-1}`
    (Nocedal & Wright Alg. 7.4, eq. 7.20).
    """
    S, Y, R = [], [], []

    def direction(g):
        q = g.copy()
        a = np.empty(len(S))
        for i in range(len(S) - 1, -1, -1):  # newest to oldest: a loop over stored pairs
            a[i] = R[i] * float(S[i] @ q)
            q -= a[i] * Y[i]
        if S:
            q *= 1.0 / (R[-1] * float(Y[-1] @ Y[-1]))
        for i in range(len(S)):
            b = R[i] * float(Y[i] @ q)
            q += (a[i] - b) * S[i]
        return -q

    def update(s, y, reset=False):
        if reset:
            S.clear(), Y.clear(), R.clear()
            return
        sy = float(s @ y)
        if not sy > 1e-10 * np.sqrt(float(s @ s) * float(y @ y)):
            return
        S.append(s), Y.append(y), R.append(1.0 / sy)
        if len(S) > memory:
            S.pop(0), Y.pop(0), R.pop(0)

    return _loop(obj, x0, rec, max_iter, gtol, ftol, direction, update)
