r"""Least squares, ridge and PCA over row blocks, all through TSQR.

**Least squares.** With the design :math:`A = [\mathbf 1\; X]` and the targets :math:`Y`, one
TSQR of the augmented matrix :math:`[A\; Y]` gives

.. math:: R = \begin{bmatrix} R_{11} & R_{12} \\ 0 & R_{22}\end{bmatrix},\qquad
    \min_W \|Y - AW\|_F \iff R_{11} W = R_{12},

since :math:`\|Y - AW\| ^2 = \|R_{12} - R_{11}W\|^2 + \|R_{22}\|^2` (the orthogonal factor
does not change norms). One pass over the data; only :math:`(q + t)^2` numbers per block
travel.

**Ridge.** The penalty :math:`\alpha\|w\|^2` is least squares with :math:`p` extra rows
:math:`[\,0\;\; \sqrt\alpha I\;\; 0\,]` appended to :math:`[A\; Y]`: one more block in the
TSQR tree, and the intercept stays unpenalized.

**PCA.** The covariance path would square the condition number of the centred data
(:math:`\lambda = \sigma^2`); the TSQR path keeps it: the mean first (merged moments, one
pass), then :math:`X - \bar x = QR` (second pass) and :math:`R = U\Sigma V^\top`, so the
principal axes are the rows of :math:`V^\top` and the explained variances
:math:`\sigma_k^2/(n - 1)`, exactly what :class:`m4ml.models.PCA`'s SVD path computes.
"""

from typing import Self

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, TransformerMixin

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.distributed._blocks import apply_rows, as_rows, check_block, map_reduce
from m4ml.distributed.moments import moments
from m4ml.distributed.tsqr import merge_r, r_factor, tsqr
from m4ml.linalg import lstsq, svd
from m4ml.models import PCA as _PCA
from m4ml.models import LinearRegression as _LinearRegression
from m4ml.models import Ridge as _Ridge
from m4ml.models.building_blocks import flip_signs

__all__ = ["PCA", "LinearRegression", "Ridge", "augmented_r"]


def _targets(y, n):
    yr = as_rows(y, "y")
    if yr.shape[0] != n:
        raise ValueError(f"X and y must have the same number of rows, got {n} and {yr.shape[0]}")
    return yr


def augmented_r(X, y, fit_intercept=True, alpha=0.0):
    r"""The R factor of :math:`[\mathbf 1\; X\; Y]` (penalty rows appended when ``alpha > 0``).

    Returns ``(R, q)``: R padded with zero rows to square, and the number of design columns
    :math:`q` (module docstring).
    """
    Xr = as_rows(X, "X")
    yr = _targets(y, Xr.shape[0])
    p = Xr.shape[1]

    def chunk(xb, yb):
        xb = check_block(xb, "X")
        yb = check_block(yb, "y")
        ones = np.ones((xb.shape[0], 1 if fit_intercept else 0))
        return r_factor(np.hstack([ones, xb, yb]))

    R = map_reduce(chunk, merge_r, Xr, yr)
    q = p + int(fit_intercept)
    if alpha > 0:
        pen = np.zeros((p, q + yr.shape[1]))
        pen[:, int(fit_intercept) : q] = np.sqrt(alpha) * np.eye(p)
        R = merge_r(R, pen)
    full = np.zeros((R.shape[1], R.shape[1]))
    full[: R.shape[0]] = R
    return full, q


def _set_linear(target, est, W, y, fit_intercept, p):
    """Give the in-memory estimator ``est`` the solution ``W`` (q x t) and copy it over."""
    one_d = np.ndim(y) == 1 or (hasattr(y, "ndim") and y.ndim == 1)
    b = W[0] if fit_intercept else np.zeros(W.shape[1])
    w = W[int(fit_intercept) :]
    est.coef_ = w[:, 0] if one_d else w.T.copy()
    est.intercept_ = float(b[0]) if one_d else b.copy()
    est.n_features_in_ = p
    target.estimator_ = est
    target.coef_, target.intercept_, target.n_features_in_ = est.coef_, est.intercept_, p
    return target


class _LinearPredict(RegressorMixin, BaseEstimator):
    def predict(self, X: ArrayLike) -> FloatArray:
        """:math:`Xw + b`: NumPy for NumPy input, a lazy Dask array for Dask input."""
        one_d = np.ndim(self.coef_) == 1
        n_out = None if one_d else self.coef_.shape[0]
        return apply_rows(self.estimator_.predict, X, n_out)


