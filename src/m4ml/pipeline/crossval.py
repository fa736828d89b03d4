"""Cross-validation: fit on K - 1 folds, score on the held-out fold, K times.

The estimator is reached only through its ``fit``/``predict``/``score`` protocol, and cloned
(``sklearn.base.clone``) before every fit, so the caller's object is never modified.
"""

import numbers
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.exceptions import FitFailedWarning

from m4ml._core.hints import ArrayLike, Estimator, FloatArray, Splitter
from m4ml.pipeline._rows import _check_lengths, _take, check_target
from m4ml.pipeline.split import KFold, StratifiedKFold


def check_cv(
    cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = 5,
    y: ArrayLike | None = None,
    *,
    classifier: bool = False,
) -> Splitter:
    """Turn a ``cv`` argument into a splitter.

    Parameters
    ----------
    cv : None, int, splitter or iterable of (train, test) pairs
        ``None`` means 5 folds. An int ``k`` means :class:`StratifiedKFold` (k) for a
        classifier with class labels ``y`` and :class:`KFold` (k) otherwise, both unshuffled,
        as scikit-learn does. An object with ``split`` is used as is; an iterable of index
        pairs is used as the list of splits.
    y : array-like or None
    classifier : bool

    Returns
    -------
    object with ``split(X, y, groups)`` and ``get_n_splits(...)``
    """
    if cv is None:
        cv = 5
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if classifier and y is not None and _looks_like_classes(y):
            return StratifiedKFold(int(cv))
        return KFold(int(cv))
    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    if isinstance(cv, str) or not hasattr(cv, "__iter__"):
        raise ValueError(
            f"cv must be None, an int, a splitter with split() or an iterable of (train, test) "
            f"index pairs, got {cv!r}"
        )
    return _FixedSplits(list(cv))


def _looks_like_classes(y):
    y = np.asarray(y)
    if y.ndim != 1 and not (y.ndim == 2 and y.shape[1] == 1):
        return False
    if y.dtype.kind == "f":
        return bool(np.all(np.isfinite(y)) and np.all(y == np.round(y)))
    return True


class _FixedSplits:
    """A splitter over an explicit list of (train, test) index pairs."""

    def __init__(self, splits):
        if not splits:
            raise ValueError("cv is an empty list of splits")
        self.splits = [(np.asarray(tr), np.asarray(te)) for tr, te in splits]

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.splits)

    def split(self, X=None, y=None, groups=None):
        yield from self.splits


def resolve_scoring(scoring):
    """Map ``scoring`` to a dict ``{name: scorer(estimator, X, y)}`` and say if it is multi.

    ``None`` uses the estimator's own ``score`` method; a string is looked up in
    :func:`m4ml.pipeline.metrics.scorers.get_scorer`; a callable is used as is; a list, tuple or
    set of strings, or a dict of names to strings/callables, gives several metrics at once.
    """
    if scoring is None:
        return {"score": _estimator_score}, False
    if isinstance(scoring, str) or callable(scoring):
        return {"score": _scorer(scoring)}, False
    if isinstance(scoring, list | tuple | set):
        if not scoring or not all(isinstance(s, str) for s in scoring):
            raise ValueError("a list of scorings must be a non-empty list of metric names")
        if len(set(scoring)) != len(scoring):
            raise ValueError(f"duplicate names in scoring {scoring!r}")
        return {name: _scorer(name) for name in scoring}, True
    if isinstance(scoring, dict):
        if not scoring:
            raise ValueError("scoring is an empty dict")
        return {name: _scorer(s) for name, s in scoring.items()}, True
    raise TypeError(f"scoring must be None, a str, a callable, a list or a dict, got {scoring!r}")


def _scorer(s):
    if callable(s):
        return s
    from m4ml.pipeline.metrics.scorers import get_scorer

    return get_scorer(s)


