r"""Conformal prediction: intervals and sets with a finite-sample coverage guarantee.

Split conformal prediction wraps any fitted model. On :math:`n` calibration points not used for
training compute conformity scores :math:`s_i = s(x_i, y_i)` (e.g. :math:`|y_i - \hat\mu(x_i)|`)
and their conformal quantile

.. math:: \hat q = s_{(\lceil (n + 1)(1 - \alpha) \rceil)}
          \quad (\text{the } k\text{-th smallest score; } +\infty \text{ if } k > n).

**Guarantee.** If the calibration points and the test point are exchangeable (e.g. i.i.d.),
the test score is equally likely to take any rank among the :math:`n + 1` scores, so

.. math:: 1 - \alpha \le P\bigl(s(X_{n+1}, Y_{n+1}) \le \hat q\bigr)
          < 1 - \alpha + \frac{1}{n + 1},

the upper bound when the scores have no ties. The prediction region
:math:`\{y : s(x, y) \le \hat q\}` therefore covers the truth with probability at least
:math:`1 - \alpha`, whatever the model and the data distribution — marginally, on average over
calibration sets and test points, not for every :math:`x`. The API follows MAPIE
(``confidence_level`` :math:`= 1 - \alpha`, ``fit`` then ``conformalize``, ``predict_interval``
and ``predict_set``).
"""

import math
import numbers
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, Estimator, FloatArray, NDArray
from m4ml.models._base import check_is_fitted, validate_X, validate_X_y

__all__ = [
    "SplitConformalClassifier",
    "SplitConformalRegressor",
    "conformal_quantile",
]


def _check_level(confidence_level):
    if not isinstance(confidence_level, numbers.Real) or not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    return float(confidence_level)


def conformal_quantile(scores: ArrayLike, confidence_level: float) -> float:
    r"""The split-conformal threshold: the :math:`\lceil (n+1)(1-\alpha) \rceil`-th smallest score.

    Parameters
    ----------
    scores : array_like, shape (n,)
        Conformity scores of the calibration points.
    confidence_level : float in (0, 1)
        :math:`1 - \alpha`.

    Returns
    -------
    q : float
        ``inf`` when :math:`\lceil (n+1)(1-\alpha) \rceil > n` (too few calibration points for
        this level: only the trivial region is guaranteed).

    Raises
    ------
    ValueError
        Empty or non-finite scores, a level outside (0, 1).

    Notes
    -----
    With :math:`k = \lceil (n+1)(1-\alpha) \rceil`, a new exchangeable score exceeds
    :math:`s_{(k)}` with probability at most :math:`(n + 1 - k)/(n + 1) \le \alpha`. The rank is
    computed with a small tolerance (``1e-12``) so that :math:`(n+1)(1-\alpha)` that is an integer
    in exact arithmetic is not rounded up by floating point.

    Examples
    --------
    >>> from m4ml.models import conformal_quantile
    >>> conformal_quantile([0.1, 0.5, 0.2, 0.9, 0.3, 0.4, 0.7, 0.8, 0.6], 0.8)
    0.8
    >>> conformal_quantile([0.1, 0.2], 0.9)
    inf
    """
    level = _check_level(confidence_level)
    s = as_float_array(scores, "scores").reshape(-1)
    if s.size == 0:
        raise ValueError("scores is empty: conformalize with at least one calibration point")
    if not np.isfinite(s).all():
        raise ValueError("scores contains NaN or infinity")
    n = s.size
    k = math.ceil((n + 1) * level - 1e-12)
    if k > n:
        return math.inf
    return float(np.partition(s, k - 1)[k - 1])


def _default_regressor():
    from m4ml.models.linear import LinearRegression

    return LinearRegression()


def _default_classifier():
    from m4ml.models.naive_bayes import GaussianNB

    return GaussianNB()


class _SplitConformal(BaseEstimator):
    """fit (train the model unless prefit) then conformalize (scores on held-out data)."""

    def _base(self):
        return self.estimator if self.estimator is not None else self._default()

    def fit(self, X: ArrayLike, y: ArrayLike, **fit_params: Any) -> Self:
        """Fit a clone of ``estimator`` on training data (skipped when ``prefit``)."""
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None")
        y = validate_X_y(self, X, y, y_numeric=isinstance(self, RegressorMixin))[1]
        X = X if hasattr(X, "iloc") else np.asarray(X)
        if self.prefit:
            check_is_fitted(self._base())
            self.estimator_ = self._base()
        else:
            self.estimator_ = clone(self._base()).fit(X, y, **fit_params)
        if hasattr(self.estimator_, "classes_"):
            self.classes_ = np.asarray(self.estimator_.classes_)
        return self

    def _check_conformalized(self):
        check_is_fitted(self, "conformity_scores_")

    def _quantile(self, confidence_level):
        level = self.confidence_level if confidence_level is None else confidence_level
        return conformal_quantile(self.conformity_scores_, level)


