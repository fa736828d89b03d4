r"""Linear models trained by stochastic gradient descent: :class:`SGDClassifier`,
:class:`SGDRegressor` (one sample per step, ``partial_fit`` for streams).

Objective: the regularized empirical risk

.. math:: E(w, b) = \frac1n\sum_i \ell(w^\top x_i + b, y_i) + \alpha R(w),\qquad
          R = \tfrac12\|w\|^2,\ \|w\|_1,\ \text{or}\ \rho\|w\|_1 + \tfrac{1-\rho}{2}\|w\|^2.

One step on sample :math:`i` with learning rate :math:`\eta_t`:
:math:`w \leftarrow (1 - \eta_t\alpha(1-\rho))\,w - \eta_t\,s_i\,\ell'(p_i, y_i)\,x_i`,
:math:`b \leftarrow b - \eta_t s_i \ell'(p_i, y_i)`; the L1 part by the cumulative truncated
gradient (Tsuruoka, Tsujii & Ananiadou 2009), which keeps exact zeros. Schedules
(scikit-learn's names): ``"constant"`` :math:`\eta_0`; ``"invscaling"``
:math:`\eta_0/t^{\,\text{power\_t}}`; ``"optimal"`` :math:`1/(\alpha(t_0 + t))` (Bottou's
heuristic :math:`t_0`); ``"adaptive"`` :math:`\eta_0`, divided by 5 whenever the epoch loss
stops improving. Each epoch costs :math:`O(np)`.
"""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, Self

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils._param_validation import StrOptions

from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    class_weight_vector,
    classification_targets,
    validate_X,
    validate_X_y,
)
from m4ml.models._sgd_engine import _COMMON, _SGDBase
from m4ml.models._sgd_losses import CLASSIFICATION_LOSSES, REGRESSION_LOSSES

__all__ = ["SGDClassifier", "SGDRegressor"]


class SGDClassifier(ClassifierMixin, _SGDBase):
    r"""A linear classifier (SVM, logistic regression, ...) by stochastic gradient descent;
    one-vs-rest for more than two classes.

    Parameters
    ----------
    loss : {"hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron",
        "squared_error", "huber", "epsilon_insensitive"}, default="hinge"
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
    alpha : float, default=1e-4
    l1_ratio : float, default=0.15
    fit_intercept : bool, default=True
    max_iter : int, default=1000
        Maximum number of epochs.
    tol : float or None, default=1e-3
        Stop when the epoch's summed loss has not fallen below ``best - tol * n`` for
        ``n_iter_no_change`` epochs (None: run ``max_iter`` epochs).
    shuffle : bool, default=True
    epsilon : float, default=0.1
        For the huber and epsilon-insensitive losses.
    random_state : None, int or Generator
    learning_rate : {"optimal", "constant", "invscaling", "adaptive"}, default="optimal"
    eta0 : float, default=0.01
    power_t : float, default=0.5
    n_iter_no_change : int, default=5
    class_weight : dict, "balanced" or None
    warm_start : bool, default=False

    Attributes
    ----------
    classes_, coef_ (1 or n_classes, n_features), intercept_, n_iter_, t_

    Notes
    -----
    See the module docstring for the objective and the update. Hinge loss gives a linear SVM
    (:math:`\alpha = 1/(nC)`), log_loss logistic regression. ``predict_proba`` exists for
    log_loss (:math:`\sigma(p)`) and modified_huber (:math:`(\mathrm{clip}(p, -1, 1) + 1)/2`);
    one-vs-rest probabilities are normalized to sum to one.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> clf = SGDClassifier(random_state=0).fit(X, [0, 0, 1, 1])
    >>> clf.predict([[-3.0], [3.0]]).tolist()
    [0, 1]
    """

    _parameter_constraints: ClassVar[dict] = {
        **_COMMON,
        "loss": [StrOptions(set(CLASSIFICATION_LOSSES + REGRESSION_LOSSES[:3]))],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        loss: Literal[
            "hinge",
            "log_loss",
            "modified_huber",
            "squared_hinge",
            "perceptron",
            "squared_error",
            "huber",
            "epsilon_insensitive",
        ] = "hinge",
        *,
        penalty: Literal["l2", "l1", "elasticnet"] | None = "l2",
        alpha: float = 1e-4,
        l1_ratio: float = 0.15,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float | None = 1e-3,
        shuffle: bool = True,
        epsilon: float = 0.1,
        random_state: Seed = None,
        learning_rate: Literal["optimal", "constant", "invscaling", "adaptive"] = "optimal",
        eta0: float = 0.01,
        power_t: float = 0.5,
        n_iter_no_change: int = 5,
        class_weight: Mapping[Any, float] | Literal["balanced"] | None = None,
        warm_start: bool = False,
    ):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start

    def _targets(self, y_enc, sample_weight, n):
        k = self.classes_.size
        cw = class_weight_vector(self.class_weight, self.classes_, y_enc)
        sw = check_sample_weight(sample_weight, n) * cw[y_enc]
        if k == 2:
            return np.where(y_enc == 1, 1.0, -1.0)[:, None], [sw]
        return np.where(y_enc[:, None] == np.arange(k), 1.0, -1.0), [sw] * k

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Train from scratch (or from the last solution with ``warm_start``); return self."""
        self._validate_params()
        X, y = validate_X_y(self, X, y)
        self.classes_, y_enc = classification_targets(y)
        targets, sw = self._targets(y_enc, sample_weight, X.shape[0])
        self.__dict__.pop("_rng_state", None)
        k = targets.shape[1]
        reset = not (self.warm_start and getattr(self, "coef_", np.zeros(0)).shape[:1] == (k,))
        self._fit(X, targets, sw, reset)
        return self

    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Self:
        """One epoch over (X, y); ``classes`` (all labels) is required on the first call."""
        first = not hasattr(self, "classes_")
        if first:
            self._validate_params()
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit")
            self.classes_ = np.unique(np.asarray(classes))
            if self.classes_.size < 2:
                raise ValueError("classes must hold at least two labels")
        X = validate_X(self, X, reset=first)
        y = np.asarray(y)
        if y.shape[:1] != X.shape[:1]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries")
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(f"y holds labels {unknown.tolist()} not in classes_")
        y_enc = np.searchsorted(self.classes_, y)
        targets, sw = self._targets(y_enc, sample_weight, X.shape[0])
        self._check_schedule()
        self._run(X, targets, sw, 1, False, reset=first)
        self.n_iter_ = 1
        return self

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Scores :math:`w^\\top x + b`: (n,) for two classes, else (n, n_classes)."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        s = X @ self.coef_.T + self.intercept_
        return s[:, 0] if s.shape[1] == 1 else s

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the largest score."""
        s = self.decision_function(X)
        return self.classes_[(s > 0).astype(int) if s.ndim == 1 else np.argmax(s, axis=1)]

    def _check_proba(self):
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(f"probability estimates are not available for loss={self.loss!r}")

    @property
    def predict_proba(self) -> Callable[[ArrayLike], FloatArray]:
        """Probabilities (log_loss: logistic; modified_huber: clipped linear), rows sum to 1.

        Only for those two losses (``hasattr(clf, "predict_proba")`` is False otherwise).
        """
        self._check_proba()
        return self._predict_proba

    @property
    def predict_log_proba(self) -> Callable[[ArrayLike], FloatArray]:
        """Logarithm of :meth:`predict_proba` (log_loss and modified_huber only)."""
        self._check_proba()
        return self._predict_log_proba

    def _predict_proba(self, X: ArrayLike) -> FloatArray:
        s = self.decision_function(X)
        if self.loss == "log_loss":
            P = 0.5 * (1.0 + np.tanh(0.5 * s))
        else:
            P = (np.clip(s, -1.0, 1.0) + 1.0) / 2.0
        if P.ndim == 1:
            return np.column_stack([1.0 - P, P])
        total = P.sum(axis=1, keepdims=True)
        flat = total[:, 0] == 0
        P[flat] = 1.0 / P.shape[1]  # no class claims the point: uniform
        total[flat] = 1.0
        return P / total

    def _predict_log_proba(self, X: ArrayLike) -> FloatArray:
        with np.errstate(divide="ignore"):
            return np.log(self._predict_proba(X))


