r"""A dense two-phase tableau simplex with Bland's anti-cycling rule (private; used by
:func:`m4ml.optim.linprog.linprog` with ``method="simplex"``)."""

import numpy as np

from m4ml._core import LinAlgError
from m4ml.linalg.solve import solve

__all__ = ["simplex_standard_form"]


def _to_standard(c, A_ub, b_ub, A_eq, b_eq, lo, hi):
    r"""Rewrite the LP as :math:`\min \bar c^\top w` s.t. :math:`\bar A w = \bar b`,
    :math:`w \ge 0`, with :math:`x = o + T w_{1:N}`.

    A variable with a finite lower bound is :math:`x = l + w` (plus a row :math:`w + t = u -
    l` if :math:`u` is finite), one with only an upper bound is :math:`x = u - w`, a free one
    is :math:`x = w^+ - w^-`; every inequality row gets a slack.
    """
    n = c.shape[0]
    cols, offset, ub_rows = [], np.zeros(n), []
    for j in range(n):
        if np.isfinite(lo[j]):
            offset[j] = lo[j]
            cols.append((j, 1.0))
            if np.isfinite(hi[j]):
                ub_rows.append((len(cols) - 1, hi[j] - lo[j]))
        elif np.isfinite(hi[j]):
            offset[j] = hi[j]
            cols.append((j, -1.0))
        else:
            cols += [(j, 1.0), (j, -1.0)]
    N = len(cols)
    T = np.zeros((n, N))
    T[[j for j, _ in cols], np.arange(N)] = [s for _, s in cols]
    m_ub, k = A_ub.shape[0], len(ub_rows)
    rows_ub = np.hstack([A_ub @ T, np.eye(m_ub), np.zeros((m_ub, k))])
    B = np.zeros((k, N))
    B[np.arange(k), [i for i, _ in ub_rows]] = 1.0
    rows_bd = np.hstack([B, np.zeros((k, m_ub)), np.eye(k)])
    rows_eq = np.hstack([A_eq @ T, np.zeros((A_eq.shape[0], m_ub + k))])
    Abar = np.vstack([rows_ub, rows_bd, rows_eq])
    bbar = np.concatenate([b_ub - A_ub @ offset, [u for _, u in ub_rows], b_eq - A_eq @ offset])
    cbar = np.concatenate([T.T @ c, np.zeros(m_ub + k)])
    return Abar, bbar, cbar, T, offset, m_ub, k


def _pivot(tab, row, col):
    tab[row] /= tab[row, col]
    f = tab[:, col].copy()
    f[row] = 0.0
    tab -= np.outer(f, tab[row])


def _run(tab, basis, allowed, tol, budget):
    """Bland's rule on the tableau whose last row is the reduced-cost row.

    Returns ("optimal" | "unbounded" | "max_iter", pivots)."""
    pivots = 0
    while True:
        red = tab[-1, :-1]
        entering = np.flatnonzero((red < -tol) & allowed)
        if entering.size == 0:
            return "optimal", pivots
        if pivots >= budget:
            return "max_iter", pivots
        col = int(entering[0])  # Bland: the smallest index with a negative reduced cost
        a = tab[:-1, col]
        pos = a > tol
        if not pos.any():
            return "unbounded", pivots
        ratios = np.full(a.shape, np.inf)
        ratios[pos] = tab[:-1, -1][pos] / a[pos]
        best = ratios.min()
        ties = np.flatnonzero(ratios <= best + tol * max(1.0, abs(best)))
        row = int(ties[np.argmin(basis[ties])])  # Bland: the smallest basic index leaves
        _pivot(tab, row, col)
        basis[row] = col
        pivots += 1


def simplex_standard_form(c, A_ub, b_ub, A_eq, b_eq, lo, hi, *, tol=1e-9, maxiter=50000):
    r"""Two-phase simplex; returns ``(status, x, lambda_ub, lambda_eq, nit, message)``.

    Phase 1 adds one artificial variable per row of the standard form :math:`\bar A w =
    \bar b` (rows flipped so that :math:`\bar b \ge 0`) and minimizes their sum from the
    artificial basis; a positive optimum proves infeasibility. Artificials left in the basis
    at level zero are pivoted out, or their rows dropped as redundant. Phase 2 minimizes
    :math:`\bar c^\top w` from that basis. Both phases use Bland's rule (entering: the
    lowest-index column with a negative reduced cost; leaving: among ratio-test ties the
    lowest-index basic variable), which cannot cycle, so the method terminates on degenerate
    problems. The duals are :math:`\lambda = B^{-\top} \bar c_B` from one solve with the
    final basis matrix.
    """
    Abar, bbar, cbar, T, offset, m_ub, k = _to_standard(c, A_ub, b_ub, A_eq, b_eq, lo, hi)
    M, N = Abar.shape
    sign = np.where(bbar < 0, -1.0, 1.0)
    Abar, bbar = Abar * sign[:, None], bbar * sign
    scale = max(1.0, float(np.abs(Abar).max(initial=0.0)), float(np.abs(bbar).max(initial=0.0)))
    ptol = tol * scale
    # phase 1 tableau [A I b; reduced costs of sum(artificials)]
    tab = np.zeros((M + 1, N + M + 1))
    tab[:M, :N], tab[:M, N : N + M], tab[:M, -1] = Abar, np.eye(M), bbar
    tab[-1, :N], tab[-1, -1] = -Abar.sum(axis=0), -bbar.sum()
    basis = np.arange(N, N + M)
    allowed = np.ones(N + M, dtype=bool)
    status, nit = _run(tab, basis, allowed, ptol, maxiter)
    if status == "max_iter":
        return "max_iter", None, None, None, nit, "iteration limit reached in phase 1"
    if -tab[-1, -1] > np.sqrt(tol) * scale:
        return "infeasible", None, None, None, nit, "the problem is infeasible (phase 1 > 0)"
    keep = np.ones(M, dtype=bool)
    for r in np.flatnonzero(basis >= N):  # drive the artificials out of the basis
        cand = np.flatnonzero(np.abs(tab[r, :N]) > ptol)
        if cand.size:
            _pivot(tab, r, int(cand[0]))
            basis[r] = cand[0]
        else:
            keep[r] = False  # a redundant equality row
    rows = np.flatnonzero(keep)
    tab = np.vstack([tab[rows][:, np.r_[0:N, N + M]], np.zeros((1, N + 1))])
    basis = basis[rows]
    tab[-1, :N] = cbar
    tab[-1] -= cbar[basis] @ tab[:-1]  # reduced costs c - c_B B^{-1} A
    status, more = _run(tab, basis, np.ones(N, dtype=bool), ptol, maxiter - nit)
    nit += more
    if status != "optimal":
        msg = {"unbounded": "the problem is unbounded", "max_iter": "iteration limit reached"}
        return status, None, None, None, nit, msg[status]
    w = np.zeros(N)
    w[basis] = tab[:-1, -1]
    x = offset + T @ w[: T.shape[1]]
    lam = np.zeros(M)
    try:
        lam[rows] = solve(Abar[rows][:, basis].T, cbar[basis])
    except LinAlgError:  # pragma: no cover - the final basis is nonsingular by construction
        lam[rows] = 0.0
    lam *= sign
    p = A_eq.shape[0]
    return "optimal", x, lam[:m_ub], lam[m_ub + k : m_ub + k + p], nit, "optimal solution found"
