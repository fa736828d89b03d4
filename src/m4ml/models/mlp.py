r"""Multilayer perceptrons with scikit-learn's names and semantics, trained through
:mod:`m4ml.autodiff`: :class:`MLPClassifier` and :class:`MLPRegressor`.

Beyond scikit-learn: ``validation_loss_curve_`` (the objective on the early-stopping split after
every epoch, beside ``loss_curve_``) and ``callbacks`` — callables ``cb(estimator)`` run after
every epoch of the sgd/adam solvers; returning ``True`` stops training (a custom stopping rule).

Warm start: with ``warm_start=True``, ``coefs_`` and ``intercepts_`` assigned before ``fit`` are
the initial weights; the solver state (velocities, Adam moments) starts fresh at every ``fit``,
as in scikit-learn, and only ``partial_fit`` continues it.
"""

from collections.abc import Callable, Sequence
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin

from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    classification_targets,
    validate_X,
    validate_X_y,
)
from m4ml.models._mlp_base import BaseMLP
from m4ml.nn.activations import log_softmax, sigmoid

__all__ = ["MLPClassifier", "MLPRegressor"]

_DOC_PARAMS = r"""
    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default (100,)
        Units of each hidden layer.
    activation : {"relu", "tanh", "logistic", "identity"}, default "relu"
        Hidden activation :math:`f`.
    solver : {"adam", "sgd", "lbfgs"}, default "adam"
    alpha : float, default 1e-4
        L2 strength; the objective adds :math:`\frac{\alpha}{2n}\sum_l\lVert W_l\rVert_F^2`.
    batch_size : int or "auto", default "auto"
        :math:`\min(200, n)` for "auto"; sgd/adam only.
    learning_rate : {"constant", "invscaling", "adaptive"}, default "constant"
        sgd's schedule.
    learning_rate_init : float, default 1e-3
    power_t : float, default 0.5
        Exponent of the invscaling schedule :math:`\eta_0/(t+1)^{p}`.
    max_iter : int, default 200
        Epochs (sgd/adam) or iterations (lbfgs).
    shuffle : bool, default True
    random_state : None, int or RandomState
    tol : float, default 1e-4
    verbose : bool, default False
    warm_start : bool, default False
    momentum : float, default 0.9
    nesterovs_momentum : bool, default True
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the data and stop when its score stalls.
    validation_fraction : float, default 0.1
    beta_1, beta_2, epsilon : float
        Adam's constants.
    n_iter_no_change : int, default 10
    max_fun : int, default 15000
        Kept for scikit-learn compatibility (lbfgs stops on ``max_iter``).
    callbacks : callable or list of callables, optional
        ``cb(estimator)`` after every epoch; return ``True`` to stop.

    Raises
    ------
    ValueError
        Bad hyper-parameters (named in the message), bad input, or a warm start whose
        ``coefs_``/``intercepts_`` do not fit the network.
"""


def _stochastic_only(est):
    if est.solver not in ("sgd", "adam"):
        raise AttributeError(
            f"partial_fit is only available for stochastic solvers, not {est.solver!r}"
        )


