r"""Regression metrics: squared and absolute errors, :math:`R^2` and explained variance.

Every metric accepts one output (``y`` of shape ``(n,)``) or several (``(n, m)``), optional
sample weights, and ``multioutput``: ``"raw_values"`` (one score per output),
``"uniform_average"`` (their mean), an array of output weights, and for :math:`R^2` and
explained variance ``"variance_weighted"`` (weights proportional to each output's variance).
"""

from typing import Literal

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.pipeline.metrics._labels import check_sample_weight, warn_undefined

__all__ = [
    "explained_variance_score",
    "mean_absolute_error",
    "mean_squared_error",
    "r2_score",
    "root_mean_squared_error",
]

_MULTIOUTPUT = ("raw_values", "uniform_average", "variance_weighted")


def _check_regression(y_true, y_pred, sample_weight, multioutput, variance_ok=False):
    """Validated 2-D float targets, weights and multioutput setting."""
    t = as_float_array(y_true, "y_true", min_ndim=1, max_ndim=2)
    p = as_float_array(y_pred, "y_pred", min_ndim=1, max_ndim=2)
    if t.shape[0] != p.shape[0]:
        raise ValueError(
            f"Inconsistent numbers of samples: y_true has {t.shape[0]}, y_pred has {p.shape[0]}"
        )
    if t.shape[0] == 0:
        raise ValueError("y_true and y_pred are empty; at least one sample is required")
    t = t.reshape(t.shape[0], -1)
    p = p.reshape(p.shape[0], -1)
    if t.shape[1] != p.shape[1]:
        raise ValueError(
            f"y_true and y_pred have different number of output ({t.shape[1]}!={p.shape[1]})"
        )
    allowed = _MULTIOUTPUT if variance_ok else _MULTIOUTPUT[:2]
    if isinstance(multioutput, str):
        if multioutput not in allowed:
            raise ValueError(
                f"Allowed 'multioutput' string values are {allowed}. You provided "
                f"multioutput={multioutput!r}"
            )
    elif multioutput is not None:
        multioutput = as_float_array(multioutput, "multioutput", min_ndim=1, max_ndim=1)
        if t.shape[1] == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if multioutput.shape[0] != t.shape[1]:
            raise ValueError(
                f"There must be equally many custom weights ({multioutput.shape[0]}) as "
                f"outputs ({t.shape[1]})."
            )
    w = check_sample_weight(sample_weight, t.shape[0])
    if w is not None and w.sum() == 0:
        raise ValueError("sample_weight sums to zero; at least one weight must be positive")
    return t, p, w, multioutput


def _combine(per_output, multioutput):
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return per_output
    weights = None if isinstance(multioutput, str) or multioutput is None else multioutput
    return float(np.average(per_output, weights=weights))


@overflow_guard("mean_squared_error")
def mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: Literal["raw_values", "uniform_average"] | ArrayLike = "uniform_average",
) -> float | FloatArray:
    r"""Mean squared error.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,) or (n_samples, n_outputs)
        True and predicted values (finite).
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    multioutput : {"raw_values", "uniform_average"} or array_like of shape (n_outputs,)
        How several outputs are combined.

    Returns
    -------
    float, or ndarray of shape (n_outputs,) for ``"raw_values"``

    Raises
    ------
    ValueError
        Mismatched lengths or numbers of outputs, empty or non-finite input, bad
        ``multioutput``.

    Notes
    -----
    .. math:: \mathrm{MSE} = \frac{\sum_i w_i (y_i - \hat y_i)^2}{\sum_i w_i}

    References
    ----------
    .. [1] T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*,
       2nd ed., Springer, 2009, sec. 2.4.

    Examples
    --------
    >>> mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.375
    """
    t, p, w, multioutput = _check_regression(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.average((t - p) ** 2, axis=0, weights=w), multioutput)


@overflow_guard("root_mean_squared_error")
def root_mean_squared_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: Literal["raw_values", "uniform_average"] | ArrayLike = "uniform_average",
) -> float | FloatArray:
    r"""Root mean squared error, per output, then combined.

    Parameters are those of :func:`mean_squared_error`.

    Returns
    -------
    float, or ndarray of shape (n_outputs,) for ``"raw_values"``

    Raises
    ------
    ValueError
        As :func:`mean_squared_error`.

    Notes
    -----
    .. math:: \mathrm{RMSE}_j = \sqrt{\mathrm{MSE}_j}

    The square root is taken per output before averaging over outputs.

    References
    ----------
    .. [1] T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*, 2009.

    Examples
    --------
    >>> root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.6123724356957945
    """
    t, p, w, multioutput = _check_regression(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.sqrt(np.average((t - p) ** 2, axis=0, weights=w)), multioutput)


