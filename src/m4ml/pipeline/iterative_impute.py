"""Multivariate imputation by chained equations: regress each feature on the others in turn."""

import numbers
import warnings
from collections import namedtuple
from typing import Any, ClassVar, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils._param_validation import HasMethods, Interval, MissingValues, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core import ConvergenceWarning, check_rng
from m4ml._core.hints import ArrayLike, Estimator, FloatArray, NDArray, Seed
from m4ml.pipeline._missing import is_nan_missing, missing_mask, validate_missing_input
from m4ml.pipeline.impute import MissingIndicator, SimpleImputer

__all__ = ["IterativeImputer"]

ImputerTriplet = namedtuple("ImputerTriplet", ["feat_idx", "neighbor_feat_idx", "estimator"])


def _generator(random_state):
    """check_rng, also accepting a legacy RandomState (seeding a Generator from it)."""
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    return check_rng(random_state)


class _EvidenceRidge(BaseEstimator):
    """The default regressor: Bayesian ridge from :mod:`m4ml.stats.bayes_linear`, default priors.

    A thin fit/predict adapter so that IterativeImputer can clone it; the math lives in
    :func:`~m4ml.stats.bayes_linear.bayesian_linear_regression`.
    """

    def fit(self, X, y):
        """Posterior mean of the weights and the intercept; return self."""
        from m4ml.stats.bayes_linear import bayesian_linear_regression

        fit = bayesian_linear_regression(X, y)
        self.coef_, self.intercept_, self.n_iter_ = fit.coef, fit.intercept, fit.n_iter
        return self

    def predict(self, X):
        """Posterior-mean prediction :math:`X m + b`."""
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_


