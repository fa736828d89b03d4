"""Hyperparameter search with cross-validation: exhaustive grids and random sampling.

Each candidate setting is scored by :func:`m4ml.pipeline.crossval.cross_validate`'s machinery
on the same folds; the best mean test score wins and (with ``refit``) the estimator is refitted
on all the data with it.
"""

import itertools
import numbers
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.utils.validation import check_is_fitted

from m4ml._core import check_rng
from m4ml._core.hints import ArrayLike, Estimator, FloatArray, NDArray, Seed, Splitter
from m4ml.pipeline._rows import _check_lengths, check_target
from m4ml.pipeline.crossval import _check_error_score, check_cv, resolve_scoring, run_folds


def _check_grid(grid):
    grids = [grid] if isinstance(grid, Mapping) else grid
    if not isinstance(grids, Sequence) or not grids:
        raise TypeError("param_grid must be a dict or a non-empty list of dicts")
    for g in grids:
        if not isinstance(g, Mapping):
            raise TypeError(f"param_grid entries must be dicts, got {type(g).__name__}")
        for name, values in g.items():
            if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
                raise TypeError(
                    f"param_grid[{name!r}] must be a list of candidate values, got {values!r}"
                )
            if len(values) == 0:
                raise ValueError(f"param_grid[{name!r}] is empty")
    return grids


def parameter_grid(
    param_grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Sequence[Any]]],
) -> list[dict[str, Any]]:
    """Every combination of a grid, in scikit-learn's order (keys sorted, last varies fastest).

    Parameters
    ----------
    param_grid : dict of lists, or list of such dicts

    Returns
    -------
    list of dict

    Examples
    --------
    >>> parameter_grid({"b": [1, 2], "a": ["x"]})
    [{'a': 'x', 'b': 1}, {'a': 'x', 'b': 2}]
    """
    out = []
    for g in _check_grid(param_grid):
        keys = sorted(g)
        out += [dict(zip(keys, combo)) for combo in itertools.product(*(g[k] for k in keys))]
    return out


def _draw(dist, rng):
    """One draw from a list (uniform choice) or an object with ``rvs``."""
    if hasattr(dist, "rvs"):
        try:
            return dist.rvs(random_state=rng)
        except TypeError:
            return dist.rvs(rng=rng)
    return dist[rng.integers(len(dist))]


def parameter_sample(
    param_distributions: Mapping[str, Any] | Sequence[Mapping[str, Any]], n_iter: int, rng: Seed
) -> list[dict[str, Any]]:
    """``n_iter`` settings drawn at random.

    When every entry is a list, the settings are drawn from the full grid without replacement
    (at most its size); otherwise each draw picks a dict (if a list of dicts was given) and then
    each parameter independently: uniformly from a list, or by ``rvs`` from a distribution.
    """
    dists = (
        [param_distributions]
        if isinstance(param_distributions, Mapping)
        else list(param_distributions)
    )
    if not dists or not all(isinstance(d, Mapping) for d in dists):
        raise TypeError("param_distributions must be a dict or a non-empty list of dicts")
    for d in dists:
        for name, v in d.items():
            listlike = isinstance(v, Sequence | np.ndarray) and not isinstance(v, str | bytes)
            if not hasattr(v, "rvs") and not (listlike and len(v)):
                raise TypeError(
                    f"param_distributions[{name!r}] must be a non-empty list or have an rvs "
                    f"method, got {v!r}"
                )
    rng = check_rng(rng)
    if all(not hasattr(v, "rvs") for d in dists for v in d.values()):
        grid = parameter_grid(dists)
        picks = rng.choice(len(grid), size=min(n_iter, len(grid)), replace=False)
        return [grid[i] for i in picks]
    out = []
    for _ in range(n_iter):
        d = dists[rng.integers(len(dists))]
        out.append({k: _draw(d[k], rng) for k in sorted(d)})
    return out


def _rank(scores):
    """Rank 1 = best; equal scores share the lowest rank; NaN ranks last."""
    filled = np.where(np.isnan(scores), -np.inf, scores)
    order = np.sort(filled)[::-1]
    return (np.searchsorted(-order, -filled, side="left") + 1).astype(np.int32)


