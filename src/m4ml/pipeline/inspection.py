"""Interpretability: which features a fitted model relies on, and how its output moves with them.

* :func:`permutation_importance` -- the drop in score when one feature's values are shuffled.
* :func:`partial_dependence` -- the model's average (and per-sample) response as one or two
  features sweep a grid, the others held at their observed values.
* :func:`coefficients_table` -- a linear model's coefficients, raw and per standard deviation.

All three see the model only through ``predict``/``predict_proba``/``decision_function``/
``coef_``, so they work for any estimator that follows scikit-learn's protocol.
"""

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.validation import check_is_fitted

from m4ml._core import check_rng
from m4ml._core.hints import ArrayLike, Estimator, Seed
from m4ml.pipeline._feature_columns import _column_setter, _feature_index, _get_col, _grid_axis
from m4ml.pipeline._rows import _check_lengths, check_target
from m4ml.pipeline.crossval import resolve_scoring


class Result(dict):
    """A dict whose keys are also attributes: ``r.average`` is ``r["average"]``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __dir__(self):
        return list(self.keys())


def permutation_importance(
    estimator: Estimator,
    X: ArrayLike,
    y: ArrayLike,
    *,
    scoring: str | Callable[..., float] | Sequence[str] | Mapping[str, Any] | None = None,
    n_repeats: int = 5,
    random_state: Seed = None,
    max_samples: int | float = 1.0,
) -> Result | dict[str, Result]:
    """Importance of each feature: how much the score drops when that feature is shuffled.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like or DataFrame, shape (n_samples, n_features)
        Data to score on -- preferably held out, so the importances speak of generalization.
    y : array-like
    scoring : None, str, callable, list or dict
        As in :func:`m4ml.pipeline.crossval.cross_validate`; None uses ``estimator.score``.
    n_repeats : int, default 5
        Shuffles per feature.
    random_state : None, int or numpy.random.Generator
    max_samples : int or float, default 1.0
        Rows drawn (without replacement) for each repeat: a count or a fraction of n_samples.

    Returns
    -------
    Result
        ``importances`` (n_features, n_repeats), ``importances_mean``, ``importances_std``; with
        several metrics, a dict of such results keyed by metric name.

    Notes
    -----
    With baseline score :math:`s` and score :math:`s_{j,r}` after the :math:`r`-th shuffle of
    column :math:`j`, the importance is :math:`s - s_{j,r}`. Shuffling breaks the feature's link
    to the target *and* to the other features, so the model is probed on feature combinations
    that may never occur; with correlated features each can look unimportant while the group
    matters. It measures what this model uses, not what causes the target.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((500, 2)); y = 3.0 * X[:, 0]
    >>> r = permutation_importance(LinearRegression().fit(X, y), X, y, random_state=0)
    >>> bool(r.importances_mean[0] > 1.5), float(abs(r.importances_mean[1])) < 1e-12
    (True, True)
    """
    check_is_fitted(estimator)
    n = _check_lengths(X, check_target(y))
    if n == 0:
        raise ValueError("permutation_importance needs at least one sample")
    if isinstance(n_repeats, bool) or not isinstance(n_repeats, numbers.Integral) or n_repeats < 1:
        raise ValueError(f"n_repeats must be a positive integer, got {n_repeats!r}")
    if isinstance(max_samples, numbers.Integral) and not isinstance(max_samples, bool):
        if not 1 <= max_samples <= n:
            raise ValueError(f"max_samples={max_samples} must be in [1, n_samples={n}]")
        n_draw = int(max_samples)
    elif isinstance(max_samples, numbers.Real) and 0.0 < max_samples <= 1.0:
        n_draw = max(int(max_samples * n), 1)
    else:
        raise ValueError(
            f"max_samples must be an int in [1, n] or a float in (0, 1], got {max_samples!r}"
        )
    scorers, multi = resolve_scoring(scoring)
    rng = check_rng(random_state)
    y_arr = np.asarray(y)

    def scores(X_, y_):
        return np.array([sc(estimator, X_, y_) for sc in scorers.values()], dtype=float)

    baseline = scores(X, y_arr)
    n_features = X.shape[1]
    drops = np.empty((len(scorers), n_features, n_repeats))
    for r in range(n_repeats):
        rows = rng.choice(n, n_draw, replace=False) if n_draw < n else np.arange(n)
        X_sub = X.iloc[rows] if hasattr(X, "iloc") else np.asarray(X)[rows]
        y_sub = y_arr[rows]
        base_sub = baseline if n_draw == n else scores(X_sub, y_sub)
        Xc, set_col = _column_setter(X_sub)
        for j in range(n_features):
            original = _get_col(X_sub, j)
            set_col(j, original[rng.permutation(n_draw)])
            drops[:, j, r] = base_sub - scores(Xc, y_sub)
            set_col(j, original)
    results = {
        name: Result(
            importances=drops[i],
            importances_mean=drops[i].mean(axis=1),
            importances_std=drops[i].std(axis=1),
        )
        for i, name in enumerate(scorers)
    }
    return results if multi else results["score"]


def _responses(estimator, X, response_method):
    """(n_samples, n_outputs) model output used for the dependence curves."""
    if response_method == "auto":
        if is_classifier(estimator):
            response_method = (
                "predict_proba" if hasattr(estimator, "predict_proba") else "decision_function"
            )
        else:
            response_method = "predict"
    if response_method not in ("predict", "predict_proba", "decision_function"):
        raise ValueError(f"unknown response_method {response_method!r}")
    if response_method != "predict" and not is_classifier(estimator):
        raise ValueError(f"response_method={response_method!r} needs a classifier")
    if not hasattr(estimator, response_method):
        raise AttributeError(f"{type(estimator).__name__} has no {response_method} method")
    out = np.asarray(getattr(estimator, response_method)(X), dtype=float)
    if out.ndim == 1:
        return out[:, None]
    if response_method == "predict_proba" and out.shape[1] == 2:
        return out[:, 1:]  # binary: the positive class only
    return out


def partial_dependence(
    estimator: Estimator,
    X: ArrayLike,
    features: int | str | Sequence[int | str],
    *,
    categorical_features: Sequence[int | str] | None = None,
    response_method: Literal["auto", "predict", "predict_proba", "decision_function"] = "auto",
    percentiles: tuple[float, float] = (0.05, 0.95),
    grid_resolution: int = 100,
    kind: Literal["average", "individual", "both"] = "average",
) -> Result:
    """Partial dependence (and individual conditional expectation) of a model on features.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like or DataFrame, shape (n_samples, n_features)
        The data over which the other features are averaged.
    features : int, str, or a sequence of one or two of them
        The feature(s) to sweep (names need a DataFrame).
    categorical_features : sequence of int/str or None
        Features to sweep over their observed categories rather than a numeric grid.
    response_method : {"auto", "predict", "predict_proba", "decision_function"}
        "auto": ``predict_proba`` for classifiers (the positive class for binary problems),
        ``predict`` otherwise.
    percentiles : (float, float), default (0.05, 0.95)
        Range of the numeric grid, as quantiles of the feature.
    grid_resolution : int, default 100
        Grid points per feature (the observed unique values if there are fewer).
    kind : {"average", "individual", "both"}

    Returns
    -------
    Result
        ``grid_values`` (list of arrays, one per feature), and ``average`` with shape
        (n_outputs, len(grid_0)[, len(grid_1)]) and/or ``individual`` with shape
        (n_outputs, n_samples, len(grid_0)[, len(grid_1)]).

    Notes
    -----
    For a feature set :math:`S` with complement :math:`C`, the partial dependence at
    :math:`x_S` is :math:`\\bar f_S(x_S) = \\frac{1}{n}\\sum_i f(x_S, x_C^{(i)})`, computed here by
    brute force: every sample evaluated at every grid point. Each term, as a function of
    :math:`x_S`, is that sample's individual conditional expectation (ICE) curve; their average
    is the PD curve. Where features are correlated, the grid pairs values that never occur
    together, and the curve extrapolates.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.column_stack([np.arange(10.0), np.arange(10.0) % 3])
    >>> model = LinearRegression().fit(X, 2 * X[:, 0] + X[:, 1])
    >>> pd = partial_dependence(model, X, [1])
    >>> pd.grid_values[0].tolist(), np.round(pd.average, 6).tolist()
    ([0.0, 1.0, 2.0], [[9.0, 10.0, 11.0]])
    """
    check_is_fitted(estimator)
    if kind not in ("average", "individual", "both"):
        raise ValueError(f"kind must be 'average', 'individual' or 'both', got {kind!r}")
    if len(percentiles) != 2 or not 0 <= percentiles[0] < percentiles[1] <= 1:
        raise ValueError(
            f"percentiles must be (low, high) with 0 <= low < high <= 1, got {percentiles}"
        )
    if (
        isinstance(grid_resolution, bool)
        or not isinstance(grid_resolution, numbers.Integral)
        or grid_resolution < 2
    ):
        raise ValueError(f"grid_resolution must be an integer > 1, got {grid_resolution!r}")
    if not hasattr(X, "iloc"):
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("partial_dependence needs at least one sample")
    feats = [features] if isinstance(features, str | numbers.Integral) else list(features)
    if not 1 <= len(feats) <= 2:
        raise ValueError(f"features must name one or two features, got {features!r}")
    idx = [_feature_index(X, f) for f in feats]
    categorical = {_feature_index(X, f) for f in (categorical_features or ())}
    axes = [_grid_axis(_get_col(X, j), percentiles, grid_resolution, j in categorical) for j in idx]
    grid = np.array(np.meshgrid(*axes, indexing="ij")).reshape(len(idx), -1).T
    n = X.shape[0]
    Xc, set_col = _column_setter(X)
    curves = []
    for point in grid:
        for j, v in zip(idx, point):
            set_col(j, np.full(n, v, dtype=np.asarray(point).dtype))
        curves.append(_responses(estimator, Xc, response_method))
    individual = np.stack(curves, axis=-1)  # (n_samples, n_outputs, n_points)
    shape = tuple(a.size for a in axes)
    individual = individual.transpose(1, 0, 2).reshape(individual.shape[1], n, *shape)
    out = Result(grid_values=axes)
    if kind in ("average", "both"):
        out["average"] = individual.mean(axis=1)
    if kind in ("individual", "both"):
        out["individual"] = individual
    return out


def coefficients_table(
    estimator: Estimator,
    feature_names: Sequence[str] | None = None,
    *,
    X: ArrayLike | None = None,
    sort: bool = True,
) -> Any:
    """A fitted linear model's coefficients as a table, optionally per standard deviation.

    Parameters
    ----------
    estimator : fitted linear model with ``coef_`` (and optionally ``intercept_``)
    feature_names : sequence of str or None
        Defaults to ``estimator.feature_names_in_`` or ``x0, x1, ...``.
    X : array-like or None
        If given, adds ``std_coefficient`` = coefficient x standard deviation of the feature
        in ``X``: the change in output per one-standard-deviation change of the feature.
    sort : bool, default True
        Sort rows by decreasing magnitude (of the standardized coefficient if present).

    Returns
    -------
    pandas.DataFrame
        One row per (feature, output), columns ``feature``, ``output``, ``coefficient``
        [, ``std_coefficient``]; the intercept, if any, is a row named ``(intercept)``.

    Notes
    -----
    Raw coefficients are in the units of their features and cannot be compared with each
    other; :math:`\\beta_j \\sigma_j` can. Neither is a causal effect, and with correlated
    features the individual coefficients are unstable (their sum over the group is not).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.column_stack([np.arange(6.0), np.arange(6.0) ** 2])
    >>> t = coefficients_table(LinearRegression().fit(X, 1 + 2 * X[:, 0]), ["a", "b"])
    >>> t[["feature", "coefficient"]].round(6).values.tolist()
    [['a', 2.0], ['(intercept)', 1.0], ['b', 0.0]]
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a test dependency
        raise ImportError("coefficients_table needs pandas: pip install 'm4ml[pandas]'") from exc
    if not hasattr(estimator, "coef_"):
        raise TypeError(f"{type(estimator).__name__} has no coef_: is it a fitted linear model?")
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=float))
    n_features = coef.shape[1]
    if feature_names is None:
        names = getattr(estimator, "feature_names_in_", None)
        feature_names = list(names) if names is not None else [f"x{j}" for j in range(n_features)]
    feature_names = [str(f) for f in feature_names]
    if len(feature_names) != n_features:
        raise ValueError(f"{len(feature_names)} feature names for {n_features} coefficients")
    outputs = getattr(estimator, "classes_", None)
    if outputs is None or len(outputs) != coef.shape[0]:
        outputs = list(range(coef.shape[0]))
    rows = {
        "feature": np.tile(feature_names, coef.shape[0]),
        "output": np.repeat(np.asarray(outputs, dtype=object), n_features),
        "coefficient": coef.ravel(),
    }
    if X is not None:
        X_arr = np.asarray(X, dtype=float)
        if X_arr.ndim != 2 or X_arr.shape[1] != n_features:
            raise ValueError(f"X must have {n_features} columns, got shape {X_arr.shape}")
        rows["std_coefficient"] = (coef * X_arr.std(axis=0)).ravel()
    table = pd.DataFrame(rows)
    intercept = np.atleast_1d(getattr(estimator, "intercept_", np.zeros(0)))
    if intercept.size:
        extra = {
            "feature": "(intercept)",
            "output": list(outputs)[: intercept.size],
            "coefficient": intercept.astype(float),
        }
        if X is not None:
            extra["std_coefficient"] = np.full(intercept.size, np.nan)
        table = pd.concat([table, pd.DataFrame(extra)], ignore_index=True)
    if sort:
        key = "std_coefficient" if X is not None else "coefficient"
        table = table.sort_values(
            key, key=np.abs, ascending=False, na_position="last", kind="stable"
        ).reset_index(drop=True)
    if coef.shape[0] == 1:
        table = table.drop(columns="output")
    return table
