r"""The multilayer perceptron shared by :class:`MLPClassifier` and :class:`MLPRegressor`.

The network is :math:`a_0 = X`, :math:`a_{l} = f(a_{l-1}W_l + b_l)` for the hidden layers and
:math:`z = a_{L-1}W_L + b_L` at the output, read through the output activation (softmax,
logistic or identity). The objective is scikit-learn's, on a batch of :math:`n` samples with
weights :math:`s_i` (all ones by default):

.. math:: J = \frac{\sum_i s_i\,\ell(y_i, z_i)}{\sum_i s_i}
          + \frac{\alpha}{2\sum_i s_i}\sum_l \lVert W_l\rVert_F^2

with :math:`\ell` the cross-entropy (softmax / per-output logistic) or half the squared error
averaged over outputs. Gradients of :math:`J` come from :func:`m4ml.autodiff.value_and_grad`
(backpropagation is reverse-mode differentiation of this function — no hand-written backward
pass); the solvers are scikit-learn's (:mod:`m4ml.models._mlp_optimizers`) or m4ml's L-BFGS.
"""

import itertools
import math
import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_random_state

import m4ml.numpy as mnp
from m4ml.autodiff import value_and_grad
from m4ml.models._base import warn_not_converged
from m4ml.models._mlp_optimizers import MLPSGD, MLPAdam
from m4ml.nn.activations import identity, log_softmax, relu, sigmoid, tanh

_HIDDEN = {"identity": identity, "logistic": sigmoid, "tanh": tanh, "relu": relu}


def _forward(params, X, activation):
    """Output-layer pre-activations ``z`` for parameters ``coefs + intercepts``."""
    n_layers = len(params) // 2
    f = _HIDDEN[activation]
    a = X
    for i in range(n_layers):
        a = a @ params[i] + params[n_layers + i]
        if i < n_layers - 1:
            a = f(a)
    return a


def _objective(params, X, Y, sw, activation, out, alpha):
    z = _forward(params, X, activation)
    sw_sum = float(np.sum(sw))
    if out == "softmax":
        per = -mnp.sum(Y * log_softmax(z, axis=1), axis=1)
    elif out == "logistic":  # -[y log s(z) + (1-y) log(1-s(z))] = log(1+e^z) - y z
        per = mnp.sum(mnp.logaddexp(0.0, z) - Y * z, axis=1)
    else:
        r = Y - z
        per = 0.5 * mnp.mean(r * r, axis=1)
    loss = mnp.sum(sw * per) / sw_sum
    n_layers = len(params) // 2
    if alpha:
        penalty = sum(mnp.sum(W * W) for W in params[:n_layers])
        loss = loss + (0.5 * alpha / sw_sum) * penalty
    return loss


_value_and_grad = value_and_grad(_objective)


def _check_params(est):
    """Validate the hyper-parameters with messages that name them."""
    sizes = est.hidden_layer_sizes
    if isinstance(sizes, numbers.Integral):
        sizes = [sizes]
    try:
        sizes = [int(s) for s in sizes]
    except (TypeError, ValueError):
        raise ValueError(
            f"hidden_layer_sizes must be ints, got {est.hidden_layer_sizes!r}"
        ) from None
    if any(s < 1 for s in sizes):
        raise ValueError(f"hidden_layer_sizes must be positive, got {sizes}")
    choices = {
        "activation": ("identity", "logistic", "tanh", "relu"),
        "solver": ("sgd", "adam", "lbfgs"),
        "learning_rate": ("constant", "invscaling", "adaptive"),
    }
    for name, allowed in choices.items():
        if getattr(est, name) not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, got {getattr(est, name)!r}")
    for name, lo, hi in (
        ("alpha", 0.0, np.inf),
        ("learning_rate_init", 0.0, np.inf),
        ("momentum", 0.0, 1.0),
        ("validation_fraction", 0.0, 1.0),
        ("beta_1", 0.0, 1.0),
        ("beta_2", 0.0, 1.0),
        ("epsilon", 0.0, np.inf),
        ("tol", 0.0, np.inf),
        ("power_t", 0.0, np.inf),
    ):
        v = getattr(est, name)
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not lo <= v <= hi:
            raise ValueError(f"{name} must be a real number in [{lo}, {hi}], got {v!r}")
    if est.learning_rate_init <= 0 or est.epsilon <= 0:
        raise ValueError("learning_rate_init and epsilon must be positive")
    for name in ("max_iter", "n_iter_no_change", "max_fun"):
        v = getattr(est, name)
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    b = est.batch_size
    if not (
        b == "auto" or (isinstance(b, numbers.Integral) and not isinstance(b, bool) and b >= 1)
    ):
        raise ValueError(f"batch_size must be 'auto' or a positive integer, got {b!r}")
    if est.callbacks is not None and not all(callable(c) for c in _as_list(est.callbacks)):
        raise TypeError("callbacks must be a callable or a list of callables")
    return sizes


