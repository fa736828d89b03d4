"""Feature selection by a per-feature statistic: variance, or a univariate score against y.

A selector learns a boolean support mask :math:`s \\in \\{0, 1\\}^p` and maps
:math:`X \\mapsto X_{:, s}`; ``inverse_transform`` puts the kept columns back in place and fills
the dropped ones with zeros.
"""

import numbers
import warnings
from collections.abc import Callable
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.sklearn_compat import validate_data
from m4ml.pipeline._column_stats import mean_and_m2
from m4ml.pipeline.scores import f_classif


class _Selector(TransformerMixin, BaseEstimator):
    """transform / inverse_transform / get_support / names from ``_support_mask()``."""

    def get_support(self, indices: bool = False) -> NDArray[np.bool_] | NDArray[np.intp]:
        """Boolean mask of the kept features, or their indices with ``indices=True``."""
        check_is_fitted(self)
        mask = self._support_mask()
        return np.flatnonzero(mask) if indices else mask

    def transform(self, X: ArrayLike) -> NDArray[Any]:
        """Keep the selected columns of ``X``.

        Raises
        ------
        ValueError
            ``X`` has a different number of features than at fit.
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            dtype=None,
            reset=False,
            ensure_all_finite=not self.__sklearn_tags__().input_tags.allow_nan,
        )
        mask = self._support_mask()
        if not mask.any():
            warnings.warn(
                "No features were selected: either the data is too noisy or the selection "
                "test too strict.",
                UserWarning,
                stacklevel=2,
            )
        return X[:, mask]

    def inverse_transform(self, X: ArrayLike) -> NDArray[Any]:
        """Columns back in their original positions; removed features become zeros."""
        check_is_fitted(self)
        mask = self._support_mask()
        X = np.asarray(X)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != mask.sum():
            raise ValueError(
                f"X has {X.shape[-1]} columns but {int(mask.sum())} features were selected"
            )
        out = np.zeros((X.shape[0], mask.size), dtype=X.dtype)
        out[:, mask] = X
        return out

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Names of the kept input features."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return names[self._support_mask()]


class VarianceThreshold(_Selector):
    """Remove features whose variance is not above a threshold (by default: constant features).

    Parameters
    ----------
    threshold : float, default=0.0
        Keep features with variance strictly greater than this.

    Attributes
    ----------
    variances_ : ndarray of shape (n_features,)
        Variance of each feature, ignoring NaN (NaN for an all-missing feature, which is never
        kept).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        A negative threshold; no feature above the threshold; wrong number of features at
        transform.

    Notes
    -----
    :math:`\\sigma_j^2 = \\frac{1}{n_j}\\sum_i (x_{ij} - \\bar x_j)^2` over the :math:`n_j`
    observed entries. With ``threshold=0`` the variance is replaced by the range
    :math:`\\max_i x_{ij} - \\min_i x_{ij}` where that is smaller, so that a constant feature
    whose computed variance is a rounding residue (say :math:`10^{-33}`) is still removed.

    References
    ----------
    .. [1] Guyon & Elisseeff, "An introduction to variable and feature selection", JMLR 3
           (2003).

    Examples
    --------
    >>> X = [[0, 2, 0, 3], [0, 1, 4, 3], [0, 1, 1, 3]]
    >>> sel = VarianceThreshold().fit(X)
    >>> sel.get_support().tolist()
    [False, True, True, False]
    >>> sel.transform(X).tolist()
    [[2, 0], [1, 4], [1, 1]]
    """

    def __init__(self, threshold: float = 0.0):
        self.threshold = threshold

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Compute the variance of each feature (``y`` is ignored)."""
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not t >= 0:
            raise ValueError(f"threshold must be a non-negative number, got {t!r}")
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        count, _, m2 = mean_and_m2(X)  # the pipeline's one two-pass column statistic
        with np.errstate(invalid="ignore", divide="ignore"):
            var = m2 / count
        if not np.isnan(X).any():
            top, bottom = X.max(axis=0), X.min(axis=0)
        else:
            observed = ~np.isnan(X)
            top = np.where(observed, X, -np.inf).max(axis=0)
            bottom = np.where(observed, X, np.inf).min(axis=0)
        if t == 0:
            with np.errstate(invalid="ignore"):
                var = np.where(count > 0, np.minimum(var, top - bottom), np.nan)
        self.variances_ = var
        if not (var > t).any():
            hint = " (X contains only one sample)" if X.shape[0] == 1 else ""
            raise ValueError(f"No feature in X meets the variance threshold {t:.5f}{hint}")
        return self

    def _support_mask(self):
        return self.variances_ > self.threshold

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


