r"""L1 and elastic-net penalized least squares by coordinate descent, and their CV variants.

Objective (scikit-learn's scaling), with :math:`\rho` = ``l1_ratio``:

.. math:: \min_{w,b}\ \frac{1}{2n}\sum_i s_i (y_i - b - x_i^\top w)^2 + \alpha\rho\|w\|_1
          + \frac{\alpha(1-\rho)}{2}\|w\|_2^2,

sample weights normalized to :math:`\sum_i s_i = n`. The solver is
:func:`m4ml.optim.coordinate_descent` (soft-thresholding, duality-gap stopping rule).
"""

import numbers
from collections.abc import Iterable, Sequence
from typing import ClassVar, Self

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils._param_validation import Interval

from m4ml._core.hints import ArrayLike, FloatArray, Splitter
from m4ml.models._base import check_sample_weight, cv_splits, validate_X_y
from m4ml.models._linear_base import LinearPredictMixin, center_and_scale

__all__ = ["ElasticNet", "ElasticNetCV", "Lasso", "LassoCV"]


def _prepare(X, y, sample_weight, fit_intercept):
    """Weighted centring and √s row scaling, weights normalized to sum to n (scikit-learn)."""
    sw = None
    if sample_weight is not None:
        sw = check_sample_weight(sample_weight, X.shape[0])
        sw = sw * (X.shape[0] / sw.sum())
    return center_and_scale(X, y, sw, fit_intercept)


