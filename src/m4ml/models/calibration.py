r"""Probability calibration: Platt scaling, isotonic calibration, reliability curves.

A classifier is *calibrated* when, among the samples it gives probability :math:`p`, a fraction
:math:`p` are positive: :math:`P(Y = 1 \mid \hat p(X) = p) = p`. Scores that rank well but are not
probabilities (an SVM's margin, naive Bayes' overconfident posteriors) are mapped to calibrated
probabilities by a monotone function fitted on held-out data: a sigmoid (Platt scaling, two
parameters) or a non-decreasing step function (isotonic regression, no shape assumption).
"""

from collections.abc import Iterable
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone

from m4ml._core import as_float_array, as_label_array
from m4ml._core.hints import ArrayLike, Estimator, FloatArray, NDArray, Splitter
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    classification_targets,
    validate_X,
)
from m4ml.models._platt import fit_platt, platt_predict
from m4ml.models.isotonic import IsotonicRegression

__all__ = ["CalibratedClassifierCV", "calibration_curve", "fit_platt", "platt_predict"]


def calibration_curve(
    y_true: ArrayLike,
    y_prob: ArrayLike,
    *,
    pos_label: Any = None,
    n_bins: int = 5,
    strategy: Literal["uniform", "quantile"] = "uniform",
) -> tuple[FloatArray, FloatArray]:
    r"""Reliability diagram data: observed frequency of positives per bin of predicted probability.

    Parameters
    ----------
    y_true : array_like, shape (n,)
        Binary labels.
    y_prob : array_like, shape (n,)
        Predicted probabilities of the positive class, in [0, 1].
    pos_label : label, optional
        The positive class (default: the larger of the two labels).
    n_bins : int, default 5
    strategy : {"uniform", "quantile"}
        Equal-width bins on [0, 1], or bins holding equal numbers of samples.

    Returns
    -------
    prob_true, prob_pred : ndarray
        For each non-empty bin, the fraction of positives and the mean predicted probability.

    Raises
    ------
    ValueError
        More than two classes, probabilities outside [0, 1], bad ``n_bins`` or ``strategy``.

    Notes
    -----
    For bin :math:`B_m`, ``prob_true`` is :math:`\frac{1}{|B_m|}\sum_{i\in B_m} 1[y_i = +]` and
    ``prob_pred`` is :math:`\frac{1}{|B_m|}\sum_{i\in B_m} \hat p_i`; a calibrated classifier
    has the points on the diagonal. Bin edges are closed on the left, as scikit-learn's.

    Examples
    --------
    >>> from m4ml.models.calibration import calibration_curve
    >>> y = [0, 0, 1, 1, 1, 0]
    >>> p = [0.1, 0.2, 0.8, 0.9, 0.7, 0.6]
    >>> t, q = calibration_curve(y, p, n_bins=2)
    >>> t.tolist(), q.round(3).tolist()
    ([0.0, 0.75], [0.15, 0.75])
    """
    y_true = as_label_array(y_true, "y_true", ndim=None).reshape(-1)
    y_prob = as_float_array(y_prob, "y_prob", finite=False).reshape(-1)
    if y_true.size != y_prob.size:
        raise ValueError(f"y_true has {y_true.size} entries but y_prob has {y_prob.size}")
    if not np.isfinite(y_prob).all() or y_prob.min() < 0 or y_prob.max() > 1:
        raise ValueError("y_prob has values outside [0, 1]")
    if not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    labels = np.unique(y_true)
    if labels.size > 2:
        raise ValueError(f"y_true must be binary, got {labels.size} classes: {labels.tolist()}")
    if pos_label is None:
        pos_label = labels[-1]
    positive = (y_true == pos_label).astype(np.float64)
    if strategy == "quantile":
        bins = np.percentile(y_prob, np.linspace(0, 100, n_bins + 1))
    elif strategy == "uniform":
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    ids = np.searchsorted(bins[1:-1], y_prob, side="right")
    count = np.bincount(ids, minlength=len(bins))
    sum_true = np.bincount(ids, weights=positive, minlength=len(bins))
    sum_pred = np.bincount(ids, weights=y_prob, minlength=len(bins))
    nz = count > 0
    return sum_true[nz] / count[nz], sum_pred[nz] / count[nz]


