r"""The SVM dual, solved by decomposition: large working sets, each solved by SMO (WSS2).

Every kernel SVM here (C-SVC, epsilon-SVR) is one instance of the dual

.. math::

    \min_\alpha\; f(\alpha) = \tfrac12 \alpha^\top Q \alpha + p^\top \alpha
    \quad\text{s.t.}\quad 0 \le \alpha_t \le C_t,\quad y^\top\alpha = 0,
    \qquad Q_{st} = y_s y_t K(x_{\pi(s)}, x_{\pi(t)}),

with labels :math:`y_t = \pm 1` and a map :math:`\pi` from variables to samples (the identity
for classification; :math:`t \mapsto t \bmod n` for regression's :math:`2n` variables). With
the gradient :math:`G = Q\alpha + p`, the KKT conditions read :math:`m(\alpha) \le M(\alpha)`
for

.. math::

    m(\alpha) = \max_{t \in I_{up}} -y_t G_t, \qquad M(\alpha) = \min_{t\in I_{low}} -y_t G_t,

:math:`I_{up} = \{t: \alpha_t < C_t, y_t = 1 \text{ or } \alpha_t > 0, y_t = -1\}` and
:math:`I_{low}` the mirror image; the solver stops when :math:`m - M < \text{tol}` (LIBSVM's
criterion, so ``tol`` means what it means there).

**Algorithm.** LIBSVM moves two variables per iteration, each costing two kernel rows and a few
passes over all :math:`l` variables — in NumPy, a Python-level iteration per pair. Here the outer
loop instead picks a working set :math:`B` of :math:`q` variables (the :math:`q/2` most violating
from each of :math:`I_{up}` and :math:`I_{low}`, so the maximal violating pair is always inside),
fetches the :math:`l \times q` block :math:`Q_{:,B}` from a kernel-column cache in one BLAS call
for the missing columns, and solves the :math:`q`-variable subproblem (the rest held fixed) by
SMO with Fan, Chen & Lin's second-order working-set selection on :math:`q`-length arrays; then
:math:`G \mathrel{+}= Q_{:,B}\,\Delta\alpha_B`, one matrix-vector product. The pair selection
(WSS2): :math:`i = \arg\max_{I_{up}} -y_tG_t`, and

.. math::

    j = \arg\min_{t \in I_{low},\, -y_tG_t < -y_iG_i} -\frac{b_{it}^2}{a_{it}},\quad
    b_{it} = -y_iG_i + y_tG_t,\quad a_{it} = Q_{ii} + Q_{tt} - 2y_iy_tQ_{it},

the pair whose exact two-variable minimization decreases :math:`f` the most (to second
order); the pair is then updated in closed form and clipped to the box. The large working set
plays the part of LIBSVM's shrinking: variables far from the margin are never selected, and
their kernel columns are never computed.
"""

import numpy as np

__all__ = ["SMOResult", "solve_dual"]

_TAU = 1e-12
INNER_FRACTION = 0.1  # a subproblem is solved until its violation is below this share of the gap
INNER_STEPS = 4  # at most this many SMO steps per working-set variable


class SMOResult:
    """Solution of the dual: ``alpha``, gradient ``G``, ``rho``, ``n_iter``, ``converged``."""

    def __init__(self, alpha, G, rho, n_iter, converged, objective):
        self.alpha, self.G, self.rho = alpha, G, rho
        self.n_iter, self.converged, self.objective = n_iter, converged, objective


