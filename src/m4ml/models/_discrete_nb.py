r"""The engine the discrete naive Bayes models share: ``fit``/``partial_fit`` through a weighted
one-hot class matrix, per-class counters, the pseudo-count :math:`\alpha` (floored at
:math:`10^{-10}` unless ``force_alpha``) and the class prior
:math:`\log \pi_k = \log N_k - \log N` (or a given or uniform one).

Each model in :mod:`m4ml.models.naive_bayes_discrete` supplies ``_count`` (add a batch's
sufficient statistics), ``_update_feature_log_prob`` (smooth them) and
``_joint_log_likelihood``.
"""

import warnings
from typing import Self

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.models._base import (
    check_sample_weight,
    classification_targets,
    validate_X,
    validate_X_y,
)
from m4ml.models.naive_bayes import _BaseNB, _require_y

_ALPHA_FLOOR = 1e-10


class _DiscreteNB(_BaseNB):
    """Shared fit/partial_fit: one-hot class matrix, counters, alpha and the class prior."""

    _dtype = np.float64
    _positive_only = True  # counts and categories; BernoulliNB binarizes any real X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        tags.input_tags.positive_only = self._positive_only
        return tags

    def _validate(self, X, y=None, *, reset):
        if y is None:
            X = validate_X(self, X, reset=reset, dtype=self._dtype)
        else:
            X, y = validate_X_y(self, X, y, dtype=self._dtype)
        return self._check_values(X), y

    def _check_values(self, X):
        return X

    def _check_X(self, X):
        return self._validate(X, reset=False)[0]

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the class and feature counts; returns ``self``."""
        _require_y(y)
        X, y = self._validate(X, y, reset=True)
        self.__dict__.pop("classes_", None)
        classes, _ = classification_targets(y)
        return self._update(X, y, classes, sample_weight)

    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Self:
        """Add a batch's counts; ``classes`` (all labels) is required on the first call."""
        _require_y(y)
        first = not hasattr(self, "classes_")
        if first:
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            X, y = self._validate(X, y, reset=True)
            classes = classification_targets(classes, min_classes=1)[0]
        else:
            X = self._validate(X, reset=False)[0]
            y = np.asarray(y)
            if classes is not None and not np.array_equal(classes, self.classes_):
                raise ValueError(
                    f"classes={classes!r} is not the same as on the first call to partial_fit"
                )
        return self._update(X, y, classes, sample_weight)

    def _update(self, X, y, classes, sample_weight):
        first = not hasattr(self, "classes_")
        if first:
            self.classes_ = classes
            self._init_counters(self.classes_.size, X.shape[1])
        K, n = self.classes_.size, X.shape[0]
        if np.shape(y)[0] != n:
            raise ValueError(f"X has {n} samples but y has {np.shape(y)[0]}")
        y_enc = np.searchsorted(self.classes_, y)
        bad = y_enc >= K
        bad[~bad] = self.classes_[y_enc[~bad]] != y[~bad]
        if bad.any():
            raise ValueError(
                f"The target label(s) {np.unique(y[bad])} in y do not exist in the initial "
                f"classes {self.classes_}"
            )
        Y = np.zeros((n, K))
        Y[np.arange(n), y_enc] = (
            1.0 if sample_weight is None else check_sample_weight(sample_weight, n)
        )
        self._count(X, Y)
        self.class_count_ += Y.sum(axis=0)
        self._update_feature_log_prob(self._alpha())
        self._update_class_log_prior()
        return self

    def _alpha(self):
        alpha = np.asarray(self.alpha, dtype=np.float64)
        if alpha.ndim and alpha.shape != (self.n_features_in_,):
            raise ValueError(
                f"When alpha is an array, it should contain n_features={self.n_features_in_} "
                f"values, got shape {alpha.shape}"
            )
        if not np.isfinite(alpha).all() or (alpha < 0).any():
            raise ValueError("All values in alpha must be greater than 0.")
        if alpha.min() < _ALPHA_FLOOR and not self.force_alpha:
            warnings.warn(
                f"alpha too small will result in numeric errors, setting alpha = {_ALPHA_FLOOR}."
                " Use `force_alpha=True` to keep alpha unchanged.",
                UserWarning,
                stacklevel=4,
            )
            alpha = np.maximum(alpha, _ALPHA_FLOOR)
        return alpha

    def _update_class_log_prior(self):
        K = self.classes_.size
        if self.class_prior is not None:
            prior = np.asarray(self.class_prior, dtype=np.float64)
            if prior.shape != (K,):
                raise ValueError("Number of priors must match number of classes.")
            with np.errstate(divide="ignore"):
                self.class_log_prior_ = np.log(prior)
        elif self.fit_prior:
            with np.errstate(divide="ignore"):
                self.class_log_prior_ = np.log(self.class_count_) - np.log(self.class_count_.sum())
        else:
            self.class_log_prior_ = np.full(K, -np.log(K))

    def _init_counters(self, n_classes, n_features):
        self.class_count_ = np.zeros(n_classes)
        self.feature_count_ = np.zeros((n_classes, n_features))


def _check_non_negative(X, whom):
    if X.size and X.min() < 0:
        raise ValueError(
            f"Negative values in data passed to {whom} (input X): this model counts "
            "occurrences, so every entry must be >= 0"
        )
    return X
