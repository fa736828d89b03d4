"""The precision-recall curve and average precision (the area under its step function)."""

from collections.abc import Hashable
from typing import Literal

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.pipeline.metrics._curves import (
    _average_columns,
    _binary_target,
    _check_average,
    _cumulative_counts,
    _scores,
    check_nonempty,
)
from m4ml.pipeline.metrics._labels import (
    as_label_array,
    check_consistent_length,
    check_sample_weight,
    column_or_1d,
    label_binarize,
    type_of_target,
    unique_inverse,
    warn_undefined,
)

__all__ = ["average_precision_score", "precision_recall_curve"]


def _pr_points(positive, score, weight, drop_intermediate=False):
    fps, tps, thresholds = _cumulative_counts(positive, score, weight)
    if drop_intermediate and fps.shape[0] > 2:
        moves = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
        keep = np.flatnonzero(np.concatenate([[True], moves, [True]]))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    if tps[-1] == 0:
        warn_undefined(
            "No positive class found in y_true, recall is set to one for all thresholds.",
            UserWarning,
        )
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return (
        np.concatenate([precision[::-1], [1.0]]),
        np.concatenate([recall[::-1], [0.0]]),
        thresholds[::-1],
    )


def precision_recall_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Hashable | None = None,
    sample_weight: ArrayLike | None = None,
    drop_intermediate: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Precision and recall of "predict positive iff score >= t" for every threshold t.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,)
        True binary labels (or any labels with ``pos_label`` given).
    y_score : array_like of shape (n_samples,)
        Scores of the positive class.
    pos_label : label, optional
        The positive class; needed unless the labels are {0, 1} or {-1, 1}.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    drop_intermediate : bool, default False
        Drop thresholds that do not change recall except at the ends of each vertical run.

    Returns
    -------
    precision, recall : ndarray of shape (n_thresholds + 1,)
        Recall decreasing to 0; the final point (recall 0, precision 1) has no threshold.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing distinct scores.

    Raises
    ------
    ValueError
        As :func:`~m4ml.pipeline.metrics.roc_curve`.

    Warns
    -----
    UserWarning
        If ``y_true`` has no positive sample (recall is then set to 1).

    Notes
    -----
    .. math:: P(t) = \frac{TP(t)}{TP(t) + FP(t)}, \qquad R(t) = \frac{TP(t)}{P}

    from the same cumulative counts as the ROC curve.

    References
    ----------
    .. [1] J. Davis, M. Goadrich, "The relationship between precision-recall and ROC curves",
       *ICML* 2006, 233-240.

    Examples
    --------
    >>> p, r, t = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> p.round(4).tolist(), r.tolist(), t.tolist()
    ([0.5, 0.6667, 0.5, 1.0, 1.0], [1.0, 1.0, 0.5, 0.5, 0.0], [0.1, 0.35, 0.4, 0.8])
    """
    positive, score, weight = _binary_target(y_true, y_score, pos_label, sample_weight)
    return _pr_points(positive, score, weight, drop_intermediate)


def _binary_ap(positive, score, weight=None):
    precision, recall, _ = _pr_points(positive, score, weight)
    return max(0.0, float(-np.sum(np.diff(recall) * precision[:-1])))


def average_precision_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    average: Literal["macro", "weighted", "micro", "samples"] | None = "macro",
    pos_label: Hashable | None = 1,
    sample_weight: ArrayLike | None = None,
) -> float | FloatArray:
    r"""Average precision: the precision-weighted step area under the PR curve.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,) or (n_samples, n_labels)
        Binary labels, multiclass labels, or a multilabel indicator matrix.
    y_score : array_like of shape (n_samples,) or (n_samples, n_classes)
        Scores of the positive class (binary) or one column per class (sorted labels).
    average : {"macro", "weighted", "micro", "samples", None}
        Combination of per-class scores for multiclass (one-vs-rest) and multilabel targets.
    pos_label : label, default 1
        The positive class of a binary target.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.

    Returns
    -------
    float, or ndarray per class when ``average=None``

    Raises
    ------
    ValueError
        A ``pos_label`` absent from two present labels; ``pos_label`` != 1 for multiclass or
        multilabel targets; a ``y_score`` of the wrong shape; mismatched lengths.

    Notes
    -----
    .. math:: \mathrm{AP} = \sum_n (R_n - R_{n-1})\, P_n

    over the thresholds in decreasing order: no interpolation between points, unlike the
    trapezoidal area, which is optimistic for PR curves.

    References
    ----------
    .. [1] M. Zhu, "Recall, precision and average precision", University of Waterloo, 2004.
    .. [2] J. Davis, M. Goadrich, *ICML* 2006, 233-240.

    Examples
    --------
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    _check_average(average, ("micro", "macro", "weighted", "samples", None))
    y = as_label_array(y_true, "y_true")
    S = _scores(y_score)
    check_consistent_length(y_true=y, y_score=S)
    w = check_sample_weight(sample_weight, y.shape[0])
    check_nonempty(y)
    kind = type_of_target(y, "y_true")
    if kind == "binary":
        y = column_or_1d(y, "y_true")
        classes, _ = unique_inverse(y, "y_true")
        if classes.size == 2 and not (classes == pos_label).any():
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label. It should be one of "
                f"{classes.tolist()}"
            )
        positive, score, weight = _binary_target(y, S, pos_label, w)
        return _binary_ap(positive, score, weight)
    if kind in ("multiclass", "multilabel-indicator") and pos_label != 1:
        raise ValueError(
            f"Parameter pos_label is fixed to 1 for {kind} y_true. Do not set pos_label or set "
            "pos_label to 1."
        )
    if kind == "multiclass":
        y = column_or_1d(y, "y_true")
        classes, _ = unique_inverse(y, "y_true")
        y = label_binarize(y, classes)
    elif kind != "multilabel-indicator":
        raise ValueError(f"{kind} targets are not supported by average_precision_score")
    if S.shape != y.shape:
        raise ValueError(
            f"`y_score` needs to be of shape {y.shape} (one column per class), got "
            f"`y_score.shape={S.shape}`."
        )
    return _average_columns(_binary_ap, y, S, average, w)
