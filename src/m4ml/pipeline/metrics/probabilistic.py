"""Scores of predicted probabilities: the log loss (cross-entropy) and the Brier score.

Both compare a one-hot matrix :math:`T` of the true classes with the predicted probability
matrix :math:`P` (one row per sample, one column per class, in sorted label order); a binary
problem given as one column of positive-class probabilities becomes :math:`[1-p, p]`.
"""

from collections.abc import Hashable
from typing import Literal

import numpy as np
from scipy.special import xlogy

from m4ml._core.hints import ArrayLike
from m4ml.pipeline.metrics._labels import (
    as_label_array,
    check_consistent_length,
    check_pos_label,
    check_sample_weight,
    column_or_1d,
    label_binarize,
    type_of_target,
    unique_inverse,
    warn_undefined,
)

__all__ = ["brier_score_loss", "log_loss"]


def _probabilities(y_proba):
    P = as_label_array(y_proba, "y_proba")
    if P.dtype.kind not in "biuf":
        raise TypeError(f"y_proba must hold probabilities (numbers), got dtype {P.dtype}")
    P = P.astype(np.float64, copy=False)
    if P.ndim not in (1, 2):
        raise ValueError(f"y_proba must be 1-D or 2-D, got shape {P.shape}")
    if P.size and not np.isfinite(P).all():
        raise ValueError("y_proba contains NaN or infinity")
    if P.size and P.max() > 1:
        raise ValueError(f"y_proba contains values greater than 1: {P.max()}")
    if P.size and P.min() < 0:
        raise ValueError(f"y_proba contains values lower than 0: {P.min()}")
    return P


def _labels_1d(y_true):
    y = column_or_1d(y_true, "y_true")
    if y.shape[0] == 0:
        raise ValueError("y_true is empty; at least one sample is required")
    return y


def _one_hot_multiclass(y_true, P, labels, sample_weight):
    """(T, P, w) with T one-hot over the sorted classes and P of matching shape."""
    y = _labels_1d(y_true)
    check_consistent_length(y_true=y, y_proba=P)
    w = check_sample_weight(sample_weight, y.shape[0])
    if labels is not None:
        given = column_or_1d(labels, "labels")
        classes, _ = unique_inverse(given, "labels")
        if not np.array_equal(classes, given):
            warn_undefined(
                f"Labels passed were {given.tolist()}. But this function assumes labels are "
                f"ordered lexicographically. Pass the ordered labels={classes.tolist()} and "
                "ensure that the columns of y_prob correspond to this ordering.",
                UserWarning,
            )
        T = label_binarize(y, classes)
        if y.size and T.sum(axis=1).min() == 0:
            unknown = sorted({v for v, r in zip(y.tolist(), T.sum(axis=1)) if r == 0})
            raise ValueError(
                f"y_true contains values {unknown} not belonging to the passed labels "
                f"{given.tolist()}."
            )
    else:
        classes, codes = unique_inverse(y, "y_true")
        T = np.zeros((y.shape[0], classes.size), dtype=np.int64)
        T[np.arange(y.shape[0]), codes] = 1
    if classes.size == 1:
        if labels is None:
            raise ValueError(
                f"y_true contains only one label ({classes[0]!r}). Please provide the list of "
                "all expected class labels explicitly through the labels argument."
            )
        raise ValueError(
            f"The labels array needs to contain at least two labels, got {classes.tolist()}."
        )
    if P.ndim == 1:
        P = P[:, None]
    if P.shape[1] == 1:
        P = np.hstack([1 - P, P])
    total = P.sum(axis=1)
    if not np.isclose(total, 1, rtol=np.sqrt(np.finfo(np.float64).eps)).all():
        warn_undefined(
            "The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning
        )
    if classes.size != P.shape[1]:
        if labels is None:
            raise ValueError(
                f"y_true and y_proba contain different number of classes: {classes.size} vs "
                f"{P.shape[1]}. Please provide the true labels explicitly through the labels "
                f"argument. Classes found in y_true: {classes.tolist()}"
            )
        raise ValueError(
            "The number of classes in labels is different from that in y_proba. Classes "
            f"found in labels: {classes.tolist()}"
        )
    return T.astype(np.float64), P, w


