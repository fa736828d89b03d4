"""Shared machinery of the ranking metrics: validated binary targets, the cumulative counts
behind every threshold curve, and the averaging of a binary metric over classes."""

import numpy as np

from m4ml.pipeline.metrics._labels import (
    as_label_array,
    check_consistent_length,
    check_pos_label,
    check_sample_weight,
    column_or_1d,
    type_of_target,
    unique_inverse,
)


def _scores(y_score, name="y_score"):
    """y_score as a finite float64 array."""
    s = as_label_array(y_score, name)
    if s.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got dtype {s.dtype}")
    s = s.astype(np.float64, copy=False)
    if s.size and not np.isfinite(s).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return s


def check_nonempty(y):
    """Raise ``ValueError`` for an empty ``y_true``."""
    if y.shape[0] == 0:
        raise ValueError("y_true and y_score are empty; at least one sample is required")


def _binary_target(y_true, y_score, pos_label, sample_weight):
    """Validated (is_positive, score, weight) for a binary curve."""
    y = column_or_1d(y_true, "y_true")
    s = _scores(y_score)
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(
            f"y_score must be 1-D for a binary curve (the scores of the positive class), got "
            f"shape {s.shape}"
        )
    check_consistent_length(y_true=y, y_score=s)
    check_nonempty(y)
    w = check_sample_weight(sample_weight, y.shape[0])
    if w is not None and not w.any():
        raise ValueError("sample_weight is zero for every sample; nothing to rank")
    kind = type_of_target(y, "y_true")
    if not (kind == "binary" or (kind == "multiclass" and pos_label is not None)):
        raise ValueError(
            f"y_true is {kind}; a binary curve needs two classes (or pass pos_label to score "
            "one class against the rest)"
        )
    classes, _ = unique_inverse(y, "y_true")
    pos_label = check_pos_label(pos_label, classes)
    return y == pos_label, s, w


def _cumulative_counts(positive, score, weight):
    """(fps, tps, thresholds) at each distinct score, scores decreasing."""
    if weight is not None:
        nz = weight != 0
        positive, score, weight = positive[nz], score[nz], weight[nz]
    order = np.argsort(score)[::-1]  # ties need no particular order: only run ends are read
    score = score[order]
    positive = positive[order]
    ends = np.flatnonzero(np.diff(score))
    ends = np.append(ends, score.shape[0] - 1)
    if weight is None:
        tps = np.cumsum(positive, dtype=np.float64)[ends]
        fps = 1.0 + ends - tps
    else:
        weight = weight[order]
        tps = np.cumsum(positive * weight)[ends]
        fps = np.cumsum(~positive * weight)[ends]
    return fps, tps, score[ends]


def _check_average(average, options):
    if average not in options:
        raise ValueError(f"average must be one of {options}; got {average!r}")


def _average_columns(metric, Y, S, average, weight):
    """Apply a binary ``metric`` to each column (or row, for "samples") and average."""
    if average == "micro":
        w = None if weight is None else np.repeat(weight, Y.shape[1])
        return float(metric(Y.ravel().astype(bool), S.ravel(), w))
    avg_w = None
    score_w = weight
    if average == "weighted":
        avg_w = Y.sum(axis=0) if weight is None else weight @ Y
        if np.isclose(avg_w.sum(), 0):
            return 0.0
    elif average == "samples":
        Y, S, avg_w, score_w = Y.T, S.T, weight, None
    scores = np.array([metric(Y[:, c].astype(bool), S[:, c], score_w) for c in range(Y.shape[1])])
    if average is None:
        return scores
    if avg_w is not None:
        scores[avg_w == 0] = 0
    return float(np.average(scores, weights=avg_w))
