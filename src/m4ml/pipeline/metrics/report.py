"""The classification report: per-class precision, recall, F1 and support, with averages."""

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.pipeline.metrics._labels import check_targets, warn_undefined
from m4ml.pipeline.metrics._zero_division import _zero_division_value
from m4ml.pipeline.metrics.precision_recall import prfs_from_targets

__all__ = ["classification_report"]


def classification_report(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    target_names: Sequence[str] | None = None,
    sample_weight: ArrayLike | None = None,
    digits: int = 2,
    output_dict: bool = False,
    zero_division: Literal["warn"] | float = "warn",
) -> str | dict[str, Any]:
    """Text (or dict) table of precision, recall, F1 and support per class, with averages.

    Parameters
    ----------
    y_true, y_pred : array_like
        True and predicted labels (or multilabel indicator matrices).
    labels : array_like, optional
        The labels to include (default: all present).
    target_names : list of str, optional
        Display names matching ``labels``.
    sample_weight : array_like, optional
        Non-negative weights.
    digits : int, default 2
        Decimal places in the text table (the dict is unrounded).
    output_dict : bool, default False
        Return a nested dict instead of a string.
    zero_division : {"warn", 0.0, 1.0, np.nan}
        As :func:`precision_recall_fscore_support`.

    Returns
    -------
    str or dict
        Rows per class and the ``accuracy`` (micro average when every class is included),
        ``macro avg`` and ``weighted avg`` rows (``samples avg`` for multilabel input).

    Raises
    ------
    ValueError
        If ``target_names`` does not match the number of inferred labels.

    Notes
    -----
    Each row is :func:`precision_recall_fscore_support` for one label; the average rows use
    the same function with ``average`` set. For single-label problems over all classes, the
    micro averages of precision, recall and F1 all equal the accuracy.

    References
    ----------
    .. [1] M. Sokolova, G. Lapalme, *Information Processing & Management* 45 (2009) 427-437.

    Examples
    --------
    >>> print(classification_report(["a", "b", "b"], ["a", "b", "a"]))
                  precision    recall  f1-score   support
    <BLANKLINE>
               a       0.50      1.00      0.67         1
               b       1.00      0.50      0.67         2
    <BLANKLINE>
        accuracy                           0.67         3
       macro avg       0.75      0.75      0.67         3
    weighted avg       0.83      0.67      0.67         3
    <BLANKLINE>
    """
    _zero_division_value(zero_division)
    targets = check_targets(y_true, y_pred, sample_weight)  # encoded once, scored four times
    y_type, classes = targets[0], targets[1]
    labels_given = labels is not None
    labels = np.asarray(labels) if labels_given else classes
    single = y_type in ("binary", "multiclass")
    micro_is_accuracy = single and (
        not labels_given or set(labels.tolist()) >= set(classes.tolist())
    )
    if target_names is not None and len(labels) != len(target_names):
        if not labels_given:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, "
                f"{len(target_names)}. Try specifying the labels parameter"
            )
        warn_undefined(
            f"labels size, {len(labels)}, does not match size of target_names, {len(target_names)}",
            UserWarning,
        )
    if target_names is None:
        target_names = [f"{lab}" for lab in labels.tolist()]

    def scores(average):
        warn_for = ("precision", "recall", "f-score")
        return prfs_from_targets(targets, 1.0, labels, 1, average, warn_for, zero_division)

    p, r, f, s = scores(None)
    headers = ["precision", "recall", "f1-score", "support"]
    rows = list(zip(target_names, p, r, f, s))
    averages = ["micro", "macro", "weighted"] + ([] if single else ["samples"])
    summary = []
    for avg in averages:
        heading = "accuracy" if avg == "micro" and micro_is_accuracy else f"{avg} avg"
        ap, ar, af, _ = scores(avg)
        summary.append((heading, ap, ar, af, s.sum()))
    if output_dict:
        report = {row[0]: dict(zip(headers, map(float, row[1:]))) for row in rows}
        for heading, *vals in summary:
            report[heading] = dict(zip(headers, map(float, vals)))
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report
    width = max(max(len(n) for n in target_names), len("weighted avg"), digits)
    text = f"{'':>{width}s} " + "".join(f" {h:>9}" for h in headers) + "\n\n"
    row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
    for row in rows:
        text += row_fmt.format(*row, width=width, digits=digits)
    text += "\n"
    for heading, ap, ar, af, total in summary:
        if heading == "accuracy":
            text += f"{heading:>{width}s} " + f" {'':>9}" * 2
            text += f" {af:>9.{digits}f} {total:>9}\n"
        else:
            text += row_fmt.format(heading, ap, ar, af, total, width=width, digits=digits)
    return text