class SGDRegressor(RegressorMixin, _SGDBase):
    r"""A linear regressor by stochastic gradient descent (least squares, Huber, SVR losses).

    Parameters
    ----------
    loss : {"squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"},
        default="squared_error"
    penalty, alpha, l1_ratio, fit_intercept, max_iter, tol, shuffle, epsilon, random_state,
    eta0, power_t, n_iter_no_change, warm_start : as :class:`SGDClassifier`.
    learning_rate : default="invscaling"
    power_t : default=0.25

    Notes
    -----
    With squared_error and ``penalty="l2"`` the minimizer of the objective is ridge
    regression with penalty :math:`n\alpha`; SGD approaches it at the rate its schedule
    allows (:math:`O(1/t)` for a decreasing step).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = X @ [1.0, -2.0] + 0.5
    >>> reg = SGDRegressor(random_state=0, tol=1e-6).fit(X, y)
    >>> np.round(reg.coef_, 1).tolist(), round(float(reg.intercept_[0]), 1)
    ([1.0, -2.0], 0.5)
    """

    _parameter_constraints: ClassVar[dict] = {
        **_COMMON,
        "loss": [StrOptions(set(REGRESSION_LOSSES))],
    }

    def __init__(
        self,
        loss: Literal[
            "squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"
        ] = "squared_error",
        *,
        penalty: Literal["l2", "l1", "elasticnet"] | None = "l2",
        alpha: float = 1e-4,
        l1_ratio: float = 0.15,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float = 1e-3,
        shuffle: bool = True,
        epsilon: float = 0.1,
        random_state: Seed = None,
        learning_rate: Literal["optimal", "constant", "invscaling", "adaptive"] = "invscaling",
        eta0: float = 0.01,
        power_t: float = 0.25,
        n_iter_no_change: int = 5,
        warm_start: bool = False,
    ):
        self.loss = loss
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.epsilon = epsilon
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.n_iter_no_change = n_iter_no_change
        self.warm_start = warm_start

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Train by SGD epochs until the loss stops improving; return self."""
        self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True)
        sw = check_sample_weight(sample_weight, X.shape[0])
        self.__dict__.pop("_rng_state", None)
        reset = not (self.warm_start and hasattr(self, "coef_"))
        if not reset:
            self.coef_, self.intercept_ = self.coef_[None, :], np.atleast_1d(self.intercept_)
        self._fit(X, y[:, None], [sw], reset)
        self.coef_ = self.coef_[0]
        return self

    def partial_fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> Self:
        """One epoch of SGD over (X, y), continuing from the current weights."""
        first = not hasattr(self, "coef_")
        if first:
            self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True) if first else (
            validate_X(self, X, reset=False), np.asarray(y, dtype=float))  # fmt: skip
        sw = check_sample_weight(sample_weight, X.shape[0])
        self._check_schedule()
        if not first:
            self.coef_ = self.coef_[None, :]
        self._run(X, y[:, None], [sw], 1, False, reset=first)
        self.coef_ = self.coef_[0]
        self.n_iter_ = 1
        return self

    def predict(self, X: ArrayLike) -> FloatArray:
        """:math:`Xw + b`."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        return X @ self.coef_ + self.intercept_[0]
