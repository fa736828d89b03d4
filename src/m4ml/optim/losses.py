"""Regression losses (mse, mae, huber, log_cosh) and the conventions every loss shares.

Losses are differentiable (written on :mod:`m4ml.numpy`) and numerically stable. Every loss
takes ``(y_true, y_pred)`` in that order (scikit-learn's metrics and Keras's losses use it) and
a ``reduction``: ``"mean"`` (default) averages the elementwise losses, ``"sum"`` adds them,
``"none"`` returns them (one per element; one per sample for
:func:`~m4ml.optim.losses_classification.softmax_cross_entropy`). ``y_true`` is data (a plain
array); ``y_pred`` may be a traced value, so ``grad(lambda w: mse(y, X @ w))`` works. The
classification losses are in :mod:`m4ml.optim.losses_classification`.
"""

from typing import Literal

import numpy as np

import m4ml.numpy as mnp
from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.optim._overflow import overflow_checked

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(values, reduction):
    if reduction == "mean":
        return mnp.mean(values)
    if reduction == "sum":
        return mnp.sum(values)
    return values


def _check(y_true, y_pred, reduction, name="y_true"):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    y_true = as_float_array(y_true, name)
    if not hasattr(y_pred, "shape") or isinstance(y_pred, np.ndarray):
        y_pred = as_float_array(y_pred, "y_pred")
    if tuple(np.shape(y_true)) != tuple(mnp.shape(y_pred)):
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {np.shape(y_true)} and "
            f"{mnp.shape(y_pred)}"
        )
    return y_true, y_pred


@overflow_checked
def mse(
    y_true: ArrayLike, y_pred: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Mean squared error :math:`\frac1n\sum_i (y_i - \hat y_i)^2`.

    Parameters
    ----------
    y_true : array_like
        Targets.
    y_pred : array_like or traced value
        Predictions, same shape as ``y_true``.
    reduction : {"mean", "sum", "none"}
        How the elementwise losses are combined.

    Returns
    -------
    float or ndarray
        The reduced loss (an array of elementwise losses for ``"none"``).

    Raises
    ------
    ValueError
        Shapes differ, NaN/inf in the inputs, or an unknown ``reduction``.

    Notes
    -----
    The Gaussian negative log-likelihood up to constants; gradient
    :math:`\partial/\partial\hat y_i = 2(\hat y_i - y_i)/n`. Cost :math:`O(n)`.

    References
    ----------
    Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., ch. 2.

    Examples
    --------
    >>> float(mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))
    1.3333333333333333
    """
    y_true, y_pred = _check(y_true, y_pred, reduction)
    return _reduce(mnp.square(y_pred - y_true), reduction)


@overflow_checked
def mae(
    y_true: ArrayLike, y_pred: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Mean absolute error :math:`\frac1n\sum_i |y_i - \hat y_i|`.

    Parameters
    ----------
    y_true, y_pred : array_like
        Targets and predictions of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        Shapes differ, NaN/inf, or an unknown ``reduction``.

    Notes
    -----
    The Laplace negative log-likelihood up to constants; its minimizer over a constant is the
    median. The subgradient used at :math:`y_i = \hat y_i` is 0.

    References
    ----------
    Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., §10.6.

    Examples
    --------
    >>> float(mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0]))
    0.6666666666666666
    """
    y_true, y_pred = _check(y_true, y_pred, reduction)
    return _reduce(mnp.abs(y_pred - y_true), reduction)


@overflow_checked
def huber(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    delta: float = 1.0,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> float | FloatArray:
    r"""Huber loss: quadratic for small residuals, linear for large ones.

    Parameters
    ----------
    y_true, y_pred : array_like
        Targets and predictions of the same shape.
    delta : float
        The residual size where the loss turns linear (> 0).
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        ``delta <= 0``, shapes differ, NaN/inf, or an unknown ``reduction``.

    Notes
    -----
    With :math:`r = \hat y - y`,

    .. math:: \ell_\delta(r) = \begin{cases} r^2/2 & |r| \le \delta \\
              \delta(|r| - \delta/2) & |r| > \delta \end{cases}

    (PyTorch's ``HuberLoss``). It is once continuously differentiable, with gradient
    :math:`\mathrm{clip}(r, -\delta, \delta)`, so outliers pull with bounded force.

    References
    ----------
    P. J. Huber, "Robust estimation of a location parameter", Ann. Math. Stat. 35 (1964).

    Examples
    --------
    >>> float(huber([0.0, 0.0], [0.5, 3.0]))
    1.3125
    """
    if not delta > 0:
        raise ValueError(f"delta must be > 0, got {delta}")
    y_true, y_pred = _check(y_true, y_pred, reduction)
    a = mnp.abs(y_pred - y_true)
    q = mnp.minimum(a, delta)  # quadratic part; the remainder a - q is linear
    return _reduce(0.5 * q * q + delta * (a - q), reduction)


@overflow_checked
def log_cosh(
    y_true: ArrayLike, y_pred: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Log-cosh loss :math:`\log\cosh(\hat y - y)`, computed without overflow.

    Parameters
    ----------
    y_true, y_pred : array_like
        Targets and predictions of the same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        Shapes differ, NaN/inf, or an unknown ``reduction``.

    Notes
    -----
    :math:`\cosh r` overflows for :math:`|r| > 710`; the identity

    .. math:: \log\cosh r = |r| + \log(1 + e^{-2|r|}) - \log 2

    is exact and never overflows; it is used for :math:`|r| \ge 20`. Near 0 it cancels
    (:math:`|r| - \log 2 + \log 2`), so there :math:`\log\cosh r = \log(1 + 2\sinh^2(r/2))`
    with ``log1p`` keeps full relative accuracy (:math:`\approx r^2/2` even for
    :math:`r = 10^{-8}`). The loss behaves like :math:`r^2/2` near 0 and like
    :math:`|r| - \log 2` far away; its gradient is :math:`\tanh r`.

    References
    ----------
    P. Chen et al., "Log hyperbolic cosine loss improves variational auto-encoder" (2019).

    Examples
    --------
    >>> round(float(log_cosh([0.0, 0.0], [1.0, 1000.0])), 10)
    499.870316825
    """
    y_true, y_pred = _check(y_true, y_pred, reduction)
    a = mnp.abs(y_pred - y_true)
    far = a + mnp.log1p(mnp.exp(-2.0 * a)) - np.log(2.0)
    sh = mnp.sinh(0.5 * mnp.minimum(a, 20.0))  # clipped: the unused branch stays finite
    near = mnp.log1p(2.0 * sh * sh)
    return _reduce(mnp.where(a < 20.0, near, far), reduction)
