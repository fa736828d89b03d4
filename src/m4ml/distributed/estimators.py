r"""``StandardScaler`` from merged moments; ``Incremental``.

* :class:`StandardScaler` — the merged :class:`~m4ml.distributed.Moments` of the columns.
* :class:`Incremental` — any estimator with ``partial_fit``, fed the row blocks in order.

Each fitted estimator keeps the in-memory m4ml estimator as ``estimator_``; ``transform`` /
``predict`` of Dask input map its method over the row blocks, lazily.
"""

from typing import Any, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.distributed._blocks import apply_rows, is_dask
from m4ml.distributed._fit_input import fit_rows
from m4ml.distributed.moments import moments
from m4ml.pipeline import StandardScaler as _StandardScaler
from m4ml.pipeline._column_stats import handle_zeros_in_scale, is_constant_feature

__all__ = ["Incremental", "StandardScaler"]


class StandardScaler(TransformerMixin, BaseEstimator):
    r"""Standardize columns, :math:`z = (x - \bar x)/s`, fitted from merged chunk moments.

    Parameters
    ----------
    with_mean, with_std : bool, default=True

    Attributes
    ----------
    mean_, var_, scale_, n_samples_seen_, n_features_in_
        As :class:`m4ml.pipeline.StandardScaler` (``var_`` with ddof 0).
    estimator_ : m4ml.pipeline.StandardScaler

    Raises
    ------
    ValueError
        NaN or infinity in a chunk (unlike the in-memory scaler, which ignores NaN).

    Notes
    -----
    :math:`s_j = \sqrt{M_{2,j}/n}` from the Chan–Golub–LeVeque merge; constant columns get
    :math:`s_j = 1`, as in memory.

    Examples
    --------
    >>> StandardScaler().fit(np.array([[0.0], [2.0]])).scale_.tolist()
    [1.0]
    """

    def __init__(self, *, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X: ArrayLike, y: None = None) -> Self:
        """Merge the column moments of every chunk; returns ``self``."""
        Xr = fit_rows(self, X)
        m = moments(Xr, name="X")
        n = np.full(m.mean.shape, float(m.n))
        var = m.m2 / m.n
        est = _StandardScaler(with_mean=self.with_mean, with_std=self.with_std)
        est.n_samples_seen_, est.n_features_in_ = m.n, m.mean.size
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
        est._mean, est._m2, est._integral_count = m.mean, m.m2, True
        est.mean_ = m.mean if (self.with_mean or self.with_std) else None
        est.var_ = var if self.with_std else None
        est.scale_ = (
            handle_zeros_in_scale(np.sqrt(var), is_constant_feature(var, m.mean, n))
            if self.with_std
            else None
        )
        self.estimator_ = est
        for name in ("mean_", "var_", "scale_", "n_samples_seen_"):
            setattr(self, name, getattr(est, name))
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Standardized ``X``: lazy Dask for Dask input, else NumPy (NaN/inf refused)."""
        check_is_fitted(self, "estimator_")
        return apply_rows(_finite(self.estimator_.transform), X, self.n_features_in_)

    def inverse_transform(self, X: ArrayLike) -> FloatArray:
        """Back to the original units, :math:`x = z s + \\bar x` (NaN/inf refused)."""
        check_is_fitted(self, "estimator_")
        return apply_rows(_finite(self.estimator_.inverse_transform), X, self.n_features_in_)


def _finite(method):
    """``method`` (an in-memory transform), refusing input with NaN or infinity, as ``fit``."""

    def checked(X):
        out = method(X)
        if not np.isfinite(out).all():
            raise ValueError(
                "X contains NaN or infinity; m4ml.distributed does not drop missing values: "
                "impute or remove them first"
            )
        return out

    return checked


class Incremental(BaseEstimator):
    """Fit any estimator with ``partial_fit`` by feeding it the row blocks in order.

    Parameters
    ----------
    estimator : estimator with ``partial_fit``
        Cloned at ``fit``; the fitted copy is ``estimator_``.

    Attributes
    ----------
    estimator_ : estimator
        Equal to calling ``partial_fit`` on the same blocks in memory.

    Raises
    ------
    TypeError
        ``estimator`` has no ``partial_fit``.

    Notes
    -----
    Sequential by nature: block :math:`i+1` updates the state left by block :math:`i`; only
    one block is in memory at a time (each is computed when its turn comes). Empty blocks
    are skipped. ``**fit_params`` (e.g. ``classes=``) go to every ``partial_fit`` call.

    Examples
    --------
    >>> from m4ml.pipeline import StandardScaler as Scaler
    >>> Incremental(Scaler()).fit(np.array([[0.0], [2.0]])).estimator_.mean_.tolist()
    [1.0]
    """

    def __init__(self, estimator: BaseEstimator) -> None:
        self.estimator = estimator

    def _blocks(self, X, y):
        Xr = X.to_dask_array(lengths=True) if hasattr(X, "to_dask_array") else X
        if not is_dask(Xr):
            yield np.asarray(Xr), None if y is None else np.asarray(y)
            return
        import dask.array as da

        if Xr.ndim == 2 and len(Xr.chunks[1]) > 1:
            Xr = Xr.rechunk({1: -1})
        rows = Xr.chunks[0]
        offsets = np.concatenate([[0], np.cumsum(rows)]).astype(int)
        yd = None if y is None else da.asarray(y).rechunk({0: rows})
        for i in range(len(rows)):
            if rows[i] == 0:
                continue
            xb = Xr[offsets[i] : offsets[i + 1]]
            if yd is None:
                yield xb.compute(), None
            else:
                yield da.compute(xb, yd[offsets[i] : offsets[i + 1]])

    def fit(self, X: ArrayLike, y: ArrayLike | None = None, **fit_params: Any) -> Self:
        """``partial_fit`` on every block in order; returns ``self``."""
        if not hasattr(self.estimator, "partial_fit"):
            raise TypeError(f"estimator must have partial_fit, got {type(self.estimator).__name__}")
        est = clone(self.estimator)
        for xb, yb in self._blocks(X, y):
            if yb is None:
                est.partial_fit(xb, **fit_params)
            else:
                est.partial_fit(xb, yb, **fit_params)
        self.estimator_ = est
        return self

    def predict(self, X: ArrayLike) -> NDArray:
        """``estimator_.predict`` over the blocks (lazy for Dask input)."""
        classes = getattr(self.estimator_, "classes_", None)
        dtype = np.float64 if classes is None else classes.dtype
        return apply_rows(self.estimator_.predict, X, dtype=dtype)

    def transform(self, X: ArrayLike) -> FloatArray:
        """``estimator_.transform`` over the blocks (lazy for Dask input)."""
        n_out = np.asarray(self.estimator_.transform(np.asarray(X[:1]))).shape[1]
        return apply_rows(self.estimator_.transform, X, n_out)
