r"""The kernel behind :mod:`m4ml.optim.coordinate_descent`: soft-thresholding sweeps and the
duality gap that certifies them (private; the math is in ``coordinate_descent``'s Notes).

Two equivalent state representations are used. With the residual :math:`r = y - Xw` each
coordinate step costs :math:`O(n)`. With the Gram matrix :math:`G = X^\top X` (when
:math:`n \ge 2p`) the correlations :math:`c = X^\top r = X^\top y - Gw` are kept instead:
:math:`O(p)` per step, and the duality gap needs only :math:`p`-vectors, because
:math:`\|r\|^2 = y^\top y - 2w^\top X^\top y + w^\top G w` and
:math:`r^\top y = y^\top y - w^\top X^\top y` — no pass over the data after the Gram
matrix is formed.
"""

import warnings

import numpy as np

from m4ml._core import ConvergenceWarning, as_float_array
from m4ml.optim._result import OptimizeResult

_EPS = np.finfo(float).eps


def _check_data(X, y):
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    y = as_float_array(y, "y", min_ndim=1, max_ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    # the sweeps form sums of squares and products of X and y: they must not overflow
    limit = np.sqrt(np.finfo(float).max / (4.0 * X.shape[0] * max(X.shape[1], 1)))
    for name, a in (("X", X), ("y", y)):
        if np.abs(a).max() > limit:
            raise ValueError(
                f"{name} has entries up to {np.abs(a).max():.3g}: sums of squares would overflow "
                f"(keep them below {limit:.3g}); rescale the data"
            )
    return X, y


def _check_params(alpha, l1_ratio, tol):
    for name, v in (("alpha", alpha), ("l1_ratio", l1_ratio), ("tol", tol)):
        if not np.isscalar(v) or not np.isfinite(v):
            raise ValueError(f"{name} must be a finite number, got {v!r}")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    if not 0.0 <= l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must lie in [0, 1], got {l1_ratio}")
    if tol <= 0:
        raise ValueError(f"tol must be > 0, got {tol}")


def _dual_gap(X, y, w, r, a, b):
    r"""Duality gap :math:`P(w) - D(\theta)` (objective units) at dual points built from r."""
    return _gap(X.T @ r, r @ r, r @ y, w, X.shape[0], a, b)


def _dual_gap_gram(xty, yy, gram, corr, w, n, a, b):
    """The same gap from p-vectors only: ||r||^2 and r'y through X'y, G and w."""
    wxty = float(w @ xty)
    r2 = max(yy - 2.0 * wxty + float(w @ (gram @ w)), 0.0)
    return _gap(corr, r2, yy - wxty, w, n, a, b)


def _gap(xtr, r2, ry, w, n, a, b):
    """The gap from the sufficient statistics X'r, ||r||^2 and r'y."""
    l1, l2 = n * a, n * b
    w2 = float(w @ w)
    w1 = float(np.abs(w).sum())
    primal = 0.5 * r2 + l1 * w1 + 0.5 * l2 * w2
    gap = np.inf
    if l1 > 0:  # the lasso dual on the augmented data, at the scaled residual
        dual_norm = float(np.abs(xtr - l2 * w).max() if l2 else np.abs(xtr).max())
        s = l1 / dual_norm if dual_norm > l1 else 1.0
        gap = 0.5 * r2 * (1.0 + s * s) + l1 * w1 - s * ry
        gap += 0.5 * l2 * (1 + s * s) * w2
    if l2 > 0:  # the smooth Fenchel dual (no constraint on theta), at theta = r
        excess = np.maximum(np.abs(xtr) - l1, 0.0)
        gap = min(gap, primal - (ry - 0.5 * r2 - 0.5 * (excess @ excess) / l2))
    return gap / n if np.isfinite(gap) else 0.0


def _use_gram(n, p):
    """Keep X^T r (O(p) per coordinate) instead of r (O(n)) when n is well above p."""
    return n >= 2 * p and p <= 500


def _sweeps(X, y, w, r, col_sq, a, b, max_iter, tol_abs, gram=None, xty=None):
    """Cyclic coordinate descent in place on (w, r = y - Xw); return (nit, gap, converged).

    Converged means the duality gap is below ``tol_abs``, or a sweep left every coordinate
    unchanged to rounding (each step at most 8 eps times max |w|, or 8 eps times the size of
    the terms of its own update; twice, the state recomputed in between): then each coordinate is at
    its exact one-dimensional minimizer and further sweeps cannot help, even where the gap
    itself cannot be resolved below the rounding of its terms. With ``gram`` = X^T X (and
    ``xty`` = X^T y) the correlations c = X^T r are updated instead of r (c -= G_j dw_j), the
    gap comes from p-vectors, and r is rebuilt once, on return.
    """
    n, p = X.shape
    thresh = n * a
    denom = (col_sq + n * b).tolist()
    csq = col_sq.tolist()
    if gram is None:
        cols, corr = [X[:, j] for j in range(p)], None

        def gap_now():
            return _dual_gap(X, y, w, r, a, b)

        def refresh():
            r[:] = y - X @ w  # remove the drift of the incremental updates

    else:
        cols, corr = list(gram), xty - gram @ w  # G symmetric: its rows are its columns
        yy = float(y @ y)

        def gap_now():
            return _dual_gap_gram(xty, yy, gram, corr, w, n, a, b)

        def refresh():
            corr[:] = xty - gram @ w

    def sweep(indices):
        # d_max: the largest step; d_rel: the largest step over the rounding scale of its own
        # update (|rho| + n a + |x_j|^2 |w_j|) / denom, which is far above |w_j| where the
        # soft threshold cancels most of rho
        d_max = w_max = d_rel = 0.0
        for j in indices:  # the loop is over coordinates; each step costs O(n) (O(p): Gram)
            if denom[j] == 0.0:
                continue
            wj = w[j]
            rho = (cols[j] @ r if corr is None else corr[j]) + csq[j] * wj
            mag = abs(rho) - thresh
            new = (mag if rho > 0 else -mag) / denom[j] if mag > 0 else 0.0
            if new != wj:
                step = new - wj
                if corr is None:
                    r[...] -= step * cols[j]
                else:
                    corr[...] -= step * cols[j]
                w[j] = new
                if abs(step) > d_max:
                    d_max = abs(step)
                rel = abs(step) * denom[j] / (abs(rho) + thresh + csq[j] * abs(wj))
                if rel > d_rel:
                    d_rel = rel
            if abs(new) > w_max:
                w_max = abs(new)
        return float(d_max), float(w_max), float(d_rel)

    def finish(it, gap, ok):
        if corr is not None:
            r[:] = y - X @ w
        return it, gap, ok

    def candidates():
        # a zero coordinate with |x_j' r| <= n a rho would stay zero: its step is exactly 0,
        # so the sweep visits only the non-zero coordinates and the violators (one product
        # X' r, or the kept correlations, instead of a Python step per coordinate)
        c = X.T @ r if corr is None else corr
        return np.flatnonzero((w != 0.0) | (np.abs(c) > thresh)).tolist()

    gap = np.inf
    if not w.any():  # w = 0 may already be optimal (alpha >= alpha_max): one cheap check
        gap = gap_now()
        if gap <= tol_abs:
            return finish(0, gap, True)
    still = False
    for it in range(1, max_iter + 1):
        d_max, w_max, d_rel = sweep(candidates())
        # active-set passes: only the non-zero coordinates, until they settle
        active = np.flatnonzero(w).tolist()
        if 0 < len(active) < p and d_max > 8 * _EPS * w_max:
            for _ in range(100):
                da, wa, _ = sweep(active)
                if da <= 1e-3 * max(wa, 1e-300):
                    break
        if corr is not None:
            refresh()  # O(p^2): exact correlations for the gap at no cost worth saving
        gap = gap_now()
        if gap <= tol_abs:
            return finish(it, gap, True)
        if d_max <= 8 * _EPS * w_max or d_rel <= 8 * _EPS:  # no change beyond rounding
            if still:
                return finish(it, gap, True)
            still = True
            refresh()
        else:
            still = False
    return finish(max_iter, gap, False)


def _result(w, r, a, b, n, gap, nit, ok, tol_abs, intercept, max_iter):
    fun = (r @ r) / (2 * n) + a * np.abs(w).sum() + 0.5 * b * (w @ w)
    msg = (
        "Converged: the duality gap is below tolerance, or the coordinates stopped changing."
        if ok
        else f"Coordinate descent did not converge in {max_iter} sweeps (duality gap "
        f"{gap:.3g} > {tol_abs:.3g}); raise max_iter or tol."
    )
    if not ok:
        warnings.warn(msg, ConvergenceWarning, stacklevel=3)
    return OptimizeResult(
        x=w,
        intercept=float(intercept),
        fun=float(fun),
        dual_gap=float(gap),
        nit=nit,
        success=bool(ok),
        status=0 if ok else 1,
        message=msg,
    )