class _Sigmoid:
    """A fitted Platt map ``s -> 1 / (1 + exp(a s + b))``."""

    def fit(self, s, y, sample_weight=None):
        self.a_, self.b_ = fit_platt(s, y, sample_weight)
        return self

    def predict(self, s):
        return platt_predict(s, self.a_, self.b_)


def _scores(estimator, X):
    """Decision function (or probabilities) of ``estimator``, as (n, n_scores)."""
    if hasattr(estimator, "decision_function"):
        s = estimator.decision_function(X)
    else:
        s = estimator.predict_proba(X)
        if s.shape[1] == 2:
            s = s[:, 1:]
    s = np.asarray(s, dtype=np.float64)
    return s.reshape(-1, 1) if s.ndim == 1 else s


class _CalibratedClassifier:
    """A fitted classifier and one calibrator per class it scores (one for binary)."""

    def __init__(self, estimator, calibrators, columns, n_classes):
        self.estimator, self.calibrators, self.columns = estimator, calibrators, columns
        self.n_classes = n_classes

    def predict_proba(self, X):
        s = _scores(self.estimator, X)
        proba = np.zeros((s.shape[0], self.n_classes))
        if self.n_classes == 2:
            proba[:, 1] = self.calibrators[0].predict(s[:, 0])
            proba[:, 0] = 1.0 - proba[:, 1]
            return proba
        for j, (col, cal) in enumerate(zip(self.columns, self.calibrators, strict=True)):
            proba[:, col] = cal.predict(s[:, j])
        total = proba.sum(axis=1, keepdims=True)
        uniform = np.full_like(proba, 1.0 / self.n_classes)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, proba / np.where(total > 0, total, 1.0), uniform)


def _fit_calibrators(method, scores, y_encoded, columns, n_classes, sample_weight):
    cals = []
    targets = [1] if n_classes == 2 else columns
    for j, k in enumerate(targets):
        cal = _Sigmoid() if method == "sigmoid" else IsotonicRegression(out_of_bounds="clip")
        cals.append(cal.fit(scores[:, j], (y_encoded == k).astype(float), sample_weight))
    return cals


