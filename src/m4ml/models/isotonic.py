r"""Isotonic regression: the best monotone fit, by the pool-adjacent-violators algorithm.

Given responses :math:`y_1, \dots, y_n` (ordered by their inputs :math:`x_1 \le \dots \le x_n`)
and weights :math:`w_i > 0`, isotonic regression solves

.. math:: \min_{\hat y} \sum_i w_i (y_i - \hat y_i)^2 \quad \text{s.t.} \quad
          \hat y_1 \le \hat y_2 \le \dots \le \hat y_n .

The solution is piecewise constant: consecutive points are pooled into blocks and each block
takes the weighted mean of its responses. Pool-adjacent-violators scans left to right, keeping
a stack of blocks with increasing means; a new point that violates the order is merged with the
block before it, and merging repeats while the order is violated. Every merge removes a block,
so the scan costs :math:`O(n)`.
"""

import numbers
from typing import Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.models._base import check_is_fitted, check_sample_weight

__all__ = ["IsotonicRegression", "isotonic_regression"]


def _pava(y, w):
    """Increasing least-squares fit of ``y`` with weights ``w`` (both 1-D, w > 0)."""
    n = y.size
    means = np.empty(n)
    weights = np.empty(n)
    starts = np.empty(n, dtype=np.intp)
    top = -1
    for i in range(n):
        m, s, start = float(y[i]), float(w[i]), i
        # merge backwards while the previous block's mean is not below this one's
        while top >= 0 and means[top] >= m:
            total = weights[top] + s
            m = (weights[top] * means[top] + s * m) / total
            s = total
            start = starts[top]
            top -= 1
        top += 1
        means[top], weights[top], starts[top] = m, s, start
    lengths = np.diff(np.append(starts[: top + 1], n))
    return np.repeat(means[: top + 1], lengths)


@overflow_guard("isotonic_regression")
def isotonic_regression(
    y: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    y_min: float | None = None,
    y_max: float | None = None,
    increasing: bool = True,
) -> FloatArray:
    r"""Weighted least-squares monotone fit of a sequence (pool-adjacent-violators).

    Parameters
    ----------
    y : array_like, shape (n,)
        Responses, in the order of their inputs.
    sample_weight : array_like, shape (n,), optional
        Non-negative weights (ones by default).
    y_min, y_max : float, optional
        Clip the fitted values to ``[y_min, y_max]`` (this keeps the fit optimal: clipping a
        monotone least-squares solution solves the bounded problem).
    increasing : bool, default True
        Fit a non-decreasing (``True``) or non-increasing (``False``) sequence.

    Returns
    -------
    y_fit : ndarray, shape (n,)

    Raises
    ------
    ValueError
        ``y`` is not 1-D or not finite, bad weights.

    Notes
    -----
    Solves :math:`\min \sum_i w_i (y_i - \hat y_i)^2` subject to :math:`\hat y_1 \le \dots \le
    \hat y_n` in :math:`O(n)`: adjacent blocks that violate the order are pooled into their
    weighted mean until none does. The decreasing fit is the increasing fit of the reversed
    sequence, reversed.

    Examples
    --------
    >>> from m4ml.models.isotonic import isotonic_regression
    >>> isotonic_regression([1.0, 3.0, 2.0, 4.0, 3.5, 5.0]).tolist()
    [1.0, 2.5, 2.5, 3.75, 3.75, 5.0]
    """
    y = as_float_array(y, "y")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    if not np.isfinite(y).all():
        raise ValueError("y contains NaN or infinity")
    w = check_sample_weight(sample_weight, y.size) if y.size else np.ones(0)
    if not increasing:
        y, w = y[::-1], w[::-1]
    keep = w > 0
    fit = np.empty_like(y)
    if keep.all():
        fit = _pava(y, w)
    else:  # zero-weight points take the value of the block they sit in
        inner = _pava(y[keep], w[keep])
        index = np.maximum(np.cumsum(keep) - 1, 0)
        fit = inner[index] if inner.size else fit
    if not increasing:
        fit = fit[::-1]
    if y_min is not None or y_max is not None:
        fit = np.clip(fit, -np.inf if y_min is None else y_min, np.inf if y_max is None else y_max)
    return np.ascontiguousarray(fit)


def _average_ranks(a):
    order = np.argsort(a, kind="mergesort")
    sorted_a = a[order]
    new = np.r_[True, sorted_a[1:] != sorted_a[:-1]]
    group = np.cumsum(new) - 1
    bounds = np.r_[np.flatnonzero(new), a.size]
    avg = (bounds[:-1] + bounds[1:] - 1) / 2.0 + 1.0
    ranks = np.empty(a.size)
    ranks[order] = avg[group]
    return ranks


def _spearman_sign_increasing(x, y):
    """True when the Spearman rank correlation of x and y is >= 0 (scikit-learn's 'auto')."""
    rx = _average_ranks(x) - (x.size + 1) / 2.0
    ry = _average_ranks(y) - (y.size + 1) / 2.0
    return bool(rx @ ry >= 0)


