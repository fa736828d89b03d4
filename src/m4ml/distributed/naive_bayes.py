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
from m4ml.distributed._fit_input import check_X_y, class_labels, fit_rows, sample_weight_rows
from m4ml.distributed._mixture_stats import merge_stats, stats_chunk
from m4ml.distributed.moments import chunk_moments, merge_moments
from m4ml.models import GaussianNB as _GaussianNB
from m4ml.models import MultinomialNB as _MultinomialNB

__all__ = ["GaussianNB", "MultinomialNB"]


def _add(a, b):
    return tuple(u + v for u, v in zip(a, b))


def _check_priors(priors, n_classes):
    """``priors`` as an array of class probabilities (None stays None), as in memory."""
    if priors is None:
        return None
    priors = np.asarray(priors, dtype=np.float64)
    if priors.shape != (n_classes,):
        raise ValueError("Number of priors must match number of classes.")
    if not np.isclose(priors.sum(), 1.0):
        raise ValueError("The sum of the priors should be 1.")
    if (priors < 0).any():
        raise ValueError("Priors must be non-negative.")
    return priors


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
    priors : array_like (n_classes,), optional
        Fixed class priors (else the weighted class frequencies).
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

    def __init__(self, *, priors: ArrayLike | None = None, var_smoothing: float = 1e-9) -> None:
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Merge per-class moments over the chunks of ``X`` and ``y``; returns ``self``."""
        Xr, yr, classes = _prepare(self, X, y)
        v = self.var_smoothing
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v >= 0:
            raise ValueError(f"var_smoothing must be >= 0, got {v!r}")
        priors = _check_priors(self.priors, classes.size)
        w = sample_weight_rows(sample_weight, Xr)
        K = classes.size

        def chunk(xb, yb, *wb):
            xb = check_block(xb, "X")
            enc = np.searchsorted(classes, np.asarray(yb).ravel())
            R = (enc[:, None] == np.arange(K)) * (1.0 if not wb else np.asarray(wb[0]))
            return chunk_moments(xb), stats_chunk(xb, R, "diag")

        def merge(a, b):
            return merge_moments(a[0], b[0]), merge_stats(a[1], b[1])

        every, (count, theta, ss) = map_reduce(chunk, merge, Xr, yr, *([] if w is None else [w]))
        est = _GaussianNB(priors=self.priors, var_smoothing=v)
        est.classes_, est.n_features_in_, est._priors = classes, every.mean.size, priors
        est.class_count_, est.theta_ = count, theta
        est.epsilon_ = float(v * (every.m2 / every.n).max())
        est.var_ = ss / np.where(count > 0, count, 1.0)[:, None] + est.epsilon_
        est.class_prior_ = count / count.sum() if priors is None else priors
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
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
    force_alpha, fit_prior, class_prior
        As :class:`m4ml.models.MultinomialNB`.

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

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        force_alpha: bool = True,
        fit_prior: bool = True,
        class_prior: ArrayLike | None = None,
    ) -> None:
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        tags.classifier_tags.poor_score = True  # as the in-memory estimator
        return tags

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Add the class and feature counts of every chunk; returns ``self``."""
        Xr, yr, classes = _prepare(self, X, y)
        w = sample_weight_rows(sample_weight, Xr)

        def chunk(xb, yb, *wb):
            xb = check_block(xb, "X")
            if (xb < 0).any():
                raise ValueError("Negative values in data passed to MultinomialNB (input X)")
            Y = (np.asarray(yb).reshape(-1, 1) == classes[None, :]).astype(np.float64)
            if wb:
                Y *= np.asarray(wb[0])
            return Y.sum(axis=0), Y.T @ xb

        extra = [] if w is None else [w]
        class_count, feature_count = map_reduce(chunk, _add, Xr, yr, *extra)
        est = _MultinomialNB(
            alpha=self.alpha, force_alpha=self.force_alpha, fit_prior=self.fit_prior,
            class_prior=self.class_prior,
        )  # fmt: skip
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
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