def log_loss(
    y_true: ArrayLike,
    y_proba: ArrayLike,
    *,
    normalize: bool = True,
    sample_weight: ArrayLike | None = None,
    labels: ArrayLike | None = None,
) -> float:
    r"""Log loss (cross-entropy) of predicted class probabilities.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,)
        True labels (strings allowed).
    y_proba : array_like of shape (n_samples, n_classes) or (n_samples,)
        Predicted probabilities, columns in sorted label order; a 1-D array is the
        probability of the greater label of a binary problem.
    normalize : bool, default True
        Mean over samples; if False the sum.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    labels : array_like, optional
        All class labels, when ``y_true`` does not contain every class.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Probabilities outside [0, 1] or not finite; a single class in ``y_true`` without
        ``labels``; a number of columns that does not match the classes; labels in
        ``y_true`` that are not in ``labels``; mismatched lengths.

    Warns
    -----
    UserWarning
        If rows of ``y_proba`` do not sum to one.

    Notes
    -----
    .. math:: L = -\frac{1}{\sum_i w_i}\sum_i w_i \sum_k T_{ik} \log p_{ik},

    the negative log-likelihood of the labels under the predicted categorical
    distributions. Probabilities are clipped to :math:`[\epsilon, 1-\epsilon]` with
    :math:`\epsilon` the float64 machine epsilon, so a confident mistake costs about 36
    instead of infinity.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, p. 209.

    Examples
    --------
    >>> round(log_loss(["spam", "ham", "ham", "spam"],
    ...                [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 6)
    0.216162
    """
    T, P, w = _one_hot_multiclass(y_true, _probabilities(y_proba), labels, sample_weight)
    eps = np.finfo(np.float64).eps
    P = np.clip(P, eps, 1 - eps)
    loss = -xlogy(T, P).sum(axis=1)
    if normalize:
        return float(np.average(loss, weights=w))
    return float(loss.sum() if w is None else np.dot(loss, w))


def brier_score_loss(
    y_true: ArrayLike,
    y_proba: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    pos_label: Hashable | None = None,
    labels: ArrayLike | None = None,
    scale_by_half: bool | Literal["auto"] = "auto",
) -> float:
    r"""Brier score: mean squared error of predicted probabilities.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,)
        True labels.
    y_proba : array_like of shape (n_samples,) or (n_samples, n_classes)
        Probability of ``pos_label`` (1-D, binary), or one column per class in sorted order.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    pos_label : label, optional
        Binary case: the positive class. Default 1 for {0, 1} or {-1, 1} labels, else the
        greater label (strings require it).
    labels : array_like, optional
        Multiclass case: all class labels.
    scale_by_half : bool or "auto"
        Halve the sum over classes; "auto" halves when there are at most two columns, so the
        binary score is the familiar :math:`\frac1n\sum (p_i - y_i)^2` in [0, 1].

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Probabilities outside [0, 1]; a non-binary ``y_true`` with 1-D probabilities; string
        labels without ``pos_label``; the multiclass errors of :func:`log_loss`.

    Notes
    -----
    .. math:: \mathrm{BS} = \frac{c}{\sum_i w_i}\sum_i w_i \sum_k (T_{ik} - p_{ik})^2,
       \qquad c = \tfrac12 \text{ or } 1

    a strictly proper scoring rule: its expectation is minimized by the true probabilities.

    References
    ----------
    .. [1] G. W. Brier, "Verification of forecasts expressed in terms of probability",
       *Monthly Weather Review* 78 (1950) 1-3.

    Examples
    --------
    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 6)
    0.0375
    >>> round(brier_score_loss(["s", "h", "h", "s"], [0.1, 0.9, 0.8, 0.3], pos_label="h"), 6)
    0.0375
    """
    if not (scale_by_half == "auto" or isinstance(scale_by_half, bool)):
        raise ValueError(f"scale_by_half must be True, False or 'auto'; got {scale_by_half!r}")
    P = _probabilities(y_proba)
    if P.ndim == 1 or P.shape[1] == 1:
        p = P.reshape(-1)
        y = _labels_1d(y_true)
        check_consistent_length(y_true=y, y_proba=p)
        w = check_sample_weight(sample_weight, y.shape[0])
        kind = type_of_target(y, "y_true")
        if kind != "binary":
            raise ValueError(
                f"The type of the target inferred from y_true is {kind} but should be binary "
                "according to the shape of y_proba."
            )
        classes, _ = unique_inverse(y, "y_true")
        try:
            pos_label = check_pos_label(pos_label, classes)
        except ValueError:
            if classes.dtype.kind in "OUS":
                raise
            pos_label = classes[-1]
        t = (y == pos_label).astype(np.float64)
        T, P = np.column_stack([1 - t, t]), np.column_stack([1 - p, p])
    else:
        T, P, w = _one_hot_multiclass(y_true, P, labels, sample_weight)
    score = float(np.average(((T - P) ** 2).sum(axis=1), weights=w))
    if scale_by_half == "auto":
        scale_by_half = P.shape[1] < 3
    return 0.5 * score if scale_by_half else score
