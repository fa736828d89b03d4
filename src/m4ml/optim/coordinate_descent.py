r"""Lasso and elastic net on least squares by cyclic coordinate descent, and their paths.

The objective is scikit-learn's

.. math:: P(w) = \frac{1}{2n}\|y - Xw\|_2^2 + \alpha\rho\|w\|_1
          + \frac{\alpha(1-\rho)}{2}\|w\|_2^2,

with :math:`\rho` = ``l1_ratio`` (:math:`\rho = 1` is the lasso).
"""

import numpy as np

from m4ml._core import as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.optim._cd_kernels import _check_data, _check_params, _result, _sweeps, _use_gram
from m4ml.optim._result import OptimizeResult

__all__ = ["coordinate_descent", "enet_path", "lasso_path"]


def coordinate_descent(
    X: ArrayLike,
    y: ArrayLike,
    alpha: float = 1.0,
    l1_ratio: float = 1.0,
    *,
    fit_intercept: bool = True,
    w0: ArrayLike | None = None,
    tol: float = 1e-4,
    max_iter: int = 1000,
) -> OptimizeResult:
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

    The gap is evaluated after every sweep (cost :math:`O(np)`, the price of a sweep; with the
    Gram matrix :math:`O(p^2)`, from :math:`X^\top y`, :math:`G` and :math:`w` alone).

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
    xty = Xf.T @ yc if gram is not None else None
    nit, gap, ok = _sweeps(Xf, yc, w, r, col_sq, a, b, max_iter, tol_abs, gram, xty)
    return _result(w, r, a, b, n, gap, nit, ok, tol_abs, y_mean - x_mean @ w, max_iter)


def enet_path(
    X: ArrayLike,
    y: ArrayLike,
    *,
    l1_ratio: float = 0.5,
    eps: float = 1e-3,
    n_alphas: int = 100,
    alphas: ArrayLike | None = None,
    fit_intercept: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
) -> tuple[FloatArray, FloatArray, FloatArray]:
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
    xty = Xf.T @ y if gram is not None else None
    coefs = np.empty((p, alphas.size))
    gaps = np.empty(alphas.size)
    for k, alpha in enumerate(alphas):  # warm start: w and r carry over
        a, b = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
        nit, gap, ok = _sweeps(Xf, y, w, r, col_sq, a, b, max_iter, tol_abs, gram, xty)
        _result(w, r, a, b, n, gap, nit, ok, tol_abs, 0.0, max_iter)  # warns if not converged
        coefs[:, k] = w
        gaps[k] = gap
    return alphas, coefs, gaps


def lasso_path(
    X: ArrayLike,
    y: ArrayLike,
    *,
    eps: float = 1e-3,
    n_alphas: int = 100,
    alphas: ArrayLike | None = None,
    fit_intercept: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
) -> tuple[FloatArray, FloatArray, FloatArray]:
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