def mean_absolute_error(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: Literal["raw_values", "uniform_average"] | ArrayLike = "uniform_average",
) -> float | FloatArray:
    r"""Mean absolute error.

    Parameters are those of :func:`mean_squared_error`.

    Returns
    -------
    float, or ndarray of shape (n_outputs,) for ``"raw_values"``

    Raises
    ------
    ValueError
        As :func:`mean_squared_error`.

    Notes
    -----
    .. math:: \mathrm{MAE} = \frac{\sum_i w_i |y_i - \hat y_i|}{\sum_i w_i}

    References
    ----------
    .. [1] C. J. Willmott, K. Matsuura, "Advantages of the mean absolute error (MAE) over the
       root mean square error (RMSE)", *Climate Research* 30 (2005) 79-82.

    Examples
    --------
    >>> mean_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    t, p, w, multioutput = _check_regression(y_true, y_pred, sample_weight, multioutput)
    return _combine(np.average(np.abs(t - p), axis=0, weights=w), multioutput)


def _deviations(a, w):
    """Each column's deviations from its weighted mean; exactly 0 for a constant column.

    The rounded mean of identical values need not equal them (26 copies of 274.0 less
    46.0427 average to a value one ulp off), and their "variance" 1e-29 would turn the
    constant-target conventions below into 0 or -1e33 instead of 1 or 0.
    """
    mean = np.average(a, axis=0, weights=w)
    return a - np.where(a.min(axis=0) == a.max(axis=0), a[0], mean)


def _fraction_explained(num, den, multioutput, force_finite):
    """:math:`1 - num/den` per output, with the finite conventions, then combined."""
    if force_finite:
        scores = np.ones_like(num)
        valid = (den != 0) & (num != 0)
        scores[valid] = 1 - num[valid] / den[valid]
        scores[(num != 0) & (den == 0)] = 0.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            scores = 1 - num / den
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return scores
    with np.errstate(invalid="ignore"):  # -inf/NaN scores (force_finite=False) propagate
        if isinstance(multioutput, str):
            if multioutput == "variance_weighted" and (den != 0).any():
                return float(np.average(scores, weights=den))
            return float(np.mean(scores))
        return float(np.average(scores, weights=multioutput))


def _check_force_finite(force_finite):
    if not isinstance(force_finite, bool | np.bool_):
        raise ValueError(f"force_finite must be a bool, got {force_finite!r}")


@overflow_guard("r2_score")
def r2_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: Literal["raw_values", "uniform_average", "variance_weighted"]
    | ArrayLike = "uniform_average",
    force_finite: bool = True,
) -> float | FloatArray:
    r"""Coefficient of determination :math:`R^2`.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,) or (n_samples, n_outputs)
        True and predicted values.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array_like
        How several outputs are combined.
    force_finite : bool, default True
        For a constant ``y_true`` return 1 (perfect prediction) or 0 (otherwise) instead of
        NaN or :math:`-\infty`.

    Returns
    -------
    float, or ndarray of shape (n_outputs,) for ``"raw_values"``; NaN (with a warning) for
    fewer than two samples.

    Raises
    ------
    ValueError
        As :func:`mean_squared_error`.

    Notes
    -----
    .. math:: R^2 = 1 - \frac{\sum_i w_i (y_i - \hat y_i)^2}{\sum_i w_i (y_i - \bar y_w)^2}

    the fraction of the variance of :math:`y` around its weighted mean :math:`\bar y_w`
    that the predictions explain; it can be negative for a model worse than the mean.

    References
    ----------
    .. [1] N. R. Draper, H. Smith, *Applied Regression Analysis*, 3rd ed., Wiley, 1998, ch. 1.

    Examples
    --------
    >>> round(r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.948608
    """
    _check_force_finite(force_finite)
    t, p, w, multioutput = _check_regression(y_true, y_pred, sample_weight, multioutput, True)
    if t.shape[0] < 2:
        warn_undefined("R^2 score is not well-defined with less than two samples.")
        return float("nan")
    ww = 1.0 if w is None else w[:, None]
    num = (ww * (t - p) ** 2).sum(axis=0)
    den = (ww * _deviations(t, w) ** 2).sum(axis=0)
    return _fraction_explained(num, den, multioutput, force_finite)


@overflow_guard("explained_variance_score")
def explained_variance_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    multioutput: Literal["raw_values", "uniform_average", "variance_weighted"]
    | ArrayLike = "uniform_average",
    force_finite: bool = True,
) -> float | FloatArray:
    r"""Explained variance: :math:`R^2` computed with the residuals' mean removed.

    Parameters are those of :func:`r2_score`.

    Returns
    -------
    float, or ndarray of shape (n_outputs,) for ``"raw_values"``

    Raises
    ------
    ValueError
        As :func:`mean_squared_error`.

    Notes
    -----
    .. math:: \mathrm{EV} = 1 - \frac{\operatorname{Var}_w(y - \hat y)}{\operatorname{Var}_w(y)}

    It equals :math:`R^2` when the residuals have zero mean; unlike :math:`R^2` it ignores a
    constant bias in the predictions.

    References
    ----------
    .. [1] N. R. Draper, H. Smith, *Applied Regression Analysis*, 3rd ed., Wiley, 1998.

    Examples
    --------
    >>> round(explained_variance_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.957173
    """
    _check_force_finite(force_finite)
    t, p, w, multioutput = _check_regression(y_true, y_pred, sample_weight, multioutput, True)
    resid = t - p
    num = np.average(_deviations(resid, w) ** 2, axis=0, weights=w)
    den = np.average(_deviations(t, w) ** 2, axis=0, weights=w)
    return _fraction_explained(num, den, multioutput, force_finite)
