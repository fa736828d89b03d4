"""Estimators the apps need that are not curriculum models: the dummy baselines and a
classifier built from class-conditional Gaussian mixtures (from m4ml.models.GaussianMixture).
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted

__all__ = ["DummyClassifier", "DummyRegressor", "MixtureClassifier"]


class DummyClassifier(ClassifierMixin, BaseEstimator):
    """Predict the majority class; ``predict_proba`` returns the training class shares.

    The baseline every leaderboard needs: what "better than nothing" is.
    """

    def fit(self, X, y):
        """Learn the class shares of ``y``."""
        y = np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.class_prior_ = counts / counts.sum()
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        """The majority class for every row."""
        check_is_fitted(self, "classes_")
        return np.full(len(X), self.classes_[np.argmax(self.class_prior_)])

    def predict_proba(self, X):
        """The training class shares for every row."""
        check_is_fitted(self, "classes_")
        return np.tile(self.class_prior_, (len(X), 1))

    def score(self, X, y):
        """Accuracy (m4ml.pipeline.metrics)."""
        from m4ml.pipeline.metrics import accuracy_score

        return accuracy_score(y, self.predict(X))


class DummyRegressor(RegressorMixin, BaseEstimator):
    """Predict the training mean: R² = 0 on the training data by construction."""

    def fit(self, X, y):
        """Learn the mean of ``y``."""
        self.constant_ = float(np.mean(np.asarray(y, dtype=float)))
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def predict(self, X):
        """The training mean for every row."""
        check_is_fitted(self, "constant_")
        return np.full(len(X), self.constant_)

    def score(self, X, y):
        """R² (m4ml.pipeline.metrics)."""
        from m4ml.pipeline.metrics import r2_score

        return r2_score(y, self.predict(X))


class MixtureClassifier(ClassifierMixin, BaseEstimator):
    """Generative classifier: one Gaussian mixture per class, combined by Bayes' rule.

    Parameters
    ----------
    mixture : estimator
        An unfitted ``GaussianMixture`` (from :mod:`m4ml.models`), cloned for every class.

    Notes
    -----
    :math:`p(y = k \\mid x) \\propto \\pi_k\\, p(x \\mid y = k)`, with :math:`p(x \\mid y = k)`
    the class-:math:`k` mixture's density (``score_samples`` is its log) and :math:`\\pi_k` the
    class share; computed in log space.
    """

    def __init__(self, mixture):
        self.mixture = mixture

    def fit(self, X, y):
        """Fit one mixture per class."""
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.log_prior_ = np.log(counts / counts.sum())
        self.mixtures_ = [clone(self.mixture).fit(X[y == k]) for k in self.classes_]
        self.n_features_in_ = X.shape[1]
        return self

    def _joint_log(self, X):
        X = np.asarray(X, dtype=float)
        return np.column_stack([m.score_samples(X) for m in self.mixtures_]) + self.log_prior_

    def predict_proba(self, X):
        """Posterior class probabilities."""
        check_is_fitted(self, "mixtures_")
        joint = self._joint_log(X)
        joint -= joint.max(axis=1, keepdims=True)
        p = np.exp(joint)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        """The most probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def score(self, X, y):
        """Accuracy (m4ml.pipeline.metrics)."""
        from m4ml.pipeline.metrics import accuracy_score

        return accuracy_score(y, self.predict(X))
