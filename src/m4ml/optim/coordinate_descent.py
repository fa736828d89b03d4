r"""Lasso and elastic net on least squares by cyclic coordinate descent, and their paths.

The objective is scikit-learn's

.. math:: P(w) = \frac{1}{2n}\|y - Xw\|_2^2 + \alpha\rho\|w\|_1
          + \frac{\alpha(1-\rho)}{2}\|w\|_2^2,

with :math:`\rho` = ``l1_ratio`` (:math:`\rho = 1` is the lasso).
"""

import numpy as np

from m4ml._core import ConvergenceWarning, as_float_array, check_positive_int
from m4ml.optim._result import OptimizeResult

__all__ = ["coordinate_descent", "enet_path", "lasso_path"]


def _check_data(X, y):
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    y = as_float_array(y, "y", min_ndim=1, max_ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
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
    n = X.shape[0]
    l1, l2 = n * a, n * b
    xtr = X.T @ r
    r2, w2, ry = r @ r, w @ w, r @ y
    primal = 0.5 * r2 + l1 * np.abs(w).sum() + 0.5 * l2 * w2
    gap = np.inf
    if l1 > 0:  # the lasso dual on the augmented data, at the scaled residual
        dual_norm = np.abs(xtr - l2 * w).max()
        s = l1 / dual_norm if dual_norm > l1 else 1.0
        gap = 0.5 * r2 * (1.0 + s * s) + l1 * np.abs(w).sum() - s * ry
        gap += 0.5 * l2 * (1 + s * s) * w2
    if l2 > 0:  # the smooth Fenchel dual (no constraint on theta), at theta = r
        excess = np.maximum(np.abs(xtr) - l1, 0.0)
        gap = min(gap, primal - (ry - 0.5 * r2 - 0.5 * (excess @ excess) / l2))
    return gap / n if np.isfinite(gap) else 0.0


def _use_gram(n, p):
    """Keep X^T r (O(p) per coordinate) instead of r (O(n)) when n is well above p."""
    return n >= 2 * p and p <= 500


def _sweeps(X, y, w, r, col_sq, a, b, max_iter, tol_abs, gram=None):
    """Cyclic coordinate descent in place on (w, r = y - Xw); return (nit, gap, converged).

    Converged means the duality gap is below ``tol_abs``, or a sweep left every coordinate
    unchanged to rounding (twice, the residual recomputed in between): then each coordinate
    is at its exact one-dimensional minimizer and further sweeps cannot help, even where the
    gap itself cannot be resolved below the rounding of its terms. With ``gram`` = X^T X the
    correlations c = X^T r are updated instead of r (c -= G_j dw_j), and r is rebuilt once per
    sweep for the gap.
    """
    n, p = X.shape
    thresh = n * a
    denom = (col_sq + n * b).tolist()
    csq = col_sq.tolist()
    cols = [X[:, j] for j in range(p)] if gram is None else list(gram)  # G symmetric: rows
    corr = None if gram is None else X.T @ r
    gap = _dual_gap(X, y, w, r, a, b)
    if gap <= tol_abs:
        return 0, gap, True

    def sweep(indices):
        d_max = w_max = 0.0
        for j in indices:  # the loop is over coordinates; each step costs O(n) (O(p): Gram)
            if denom[j] == 0.0:
                continue
            wj = float(w[j])
            rho = (float(cols[j] @ r) if corr is None else float(corr[j])) + csq[j] * wj
            mag = abs(rho) - thresh
            new = (mag if rho > 0 else -mag) / denom[j] if mag > 0 else 0.0
            if new != wj:
                if corr is None:
                    r[...] -= (new - wj) * cols[j]
                else:
                    corr[...] -= (new - wj) * cols[j]
                w[j] = new
                d_max = max(d_max, abs(new - wj))
            w_max = max(w_max, abs(new))
        return d_max, w_max

    still = False
    everything = range(p)
    for it in range(1, max_iter + 1):
        d_max, w_max = sweep(everything)
        # active-set passes: only the non-zero coordinates, until they settle
        active = np.flatnonzero(w).tolist()
        if 0 < len(active) < p and d_max > 8 * np.finfo(float).eps * w_max:
            for _ in range(100):
                da, wa = sweep(active)
                if da <= 1e-3 * max(wa, 1e-300):
                    break
        if corr is not None:
            r[:] = y - X @ w
        gap = _dual_gap(X, y, w, r, a, b)
        if gap <= tol_abs:
            return it, gap, True
        if d_max <= 8 * np.finfo(float).eps * w_max:
            if still:
                return it, gap, True
            still = True
            r[:] = y - X @ w  # remove the drift of the incremental updates
            if corr is not None:
                corr[:] = X.T @ r
        else:
            still = False
    return max_iter, gap, False


def coordinate_descent(
    X, y, alpha=1.0, l1_ratio=1.0, *, fit_intercept=True, w0=None, tol=1e-4, max_iter=1000
):
    r"""Fit the lasso / elastic net on least squares by cyclic coordinate descent.

    .. math:: \min_{w, b_0}\ \frac{1}{2n}\|y - Xw - b_0\|_2^2 + \alpha\rho\|w\|_1
              + \frac{\alpha(1-\rho)}{2}\|w\|_2^2

    Parameters
    ----------
    X : array_like, shape (n, p)
        Design matrix.
    y : array_like, shape (n,)
        Targets.
    alpha : float, default 1.0
        Overall penalty strength :math:`\alpha \ge 0`.
    l1_ratio : float, default 1.0
        Mixing :math:`\rho \in [0, 1]`: 1 is the lasso, 0 ridge.
    fit_intercept : bool, default True
        Fit an unpenalized intercept :math:`b_0` by centering :math:`X` and :math:`y`.
    w0 : array_like, shape (p,), optional
        Warm start for the coefficients.
    tol : float, default 1e-4
        Stop when the duality gap is below ``tol * ||y||^2 / n`` (scikit-learn's rule), or
        when a sweep no longer changes any coordinate beyond rounding.
    max_iter : int, default 1000
        Maximum number of sweeps over the coordinates.

    Returns
    -------
    OptimizeResult
        ``x`` (the coefficients :math:`w`), ``intercept``, ``fun`` (:math:`P(w)`),
        ``dual_gap``, ``nit`` (sweeps), ``success``, ``status`` (0 converged, 1 iteration
        limit), ``message``.

    Raises
    ------
    ValueError
        Mismatched shapes, NaN/inf, ``alpha < 0``, ``l1_ratio`` outside [0, 1], ``tol <= 0``.

    Warns
    -----
    ConvergenceWarning
        When the duality gap is still above the tolerance after ``max_iter`` sweeps.

    Notes
    -----
    With the residual :math:`r = y - Xw` kept up to date, the objective restricted to
    :math:`w_j` is a one-dimensional quadratic plus :math:`\alpha\rho|w_j|`, minimized by
    soft-thresholding:

    .. math:: w_j \leftarrow \frac{S\!\left(x_j^\top r + \|x_j\|^2 w_j,\ n\alpha\rho\right)}
              {\|x_j\|^2 + n\alpha(1-\rho)}, \qquad S(z, t) = \operatorname{sign}(z)\max(|z|-t, 0),

    after which :math:`r \leftarrow r - x_j\,\Delta w_j`: each coordinate step costs
    :math:`O(n)` and a sweep :math:`O(np)`, with the column norms computed once. When
    :math:`n \ge 2p` (and :math:`p \le 500`) the correlations :math:`X^\top r` are kept instead,
    updated by a column of the Gram matrix :math:`X^\top X` (computed once): :math:`O(p)` per
    step. Coordinates whose
    soft-threshold argument is below :math:`n\alpha\rho` land on an exact zero. After each full
    sweep, extra sweeps over the non-zero (active) coordinates only run until these settle,
    which is where most of the work is once the support is found.

    Convergence is certified by the duality gap; any dual-feasible :math:`\theta` gives
    :math:`P(w) - D(\theta) \ge P(w) - P(w^*) \ge 0`. In units of :math:`nP`, with
    :math:`\lambda_1 = n\alpha\rho`, :math:`\lambda_2 = n\alpha(1-\rho)`, two duals are used
    and the smaller gap kept:

    * the elastic net is a lasso on :math:`\tilde X = [X; \sqrt{\lambda_2} I]`,
      :math:`\tilde y = [y; 0]`, with dual :math:`\max_\theta \tfrac12\|\tilde y\|^2 -
      \tfrac12\|\tilde y - \theta\|^2` s.t. :math:`\|\tilde X^\top\theta\|_\infty \le
      \lambda_1`, evaluated at the scaled residual :math:`\theta = s\tilde r`,
      :math:`s = \min(1, \lambda_1/\|\tilde X^\top \tilde r\|_\infty)` (needs
      :math:`\lambda_1 > 0`);
    * when :math:`\lambda_2 > 0`, the Fenchel dual :math:`D(\theta) = y^\top\theta -
      \tfrac12\|\theta\|^2 - \tfrac{1}{2\lambda_2}\|(|X^\top\theta| - \lambda_1)_+\|^2`, which
      has no constraint, at :math:`\theta = r` (this covers ridge, :math:`\rho = 0`).

    The gap is evaluated after every sweep (cost :math:`O(np)`, the price of a sweep).

    References
    ----------
    .. [1] J. Friedman, T. Hastie and R. Tibshirani, "Regularization paths for generalized
       linear models via coordinate descent", J. Stat. Software 33(1), 2010.
    .. [2] S.-J. Kim et al., "An interior-point method for large-scale l1-regularized least
       squares", IEEE J. Sel. Topics Signal Process. 1(4), 2007 (the dual point).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> y = np.array([1.0, 0.1, 1.1, 2.1])
    >>> res = coordinate_descent(X, y, alpha=0.1, tol=1e-12)
    >>> np.round(res.x, 6).tolist(), bool(res.x[1] == 0.0)
    ([0.8, 0.0], True)
    """
    X, y = _check_data(X, y)
    _check_params(alpha, l1_ratio, tol)
    max_iter = check_positive_int(max_iter, "max_iter")
    n, p = X.shape
    if w0 is None:
        w = np.zeros(p)
    else:
        w = as_float_array(w0, "w0", min_ndim=1, max_ndim=1, copy=True)
        if w.shape != (p,):
            raise ValueError(f"w0 must have shape ({p},), got {w.shape}")
    if fit_intercept:
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean
    else:
        x_mean, y_mean = np.zeros(p), 0.0
        Xc, yc = X, y
    Xf = np.asfortranarray(Xc)  # contiguous columns for the per-coordinate products
    col_sq = np.einsum("ij,ij->j", Xf, Xf)
    a, b = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    r = yc - Xf @ w
    tol_abs = tol * (yc @ yc) / n
    gram = Xf.T @ Xf if _use_gram(n, p) else None
    nit, gap, ok = _sweeps(Xf, yc, w, r, col_sq, a, b, max_iter, tol_abs, gram)
    return _result(w, r, a, b, n, gap, nit, ok, tol_abs, y_mean - x_mean @ w, max_iter)


def _result(w, r, a, b, n, gap, nit, ok, tol_abs, intercept, max_iter):
    fun = (r @ r) / (2 * n) + a * np.abs(w).sum() + 0.5 * b * (w @ w)
    msg = (
        "Converged: the duality gap is below tolerance, or the coordinates stopped changing."
        if ok
        else f"Coordinate descent did not converge in {max_iter} sweeps (duality gap "
        f"{gap:.3g} > {tol_abs:.3g}); raise max_iter or tol."
    )
    if not ok:
        import warnings

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


def enet_path(
    X, y, *, l1_ratio=0.5, eps=1e-3, n_alphas=100, alphas=None, fit_intercept=False,
    tol=1e-4, max_iter=1000,
):  # fmt: skip
    r"""Elastic-net coefficients along a decreasing grid of ``alpha``, with warm starts.

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    l1_ratio : float, default 0.5
        Mixing :math:`\rho \in (0, 1]` (the automatic grid needs :math:`\rho > 0`).
    eps : float, default 1e-3
        The grid ends at ``eps * alpha_max``.
    n_alphas : int, default 100
        Number of grid points (log-spaced).
    alphas : array_like, optional
        An explicit grid (sorted into decreasing order).
    fit_intercept : bool, default False
        Center ``X`` and ``y`` first (scikit-learn's ``enet_path`` expects centered data and
        has no intercept).
    tol, max_iter : see :func:`coordinate_descent`.

    Returns
    -------
    alphas : ndarray, shape (n_alphas,)
        The grid, decreasing.
    coefs : ndarray, shape (p, n_alphas)
        The coefficients at each ``alpha`` (scikit-learn's layout).
    dual_gaps : ndarray, shape (n_alphas,)

    Raises
    ------
    ValueError
        Bad data or parameters, ``l1_ratio == 0`` without an explicit grid, non-positive
        ``eps`` or grid values.

    Notes
    -----
    :math:`w = 0` is optimal exactly when :math:`\|X^\top y\|_\infty / n \le \alpha\rho`, so the
    grid starts at :math:`\alpha_{\max} = \|X^\top y\|_\infty/(n\rho)` and descends
    log-uniformly to :math:`\epsilon\,\alpha_{\max}`. Each fit starts from the previous
    solution (warm start), which is close because the solution is piecewise smooth in
    :math:`\alpha` (piecewise linear for the lasso): a whole path costs a few times one fit.
    Along the path the KKT conditions :math:`x_j^\top r/n - \alpha(1-\rho)w_j =
    \alpha\rho\,\operatorname{sign}(w_j)` for :math:`w_j \ne 0` and
    :math:`|x_j^\top r/n| \le \alpha\rho` for :math:`w_j = 0` hold to the tolerance.

    References
    ----------
    .. [1] J. Friedman, T. Hastie and R. Tibshirani, J. Stat. Software 33(1), 2010.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.5], [0.0, -1.5]])
    >>> y = np.array([1.0, 0.5, -1.0, -1.0])
    >>> alphas, coefs, gaps = enet_path(X, y, l1_ratio=1.0, n_alphas=3, eps=0.01, tol=1e-10)
    >>> np.round(alphas, 4).tolist()
    [0.5, 0.05, 0.005]
    >>> np.round(coefs, 4).tolist()
    [[0.0, 1.0296, 1.1363], [0.0, 0.5185, 0.5852]]
    """
    X, y = _check_data(X, y)
    _check_params(1.0, l1_ratio, tol)
    max_iter = check_positive_int(max_iter, "max_iter")
    if fit_intercept:
        X, y = X - X.mean(axis=0), y - y.mean()
    n, p = X.shape
    if alphas is None:
        n_alphas = check_positive_int(n_alphas, "n_alphas")
        if not (np.isscalar(eps) and 0 < eps <= 1):
            raise ValueError(f"eps must lie in (0, 1], got {eps!r}")
        if l1_ratio == 0:
            raise ValueError("l1_ratio = 0 (ridge) has no alpha_max; pass an explicit alphas grid")
        alpha_max = np.abs(X.T @ y).max() / (n * l1_ratio)
        if alpha_max == 0.0:
            alphas = np.zeros(n_alphas)
        else:
            alphas = np.logspace(np.log10(alpha_max), np.log10(alpha_max * eps), n_alphas)
    else:
        alphas = as_float_array(alphas, "alphas", min_ndim=1, max_ndim=1, copy=True)
        if alphas.size == 0 or (alphas < 0).any():
            raise ValueError("alphas must be a non-empty array of non-negative values")
        alphas = np.sort(alphas)[::-1]
    Xf = np.asfortranarray(X)
    col_sq = np.einsum("ij,ij->j", Xf, Xf)
    tol_abs = tol * (y @ y) / n
    w = np.zeros(p)
    r = y.copy()
    gram = Xf.T @ Xf if _use_gram(n, p) else None
    coefs = np.empty((p, alphas.size))
    gaps = np.empty(alphas.size)
    for k, alpha in enumerate(alphas):  # warm start: w and r carry over
        a, b = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
        nit, gap, ok = _sweeps(Xf, y, w, r, col_sq, a, b, max_iter, tol_abs, gram)
        _result(w, r, a, b, n, gap, nit, ok, tol_abs, 0.0, max_iter)  # warns if not converged
        coefs[:, k] = w
        gaps[k] = gap
    return alphas, coefs, gaps


def lasso_path(
    X, y, *, eps=1e-3, n_alphas=100, alphas=None, fit_intercept=False, tol=1e-4, max_iter=1000
):
    r"""Lasso coefficients along a decreasing grid of ``alpha``: :func:`enet_path` with
    ``l1_ratio=1``.

    Parameters
    ----------
    X, y, eps, n_alphas, alphas, fit_intercept, tol, max_iter : see :func:`enet_path`.

    Returns
    -------
    alphas : ndarray, shape (n_alphas,)
    coefs : ndarray, shape (p, n_alphas)
    dual_gaps : ndarray, shape (n_alphas,)

    Raises
    ------
    ValueError
        As :func:`enet_path`.

    Notes
    -----
    The lasso solution is piecewise linear in :math:`\alpha`; variables enter (and may leave)
    the active set at the knots. At :math:`\alpha_{\max} = \|X^\top y\|_\infty / n` every
    coefficient is exactly zero.

    References
    ----------
    .. [1] R. Tibshirani, "Regression shrinkage and selection via the lasso", J. R. Stat. Soc.
       B 58(1), 1996.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.5], [0.0, -1.5]])
    >>> y = np.array([1.0, 0.5, -1.0, -1.0])
    >>> alphas, coefs, _ = lasso_path(X, y, n_alphas=2, eps=0.1)
    >>> coefs[:, 0].tolist()
    [0.0, 0.0]
    """
    return enet_path(
        X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas,
        fit_intercept=fit_intercept, tol=tol, max_iter=max_iter,
    )  # fmt: skip
