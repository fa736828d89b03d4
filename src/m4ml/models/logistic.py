r"""Logistic regression: binary and multinomial (softmax), with L2, L1 or elastic-net penalties."""

import numbers
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval, StrOptions

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    class_weight_vector,
    classification_targets,
    log_softmax_rows,
    validate_X,
    validate_X_y,
    warn_not_converged,
)
from m4ml.models._logistic_loss import LogisticLoss

__all__ = ["LogisticRegression"]


class LogisticRegression(ClassifierMixin, BaseEstimator):
    r"""Logistic regression by maximum (penalized) likelihood.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
    C : float, default=1.0
        Inverse penalty strength (larger C: weaker penalty).
    l1_ratio : float, optional
        The L1 share :math:`\rho \in [0, 1]` of the elastic-net penalty (needed for
        ``penalty="elasticnet"``).
    fit_intercept : bool, default=True
        An unpenalized intercept per class.
    class_weight : dict, "balanced" or None
        Multiplies each sample's weight by its class's weight.
    solver : {"lbfgs", "newton-cg", "saga"}, default="lbfgs"
        "lbfgs": limited-memory BFGS (:func:`m4ml.optim.minimize`); "newton-cg": trust-region
        Newton with conjugate-gradient steps on Hessian-vector products; "saga": the
        deterministic proximal-gradient method (FISTA, :func:`m4ml.optim.proximal_gradient`)
        in the role of scikit-learn's stochastic SAGA — the one solver for L1 and elastic-net
        penalties. lbfgs and newton-cg handle ``"l2"`` and None.
    tol : float, default=1e-4
        Stop when the gradient's largest entry (the gradient mapping's, for "saga") of the
        mean objective below falls under ``tol``.
    max_iter : int, default=100
    warm_start : bool, default=False
        Start from the previous solution.

    Attributes
    ----------
    classes_ : ndarray (n_classes,)
    coef_ : ndarray (1, n_features) for two classes, (n_classes, n_features) otherwise
    intercept_ : ndarray (1,) or (n_classes,)
    n_iter_ : ndarray (1,)
    n_features_in_, feature_names_in_

    Notes
    -----
    **Model.** Two classes: :math:`P(y = 1\mid x) = \sigma(x^\top w + b)`,
    :math:`\sigma(z) = 1/(1+e^{-z})`. K ≥ 3 classes: :math:`P(y = k\mid x) =
    \mathrm{softmax}(Wx + b)_k` with one weight row per class (the penalty makes the
    over-parameterized softmax identifiable).

    **Objective** (scikit-learn's): the negative log-likelihood plus a penalty,

    .. math:: \min_{W,b}\ C\sum_i s_i\,\ell_i(W, b) + r(W),\qquad
              r = \tfrac12\|W\|^2\ (\ell_2),\ \|W\|_1\ (\ell_1),\
              \rho\|W\|_1 + \tfrac{1-\rho}{2}\|W\|^2\ (\text{elastic net}),

    :math:`\ell_i = -\log P(y_i\mid x_i)`. The solvers minimize it divided by :math:`CS`
    (:math:`S = \sum_i s_i`), so that ``tol`` does not depend on the data size. The objective is
    convex; with an L2 term it is strongly convex and the minimizer unique.

    **Algorithms and cost.** One loss-and-gradient evaluation is two passes over the data,
    :math:`O(npK)` (closed-form gradient, :mod:`m4ml.models._logistic_loss`). L-BFGS adds
    :math:`O(mpK)` per step; Newton-CG one Hessian-vector product (:math:`O(npK)`) per CG
    step; FISTA one gradient per step plus the soft-thresholding prox, which produces exact
    zeros (L1).

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, section 4.3.
    J. Nocedal and S. J. Wright, *Numerical Optimization*, Springer 2006, chapters 7 and 9.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> clf.predict([[0.5], [2.5]]).tolist()
    [0, 1]
    >>> clf.predict_proba([[1.5]]).round(3).tolist()
    [[0.5, 0.5]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "penalty": [StrOptions({"l1", "l2", "elasticnet"}), None],
        "C": [Interval(numbers.Real, 0, None, closed="neither")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both"), None],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "solver": [StrOptions({"lbfgs", "newton-cg", "saga"})],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        penalty: Literal["l2", "l1", "elasticnet"] | None = "l2",
        *,
        C: float = 1.0,
        l1_ratio: float | None = None,
        fit_intercept: bool = True,
        class_weight: Mapping[Any, float] | Literal["balanced"] | None = None,
        solver: Literal["lbfgs", "newton-cg", "saga"] = "lbfgs",
        tol: float = 1e-4,
        max_iter: int = 100,
        warm_start: bool = False,
    ):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start

    def _l1_share(self):
        if self.penalty == "l1":
            return 1.0
        if self.penalty == "elasticnet":
            if self.l1_ratio is None:
                raise ValueError("l1_ratio must be given (a number in [0, 1]) for elasticnet")
            return float(self.l1_ratio)
        return 0.0

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Maximize the penalized likelihood; return self."""
        self._validate_params()
        rho = self._l1_share()
        if rho > 0 and self.solver != "saga":
            raise ValueError(
                f"solver {self.solver!r} supports only 'l2' or None penalties; use "
                f"solver='saga' for penalty={self.penalty!r}"
            )
        X, y = validate_X_y(self, X, y)
        self.classes_, y_enc = classification_targets(y)
        sw = check_sample_weight(sample_weight, X.shape[0])
        sw = sw * class_weight_vector(self.class_weight, self.classes_, y_enc)[y_enc]
        if not sw.any():
            raise ValueError("every sample has zero weight (sample_weight times class_weight)")
        n_classes = self.classes_.size
        unpenalized = self.penalty is None
        S = sw.sum()
        strength = 0.0 if unpenalized else 1.0 / (self.C * S)
        loss = LogisticLoss(X, y_enc, n_classes, sw, self.fit_intercept,
                            l2=strength * (1.0 - rho))  # fmt: skip
        theta0 = self._start(loss)
        if self.max_iter == 0:
            theta, nit, ok = theta0, 0, False
        elif rho > 0:
            theta, nit, ok = self._fit_proximal(loss, theta0, strength, rho)
        else:
            theta, nit, ok = self._fit_smooth(loss, theta0)
        if not ok:
            warn_not_converged(
                "LogisticRegression", nit, f"the {self.solver} solver",
                "increase max_iter, or scale the data",
            )  # fmt: skip
        W, b = loss.unpack(theta)
        self.coef_ = W.copy()
        self.intercept_ = b.copy() if self.fit_intercept else np.zeros(loss.K)
        self.n_iter_ = np.array([nit])
        return self

    def _start(self, loss):
        theta = np.zeros(loss.size)
        if self.warm_start and hasattr(self, "coef_"):
            coef = np.asarray(self.coef_)
            if coef.shape == (loss.K, loss.p) and np.size(self.intercept_) == loss.K:
                theta[: coef.size] = coef.ravel()
                if self.fit_intercept:
                    theta[coef.size :] = self.intercept_
        return theta

    def _fit_smooth(self, loss, theta0):
        from m4ml.optim.minimize import minimize

        if self.solver == "lbfgs":
            res = minimize(
                loss.loss_grad, theta0, jac=True, method="lbfgs", max_iter=self.max_iter,
                options={"gtol": self.tol, "ftol": 64 * np.finfo(float).eps},
            )  # fmt: skip
        else:
            cache = {}

            def hessp(theta, v):
                key = theta.tobytes()
                if cache.get("key") != key:
                    cache["key"], cache["hv"] = key, loss.hessp_at(theta)
                return cache["hv"](v)

            res = minimize(
                loss.loss_grad, theta0, jac=True, hessp=hessp, method="trust-ncg",
                max_iter=self.max_iter, options={"gtol": self.tol},
            )  # fmt: skip
        # status 2: no step decreases F beyond rounding any more -- converged to machine
        # precision (scipy's L-BFGS-B, behind scikit-learn, reports that case as converged too)
        ok = res.success or res.status == 2
        return res.x, int(res.nit), bool(ok)

    def _fit_proximal(self, loss, theta0, strength, rho):
        import warnings

        from m4ml._core import ConvergenceWarning
        from m4ml.optim.proximal import proximal_gradient

        mask = np.zeros(loss.size, dtype=bool)
        mask[: loss.K * loss.p] = True  # the intercepts carry no penalty
        # the L2 share of the penalty is in the smooth part (loss.l2); the prox does the L1
        with warnings.catch_warnings():  # reported once, below, with the estimator's name
            warnings.simplefilter("ignore", ConvergenceWarning)
            res = proximal_gradient(
                loss.loss, theta0, jac=lambda t: loss.loss_grad(t)[1], alpha=strength * rho,
                l1_ratio=1.0, tol=self.tol, max_iter=max(self.max_iter, 1), penalized=mask,
            )  # fmt: skip
        return res.x, int(res.nit), bool(res.success)

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Scores :math:`x^\\top w + b`: shape (n,) for two classes, else (n, n_classes)."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_log_proba(self, X: ArrayLike) -> FloatArray:
        """Log class probabilities, shape (n, n_classes), by a stable log-softmax."""
        z = self.decision_function(X)
        if z.ndim == 1:
            z = np.column_stack([np.zeros_like(z), z])  # log sigma(z) = -log(1 + e^{-z})
        return log_softmax_rows(z)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Class probabilities, shape (n, n_classes); rows sum to one."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most probable class."""
        z = self.decision_function(X)
        idx = (z > 0).astype(int) if z.ndim == 1 else np.argmax(z, axis=1)
        return self.classes_[idx]
