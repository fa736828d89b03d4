r"""Convex quadratic programs by a primal–dual interior-point method (Mehrotra
predictor–corrector), with infeasibility and unboundedness certificates."""

import numpy as np

from m4ml._core import LinAlgError, check_positive_int, overflow_guard
from m4ml._core.hints import ArrayLike
from m4ml.linalg.cholesky import cholesky
from m4ml.linalg.lstsq import lstsq
from m4ml.optim._kkt_solve import KKTSolver
from m4ml.optim._qp_result import QPResult
from m4ml.optim.duality import _problem, kkt_residuals

__all__ = ["QPResult", "solve_qp"]

_STEP = 0.99  # fraction of the distance to the boundary of the positive orthant


def _max_step(v, dv):
    """Largest alpha in (0, 1] with v + alpha dv >= 0 (v > 0)."""
    neg = dv < 0
    if not neg.any():
        return 1.0
    return min(1.0, float(np.min(-v[neg] / dv[neg])))


def _gap_step(s, z, ds, dz, alpha):
    r"""Limit ``alpha`` so that the complementarity gap decreases along the step.

    Along the step the gap is the quadratic :math:`(s + \alpha\Delta s)^\top(z +
    \alpha\Delta z) = s^\top z + \alpha\,\ell + \alpha^2 c` with :math:`\ell =
    s^\top\Delta z + z^\top\Delta s` and :math:`c = \Delta s^\top\Delta z`. For a QP,
    :math:`c` includes :math:`\Delta x^\top P\Delta x \ge 0`, which for a long step can
    outweigh the linear decrease: the iterates then jump between faces of the feasible set
    while the gap stays put (a one-variable QP whose unconstrained minimizer is feasible
    cycled this way). When :math:`c > 0` and :math:`\ell < 0`, the step is capped at the
    minimizer :math:`-\ell / (2c)` of that quadratic, which guarantees a decrease. The
    caller applies the cap only once the scaled residuals are below :math:`10^{-4}`: while the
    iterates are far from feasible the step must shrink the residuals, and the cap would stall
    it.
    """
    lin = float(s @ dz + z @ ds)
    quad = float(ds @ dz)
    if quad > 0 and lin < 0:
        alpha = min(alpha, -lin / (2.0 * quad))
    return alpha


def _certificates(P, q, G, h, A, b, x, z, y):
    """The better of the two certificate candidates at an iterate: (ratio, kind, certificate).

    Infeasibility: (z, y) with z >= 0, h'z + b'y = -t < 0, ratio |G'z + A'y| / t. Unboundedness:
    d = x with q'd = -t < 0, ratio max(|Pd|, |Ad|, (Gd)+) / t (scaled). A ratio below the
    tolerance proves the claim to that tolerance.
    """
    best = (np.inf, None, None)
    t = -(h @ z + b @ y)
    if t > 0 and np.all(z >= 0):
        res = np.abs(G.T @ z + A.T @ y).max(initial=0.0)
        with np.errstate(over="ignore"):
            ratio = res / t
        if ratio < best[0]:
            best = (ratio, "infeasible", (z / t, y / t))
    qd = -(q @ x)
    if qd > 0:
        scale = max(1.0, float(np.abs(np.concatenate([h, b])).max(initial=0.0)))
        worst = max(
            float(np.abs(P @ x).max(initial=0.0)),
            float(np.abs(A @ x).max(initial=0.0)) * scale,
            float(np.maximum(G @ x, 0.0).max(initial=0.0)) * scale,
        )
        with np.errstate(over="ignore"):  # a ratio beyond the float range certifies nothing
            ratio = worst / qd
        if ratio < best[0]:
            best = (ratio, "unbounded", x / qd)
    return best


def _polish(G, h, A, b, best):
    """Re-fit y to a Farkas candidate's z by least squares (min |G'z + A'y|) and re-score it."""
    _, kind, cert = best
    if kind != "infeasible" or A.shape[0] == 0:
        return best
    z = cert[0]
    y = -lstsq(A.T, G.T @ z)[0]
    t = -(h @ z + b @ y)
    if t <= 0:
        return best
    res = np.abs(G.T @ z + A.T @ y).max(initial=0.0) / t
    return min(best, (res, kind, (z / t, y / t)), key=lambda c: c[0])