class _BaseSearch(MetaEstimatorMixin, BaseEstimator):
    """Shared fit/predict logic of the two searches."""

    def _candidates(self):
        raise NotImplementedError

    def fit(self, X: ArrayLike, y: ArrayLike | None = None, **params: Any) -> Self:
        """Cross-validate every candidate, record ``cv_results_``, refit the best."""
        _check_lengths(X, check_target(y))
        _check_error_score(self.error_score)
        scorers, multi = resolve_scoring(self.scoring)
        refit_name = self._refit_metric(scorers, multi)
        splits = list(check_cv(self.cv, y, classifier=is_classifier(self.estimator)).split(X, y))
        candidates = self._candidates()
        results = {k: [] for k in ("fit_time", "score_time", "test", "train")}
        for cand in candidates:
            est = clone(self.estimator).set_params(**cand)
            folds = run_folds(
                est,
                X,
                y,
                splits,
                scorers,
                sorted(params.items()),
                self.return_train_score,
                self.error_score,
            )
            results["fit_time"].append([f["fit_time"] for f in folds])
            results["score_time"].append([f["score_time"] for f in folds])
            results["test"].append([f["test"] for f in folds])
            if self.return_train_score:
                results["train"].append([f["train"] for f in folds])
        self.cv_results_ = self._format_results(candidates, results, scorers, multi, len(splits))
        self.n_splits_ = len(splits)
        self.multimetric_ = multi
        self.scorer_ = scorers if multi else scorers["score"]
        if refit_name is not None:
            key = "score" if not multi else refit_name
            self.best_index_ = int(np.argmin(self.cv_results_[f"rank_test_{key}"]))
            self.best_score_ = float(self.cv_results_[f"mean_test_{key}"][self.best_index_])
            self.best_params_ = candidates[self.best_index_]
        if self.refit:
            t0 = time.perf_counter()
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            fit = self.best_estimator_.fit
            fit(X, y, **params) if y is not None else fit(X, **params)
            self.refit_time_ = time.perf_counter() - t0
            for attr in ("classes_", "n_features_in_", "feature_names_in_"):
                if hasattr(self.best_estimator_, attr):
                    setattr(self, attr, getattr(self.best_estimator_, attr))
        return self

    def _refit_metric(self, scorers, multi):
        if not isinstance(self.refit, bool | str):
            raise TypeError(f"refit must be True, False or a metric name, got {self.refit!r}")
        if not multi:
            return "score"  # one metric: the best candidate is always reported
        if self.refit is False:
            return None
        if not isinstance(self.refit, str) or self.refit not in scorers:
            raise ValueError(
                "with several metrics, refit must be False or the name of the metric to pick "
                f"the best candidate by (one of {sorted(scorers)}), got {self.refit!r}"
            )
        return self.refit

    @staticmethod
    def _format_results(candidates, results, scorers, multi, n_splits):
        out = {}
        for kind in ("fit_time", "score_time"):
            arr = np.array(results[kind])
            out[f"mean_{kind}"], out[f"std_{kind}"] = arr.mean(axis=1), arr.std(axis=1)
        names = sorted({k for c in candidates for k in c})
        for name in names:
            values = [c.get(name) for c in candidates]
            mask = [name not in c for c in candidates]
            out[f"param_{name}"] = np.ma.MaskedArray(np.array(values, dtype=object), mask=mask)
        out["params"] = candidates
        for split_kind in ("test", "train"):
            if not results[split_kind]:
                continue
            for metric in scorers:
                key = "score" if not multi else metric
                scores = np.array([[fold[metric] for fold in c] for c in results[split_kind]])
                for i in range(n_splits):
                    out[f"split{i}_{split_kind}_{key}"] = scores[:, i]
                out[f"mean_{split_kind}_{key}"] = scores.mean(axis=1)
                out[f"std_{split_kind}_{key}"] = scores.std(axis=1)
                if split_kind == "test":
                    out[f"rank_test_{key}"] = _rank(out[f"mean_test_{key}"])
        return out

    def _fitted(self, method):
        check_is_fitted(self, "cv_results_")
        if not self.refit:
            raise AttributeError(f"{method} is available only with refit=True")
        return self.best_estimator_

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Predict with the refitted best estimator."""
        return self._fitted("predict").predict(X)

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Class probabilities from the refitted best estimator."""
        return self._fitted("predict_proba").predict_proba(X)

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Decision function of the refitted best estimator."""
        return self._fitted("decision_function").decision_function(X)

    def transform(self, X: ArrayLike) -> Any:
        """Transform with the refitted best estimator."""
        return self._fitted("transform").transform(X)

    def score(self, X: ArrayLike, y: ArrayLike | None = None) -> float:
        """Score of the refitted best estimator with the search's (refit) metric."""
        est = self._fitted("score")
        scorer = self.scorer_[self.refit] if self.multimetric_ else self.scorer_
        return float(scorer(est, X, y))


