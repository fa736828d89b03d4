r"""Linear classifiers trained by ``partial_fit`` over the chunks, in order.

Stochastic gradient descent is sequential: the step on row :math:`i+1` starts from the weights
the step on row :math:`i` left. So a pass over a chunked matrix is a chain of tasks, one per
block, each running the in-memory :meth:`m4ml.models.SGDClassifier.partial_fit` on its block
and handing the estimator to the next (on a cluster the model travels to the data, a few
kilobytes, rather than the data to the model). The iterates are exactly those of the same
``partial_fit`` calls in memory on the same blocks in the same order, whatever the scheduler.
Between epochs one parallel pass sums the training loss, for the stopping rule.
"""

import warnings
from collections.abc import Callable
from typing import Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.errors import ConvergenceWarning
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.distributed._blocks import apply_rows, is_dask, map_reduce
from m4ml.distributed._fit_input import (
    check_X_y,
    class_labels,
    fit_rows,
    sample_weight_rows,
    to_dask_or_numpy,
)
from m4ml.models import SGDClassifier as _SGDClassifier

__all__ = ["SGDClassifier", "epoch_loss", "partial_fit_chunks"]


def _loss_values(name, z, epsilon):
    """Vectorized per-entry losses of the margins ``z = y p`` (targets ``y`` in {-1, +1})."""
    if name == "hinge":
        return np.maximum(0.0, 1.0 - z)
    if name == "perceptron":
        return np.maximum(0.0, -z)
    if name == "squared_hinge":
        return np.maximum(0.0, 1.0 - z) ** 2
    if name == "log_loss":
        return np.logaddexp(0.0, -z)
    if name == "modified_huber":
        return np.where(z >= -1.0, np.maximum(0.0, 1.0 - z) ** 2, -4.0 * z)
    r = np.abs(1.0 - z)  # regression losses on +-1 targets: |p - y| = |1 - yp|
    if name == "squared_error":
        return 0.5 * r * r
    if name == "huber":
        return np.where(r <= epsilon, 0.5 * r * r, epsilon * (r - 0.5 * epsilon))
    return np.maximum(0.0, r - epsilon) ** (2 if name == "squared_epsilon_insensitive" else 1)


def epoch_loss(est, X, y):
    r"""Summed loss :math:`\sum_i\sum_j \ell(w_j^\top x_i + b_j, y_{ij})` of ``est`` on the chunks.

    One parallel pass; :math:`y_{ij} = \pm 1` is the one-vs-rest target of class :math:`j`
    (one column for two classes). This is the stopping rule's measure.
    """
    coef, intercept, classes = est.coef_, est.intercept_, est.classes_

    def chunk(xb, yb):
        if xb.shape[0] == 0:
            return 0.0
        scores = np.asarray(xb, dtype=np.float64) @ coef.T + intercept
        enc = np.searchsorted(classes, np.asarray(yb)[:, 0])
        cols = np.arange(scores.shape[1]) if scores.shape[1] > 1 else np.array([1])
        targets = np.where(enc[:, None] == cols, 1.0, -1.0)
        return float(_loss_values(est.loss, targets * scores, est.epsilon).sum())

    return map_reduce(chunk, lambda a, b: a + b, X, y)


def _partial_fit(est, xb, yb, wb, classes):
    """``est.partial_fit`` on one block (empty blocks are skipped); returns ``est``."""
    if xb.shape[0]:
        sw = None if wb is None else np.asarray(wb)[:, 0]
        est.partial_fit(xb, np.asarray(yb)[:, 0], classes=classes, sample_weight=sw)
    return est


def _blocks_of(a, rows):
    import dask.array as da

    return list(da.asarray(a).rechunk({0: rows, 1: -1}).to_delayed()[:, 0])