class CalibratedClassifierCV(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    r"""Calibrate a classifier's probabilities by cross-validation (Platt or isotonic).

    Parameters
    ----------
    estimator : classifier, optional
        The classifier to calibrate (default :class:`m4ml.models.GaussianNB`, whose posteriors
        are notoriously overconfident). Its ``decision_function`` is calibrated if it has one,
        else its ``predict_proba``.
    method : {"sigmoid", "isotonic"}, default "sigmoid"
        Platt scaling (:func:`fit_platt`) or isotonic regression (:class:`IsotonicRegression`).
    cv : int, splitter, iterable of splits, "prefit" or None
        ``None`` means 5-fold stratified. ``"prefit"``: ``estimator`` is already fitted and
        all of ``fit``'s data calibrates it.
    ensemble : bool or "auto", default "auto"
        ``True`` ("auto"): one (classifier, calibrator) pair per fold, probabilities averaged.
        ``False``: calibrate on the out-of-fold scores and refit the classifier on all data.

    Attributes
    ----------
    classes_ : ndarray
    calibrated_classifiers_ : list
        The fitted (classifier, calibrators) pairs; each has ``predict_proba``.

    Notes
    -----
    For a binary problem one calibrator maps the positive score to :math:`P(y = 1)`; for
    :math:`K > 2` classes one calibrator per class maps its one-vs-rest score and the :math:`K`
    outputs are renormalized to sum to one. Fitting costs ``n_folds`` classifier fits plus
    :math:`O(n)` per calibrator (:math:`O(n \log n)` for isotonic).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import CalibratedClassifierCV
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((200, 2)); y = (X[:, 0] + 0.3 * rng.standard_normal(200) > 0)
    >>> clf = CalibratedClassifierCV(method="isotonic", cv=3).fit(X, y)
    >>> p = clf.predict_proba(X)
    >>> p.shape, bool(np.allclose(p.sum(axis=1), 1.0))
    ((200, 2), True)
    """

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        method: Literal["sigmoid", "isotonic"] = "sigmoid",
        cv: int
        | Splitter
        | Iterable[tuple[ArrayLike, ArrayLike]]
        | Literal["prefit"]
        | None = None,
        ensemble: bool | Literal["auto"] = "auto",
    ):
        self.estimator = estimator
        self.method = method
        self.cv = cv
        self.ensemble = ensemble

    def _base(self):
        if self.estimator is not None:
            return self.estimator
        from m4ml.models.naive_bayes import GaussianNB

        return GaussianNB()

    def fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None, **fit_params: Any
    ) -> Self:
        """Fit the classifier(s) and their calibrators; returns ``self``."""
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None")
        if self.method not in ("sigmoid", "isotonic"):
            raise ValueError(f"method must be 'sigmoid' or 'isotonic', got {self.method!r}")
        if self.ensemble not in ("auto", True, False):
            raise ValueError(f"ensemble must be 'auto', True or False, got {self.ensemble!r}")
        X = validate_X(self, X, reset=True, ensure_min_samples=2)
        self.classes_, y_enc = classification_targets(y)
        y = self.classes_[y_enc]
        n_classes = self.classes_.size
        w = None if sample_weight is None else check_sample_weight(sample_weight, X.shape[0])
        base = self._base()
        weighted = dict(fit_params) if w is None else {**fit_params, "sample_weight": w}

        def columns_of(est):
            return np.searchsorted(self.classes_, est.classes_)

        if self.cv == "prefit":
            check_is_fitted(base)
            cols = columns_of(base)
            cals = _fit_calibrators(self.method, _scores(base, X), y_enc, cols, n_classes, w)
            self.calibrated_classifiers_ = [_CalibratedClassifier(base, cals, cols, n_classes)]
            return self
        from m4ml.pipeline.crossval import check_cv

        counts = np.bincount(y_enc, minlength=n_classes)
        if isinstance(self.cv, (int, np.integer)) and counts.min() < self.cv:
            raise ValueError(
                f"Requesting {self.cv}-fold cross-validation but provided less than {self.cv} "
                "examples for at least one class."
            )
        splits = list(check_cv(self.cv, y, classifier=True).split(X, y))

        def fit_on(idx):
            params = {
                k: (v[idx] if np.ndim(v) and len(v) == X.shape[0] else v)
                for k, v in weighted.items()
            }
            return clone(base).fit(X[idx], y[idx], **params)

        self.calibrated_classifiers_ = []
        if self.ensemble in ("auto", True):
            for train, test in splits:
                est = fit_on(train)
                cols = columns_of(est)
                wt = None if w is None else w[test]
                cals = _fit_calibrators(
                    self.method, _scores(est, X[test]), y_enc[test], cols, n_classes, wt
                )
                self.calibrated_classifiers_.append(
                    _CalibratedClassifier(est, cals, cols, n_classes)
                )
            return self
        scores = None
        for train, test in splits:
            s = _scores(fit_on(train), X[test])
            if scores is None:
                scores = np.zeros((X.shape[0], s.shape[1]))
            scores[test] = s
        est = fit_on(np.arange(X.shape[0]))
        cols = columns_of(est)
        cals = _fit_calibrators(self.method, scores, y_enc, cols, n_classes, w)
        self.calibrated_classifiers_ = [_CalibratedClassifier(est, cals, cols, n_classes)]
        return self

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Calibrated class probabilities, averaged over the fitted pairs; (n, n_classes)."""
        check_is_fitted(self, "calibrated_classifiers_")
        X = validate_X(self, X, reset=False)
        proba = sum(c.predict_proba(X) for c in self.calibrated_classifiers_)
        return proba / len(self.calibrated_classifiers_)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the largest calibrated probability."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]
