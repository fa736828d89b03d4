"""Outlier-resistant scaling: center on the median, scale by an inter-quantile range."""

from typing import ClassVar, Self

import numpy as np
from scipy.special import ndtri
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.sklearn_compat import check_array, validate_data
from m4ml.pipeline._column_stats import handle_zeros_in_scale, nan_quantiles

__all__ = ["RobustScaler"]

_FLOATS = (np.float64, np.float32)  # float32 input stays float32; other input becomes float64


class RobustScaler(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale features with statistics that outliers barely move: the median and the IQR.

    Parameters
    ----------
    with_centering : bool, default=True
        Subtract the median.
    with_scaling : bool, default=True
        Divide by the inter-quantile range.
    quantile_range : tuple (q_min, q_max), default=(25.0, 75.0)
        Percentiles, ``0 <= q_min <= q_max <= 100``, whose difference is the scale.
    copy : bool, default=True
        If False, transform in place where possible.
    unit_variance : bool, default=False
        Divide the scale further so that normally distributed features end with variance 1.

    Attributes
    ----------
    center_ : ndarray (n_features,) or None
        Per-feature median (NaN ignored).
    scale_ : ndarray (n_features,) or None
        Per-feature inter-quantile range, 1 where it is (near) zero.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        For an invalid ``quantile_range`` (with ``unit_variance``, also for 0, 100 or equal
        ends, where scikit-learn would divide by an infinite or zero normal IQR), infinite
        input or a wrong number of features.

    Notes
    -----
    .. math:: x'_{ij} = \\frac{x_{ij} - \\operatorname{med}_j}{Q_j(q_{\\max}) - Q_j(q_{\\min})}

    with :math:`Q_j` the linearly interpolated quantile of column :math:`j` over its observed
    values. With ``unit_variance`` the denominator is further divided by
    :math:`\\Phi^{-1}(q_{\\max}) - \\Phi^{-1}(q_{\\min})` (1.349 for the IQR), the IQR of a
    standard normal, so a normal feature comes out with unit variance. Median and quantiles
    have a breakdown point of :math:`\\min(q_{\\min}, 1 - q_{\\max})`: a few outliers cannot
    drag them, unlike the mean and the standard deviation.

    References
    ----------
    P. J. Huber, E. M. Ronchetti, *Robust Statistics*, 2nd ed., Wiley 2009.
    R. J. Hyndman, Y. Fan, "Sample quantiles in statistical packages", The American
    Statistician 50(4), 1996 (definition 7).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [100.0]])
    >>> s = RobustScaler().fit(X)
    >>> s.center_.tolist(), s.scale_.tolist()
    ([3.0], [2.0])
    >>> s.transform(X).ravel().tolist()
    [-1.0, -0.5, 0.0, 0.5, 48.5]
    """

    _parameter_constraints: ClassVar[dict] = {
        "with_centering": ["boolean"],
        "with_scaling": ["boolean"],
        "quantile_range": [tuple],
        "copy": ["boolean"],
        "unit_variance": ["boolean"],
    }

    def __init__(
        self,
        *,
        with_centering: bool = True,
        with_scaling: bool = True,
        quantile_range: tuple[float, float] = (25.0, 75.0),
        copy: bool = True,
        unit_variance: bool = False,
    ):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Compute the per-feature median and inter-quantile range (NaN ignored); return self."""
        self._validate_params()
        q_min, q_max = self.quantile_range
        if not 0 <= q_min <= q_max <= 100:
            raise ValueError(
                f"Invalid quantile range: {self.quantile_range}; need 0 <= q_min <= q_max <= 100"
            )
        if self.unit_variance and (q_min == 0 or q_max == 100 or q_min == q_max):
            raise ValueError(
                "unit_variance needs 0 < q_min < q_max < 100 (the normal quantiles at 0 and 100 "
                f"are infinite), got quantile_range={self.quantile_range}"
            )
        X = validate_data(self, X, dtype=_FLOATS, ensure_all_finite="allow-nan")
        X = X.astype(np.float64, copy=False)  # float64 statistics
        (lo, hi), median = nan_quantiles(X, [q_min / 100.0, q_max / 100.0], with_median=True)
        self.center_ = median if self.with_centering else None
        if self.with_scaling:
            scale = handle_zeros_in_scale(hi - lo)
            if self.unit_variance:
                scale = scale / (ndtri(q_max / 100.0) - ndtri(q_min / 100.0))
            self.scale_ = scale
        else:
            self.scale_ = None
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Return :math:`(X - \\mathrm{center}) / \\mathrm{scale}` (only the enabled parts)."""
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            reset=False,
            dtype=_FLOATS,
            copy=self.copy,
            force_writeable=True,
            ensure_all_finite="allow-nan",
        )
        if self.with_centering:
            X -= self.center_
        if self.with_scaling:
            X /= self.scale_
        return X

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Return :math:`X\\,\\mathrm{scale} + \\mathrm{center}`."""
        check_is_fitted(self)
        X = check_array(
            X, dtype=_FLOATS, copy=self.copy, force_writeable=True, ensure_all_finite="allow-nan"
        )
        if self.with_scaling:
            X *= self.scale_
        if self.with_centering:
            X += self.center_
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
