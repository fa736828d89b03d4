"""Precision, recall and the F-scores, per class and averaged, and the classification report.

For each class :math:`k` three (weighted) counts suffice: true positives :math:`TP_k`, the
number predicted as :math:`k` (:math:`TP_k + FP_k`) and the number truly :math:`k`
(:math:`TP_k + FN_k`). Each is one :func:`numpy.bincount` of the encoded labels. A ratio with
a zero denominator is *undefined*; it is replaced by ``zero_division`` and, when that is
``"warn"``, an :class:`~m4ml.pipeline.metrics.UndefinedMetricWarning` is emitted.
"""

import numbers
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.pipeline.metrics._labels import check_targets, positions, warn_undefined
from m4ml.pipeline.metrics._zero_division import _divide, _nan_average, _zero_division_value

__all__ = [
    "f1_score",
    "fbeta_score",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
]

_AVERAGES = (None, "micro", "macro", "weighted", "samples")


def _resolve_labels(y_type, classes, average, labels, pos_label):
    """The labels to score, following the ``average``/``pos_label`` rules."""
    if average not in _AVERAGES and average != "binary":
        raise ValueError(f"average has to be one of {(*_AVERAGES, 'binary')}; got {average!r}")
    if average == "binary":
        if y_type != "binary":
            options = [a for a in _AVERAGES if y_type != "multiclass" or a != "samples"]
            raise ValueError(
                f"Target is {y_type} but average='binary'. Please choose another average "
                f"setting, one of {options}."
            )
        _, found = positions(classes, [pos_label])
        if not found[0] and classes.size >= 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not a valid label. It should be one of "
                f"{classes.tolist()}"
            )
        return np.asarray([pos_label])
    if pos_label not in (None, 1):
        warn_undefined(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            f"(got {average!r}). You may use labels=[pos_label] to specify a single positive "
            "class.",
            UserWarning,
        )
    return labels


def _label_sums(y_type, classes, t, p, w, labels, samplewise):
    """(TP, TP+FP, TP+FN) per label, or per sample when ``samplewise``."""
    if y_type != "multilabel-indicator":
        if samplewise:
            raise ValueError(
                "Samplewise metrics are not available outside of multilabel classification."
            )
        k = classes.size
        hit = t == p
        tp = np.bincount(t[hit], weights=None if w is None else w[hit], minlength=k)
        pred = np.bincount(p, weights=w, minlength=k)
        true = np.bincount(t, weights=w, minlength=k)
        if labels is not None:
            idx, found = positions(classes, labels)
            tp, pred, true = (np.where(found, s[idx], 0) for s in (tp, pred, true))
        return tp, pred, true
    if labels is not None:
        labels = np.asarray(labels)
        if labels.size and (labels.max() >= t.shape[1] or labels.min() < 0):
            raise ValueError(
                f"All labels must be in [0, {t.shape[1]}) for multilabel targets; got {labels}"
            )
        t, p = t[:, labels], p[:, labels]
    both = t * p
    if samplewise:
        sums = [m.sum(axis=1) for m in (both, p, t)]
        return tuple(s if w is None else s * w for s in sums)
    if w is None:
        return both.sum(axis=0), p.sum(axis=0), t.sum(axis=0)
    return w @ both, w @ p, w @ t


