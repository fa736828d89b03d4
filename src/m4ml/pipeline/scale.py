"""Affine per-feature scalers: standardization, min-max scaling and max-abs scaling.

Each one learns, per column :math:`j`, a shift :math:`c_j` and a scale :math:`s_j` from the
training data and maps :math:`x_{ij} \\mapsto (x_{ij} - c_j) / s_j`. NaN is ignored when the
statistics are estimated and passed through unchanged by ``transform``. A (near) constant
column gets :math:`s_j = 1` instead of a division by zero. Statistics are always float64;
float32 input is transformed in float32 (as scikit-learn does), anything else in float64.
"""

from typing import ClassVar, Self

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core import scale_for_largest
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.pipeline._column_stats import (
    handle_zeros_in_scale,
    is_constant_feature,
    mean_and_m2,
    merge_moments,
)
from m4ml.pipeline._scaler_base import (
    _check_sample_weight,
    _count_summary,
    _inverse_input,
    _ScalerTags,
    _validate,
)

__all__ = ["MaxAbsScaler", "MinMaxScaler", "StandardScaler"]


class StandardScaler(_ScalerTags, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardize features: subtract the mean and divide by the standard deviation.

    Parameters
    ----------
    copy : bool, default=True
        If False, transform in place where the input is already a float64 or float32 array.
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the (population) standard deviation.

    Attributes
    ----------
    mean_ : ndarray (n_features,) or None
        Per-feature mean (None when both ``with_mean`` and ``with_std`` are False).
    var_ : ndarray (n_features,) or None
        Per-feature population variance (None when ``with_std`` is False).
    scale_ : ndarray (n_features,) or None
        :math:`\\sqrt{\\mathrm{var}}`, with 1 for constant features (None if not ``with_std``).
    n_samples_seen_ : int or ndarray (n_features,)
        Observed (non-NaN) samples per feature; a single number when all are equal. With
        ``sample_weight`` it is the total weight.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fitted on a DataFrame with string column names.

    Raises
    ------
    ValueError
        For infinite values, a wrong number of features at transform, or bad sample weights.

    Notes
    -----
    .. math:: z_{ij} = \\frac{x_{ij} - \\bar x_j}{s_j},\\qquad
        \\bar x_j = \\frac{1}{n_j}\\sum_i x_{ij},\\qquad
        s_j^2 = \\frac{1}{n_j}\\sum_i (x_{ij} - \\bar x_j)^2,

    sums over the :math:`n_j` non-NaN entries of column :math:`j`. The variance is computed in
    two passes with the Chan–Golub–LeVeque correction; ``partial_fit`` merges batches with
    their pairwise update formula, so streaming and one-shot fits agree to rounding. A feature
    whose variance is within the two-pass rounding bound of zero is constant and gets
    :math:`s_j = 1`.

    References
    ----------
    T. F. Chan, G. H. Golub, R. J. LeVeque, "Algorithms for computing the sample variance:
    analysis and recommendations", The American Statistician 37(3), 1983.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0]])
    >>> scaler = StandardScaler().fit(X)
    >>> scaler.mean_.tolist(), scaler.scale_.round(4).tolist()
    ([2.0, 1.0], [1.633, 1.0])
    >>> scaler.transform(X).round(4).tolist()
    [[-1.2247, 0.0], [0.0, 0.0], [1.2247, 0.0]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "copy": ["boolean"],
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
    }

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(
        self, X: ArrayLike, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
    ) -> Self:
        """Estimate the per-feature mean and standard deviation (NaN ignored); return self."""
        for attr in ("n_samples_seen_", "mean_", "var_", "scale_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y, sample_weight)

    def partial_fit(
        self, X: ArrayLike, y: ArrayLike | None = None, sample_weight: ArrayLike | None = None
    ) -> Self:
        """Update the mean and variance with one more batch of samples; return self."""
        self._validate_params()
        first = not hasattr(self, "n_samples_seen_")
        X = _validate(self, X, reset=first).astype(np.float64, copy=False)  # float64 statistics
        w = None if sample_weight is None else _check_sample_weight(sample_weight, len(X))
        # columns of tiny values are divided by a power of two c <= 1 first (exact), so that
        # their squared deviations do not fall into the subnormals; M2 is kept in units of c^2
        # (c = 0 marks a column holding only zeros so far: any scale fits it)
        nan = np.isnan(X)
        X0 = np.where(nan, 0.0, X) if nan.any() else X
        big = np.maximum(X0.max(axis=0), -X0.min(axis=0)) if len(X0) else np.zeros(X0.shape[1])
        c_b = np.minimum(scale_for_largest(big), 1.0)
        n_b, mean_b, m2_b = mean_and_m2(X if np.all(c_b == 1.0) else X / c_b, w)
        c_b = np.where(big == 0.0, 0.0, c_b)
        if first:
            n_a = np.zeros(X.shape[1])
            mean_a = m2_a = np.full(X.shape[1], np.nan)  # empty so far
            c_a = c_b
        else:
            n_a = np.broadcast_to(np.asarray(self.n_samples_seen_, dtype=np.float64), n_b.shape)
            mean_a, m2_a, c_a = self._mean, self._m2, self._c
        keep = np.maximum(c_a, c_b)
        c = np.where(keep == 0.0, 1.0, keep)
        n, mean, m2 = merge_moments(
            n_a, mean_a / c, m2_a * (c_a / c) ** 2, n_b, mean_b * (c_b / c), m2_b * (c_b / c) ** 2
        )
        mean = mean * c
        self._mean, self._m2, self._c = mean, m2, keep
        integral = w is None and (first or self._integral_count)
        self._integral_count = integral
        count = n.astype(np.int64) if integral else n
        self.n_samples_seen_ = _count_summary(count)
        with np.errstate(invalid="ignore", divide="ignore"):
            var_c = m2 / n  # in units of c^2
        var = var_c * c * c
        self.mean_ = mean if (self.with_mean or self.with_std) else None
        self.var_ = var if self.with_std else None
        if self.with_std:
            constant = is_constant_feature(var_c, mean / c, n)
            self.scale_ = handle_zeros_in_scale(np.sqrt(var_c) * c, constant)
        else:
            self.scale_ = None
        return self

    def transform(self, X: ArrayLike, copy: bool | None = None) -> FloatArray:
        """Return :math:`(X - \\bar x) / s` (only the enabled parts); NaN stays NaN."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False, copy=self.copy if copy is None else copy)
        if self.with_mean:
            X -= self.mean_
        if self.with_std:
            X /= self.scale_
        return X

    def inverse_transform(self, X: ArrayLike, copy: bool | None = None) -> FloatArray:
        """Map standardized data back: :math:`X s + \\bar x`."""
        check_is_fitted(self)
        X = _inverse_input(X, self.copy if copy is None else copy)
        if self.with_std:
            X *= self.scale_
        if self.with_mean:
            X += self.mean_
        return X


class MinMaxScaler(_ScalerTags, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each feature linearly onto ``feature_range`` using its training minimum and maximum.

    Parameters
    ----------
    feature_range : tuple (min, max), default=(0, 1)
        Target range; ``min < max`` is required.
    copy : bool, default=True
        If False, transform in place where possible.
    clip : bool, default=False
        Clip transformed values of unseen data to ``feature_range``.

    Attributes
    ----------
    data_min_, data_max_, data_range_ : ndarray (n_features,)
        Per-feature training minimum, maximum and their difference (NaN ignored).
    scale_ : ndarray (n_features,)
        :math:`(b - a) / \\mathrm{range}_j`, with range 1 for constant features.
    min_ : ndarray (n_features,)
        :math:`a - \\min_j \\cdot \\mathrm{scale}_j`.
    n_samples_seen_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        If ``feature_range`` is not increasing, or for infinite input / wrong number of features.

    Notes
    -----
    For target range :math:`[a, b]`,

    .. math:: x'_{ij} = a + (x_{ij} - \\min_j)\\,\\frac{b - a}{\\max_j - \\min_j}
        = x_{ij}\\,\\mathrm{scale}_j + \\mathrm{min\\_}_j.

    A constant column (range below :math:`10\\varepsilon`) uses range 1, so it maps to
    :math:`a + (x - \\min_j)(b - a) = a`.

    References
    ----------
    T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed.,
    Springer 2009, on standardizing inputs.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, -1.0], [3.0, 0.0], [5.0, 1.0]])
    >>> MinMaxScaler().fit_transform(X).tolist()
    [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]]
    >>> MinMaxScaler(feature_range=(-1, 1)).fit(X).transform([[7.0, 0.0]]).tolist()
    [[2.0, 0.0]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "feature_range": [tuple],
        "copy": ["boolean"],
        "clip": ["boolean"],
    }

    def __init__(
        self, feature_range: tuple[float, float] = (0, 1), *, copy: bool = True, clip: bool = False
    ):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Record each feature's minimum and maximum (NaN ignored); return self."""
        for attr in ("n_samples_seen_", "data_min_", "data_max_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Update the running minimum and maximum with one more batch; return self."""
        self._validate_params()
        lo, hi = self.feature_range
        if not lo < hi:
            raise ValueError(
                "Minimum of desired feature range must be smaller than maximum. "
                f"Got {self.feature_range}."
            )
        first = not hasattr(self, "n_samples_seen_")
        X = _validate(self, X, reset=first).astype(np.float64, copy=False)  # float64 statistics
        data_min = np.fmin.reduce(X, axis=0)  # fmin/fmax skip NaN, give NaN if all NaN
        data_max = np.fmax.reduce(X, axis=0)
        if first:
            self.n_samples_seen_ = X.shape[0]
        else:
            data_min = np.fmin(self.data_min_, data_min)
            data_max = np.fmax(self.data_max_, data_max)
            self.n_samples_seen_ += X.shape[0]
        self.data_min_, self.data_max_ = data_min, data_max
        self.data_range_ = data_max - data_min
        self.scale_ = (hi - lo) / handle_zeros_in_scale(self.data_range_)
        self.min_ = lo - data_min * self.scale_
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Return :math:`X\\,\\mathrm{scale} + \\mathrm{min\\_}`, clipped if ``clip``."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False, copy=self.copy)
        X *= self.scale_
        X += self.min_
        if self.clip:
            np.clip(X, self.feature_range[0], self.feature_range[1], out=X)
        return X

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Map scaled data back: :math:`(X - \\mathrm{min\\_}) / \\mathrm{scale}`."""
        check_is_fitted(self)
        X = _inverse_input(X, self.copy)
        X -= self.min_
        X /= self.scale_
        return X


class MaxAbsScaler(_ScalerTags, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Divide each feature by its maximum absolute value, so that it lies in :math:`[-1, 1]`.

    No shift is applied, so zeros stay zeros (sparsity is preserved).

    Parameters
    ----------
    copy : bool, default=True
        If False, transform in place where possible.

    Attributes
    ----------
    max_abs_ : ndarray (n_features,)
        :math:`\\max_i |x_{ij}|` (NaN ignored).
    scale_ : ndarray (n_features,)
        ``max_abs_`` with 1 in place of 0.
    n_samples_seen_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        For infinite input or a wrong number of features at transform.

    Notes
    -----
    .. math:: x'_{ij} = \\frac{x_{ij}}{\\max_k |x_{kj}|}.

    References
    ----------
    T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2nd ed.,
    Springer 2009.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, -8.0, 0.0], [-2.0, 4.0, 0.0]])
    >>> MaxAbsScaler().fit_transform(X).tolist()
    [[0.5, -1.0, 0.0], [-1.0, 0.5, 0.0]]
    """

    _parameter_constraints: ClassVar[dict] = {"copy": ["boolean"]}

    def __init__(self, *, copy: bool = True):
        self.copy = copy

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Record each feature's maximum absolute value (NaN ignored); return self."""
        for attr in ("n_samples_seen_", "max_abs_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Update the running maximum absolute value with one more batch; return self."""
        self._validate_params()
        first = not hasattr(self, "n_samples_seen_")
        X = _validate(self, X, reset=first).astype(np.float64, copy=False)  # float64 statistics
        max_abs = np.fmax.reduce(np.abs(X), axis=0)
        if first:
            self.n_samples_seen_ = X.shape[0]
        else:
            max_abs = np.fmax(self.max_abs_, max_abs)
            self.n_samples_seen_ += X.shape[0]
        self.max_abs_ = max_abs
        self.scale_ = handle_zeros_in_scale(max_abs)
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Return ``X / scale_``."""
        check_is_fitted(self)
        X = _validate(self, X, reset=False, copy=self.copy)
        X /= self.scale_
        return X

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Return ``X * scale_``."""
        check_is_fitted(self)
        X = _inverse_input(X, self.copy)
        X *= self.scale_
        return X
