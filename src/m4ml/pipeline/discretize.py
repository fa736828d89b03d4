"""Binning continuous features into intervals: equal-width or equal-frequency bins."""

import numbers
import warnings
from typing import Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core import check_rng
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml._core.sklearn_compat import validate_data

_QUANTILE_METHODS = (
    "inverted_cdf",
    "averaged_inverted_cdf",
    "closest_observation",
    "interpolated_inverted_cdf",
    "hazen",
    "weibull",
    "linear",
    "median_unbiased",
    "normal_unbiased",
)


class KBinsDiscretizer(TransformerMixin, BaseEstimator):
    """Replace each continuous feature by the index of the interval (bin) it falls in.

    Parameters
    ----------
    n_bins : int or array-like of int, default=5
        Number of bins (at least 2), for all features or per feature.
    encode : {"onehot-dense", "ordinal"}, default="onehot-dense"
        Indicator columns, one per bin, or the bin index itself. scikit-learn's default
        ``"onehot"`` is a sparse matrix, which m4ml does not produce: it raises here.
    strategy : {"uniform", "quantile"}, default="quantile"
        Equal-width bins between the minimum and maximum, or bins holding equal shares of the
        training samples.
    quantile_method : str, default="averaged_inverted_cdf"
        NumPy's percentile method for the quantile edges (scikit-learn 1.9's default).
    dtype : {None, np.float32, np.float64}, default=None
        Output dtype; None keeps the input's float dtype.
    subsample : int or None, default=200000
        With ``strategy="quantile"``, fit the edges on this many rows drawn with replacement
        when there are more (None: all rows).
    random_state : None, int or numpy.random.Generator
        Randomness of the subsample (draws differ from scikit-learn's RandomState).

    Attributes
    ----------
    bin_edges_ : ndarray of object, shape (n_features,)
        Increasing edges of each feature's bins.
    n_bins_ : ndarray of int, shape (n_features,)
        Number of bins per feature after merging empty (too narrow) bins.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        Bad ``n_bins``/``encode``/``strategy``, NaN or inf input, wrong number of features.

    Notes
    -----
    Uniform edges are :math:`e_k = \\min x + k(\\max x - \\min x)/K`; quantile edges are the
    empirical quantiles :math:`e_k = \\hat Q(k/K)`, :math:`k = 0..K`. Quantile edges closer than
    :math:`10^{-8} \\min(1, \\max x - \\min x)` are merged (with a warning) since they would
    bound empty bins (scikit-learn's absolute :math:`10^{-8}` would merge every bin of data
    on a tiny scale). A value
    :math:`x` goes to bin :math:`b = \\#\\{k \\in 1..K-1 : e_k \\le x\\}`, so values below the
    first or beyond the last edge fall in the outer bins. A constant feature gets a single bin,
    with a warning. ``inverse_transform`` returns bin centres :math:`(e_b + e_{b+1})/2` (for a
    constant feature, its value, where scikit-learn returns NaN).

    References
    ----------
    .. [1] Dougherty, Kohavi & Sahami, "Supervised and unsupervised discretization of continuous
           features", ICML (1995).

    Examples
    --------
    >>> X = [[-2.0, 1.0], [-1.0, 2.0], [0.0, 3.0], [1.0, 14.0]]
    >>> kb = KBinsDiscretizer(n_bins=3, encode="ordinal", strategy="uniform").fit(X)
    >>> kb.transform(X).tolist()
    [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [2.0, 2.0]]
    >>> kb.bin_edges_[1].tolist()
    [1.0, 5.333333333333333, 9.666666666666666, 14.0]
    """

    def __init__(
        self,
        n_bins: int | ArrayLike = 5,
        *,
        encode: Literal["onehot-dense", "ordinal"] = "onehot-dense",
        strategy: Literal["uniform", "quantile"] = "quantile",
        quantile_method: str = "averaged_inverted_cdf",
        dtype: type[np.float32] | type[np.float64] | None = None,
        subsample: int | None = 200000,
        random_state: Seed = None,
    ):
        self.n_bins = n_bins
        self.encode = encode
        self.strategy = strategy
        self.quantile_method = quantile_method
        self.dtype = dtype
        self.subsample = subsample
        self.random_state = random_state

    def _check_params(self):
        if self.encode == "onehot":
            raise ValueError(
                "encode='onehot' (a sparse matrix) is not supported: use encode='onehot-dense' "
                "or 'ordinal'"
            )
        if self.encode not in ("onehot-dense", "ordinal"):
            raise ValueError(f"encode must be 'onehot-dense' or 'ordinal', got {self.encode!r}")
        if self.strategy not in ("uniform", "quantile"):
            raise ValueError(f"strategy must be 'uniform' or 'quantile', got {self.strategy!r}")
        if self.quantile_method not in _QUANTILE_METHODS:
            raise ValueError(
                f"quantile_method must be one of {_QUANTILE_METHODS}, got {self.quantile_method!r}"
            )
        if self.dtype not in (None, np.float32, np.float64):
            raise ValueError(f"dtype must be None, np.float32 or np.float64, got {self.dtype!r}")
        s = self.subsample
        if s is not None and (not _is_int(s) or s < 1):
            raise ValueError(f"subsample must be a positive int or None, got {s!r}")

    def _validate_n_bins(self, n_features):
        given = self.n_bins
        if _is_int(given):
            if given < 2:
                raise ValueError(f"n_bins must be at least 2, got {given}")
            return np.full(n_features, int(given), dtype=np.int64)
        arr = np.asarray(given)
        if arr.ndim != 1 or arr.shape[0] != n_features:
            raise ValueError("n_bins must be a scalar or array of shape (n_features,).")
        bad = np.flatnonzero(
            (arr.astype(np.float64) != np.round(arr.astype(np.float64))) | (arr < 2)
        )
        if arr.dtype.kind not in "iuf" or bad.size:
            raise ValueError(
                f"KBinsDiscretizer received an invalid number of bins at indices {bad.tolist()}. "
                "Number of bins must be at least 2, and must be an int."
            )
        return arr.astype(np.int64)

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Learn the bin edges of every feature (``y`` is ignored)."""
        self._check_params()
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        n, p = X.shape
        n_bins = self._validate_n_bins(p)
        if self.strategy == "quantile" and self.subsample is not None and n > self.subsample:
            X = X[check_rng(self.random_state).integers(0, n, self.subsample)]
        lo, hi = X.min(axis=0), X.max(axis=0)
        quantiles = None
        if self.strategy == "quantile" and (n_bins == n_bins[0]).all():  # one call, all columns
            levels = np.linspace(0, 100, n_bins[0] + 1)
            quantiles = np.percentile(X, levels, axis=0, method=self.quantile_method).T
        edges = np.empty(p, dtype=object)
        for j in range(p):
            if lo[j] == hi[j]:
                warnings.warn(f"Feature {j} is constant and will be replaced with 0.", stacklevel=2)
                n_bins[j] = 1
                edges[j] = np.array([-np.inf, np.inf])
                continue
            if self.strategy == "uniform":
                edges[j] = _uniform_edges(lo[j], hi[j], n_bins[j])
                continue
            if quantiles is not None:
                e = np.asarray(quantiles[j], dtype=np.float64)
            else:
                levels = np.linspace(0, 100, n_bins[j] + 1)
                e = np.asarray(np.percentile(X[:, j], levels, method=self.quantile_method), float)
            # scikit-learn's 1e-8, relative to the feature's range when that is below 1, so
            # that data of any small scale (down to subnormal numbers) keeps its bins
            width = 1e-8 * min(1.0, float(hi[j]) - float(lo[j]))
            keep = np.diff(e, prepend=-np.inf) > width
            if not keep.all():
                warnings.warn(
                    f"Bins whose width are too small (i.e., <= {width:.3g}) in feature {j} "
                    "are removed. Consider decreasing the number of bins.",
                    stacklevel=2,
                )
            edges[j] = e[keep]
            n_bins[j] = edges[j].size - 1
        self.bin_edges_ = edges
        self.n_bins_ = n_bins
        self._constant = lo.astype(np.float64)  # the value of a constant feature
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Bin indices (``encode="ordinal"``) or one indicator column per bin."""
        check_is_fitted(self, "bin_edges_")
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        dtype = X.dtype if self.dtype is None else np.dtype(self.dtype)
        codes = np.empty(X.shape[::-1], dtype=np.int64)  # feature-major: contiguous rows
        columns = np.ascontiguousarray(X.T)
        for j, e in enumerate(self.bin_edges_):
            codes[j] = np.searchsorted(e[1:-1], columns[j], side="right")
        codes = codes.T
        if self.encode == "ordinal":
            return codes.astype(dtype)
        n, total = X.shape[0], int(self.n_bins_.sum())
        offsets = np.concatenate([[0], np.cumsum(self.n_bins_)[:-1]])
        out = np.zeros((n, total), dtype=dtype)
        out[np.arange(n)[:, None], offsets + codes] = 1
        return out

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Bin centres :math:`(e_b + e_{b+1})/2` for the given bins.

        Raises
        ------
        ValueError
            Wrong number of columns or bin indices out of range.
        """
        check_is_fitted(self, "bin_edges_")
        X = np.asarray(X, dtype=np.float64)
        p = self.n_bins_.size
        if self.encode != "ordinal":
            total = int(self.n_bins_.sum())
            if X.ndim != 2 or X.shape[1] != total:
                raise ValueError(
                    f"Incorrect number of features. Expecting {total}, received {X.shape[-1]}."
                )
            bounds = np.cumsum(self.n_bins_)[:-1]
            X = np.column_stack([b.argmax(axis=1) for b in np.split(X, bounds, axis=1)])
        if X.ndim != 2 or X.shape[1] != p:
            raise ValueError(
                f"Incorrect number of features. Expecting {p}, received {X.shape[-1]}."
            )
        out = np.empty(X.shape)
        for j, e in enumerate(self.bin_edges_):
            b = X[:, j]
            if ((b < 0) | (b >= self.n_bins_[j]) | (b != np.round(b))).any():
                raise ValueError(f"Column {j} holds bin indices outside 0..{self.n_bins_[j] - 1}")
            # halves first: the sum of two edges near the overflow threshold is not a float
            centres = e[1:] * 0.5 + e[:-1] * 0.5 if np.isfinite(e).all() else self._constant[[j]]
            out[:, j] = centres[b.astype(np.int64)]
        return out

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Input names (ordinal) or ``f"{name}_{bin}.0"`` per bin (one-hot), as scikit-learn."""
        check_is_fitted(self, "bin_edges_")
        names = _check_feature_names_in(self, input_features)
        if self.encode == "ordinal":
            return names
        return np.asarray(
            [f"{name}_{float(b)}" for name, k in zip(names, self.n_bins_) for b in range(k)],
            dtype=object,
        )


def _uniform_edges(lo, hi, k):
    """``k + 1`` equally spaced edges from ``lo`` to ``hi`` (as ``numpy.linspace``), formed as
    :math:`(1 - t) lo + t hi` when the range :math:`hi - lo` itself overflows float64."""
    if np.isfinite(float(hi) - float(lo)):  # Python floats: an overflow is inf, silently
        return np.linspace(lo, hi, k + 1)
    t = np.arange(k + 1) / k
    return (1.0 - t) * lo + t * hi


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)
