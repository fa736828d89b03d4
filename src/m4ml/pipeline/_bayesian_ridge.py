"""Bayesian ridge regression by evidence maximization: the default regressor of IterativeImputer.

Private to the pipeline (the models package owns the public linear models); it follows the
estimator protocol so that IterativeImputer can clone it.
"""

import numbers
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

_EPS = np.finfo(np.float64).eps


class BayesianRidgeRegressor(RegressorMixin, BaseEstimator):
    """Linear regression with a Gaussian prior whose precisions are learned from the data.

    Parameters
    ----------
    max_iter : int, default=300
        Maximum number of evidence-maximization updates.
    tol : float, default=1e-3
        Stop when :math:`\\sum_j |w_j^{(t)} - w_j^{(t-1)}|` falls below ``tol``.
    alpha_1, alpha_2, lambda_1, lambda_2 : float, default=1e-6
        Shape and rate of the Gamma hyper-priors on the noise precision :math:`\\alpha` and
        the weight precision :math:`\\lambda`.

    Attributes
    ----------
    coef_ : ndarray (n_features,)
        Posterior mean of the weights.
    intercept_ : float
    alpha_, lambda_ : float
        Estimated noise and weight precisions.
    n_iter_ : int

    Notes
    -----
    Model :math:`y = X w + b + \\varepsilon`, :math:`\\varepsilon \\sim N(0, \\alpha^{-1} I)`,
    :math:`w \\sim N(0, \\lambda^{-1} I)`, with :math:`X, y` centred (which fits :math:`b`).
    From the thin SVD :math:`X = U S V^\\top` (eigenvalues :math:`s_k^2` of :math:`X^\\top X`)
    the posterior mean is the ridge solution with penalty :math:`\\lambda/\\alpha`,

    .. math:: w = V \\operatorname{diag}\\Big(\\frac{1}{s_k^2 + \\lambda/\\alpha}\\Big)
        V^\\top X^\\top y,

    and MacKay's fixed-point updates maximize the evidence :math:`p(y \\mid \\alpha,\\lambda)`:

    .. math:: \\gamma = \\sum_k \\frac{\\alpha s_k^2}{\\lambda + \\alpha s_k^2},\\quad
        \\lambda \\leftarrow \\frac{\\gamma + 2\\lambda_1}{\\lVert w \\rVert^2 + 2\\lambda_2},\\quad
        \\alpha \\leftarrow \\frac{n - \\gamma + 2\\alpha_1}{\\lVert y - X w\\rVert^2 + 2\\alpha_2},

    :math:`\\gamma` being the effective number of parameters. Starting values
    :math:`\\alpha = 1/(\\operatorname{Var} y + \\epsilon)`, :math:`\\lambda = 1`, the
    conventions of scikit-learn's ``BayesianRidge``, whose results this reproduces.

    References
    ----------
    D. J. C. MacKay, "Bayesian interpolation", Neural Computation 4(3), 1992.
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, section 3.5.
    M. E. Tipping, "Sparse Bayesian learning and the relevance vector machine", JMLR 1, 2001.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> reg = BayesianRidgeRegressor().fit(X, 2.0 * X.ravel() + 1.0)
    >>> round(float(reg.coef_[0]), 6), round(float(reg.intercept_), 6)
    (2.0, 1.0)
    """

    _parameter_constraints: ClassVar[dict] = {
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "alpha_1": [Interval(numbers.Real, 0, None, closed="left")],
        "alpha_2": [Interval(numbers.Real, 0, None, closed="left")],
        "lambda_1": [Interval(numbers.Real, 0, None, closed="left")],
        "lambda_2": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        max_iter=300,
        tol=1e-3,
        alpha_1=1e-6,
        alpha_2=1e-6,
        lambda_1=1e-6,
        lambda_2=1e-6,
    ):
        self.max_iter = max_iter
        self.tol = tol
        self.alpha_1 = alpha_1
        self.alpha_2 = alpha_2
        self.lambda_1 = lambda_1
        self.lambda_2 = lambda_2

    def fit(self, X, y):
        """Fit the weights and the two precisions; return self."""
        from m4ml.linalg.svd import svd

        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        n_samples = X.shape[0]
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean
        U, S, Vh = svd(Xc, full_matrices=False)
        eig = S**2
        Xty = Xc.T @ yc
        Uty = U.T @ yc

        def posterior_mean(ratio):
            shrink = 1.0 / (eig + ratio)
            if n_samples > X.shape[1]:
                w = Vh.T @ (shrink * (Vh @ Xty))
            else:
                w = Xc.T @ (U @ (shrink * Uty))
            resid = yc - Xc @ w
            return w, resid @ resid

        alpha, lam = 1.0 / (np.var(yc) + _EPS), 1.0
        w_old = None
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            self.n_iter_ += 1
            w, rss = posterior_mean(lam / alpha)
            gamma = np.sum(alpha * eig / (lam + alpha * eig))
            lam = (gamma + 2 * self.lambda_1) / (w @ w + 2 * self.lambda_2)
            alpha = (n_samples - gamma + 2 * self.alpha_1) / (rss + 2 * self.alpha_2)
            if w_old is not None and np.abs(w_old - w).sum() < self.tol:
                break
            w_old = w
        self.alpha_, self.lambda_ = alpha, lam
        self.coef_, _ = posterior_mean(lam / alpha)
        self.intercept_ = y_mean - x_mean @ self.coef_
        return self

    def predict(self, X):
        """Posterior-mean prediction :math:`X w + b`."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_