class ElasticNet(LinearPredictMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Least squares with a mixed L1 + L2 penalty (the lasso at ``l1_ratio=1``).

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty :math:`\alpha \ge 0` (0 is ordinary least squares, solved directly).
    l1_ratio : float, default=0.5
        :math:`\rho \in [0, 1]`: the L1 share of the penalty.
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of sweeps over the coordinates.
    tol : float, default=1e-4
        Stop when the duality gap is below ``tol * ||y||^2 / n``.
    warm_start : bool, default=False
        Start from the previous ``coef_`` (paths over alpha converge in a few sweeps each).

    Attributes
    ----------
    coef_ : ndarray (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray
    n_iter_ : int (or list per target)
    dual_gap_ : float (or ndarray per target)

    Notes
    -----
    **Objective**: see the module docstring. It is the MAP estimate under Gaussian noise and a
    prior :math:`p(w) \propto \exp(-n\alpha\rho\|w\|_1/\sigma^2 - \dots)`: the L1 part's
    Laplace prior puts a kink at zero, which is why exact zeros appear (the L2 part alone
    only shrinks). The intercept is unpenalized and removed by centring.

    **Algorithm**: cyclic coordinate descent (:func:`m4ml.optim.coordinate_descent`); each
    coordinate's subproblem is solved exactly by soft-thresholding,
    :math:`w_j \leftarrow S(x_j^\top r + \|x_j\|^2 w_j, n\alpha\rho)/(\|x_j\|^2 +
    n\alpha(1-\rho))`, :math:`O(n)` per coordinate, :math:`O(np)` per sweep; convergence is
    certified by the duality gap.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> reg = Lasso(alpha=0.1, tol=1e-10).fit(X, [1.0, 0.1, 1.1, 2.1])
    >>> np.round(reg.coef_, 6).tolist()
    [0.8, 0.0]
    """

    _parameter_constraints: ClassVar[dict] = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        l1_ratio: float = 0.5,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        warm_start: bool = False,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Minimize the penalized objective by coordinate descent; return self."""
        from m4ml.optim.coordinate_descent import coordinate_descent

        self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True, multi_output=True)
        Xc, yc, x_off, y_off, _ = _prepare(X, y, sample_weight, self.fit_intercept)
        Y = yc[:, None] if y.ndim == 1 else yc
        t, p = Y.shape[1], X.shape[1]
        W = np.zeros((t, p))
        if self.warm_start and hasattr(self, "coef_") and np.size(self.coef_) == t * p:
            W = np.array(self.coef_, dtype=float).reshape(t, p)
        n_iter, gaps = [], []
        for k in range(t):
            if self.alpha == 0:  # no penalty: least squares, exactly
                from m4ml.linalg.lstsq import lstsq

                W[k] = lstsq(Xc, Y[:, k])[0]
                n_iter.append(1)
                gaps.append(0.0)
                continue
            res = coordinate_descent(
                Xc, Y[:, k], alpha=self.alpha, l1_ratio=self.l1_ratio, fit_intercept=False,
                w0=W[k], tol=self.tol, max_iter=self.max_iter,
            )  # fmt: skip
            W[k] = res.x
            n_iter.append(res.nit)
            gaps.append(res.dual_gap)
        if y.ndim == 1:
            self.coef_, self.n_iter_, self.dual_gap_ = W[0], n_iter[0], gaps[0]
        else:
            self.coef_, self.n_iter_, self.dual_gap_ = W, n_iter, np.array(gaps)
        self._set_intercept(x_off, y_off)
        return self

    @property
    def sparse_coef_(self) -> FloatArray:
        """``coef_`` (dense; kept for scikit-learn's attribute name)."""
        return self.coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class Lasso(ElasticNet):
    r"""Least squares with an L1 penalty: :math:`\min \frac{1}{2n}\|y - Xw - b\|^2 +
    \alpha\|w\|_1` (:class:`ElasticNet` with ``l1_ratio=1``).

    Parameters
    ----------
    alpha, fit_intercept, max_iter, tol, warm_start : as :class:`ElasticNet`.

    Notes
    -----
    The L1 penalty selects variables: a coefficient is exactly zero whenever
    :math:`|x_j^\top r|/n \le \alpha` at the solution (the subgradient condition), so for
    :math:`\alpha \ge \|X_c^\top y_c\|_\infty/n` every coefficient vanishes. Coordinate
    descent, :math:`O(np)` per sweep.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> Lasso(alpha=10.0).fit(X, [1.0, 0.1, 1.1, 2.1]).coef_.tolist()
    [0.0, 0.0]
    """

    _parameter_constraints: ClassVar[dict] = {
        k: v for k, v in ElasticNet._parameter_constraints.items() if k != "l1_ratio"
    }

    def __init__(
        self,
        alpha: float = 1.0,
        *,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        warm_start: bool = False,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    @property
    def l1_ratio(self) -> float:
        """Always 1: the lasso."""
        return 1.0


class ElasticNetCV(LinearPredictMixin, RegressorMixin, BaseEstimator):
    r"""Elastic net with :math:`\alpha` (and :math:`\rho`) chosen by K-fold cross-validation
    along the regularization path.

    Parameters
    ----------
    l1_ratio : float or list of float, default=0.5
    eps : float, default=1e-3
        The path runs from :math:`\alpha_{\max}` down to ``eps * alpha_max``.
    alphas : int or array-like, default=100
        The number of log-spaced alphas, or the grid itself.
    fit_intercept : bool, default=True
    max_iter, tol : as :class:`ElasticNet`.
    cv : None, int or splitter, default=None
        None is 5 folds; an int is :class:`m4ml.pipeline.KFold` with that many folds.

    Attributes
    ----------
    alpha_, l1_ratio_ : the chosen penalty
    alphas_ : ndarray (n_alphas,) or (n_l1_ratio, n_alphas)
    mse_path_ : ndarray (n_alphas, n_folds) or (n_l1_ratio, n_alphas, n_folds)
    coef_, intercept_, n_iter_, dual_gap_ : of the final fit on all the data

    Notes
    -----
    :math:`\alpha_{\max} = \|X_c^\top y_c\|_\infty/(n\rho)` is the smallest penalty with all
    coefficients zero. For each fold the whole path is fitted on the training part
    (:func:`m4ml.optim.enet_path`, warm starts: a path costs a few single fits), the test
    part's mean squared error is recorded, and the :math:`(\alpha,\rho)` with the smallest
    mean error over folds is refitted on all the data.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 5)); y = 3 * X[:, 0] + 0.1 * rng.normal(size=60)
    >>> reg = LassoCV(cv=3).fit(X, y)
    >>> bool(reg.alpha_ < 0.1), np.round(reg.coef_[0], 1)
    (True, np.float64(3.0))
    """

    _parameter_constraints: ClassVar[dict] = {
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="right"), "array-like"],
        "eps": [Interval(numbers.Real, 0, None, closed="neither")],
        "alphas": [Interval(numbers.Integral, 1, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "cv": [None, Interval(numbers.Integral, 2, None, closed="left"), "cv_object"],
    }

    def __init__(
        self,
        *,
        l1_ratio: float | Sequence[float] = 0.5,
        eps: float = 1e-3,
        alphas: int | ArrayLike = 100,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
    ):
        self.l1_ratio = l1_ratio
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv

    def _grid(self, X, y, sw, rho):
        if not isinstance(self.alphas, numbers.Integral):
            grid = np.sort(np.asarray(self.alphas, dtype=float).ravel())[::-1]
            if grid.size == 0 or not np.isfinite(grid).all() or (grid < 0).any():
                raise ValueError("alphas must be a non-empty grid of non-negative numbers")
            return grid
        Xc, yc, *_ = _prepare(X, y, sw, self.fit_intercept)
        a_max = np.abs(Xc.T @ yc).max() / (X.shape[0] * rho)
        if a_max == 0:
            return np.zeros(self.alphas)
        return np.logspace(np.log10(a_max), np.log10(a_max * self.eps), self.alphas)

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Cross-validate the path, then refit at the best penalty; return self."""
        from m4ml.optim.coordinate_descent import enet_path

        self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True)
        sw = None if sample_weight is None else check_sample_weight(sample_weight, X.shape[0])
        ratios = np.atleast_1d(np.asarray(self._l1_ratios(), dtype=float))
        if ratios.ndim != 1 or not ((ratios > 0) & (ratios <= 1)).all():
            raise ValueError("l1_ratio must lie in (0, 1] (use RidgeCV for a pure L2 penalty)")
        folds = cv_splits(self.cv, X, y)
        grids = np.array([self._grid(X, y, sw, rho) for rho in ratios])
        mse = np.empty((ratios.size, grids.shape[1], len(folds)))
        for f, (train, test) in enumerate(folds):
            sw_tr = None if sw is None else sw[train]
            Xc, yc, x_off, y_off, _ = _prepare(X[train], y[train], sw_tr, self.fit_intercept)
            for r, rho in enumerate(ratios):
                _, coefs, _ = enet_path(
                    Xc, yc, l1_ratio=rho, alphas=grids[r], tol=self.tol, max_iter=self.max_iter
                )
                resid = X[test] @ coefs + (y_off - x_off @ coefs) - y[test][:, None]
                w_te = None if sw is None else sw[test]
                mse[r, :, f] = np.average(resid**2, axis=0, weights=w_te)
        mean = mse.mean(axis=2)
        r, a = np.unravel_index(int(np.argmin(mean)), mean.shape)
        self.l1_ratio_, self.alpha_ = float(ratios[r]), float(grids[r, a])
        single = np.ndim(self.l1_ratio) == 0
        self.alphas_ = grids[0] if single else grids
        self.mse_path_ = mse[0] if single else mse
        model = ElasticNet(alpha=self.alpha_, l1_ratio=self.l1_ratio_,
                           fit_intercept=self.fit_intercept, max_iter=self.max_iter,
                           tol=self.tol).fit(X, y, sample_weight=sw)  # fmt: skip
        self.coef_, self.intercept_ = model.coef_, model.intercept_
        self.n_iter_, self.dual_gap_ = model.n_iter_, model.dual_gap_
        return self

    def _l1_ratios(self):
        return self.l1_ratio


class LassoCV(ElasticNetCV):
    r"""Lasso with :math:`\alpha` chosen by K-fold cross-validation along the path
    (:class:`ElasticNetCV` with ``l1_ratio=1``).

    Parameters
    ----------
    eps, alphas, fit_intercept, max_iter, tol, cv : as :class:`ElasticNetCV`.

    Notes
    -----
    Each fold's path starts at :math:`\alpha_{\max} = \|X_c^\top y_c\|_\infty/n` (all zero)
    and adds variables as :math:`\alpha` decreases; the lasso path is piecewise linear in
    :math:`\alpha`.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(50, 4)); y = X[:, 1] + 0.01 * rng.normal(size=50)
    >>> int(np.argmax(np.abs(LassoCV(cv=3).fit(X, y).coef_)))
    1
    """

    _parameter_constraints: ClassVar[dict] = {
        k: v for k, v in ElasticNetCV._parameter_constraints.items() if k != "l1_ratio"
    }

    def __init__(
        self,
        *,
        eps: float = 1e-3,
        alphas: int | ArrayLike = 100,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-4,
        cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
    ):
        self.eps = eps
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.cv = cv

    def _l1_ratios(self):
        return 1.0

    @property
    def l1_ratio(self) -> float:
        """Always 1: the lasso."""
        return 1.0
