r"""Naive Bayes classifiers: Bayes' rule with features independent given the class.

The model: :math:`p(y = k \mid x) \propto \pi_k \prod_j p(x_j \mid y = k)`. Everything is done in
log space — the joint log-likelihood :math:`\log \pi_k + \sum_j \log p(x_j \mid k)` is a sum, and
the posterior is its log-softmax over :math:`k` (the log-sum-exp trick subtracts the row maximum
first), so a sample with thousands of features, whose likelihoods are far below the smallest
float, still gets finite probabilities that sum to one. This module holds the shared prediction
code and the Gaussian model; the count models are in :mod:`m4ml.models.naive_bayes_discrete`.
"""

from typing import Any, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    classification_targets,
    log_softmax_rows,
    validate_X,
    validate_X_y,
)

__all__ = ["GaussianNB"]


def _require_y(y):
    if y is None:
        raise ValueError("requires y to be passed, but the target y is None")


class _BaseNB(ClassifierMixin, BaseEstimator):
    """Prediction from a joint log-likelihood ``_joint_log_likelihood(X) -> (n, n_classes)``."""

    def _check_X(self, X):
        return validate_X(self, X, reset=False)

    def predict_joint_log_proba(self, X: ArrayLike) -> FloatArray:
        r"""Joint log-probabilities :math:`\log p(x, y = k)`, shape (n_samples, n_classes)."""
        check_is_fitted(self, "classes_")
        return self._joint_log_likelihood(self._check_X(X))

    def predict_log_proba(self, X: ArrayLike) -> FloatArray:
        r"""Log posteriors :math:`\log p(y = k \mid x)` by log-sum-exp normalization."""
        return log_softmax_rows(self.predict_joint_log_proba(X))

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Posterior class probabilities; every row is finite and sums to one."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the largest posterior (the largest joint log-likelihood)."""
        jll = self.predict_joint_log_proba(X)
        return self.classes_[np.argmax(jll, axis=1)]


def _check_priors(priors, n_classes):
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


def _chan_update(n_a, mean_a, ss_a, n_b, mean_b, ss_b):
    """Combine (count, mean, sum of squared deviations) of two samples (Chan et al., 1979)."""
    n = n_a + n_b
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(n > 0, n_b / np.where(n > 0, n, 1.0), 0.0)
    delta = mean_b - mean_a
    mean = mean_a + frac * delta
    ss = ss_a + ss_b + (n_a * frac) * delta**2
    return n, mean, ss