def _finish(status, message, P, q, G, h, A, b, x, z, y, s, nit, certificate=None):
    if status in ("infeasible", "unbounded"):
        return QPResult(
            x=None,
            z=None,
            y=None,
            s=None,
            primal_objective=np.inf if status == "infeasible" else -np.inf,
            dual_objective=np.inf if status == "infeasible" else -np.inf,
            duality_gap=np.nan,
            kkt=None,
            nit=nit,
            status=status,
            message=message,
            certificate=certificate,
        )
    pobj = float(0.5 * x @ (P @ x) + q @ x)
    # the dual objective g(z, y) = L(x, z, y) at the x that makes L stationary
    dobj = float(-0.5 * x @ (P @ x) - h @ z - b @ y)
    return QPResult(
        x=x,
        z=z,
        y=y,
        s=s,
        primal_objective=pobj,
        dual_objective=dobj,
        duality_gap=pobj - dobj,
        kkt=kkt_residuals(P, q, G, h, A, b, x=x, z=z, y=y),
        nit=nit,
        status=status,
        message=message,
    )


def _check_recession(P, q, d):
    r"""Refuse an "unbounded" certificate along which ``P`` has real curvature.

    Along a unit direction :math:`u = d/\lVert d\rVert_\infty` with slope :math:`g = -q^\top
    u > 0` and curvature :math:`c = u^\top P u > 0` the objective is bounded below by
    :math:`-g^2/(2c)`: the certificate passed its test only because :math:`|q|` dwarfs
    :math:`P`, and the optimum value is then beyond float64 (q near 1e308) - a ValueError.
    """
    u = d / np.abs(d).max()
    g, c = float(-(q @ u)), float(u @ (P @ u))
    if g <= 0 or c <= 1e3 * len(q) * np.finfo(float).eps * float(np.abs(P).max()):
        return  # a genuine recession direction: P u = 0 to rounding
    if 2.0 * np.log(g) - np.log(2.0 * c) > np.log(np.finfo(float).max):
        raise ValueError(
            f"q: the optimum value is about -{g:.3g}**2 / (2 * {c:.3g}), beyond the float64 "
            "range (the objective is bounded below, P being positive along the direction "
            "q decreases); rescale q and P, e.g. divide q by its largest absolute value"
        )


def _equality_only(P, q, A, b, tol):
    """min 1/2 x'Px + q'x s.t. Ax = b: one regularized KKT solve with refinement."""
    solver = KKTSolver(P, A, max(1.0, float(np.abs(P).max(initial=0.0))))
    x, y = solver.solve(-q, b)
    rd = P @ x + q + A.T @ y
    rp = A @ x - b
    scale = 1.0 + max(np.abs(q).max(initial=0.0), np.abs(b).max(initial=0.0))
    if max(np.abs(rd).max(initial=0.0), np.abs(rp).max(initial=0.0)) <= tol * scale:
        return "optimal", x, y, None
    # b not in range(A): the least-squares residual r has A'r = 0 and b'r = |r|^2 > 0
    r = b - A @ lstsq(A, b)[0]
    if np.abs(r).max(initial=0.0) > tol * scale:
        return "infeasible", None, None, (np.zeros(0), -r / (r @ r))
    # q has a component d in null([P; A]) along which f decreases without bound
    M = np.vstack([P, A])
    d = -(q - M.T @ lstsq(M.T, q)[0])
    if -(q @ d) > tol * scale**2 and np.abs(M @ d).max() <= 1e3 * tol * np.abs(d).max():
        return "unbounded", None, None, d / -(q @ d)
    return "max_iter", x, y, None  # neither a solution nor a certificate to tolerance


