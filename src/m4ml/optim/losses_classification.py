r"""Classification losses: binary and softmax cross-entropy, hinge and squared hinge.

Same conventions as :mod:`m4ml.optim.losses` (``(y_true, y_pred)`` order, ``reduction``,
differentiable in ``y_pred``). :func:`cross_entropy` is the deprecated old name of
:func:`softmax_cross_entropy`: it clashed with the information-theoretic
:math:`H(p, q)` of :mod:`m4ml.probability`, which keeps that name.
"""

import warnings
from typing import Literal

import numpy as np

import m4ml.numpy as mnp
from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.autodiff import primal
from m4ml.optim._overflow import overflow_checked
from m4ml.optim.losses import _REDUCTIONS, _check, _reduce


@overflow_checked
def binary_cross_entropy(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    from_logits: bool = False,
    eps: float = 1e-12,
    reduction: Literal["mean", "sum", "none"] = "mean",
) -> float | FloatArray:
    r"""Binary cross-entropy (log loss) from probabilities or from logits.

    Parameters
    ----------
    y_true : array_like
        Targets in [0, 1] (labels 0/1, or soft labels).
    y_pred : array_like
        Probabilities of class 1, or logits :math:`z` when ``from_logits=True``.
    from_logits : bool
        Read ``y_pred`` as logits and use the stable log-sigmoid form (recommended).
    eps : float
        Probabilities are clipped to :math:`[\epsilon, 1 - \epsilon]` (probability input only).
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        Targets outside [0, 1], probabilities outside [0, 1], shapes differ, NaN/inf.

    Notes
    -----
    :math:`\ell = -[y\log p + (1-y)\log(1-p)]`. From logits, with :math:`p = \sigma(z)`,
    :math:`-\log\sigma(z) = \log(1 + e^{-z})` and the loss is

    .. math:: \ell = \log(1 + e^{z}) - y z = \mathrm{logaddexp}(0, z) - yz,

    which never overflows (at :math:`z = \pm 10^3` it is exact) and whose gradient is
    :math:`\sigma(z) - y`.

    References
    ----------
    C. M. Bishop, *Pattern Recognition and Machine Learning* (2006), §4.3.2.

    Examples
    --------
    >>> round(float(binary_cross_entropy([1.0, 0.0], [0.8, 0.1])), 10)
    0.1642520335
    >>> float(binary_cross_entropy([1.0], [1000.0], from_logits=True))
    0.0
    """
    y_true, y_pred = _check(y_true, y_pred, reduction)
    if y_true.size and (y_true.min() < 0 or y_true.max() > 1):
        raise ValueError("binary_cross_entropy: y_true must lie in [0, 1]")
    if from_logits:
        return _reduce(mnp.logaddexp(0.0, y_pred) - y_true * y_pred, reduction)
    p = np.asarray(primal(y_pred))
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError("binary_cross_entropy: probabilities must lie in [0, 1]")
    p = mnp.clip(y_pred, eps, 1.0 - eps)
    return _reduce(-(y_true * mnp.log(p) + (1.0 - y_true) * mnp.log1p(-p)), reduction)