class _MLPParams:
    def __init__(
        self,
        hidden_layer_sizes: int | Sequence[int] = (100,),
        activation: Literal["relu", "tanh", "logistic", "identity"] = "relu",
        *,
        solver: Literal["adam", "sgd", "lbfgs"] = "adam",
        alpha: float = 0.0001,
        batch_size: int | Literal["auto"] = "auto",
        learning_rate: Literal["constant", "invscaling", "adaptive"] = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: Seed = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
        callbacks: Callable[[Any], bool | None]
        | Sequence[Callable[[Any], bool | None]]
        | None = None,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.callbacks = callbacks


class MLPClassifier(ClassifierMixin, _MLPParams, BaseMLP):
    __doc__ = (
        r"""Multilayer perceptron classifier (softmax output; one logistic unit for two classes).

    """
        + _DOC_PARAMS
        + r"""
    Attributes
    ----------
    classes_, coefs_, intercepts_, loss_, loss_curve_, best_loss_, validation_scores_,
    best_validation_score_, validation_loss_curve_, n_iter_, t_, n_layers_, n_outputs_,
    out_activation_, n_features_in_

    Notes
    -----
    The softmax output :math:`p = \mathrm{softmax}(z)` with the cross-entropy
    :math:`-\sum_k y_k\log p_k`, computed as a log-softmax so that large logits never
    overflow. See :mod:`m4ml.models._mlp_base` for the objective and its gradient.

    Examples
    --------
    >>> from m4ml.models import MLPClassifier
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 10)
    >>> y = np.array([0, 1, 1, 0] * 10)
    >>> clf = MLPClassifier((16,), activation="tanh", solver="lbfgs", random_state=0)
    >>> clf.fit(X, y).predict([[0.0, 1.0], [1.0, 1.0]])
    array([1, 0])
    """
    )

    def _encode(self, y):
        idx = np.searchsorted(self.classes_, y)
        if np.any(idx >= self.classes_.size) or np.any(
            self.classes_[np.minimum(idx, self.classes_.size - 1)] != y
        ):
            raise ValueError("y contains labels that were not seen in the first call (classes)")
        if self.classes_.size == 2:
            self._out_activation = "logistic"
            return (idx == 1).astype(np.float64)[:, None]
        self._out_activation = "softmax"
        return np.eye(self.classes_.size)[idx]

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the network to ``X`` (n, d) and class labels ``y`` (n,); returns ``self``."""
        X, y = validate_X_y(self, X, y)
        self.classes_, _ = classification_targets(y)
        sw = check_sample_weight(sample_weight, X.shape[0])
        return self._fit(X, self._encode(y), sw, incremental=False)

    @property
    def partial_fit(self) -> Callable[..., Self]:
        """One epoch of sgd/adam on ``(X, y, classes=None, sample_weight=None)``; ``classes`` is
        required on the first call (absent for ``solver="lbfgs"``)."""
        _stochastic_only(self)
        return self._partial_fit

    def _partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Self:
        first = not hasattr(self, "classes_")
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit")
            X, y = validate_X_y(self, X, y)
            self.classes_, _ = classification_targets(np.asarray(classes))
        else:
            X = validate_X(self, X, reset=False)
            y = np.asarray(y)
            if classes is not None and not np.array_equal(np.unique(classes), self.classes_):
                raise ValueError(
                    f"classes {classes} differ from those of the first call {self.classes_}"
                )
        sw = check_sample_weight(sample_weight, X.shape[0])
        return self._fit(X, self._encode(y), sw, incremental=True)

    def _stratify_labels(self, Y):
        return Y[:, 0] if Y.shape[1] == 1 else np.argmax(Y, axis=1)

    def _val_score(self, X, Y, sw):
        pred = self._stratify_labels(self._proba(X))
        if Y.shape[1] == 1:
            pred = (self._proba(X)[:, 0] > 0.5).astype(int)
        truth = self._stratify_labels(Y)
        return float(np.sum(sw * (pred == truth)) / np.sum(sw))

    def _proba(self, X):
        z = self._decision(X)
        return sigmoid(z) if self.classes_.size == 2 else np.exp(log_softmax(z, axis=1))

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Class probabilities, shape ``(n, n_classes)``, rows summing to one."""
        check_is_fitted(self, "coefs_")
        X = validate_X(self, X, reset=False)
        p = self._proba(X)
        if self.classes_.size == 2:
            return np.concatenate([1.0 - p, p], axis=1)
        return p

    def predict_log_proba(self, X: ArrayLike) -> FloatArray:
        """Logarithm of :meth:`predict_proba` (computed stably from the logits)."""
        check_is_fitted(self, "coefs_")
        X = validate_X(self, X, reset=False)
        z = self._decision(X)
        if self.classes_.size == 2:
            return np.concatenate([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)], axis=1)
        return log_softmax(z, axis=1)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most probable class of each row."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class MLPRegressor(RegressorMixin, _MLPParams, BaseMLP):
    __doc__ = (
        r"""Multilayer perceptron regressor (identity output, half squared error).

    """
        + _DOC_PARAMS
        + r"""
    Attributes
    ----------
    coefs_, intercepts_, loss_, loss_curve_, best_loss_, validation_scores_,
    validation_loss_curve_, n_iter_, t_, n_layers_, n_outputs_, out_activation_,
    n_features_in_

    Notes
    -----
    :math:`\ell = \tfrac12\,\mathrm{mean}_k (y_k - z_k)^2`; the early-stopping score is
    :math:`R^2` on the validation split.

    Examples
    --------
    >>> from m4ml.models import MLPRegressor
    >>> X = np.linspace(-1, 1, 50)[:, None]
    >>> reg = MLPRegressor((20,), activation="tanh", solver="lbfgs", random_state=0)
    >>> bool(reg.fit(X, 2 * X.ravel() + 1).score(X, 2 * X.ravel() + 1) > 0.999)
    True
    """
    )

    _out_activation = "identity"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _targets(self, y):
        y = np.asarray(y, dtype=np.float64)
        self._y_1d = y.ndim == 1
        return y[:, None] if y.ndim == 1 else y

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the network to ``X`` (n, d) and targets ``y`` (n,) or (n, k); returns ``self``."""
        X, y = validate_X_y(self, X, y, y_numeric=True, multi_output=True)
        sw = check_sample_weight(sample_weight, X.shape[0])
        return self._fit(X, self._targets(y), sw, incremental=False)

    @property
    def partial_fit(self) -> Callable[..., Self]:
        """One epoch of sgd/adam on ``(X, y, sample_weight=None)``, continuing the solver's
        state (absent for ``solver="lbfgs"``)."""
        _stochastic_only(self)
        return self._partial_fit

    def _partial_fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> Self:
        if hasattr(self, "coefs_"):
            X = validate_X(self, X, reset=False)
            y = np.asarray(y, dtype=np.float64)
            if not np.isfinite(y).all():
                raise ValueError("y contains NaN or infinity")
        else:
            X, y = validate_X_y(self, X, y, y_numeric=True, multi_output=True)
        sw = check_sample_weight(sample_weight, X.shape[0])
        return self._fit(X, self._targets(y), sw, incremental=True)

    def _val_score(self, X, Y, sw):
        pred = self._decision(X)
        w = sw[:, None]
        mean = np.sum(w * Y, axis=0) / np.sum(sw)
        ss_res = np.sum(w * (Y - pred) ** 2, axis=0)
        ss_tot = np.sum(w * (Y - mean) ** 2, axis=0)
        ok = ss_tot > 0
        r2 = np.where(ok, 1.0 - ss_res / np.where(ok, ss_tot, 1.0), np.where(ss_res == 0, 1.0, 0.0))
        return float(np.mean(r2))

    def predict(self, X: ArrayLike) -> FloatArray:
        """Network outputs, shape ``(n,)`` for a 1-D target, else ``(n, k)``."""
        check_is_fitted(self, "coefs_")
        X = validate_X(self, X, reset=False)
        z = self._decision(X)
        return z.ravel() if getattr(self, "_y_1d", z.shape[1] == 1) and z.shape[1] == 1 else z