def _estimator_score(estimator, X, y):
    if not hasattr(estimator, "score"):
        raise TypeError(f"{type(estimator).__name__} has no score method; pass scoring=")
    return estimator.score(X, y) if y is not None else estimator.score(X)


def _fit_and_score(estimator, X, y, train, test, scorers, params, return_train, error_score):
    """Fit a clone on ``train``, score on ``test`` (and ``train``); a dict of the results."""
    est = clone(estimator)
    X_tr, X_te = _take(X, train), _take(X, test)
    y_tr = None if y is None else _take(y, train)
    y_te = None if y is None else _take(y, test)
    fit_params = {k: (_take(v, train) if _is_sample_aligned(v, X) else v) for k, v in params}
    out = {"estimator": est, "fit_error": None}
    t0 = time.perf_counter()
    try:
        est.fit(X_tr, y_tr, **fit_params) if y is not None else est.fit(X_tr, **fit_params)
    except Exception as exc:
        if isinstance(error_score, str) and error_score == "raise":
            raise
        out["fit_time"] = time.perf_counter() - t0
        out["score_time"] = 0.0
        out["fit_error"] = f"{type(exc).__name__}: {exc}"
        out["test"] = dict.fromkeys(scorers, error_score)
        out["train"] = dict.fromkeys(scorers, error_score)
        return out
    out["fit_time"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    out["test"] = _score_all(scorers, est, X_te, y_te, error_score)
    out["score_time"] = time.perf_counter() - t0
    if return_train:
        out["train"] = _score_all(scorers, est, X_tr, y_tr, error_score)
    return out


def _score_all(scorers, est, X, y, error_score):
    """Every metric on (X, y); a metric that raises (e.g. ROC AUC on a fold with a single
    class) gets ``error_score`` with a warning, or re-raises when error_score='raise'."""
    scores = {}
    for name, scorer in scorers.items():
        try:
            scores[name] = float(scorer(est, X, y))
        except Exception as exc:
            if isinstance(error_score, str) and error_score == "raise":
                raise
            warnings.warn(
                f"scoring {name!r} failed and was recorded as error_score={error_score!r}: "
                f"{type(exc).__name__}: {exc}",
                UserWarning,
                stacklevel=4,
            )
            scores[name] = error_score
    return scores


def _is_sample_aligned(value, X):
    try:
        return (
            hasattr(value, "__len__")
            and len(value) == _check_lengths(X)
            and not isinstance(value, str)
        )
    except TypeError:
        return False


def _check_error_score(error_score):
    if isinstance(error_score, str):
        if error_score != "raise":
            raise ValueError(f"error_score must be 'raise' or a number, got {error_score!r}")
    elif not isinstance(error_score, numbers.Number):
        raise ValueError(f"error_score must be 'raise' or a number, got {error_score!r}")


def run_folds(estimator, X, y, splits, scorers, params, return_train, error_score):
    """Fit and score one clone per split; warn (or raise) on failed fits."""
    results = [
        _fit_and_score(estimator, X, y, tr, te, scorers, params, return_train, error_score)
        for tr, te in splits
    ]
    failures = [r["fit_error"] for r in results if r["fit_error"]]
    if failures and len(failures) == len(results):
        raise ValueError(f"all {len(results)} fits failed; the first error was {failures[0]}")
    if failures:
        warnings.warn(
            f"{len(failures)} of {len(results)} fits failed and were scored "
            f"error_score={error_score!r}; the first error was {failures[0]}",
            FitFailedWarning,
            stacklevel=3,
        )
    return results


def cross_validate(
    estimator: Estimator,
    X: ArrayLike,
    y: ArrayLike | None = None,
    *,
    groups: ArrayLike | None = None,
    scoring: str | Callable[..., float] | Sequence[str] | Mapping[str, Any] | None = None,
    cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
    params: dict[str, Any] | None = None,
    return_train_score: bool = False,
    return_estimator: bool = False,
    return_indices: bool = False,
    error_score: Literal["raise"] | float = np.nan,
) -> dict[str, Any]:
    """Evaluate metrics by cross-validation, recording fit and score times.

    Parameters
    ----------
    estimator : object with fit and (unless ``scoring`` is given) score
    X : array-like, shape (n_samples, n_features)
    y : array-like or None
    groups : ignored unless the splitter uses it (passed through to ``cv.split``)
    scoring : None, str, callable, list or dict
        See :func:`resolve_scoring`; names follow scikit-learn ("accuracy", "f1_macro",
        "neg_mean_squared_error", ...; greater is better).
    cv : None, int, splitter or iterable of (train, test) pairs
        See :func:`check_cv` (default: 5 folds, stratified for classifiers).
    params : dict or None
        Extra arguments for ``fit``; arrays with one entry per sample are split with the rows.
    return_train_score, return_estimator, return_indices : bool
    error_score : 'raise' or float, default NaN
        Score recorded for a fit that raised (with a ``FitFailedWarning``); ``'raise'`` re-raises.

    Returns
    -------
    dict of arrays
        ``fit_time``, ``score_time``, ``test_score`` (or ``test_<name>`` for several metrics),
        ``train_...`` when asked, ``estimator`` (list), ``indices`` (``{"train", "test"}``).

    Notes
    -----
    With folds :math:`F_1, \\dots, F_K`, the estimate of a metric :math:`m` is the mean of
    :math:`m(\\hat f_{-k}, F_k)` where :math:`\\hat f_{-k}` was fitted without :math:`F_k`; its
    spread over folds says how much the estimate depends on the particular split.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.arange(20.0).reshape(10, 2); y = X @ [1.0, 2.0]
    >>> res = cross_validate(LinearRegression(), X, y, cv=5)
    >>> np.round(res["test_score"], 6).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    n = _check_lengths(X, check_target(y))
    if n == 0:
        raise ValueError("cannot cross-validate on 0 samples")
    _check_error_score(error_score)
    scorers, multi = resolve_scoring(scoring)
    splitter = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(splitter.split(X, y, groups))
    results = run_folds(
        estimator,
        X,
        y,
        splits,
        scorers,
        sorted((params or {}).items()),
        return_train_score,
        error_score,
    )
    out = {
        "fit_time": np.array([r["fit_time"] for r in results]),
        "score_time": np.array([r["score_time"] for r in results]),
    }
    for name in scorers:
        key = "score" if not multi else name
        out[f"test_{key}"] = np.array([r["test"][name] for r in results])
        if return_train_score:
            out[f"train_{key}"] = np.array([r["train"][name] for r in results])
    if return_estimator:
        out["estimator"] = [r["estimator"] for r in results]
    if return_indices:
        out["indices"] = {"train": [tr for tr, _ in splits], "test": [te for _, te in splits]}
    return out


def cross_val_score(
    estimator: Estimator,
    X: ArrayLike,
    y: ArrayLike | None = None,
    *,
    groups: ArrayLike | None = None,
    scoring: str | Callable[..., float] | None = None,
    cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
    params: dict[str, Any] | None = None,
    error_score: Literal["raise"] | float = np.nan,
) -> FloatArray:
    """The test scores of :func:`cross_validate` for a single metric, one per fold.

    Parameters are those of :func:`cross_validate`; ``scoring`` must name one metric.

    Returns
    -------
    ndarray, shape (n_splits,)

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> y = np.array([0, 0, 0, 1] * 5); X = np.zeros((20, 1))
    >>> cross_val_score(DummyClassifier(), X, y, cv=5).tolist()
    [0.75, 0.75, 0.75, 0.75, 0.75]
    """
    if scoring is not None and not isinstance(scoring, str) and not callable(scoring):
        raise ValueError("cross_val_score takes a single metric; use cross_validate for several")
    res = cross_validate(
        estimator,
        X,
        y,
        groups=groups,
        scoring=scoring,
        cv=cv,
        params=params,
        error_score=error_score,
    )
    return res["test_score"]