def precision_recall_fscore_support(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    beta: float = 1.0,
    labels: ArrayLike | None = None,
    pos_label: Hashable | None = 1,
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = None,
    warn_for: tuple[str, ...] = ("precision", "recall", "f-score"),
    sample_weight: ArrayLike | None = None,
    zero_division: Literal["warn"] | float = "warn",
) -> tuple[float | FloatArray, float | FloatArray, float | FloatArray, NDArray[Any] | None]:
    r"""Precision, recall, F-beta score and support, per label or averaged.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,) or (n_samples, n_labels)
        True and predicted labels (strings allowed), or 0/1 multilabel indicator matrices.
    beta : float, default 1.0
        Weight of recall relative to precision in the F-score (``beta >= 0``).
    labels : array_like, optional
        The labels to report and to average over (default: all present labels, sorted).
    pos_label : label, default 1
        The positive class when ``average="binary"``.
    average : {None, "binary", "micro", "macro", "weighted", "samples"}
        None returns per-label arrays. ``"binary"``: the scores of ``pos_label`` only;
        ``"micro"``: from the counts summed over labels; ``"macro"``: the unweighted mean over
        labels; ``"weighted"``: the mean weighted by support; ``"samples"`` (multilabel): the
        mean over samples of the per-sample scores.
    warn_for : tuple of str
        Which undefined metrics warn (internal use by the single-metric functions).
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    zero_division : {"warn", 0.0, 1.0, np.nan}
        The value of an undefined ratio; ``"warn"`` gives 0 and an UndefinedMetricWarning.
        NaN values are left out of averages.

    Returns
    -------
    precision, recall, fbeta_score : float or ndarray
    support : ndarray of int/float, or None when averaged

    Raises
    ------
    ValueError
        Invalid ``average``, ``beta`` or ``zero_division``; ``average="binary"`` on a
        multiclass target; a ``pos_label`` not among two present labels; plus the target
        checks (mismatched lengths, empty or continuous input).

    Notes
    -----
    .. math:: P_k = \frac{TP_k}{TP_k + FP_k}, \quad R_k = \frac{TP_k}{TP_k + FN_k}, \quad
       F_{\beta,k} = \frac{(1+\beta^2)\,TP_k}{(1+\beta^2)\,TP_k + \beta^2 FN_k + FP_k}

    The last form equals :math:`(1+\beta^2)PR/(\beta^2 P + R)` and is undefined only when
    the class is neither present nor predicted.

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed., Butterworths, 1979, ch. 7.
    .. [2] M. Sokolova, G. Lapalme, "A systematic analysis of performance measures for
       classification tasks", *Information Processing & Management* 45 (2009) 427-437.

    Examples
    --------
    >>> p, r, f, s = precision_recall_fscore_support(["a", "b", "b"], ["a", "b", "a"])
    >>> p.tolist(), r.tolist(), s.tolist()
    ([0.5, 1.0], [1.0, 0.5], [1, 2])
    """
    _zero_division_value(zero_division)
    if not isinstance(beta, numbers.Real) or isinstance(beta, bool) or not beta >= 0:
        raise ValueError(f"beta must be a non-negative number, got {beta!r}")
    if average not in _AVERAGES and average != "binary":
        raise ValueError(f"average has to be one of {(*_AVERAGES, 'binary')}; got {average!r}")
    targets = check_targets(y_true, y_pred, sample_weight)
    return prfs_from_targets(targets, beta, labels, pos_label, average, warn_for, zero_division)


def prfs_from_targets(targets, beta, labels, pos_label, average, warn_for, zero_division):
    """:func:`precision_recall_fscore_support` of targets already checked and encoded."""
    y_type, classes, t, p, w = targets
    labels = _resolve_labels(y_type, classes, average, labels, pos_label)
    samplewise = average == "samples"
    tp, pred, true = _label_sums(y_type, classes, t, p, w, labels, samplewise)
    if average == "micro":
        tp, pred, true = (np.atleast_1d(s.sum()) for s in (tp, pred, true))
    precision = _divide(tp, pred, "precision", "predicted", average, warn_for, zero_division)
    recall = _divide(tp, true, "recall", "true", average, warn_for, zero_division)
    if np.isposinf(beta):
        f = recall
    elif beta == 0:
        f = precision
    else:
        b2 = float(beta) ** 2
        num = (1 + b2) * np.asarray(tp, dtype=np.float64)
        den = b2 * np.asarray(true, dtype=np.float64) + pred
        f = _divide(num, den, "f-score", "true nor predicted", average, warn_for, zero_division)
    if average is None:
        return precision, recall, f, true
    weights = true if average == "weighted" else (w if samplewise else None)
    scores = (float(_nan_average(s, weights)) for s in (precision, recall, f))
    return (*scores, None)


