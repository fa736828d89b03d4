r"""Ridge regression (:class:`Ridge`, :class:`RidgeCV`) and its Bayesian reading
(:class:`BayesianRidge`)."""

import numbers
from collections.abc import Iterable
from typing import ClassVar, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions

from m4ml._core.hints import ArrayLike, FloatArray, Splitter
from m4ml.models._base import check_is_fitted, validate_X, validate_X_y
from m4ml.models._linear_base import LinearPredictMixin, center_and_scale

__all__ = ["BayesianRidge", "Ridge", "RidgeCV", "ridge_svd"]


def ridge_svd(U, s, Vh, Uty, alphas):
    r"""Ridge coefficients for several penalties from one thin SVD :math:`X = U S V^\top`.

    :math:`w(\alpha) = V \operatorname{diag}\big(s_k / (s_k^2 + \alpha)\big) U^\top y`; with
    ``Uty`` of shape ``(k, t)`` and ``alphas`` of shape ``(t,)`` (one per target) returns
    ``(p, t)``; a scalar ``alpha`` applies to every target.
    """
    filt = s[:, None] / (s[:, None] ** 2 + np.asarray(alphas, dtype=float)[None, :])
    return Vh.T @ (filt * Uty)


def _ridge_cholesky(X, Y, alphas):
    """Ridge by Cholesky: primal :math:`X^TX + \\alpha I` or dual :math:`XX^T + \\alpha I`."""
    from m4ml.linalg.cholesky import cho_solve, cholesky

    n, p = X.shape
    out = np.empty((p, Y.shape[1]))
    primal = n >= p
    G = X.T @ X if primal else X @ X.T
    rhs = X.T @ Y if primal else Y
    for a in np.unique(alphas):
        cols = np.flatnonzero(alphas == a)
        L = cholesky(G + a * np.eye(G.shape[0]))
        sol = cho_solve(L, rhs[:, cols])
        out[:, cols] = sol if primal else X.T @ sol
    return out