class KernelColumns:
    """Columns ``K[:, j]`` of an n x n kernel matrix, computed in blocks and kept in a cache.

    ``compute(idx)`` must return the ``(len(idx), n)`` block ``K[idx, :]`` (the kernel is
    symmetric, so these are the columns too). Cached columns are
    stored as the rows of one ``(slots, n)`` buffer (contiguous, so gathering a working set is
    one fancy-indexing copy); at most ``cache_bytes`` are kept (but always one working set's
    worth), evicting the least recently used.
    """

    def __init__(self, compute, n, cache_bytes, min_cols):
        self.compute, self.n = compute, n
        self.n_slots = int(min(n, max(cache_bytes // (8 * max(n, 1)), min_cols)))
        self.buf = np.empty((self.n_slots, n))
        self.slot_of = np.full(n, -1, dtype=np.intp)
        self.owner = np.full(self.n_slots, -1, dtype=np.intp)
        self.last_used = np.zeros(self.n_slots, dtype=np.int64)
        self.clock = 0
        self.n_computed = 0

    def slots(self, idx):
        """Cache slots holding ``K[:, idx]`` (rows of ``self.buf``), computing missing ones."""
        idx, back = np.unique(idx, return_inverse=True)
        return self._slots(idx)[back]

    def _slots(self, idx):
        self.clock += 1
        slots = self.slot_of[idx]
        missing = slots < 0
        if missing.any():
            need = idx[missing]
            protected = slots[~missing]
            self.last_used[protected] = self.clock
            free = np.flatnonzero(self.owner < 0)
            if free.size < need.size:  # evict the least recently used, never this call's slots
                order = np.argsort(np.where(self.owner >= 0, self.last_used, -1), kind="stable")
                order = order[self.last_used[order] < self.clock]
                evict = order[: need.size - free.size]
                self.slot_of[self.owner[evict]] = -1
                self.owner[evict] = -1
                free = np.flatnonzero(self.owner < 0)
            new = free[: need.size]
            self.buf[new] = self.compute(need)
            self.n_computed += need.size
            self.owner[new] = need
            self.slot_of[need] = new
            slots = self.slot_of[idx]
        self.last_used[slots] = self.clock
        return slots


def _masks(alpha, C, y):
    below, above = alpha < C, alpha > 0
    pos = y > 0
    up = (below & pos) | (above & ~pos)
    low = (below & ~pos) | (above & pos)
    return up, low


def _smo_subproblem(Q, G, alpha, C, y, tol, max_steps):
    r"""SMO with WSS2 on a small dense problem (``G`` and ``alpha`` updated in place).

    Works with :math:`F = -y \circ G` and the signed rows :math:`R_{it} = -y_t Q_{it}`, keeps
    the :math:`I_{up}`/:math:`I_{low}` masks up to date for the two changed entries only, and
    scores WSS2 candidates as :math:`\max(b_t, 0)^2 / a_t` (zero for non-candidates), so a step
    is a dozen vector operations on ``q``-length arrays. Returns the number of steps taken.
    """
    QD = np.diag(Q).copy()
    R = Q * -y[None, :]  # R[i, t] = -y_t Q_it
    inv_a = 1.0 / np.maximum(QD[:, None] + QD[None, :] + 2.0 * y[:, None] * R, _TAU)
    F = -y * G
    up, low = _masks(alpha, C, y)
    pen_up = np.where(up, 0.0, -np.inf)  # F + pen_up: F on I_up, -inf elsewhere
    pen_low = np.where(low, 0.0, np.inf)
    for step in range(max_steps):
        up_vals = F + pen_up
        i = int(up_vals.argmax())
        g_max = up_vals[i]
        b = g_max - (F + pen_low)  # -inf off I_low
        if -b.max() > -tol:  # m - M = g_max - min over I_low < tol
            np.multiply(F, -y, out=G)
            return step
        np.maximum(b, 0.0, out=b)
        b *= b
        b *= inv_a[i]  # b_t^2 / a_it: the WSS2 gain, 0 off the candidates
        j = int(b.argmax())
        dai, daj = _update_pair(Q, alpha, C, y, i, j, -y[i] * F[i], -y[j] * F[j])
        F += R[i] * dai
        F += R[j] * daj
        for t in (i, j):
            below, above = alpha[t] < C[t], alpha[t] > 0
            is_up, is_low = (below, above) if y[t] > 0 else (above, below)
            pen_up[t] = 0.0 if is_up else -np.inf
            pen_low[t] = 0.0 if is_low else np.inf
    np.multiply(F, -y, out=G)
    return max_steps


def _update_pair(Q, alpha, C, y, i, j, Gi, Gj):
    """LIBSVM's closed-form two-variable update, clipped to the box; returns the two changes."""
    ai, aj, Ci, Cj = alpha[i], alpha[j], C[i], C[j]
    if y[i] != y[j]:
        quad = max(Q[i, i] + Q[j, j] + 2.0 * Q[i, j], _TAU)
        delta = (-Gi - Gj) / quad
        diff = ai - aj
        ai, aj = ai + delta, aj + delta
        if diff > 0:
            if aj < 0:
                aj, ai = 0.0, diff
        elif ai < 0:
            ai, aj = 0.0, -diff
        if diff > Ci - Cj:
            if ai > Ci:
                ai, aj = Ci, Ci - diff
        elif aj > Cj:
            aj, ai = Cj, Cj + diff
    else:
        quad = max(Q[i, i] + Q[j, j] - 2.0 * Q[i, j], _TAU)
        delta = (Gi - Gj) / quad
        total = ai + aj
        ai, aj = ai - delta, aj + delta
        if total > Ci:
            if ai > Ci:
                ai, aj = Ci, total - Ci
        elif aj < 0:
            aj, ai = 0.0, total
        if total > Cj:
            if aj > Cj:
                aj, ai = Cj, total - Cj
        elif ai < 0:
            ai, aj = 0.0, total
    dai, daj = ai - alpha[i], aj - alpha[j]
    alpha[i], alpha[j] = ai, aj
    return dai, daj


def _rho(alpha, G, C, y):
    """The threshold: the average of y_t G_t over free variables (bounds' midpoint if none)."""
    yG = y * G
    free = (alpha > 0) & (alpha < C)
    if free.any():
        return float(yG[free].mean())
    # every variable at a bound: KKT only brackets rho between these (LIBSVM's rule)
    at_upper, pos = alpha >= C, y > 0
    ub_set = (at_upper & ~pos) | (~at_upper & pos)
    ub = np.min(yG[ub_set]) if ub_set.any() else np.inf
    lb = np.max(yG[~ub_set]) if (~ub_set).any() else -np.inf
    ub = ub if np.isfinite(ub) else lb
    lb = lb if np.isfinite(lb) else ub
    return float((ub + lb) / 2.0) if np.isfinite(ub) else 0.0


def solve_dual(
    kernel_block,
    y,
    p,
    C,
    *,
    sample_of=None,
    tol=1e-3,
    max_iter=-1,
    cache_bytes=200 * 2**20,
    working_set=256,
    alpha0=None,
):
    """Solve the SVM dual above; ``kernel_block(idx)`` returns the kernel rows ``K[idx, :]``.

    Parameters
    ----------
    kernel_block : callable
        ``idx`` (sample indices) -> the ``(len(idx), n_samples)`` kernel rows ``K[idx, :]``.
    y, p, C : ndarray of shape (l,)
        Labels (+-1), linear term and upper bounds of the ``l`` dual variables.
    sample_of : ndarray of shape (l,), optional
        The sample of each variable (default: variable t is sample t).
    tol : float
        Stop when the maximal KKT violation m - M falls below it.
    max_iter : int
        Total SMO steps allowed (-1: no limit).

    Returns
    -------
    SMOResult
    """
    l = y.shape[0]
    identity = sample_of is None
    sample_of = np.arange(l) if identity else sample_of
    n = int(sample_of.max()) + 1 if l else 0
    cols = KernelColumns(kernel_block, n, cache_bytes, min_cols=min(working_set, n))
    alpha = np.zeros(l) if alpha0 is None else alpha0.astype(np.float64).copy()
    G = p.astype(np.float64).copy()
    if alpha.any():
        _add_to_gradient(G, cols, alpha.copy(), np.flatnonzero(alpha), y, sample_of, identity)
    q = min(working_set, l)
    steps, converged = 0, False
    budget = np.inf if max_iter is None or max_iter < 0 else max_iter
    while steps < budget:
        up, low = _masks(alpha, C, y)
        myG = -y * G
        up_vals = np.where(up, myG, -np.inf)
        low_vals = np.where(low, myG, np.inf)
        gap = up_vals.max() - low_vals.min() if up.any() and low.any() else 0.0
        if gap < tol:
            converged = True
            break
        B = _working_set(up_vals, low_vals, q)
        slots = cols.slots(sample_of[B])
        yB = y[B]
        flat = slots[:, None] * n + sample_of[B][None, :]
        QBB = np.take(cols.buf, flat) * yB[:, None] * yB[None, :]
        aB, GB = alpha[B].copy(), G[B].copy()
        limit = int(min(budget - steps, INNER_STEPS * len(B)))
        inner_tol = max(tol, INNER_FRACTION * gap)
        steps += max(_smo_subproblem(QBB, GB, aB, C[B], yB, inner_tol, limit), 1)
        delta = aB - alpha[B]
        alpha[B] = aB
        moved = np.flatnonzero(delta)
        if moved.size:
            row = _weighted_rows(cols.buf, slots[moved], yB[moved] * delta[moved])
            G += y * (row if identity else row[sample_of])
    objective = 0.5 * float(alpha @ (G + p))
    result = SMOResult(alpha, G, _rho(alpha, G, C, y), steps, converged, objective)
    result.n_kernel_columns = cols.n_computed
    return result


def _weighted_rows(buf, slots, weights):
    r""":math:`\sum_k w_k\, \mathrm{buf}[s_k]`: one gather and a matrix-vector product."""
    return weights @ buf[slots]


def _add_to_gradient(G, cols, alpha, nz, y, sample_of, identity):
    """G += Q[:, nz] alpha[nz], in working-set-sized chunks of kernel columns."""
    step = max(cols.n_slots // 2, 1)
    for start in range(0, nz.size, step):
        part = nz[start : start + step]
        slots = cols.slots(sample_of[part])
        row = (y[part] * alpha[part]) @ cols.buf[slots]
        G += y * (row if identity else row[sample_of])


def _working_set(up_vals, low_vals, q):
    """The q/2 largest -yG in I_up and the q/2 smallest in I_low (most violating first)."""
    half = max(q // 2, 1)
    n_up = int(np.isfinite(up_vals).sum())
    n_low = int(np.isfinite(low_vals).sum())
    top = _extreme(-up_vals, min(half, n_up))
    bottom = _extreme(low_vals, min(half, n_low))
    B = np.union1d(top, bottom)
    if B.size < q:  # fill from the remaining violators of either kind
        extra = np.setdiff1d(_extreme(-up_vals, min(q, n_up)), B)[: q - B.size]
        B = np.union1d(B, extra)
    return B


def _extreme(vals, k):
    """Indices of the k smallest entries of vals."""
    if k <= 0:
        return np.empty(0, dtype=np.intp)
    if k >= vals.size:
        return np.argsort(vals, kind="stable")
    return np.argpartition(vals, k - 1)[:k]