class IterativeImputer(TransformerMixin, BaseEstimator):
    """Impute each feature from all the others with a regressor, in round-robin rounds.

    Parameters
    ----------
    estimator : regressor with fit/predict, default=None
        Cloned for every feature and round. None means Bayesian ridge regression by
        evidence maximization (:func:`m4ml.stats.bayes_linear.bayesian_linear_regression`,
        the same model and defaults as scikit-learn's ``BayesianRidge``).
    missing_values : float, int or None, default=np.nan
    max_iter : int, default=10
        Maximum number of rounds over the features.
    tol : float, default=1e-3
        Stop when the largest absolute row sum of the change between rounds is below
        ``tol * max |observed x|``.
    n_nearest_features : int or None, default=None
        Regress on only this many other features, drawn with probability proportional to
        their absolute correlation with the target feature (None: all other features).
    initial_strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
        The :class:`~m4ml.pipeline.impute.SimpleImputer` strategy for the starting values.
    fill_value : scalar, default=None
        For ``initial_strategy="constant"``.
    imputation_order : {"ascending", "descending", "roman", "arabic", "random"}, default="ascending"
        Fewest missing first, most missing first, left to right, right to left, or random
        (reshuffled every round).
    skip_complete : bool, default=False
        Do not fit regressors for features without missing values in fit.
    min_value, max_value : float or array-like (n_features,), default=-inf / inf
        Clip imputed values to this range.
    verbose : int, default=0
        Print progress (1: convergence, 2: every round).
    random_state : None, int, numpy.random.Generator or RandomState, default=None
        Used for ``imputation_order="random"`` and ``n_nearest_features``.
    add_indicator : bool, default=False
    keep_empty_features : bool, default=False
        Keep features entirely missing in fit (with their initial fill) instead of dropping.

    Attributes
    ----------
    initial_imputer_ : SimpleImputer
    imputation_sequence_ : list of ImputerTriplet(feat_idx, neighbor_feat_idx, estimator)
    n_iter_ : int
        Rounds run.
    n_features_with_missing_ : int
        Number of features in the imputation order (as scikit-learn counts it: all features
        unless ``skip_complete``). Not set when no round is run.
    indicator_ : MissingIndicator or None
    random_state_ : numpy.random.Generator
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        Bad parameters, ``min_value >= max_value``, limits of the wrong shape, infinite
        values, a wrong number of features at transform.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` rounds end before the stopping criterion is met.

    Notes
    -----
    Start from a simple imputation :math:`X^{(0)}`. In round :math:`t`, for each feature
    :math:`j` in the imputation order, fit :math:`f_j` on the rows where :math:`x_j` is
    observed, :math:`x_{ij} \\approx f_j(x_{i,-j}^{(t)})`, and replace the missing
    :math:`x_{ij}` by :math:`f_j(x_{i,-j}^{(t)})` (clipped), using the newest values of the
    other features (Gauss–Seidel order). Stop when
    :math:`\\lVert X^{(t)} - X^{(t-1)} \\rVert_\\infty < \\mathrm{tol}\\cdot\\max|x_{\\text{obs}}|`
    (matrix :math:`\\infty`-norm, the largest absolute row sum). ``transform`` replays the
    fitted sequence of regressors on new data. This is the conditional-mean version of
    MICE; draws from the posterior predictive (``sample_posterior``) are not implemented.
    With ``imputation_order="random"`` or ``n_nearest_features`` the draws come from a NumPy
    Generator, so they differ from scikit-learn's for the same seed.

    References
    ----------
    S. van Buuren, K. Groothuis-Oudshoorn, "mice: Multivariate Imputation by Chained
    Equations in R", Journal of Statistical Software 45(3), 2011.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, np.nan], [np.nan, 10.0]])
    >>> imp = IterativeImputer(max_iter=20).fit(X)
    >>> imp.transform(X).round(2).tolist()
    [[1.0, 2.0], [2.0, 4.0], [3.0, 6.0], [4.0, 7.99], [5.01, 10.0]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "estimator": [None, HasMethods(["fit", "predict"])],
        "missing_values": [MissingValues(numeric_only=True)],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "n_nearest_features": [None, Interval(numbers.Integral, 1, None, closed="left")],
        "initial_strategy": [StrOptions({"mean", "median", "most_frequent", "constant"})],
        "fill_value": "no_validation",
        "imputation_order": [StrOptions({"ascending", "descending", "roman", "arabic", "random"})],
        "skip_complete": ["boolean"],
        "min_value": [None, Interval(numbers.Real, None, None, closed="both"), "array-like"],
        "max_value": [None, Interval(numbers.Real, None, None, closed="both"), "array-like"],
        "verbose": ["verbose"],
        "random_state": ["random_state", np.random.Generator],
        "add_indicator": ["boolean"],
        "keep_empty_features": ["boolean"],
    }

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        missing_values: Any = np.nan,
        max_iter: int = 10,
        tol: float = 1e-3,
        n_nearest_features: int | None = None,
        initial_strategy: Literal["mean", "median", "most_frequent", "constant"] = "mean",
        fill_value: float | str | None = None,
        imputation_order: Literal[
            "ascending", "descending", "roman", "arabic", "random"
        ] = "ascending",
        skip_complete: bool = False,
        min_value: float | ArrayLike = -np.inf,
        max_value: float | ArrayLike = np.inf,
        verbose: int = 0,
        random_state: Seed = None,
        add_indicator: bool = False,
        keep_empty_features: bool = False,
    ):
        self.estimator = estimator
        self.missing_values = missing_values
        self.max_iter = max_iter
        self.tol = tol
        self.n_nearest_features = n_nearest_features
        self.initial_strategy = initial_strategy
        self.fill_value = fill_value
        self.imputation_order = imputation_order
        self.skip_complete = skip_complete
        self.min_value = min_value
        self.max_value = max_value
        self.verbose = verbose
        self.random_state = random_state
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    # --- pieces of the algorithm ----------------------------------------------------------

    def _initial(self, X, in_fit):
        """Validated X (NaN kept), its simple imputation, the working mask and the full mask."""
        X = validate_missing_input(self, X, reset=in_fit, dtype=np.float64)
        full_mask = missing_mask(X, self.missing_values)
        if in_fit:
            self.initial_imputer_ = SimpleImputer(
                missing_values=self.missing_values,
                strategy=self.initial_strategy,
                fill_value=self.fill_value,
                keep_empty_features=self.keep_empty_features,
            )
            filled = self.initial_imputer_.fit_transform(X)
            self._is_empty = full_mask.all(axis=0)
        else:
            filled = self.initial_imputer_.transform(X)
        filled = np.asarray(filled, dtype=np.float64)
        mask = full_mask.copy()
        if self.keep_empty_features:  # empty features keep their initial fill
            mask[:, self._is_empty] = False
            X = X.copy()
            X[:, self._is_empty] = filled[:, self._is_empty]
        else:
            X, mask = X[:, ~self._is_empty], mask[:, ~self._is_empty]
        return X, filled, mask, full_mask

    def _limit(self, value, name, n_features):
        default = -np.inf if name == "min_value" else np.inf
        limit = np.asarray(default if value is None else value, dtype=np.float64)
        if limit.ndim == 0:
            limit = np.full(n_features, float(limit))
        elif limit.shape != (n_features,):
            raise ValueError(
                f"'{name}' should be of shape ({n_features},) when an array-like is provided. "
                f"Got {limit.shape}, instead."
            )
        return limit if self.keep_empty_features else limit[~self._is_empty]

    def _order(self, mask):
        frac = mask.mean(axis=0)
        idx = np.flatnonzero(frac) if self.skip_complete else np.arange(frac.size)
        order = self.imputation_order
        if order == "roman":
            return idx
        if order == "arabic":
            return idx[::-1]
        if order in ("ascending", "descending"):
            ranked = np.argsort(frac, kind="mergesort")[frac.size - idx.size :]
            return ranked if order == "ascending" else ranked[::-1]
        return self.random_state_.permutation(idx)

    def _neighbor_probabilities(self, X_filled, tolerance=1e-6):
        """Column-normalized absolute correlations (zero diagonal), or None if unused."""
        n_features = X_filled.shape[1]
        if self.n_nearest_features is None or self.n_nearest_features >= n_features:
            return None
        Z = X_filled - X_filled.mean(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            Z /= np.sqrt((Z * Z).sum(axis=0))
            corr = np.abs(Z.T @ Z)
        corr[np.isnan(corr)] = tolerance
        np.clip(corr, tolerance, None, out=corr)
        np.fill_diagonal(corr, 0.0)
        return corr / corr.sum(axis=0)

    def _neighbors(self, n_features, j, prob):
        if prob is None:
            return np.delete(np.arange(n_features), j)
        return self.random_state_.choice(
            n_features, self.n_nearest_features, replace=False, p=prob[:, j]
        )

    def _impute_one(self, Xt, mask, j, neighbors, estimator=None):
        """Fit (if no estimator is given) and apply the regressor of feature j, in place."""
        rows = mask[:, j]
        if estimator is None:
            estimator = clone(self._estimator)
            estimator.fit(Xt[np.ix_(~rows, neighbors)], Xt[~rows, j])
        if rows.any():
            pred = np.asarray(estimator.predict(Xt[np.ix_(rows, neighbors)]), dtype=np.float64)
            Xt[rows, j] = np.clip(pred.ravel(), self._min_value[j], self._max_value[j])
        return estimator

    def _with_indicator(self, Xt, full_mask):
        if self.add_indicator:
            return np.hstack((Xt, self.indicator_._transform_mask(full_mask)))
        return Xt

    # --- public API -----------------------------------------------------------------------

    def fit_transform(self, X: ArrayLike, y: ArrayLike | None = None) -> FloatArray:
        """Fit the chain of regressors and return the imputed training data."""
        self._validate_params()
        self.random_state_ = _generator(self.random_state)
        self._estimator = _EvidenceRidge() if self.estimator is None else self.estimator
        self.imputation_sequence_ = []
        X, Xt, mask, full_mask = self._initial(X, in_fit=True)
        self.indicator_ = None
        if self.add_indicator:
            self.indicator_ = MissingIndicator(
                missing_values=self.missing_values, error_on_new=False
            )._fit_mask(full_mask)
            self.indicator_.n_features_in_ = self.n_features_in_
        self.n_iter_ = 0
        if self.max_iter == 0 or mask.all() or Xt.shape[1] == 1:
            return self._with_indicator(Xt, full_mask)
        n_features = Xt.shape[1]
        self._min_value = self._limit(self.min_value, "min_value", self.n_features_in_)
        self._max_value = self._limit(self.max_value, "max_value", self.n_features_in_)
        if not np.all(self._max_value > self._min_value):
            raise ValueError("One (or more) features have min_value >= max_value.")
        order = self._order(mask)
        self.n_features_with_missing_ = len(order)
        prob = self._neighbor_probabilities(Xt)
        observed_max = np.abs(X[~mask]).max() if (~mask).any() else 0.0
        threshold = self.tol * observed_max
        previous = Xt.copy()
        for round_ in range(1, self.max_iter + 1):
            self.n_iter_ = round_
            if self.imputation_order == "random":
                order = self._order(mask)
            for j in order:
                neighbors = self._neighbors(n_features, j, prob)
                est = self._impute_one(Xt, mask, j, neighbors)
                self.imputation_sequence_.append(ImputerTriplet(j, neighbors, est))
            change = np.abs(Xt - previous).sum(axis=1).max()
            if self.verbose > 1:
                print(f"[IterativeImputer] round {self.n_iter_}/{self.max_iter}: change {change}")
            if change < threshold:
                if self.verbose > 0:
                    print("[IterativeImputer] Early stopping criterion reached.")
                break
            previous = Xt.copy()
        else:
            warnings.warn(
                f"[IterativeImputer] Early stopping criterion not reached after {self.max_iter} "
                "rounds; raise max_iter or tol.",
                ConvergenceWarning,
                stacklevel=2,
            )
        Xt[~mask] = X[~mask]
        return self._with_indicator(Xt, full_mask)

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Fit the chain of regressors on X; return self."""
        self.fit_transform(X)
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Impute X by replaying the fitted sequence of regressors."""
        check_is_fitted(self)
        X, Xt, mask, full_mask = self._initial(X, in_fit=False)
        if self.n_iter_ == 0 or mask.all():
            return self._with_indicator(Xt, full_mask)
        for triplet in self.imputation_sequence_:
            self._impute_one(
                Xt, mask, triplet.feat_idx, triplet.neighbor_feat_idx, triplet.estimator
            )
        Xt[~mask] = X[~mask]
        return self._with_indicator(Xt, full_mask)

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Names of the kept features, then the indicator names if ``add_indicator``."""
        check_is_fitted(self, "n_features_in_")
        names = _check_feature_names_in(self, input_features)
        out = names if self.keep_empty_features else names[~self._is_empty]
        if self.add_indicator:
            out = np.concatenate([out, self.indicator_.get_feature_names_out(names)])
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = is_nan_missing(self.missing_values)
        return tags