def partial_fit_chunks(est, X, y, w, classes):
    """One pass of ``est.partial_fit`` over the row blocks of ``X``, in order; returns ``est``.

    Dask input: a chain of tasks (block :math:`b` waits for block :math:`b-1`'s estimator).
    """
    if not is_dask(X):
        return _partial_fit(est, X, y, w, classes)
    import dask

    rows = X.chunks[0]
    xs, ys = _blocks_of(X, rows), _blocks_of(y, rows)
    ws = [None] * len(rows) if w is None else _blocks_of(w, rows)
    state = est
    for xb, yb, wb, r in zip(xs, ys, ws, rows):
        if r:
            state = dask.delayed(_partial_fit, pure=False)(state, xb, yb, wb, classes)
    return state if state is est else state.compute()


class _ChunkedSGD(ClassifierMixin, BaseEstimator):
    """The shared engine: epochs of chunked ``partial_fit`` and the stopping rule."""

    def _targets(self, X, y):
        y = to_dask_or_numpy(y)
        y2 = y[:, None] if is_dask(y) else np.asarray(y).reshape(-1, 1)
        if y2.shape[0] != X.shape[0]:
            raise ValueError(
                f"X and y must have the same number of rows, got {X.shape[0]} and {y2.shape[0]}"
            )
        return y2

    def _class_weight(self, classes, y2):
        if not isinstance(self.class_weight, str):
            return self.class_weight
        if self.class_weight != "balanced":
            raise ValueError(
                f"class_weight must be None, 'balanced' or a dict, got {self.class_weight!r}"
            )

        def chunk(yb):
            return (np.asarray(yb)[:, 0][:, None] == classes).sum(axis=0)

        counts = map_reduce(chunk, lambda a, b: a + b, y2).astype(np.float64)
        n = counts.sum()
        return {c: n / (classes.size * max(k, 1.0)) for c, k in zip(classes.tolist(), counts)}

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Epochs of ``partial_fit`` over the chunks until the loss stops improving."""
        X, y = check_X_y(self, X, y)
        Xr = fit_rows(self, X)
        y2 = self._targets(Xr, y)
        classes = class_labels(y)
        w = sample_weight_rows(sample_weight, Xr)
        warm = self.warm_start and hasattr(self, "estimator_")
        est = self.estimator_ if warm else self._sgd(Xr.shape[0], self._class_weight(classes, y2))
        n, best, stall, epoch, converged = Xr.shape[0], np.inf, 0, 0, False
        while epoch < self.max_iter and not converged:
            epoch += 1
            est = partial_fit_chunks(est, Xr, y2, w, classes)
            if self.tol is None:
                continue
            total = epoch_loss(est, Xr, y2)
            stall = stall + 1 if total > best - self.tol * n else 0
            best = min(best, total)
            if stall >= self.n_iter_no_change:
                if self.learning_rate == "adaptive" and est.eta0 > 1e-6:
                    est.set_params(eta0=est.eta0 / 5.0)
                    stall = 0
                else:
                    converged = True
        if self.tol is not None and not converged:
            warnings.warn(
                f"{type(self).__name__}: SGD over chunks did not converge in {epoch} epochs; "
                "increase max_iter",
                ConvergenceWarning,
                stacklevel=2,
            )
        return self._set_fitted(est, epoch)

    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Self:
        """One more pass of ``partial_fit`` over the chunks (``classes`` needed the first time)."""
        first = not hasattr(self, "estimator_")
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit")
            classes = np.unique(np.asarray(classes))
            Xr = fit_rows(self, X)
            y2 = self._targets(Xr, y)
            est = self._sgd(Xr.shape[0], self._class_weight(classes, y2))
        else:
            est, classes = self.estimator_, self.classes_
            Xr = to_dask_or_numpy(X)
            if is_dask(Xr) and Xr.ndim == 2 and Xr.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {Xr.shape[1]} features, but {type(self).__name__} is expecting "
                    f"{self.n_features_in_} features as input"
                )
            y2 = self._targets(Xr, y)
        w = sample_weight_rows(sample_weight, Xr)
        est = partial_fit_chunks(est, Xr, y2, w, classes)
        return self._set_fitted(est, 1)

    def _set_fitted(self, est, epochs):
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
        self.estimator_ = est
        self.classes_, self.coef_, self.intercept_ = est.classes_, est.coef_, est.intercept_
        self.t_ = est.t_
        self.n_iter_ = epochs
        return self

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Scores :math:`w^\\top x + b` (lazy Dask for Dask input)."""
        check_is_fitted(self, "estimator_")
        k = self.coef_.shape[0]
        return apply_rows(self.estimator_.decision_function, X, None if k == 1 else k)

    def predict(self, X: ArrayLike) -> NDArray:
        """The class with the largest score (lazy Dask for Dask input)."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict, X, dtype=self.classes_.dtype)

    def _proba(self, X):
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict_proba, X, self.classes_.size)

    def _log_proba(self, X):
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict_log_proba, X, self.classes_.size)


class SGDClassifier(_ChunkedSGD):
    r"""A linear classifier by SGD over chunks: :class:`m4ml.models.SGDClassifier`'s
    ``partial_fit`` on each block in order, one epoch per pass.

    Parameters
    ----------
    loss, penalty, alpha, l1_ratio, fit_intercept, max_iter, tol, shuffle, epsilon,
    random_state, learning_rate, eta0, power_t, n_iter_no_change, class_weight, warm_start
        As :class:`m4ml.models.SGDClassifier`. ``max_iter`` counts passes over the chunks;
        ``shuffle`` shuffles the rows within each block (the blocks keep their order), drawn
        from ``random_state``'s stream; ``class_weight="balanced"`` uses the class counts of
        all the chunks.

    Attributes
    ----------
    classes_, coef_, intercept_, t_, n_features_in_
        As :class:`m4ml.models.SGDClassifier`.
    n_iter_ : int
        Passes (epochs) run.
    estimator_ : m4ml.models.SGDClassifier
        The in-memory estimator after the last ``partial_fit``.

    Raises
    ------
    ValueError
        Bad parameters, fewer than two classes, mismatched lengths, NaN/inf in a block.

    Notes
    -----
    Epoch :math:`e` runs, for blocks :math:`B_1, \dots, B_m` in order, the in-memory step
    :math:`w \leftarrow (1-\eta_t\alpha(1-\rho))w - \eta_t s_i\ell'(p_i, y_i)x_i` on every row
    of :math:`B_b` (one ``partial_fit`` call per block, the schedule's :math:`t` carried on),
    so the weights equal those of the same calls in memory. After each epoch one parallel
    pass sums the loss :math:`L_e` at the current weights; training stops when
    :math:`L_e > \min_{e' < e} L_{e'} - \text{tol}\cdot n` for ``n_iter_no_change`` epochs in
    a row. (In memory, ``fit`` sums the loss along the epoch instead, so the two ``fit``\ s
    may stop at different epochs; their iterates per epoch agree when the blocks do.)

    Examples
    --------
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> clf = SGDClassifier(random_state=0).fit(X, [0, 0, 1, 1])
    >>> clf.predict([[-3.0], [3.0]]).tolist()
    [0, 1]
    """

    def __init__(
        self,
        loss: str = "hinge",
        *,
        penalty: str | None = "l2",
        alpha: float = 1e-4,
        l1_ratio: float = 0.15,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float | None = 1e-3,
        shuffle: bool = True,
        epsilon: float = 0.1,
        random_state: Seed = None,
        learning_rate: str = "optimal",
        eta0: float = 0.01,
        power_t: float = 0.5,
        n_iter_no_change: int = 5,
        class_weight: dict | str | None = None,
        warm_start: bool = False,
    ) -> None:
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

    def _sgd(self, n, class_weight):
        params = self.get_params()
        params["class_weight"] = class_weight
        est = _SGDClassifier(**params)
        est._validate_params()
        return est

    @property
    def predict_proba(self) -> Callable[[ArrayLike], FloatArray]:
        """Class probabilities (log_loss and modified_huber only), lazy for Dask input."""
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(f"probability estimates are not available for loss={self.loss!r}")
        return self._proba

    @property
    def predict_log_proba(self) -> Callable[[ArrayLike], FloatArray]:
        """Logarithm of :meth:`predict_proba` (log_loss and modified_huber only)."""
        if self.loss not in ("log_loss", "modified_huber"):
            raise AttributeError(f"probability estimates are not available for loss={self.loss!r}")
        return self._log_proba
