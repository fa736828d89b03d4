r"""Ranking metrics: ROC and precision-recall curves, the areas under them.

All of them rest on one computation. Sort the samples by decreasing score; then for every
distinct score :math:`s` the classifier "predict positive iff score >= s" has

.. math:: TP(s) = \sum_{i:\,s_i \ge s} w_i y_i, \qquad FP(s) = \sum_{i:\,s_i \ge s} w_i (1-y_i),

which are two cumulative sums over the sorted samples, read off at the last index of each
run of tied scores. ROC plots :math:`TPR = TP/P` against :math:`FPR = FP/N`; the PR curve
plots precision :math:`TP/(TP+FP)` against recall :math:`TP/P`.
"""

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
from m4ml.pipeline.metrics.pr_curve import average_precision_score, precision_recall_curve

__all__ = [
    "average_precision_score",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]


def roc_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Hashable | None = None,
    sample_weight: ArrayLike | None = None,
    drop_intermediate: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Receiver operating characteristic: false and true positive rates at every threshold.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,)
        True binary labels (or any labels with ``pos_label`` given).
    y_score : array_like of shape (n_samples,)
        Scores, probabilities or decision values for the positive class; higher means more
        likely positive.
    pos_label : label, optional
        The positive class; needed unless the labels are {0, 1} or {-1, 1}.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    drop_intermediate : bool, default True
        Drop thresholds at collinear points that do not change the curve's shape.

    Returns
    -------
    fpr, tpr : ndarray
        Increasing rates, starting at (0, 0).
    thresholds : ndarray
        Decreasing thresholds; ``thresholds[0] = inf`` marks the "predict nothing" point.

    Raises
    ------
    ValueError
        Mismatched lengths, non-binary ``y_true`` without ``pos_label``, string labels without
        ``pos_label``, non-finite or 2-D scores.

    Warns
    -----
    UndefinedMetricWarning
        If there are no negative (resp. positive) samples: that rate is NaN.

    Notes
    -----
    .. math:: \mathrm{FPR}(s) = \frac{FP(s)}{N}, \qquad \mathrm{TPR}(s) = \frac{TP(s)}{P}

    with the cumulative counts of the module docstring; one sort and two cumulative sums.

    References
    ----------
    .. [1] T. Fawcett, "An introduction to ROC analysis", *Pattern Recognition Letters* 27
       (2006) 861-874.

    Examples
    --------
    >>> fpr, tpr, thr = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr.tolist(), tpr.tolist(), thr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0], [inf, 0.8, 0.4, 0.35, 0.1])
    """
    positive, score, weight = _binary_target(y_true, y_score, pos_label, sample_weight)
    return _roc_points(positive, score, weight, drop_intermediate)


def _roc_points(positive, score, weight, drop_intermediate=True):
    """(fpr, tpr, thresholds) of validated binary input."""
    fps, tps, thresholds = _cumulative_counts(positive, score, weight)
    if drop_intermediate and fps.shape[0] > 2:
        bend = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
        keep = np.flatnonzero(np.concatenate([[True], bend, [True]]))
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps = np.concatenate([[0.0], fps])
    tps = np.concatenate([[0.0], tps])
    thresholds = np.concatenate([[np.inf], thresholds])
    if fps[-1] <= 0:
        warn_undefined("No negative samples in y_true, false positive value should be meaningless")
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warn_undefined("No positive samples in y_true, true positive value should be meaningless")
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def _trapezoid(x, y):
    """Area under the piecewise-linear curve through (x, y), x monotone."""
    return float((np.diff(x) * (y[1:] + y[:-1]) / 2.0).sum())


def _binary_auc(positive, score, weight=None, max_fpr=None):
    """ROC AUC of one binary problem (NaN with a warning if a class is missing)."""
    n_pos = positive.sum() if weight is None else weight[positive].sum()
    n_all = positive.shape[0] if weight is None else weight.sum()
    if n_pos == 0 or n_pos == n_all:
        warn_undefined("Only one class is present in y_true. ROC AUC score is not defined.")
        return np.nan
    fpr, tpr, _ = _roc_points(positive, score, weight)
    if max_fpr is None or max_fpr == 1:
        return _trapezoid(fpr, tpr)
    stop = np.searchsorted(fpr, max_fpr, "right")
    t_cut = np.interp(max_fpr, fpr[stop - 1 : stop + 1], tpr[stop - 1 : stop + 1])
    partial = _trapezoid(np.append(fpr[:stop], max_fpr), np.append(tpr[:stop], t_cut))
    lo, hi = 0.5 * max_fpr**2, max_fpr
    return 0.5 * (1 + (partial - lo) / (hi - lo))


def roc_auc_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    average: Literal["macro", "weighted", "micro", "samples"] | None = "macro",
    sample_weight: ArrayLike | None = None,
    max_fpr: float | None = None,
    multi_class: Literal["raise", "ovr", "ovo"] = "raise",
    labels: ArrayLike | None = None,
) -> float | FloatArray:
    r"""Area under the ROC curve: binary, one-vs-rest multiclass, or multilabel.

    Parameters
    ----------
    y_true : array_like of shape (n_samples,) or (n_samples, n_labels)
        True labels, or a 0/1 multilabel indicator matrix.
    y_score : array_like of shape (n_samples,) or (n_samples, n_classes)
        Binary: the score of the greater label. Multiclass: class probabilities (rows sum to
        one), columns in the order of the sorted labels (or of ``labels``).
    average : {"macro", "weighted", "micro", "samples", None}
        How per-class AUCs are combined (multiclass/multilabel); "weighted" uses prevalence.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    max_fpr : float in (0, 1], optional
        Binary only: standardized partial AUC over FPR in [0, max_fpr] (McClish correction).
    multi_class : {"raise", "ovr", "ovo"}
        Multiclass targets need ``"ovr"`` (each class against all the others) or ``"ovo"``
        (every pair of classes, Hand & Till; ``average`` "macro" or "weighted" by pair
        prevalence, no sample weights).
    labels : array_like, optional
        Multiclass: the sorted classes indexing the columns of ``y_score``.

    Returns
    -------
    float, or ndarray per class when ``average=None``

    Raises
    ------
    ValueError
        A single class in a binary ``y_true``; a 2-D ``y_score`` for a binary target; a
        multiclass target without ``multi_class="ovr"`` or whose scores are not probabilities
        or have the wrong number of columns; bad ``max_fpr``, ``average`` or ``labels``;
        mismatched lengths.
    NotImplementedError
        ``multi_class="ovo"`` with ``average=None``.

    Notes
    -----
    .. math:: \mathrm{AUC} = \int_0^1 \mathrm{TPR}\, d\,\mathrm{FPR}
       = P(s^+ > s^-) + \tfrac12 P(s^+ = s^-),

    the probability that a random positive outranks a random negative, computed by the
    trapezoidal rule on :func:`roc_curve`. One-vs-rest averages the AUCs of "class k vs not";
    one-vs-one averages, over pairs of classes :math:`(j, k)` and restricted to the samples of
    those two classes, :math:`\tfrac12(A(j|k) + A(k|j))`, the AUC of the score of :math:`j`
    separating :math:`j` from :math:`k`, and conversely.

    References
    ----------
    .. [1] J. A. Hanley, B. J. McNeil, "The meaning and use of the area under a receiver
       operating characteristic (ROC) curve", *Radiology* 143 (1982) 29-36.
    .. [2] D. K. McClish, "Analyzing a portion of the ROC curve", *Medical Decision Making* 9
       (1989) 190-195.
    .. [3] D. J. Hand, R. J. Till, "A simple generalisation of the area under the ROC curve for
       multiple class classification problems", *Machine Learning* 45 (2001) 171-186.

    Examples
    --------
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> roc_auc_score(["a", "b", "c"], [[0.8, 0.1, 0.1], [0.3, 0.6, 0.1], [0.2, 0.2, 0.6]],
    ...               multi_class="ovr")
    1.0
    """
    y = as_label_array(y_true, "y_true")
    S = _scores(y_score)
    check_nonempty(y)
    kind = type_of_target(y, "y_true")
    check_consistent_length(y_true=y, y_score=S)
    w = check_sample_weight(sample_weight, y.shape[0])
    if max_fpr is not None and not (0 < max_fpr <= 1):
        raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
    if kind == "multiclass" or (kind == "binary" and S.ndim == 2 and S.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1:
            raise ValueError("Partial AUC (max_fpr) is only available for binary targets")
        return _multiclass_auc(column_or_1d(y, "y_true"), S, labels, multi_class, average, w)
    if kind == "binary":
        y = column_or_1d(y, "y_true")
        if S.ndim == 2 and S.shape[1] == 1:
            S = S[:, 0]
        if S.ndim != 1:
            raise ValueError(
                f"y_score must be 1-D for a binary target (the score of the greater label, "
                f"e.g. predict_proba(X)[:, 1]); got shape {S.shape}"
            )
        classes, codes = unique_inverse(y, "y_true")
        if classes.size < 2:
            raise ValueError(
                f"Only one class ({classes.tolist()[0]!r}) is present in y_true: ROC AUC is not "
                "defined; it needs both positive and negative samples"
            )
        return float(_binary_auc(codes == 1, S, w, max_fpr))
    if kind == "multilabel-indicator":
        if S.shape != y.shape:
            raise ValueError(f"y_score has shape {S.shape} but y_true has shape {y.shape}")
        _check_average(average, ("micro", "macro", "weighted", "samples", None))
        metric = lambda t, s, sw: _binary_auc(t, s, sw, max_fpr)  # noqa: E731
        return _average_columns(metric, y, S, average, w)
    raise ValueError(f"{kind} targets are not supported by roc_auc_score")


def _multiclass_auc(y, S, labels, multi_class, average, w):
    if S.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
            f"multiple classes. Got `y_score.shape={S.shape}`."
        )
    if multi_class not in ("ovr", "ovo"):
        raise ValueError(
            "y_true is multiclass: pass multi_class='ovr' or 'ovo' (got "
            f"multi_class={multi_class!r})"
        )
    if not np.allclose(1, S.sum(axis=1)):
        raise ValueError(
            "Target scores need to be probabilities for multiclass roc_auc, i.e. they should "
            "sum up to 1.0 over classes"
        )
    if multi_class == "ovo":
        _check_average(average, ("macro", "weighted", None))
        if average is None:
            raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
        if w is not None:
            raise ValueError("sample_weight is not supported for multi_class='ovo'")
    else:
        _check_average(average, ("micro", "macro", "weighted", None))
    if labels is not None:
        classes = column_or_1d(labels, "labels")
        uniq, _ = unique_inverse(classes, "labels")
        if uniq.size != classes.size:
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(uniq, classes):
            raise ValueError("Parameter 'labels' must be ordered")
        if classes.size != S.shape[1]:
            raise ValueError(
                f"Number of given labels, {classes.size}, not equal to the number of columns "
                f"in 'y_score', {S.shape[1]}"
            )
        if label_binarize(y, classes).sum(axis=1).min() == 0:
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes, _ = unique_inverse(y, "y_true")
        if classes.size != S.shape[1]:
            raise ValueError(
                f"Number of classes in y_true ({classes.size}) not equal to the number of "
                f"columns in 'y_score' ({S.shape[1]})"
            )
    Y = label_binarize(y, classes)
    if multi_class == "ovo":
        return _one_vs_one(Y, S, average)
    return _average_columns(_binary_auc, Y, S, average, w)


def _one_vs_one(Y, S, average):
    """Hand & Till's mean over class pairs of the two one-against-the-other AUCs."""
    present = np.flatnonzero(Y.any(axis=0))
    scores, prevalence = [], []
    for i, a in enumerate(present):  # a loop over pairs of classes, not over samples
        for b in present[i + 1 :]:
            rows = (Y[:, a] | Y[:, b]).astype(bool)
            a_true = Y[rows, a].astype(bool)
            both = _binary_auc(a_true, S[rows, a]) + _binary_auc(~a_true, S[rows, b])
            scores.append(both / 2)
            prevalence.append(rows.mean())
    weights = prevalence if average == "weighted" else None
    return float(np.average(scores, weights=weights))