class SplitConformalRegressor(RegressorMixin, _SplitConformal):
    r"""Prediction intervals with guaranteed marginal coverage around any regressor.

    Parameters
    ----------
    estimator : regressor, optional
        Default :class:`m4ml.models.LinearRegression`.
    confidence_level : float, default 0.9
        Target coverage :math:`1 - \alpha`.
    conformity_score : {"absolute", "gamma"}, default "absolute"
        :math:`|y - \hat y|` (intervals of constant width :math:`\hat y \pm \hat q`) or
        :math:`|y - \hat y| / |\hat y|` (width proportional to :math:`|\hat y|`, for positive
        targets whose noise grows with their size).
    prefit : bool, default False
        ``estimator`` is already fitted: skip ``fit`` and call ``conformalize`` directly.

    Attributes
    ----------
    estimator_ : the fitted regressor
    conformity_scores_ : ndarray, shape (n_calibration,)

    Notes
    -----
    ``conformalize`` costs one ``predict`` on the calibration set and an :math:`O(n)`
    selection; the module docstring states the coverage guarantee
    :math:`1 - \alpha \le P(Y \in [\hat y - \hat q, \hat y + \hat q]) < 1 - \alpha + 1/(n+1)`.

    References
    ----------
    .. [1] J. Lei, M. G'Sell, A. Rinaldo, R. Tibshirani and L. Wasserman, "Distribution-free
       predictive inference for regression", JASA 113, 2018.
    .. [2] A. N. Angelopoulos and S. Bates, "A gentle introduction to conformal prediction and
       distribution-free uncertainty quantification", 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import SplitConformalRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 10, (600, 1)); y = 2 * X[:, 0] + rng.standard_normal(600)
    >>> scr = SplitConformalRegressor(confidence_level=0.9).fit(X[:300], y[:300])
    >>> scr = scr.conformalize(X[300:500], y[300:500])
    >>> y_pred, bounds = scr.predict_interval(X[500:])
    >>> bounds.shape
    (100, 2)
    >>> covered = (bounds[:, 0] <= y[500:]) & (y[500:] <= bounds[:, 1])
    >>> bool(covered.mean() > 0.8)
    True
    """

    _default = staticmethod(_default_regressor)

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        confidence_level: float = 0.9,
        conformity_score: Literal["absolute", "gamma"] = "absolute",
        prefit: bool = False,
    ):
        self.estimator = estimator
        self.confidence_level = confidence_level
        self.conformity_score = conformity_score
        self.prefit = prefit

    def conformalize(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Compute the conformity scores on calibration data not used for training."""
        _check_level(self.confidence_level)
        if self.conformity_score not in ("absolute", "gamma"):
            raise ValueError(
                f"conformity_score must be 'absolute' or 'gamma', got {self.conformity_score!r}"
            )
        if not hasattr(self, "estimator_"):
            if not self.prefit:
                raise ValueError(
                    "call fit before conformalize (or pass a fitted estimator with prefit=True)"
                )
            self.fit(X, y)
        y = validate_X_y(self, X, y, y_numeric=True)[1]
        pred = np.asarray(self.estimator_.predict(X), dtype=np.float64).reshape(-1)
        resid = np.abs(y - pred)
        if self.conformity_score == "gamma":
            if (pred == 0).any():
                raise ValueError("the gamma score divides by the prediction, which is 0 here")
            resid = resid / np.abs(pred)
        self.conformity_scores_ = resid
        return self

    def predict(self, X: ArrayLike) -> FloatArray:
        """Point predictions of the wrapped regressor."""
        check_is_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict(X), dtype=np.float64).reshape(-1)

    def predict_interval(
        self, X: ArrayLike, confidence_level: float | ArrayLike | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(y_pred, intervals)`` with ``intervals[:, 0]`` lower and ``[:, 1]`` upper."""
        self._check_conformalized()
        validate_X(self, X, reset=False)
        pred = self.predict(X)
        q = self._quantile(confidence_level)
        half = q * np.abs(pred) if self.conformity_score == "gamma" else np.full_like(pred, q)
        return pred, np.column_stack([pred - half, pred + half])


class SplitConformalClassifier(ClassifierMixin, _SplitConformal):
    r"""Prediction sets with guaranteed marginal coverage around any probabilistic classifier.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``, optional
        Default :class:`m4ml.models.GaussianNB`.
    confidence_level : float, default 0.9
    conformity_score : {"lac", "aps"}, default "lac"
        "lac": :math:`1 - \hat p_y(x)` (the smallest sets on average); "aps": the total
        probability of the classes ranked at or above :math:`y` (sets adapt to how unsure the
        model is).
    prefit : bool, default False

    Attributes
    ----------
    classes_ : ndarray
    conformity_scores_ : ndarray, shape (n_calibration,)

    Notes
    -----
    The set for :math:`x` is :math:`\{k : s(x, k) \le \hat q\}`, so it contains the true label
    exactly when the test score is at most :math:`\hat q`: coverage
    :math:`\ge 1 - \alpha` by the module's rank argument. The sets may be empty (LAC, when no
    class is probable enough) or contain every class.

    References
    ----------
    .. [1] M. Sadinle, J. Lei and L. Wasserman, "Least ambiguous set-valued classifiers with
       bounded error levels", JASA 114, 2019.
    .. [2] Y. Romano, M. Sesia and E. Candès, "Classification with valid and adaptive coverage",
       NeurIPS 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import SplitConformalClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((900, 2)); y = (X[:, 0] + 0.5 * rng.standard_normal(900) > 0)
    >>> scc = SplitConformalClassifier(confidence_level=0.95).fit(X[:400], y[:400])
    >>> y_pred, sets = scc.conformalize(X[400:800], y[400:800]).predict_set(X[800:])
    >>> sets.shape, sets.dtype
    ((100, 2), dtype('bool'))
    """

    _default = staticmethod(_default_classifier)

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        confidence_level: float = 0.9,
        conformity_score: Literal["lac", "aps"] = "lac",
        prefit: bool = False,
    ):
        self.estimator = estimator
        self.confidence_level = confidence_level
        self.conformity_score = conformity_score
        self.prefit = prefit

    def _all_scores(self, proba):
        """Score of every (sample, class) pair, shape (n, n_classes)."""
        if self.conformity_score == "lac":
            return 1.0 - proba
        order = np.argsort(-proba, axis=1, kind="stable")
        cum = np.cumsum(np.take_along_axis(proba, order, axis=1), axis=1)
        scores = np.empty_like(proba)
        np.put_along_axis(scores, order, cum, axis=1)
        return scores

    def conformalize(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Compute the conformity scores of the true labels on calibration data."""
        _check_level(self.confidence_level)
        if self.conformity_score not in ("lac", "aps"):
            raise ValueError(
                f"conformity_score must be 'lac' or 'aps', got {self.conformity_score!r}"
            )
        if not hasattr(self, "estimator_"):
            if not self.prefit:
                raise ValueError(
                    "call fit before conformalize (or pass a fitted estimator with prefit=True)"
                )
            self.fit(X, y)
        y = validate_X_y(self, X, y)[1]
        self.classes_ = np.asarray(self.estimator_.classes_)
        idx = np.searchsorted(self.classes_, y)
        unknown = (idx >= self.classes_.size) | (
            self.classes_[np.minimum(idx, self.classes_.size - 1)] != y
        )
        if unknown.any():
            raise ValueError(f"y has labels {np.unique(y[unknown])} the classifier never saw")
        scores = self._all_scores(self.estimator_.predict_proba(X))
        self.conformity_scores_ = scores[np.arange(len(y)), idx]
        return self

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Point predictions of the wrapped classifier."""
        check_is_fitted(self, "estimator_")
        return self.estimator_.predict(X)

    def predict_set(
        self, X: ArrayLike, confidence_level: float | ArrayLike | None = None
    ) -> tuple[NDArray[Any], NDArray[np.bool_]]:
        """Return ``(y_pred, sets)``; ``sets[i, k]`` says whether ``classes_[k]`` is in the set."""
        self._check_conformalized()
        validate_X(self, X, reset=False)
        q = self._quantile(confidence_level)
        proba = self.estimator_.predict_proba(X)
        return self.estimator_.predict(X), self._all_scores(proba) <= q + 1e-12