@overflow_checked
def softmax_cross_entropy(
    y_true: ArrayLike, logits: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Softmax cross-entropy from logits, with integer or one-hot (probability) targets.

    Parameters
    ----------
    y_true : array_like
        Integer class labels of shape ``(n,)`` in ``[0, k)``, or target distributions of
        shape ``(n, k)`` (one-hot or soft labels, rows summing to 1).
    logits : array_like, shape (n, k)
        Unnormalized scores.
    reduction : {"mean", "sum", "none"}
        ``"none"`` returns one loss per sample.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        Wrong shapes, labels out of range or not integers, NaN/inf.

    Notes
    -----
    :math:`\ell_i = -\sum_k y_{ik}\log\mathrm{softmax}(z_i)_k
    = \mathrm{logsumexp}(z_i) - \sum_k y_{ik} z_{ik}` (using :math:`\sum_k y_{ik} = 1`),
    computed through the max-shifted log-sum-exp so extreme logits never overflow; the
    gradient is :math:`\mathrm{softmax}(z_i) - y_i`. Cost :math:`O(nk)`.

    References
    ----------
    I. Goodfellow, Y. Bengio & A. Courville, *Deep Learning* (2016), §6.2.2.3.

    Examples
    --------
    >>> z = [[2.0, 1.0, 0.1], [0.5, 2.5, 0.2]]
    >>> round(float(softmax_cross_entropy([0, 1], z)), 10)
    0.3142909726
    >>> round(float(softmax_cross_entropy([[1, 0, 0], [0, 1, 0]], z)), 10)
    0.3142909726
    """
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
    if isinstance(logits, (list, tuple, np.ndarray)):
        logits = as_float_array(logits, "logits")
    shape = tuple(mnp.shape(logits))
    if len(shape) != 2:
        raise ValueError(f"logits must have shape (n, k), got {shape}")
    n, k = shape
    t = np.asarray(y_true)
    lse = mnp.logsumexp(logits, axis=1)
    if t.ndim == 1:
        if t.shape[0] != n:
            raise ValueError(f"y_true has {t.shape[0]} labels for {n} rows of logits")
        if t.dtype.kind == "f":
            if not np.all(np.isfinite(t)) or np.any(t != np.round(t)):
                raise ValueError("integer targets must be whole numbers")
            t = t.astype(np.int64)
        elif t.dtype.kind not in "iu":
            raise ValueError(f"y_true must hold integer labels, got dtype {t.dtype}")
        if t.size and (t.min() < 0 or t.max() >= k):
            raise ValueError(f"labels must lie in [0, {k}), got range [{t.min()}, {t.max()}]")
        picked = logits[np.arange(n), t]
    elif t.ndim == 2:
        t = as_float_array(t, "y_true")
        if t.shape != shape:
            raise ValueError(f"one-hot y_true must have the shape of logits {shape}, got {t.shape}")
        picked = mnp.sum(t * logits, axis=1)
        lse = lse * np.sum(t, axis=1)  # soft labels that do not sum to 1 stay consistent
    else:
        raise ValueError(f"y_true must be 1-D labels or 2-D one-hot, got shape {t.shape}")
    return _reduce(lse - picked, reduction)


def cross_entropy(
    y_true: ArrayLike, logits: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Deprecated alias of :func:`softmax_cross_entropy` (removed in the next release).

    The name clashed with :func:`m4ml.probability.cross_entropy`, the information-theoretic
    :math:`H(p, q) = -\sum_k p_k \log q_k` of two distributions.

    Parameters
    ----------
    y_true, logits, reduction
        As for :func:`softmax_cross_entropy`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        As for :func:`softmax_cross_entropy`.

    Warns
    -----
    DeprecationWarning
        Always: use :func:`softmax_cross_entropy`.

    Notes
    -----
    :math:`\ell_i = \mathrm{logsumexp}(z_i) - \sum_k y_{ik} z_{ik}`.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     round(float(cross_entropy([0], [[2.0, 1.0]])), 10)
    0.3132616875
    """
    warnings.warn(
        "m4ml.optim.cross_entropy(y_true, logits) is deprecated and will be removed in the next "
        "release; use m4ml.optim.softmax_cross_entropy (m4ml.probability.cross_entropy is the "
        "information-theoretic H(p, q))",
        DeprecationWarning,
        stacklevel=2,
    )
    return softmax_cross_entropy(y_true, logits, reduction=reduction)


def _check_signed(y_true):
    if y_true.size and not np.all(np.abs(y_true) == 1):
        raise ValueError("hinge losses need labels in {-1, +1}")


@overflow_checked
def hinge(
    y_true: ArrayLike, y_pred: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Hinge loss :math:`\max(0, 1 - y\,f)` for labels :math:`y \in \{-1, +1\}`.

    Parameters
    ----------
    y_true : array_like
        Labels -1 or +1.
    y_pred : array_like
        Decision values :math:`f(x)`, same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        Labels other than ±1, shapes differ, NaN/inf.

    Notes
    -----
    The convex surrogate of the 0–1 loss minimized by the support vector machine; the
    subgradient is :math:`-y` where :math:`yf < 1`, else 0 (0 is used at the kink).

    References
    ----------
    C. Cortes & V. Vapnik, "Support-vector networks", Machine Learning 20 (1995).

    Examples
    --------
    >>> round(float(hinge([1, -1, 1], [0.3, -2.0, 1.5])), 10)
    0.2333333333
    """
    y_true, y_pred = _check(y_true, y_pred, reduction)
    _check_signed(y_true)
    return _reduce(mnp.maximum(0.0, 1.0 - y_true * y_pred), reduction)


@overflow_checked
def squared_hinge(
    y_true: ArrayLike, y_pred: ArrayLike, *, reduction: Literal["mean", "sum", "none"] = "mean"
) -> float | FloatArray:
    r"""Squared hinge loss :math:`\max(0, 1 - y\,f)^2` for labels :math:`y \in \{-1, +1\}`.

    Parameters
    ----------
    y_true : array_like
        Labels -1 or +1.
    y_pred : array_like
        Decision values, same shape.
    reduction : {"mean", "sum", "none"}

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        Labels other than ±1, shapes differ, NaN/inf.

    Notes
    -----
    Differentiable everywhere (gradient :math:`-2y\max(0, 1-yf)`), used by the L2-loss
    linear SVM (liblinear's default).

    References
    ----------
    R.-E. Fan et al., "LIBLINEAR: a library for large linear classification", JMLR 9 (2008).

    Examples
    --------
    >>> round(float(squared_hinge([1, -1, 1], [0.3, -2.0, 1.5])), 10)
    0.1633333333
    """
    y_true, y_pred = _check(y_true, y_pred, reduction)
    _check_signed(y_true)
    m = mnp.maximum(0.0, 1.0 - y_true * y_pred)
    return _reduce(m * m, reduction)