class LinearRegression(_LinearPredict):
    r"""Ordinary least squares over row blocks, through TSQR (module docstring).

    Parameters
    ----------
    fit_intercept : bool, default=True

    Attributes
    ----------
    coef_, intercept_, n_features_in_
        As :class:`m4ml.models.LinearRegression` (NumPy).
    estimator_ : m4ml.models.LinearRegression
        The in-memory estimator holding the solution; ``predict`` maps its method over blocks.

    Raises
    ------
    ValueError
        NaN/inf in a block of ``X`` or ``y``, or mismatched lengths.

    Notes
    -----
    :math:`R_{11} W = R_{12}` from the R factor of :math:`[\mathbf 1\; X\; Y]`, solved by
    :func:`m4ml.linalg.lstsq` (the minimum-norm solution if :math:`R_{11}` is singular).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> reg = LinearRegression().fit(X, 2.0 * X[:, 0] + 1.0)
    >>> np.round(reg.coef_, 12).tolist(), round(reg.intercept_, 12)
    ([2.0], 1.0)
    """

    def __init__(self, *, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Fit by one TSQR pass over ``X`` and ``y``; returns ``self``."""
        R, q = augmented_r(X, y, self.fit_intercept)
        W = lstsq(R[:q, :q], R[:q, q:])[0]
        est = _LinearRegression(fit_intercept=self.fit_intercept)
        return _set_linear(self, est, W, y, self.fit_intercept, q - int(self.fit_intercept))


class Ridge(_LinearPredict):
    r"""Ridge regression :math:`\min_{w,b}\|y - Xw - b\|^2 + \alpha\|w\|^2` through TSQR.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty :math:`\alpha \ge 0` (one value for every target).
    fit_intercept : bool, default=True

    Attributes
    ----------
    coef_, intercept_, n_features_in_, estimator_
        As :class:`LinearRegression`.

    Raises
    ------
    ValueError
        Negative or non-finite ``alpha``; NaN/inf in a block.

    Notes
    -----
    The penalty as :math:`p` extra rows :math:`\sqrt\alpha I` in the TSQR tree (module
    docstring); the normal equations :math:`(X_c^\top X_c + \alpha I)w = X_c^\top y_c` of the
    in-memory :class:`m4ml.models.Ridge` are never formed.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> np.round(Ridge(alpha=1.0).fit(X, [0.0, 1.0, 2.0]).coef_, 12).tolist()
    [0.666666666667]
    """

    def __init__(self, alpha: float = 1.0, *, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Fit by one TSQR pass with the penalty rows appended; returns ``self``."""
        alpha = float(self.alpha)
        if not np.isfinite(alpha) or alpha < 0:
            raise ValueError(f"alpha must be finite and non-negative, got {self.alpha!r}")
        R, q = augmented_r(X, y, self.fit_intercept, alpha)
        W = lstsq(R[:q, :q], R[:q, q:])[0]
        est = _Ridge(alpha=alpha, fit_intercept=self.fit_intercept)
        return _set_linear(self, est, W, y, self.fit_intercept, q - int(self.fit_intercept))


class PCA(TransformerMixin, BaseEstimator):
    r"""Principal component analysis over row blocks: merged mean, then TSQR of the centred data.

    Parameters
    ----------
    n_components : int or None
        Number of components (default: all, :math:`\min(n, p)`).
    whiten : bool, default=False

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, singular_values_, mean_,
    noise_variance_, n_components_, n_samples_, n_features_in_
        As :class:`m4ml.models.PCA`'s SVD path (components up to sign; the same sign rule).
    estimator_ : m4ml.models.PCA
        The in-memory PCA holding them; ``transform`` maps its method over blocks.

    Raises
    ------
    ValueError
        Fewer than 2 samples, ``n_components`` out of range, NaN/inf in a block.

    Notes
    -----
    Two passes: :math:`\bar x` by merged moments, :math:`X - \bar x = QR` by TSQR, then
    :math:`R = U\Sigma V^\top` (module docstring). The covariance path was not chosen: it
    squares the condition number.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    >>> np.round(PCA(n_components=1).fit(X).explained_variance_, 12).tolist()
    [2.0]
    """

    def __init__(self, n_components: int | None = None, *, whiten: bool = False) -> None:
        self.n_components = n_components
        self.whiten = whiten

    def fit(self, X: ArrayLike, y: None = None) -> Self:
        """Fit the principal axes in two passes over ``X``; returns ``self``."""
        Xr = as_rows(X, "X")
        n, d = Xr.shape
        if n < 2:
            raise ValueError(f"PCA needs at least 2 samples, got n_samples={n}")
        k = min(n, d) if self.n_components is None else self.n_components
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= min(n, d):
            raise ValueError(f"n_components must be an int in [1, {min(n, d)}], got {k!r}")
        mean = moments(Xr, name="X").mean
        R = tsqr(Xr - mean)
        s, Vt = svd(R, full_matrices=False)[1:]
        comps, _ = flip_signs(Vt)
        ev = s**2 / (n - 1)
        total = float(ev.sum())
        est = _PCA(n_components=int(k), whiten=self.whiten)
        est.mean_, est.n_samples_, est.n_components_, est.n_features_in_ = mean, n, int(k), d
        est.components_ = np.ascontiguousarray(comps[:k])
        est.explained_variance_ = ev[:k].copy()
        est.explained_variance_ratio_ = ev[:k] / total if total > 0 else np.zeros(k)
        est.singular_values_ = s[:k].copy()
        est.noise_variance_ = float(ev[k:].mean()) if k < min(n, d) else 0.0
        est._fit_svd_solver = "full"
        self.estimator_ = est
        for name in (
            "mean_",
            "n_samples_",
            "n_components_",
            "n_features_in_",
            "components_",
            "explained_variance_",
            "explained_variance_ratio_",
            "singular_values_",
            "noise_variance_",
        ):
            setattr(self, name, getattr(est, name))
        return self

    def transform(self, X: ArrayLike) -> FloatArray:
        """Scores :math:`(X - \\bar x) V_k`: lazy Dask for Dask input, else NumPy."""
        return apply_rows(self.estimator_.transform, X, self.n_components_)

    def inverse_transform(self, Z: ArrayLike) -> FloatArray:
        """Back to feature space, :math:`Z V_k^\\top + \\bar x` (lazy for Dask input)."""
        return apply_rows(self.estimator_.inverse_transform, Z, self.n_features_in_)
