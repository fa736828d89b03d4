"""Scorers: a metric bound to the estimator method whose output it scores.

A scorer is called as ``scorer(estimator, X, y)`` and returns a number where **greater is
better**: metrics that are losses (log loss, squared error, ...) are negated and registered
under a ``neg_`` name, as scikit-learn does, so that model selection can always maximize.
Scorers work with any object that has the needed method (``predict``, ``predict_proba`` or
``decision_function``) and, for classifiers, ``classes_``; scikit-learn's own
``cross_validate`` and ``GridSearchCV`` accept them as ``scoring=``.
"""

import copy
import inspect
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.pipeline.metrics.classification import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from m4ml.pipeline.metrics.clustering import adjusted_rand_score
from m4ml.pipeline.metrics.probabilistic import brier_score_loss, log_loss
from m4ml.pipeline.metrics.ranking import average_precision_score, roc_auc_score
from m4ml.pipeline.metrics.regression import (
    explained_variance_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

__all__ = ["SCORERS", "get_scorer", "get_scorer_names", "make_scorer"]

_METHODS = ("predict", "predict_proba", "decision_function")


class Scorer:
    r"""A metric, the sign that makes greater better, and the estimator method to call.

    Built by :func:`make_scorer` (use that rather than this constructor).

    Parameters
    ----------
    score_func : callable
        ``score_func(y_true, y_out, **kwargs)``.
    sign : {1, -1}
        -1 for losses.
    kwargs : dict
        Fixed keyword arguments of ``score_func``.
    response_method : str or tuple of str
        The estimator method(s) to call for ``y_out``.

    Notes
    -----
    ``scorer(estimator, X, y)`` returns :math:`\mathrm{sign}\cdot
    \mathrm{score\_func}(y, f(X))`.

    Examples
    --------
    >>> from m4ml.pipeline.metrics import accuracy_score
    >>> class Majority:
    ...     def predict(self, X):
    ...         return [1] * len(X)
    >>> make_scorer(accuracy_score)(Majority(), [[0], [0], [0]], [1, 0, 1])
    0.6666666666666666
    """

    def __init__(
        self,
        score_func: Callable[..., float],
        sign: Literal[1, -1],
        kwargs: dict[str, Any],
        response_method: str | tuple[str, ...] | list[str],
    ):
        self._score_func = score_func
        self._sign = sign
        self._kwargs = kwargs
        self._response_method = response_method

    def __repr__(self):
        extra = "" if self._sign > 0 else ", greater_is_better=False"
        args = "".join(f", {k}={v!r}" for k, v in self._kwargs.items())
        return (
            f"make_scorer({self._score_func.__name__}{extra}, "
            f"response_method={self._response_method!r}{args})"
        )

    def _pos_label(self):
        if "pos_label" in self._kwargs:
            return self._kwargs["pos_label"]
        param = inspect.signature(self._score_func).parameters.get("pos_label")
        return None if param is None else param.default

    def _response(self, estimator, X):
        methods = (
            (self._response_method,)
            if isinstance(self._response_method, str)
            else tuple(self._response_method)
        )
        name = next((m for m in methods if hasattr(estimator, m)), None)
        if name is None:
            raise AttributeError(
                f"{type(estimator).__name__} has none of the methods {methods} this scorer "
                f"needs ({self!r})"
            )
        out = getattr(estimator, name)(X)
        classes = getattr(estimator, "classes_", None)
        if classes is None or np.ndim(classes) != 1:
            return out
        classes = np.asarray(classes)
        pos_label = self._pos_label()
        if pos_label is not None and pos_label not in classes.tolist():
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label: it should be one of "
                f"{classes.tolist()}"
            )
        if name == "predict" or len(classes) != 2:
            return out
        if name == "predict_proba":
            col = 1 if pos_label is None else int(np.flatnonzero(classes == pos_label)[0])
            return np.asarray(out)[:, col]
        out = np.asarray(out)
        return -out if pos_label is not None and pos_label == classes[0] else out

    def __call__(
        self,
        estimator: Any,
        X: ArrayLike,
        y_true: ArrayLike,
        sample_weight: ArrayLike | None = None,
        **kwargs: Any,
    ) -> float:
        """Score ``estimator`` on ``X`` against ``y_true``; greater is better."""
        y_out = self._response(estimator, X)
        extra = dict(self._kwargs)
        extra.update(kwargs)
        if sample_weight is not None:
            extra["sample_weight"] = sample_weight
        return self._sign * self._score_func(y_true, y_out, **extra)


