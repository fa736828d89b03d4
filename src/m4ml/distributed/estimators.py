r"""``StandardScaler`` from merged moments; ``Incremental``.

* :class:`StandardScaler` — the merged :class:`~m4ml.distributed.Moments` of the columns.
* :class:`Incremental` — any estimator with ``partial_fit``, fed the row blocks in order.

Each fitted estimator keeps the in-memory m4ml estimator as ``estimator_``; ``transform`` /
``predict`` of Dask input map its method over the row blocks, lazily.
"""

from collections.abc import Callable
from typing import Any, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone, is_classifier
from sklearn.utils.validation import check_is_fitted

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.sklearn_compat import validate_data
from m4ml.distributed._blocks import apply_rows, is_dask
from m4ml.distributed._fit_input import check_X_y, class_labels, fit_rows, to_dask_or_numpy
from m4ml.distributed._moment_units import in_data_units
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
        NaN or infinity in a chunk (unlike the in-memory scaler, which ignores NaN), or a
        variance beyond the float64 range (data of order :math:`10^{154}` and more).

    Notes
    -----
    :math:`s_j = \sqrt{M_{2,j}/n}` from the Chan–Golub–LeVeque merge; constant columns get
    :math:`s_j = 1`, as in memory. The moments are scaled by a power of two per column
    (:mod:`m4ml.distributed.moments`), so tiny data (:math:`10^{-300}`, or rows such as
    :math:`[0, 4\cdot10^{-162}]` whose squared deviations are subnormal) keep full precision, and
    huge data are accepted as long as ``var_`` is finite (beyond it, ``ValueError``).

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
        X = to_dask_or_numpy(X)
        # in memory, as m4ml.pipeline.StandardScaler: no refusal of tiny or huge values (their
        # moments are scaled), which the models' validation (fit_rows) has
        Xr = (
            fit_rows(self, X)
            if is_dask(X)
            else validate_data(self, X, reset=True, dtype=np.float64)
        )
        # per-column powers of two keep tiny and huge columns' squared deviations in range; M2
        # stays in units of c^2, as the in-memory scaler keeps it (c = 0: a column of zeros)
        m = moments(Xr, name="X", scaled=True)
        n = np.full(m.mean.shape, float(m.n))
        mean = in_data_units(m.mean, m.scale, "the mean of X")
        var_c = m.m2 / m.n
        est = _StandardScaler(with_mean=self.with_mean, with_std=self.with_std)
        est.n_samples_seen_, est.n_features_in_ = m.n, m.mean.size
        if hasattr(self, "feature_names_in_"):
            est.feature_names_in_ = self.feature_names_in_
        est._mean, est._m2, est._c, est._integral_count = mean, m.m2, m.scale, True
        est.mean_ = mean if (self.with_mean or self.with_std) else None
        est.var_ = est.scale_ = None
        if self.with_std:
            try:
                est.var_ = in_data_units(var_c, m.scale, "the variance of X", power=2)
            except ValueError as exc:
                raise ValueError(f"{exc}: scale the data first") from None
            scale = in_data_units(np.sqrt(var_c), m.scale, "the standard deviation of X")
            est.scale_ = handle_zeros_in_scale(scale, is_constant_feature(var_c, m.mean, n))
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
    are skipped. ``**fit_params`` (e.g. ``classes=``) go to every ``partial_fit`` call; for a
    classifier, ``classes`` defaults to the distinct labels of ``y``. ``predict``,
    ``transform`` and ``score`` exist when the wrapped estimator has them.

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
            yield X, y
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags, tags.regressor_tags = inner.classifier_tags, inner.regressor_tags
        tags.transformer_tags, tags.target_tags = inner.transformer_tags, inner.target_tags
        tags.input_tags = inner.input_tags
        return tags

    def fit(self, X: ArrayLike, y: ArrayLike | None = None, **fit_params: Any) -> Self:
        """``partial_fit`` on every block in order; returns ``self``.

        For a classifier without ``classes=`` in ``fit_params``, the classes are the distinct
        labels of ``y`` (one pass), which ``partial_fit`` needs on its first call.
        """
        if not hasattr(self.estimator, "partial_fit"):
            raise TypeError(f"estimator must have partial_fit, got {type(self.estimator).__name__}")
        if is_classifier(self.estimator):
            X, y = check_X_y(self, X, y)  # in-memory input: scikit-learn's checks
            if "classes" not in fit_params:
                fit_params["classes"] = class_labels(y)
        est = clone(self.estimator)
        for xb, yb in self._blocks(X, y):
            if yb is None:
                est.partial_fit(xb, **fit_params)
            else:
                est.partial_fit(xb, yb, **fit_params)
        self.estimator_ = est
        for name in ("n_features_in_", "feature_names_in_", "classes_"):
            if hasattr(est, name):
                setattr(self, name, getattr(est, name))
        return self

    def _method(self, name):
        check_is_fitted(self, "estimator_")
        return getattr(self.estimator_, name)

    def _needs(self, name):
        if not hasattr(self.estimator, name):
            raise AttributeError(f"{type(self.estimator).__name__} has no {name}")

    @property
    def predict(self) -> Callable[[ArrayLike], NDArray]:
        """``estimator_.predict`` over the blocks (lazy for Dask input)."""
        self._needs("predict")
        return self._predict

    @property
    def transform(self) -> Callable[[ArrayLike], FloatArray]:
        """``estimator_.transform`` over the blocks (lazy for Dask input)."""
        self._needs("transform")
        return self._transform

    @property
    def fit_transform(self) -> Callable[..., FloatArray]:
        """``fit`` then ``transform`` of the same ``X``."""
        self._needs("transform")
        return lambda X, y=None, **fit_params: self.fit(X, y, **fit_params).transform(X)

    @property
    def score(self) -> Callable[..., float]:
        """``estimator_.score`` (in-memory input; Dask input is computed first)."""
        self._needs("score")
        return self._score

    def _predict(self, X):
        method = self._method("predict")
        classes = getattr(self.estimator_, "classes_", None)
        dtype = np.float64 if classes is None else classes.dtype
        return apply_rows(method, X, dtype=dtype)

    def _transform(self, X):
        method = self._method("transform")
        if not is_dask(X) and not hasattr(X, "to_dask_array"):
            return method(X)
        n_out = np.asarray(method(np.asarray(X[:1]))).shape[1]
        return apply_rows(method, X, n_out)

    def _score(self, X, y=None):
        method = self._method("score")
        if is_dask(X) or hasattr(X, "to_dask_array"):
            X = np.asarray(X.compute() if is_dask(X) else X.compute().to_numpy())
        if is_dask(y) or hasattr(y, "compute"):
            y = np.asarray(y.compute())
        return float(method(X) if y is None else method(X, y))