def _single(y_true, y_pred, which, **kwargs):
    names = ("precision", "recall", "f-score")
    out = precision_recall_fscore_support(y_true, y_pred, warn_for=(names[which],), **kwargs)
    return out[which]


def precision_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Hashable | None = 1,
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Literal["warn"] | float = "warn",
) -> float | FloatArray:
    r"""Precision :math:`TP/(TP+FP)`: the fraction of predicted positives that are right.

    Parameters and averaging are those of :func:`precision_recall_fscore_support`
    (default ``average="binary"``).

    Returns
    -------
    float, or ndarray per label when ``average=None``

    Raises
    ------
    ValueError
        As :func:`precision_recall_fscore_support`.

    Notes
    -----
    .. math:: P = \frac{TP}{TP + FP}

    Undefined (set to ``zero_division``) when nothing is predicted positive.

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed., 1979.

    Examples
    --------
    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    >>> y_true, y_pred = ["a", "b", "c", "c"], ["a", "c", "c", "c"]
    >>> precision_score(y_true, y_pred, average="macro", zero_division=0)
    0.5555555555555555
    """
    return _single(
        y_true,
        y_pred,
        0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def recall_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Hashable | None = 1,
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Literal["warn"] | float = "warn",
) -> float | FloatArray:
    r"""Recall (sensitivity) :math:`TP/(TP+FN)`: the fraction of true positives found.

    Parameters and averaging are those of :func:`precision_recall_fscore_support`
    (default ``average="binary"``).

    Returns
    -------
    float, or ndarray per label when ``average=None``

    Raises
    ------
    ValueError
        As :func:`precision_recall_fscore_support`.

    Notes
    -----
    .. math:: R = \frac{TP}{TP + FN}

    Undefined (set to ``zero_division``) when the class never occurs.

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed., 1979.

    Examples
    --------
    >>> recall_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return _single(
        y_true,
        y_pred,
        1,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def fbeta_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    beta: float,
    labels: ArrayLike | None = None,
    pos_label: Hashable | None = 1,
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Literal["warn"] | float = "warn",
) -> float | FloatArray:
    r"""F-beta score, the weighted harmonic mean of precision and recall.

    Parameters and averaging are those of :func:`precision_recall_fscore_support`
    (default ``average="binary"``); ``beta`` > 1 favours recall, < 1 precision.

    Returns
    -------
    float, or ndarray per label when ``average=None``

    Raises
    ------
    ValueError
        As :func:`precision_recall_fscore_support`.

    Notes
    -----
    .. math:: F_\beta = \frac{(1+\beta^2)\,TP}{(1+\beta^2)\,TP + \beta^2 FN + FP}

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed., 1979.

    Examples
    --------
    >>> round(fbeta_score([0, 1, 1, 1], [1, 1, 0, 1], beta=2), 4)
    0.6667
    """
    return _single(
        y_true,
        y_pred,
        2,
        beta=beta,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )


def f1_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    pos_label: Hashable | None = 1,
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = "binary",
    sample_weight: ArrayLike | None = None,
    zero_division: Literal["warn"] | float = "warn",
) -> float | FloatArray:
    r"""F1 score, the harmonic mean of precision and recall (:func:`fbeta_score`, beta=1).

    Parameters and averaging are those of :func:`precision_recall_fscore_support`
    (default ``average="binary"``).

    Returns
    -------
    float, or ndarray per label when ``average=None``

    Raises
    ------
    ValueError
        As :func:`precision_recall_fscore_support`.

    Notes
    -----
    .. math:: F_1 = \frac{2PR}{P + R} = \frac{2\,TP}{2\,TP + FN + FP}

    References
    ----------
    .. [1] C. J. van Rijsbergen, *Information Retrieval*, 2nd ed., 1979.

    Examples
    --------
    >>> round(f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro"), 4)
    0.2667
    """
    return fbeta_score(
        y_true,
        y_pred,
        beta=1.0,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