def _as_list(callbacks):
    if callbacks is None:
        return []
    return list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]


class BaseMLP(BaseEstimator):
    """Training machinery shared by the classifier and the regressor (not public)."""

    _out_activation = None  # set per fit by the subclasses

    def _init_weights(self, layer_units, rng):
        # scikit-learn's Glorot-uniform draw (factor 2 for logistic units), same call order
        factor = 2.0 if self.activation == "logistic" else 6.0
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in itertools.pairwise(layer_units):
            bound = np.sqrt(factor / (fan_in + fan_out))
            self.coefs_.append(rng.uniform(-bound, bound, (fan_in, fan_out)))
            self.intercepts_.append(rng.uniform(-bound, bound, fan_out))

    def _weights_ok(self, layer_units):
        coefs, ints = getattr(self, "coefs_", None), getattr(self, "intercepts_", None)
        if coefs is None or ints is None:
            return False
        want = list(itertools.pairwise(layer_units))
        if len(coefs) != len(want) or len(ints) != len(want):
            raise ValueError(
                f"warm start: coefs_/intercepts_ have {len(coefs)}/{len(ints)} layers, the "
                f"network has {len(want)}"
            )
        for i, ((a, b), W, c) in enumerate(zip(want, coefs, ints)):
            if np.shape(W) != (a, b) or np.shape(c) != (b,):
                raise ValueError(
                    f"warm start: layer {i} needs coefs_ of shape {(a, b)} and intercepts_ of "
                    f"shape {(b,)}, got {np.shape(W)} and {np.shape(c)}"
                )
        self.coefs_ = [np.array(W, dtype=np.float64) for W in coefs]
        self.intercepts_ = [np.array(c, dtype=np.float64) for c in ints]
        return True

    def _fit(self, X, Y, sw, *, incremental):
        sizes = _check_params(self)
        if not incremental or not hasattr(self, "_random_state"):
            self._random_state = check_random_state(self.random_state)
        layer_units = [X.shape[1], *sizes, Y.shape[1]]
        keep = (self.warm_start or incremental) and self._weights_ok(layer_units)
        if not keep:
            self._init_weights(layer_units, self._random_state)
            self.loss_curve_, self.validation_loss_curve_ = [], []
            self.best_loss_ = np.inf
            self.validation_scores_ = [] if self.early_stopping else None
            self.best_validation_score_ = -np.inf if self.early_stopping else None
            self._no_improvement_count = 0
            self.t_ = 0
        else:
            for name, value in (
                ("loss_curve_", []),
                ("validation_loss_curve_", []),
                ("best_loss_", np.inf),
                ("_no_improvement_count", 0),
                ("t_", 0),
            ):
                if not hasattr(self, name):
                    setattr(self, name, value)
            if not hasattr(self, "validation_scores_"):
                self.validation_scores_ = [] if self.early_stopping else None
                self.best_validation_score_ = -np.inf if self.early_stopping else None
        self.n_layers_ = len(layer_units)
        self.n_outputs_ = Y.shape[1]
        self.out_activation_ = self._out_activation
        if self.solver == "lbfgs":
            self._fit_lbfgs(X, Y, sw)
        else:
            self._fit_stochastic(X, Y, sw, incremental)
        return self

    def _loss_grad(self, X, Y, sw):
        return _value_and_grad(
            self.coefs_ + self.intercepts_,
            X,
            Y,
            sw,
            self.activation,
            self._out_activation,
            self.alpha,
        )

    def _fit_lbfgs(self, X, Y, sw):
        from m4ml.optim import minimize

        shapes = [p.shape for p in self.coefs_ + self.intercepts_]
        bounds = np.cumsum([0] + [math.prod(s) for s in shapes])

        def unpack(theta):
            return [theta[lo:hi].reshape(s) for lo, hi, s in zip(bounds[:-1], bounds[1:], shapes)]

        def fun(theta):
            value, grads = _value_and_grad(
                unpack(theta), X, Y, sw, self.activation, self._out_activation, self.alpha
            )
            return float(value), np.concatenate([g.ravel() for g in grads])

        theta0 = np.concatenate([p.ravel() for p in self.coefs_ + self.intercepts_])
        res = minimize(
            fun,
            theta0,
            method="lbfgs",
            jac=True,
            max_iter=self.max_iter,
            options={"gtol": self.tol},
        )
        params = unpack(res.x)
        n = len(params) // 2
        self.coefs_, self.intercepts_ = params[:n], params[n:]
        self.n_iter_ = int(res.nit)
        self.loss_ = float(res.fun)
        self.loss_curve_.append(self.loss_)
        self.best_loss_ = min(self.best_loss_, self.loss_)
        if not res.success and self.n_iter_ >= self.max_iter:
            warn_not_converged(type(self).__name__, self.n_iter_, "lbfgs")

    def _fit_stochastic(self, X, Y, sw, incremental):
        params = self.coefs_ + self.intercepts_
        if not incremental or not hasattr(self, "_optimizer"):
            if self.solver == "sgd":
                self._optimizer = MLPSGD(
                    params,
                    self.learning_rate_init,
                    self.learning_rate,
                    self.momentum,
                    self.nesterovs_momentum,
                    self.power_t,
                )
            else:
                self._optimizer = MLPAdam(
                    params, self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon
                )
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        X_val = None
        if self.early_stopping:
            X, X_val, Y, Y_val, sw, sw_val = self._validation_split(X, Y, sw)
        n = X.shape[0]
        batch = min(200, n) if self.batch_size == "auto" else int(np.clip(self.batch_size, 1, n))
        idx = np.arange(n)
        callbacks = _as_list(self.callbacks)
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            if self.shuffle:
                idx = idx.copy()
                self._random_state.shuffle(idx)
            total = 0.0
            for lo in range(0, n, batch):
                if self.shuffle:
                    b = idx[lo : lo + batch]
                    Xb, Yb, swb = X[b], Y[b], sw[b]
                else:
                    Xb, Yb, swb = X[lo : lo + batch], Y[lo : lo + batch], sw[lo : lo + batch]
                loss, grads = _value_and_grad(
                    params, Xb, Yb, swb, self.activation, self._out_activation, self.alpha
                )
                total += float(loss) * Xb.shape[0]
                self._optimizer.update_params(params, grads)
            self.n_iter_ += 1
            self.loss_ = total / n
            self.t_ += n
            self.loss_curve_.append(self.loss_)
            if X_val is not None:
                self.validation_loss_curve_.append(
                    float(
                        _objective(
                            params,
                            X_val,
                            Y_val,
                            sw_val,
                            self.activation,
                            self._out_activation,
                            self.alpha,
                        )
                    )
                )
            self._update_no_improvement(
                X_val, Y_val if X_val is not None else None, sw_val if X_val is not None else None
            )
            self._optimizer.iteration_ends(self.t_)
            stop = any(cb(self) is True for cb in callbacks)
            if self._no_improvement_count > self.n_iter_no_change:
                if self._optimizer.trigger_stopping():
                    break
                self._no_improvement_count = 0
            if stop or incremental:
                break
            if self.n_iter_ == self.max_iter:
                warn_not_converged(type(self).__name__, self.n_iter_, f"the {self.solver} solver")
        if self.early_stopping and getattr(self, "_best_coefs", None) is not None:
            self.coefs_, self.intercepts_ = self._best_coefs, self._best_intercepts
        else:
            n_layers = len(params) // 2
            self.coefs_, self.intercepts_ = params[:n_layers], params[n_layers:]

    def _update_no_improvement(self, X_val, Y_val, sw_val):
        if X_val is not None:
            score = self._val_score(X_val, Y_val, sw_val)
            self.validation_scores_.append(score)
            if score < self.best_validation_score_ + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_coefs = [c.copy() for c in self.coefs_]
                self._best_intercepts = [c.copy() for c in self.intercepts_]
            self.best_loss_ = None
        else:
            if self.loss_curve_[-1] > self.best_loss_ - self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            self.best_loss_ = min(self.best_loss_, self.loss_curve_[-1])

    def _validation_split(self, X, Y, sw):
        from m4ml.pipeline.split import train_test_split

        stratify = self._stratify_labels(Y)
        X_tr, X_val, Y_tr, Y_val, sw_tr, sw_val = train_test_split(
            X,
            Y,
            sw,
            test_size=self.validation_fraction,
            random_state=int(self._random_state.randint(2**31 - 1)),
            stratify=stratify,
        )
        if X_val.shape[0] < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' or the size "
                "of your dataset."
            )
        return X_tr, X_val, Y_tr, Y_val, sw_tr, sw_val

    def _stratify_labels(self, Y):
        return None

    def _decision(self, X):
        return _forward(self.coefs_ + self.intercepts_, X, self.activation)