def make_scorer(
    score_func: Callable[..., float],
    *,
    response_method: Literal["predict", "predict_proba", "decision_function"]
    | tuple[str, ...]
    | list[str] = "predict",
    greater_is_better: bool = True,
    **kwargs: Any,
) -> Scorer:
    r"""Turn a metric ``score_func(y_true, y_out, **kwargs)`` into a scorer.

    Parameters
    ----------
    score_func : callable
        The metric.
    response_method : {"predict", "predict_proba", "decision_function"} or tuple of them
        The estimator method whose output is scored; with a tuple, the first one the
        estimator has. For a binary classifier, probabilities and decision values are reduced
        to the positive class (``pos_label`` among ``kwargs``, else ``classes_[1]``).
    greater_is_better : bool, default True
        False for losses: the scorer returns the negated metric.
    **kwargs
        Passed to ``score_func`` on every call.

    Returns
    -------
    Scorer
        Callable as ``scorer(estimator, X, y, sample_weight=None)``.

    Raises
    ------
    ValueError
        If ``response_method`` is not one of the estimator methods above.
    TypeError
        If ``score_func`` is not callable.

    Notes
    -----
    The scorer computes :math:`\mathrm{sign}\cdot m(y, f(X))` with sign :math:`\pm 1`, so
    that model selection always maximizes.

    References
    ----------
    .. [1] L. Buitinck et al., "API design for machine learning software: experiences from
       the scikit-learn project", *ECML PKDD Workshop*, 2013.

    Examples
    --------
    >>> from m4ml.pipeline.metrics import fbeta_score
    >>> make_scorer(fbeta_score, beta=2)
    make_scorer(fbeta_score, response_method='predict', beta=2)
    """
    if not callable(score_func):
        raise TypeError(f"score_func must be callable, got {type(score_func).__name__}")
    methods = (response_method,) if isinstance(response_method, str) else response_method
    if not isinstance(methods, tuple | list) or not methods or set(methods) - set(_METHODS):
        raise ValueError(
            f"response_method must be one of {_METHODS} or a tuple of them, got {response_method!r}"
        )
    return Scorer(score_func, 1 if greater_is_better else -1, kwargs, response_method)


_PROBA = "predict_proba"
_RANKING = ("decision_function", "predict_proba")

SCORERS = {
    "accuracy": make_scorer(accuracy_score),
    "balanced_accuracy": make_scorer(balanced_accuracy_score),
    "matthews_corrcoef": make_scorer(matthews_corrcoef),
    "roc_auc": make_scorer(roc_auc_score, response_method=_RANKING),
    "roc_auc_ovr": make_scorer(roc_auc_score, response_method=_PROBA, multi_class="ovr"),
    "roc_auc_ovr_weighted": make_scorer(
        roc_auc_score, response_method=_PROBA, multi_class="ovr", average="weighted"
    ),
    "roc_auc_ovo": make_scorer(roc_auc_score, response_method=_PROBA, multi_class="ovo"),
    "roc_auc_ovo_weighted": make_scorer(
        roc_auc_score, response_method=_PROBA, multi_class="ovo", average="weighted"
    ),
    "average_precision": make_scorer(average_precision_score, response_method=_RANKING),
    "neg_log_loss": make_scorer(log_loss, response_method=_PROBA, greater_is_better=False),
    "neg_brier_score": make_scorer(
        brier_score_loss, response_method=_PROBA, greater_is_better=False
    ),
    "r2": make_scorer(r2_score),
    "explained_variance": make_scorer(explained_variance_score),
    "neg_mean_squared_error": make_scorer(mean_squared_error, greater_is_better=False),
    "neg_root_mean_squared_error": make_scorer(root_mean_squared_error, greater_is_better=False),
    "neg_mean_absolute_error": make_scorer(mean_absolute_error, greater_is_better=False),
    "adjusted_rand_score": make_scorer(adjusted_rand_score),
}
for _name, _metric in (("precision", precision_score), ("recall", recall_score), ("f1", f1_score)):
    SCORERS[_name] = make_scorer(_metric, average="binary")
    for _avg in ("macro", "micro", "samples", "weighted"):
        SCORERS[f"{_name}_{_avg}"] = make_scorer(_metric, pos_label=None, average=_avg)


def get_scorer_names() -> list[str]:
    """Sorted names accepted by :func:`get_scorer`.

    Parameters
    ----------
    None

    Returns
    -------
    list of str

    Raises
    ------
    Nothing.

    Notes
    -----
    The names are scikit-learn's; losses carry a ``neg_`` prefix because every scorer is
    "greater is better". Averaged variants are ``<metric>_<average>`` (``f1_macro``, ...).

    References
    ----------
    .. [1] scikit-learn user guide, "The scoring parameter: defining model evaluation rules".

    Examples
    --------
    >>> "neg_log_loss" in get_scorer_names()
    True
    """
    return sorted(SCORERS)


def get_scorer(scoring: str | Callable[..., float] | None) -> Scorer | Callable[..., float] | None:
    """The scorer registered under ``scoring`` (a fresh copy), or ``scoring`` itself.

    Parameters
    ----------
    scoring : str, callable or None
        A name from :func:`get_scorer_names` (scikit-learn's names and signs: losses are
        ``neg_*``); a callable ``scorer(estimator, X, y)`` or None is returned unchanged.

    Returns
    -------
    Scorer, callable or None

    Raises
    ------
    ValueError
        For an unknown name.

    Notes
    -----
    Every registered scorer is "greater is better"; e.g. ``neg_mean_squared_error`` returns
    :math:`-\\mathrm{MSE}`.

    References
    ----------
    .. [1] scikit-learn user guide, "The scoring parameter: defining model evaluation rules".

    Examples
    --------
    >>> get_scorer("f1_macro")
    make_scorer(f1_score, response_method='predict', pos_label=None, average='macro')
    """
    if isinstance(scoring, str):
        try:
            return copy.deepcopy(SCORERS[scoring])
        except KeyError:
            raise ValueError(
                f"{scoring!r} is not a valid scoring value. Use "
                "m4ml.pipeline.metrics.get_scorer_names() to get valid options."
            ) from None
    if scoring is None or callable(scoring):
        return scoring
    raise TypeError(f"scoring must be a string, a callable or None, got {type(scoring).__name__}")