class GaussianNB(_BaseNB):
    r"""Gaussian naive Bayes: each feature is normal within each class.

    Parameters
    ----------
    priors : array_like, shape (n_classes,), optional
        Class priors :math:`\pi_k`; by default the (weighted) class frequencies.
    var_smoothing : float, default 1e-9
        Fraction of the largest feature variance added to every variance (keeps a feature
        that is constant within a class from giving an infinite density).

    Attributes
    ----------
    classes_, class_count_, class_prior_ : ndarray, shape (n_classes,)
    theta_, var_ : ndarray, shape (n_classes, n_features)
        Per-class means and (smoothed) variances.
    epsilon_ : float
        The variance added: ``var_smoothing`` times the largest feature variance of all data
        seen.

    Notes
    -----
    The likelihood :math:`p(x \mid k) = \prod_j \mathcal N(x_j; \theta_{kj}, \sigma^2_{kj})` is
    maximized by the class means and (biased) variances, so

    .. math:: \log p(x, k) = \log \pi_k - \tfrac12 \sum_j \log(2\pi\sigma^2_{kj})
              - \tfrac12 \sum_j \frac{(x_j - \theta_{kj})^2}{\sigma^2_{kj}} .

    ``fit`` computes all class sums with one product of the one-hot class matrix and ``X``
    (two passes: means, then centred squares), :math:`O(n d K)`. ``partial_fit`` merges the
    statistics of a new batch with those seen so far by Chan, Golub and LeVeque's parallel
    update :math:`M_2 = M_{2,a} + M_{2,b} + \delta^2 n_a n_b / n`, so fitting in batches gives
    the same model as one ``fit`` (the smoothing ``epsilon_`` is tracked over all batches too;
    scikit-learn recomputes it from the last batch only).

    References
    ----------
    .. [1] T. F. Chan, G. H. Golub and R. J. LeVeque, "Updating formulae and a pairwise algorithm
       for computing sample variances", Stanford CS report STAN-CS-79-773, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import GaussianNB
    >>> X = np.array([[-1.0, -1.0], [-2.0, -1.0], [-3.0, -2.0], [1.0, 1.0], [2.0, 1.0], [3.0, 2.0]])
    >>> y = np.array([1, 1, 1, 2, 2, 2])
    >>> clf = GaussianNB().fit(X, y)
    >>> clf.predict([[-0.8, -1.0]]).tolist()
    [1]
    >>> clf.predict_proba([[0.0, 0.0]]).round(6).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, *, priors: ArrayLike | None = None, var_smoothing: float = 1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the per-class means and variances; returns ``self``."""
        _require_y(y)
        X, y = validate_X_y(self, X, y)
        for name in ("classes_", "_n_seen"):
            self.__dict__.pop(name, None)
        return self._partial_fit(X, y, np.unique(y), sample_weight)

    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        classes: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
    ) -> Self:
        """Update the model with a batch; ``classes`` (all labels) is required on the first call."""
        _require_y(y)
        first = not hasattr(self, "classes_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        X, y = validate_X_y(self, X, y) if first else (validate_X(self, X, reset=False), y)
        if not first and (classes is not None and not np.array_equal(classes, self.classes_)):
            raise ValueError(
                f"classes={classes!r} is not the same as on the first call to partial_fit, "
                f"{self.classes_!r}"
            )
        return self._partial_fit(X, np.asarray(y), classes, sample_weight)

    def _partial_fit(self, X, y, classes, sample_weight):
        if not isinstance(self.var_smoothing, (int, float)) or self.var_smoothing < 0:
            raise ValueError(f"var_smoothing must be >= 0, got {self.var_smoothing!r}")
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}")
        first = not hasattr(self, "classes_")
        if first:
            self.classes_ = classification_targets(classes, min_classes=1)[0]
            if self.classes_.size < 2 and np.unique(y).size < 2:
                classification_targets(y)  # the single-class error
            self._priors = _check_priors(self.priors, self.classes_.size)
            K, d = self.classes_.size, X.shape[1]
            self.theta_, self._ss = np.zeros((K, d)), np.zeros((K, d))
            self.class_count_ = np.zeros(K)
            self._n_seen, self._mean_all, self._ss_all = 0.0, np.zeros(d), np.zeros(d)
            self.epsilon_ = 0.0
        y_enc = np.searchsorted(self.classes_, y)
        bad = y_enc >= self.classes_.size
        bad[~bad] = self.classes_[y_enc[~bad]] != y[~bad]
        if bad.any():
            raise ValueError(
                f"The target label(s) {np.unique(y[bad])} in y do not exist in the initial "
                f"classes {self.classes_}"
            )
        K, n = self.classes_.size, X.shape[0]
        if sample_weight is None:
            w = None
            R = np.zeros((n, K))
            R[np.arange(n), y_enc] = 1.0
        else:
            w = check_sample_weight(sample_weight, n)
            R = np.zeros((n, K))
            R[np.arange(n), y_enc] = w
        counts = R.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            safe = np.where(counts > 0, counts, 1.0)[:, None]
            means = (R.T @ X) / safe
            D = X - means[y_enc]
            ss = R.T @ (D * D)
        # statistics of all X, unweighted (the scale of the smoothing)
        if w is None:
            n_b, mean_b = float(n), (counts @ means) / n
            ss_b = ss.sum(axis=0) + counts @ (means - mean_b) ** 2
        else:
            n_b, mean_b = float(n), X.mean(axis=0)
            ss_b = ((X - mean_b) ** 2).sum(axis=0)
        self._n_seen, self._mean_all, self._ss_all = _chan_update(
            self._n_seen, self._mean_all, self._ss_all, n_b, mean_b, ss_b
        )
        self.class_count_, self.theta_, self._ss = _chan_update(
            self.class_count_[:, None], self.theta_, self._ss, counts[:, None], means, ss
        )
        self.class_count_ = self.class_count_[:, 0]
        all_var = self._ss_all / self._n_seen
        self.epsilon_ = float(self.var_smoothing * all_var.max())
        with np.errstate(invalid="ignore", divide="ignore"):
            var = self._ss / np.where(self.class_count_ > 0, self.class_count_, 1.0)[:, None]
        self.var_ = var + self.epsilon_
        if self._priors is not None:
            self.class_prior_ = self._priors
        else:
            self.class_prior_ = self.class_count_ / self.class_count_.sum()
        return self

    def _joint_log_likelihood(self, X):
        inv_var = 1.0 / self.var_
        log_norm = -0.5 * np.log(2.0 * np.pi * self.var_).sum(axis=1)
        with np.errstate(divide="ignore"):
            jll = np.empty((X.shape[0], self.classes_.size))
            log_prior = np.log(self.class_prior_)
        for k in range(self.classes_.size):
            D = X - self.theta_[k]
            D *= D
            jll[:, k] = D @ (-0.5 * inv_var[k])
        jll += log_prior + log_norm
        return jll