class IsotonicRegression(RegressorMixin, TransformerMixin, BaseEstimator):
    r"""Monotone piecewise-linear regression of ``y`` on one feature.

    Parameters
    ----------
    y_min, y_max : float, optional
        Bounds on the fitted values.
    increasing : bool or "auto", default True
        Direction of the fit; ``"auto"`` picks it from the sign of the Spearman rank
        correlation of ``X`` and ``y``.
    out_of_bounds : {"nan", "clip", "raise"}, default "nan"
        What ``predict`` does with inputs outside the training range.

    Attributes
    ----------
    X_min_, X_max_ : float
        Range of the training inputs.
    X_thresholds_, y_thresholds_ : ndarray
        Breakpoints of the fitted piecewise-linear function (only the ends of the constant
        pieces are kept).
    increasing_ : bool
        The direction used.

    Notes
    -----
    Fitting sorts the points by ``x`` (ties in ``x`` are pooled into one point carrying their
    weighted mean and total weight), runs pool-adjacent-violators (:func:`isotonic_regression`)
    in :math:`O(n)` after the :math:`O(n \log n)` sort, and keeps the breakpoints of the step
    function. ``predict`` interpolates linearly between breakpoints, as scikit-learn does.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import IsotonicRegression
    >>> iso = IsotonicRegression().fit([1, 2, 3, 4, 5], [1.0, 3.0, 2.0, 4.0, 5.0])
    >>> iso.predict([1.5, 2.5, 4.5]).tolist()
    [1.75, 2.5, 4.5]
    """

    def __init__(
        self,
        *,
        y_min: float | None = None,
        y_max: float | None = None,
        increasing: bool | Literal["auto"] = True,
        out_of_bounds: Literal["nan", "clip", "raise"] = "nan",
    ):
        self.y_min = y_min
        self.y_max = y_max
        self.increasing = increasing
        self.out_of_bounds = out_of_bounds

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.one_d_array = True
        tags.input_tags.two_d_array = False
        return tags

    @staticmethod
    def _column(X, name="X"):
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise ValueError(f"{name} must be numeric, got dtype {X.dtype}")
        X = X.astype(np.float64)
        if not (X.ndim == 1 or (X.ndim == 2 and X.shape[1] == 1)):
            raise ValueError(
                "Isotonic regression input X should be a 1d array or 2d array with 1 feature"
            )
        X = X.reshape(-1)
        if not np.isfinite(X).all():
            raise ValueError(f"Input {name} contains NaN or infinity")
        return X

    def _check_params(self):
        if self.out_of_bounds not in ("nan", "clip", "raise"):
            raise ValueError(
                "out_of_bounds must be 'nan', 'clip' or 'raise', got " + repr(self.out_of_bounds)
            )
        if not (isinstance(self.increasing, (bool, np.bool_)) or self.increasing == "auto"):
            raise ValueError(f"increasing must be True, False or 'auto', got {self.increasing!r}")
        for name in ("y_min", "y_max"):
            v = getattr(self, name)
            if v is not None and not isinstance(v, numbers.Real):
                raise ValueError(f"{name} must be a number or None, got {v!r}")

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the monotone function; returns ``self``."""
        self._check_params()
        X = self._column(X)
        y = as_float_array(y, "y").reshape(-1) if np.ndim(y) <= 2 else None
        if y is None or y.size != X.size:
            raise ValueError("X and y must have the same number of samples")
        if not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity")
        if X.size < 1:
            raise ValueError("Found array with 0 sample(s) while a minimum of 1 is required.")
        w = check_sample_weight(sample_weight, X.size)
        self.increasing_ = (
            _spearman_sign_increasing(X, y) if self.increasing == "auto" else bool(self.increasing)
        )
        pos = w > 0
        X, y, w = X[pos], y[pos], w[pos]
        order = np.lexsort((y, X))
        X, y, w = X[order], y[order], w[order]
        new = np.r_[True, X[1:] != X[:-1]]
        group = np.cumsum(new) - 1
        ux = X[new]
        uw = np.bincount(group, weights=w)
        uy = np.bincount(group, weights=w * y) / uw
        fit = isotonic_regression(
            uy, sample_weight=uw, y_min=self.y_min, y_max=self.y_max, increasing=self.increasing_
        )
        self.X_min_, self.X_max_ = float(ux[0]), float(ux[-1])
        keep = np.ones(fit.size, dtype=bool)
        if fit.size > 2:  # a point strictly inside a constant piece is not a breakpoint
            keep[1:-1] = (fit[1:-1] != fit[:-2]) | (fit[1:-1] != fit[2:])
        self.X_thresholds_, self.y_thresholds_ = ux[keep], fit[keep]
        self.n_features_in_ = 1
        return self

    def transform(self, T: ArrayLike) -> FloatArray:
        """Evaluate the fitted function at ``T`` (linear interpolation between breakpoints)."""
        check_is_fitted(self, "X_thresholds_")
        T = self._column(T, "T")
        if self.out_of_bounds == "raise" and ((T < self.X_min_) | (T > self.X_max_)).any():
            raise ValueError(
                f"A value in T is outside the training range [{self.X_min_}, {self.X_max_}] "
                "and out_of_bounds='raise'"
            )
        if self.out_of_bounds == "clip":
            T = np.clip(T, self.X_min_, self.X_max_)
        if self.X_thresholds_.size == 1:
            out = np.full(T.shape, self.y_thresholds_[0])
        else:
            out = np.interp(T, self.X_thresholds_, self.y_thresholds_)
        if self.out_of_bounds == "nan":
            out[(T < self.X_min_) | (T > self.X_max_)] = np.nan
        return out

    def predict(self, T: ArrayLike) -> FloatArray:
        """Predicted values at ``T``; same as :meth:`transform`."""
        return self.transform(T)

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """The one output name, ``isotonicregression0``."""
        return np.asarray(["isotonicregression0"], dtype=object)
