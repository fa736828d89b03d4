"""The tabular pipeline the report and ``m4ml fit`` run: impute, encode, scale, then a model.

scikit-learn's ``Pipeline``/``ColumnTransformer`` are not used in library code (they are
composition, kept out of m4ml's sources by the layering rule), so this small estimator composes
m4ml's own steps on a pandas DataFrame:

* numeric columns: ``SimpleImputer(strategy="median")`` then ``StandardScaler``;
* categorical columns: ``SimpleImputer(strategy="most_frequent")``, then :class:`CategoryCap`
  (at most ``max_categories`` levels per column, each seen at least ``min_frequency`` times; the
  rest become one ``"(other)"`` level, so an ID-like column cannot explode memory), then
  ``OneHotEncoder(handle_unknown="ignore")``.
"""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

__all__ = ["OTHER", "CategoryCap", "TabularClassifier", "TabularRegressor"]

OTHER = "(other)"


class CategoryCap(TransformerMixin, BaseEstimator):
    """Keep the most frequent levels of each column; map the rest to ``"(other)"``.

    Parameters
    ----------
    max_categories : int, default 20
        At most this many levels kept per column (the most frequent; ties by first seen).
    min_frequency : int, default 5
        A level seen fewer times than this in the training data is not kept.

    Notes
    -----
    Levels are compared as strings; a level not seen at fit time maps to ``"(other)"`` too.
    """

    def __init__(self, max_categories=20, min_frequency=5):
        self.max_categories = max_categories
        self.min_frequency = min_frequency

    def fit(self, X, y=None):
        """Learn the kept levels of each column of ``X`` (2-D, no missing values)."""
        X = np.asarray(X, dtype=object)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D, got shape {X.shape}")
        self.levels_ = []
        for j in range(X.shape[1]):
            values, counts = np.unique(X[:, j].astype(str), return_counts=True)
            order = np.lexsort((values, -counts))
            kept = [v for v, c in zip(values[order], counts[order]) if c >= self.min_frequency]
            self.levels_.append(sorted(kept[: self.max_categories]))
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Replace the levels not kept by ``"(other)"``; returns an object array of str."""
        check_is_fitted(self, "levels_")
        X = np.asarray(X, dtype=object).astype(str)
        out = np.empty(X.shape, dtype=object)  # object, so "(other)" is never truncated
        for j, kept in enumerate(self.levels_):
            out[:, j] = np.where(np.isin(X[:, j], kept), X[:, j], OTHER).astype(object)
        return out


class _Tabular(BaseEstimator):
    def __init__(self, estimator, numeric=(), categorical=(), max_categories=20, min_frequency=5):
        self.estimator = estimator
        self.numeric = numeric
        self.categorical = categorical
        self.max_categories = max_categories
        self.min_frequency = min_frequency

    def _fit_steps(self, X):
        from m4ml.pipeline import OneHotEncoder, SimpleImputer, StandardScaler

        self.numeric_steps_ = self.categorical_steps_ = None
        names = []
        if self.numeric:
            self.numeric_steps_ = [SimpleImputer(strategy="median"), StandardScaler()]
            Z = X[list(self.numeric)].to_numpy(dtype=float)
            for step in self.numeric_steps_:
                Z = step.fit_transform(Z)
            names += list(self.numeric)
        if self.categorical:
            self.categorical_steps_ = [
                SimpleImputer(strategy="most_frequent"),
                CategoryCap(self.max_categories, self.min_frequency),
                OneHotEncoder(handle_unknown="ignore"),
            ]
            Z = self._categorical_frame(X)
            for step in self.categorical_steps_:
                Z = step.fit_transform(Z)
            encoder = self.categorical_steps_[-1]
            names += [
                f"{col}={level}"
                for col, levels in zip(self.categorical, encoder.categories_)
                for level in levels
            ]
        self.feature_names_out_ = np.array(names, dtype=object)

    def _categorical_frame(self, X):
        frame = X[list(self.categorical)].astype(object)
        return frame.where(frame.notna(), np.nan).to_numpy(dtype=object)

    def transform(self, X):
        """The model matrix: scaled numeric columns, then the one-hot categorical ones."""
        check_is_fitted(self, "feature_names_out_")
        blocks = []
        if self.numeric_steps_:
            Z = X[list(self.numeric)].to_numpy(dtype=float)
            for step in self.numeric_steps_:
                Z = step.transform(Z)
            blocks.append(Z)
        if self.categorical_steps_:
            Z = self._categorical_frame(X)
            for step in self.categorical_steps_:
                Z = step.transform(Z)
            blocks.append(np.asarray(Z, dtype=float))
        return np.hstack(blocks) if blocks else np.empty((len(X), 0))

    def fit(self, X, y):
        """Fit the data steps on ``X`` (a DataFrame), then the estimator on their output."""
        self._fit_steps(X)
        self.feature_names_in_ = np.array(list(X.columns), dtype=object)
        self.n_features_in_ = len(X.columns)
        self.estimator_ = clone(self.estimator).fit(self.transform(X), y)
        return self

    def predict(self, X):
        """Predictions of the fitted estimator on the transformed ``X``."""
        return self.estimator_.predict(self.transform(X))

    @property
    def final_estimator(self):
        """The fitted model after the data steps."""
        return self.estimator_


class TabularClassifier(_Tabular):
    """Data steps + a classifier; ``classes_``, ``predict_proba`` and accuracy as ``score``."""

    _estimator_type = "classifier"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        from sklearn.utils import ClassifierTags

        tags.classifier_tags = ClassifierTags()
        return tags

    def fit(self, X, y):
        """Fit; record ``classes_``."""
        super().fit(X, y)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        """Class probabilities, columns in ``classes_`` order."""
        return self.estimator_.predict_proba(self.transform(X))

    def score(self, X, y):
        """Accuracy (m4ml.pipeline.metrics)."""
        from m4ml.pipeline.metrics import accuracy_score

        return accuracy_score(y, self.predict(X))


class TabularRegressor(_Tabular):
    """Data steps + a regressor; R² as ``score``."""

    _estimator_type = "regressor"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        from sklearn.utils import RegressorTags

        tags.regressor_tags = RegressorTags()
        return tags

    def score(self, X, y):
        """R² (m4ml.pipeline.metrics)."""
        from m4ml.pipeline.metrics import r2_score

        return r2_score(y, self.predict(X))