class Ridge(LinearPredictMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Least squares with an L2 penalty: :math:`\min_w \|y - Xw - b\|^2 + \alpha\|w\|^2`.

    Parameters
    ----------
    alpha : float or array-like (n_targets,), default=1.0
        Penalty strength :math:`\alpha \ge 0`; an array gives each target its own (all of them
        solved from one factorization).
    fit_intercept : bool, default=True
        Unpenalized intercept, by centring at the (weighted) means.
    solver : {"auto", "svd", "cholesky"}, default="auto"
        "svd": thin SVD of the centred design (stable, and every alpha from one
        factorization); "cholesky": the regularized normal equations (primal when
        :math:`n \ge p`, dual :math:`XX^\top + \alpha I` otherwise), faster for one alpha;
        "auto": Cholesky when every ``alpha > 0``, else SVD.

    Attributes
    ----------
    coef_ : ndarray (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray (n_targets,)
    n_features_in_, feature_names_in_

    Notes
    -----
    **Objective.** The MAP estimate under :math:`y \sim N(Xw + b, \sigma^2 I)`,
    :math:`w \sim N(0, (\sigma^2/\alpha) I)`, and the minimizer of
    :math:`\sum_i s_i(y_i - b - x_i^\top w)^2 + \alpha\|w\|^2` (scikit-learn's scaling: the
    penalty is not divided by :math:`n`). Setting the gradient to zero gives
    :math:`(X^\top X + \alpha I)w = X^\top y` on centred data: a positive definite system for
    any :math:`\alpha > 0`, even when :math:`X` is rank-deficient.

    **Algorithm.** With :math:`X = USV^\top`, :math:`w = V\operatorname{diag}(s_k/(s_k^2+\alpha))
    U^\top y`: the penalty shrinks each principal direction by :math:`s_k^2/(s_k^2 + \alpha)`.
    Cost :math:`O(np\min(n,p))` for the SVD, then :math:`O(p\min(n,p))` per alpha. Cholesky:
    :math:`O(np^2 + p^3/3)`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 1.0]])
    >>> reg = Ridge(alpha=1.0).fit(X, [0.0, 1.0, 2.0])
    >>> np.round(reg.coef_, 6).tolist(), round(reg.intercept_, 6)
    ([0.583333, 0.25], 0.25)
    """

    _parameter_constraints: ClassVar[dict] = {
        "alpha": [Interval(numbers.Real, 0, None, closed="left"), np.ndarray, list],
        "fit_intercept": ["boolean"],
        "solver": [StrOptions({"auto", "svd", "cholesky"})],
    }

    def __init__(
        self,
        alpha: float | ArrayLike = 1.0,
        *,
        fit_intercept: bool = True,
        solver: Literal["auto", "svd", "cholesky"] = "auto",
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the ridge coefficients; return self."""
        self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True, multi_output=True)
        Xc, yc, x_off, y_off, _ = center_and_scale(X, y, sample_weight, self.fit_intercept)
        Y = yc[:, None] if y.ndim == 1 else yc
        alphas = np.asarray(self.alpha, dtype=float).ravel()
        if alphas.size == 1:
            alphas = np.full(Y.shape[1], alphas[0])
        elif alphas.size != Y.shape[1]:
            raise ValueError(
                f"alpha has {alphas.size} entries but y has {Y.shape[1]} targets; pass one "
                "alpha, or one per target"
            )
        if not np.isfinite(alphas).all() or (alphas < 0).any():
            raise ValueError("alpha must be finite and non-negative")
        solver = self.solver
        if solver == "auto":
            solver = "cholesky" if (alphas > 0).all() else "svd"
        if solver == "cholesky" and (alphas > 0).all():
            W = _ridge_cholesky(Xc, Y, alphas)
        else:
            from m4ml.linalg.svd import svd

            U, s, Vh = svd(Xc, full_matrices=False)
            keep = s > max(Xc.shape) * np.finfo(float).eps * (s[0] if s.size else 0.0)
            U, s, Vh = U[:, keep], s[keep], Vh[keep]
            W = ridge_svd(U, s, Vh, U.T @ Y, alphas)
        self.coef_ = W[:, 0] if y.ndim == 1 else W.T
        self._set_intercept(x_off, y_off)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class RidgeCV(LinearPredictMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Ridge with :math:`\alpha` chosen by cross-validation: exact leave-one-out from one SVD
    (``cv=None``) or K-fold.

    Parameters
    ----------
    alphas : array-like, default=(0.1, 1.0, 10.0)
        Candidate penalties (each > 0).
    fit_intercept : bool, default=True
    cv : None, int or splitter, default=None
        None: efficient leave-one-out; an int: :class:`m4ml.pipeline.KFold` with that many
        folds; or any object with ``split(X, y)``.
    store_cv_results : bool, default=False
        Keep the squared leave-one-out errors, shape ``(n_samples[, n_targets], n_alphas)``
        (only with ``cv=None``).

    Attributes
    ----------
    alpha_ : float
    best_score_ : float
        Of the chosen alpha: the negative mean squared LOO error (``cv=None``) or the mean
        :math:`R^2` over the test folds (as scikit-learn's default scoring).
    coef_, intercept_, cv_results_

    Notes
    -----
    For a linear smoother :math:`\hat y = Hy` the leave-one-out residual needs no refit:
    :math:`e_{(i)} = (y_i - \hat y_i)/(1 - H_{ii})`. For ridge on centred data,
    :math:`H = \tfrac1n\mathbf 1\mathbf 1^\top + U\operatorname{diag}(s_k^2/(s_k^2+\alpha))
    U^\top` (the first term is the intercept's), so every alpha costs :math:`O(n\min(n,p))`
    after one SVD (weights: :math:`\sqrt{s}` replaces :math:`\mathbf 1`). The alpha with the
    smallest mean squared LOO error (or the largest mean fold :math:`R^2`) wins, the first on
    ties, and the model is refitted on all the data.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3)); y = X @ [1.0, 2.0, 0.0] + 0.1 * rng.normal(size=40)
    >>> RidgeCV(alphas=[1e-3, 1.0, 1e3]).fit(X, y).alpha_
    0.001
    """

    _parameter_constraints: ClassVar[dict] = {
        "alphas": ["array-like", Interval(numbers.Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "cv": [None, Interval(numbers.Integral, 2, None, closed="left"), "cv_object"],
        "store_cv_results": ["boolean"],
    }

    def __init__(
        self,
        alphas: ArrayLike = (0.1, 1.0, 10.0),
        *,
        fit_intercept: bool = True,
        cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
        store_cv_results: bool = False,
    ):
        self.alphas = alphas
        self.fit_intercept = fit_intercept
        self.cv = cv
        self.store_cv_results = store_cv_results

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Choose alpha, then fit Ridge with it on all the data; return self."""
        self._validate_params()
        alphas = np.atleast_1d(np.asarray(self.alphas, dtype=float))
        if alphas.ndim != 1 or alphas.size == 0 or not (alphas > 0).all():
            raise ValueError("alphas must be a non-empty 1-D sequence of positive numbers")
        if not np.isfinite(alphas).all():
            raise ValueError("alphas must be finite")
        X, y = validate_X_y(self, X, y, y_numeric=True, multi_output=True)
        if self.cv is None:
            scores = self._loo_scores(X, y, sample_weight, alphas)
        else:
            if self.store_cv_results:
                raise ValueError("store_cv_results needs cv=None (leave-one-out)")
            scores = self._kfold_scores(X, y, sample_weight, alphas)
        best = int(np.argmax(scores))
        self.alpha_, self.best_score_ = float(alphas[best]), float(scores[best])
        model = Ridge(alpha=self.alpha_, fit_intercept=self.fit_intercept, solver="svd")
        model.fit(X, y, sample_weight=sample_weight)
        self.coef_, self.intercept_ = model.coef_, model.intercept_
        return self

    def _loo_scores(self, X, y, sample_weight, alphas):
        from m4ml.linalg.svd import svd

        Xc, yc, _, _, sw = center_and_scale(X, y, sample_weight, self.fit_intercept)
        n = X.shape[0]
        root = np.ones(n) if sw is None else np.sqrt(sw)
        U, s, _ = svd(Xc, full_matrices=False)
        Y = yc[:, None] if y.ndim == 1 else yc
        UtY = U.T @ Y
        scores, errors = np.empty(alphas.size), []
        for k, a in enumerate(alphas):
            shrink = s**2 / (s**2 + a)
            resid = Y - U @ (shrink[:, None] * UtY)
            h = np.einsum("ij,j,ij->i", U, shrink, U)
            if self.fit_intercept:  # the intercept's column sqrt(s), orthogonal to the others
                h += root**2 / (root @ root)
            loo = resid / (1.0 - h)[:, None]
            sq = loo**2
            errors.append(sq[:, 0] if y.ndim == 1 else sq)
            scores[k] = -sq.mean()
        if self.store_cv_results:
            self.cv_results_ = np.stack(errors, axis=-1)
        return scores

    def _kfold_scores(self, X, y, sample_weight, alphas):
        from m4ml.models._base import check_sample_weight, cv_splits

        folds = cv_splits(self.cv, X, y)
        sw = None if sample_weight is None else check_sample_weight(sample_weight, X.shape[0])
        total = np.zeros(alphas.size)
        for train, test in folds:
            for k, a in enumerate(alphas):
                m = Ridge(alpha=a, fit_intercept=self.fit_intercept, solver="svd")
                m.fit(X[train], y[train], None if sw is None else sw[train])
                total[k] += m.score(X[test], y[test], None if sw is None else sw[test])
        return total / len(folds)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class BayesianRidge(LinearPredictMixin, RegressorMixin, BaseEstimator):
    r"""Bayesian ridge regression: the weight and noise precisions learned by evidence
    maximization, with a predictive standard deviation.

    Parameters
    ----------
    max_iter : int, default=300
    tol : float, default=1e-3
        Stop when the coefficients move less than ``tol`` (L1 norm) in one update.
    alpha_1, alpha_2, lambda_1, lambda_2 : float, default=1e-6
        Gamma hyper-priors (shape, rate) on the noise precision :math:`\alpha` and the weight
        precision :math:`\lambda`.
    alpha_init, lambda_init : float, optional
    compute_score : bool, default=False
        Keep the log evidence of every iteration in ``scores_``.
    fit_intercept : bool, default=True

    Attributes
    ----------
    coef_, intercept_ : the posterior mean
    alpha_, lambda_ : float
    sigma_ : ndarray (n_features, n_features), the posterior covariance of the weights
    scores_, n_iter_, X_offset_

    Notes
    -----
    **Likelihood and prior.** :math:`y \sim N(Xw + b, \alpha^{-1}I)`,
    :math:`w \sim N(0, \lambda^{-1}I)`. The posterior is :math:`N(m, \Sigma)`,
    :math:`\Sigma = (\alpha X^\top X + \lambda I)^{-1}`, :math:`m = \alpha\Sigma X^\top y`, and
    :math:`\alpha, \lambda` maximize the evidence :math:`p(y\mid\alpha,\lambda) = \int
    p(y\mid w,\alpha)p(w\mid\lambda)\,dw` by MacKay's fixed point
    (:func:`m4ml.stats.bayes_linear.bayesian_linear_regression`: one SVD,
    :math:`O(np\min(n,p))`, then :math:`O(p\min(n,p))` per iteration). The predictive
    distribution at :math:`x` has variance :math:`\alpha^{-1} + (x - \bar x)^\top\Sigma
    (x - \bar x)`: noise plus parameter uncertainty.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    >>> reg = BayesianRidge().fit(X, [0.1, 0.9, 2.1, 2.9, 4.0])
    >>> mean, std = reg.predict([[5.0]], return_std=True)
    >>> round(float(mean[0]), 2), bool(std[0] > 0)
    (4.94, True)
    """

    _parameter_constraints: ClassVar[dict] = {
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "alpha_1": [Interval(numbers.Real, 0, None, closed="left")],
        "alpha_2": [Interval(numbers.Real, 0, None, closed="left")],
        "lambda_1": [Interval(numbers.Real, 0, None, closed="left")],
        "lambda_2": [Interval(numbers.Real, 0, None, closed="left")],
        "alpha_init": [None, Interval(numbers.Real, 0, None, closed="neither")],
        "lambda_init": [None, Interval(numbers.Real, 0, None, closed="neither")],
        "compute_score": ["boolean"],
        "fit_intercept": ["boolean"],
    }

    def __init__(
        self,
        *,
        max_iter: int = 300,
        tol: float = 1e-3,
        alpha_1: float = 1e-6,
        alpha_2: float = 1e-6,
        lambda_1: float = 1e-6,
        lambda_2: float = 1e-6,
        alpha_init: float | None = None,
        lambda_init: float | None = None,
        compute_score: bool = False,
        fit_intercept: bool = True,
    ):
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_1 = alpha_1
        self.alpha_2 = alpha_2
        self.lambda_1 = lambda_1
        self.lambda_2 = lambda_2
        self.alpha_init = alpha_init
        self.lambda_init = lambda_init
        self.compute_score = compute_score
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Maximize the evidence; store the posterior; return self."""
        from m4ml.models._base import check_sample_weight
        from m4ml.stats.bayes_linear import bayesian_linear_regression

        self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True)
        sw = None if sample_weight is None else check_sample_weight(sample_weight, X.shape[0])
        names = ("max_iter", "tol", "alpha_1", "alpha_2", "lambda_1", "lambda_2", "alpha_init",
                 "lambda_init", "compute_score", "fit_intercept")  # fmt: skip
        fit = bayesian_linear_regression(
            X, y, sample_weight=sw, **{k: getattr(self, k) for k in names}
        )
        self.coef_, self.intercept_ = fit.coef, fit.intercept
        self.alpha_, self.lambda_, self.sigma_ = fit.alpha, fit.lambda_, fit.sigma
        self.X_offset_, self.n_iter_ = fit.x_offset, fit.n_iter
        if self.compute_score:
            self.scores_ = fit.scores
        return self

    def predict(
        self, X: ArrayLike, return_std: bool = False
    ) -> FloatArray | tuple[FloatArray, FloatArray]:
        """Posterior predictive mean (and standard deviation with ``return_std=True``)."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        mean = X @ self.coef_ + self.intercept_
        if not return_std:
            return mean
        Xc = X - self.X_offset_
        var = np.einsum("ij,jk,ik->i", Xc, self.sigma_, Xc) + 1.0 / self.alpha_
        return mean, np.sqrt(var)