class GridSearchCV(_BaseSearch):
    """Exhaustive search over a grid of hyperparameters, scored by cross-validation.

    Parameters
    ----------
    estimator : estimator with ``set_params``
    param_grid : dict of lists or list of such dicts
    scoring : None, str, callable, list or dict
        As in :func:`m4ml.pipeline.crossval.cross_validate`.
    refit : bool or str, default True
        Refit the best candidate on all the data (with several metrics: the metric's name).
    cv : None, int, splitter or iterable of (train, test) pairs
    error_score : 'raise' or float, default NaN
    return_train_score : bool, default False

    Attributes
    ----------
    cv_results_ : dict of arrays
        ``mean_test_score``, ``std_test_score``, ``rank_test_score``, ``split<i>_test_score``,
        ``params``, ``param_<name>`` (masked arrays), fit/score times, and train scores if asked.
    best_index_, best_score_, best_params_, best_estimator_, refit_time_, n_splits_, scorer_

    Notes
    -----
    Every candidate sees the same folds, so differences in mean score are paired comparisons.
    The best candidate maximizes the mean test score (ties: the first in grid order). Its
    cross-validated score is optimistically biased as an estimate of generalization, because it
    was selected on those same folds; report a held-out test score (or nested CV) as well.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((40, 3)); y = X @ [1.0, -2.0, 0.5]
    >>> search = GridSearchCV(Ridge(), {"alpha": [100.0, 1.0, 1e-3]}, cv=4).fit(X, y)
    >>> search.best_params_
    {'alpha': 0.001}
    >>> search.cv_results_["rank_test_score"].tolist()
    [3, 2, 1]
    """

    def __init__(
        self,
        estimator: Estimator,
        param_grid: Mapping[str, Sequence[Any]] | Sequence[Mapping[str, Sequence[Any]]],
        *,
        scoring: str | Callable[..., float] | Sequence[str] | Mapping[str, Any] | None = None,
        refit: bool | str = True,
        cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
        error_score: Literal["raise"] | float = np.nan,
        return_train_score: bool = False,
    ):
        self.estimator = estimator
        self.param_grid = param_grid
        self.scoring = scoring
        self.refit = refit
        self.cv = cv
        self.error_score = error_score
        self.return_train_score = return_train_score

    def _candidates(self):
        return parameter_grid(self.param_grid)


class RandomizedSearchCV(_BaseSearch):
    """Search over hyperparameters drawn at random, scored by cross-validation.

    Parameters
    ----------
    estimator : estimator with ``set_params``
    param_distributions : dict or list of dicts
        Each value is a list (drawn uniformly) or a distribution object with an ``rvs`` method
        (an m4ml.probability distribution, or a scipy.stats frozen distribution).
    n_iter : int, default 10
        Number of settings drawn (when all values are lists: at most the grid's size, drawn
        without replacement).
    scoring, refit, cv, error_score, return_train_score
        As in :class:`GridSearchCV`.
    random_state : None, int or numpy.random.Generator

    Notes
    -----
    With :math:`p` of the grid's points better than the rest, one random draw misses all of them
    with probability :math:`1 - p`, so :math:`n` draws find one with probability
    :math:`1 - (1 - p)^n` -- 60 draws reach a top-5 % setting with probability 95 %, whatever
    the number of hyperparameters.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> X = np.random.default_rng(0).standard_normal((30, 2)); y = X @ [1.0, 1.0]
    >>> s = RandomizedSearchCV(Ridge(), {"alpha": [1e-3, 1e-2, 10.0]}, n_iter=2, cv=3,
    ...                        random_state=0).fit(X, y)
    >>> len(s.cv_results_["params"])
    2
    """

    def __init__(
        self,
        estimator: Estimator,
        param_distributions: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        n_iter: int = 10,
        scoring: str | Callable[..., float] | Sequence[str] | Mapping[str, Any] | None = None,
        refit: bool | str = True,
        cv: int | Splitter | Iterable[tuple[ArrayLike, ArrayLike]] | None = None,
        random_state: Seed = None,
        error_score: Literal["raise"] | float = np.nan,
        return_train_score: bool = False,
    ):
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.scoring = scoring
        self.refit = refit
        self.cv = cv
        self.random_state = random_state
        self.error_score = error_score
        self.return_train_score = return_train_score

    def _candidates(self):
        if isinstance(self.n_iter, bool) or not isinstance(self.n_iter, numbers.Integral):
            raise TypeError(f"n_iter must be an integer, got {self.n_iter!r}")
        if self.n_iter < 1:
            raise ValueError(f"n_iter must be at least 1, got {self.n_iter}")
        return parameter_sample(self.param_distributions, self.n_iter, self.random_state)