class SelectKBest(_Selector):
    """Keep the ``k`` features with the highest univariate scores.

    Parameters
    ----------
    score_func : callable, default=f_classif
        ``score_func(X, y)`` returning ``(scores, p_values)`` or just ``scores``; see
        :mod:`m4ml.pipeline.scores`.
    k : int or "all", default=10
        How many features to keep; ``"all"`` keeps every feature (useful in a search), and a
        ``k`` above the number of features keeps them all with a warning.

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
    pvalues_ : ndarray of shape (n_features,) or None
        None when ``score_func`` returns scores only.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        A bad ``k``, ``y`` missing (every score here is supervised), or errors from
        ``score_func`` (mismatched lengths, a single class, ...).

    Notes
    -----
    The kept set is the top :math:`k` of the scores sorted stably in increasing order, NaN
    scores counting as the lowest; among equal scores the later features are kept, exactly as
    scikit-learn does.

    References
    ----------
    .. [1] Guyon & Elisseeff, "An introduction to variable and feature selection", JMLR 3
           (2003).

    Examples
    --------
    >>> X = [[1.0, 5.0, 0.1], [2.0, 3.0, 0.2], [8.0, 4.0, 0.1], [9.0, 4.5, 0.2]]
    >>> sel = SelectKBest(k=1).fit(X, [0, 0, 1, 1])
    >>> sel.get_support(indices=True).tolist()
    [0]
    >>> sel.scores_.round(3).tolist()
    [98.0, 0.059, 0.0]
    """

    def __init__(
        self,
        score_func: Callable[
            [FloatArray, FloatArray], FloatArray | tuple[FloatArray, FloatArray]
        ] = f_classif,
        *,
        k: int | Literal["all"] = 10,
    ):
        self.score_func = score_func
        self.k = k

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Score every feature of ``X`` against ``y``."""
        if not callable(self.score_func):
            raise TypeError(f"score_func must be callable, got {self.score_func!r}")
        k = self.k
        if not (k == "all" if isinstance(k, str) else _is_count(k)):
            raise ValueError(f"k must be 'all' or a non-negative integer, got {k!r}")
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        X, y = validate_data(self, X, y, multi_output=True)
        if not isinstance(k, str) and k > X.shape[1]:
            warnings.warn(
                f"k={k} is greater than n_features={X.shape[1]}. All the features will be "
                "returned.",
                UserWarning,
                stacklevel=2,
            )
        result = self.score_func(X, y)
        if isinstance(result, list | tuple):
            self.scores_ = np.asarray(result[0])
            self.pvalues_ = np.asarray(result[1])
        else:
            self.scores_ = np.asarray(result)
            self.pvalues_ = None
        return self

    def _support_mask(self):
        n = self.scores_.shape[0]
        if self.k == "all" or self.k >= n:
            return np.ones(n, dtype=bool)
        scores = np.where(np.isnan(self.scores_), np.finfo(np.float64).min, self.scores_)
        mask = np.zeros(n, dtype=bool)
        if self.k > 0:
            mask[np.argsort(scores, kind="stable")[-self.k :]] = True
        return mask

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags


def _is_count(k):
    return isinstance(k, numbers.Integral) and not isinstance(k, bool) and k >= 0
