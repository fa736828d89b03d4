r"""What every linear model shares: centring for the intercept, sample weights, prediction.

An unpenalized intercept is fitted by centring: with weights :math:`s_i` and weighted means
:math:`\bar x = \sum_i s_i x_i / \sum_i s_i`, :math:`\bar y` likewise, the minimizer of
:math:`\sum_i s_i (y_i - b - x_i^\top w)^2 + \mathrm{pen}(w)` over :math:`b` is
:math:`b = \bar y - \bar x^\top w` for every :math:`w`, so :math:`w` solves the problem on the
centred data :math:`x_i - \bar x`, :math:`y_i - \bar y` without an intercept. Weights then
enter by scaling row :math:`i` by :math:`\sqrt{s_i}` (weighted least squares is ordinary least
squares on the scaled rows).
"""

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.models._base import check_is_fitted, check_sample_weight, validate_X

__all__ = ["LinearPredictMixin", "center_and_scale"]


def center_and_scale(X, y, sample_weight, fit_intercept, *, rescale=True):
    """Centre ``X``/``y`` at their weighted means (if ``fit_intercept``), scale rows by √s.

    Returns ``(Xc, yc, x_offset, y_offset, sw)``; ``sw`` is the validated weight vector or None.
    ``y`` may be 1-D or 2-D (one column per target).
    """
    n = X.shape[0]
    sw = None if sample_weight is None else check_sample_weight(sample_weight, n)
    if fit_intercept:
        x_off = X.mean(axis=0) if sw is None else (sw @ X) / sw.sum()
        y_off = y.mean(axis=0) if sw is None else (sw @ y) / sw.sum()
        Xc, yc = X - x_off, y - y_off
    else:
        x_off = np.zeros(X.shape[1])
        y_off = np.zeros(y.shape[1:]) if y.ndim == 2 else 0.0
        Xc, yc = X, y
    if sw is not None and rescale:
        root = np.sqrt(sw)
        Xc = Xc * root[:, None]
        yc = yc * (root if y.ndim == 1 else root[:, None])
    return Xc, yc, x_off, y_off, sw


class LinearPredictMixin:
    """``predict`` and the decision function :math:`\\hat y = X w + b`."""

    def _decision_function(self, X):
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        return X @ np.asarray(self.coef_).T + self.intercept_

    def predict(self, X: ArrayLike) -> FloatArray:
        """Predict :math:`X w + b`: shape ``(n_samples,)`` (or ``(n_samples, n_targets)``)."""
        return self._decision_function(X)

    def _set_intercept(self, x_off, y_off):
        if self.fit_intercept:
            self.intercept_ = y_off - x_off @ np.asarray(self.coef_).T
        else:
            self.intercept_ = 0.0 if np.ndim(self.coef_) == 1 else np.zeros(self.coef_.shape[0])
        if np.ndim(self.intercept_) == 0:
            self.intercept_ = float(self.intercept_)