@overflow_guard("solve_qp")
def solve_qp(
    P: ArrayLike | None,
    q: ArrayLike,
    G: ArrayLike | None = None,
    h: ArrayLike | None = None,
    A: ArrayLike | None = None,
    b: ArrayLike | None = None,
    *,
    tol: float = 1e-9,
    max_iter: int = 100,
) -> QPResult:
    r"""Solve a convex quadratic program by a primal–dual interior-point method.

    .. math:: \min_x \tfrac12 x^\top P x + q^\top x \quad\text{s.t.}\quad
              G x \le h,\; A x = b.

    Parameters
    ----------
    P : array_like, shape (n, n) or None
        Symmetric positive semidefinite (may be singular; ``None`` or zeros give an LP).
    q : array_like, shape (n,)
    G, h : array_like, shape (m, n) and (m,), optional
        Inequality constraints.
    A, b : array_like, shape (p, n) and (p,), optional
        Equality constraints (redundant rows are allowed).
    tol : float, default 1e-9
        Relative tolerance on the primal and dual residuals and the duality gap.
    max_iter : int, default 100
        Iteration limit.

    Returns
    -------
    QPResult
        ``x``, the multipliers ``z`` (inequalities, :math:`\ge 0`) and ``y`` (equalities),
        the slacks ``s = h - G x``, the primal and dual objectives, the duality gap, the KKT
        residuals, ``nit``, ``status`` (``"optimal"``, ``"infeasible"``, ``"unbounded"``,
        ``"max_iter"``), ``message``, and for the two failures a ``certificate``.

    Raises
    ------
    ValueError
        Mismatched shapes, NaN/inf, a non-symmetric ``P``, a ``P`` that is not positive
        semidefinite, or a non-positive ``tol``; and a ``q`` so large against ``P`` that the
        (finite) optimum value is beyond the float64 range.

    Notes
    -----
    With slacks :math:`s = h - G x \ge 0`, the KKT conditions are :math:`P x + q + G^\top z +
    A^\top y = 0`, :math:`G x + s = h`, :math:`A x = b`, :math:`s, z \ge 0`,
    :math:`s_i z_i = 0`. Each iteration takes a Newton step on these equations with the
    complementarity relaxed to :math:`s_i z_i = \sigma\mu`, :math:`\mu = s^\top z / m`
    (Mehrotra's predictor–corrector: an affine step with :math:`\sigma = 0` predicts how much
    the gap can shrink, :math:`\sigma = (\mu_{\rm aff}/\mu)^3`, and the corrector adds the
    second-order term :math:`\Delta s_{\rm aff} \circ \Delta z_{\rm aff}`); steps stop at 99 %
    of the distance to the boundary of :math:`s, z \ge 0`. Eliminating :math:`\Delta s` and
    :math:`\Delta z` leaves the reduced KKT system

    .. math:: \begin{pmatrix} P + G^\top D G & A^\top \\ A & 0 \end{pmatrix}
              \begin{pmatrix}\Delta x\\ \Delta y\end{pmatrix} = r, \qquad D = Z S^{-1}.

    It is solved as a *regularized quasi-definite* system: :math:`H = P + G^\top D G +
    \delta I` is factored by Cholesky, and so is the Schur complement :math:`A H^{-1} A^\top +
    \delta I`, with :math:`\delta = 10^{-9}\max(1, \max|P_{ij}|)`. The regularization makes
    both factorizations exist for a singular :math:`P` (an LP, free variables) and for
    redundant equality rows; iterative refinement, first on the reduced and then on the
    unreduced Newton system, removes its effect. Near the end :math:`D` spans twenty orders
    of magnitude; if rounding still breaks the Cholesky factorization, :math:`\delta` grows
    by 100 (to at least :math:`10^{-14}\max_i H_{ii}`) and refinement restores the accuracy.
    Before iterating, every row of :math:`G` and :math:`A` is scaled to unit infinity norm
    and the objective to unit size; the multipliers are mapped back. Cost per iteration:
    :math:`m n^2` flops for :math:`G^\top D G`, :math:`n^3/3` for the Cholesky factor, a few
    solves. Without inequalities the problem is one linear KKT solve. The stopping test is
    relative: residuals of each block below ``tol`` times one plus the size of its data, and
    :math:`s^\top z \le` ``tol`` :math:`\max(1, |f(x)|)`.

    Infeasibility and unboundedness are reported only with a certificate checked on the
    iterates (the standard tests, e.g. in [2]): :math:`z \ge 0, y` with :math:`G^\top z +
    A^\top y = 0` and :math:`h^\top z + b^\top y < 0` prove the constraints inconsistent
    (Farkas); a direction :math:`d` with :math:`P d = 0`, :math:`A d = 0`, :math:`G d \le 0`
    and :math:`q^\top d < 0` proves the objective unbounded below. Both are returned,
    normalized, in ``certificate``.

    References
    ----------
    .. [1] S. Mehrotra, "On the implementation of a primal-dual interior point method",
       SIAM J. Optim. 2(4), 1992.
    .. [2] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., 2006, ch. 14, 16.
    .. [3] S. Boyd and L. Vandenberghe, *Convex Optimization*, 2004, sec. 11.7.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.optim.qp import solve_qp
    >>> P = np.array([[2.0, 0.0], [0.0, 2.0]]); q = np.array([-2.0, -5.0])
    >>> G = np.array([[1.0, 1.0]]); h = np.array([1.0])
    >>> res = solve_qp(P, q, G, h)
    >>> res.status, np.round(res.x, 6), np.round(res.z, 6)
    ('optimal', array([-0.25,  1.25]), array([2.5]))
    >>> bool(abs(res.duality_gap) < 1e-8)
    True
    """
    P, q, G, h, A, b = _problem(P, q, G, h, A, b)
    if not (isinstance(tol, (int, float)) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    max_iter = check_positive_int(max_iter, "max_iter")
    n, m = q.shape[0], G.shape[0]
    pscale = max(1.0, float(np.abs(P).max(initial=0.0)))
    if np.abs(P - P.T).max(initial=0.0) > 1e-10 * pscale:
        raise ValueError("P must be symmetric (max |P - P.T| is too large)")
    P = 0.5 * (P + P.T)
    if n == 0:
        raise ValueError("the problem has no variables (q is empty)")
    if np.any(P):
        try:
            cholesky(P + 1e-9 * pscale * np.eye(n))
        except LinAlgError:
            raise ValueError(
                "P must be positive semidefinite (the problem is not convex)"
            ) from None
    if m == 0:
        status, x, y, cert = _equality_only(P, q, A, b, tol)
        msg = {
            "optimal": "equality-constrained QP solved by one KKT solve",
            "infeasible": "the equality constraints are inconsistent (b not in range(A))",
            "unbounded": "the objective decreases without bound on the feasible set",
            "max_iter": "the KKT system could not be solved to tolerance (ill-conditioned)",
        }[status]
        if status == "unbounded":
            _check_recession(P, q, cert)
        return _finish(status, msg, P, q, G, h, A, b, x, np.zeros(0), y, np.zeros(0), 0, cert)
    # scale: every constraint row to unit infinity norm, the objective to unit size; the
    # multipliers of the scaled problem map back as z = sigma * z_hat / r_G (y likewise)
    rg = np.abs(G).max(axis=1)
    rg[rg == 0] = 1.0
    ra = np.abs(A).max(axis=1, initial=0.0)
    ra[ra == 0] = 1.0
    sigma = max(1.0, float(np.abs(q).max()), float(np.abs(P).max(initial=0.0)))
    status, msg, x, zh, yh, _, nit, cert = _interior_point(
        P / sigma, q / sigma, G / rg[:, None], h / rg, A / ra[:, None], b / ra, tol, max_iter
    )
    if status == "infeasible":  # (z, y) of the scaled rows -> original rows, renormalized
        zc, yc = cert[0] / rg, cert[1] / ra
        t = -(h @ zc + b @ yc)
        cert = (zc / t, yc / t)
    elif status == "unbounded":
        _check_recession(P, q, cert)
        cert = cert / -(q @ cert)
    if x is None:
        return _finish(status, msg, P, q, G, h, A, b, x, None, None, None, nit, cert)
    z, y = sigma * zh / rg, sigma * yh / ra
    return _finish(status, msg, P, q, G, h, A, b, x, z, y, h - G @ x, nit, cert)


def _interior_point(P, q, G, h, A, b, tol, max_iter):
    pscale = max(1.0, float(np.abs(P).max(initial=0.0)))
    m = G.shape[0]
    # starting point: the solution of the QP with the inequalities as equalities (W = I)
    solver = KKTSolver(P + G.T @ G, A, pscale)
    x, y = solver.solve(-q + G.T @ h, b)
    s = h - G @ x
    z = G @ x - h
    s = s if s.min() > 0 else s + 1.0 - s.min()
    z = z if z.min() > 0 else z + 1.0 - z.min()
    hscale = 1.0 + np.abs(h).max()
    bscale = 1.0 + np.abs(b).max(initial=0.0)
    qscale = 1.0 + np.abs(q).max()
    best, stalled = (np.inf, None, None), 0
    for it in range(1, max_iter + 1):
        rd = P @ x + q + G.T @ z + A.T @ y
        re = A @ x - b
        ri = G @ x + s - h
        gap = float(s @ z)
        mu = gap / m
        pobj = 0.5 * x @ (P @ x) + q @ x
        pres = max(np.abs(re).max(initial=0.0) / bscale, np.abs(ri).max() / hscale)
        dres = np.abs(rd).max() / qscale
        if pres <= tol and dres <= tol and gap <= tol * max(1.0, abs(pobj)):
            return "optimal", "optimal solution found", x, z, y, s, it - 1, None
        cand = _certificates(P, q, G, h, A, b, x, z, y)
        best = min(best, cand, key=lambda c: c[0])
        if cand[0] <= tol:
            _, kind, c = cand
            msg = {
                "infeasible": "the constraints are infeasible (Farkas certificate found)",
                "unbounded": "the objective is unbounded below (direction of recession found)",
            }[kind]
            return kind, msg, None, None, None, None, it - 1, c
        d = z / s
        try:
            solver = KKTSolver(P + (G.T * d) @ G, A, pscale)
        except LinAlgError:
            break

        def direction(rc, rd=rd, re=re, ri=ri, d=d, s=s, solver=solver):
            # reduced system: (P + G'DG) dx + A'dy = -rd - G'(d*ri - rc/s); A dx = -re
            dx, dy = solver.solve(-rd - G.T @ (d * ri - rc / s), -re)
            dz = d * (G @ dx + ri) - rc / s
            for _ in range(3):  # refine on the unreduced stationarity / equality rows
                ed = rd + P @ dx + A.T @ dy + G.T @ dz
                ee = re + A @ dx
                if max(np.abs(ed).max(), np.abs(ee).max(initial=0.0)) <= 1e-14 * qscale:
                    break
                ddx, ddy = solver.solve(-ed, -ee)
                dx, dy, dz = dx + ddx, dy + ddy, dz + d * (G @ ddx)
            return dx, dy, dz, -ri - G @ dx

        dx, dy, dz, ds = direction(s * z)
        alpha = min(_max_step(s, ds), _max_step(z, dz))
        mu_aff = (s + alpha * ds) @ (z + alpha * dz) / m
        sigma = (mu_aff / mu) ** 3
        dx, dy, dz, ds = direction(s * z + ds * dz - sigma * mu)
        alpha = min(1.0, _STEP * min(_max_step(s, ds), _max_step(z, dz)))
        if max(pres, dres) <= 1e-4:  # nearly feasible: the gap must now decrease
            alpha = _gap_step(s, z, ds, dz, alpha)
        x, y, z, s = x + alpha * dx, y + alpha * dy, z + alpha * dz, s + alpha * ds
        stalled = stalled + 1 if alpha < 1e-10 else 0
        if stalled >= 5 or not (np.isfinite(x).all() and np.isfinite(z).all()):
            break
    # no optimum: accept the best certificate seen (y re-fitted) at a relaxed tolerance
    ratio, kind, c = _polish(G, h, A, b, best)
    if ratio <= np.sqrt(tol):
        msg = f"{kind} (certificate found at reduced accuracy after {it} iterations)"
        return kind, msg, None, None, None, None, it, c
    msg = f"no solution to tolerance {tol:g} within {it} iterations; the last iterate is returned"
    return "max_iter", msg, x, z, y, s, it, None
