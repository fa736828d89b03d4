"""Univariate imputation (SimpleImputer) and missing-value indicators (MissingIndicator).

An entry is missing when it equals ``missing_values``; with the default NaN that means NaN,
``None`` and ``pandas.NA`` alike (:func:`m4ml.pipeline._missing.missing_mask`).
"""

import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any, ClassVar, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import MissingValues, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.scaling import power_of_two_scale
from m4ml._core.sklearn_compat import check_array
from m4ml.pipeline._column_stats import nan_median
from m4ml.pipeline._missing import is_nan_missing, missing_mask, validate_missing_input

__all__ = ["MissingIndicator", "SimpleImputer"]


class MissingIndicator(TransformerMixin, BaseEstimator):
    """Binary indicators of which entries are missing.

    Parameters
    ----------
    missing_values : float, int, str, None or pandas.NA, default=np.nan
        The placeholder for missing entries (NaN also matches None and pandas.NA).
    features : {"missing-only", "all"}, default="missing-only"
        Indicate only the features that had missing values during ``fit``, or every feature.
    error_on_new : bool, default=True
        With ``features="missing-only"``, raise if ``transform`` sees missing values in a
        feature that had none during ``fit``.

    Attributes
    ----------
    features_ : ndarray of int
        Indices of the indicated features.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        For new missing features (see ``error_on_new``), a wrong number of features, or NaN
        in the data when NaN is not the missing marker.

    Notes
    -----
    Output entry :math:`m_{ij} = [x_{ij} \\text{ is missing}]` for the indicated features
    :math:`j`. Appended to imputed data, these columns let a model learn from the fact that a
    value was missing, which matters when data are not missing completely at random.
    Output is a dense boolean array (sparse output is not supported).

    References
    ----------
    R. J. A. Little, D. B. Rubin, *Statistical Analysis with Missing Data*, 3rd ed., Wiley
    2019, chapter 1 (missingness mechanisms).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, np.nan], [7.0, 8.0, 9.0]])
    >>> ind = MissingIndicator().fit(X)
    >>> ind.features_.tolist()
    [1, 2]
    >>> ind.transform(X).tolist()
    [[True, False], [False, True], [False, False]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "missing_values": [MissingValues()],
        "features": [StrOptions({"missing-only", "all"})],
        "error_on_new": ["boolean"],
    }

    def __init__(
        self,
        *,
        missing_values: Any = np.nan,
        features: Literal["missing-only", "all"] = "missing-only",
        error_on_new: bool = True,
    ):
        self.missing_values = missing_values
        self.features = features
        self.error_on_new = error_on_new

    def _fit_mask(self, mask):
        if self.features == "missing-only":
            self.features_ = np.flatnonzero(mask.any(axis=0))
        else:
            self.features_ = np.arange(mask.shape[1])
        return self

    def _transform_mask(self, mask):
        if self.features == "missing-only" and self.error_on_new:
            new = np.setdiff1d(np.flatnonzero(mask.any(axis=0)), self.features_)
            if new.size:
                raise ValueError(
                    f"The features {new.tolist()} have missing values in transform but have "
                    "no missing values in fit."
                )
        return mask[:, self.features_]

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Find the features to indicate; return self."""
        self._validate_params()
        X = validate_missing_input(self, X, reset=True)
        return self._fit_mask(missing_mask(X, self.missing_values))

    def transform(self, X: ArrayLike) -> NDArray[np.bool_]:
        """Boolean array ``(n_samples, len(features_))``, True where an entry is missing."""
        check_is_fitted(self)
        X = validate_missing_input(self, X, reset=False)
        return self._transform_mask(missing_mask(X, self.missing_values))

    def fit_transform(self, X: ArrayLike, y: ArrayLike | None = None) -> NDArray[np.bool_]:
        """Fit and transform in one pass over the mask."""
        self._validate_params()
        X = validate_missing_input(self, X, reset=True)
        mask = missing_mask(X, self.missing_values)
        return self._fit_mask(mask)._transform_mask(mask)

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """``"missingindicator_<name>"`` for each indicated feature."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return np.asarray([f"missingindicator_{n}" for n in names[self.features_]], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = is_nan_missing(self.missing_values)
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags


def _most_frequent(values):
    """Most frequent entry of a 1-D array; ties go to the smallest value."""
    if values.dtype.kind != "O":
        uniq, counts = np.unique(values, return_counts=True)
        return uniq[np.argmax(counts)]  # np.unique sorts, argmax takes the first (smallest)
    counts = Counter(values.tolist())
    top = max(counts.values())
    tied = [v for v, c in counts.items() if c == top]
    try:
        return min(tied)
    except TypeError:  # incomparable types: keep the first one seen
        return tied[0]


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace missing values by a per-column statistic: mean, median, mode or a constant.

    Parameters
    ----------
    missing_values : float, int, str, None or pandas.NA, default=np.nan
        The placeholder for missing entries. NaN, None and pandas.NA all count as missing when
        it is NaN or None (scikit-learn's SimpleImputer does not treat None as NaN).
    strategy : {"mean", "median", "most_frequent", "constant"} or callable, default="mean"
        "mean" and "median" need numeric data; "most_frequent" and "constant" also work on
        object (string) columns. A callable receives each column's observed values (1-D) and
        returns the fill value.
    fill_value : scalar, default=None
        The value for ``strategy="constant"``; None means 0 for numeric data and
        ``"missing_value"`` for object data.
    copy : bool, default=True
        If False, impute in place where the input is already an array of the working dtype.
    add_indicator : bool, default=False
        Append the :class:`MissingIndicator` columns of the features that had missing values
        during fit.
    keep_empty_features : bool, default=False
        Keep features that are entirely missing during fit (filled with 0, or ``fill_value``
        for "constant") instead of dropping them at transform with a warning.

    Attributes
    ----------
    statistics_ : ndarray (n_features,)
        The fill value of each feature; NaN for a feature without observed values (dropped at
        transform unless ``keep_empty_features``).
    indicator_ : MissingIndicator or None
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        Non-numeric data with "mean"/"median", a ``fill_value`` that cannot be cast to the
        data, a wrong number of features, NaN when NaN is not the missing marker.

    Notes
    -----
    With :math:`O_j` the observed rows of column :math:`j`: mean
    :math:`\\frac{1}{|O_j|}\\sum_{i\\in O_j} x_{ij}`; median, the middle order statistic
    (the average of the two middle ones for even :math:`|O_j|`); most_frequent,
    :math:`\\arg\\max_v |\\{i \\in O_j : x_{ij} = v\\}|`, ties going to the smallest
    :math:`v`. Mean imputation keeps the column mean but shrinks its variance by the factor
    :math:`|O_j|/n` and weakens correlations; the median is robust to outliers.

    References
    ----------
    R. J. A. Little, D. B. Rubin, *Statistical Analysis with Missing Data*, 3rd ed., Wiley
    2019, section 4.2 (imputing unconditional means).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0], [np.nan, 3.0], [7.0, np.nan], [4.0, 3.0]])
    >>> imp = SimpleImputer(strategy="median").fit(X)
    >>> imp.statistics_.tolist()
    [4.0, 3.0]
    >>> imp.transform(X).tolist()
    [[1.0, 2.0], [4.0, 3.0], [7.0, 3.0], [4.0, 3.0]]
    >>> cats = np.array([["a"], [None], ["b"], ["b"]], dtype=object)
    >>> SimpleImputer(strategy="most_frequent").fit_transform(cats).ravel().tolist()
    ['a', 'b', 'b', 'b']
    """

    _parameter_constraints: ClassVar[dict] = {
        "missing_values": [MissingValues()],
        "strategy": [StrOptions({"mean", "median", "most_frequent", "constant"}), callable],
        "fill_value": "no_validation",
        "copy": ["boolean"],
        "add_indicator": ["boolean"],
        "keep_empty_features": ["boolean"],
    }

    def __init__(
        self,
        *,
        missing_values: Any = np.nan,
        strategy: Literal["mean", "median", "most_frequent", "constant"]
        | Callable[..., Any] = "mean",
        fill_value: float | None = None,
        copy: bool = True,
        add_indicator: bool = False,
        keep_empty_features: bool = False,
    ):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def _validate_input(self, X, in_fit):
        if self.strategy in ("mean", "median"):
            dtype = np.float64
        elif not in_fit and self._fit_dtype.kind == "O":
            dtype = object
        else:
            dtype = None
        try:
            return validate_missing_input(self, X, reset=in_fit, dtype=dtype)
        except (ValueError, TypeError) as exc:
            if "could not convert" in str(exc):
                raise ValueError(
                    f"Cannot use {self.strategy} strategy with non-numeric data: {exc}"
                ) from None
            raise

    def _statistics(self, X, mask):
        empty = ~(~mask).any(axis=0)
        fill_empty = 0 if self.keep_empty_features else np.nan
        if self.strategy == "constant":
            fill = self.fill_value
            if fill is None:
                fill = 0 if X.dtype.kind in "biuf" else "missing_value"
            if X.dtype.kind in "biuf" and not np.can_cast(type(fill), X.dtype, "same_kind"):
                raise ValueError(
                    f"fill_value={fill!r} (of type {type(fill)!r}) cannot be cast to the input "
                    f"data that is {X.dtype!r}; pass a fill_value of the same kind as the data"
                )
            stats = np.full(X.shape[1], fill, dtype=object)
            if not self.keep_empty_features:
                stats[empty] = np.nan
            return stats
        if self.strategy == "mean":
            observed = np.where(mask, 0.0, X)
            count = (~mask).sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                total = observed.sum(axis=0)
                if not np.isfinite(total).all():  # the sum of 1e308-scale values overflowed
                    c = power_of_two_scale(observed, axis=0)
                    stats = (observed / c).sum(axis=0) / count * c
                else:
                    stats = total / count
        elif self.strategy == "median":
            Xn = X if is_nan_missing(self.missing_values) else np.where(mask, np.nan, X)
            stats = nan_median(Xn)
        else:
            column = _most_frequent if self.strategy == "most_frequent" else self.strategy
            stats = np.empty(X.shape[1], dtype=object if X.dtype.kind == "O" else np.float64)
            for j in np.flatnonzero(~empty):  # loop over columns, not rows
                stats[j] = column(X[~mask[:, j], j])
        stats[empty] = fill_empty
        return stats

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Compute the fill value of every feature; return self."""
        self._validate_params()
        X = self._validate_input(X, in_fit=True)
        self._fit_dtype = X.dtype
        mask = missing_mask(X, self.missing_values)
        self.statistics_ = self._statistics(X, mask)
        self.indicator_ = None
        if self.add_indicator:
            self.indicator_ = MissingIndicator(
                missing_values=self.missing_values, error_on_new=False
            )._fit_mask(mask)
            self.indicator_.n_features_in_ = self.n_features_in_
        return self

    def _valid(self):
        if self.keep_empty_features:
            return np.ones(len(self.statistics_), dtype=bool)
        return ~missing_mask(np.asarray(self.statistics_, dtype=object), np.nan)

    def transform(self, X: ArrayLike) -> NDArray[Any]:
        """Fill the missing entries; drop features that were empty in fit (with a warning)."""
        check_is_fitted(self)
        X = self._validate_input(X, in_fit=False)
        mask = missing_mask(X, self.missing_values)
        valid = self._valid()
        if not valid.all():
            empty = np.flatnonzero(~valid)
            names = getattr(self, "feature_names_in_", None)
            warnings.warn(
                f"Skipping features without any observed values: "
                f"{(names[empty] if names is not None else empty).tolist()}. At least one "
                f"non-missing value is needed for imputation with strategy='{self.strategy}'.",
                UserWarning,
                stacklevel=2,
            )
        Xv, maskv = (X, mask) if valid.all() else (X[:, valid], mask[:, valid])
        fill = self.statistics_[valid]
        if Xv.dtype.kind != "O":
            fill = fill.astype(Xv.dtype)
        np.copyto(Xv, fill[None, :], where=maskv)
        if self.add_indicator:
            Xv = np.hstack((Xv, self.indicator_._transform_mask(mask)))
        return Xv

    def inverse_transform(self, X: ArrayLike) -> FloatArray | NDArray[np.object_]:
        """Put ``missing_values`` back where the indicator columns say (needs add_indicator)."""
        check_is_fitted(self)
        if not self.add_indicator:
            raise ValueError(
                "'inverse_transform' works only when 'SimpleImputer' is instantiated with "
                f"'add_indicator=True'. Got 'add_indicator={self.add_indicator}' instead."
            )
        X = check_array(X, dtype=None, ensure_all_finite="allow-nan")
        valid = self._valid()
        features = self.indicator_.features_
        if X.shape[1] != valid.sum() + len(features):
            raise ValueError(
                f"X has {X.shape[1]} columns; expected {valid.sum()} imputed plus "
                f"{len(features)} indicator columns"
            )
        out_dtype = object if X.dtype.kind == "O" else np.float64
        out = np.zeros((X.shape[0], len(valid)), dtype=out_dtype)
        out[:, valid] = X[:, : valid.sum()]
        missing = np.zeros(out.shape, dtype=bool)
        missing[:, features] = X[:, valid.sum() :].astype(bool)
        missing[:, ~valid] = True
        out[missing] = self.missing_values
        return out

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Names of the kept features, then the indicator names if ``add_indicator``."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        out = names[self._valid()]
        if self.add_indicator:
            out = np.concatenate([out, self.indicator_.get_feature_names_out(names)])
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = is_nan_missing(self.missing_values)
        tags.input_tags.string = self.strategy in ("most_frequent", "constant")
        return tags
