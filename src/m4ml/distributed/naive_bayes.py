r"""Naive Bayes over chunks: every sufficient statistic is a mergeable sum.

* :class:`GaussianNB` — one :class:`~m4ml.distributed.Moments` per class, merged per class:
  the class counts, means and sums of squared deviations are all Gaussian naive Bayes needs.
* :class:`MultinomialNB` — class counts and per-class feature counts, added over chunks.

The fitted in-memory m4ml estimator is kept as ``estimator_``; ``predict`` of Dask input maps
its method over the row blocks, lazily.
"""

from typing import Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.distributed._blocks import apply_rows, check_block, is_dask, map_reduce
from m4ml.distributed._fit_input import check_X_y, class_labels, fit_rows
from m4ml.distributed.moments import chunk_moments, merge_moments
from m4ml.models import GaussianNB as _GaussianNB
from m4ml.models import MultinomialNB as _MultinomialNB

__all__ = ["GaussianNB", "MultinomialNB"]


def _add(a, b):
    return tuple(u + v for u, v in zip(a, b))


def _prepare(est, X, y):
    """Checked ``X`` (2-D rows), ``y`` as an aligned column, and the sorted classes."""
    X, y = check_X_y(est, X, y)
    Xr = fit_rows(est, X)
    classes = class_labels(y)
    yr = y[:, None] if is_dask(y) else np.asarray(y).reshape(-1, 1)
    if yr.shape[0] != Xr.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got {Xr.shape[0]} and {yr.shape[0]}"
        )
    return Xr, yr, classes


class GaussianNB(ClassifierMixin, BaseEstimator):
    r"""Gaussian naive Bayes from per-class moments merged over chunks.

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        Added variance :math:`\epsilon = \text{var\_smoothing}\cdot\max_j \hat\sigma_j^2`.

    Attributes
    ----------
    classes_, class_count_, class_prior_, theta_, var_, epsilon_
        As :class:`m4ml.models.GaussianNB` (empirical priors).
    estimator_ : m4ml.models.GaussianNB

    Raises
    ------
    ValueError
        NaN/inf in a chunk, fewer than two classes, or mismatched lengths.

    Notes
    -----
    A chunk returns, for every class :math:`k`, the :class:`Moments` of its rows of class
    :math:`k`, plus those of all its rows; merging per class gives :math:`n_k`,
    :math:`\theta_k = \bar x_k` and :math:`\sigma_k^2 = M_{2,k}/n_k + \epsilon`.

    Examples
    --------
    >>> X = np.array([[0.0], [0.2], [3.0], [3.4]])
    >>> GaussianNB().fit(X, [0, 0, 1, 1]).theta_.ravel().round(6).tolist()
    [0.1, 3.2]
    """

    def __init__(self, *, var_smoothing: float = 1e-9) -> None:
        self.var_smoothing = var_smoothing

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Merge per-class moments over the chunks of ``X`` and ``y``; returns ``self``."""
        Xr, yr, classes = _prepare(self, X, y)

        def chunk(xb, yb):
            xb = check_block(xb, "X")
            yb = np.asarray(yb).ravel()
            per_class = [chunk_moments(xb[yb == c]) for c in classes]
            return [chunk_moments(xb), *per_class]

        def merge(a, b):
            return [merge_moments(u, v) for u, v in zip(a, b)]

        parts = map_reduce(chunk, merge, Xr, yr)
        every, per = parts[0], parts[1:]
        est = _GaussianNB(var_smoothing=self.var_smoothing)
        est.classes_, est.n_features_in_, est._priors = classes, every.mean.size, None
        est.class_count_ = np.array([float(m.n) for m in per])
        est.theta_ = np.array([m.mean for m in per])
        est.epsilon_ = float(self.var_smoothing * (every.m2 / every.n).max())
        est.var_ = np.array([m.m2 / max(m.n, 1) for m in per]) + est.epsilon_
        est.class_prior_ = est.class_count_ / est.class_count_.sum()
        self.estimator_ = est
        for name in ("classes_", "class_count_", "class_prior_", "theta_", "var_", "epsilon_"):
            setattr(self, name, getattr(est, name))
        self.n_features_in_ = est.n_features_in_
        return self

    def predict(self, X: ArrayLike) -> NDArray:
        """Most probable class per row: lazy Dask for Dask input."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict, X, dtype=self.classes_.dtype)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Posterior class probabilities per row: lazy Dask for Dask input."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict_proba, X, self.classes_.size)


class MultinomialNB(ClassifierMixin, BaseEstimator):
    r"""Multinomial naive Bayes from class and feature counts added over chunks.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive (Laplace/Lidstone) smoothing.

    Attributes
    ----------
    classes_, class_count_, feature_count_, class_log_prior_, feature_log_prob_
        As :class:`m4ml.models.MultinomialNB`.
    estimator_ : m4ml.models.MultinomialNB

    Raises
    ------
    ValueError
        Fewer than 2 classes, negative counts, NaN/inf in a chunk, bad ``alpha``.

    Notes
    -----
    The sufficient statistics are sums: :math:`N_k = |\{i: y_i = k\}|` and
    :math:`N_{kj} = \sum_{i: y_i = k} x_{ij}`; a chunk returns its :math:`(N_k, N_{kj})` and
    chunks add. Then :math:`\log\hat\theta_{kj} = \log(N_{kj} + \alpha) -
    \log\sum_j (N_{kj} + \alpha)`, computed by the in-memory estimator.

    Examples
    --------
    >>> X = np.array([[2.0, 0.0], [3.0, 1.0], [0.0, 4.0]])
    >>> MultinomialNB().fit(X, [0, 0, 1]).feature_count_.tolist()
    [[5.0, 1.0], [0.0, 4.0]]
    """

    def __init__(self, *, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.classifier_tags.poor_score = True  # as the in-memory estimator
        return tags

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Add the class and feature counts of every chunk; returns ``self``."""
        Xr, yr, classes = _prepare(self, X, y)

        def chunk(xb, yb):
            xb = check_block(xb, "X")
            if (xb < 0).any():
                raise ValueError("Negative values in data passed to MultinomialNB (input X)")
            Y = (np.asarray(yb).reshape(-1, 1) == classes[None, :]).astype(np.float64)
            return Y.sum(axis=0), Y.T @ xb

        class_count, feature_count = map_reduce(chunk, _add, Xr, yr)
        est = _MultinomialNB(alpha=self.alpha)
        est.classes_, est.n_features_in_ = classes, Xr.shape[1]
        est.class_count_, est.feature_count_ = class_count, feature_count
        est._update_feature_log_prob(est._alpha())
        est._update_class_log_prior()
        self.estimator_ = est
        for name in ("classes_", "class_count_", "feature_count_", "n_features_in_"):
            setattr(self, name, getattr(est, name))
        self.class_log_prior_, self.feature_log_prob_ = est.class_log_prior_, est.feature_log_prob_
        return self

    def predict(self, X: ArrayLike) -> NDArray:
        """Most probable class per row: lazy Dask for Dask input."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict, X, dtype=self.classes_.dtype)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Posterior class probabilities per row: lazy Dask for Dask input."""
        check_is_fitted(self, "estimator_")
        return apply_rows(self.estimator_.predict_proba, X, self.classes_.size)
