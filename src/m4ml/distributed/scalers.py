r"""``MinMaxScaler`` and ``SimpleImputer(strategy="mean")`` fitted over chunks.

* Column minima and maxima merge by :math:`\min(\min A, \min B)`, :math:`\max(\max A, \max B)`
  (an empty chunk contributes :math:`(+\infty, -\infty)`, the identities of the merges).
* The mean imputer's fill value of column :math:`j` is :math:`\sum_i x_{ij} / n_j` over the
  observed (non-NaN) entries: per chunk the pair :math:`(\sum, n_j)`, merged by addition.

The fitted in-memory m4ml transformer is kept as ``estimator_``; ``transform`` of Dask input
maps its method over the row blocks, lazily.
"""

from typing import Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.distributed._blocks import apply_rows, as_rows, check_block, map_reduce
from m4ml.pipeline import MinMaxScaler as _MinMaxScaler
from m4ml.pipeline import SimpleImputer as _SimpleImputer
from m4ml.pipeline.building_blocks import handle_zeros_in_scale

__all__ = ["MinMaxScaler", "SimpleImputer"]


def _min_max_chunk(block):
    b = check_block(block, "X")
    if b.shape[0] == 0:
        return 0, np.full(b.shape[1], np.inf), np.full(b.shape[1], -np.inf)
    return b.shape[0], b.min(axis=0), b.max(axis=0)


def _min_max_merge(a, b):
    return a[0] + b[0], np.minimum(a[1], b[1]), np.maximum(a[2], b[2])


class MinMaxScaler(TransformerMixin, BaseEstimator):
    r"""Scale columns to ``feature_range``, :math:`x' = lo + (x - m)(hi - lo)/(M - m)`.

    Parameters
    ----------
    feature_range : tuple (lo, hi), default=(0, 1)

    Attributes
    ----------
    data_min_, data_max_, data_range_, scale_, min_, n_samples_seen_, n_features_in_
        As :class:`m4ml.pipeline.MinMaxScaler`.
    estimator_ : m4ml.pipeline.MinMaxScaler

    Raises
    ------
    ValueError
        ``lo >= hi``, no observations, or NaN/inf in a chunk (the in-memory scaler ignores NaN).

    Notes
    -----
    Minima and maxima merged over chunks (module docstring); a constant column gets range 1.

    Examples
    --------
    >>> MinMaxScaler().fit(np.array([[1.0], [3.0]])).transform(np.array([[2.0]])).tolist()
    [[0.5]]
    """

    def __init__(self, feature_range: tuple[float, float] = (0, 1)) -> None:
        self.feature_range = feature_range

    def fit(self, X: ArrayLike, y: None = None) -> Self:
        """Merge the column minima and maxima of every chunk; returns ``self``."""
        lo, hi = self.feature_range
        if not lo < hi:
            raise ValueError(f"feature_range must have lo < hi, got {self.feature_range}")
        n, data_min, data_max = map_reduce(_min_max_chunk, _min_max_merge, as_rows(X, "X"))
        if n == 0:
            raise ValueError("X holds no observations")
        est = _MinMaxScaler(feature_range=self.feature_range)
        est.n_samples_seen_, est.n_features_in_ = n, data_min.size
        est.data_min_, est.data_max_ = data_min, data_max
        est.data_range_ = data_max - data_min
        est.scale_ = (hi - lo) / handle_zeros_in_scale(est.data_range_)
        est.min_ = lo - data_min * est.scale_
        self.estimator_ = est
        for name in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
            setattr(self, name, getattr(est, name))
        self.n_samples_seen_, self.n_features_in_ = n, data_min.size
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Scaled ``X``: lazy Dask for Dask input, else NumPy."""
        return apply_rows(self.estimator_.transform, X, self.n_features_in_)


def _mean_chunk(block):
    """``(rows, observed counts, observed means)`` of a chunk, the means scaled (no overflow)."""
    b = np.asarray(block, dtype=np.float64)
    if np.isinf(b).any():
        raise ValueError("X contains infinity; only NaN marks a missing value")
    observed = ~np.isnan(b)
    count = observed.sum(axis=0)
    vals = np.where(observed, b, 0.0)
    big = np.abs(vals).max(axis=0, initial=0.0)
    e = np.where(big > 1.0, np.frexp(big)[1], 0)  # 2**e >= max|x|: scaled sums stay <= rows
    total = np.ldexp(np.ldexp(vals, -e).sum(axis=0) / np.maximum(count, 1), e)
    return b.shape[0], count, total


def _mean_merge(a, b):
    """Merge two chunks' counts and means: a convex combination, which cannot overflow."""
    n = a[1] + b[1]
    wa = np.divide(a[1], n, out=np.zeros(n.shape), where=n > 0)
    return a[0] + b[0], n, wa * a[2] + (1.0 - wa) * b[2]


class SimpleImputer(TransformerMixin, BaseEstimator):
    r"""Fill NaN with the column mean of the observed entries, fitted over chunks.

    Parameters
    ----------
    strategy : {"mean"}
        Only the mean (medians over chunks need an approximate quantile method).
    keep_empty_features : bool, default=False
        A column with no observed value: dropped at ``transform`` (False) or filled with 0.

    Attributes
    ----------
    statistics_, n_features_in_
        As :class:`m4ml.pipeline.SimpleImputer`.
    estimator_ : m4ml.pipeline.SimpleImputer

    Raises
    ------
    ValueError
        Another ``strategy``, infinity in a chunk, or ``X`` with no rows.

    Notes
    -----
    :math:`\hat\mu_j = \sum_{i:\,x_{ij}\ \text{observed}} x_{ij} / n_j`. Each chunk's mean is
    summed over its entries divided by a power of two at least their largest magnitude (exact),
    so columns near 1e308 do not overflow; chunks merge as the convex combination
    :math:`\mu = \tfrac{n_a}{n}\mu_a + \tfrac{n_b}{n}\mu_b`, :math:`n = n_a + n_b`.

    Examples
    --------
    >>> imp = SimpleImputer().fit(np.array([[1.0], [np.nan], [3.0]]))
    >>> imp.statistics_.tolist()
    [2.0]
    """

    def __init__(self, *, strategy: str = "mean", keep_empty_features: bool = False) -> None:
        self.strategy = strategy
        self.keep_empty_features = keep_empty_features

    def fit(self, X: ArrayLike, y: None = None) -> Self:
        """Merge per-column sums and counts of the observed entries; returns ``self``."""
        if self.strategy != "mean":
            raise ValueError(f"strategy must be 'mean' here, got {self.strategy!r}")
        rows, count, mean = map_reduce(_mean_chunk, _mean_merge, as_rows(X, "X"))
        if rows == 0:
            raise ValueError("X has no rows: there is nothing to compute the means from")
        stats = np.where(count == 0, 0.0 if self.keep_empty_features else np.nan, mean)
        est = _SimpleImputer(strategy="mean", keep_empty_features=self.keep_empty_features)
        est.statistics_, est.indicator_, est._fit_dtype = stats, None, np.dtype(np.float64)
        est.n_features_in_ = stats.size
        self.estimator_ = est
        self.statistics_, self.n_features_in_ = stats, stats.size
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """``X`` with NaN filled: lazy Dask for Dask input, else NumPy."""
        n_out = int(np.sum(self.estimator_._valid()))
        return apply_rows(self.estimator_.transform, X, n_out)
