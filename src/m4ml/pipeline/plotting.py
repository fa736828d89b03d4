"""Plots for model evaluation and interpretation (matplotlib, imported only when called).

Each function draws on an existing ``ax`` if given (else a new figure) and returns the Axes, so
plots compose and can be tested by inspecting what was drawn. The evaluation plots take what
the metrics take — ``(y_true, y_pred)`` or ``(y_true, y_score)`` — and are shortcuts for the
displays :class:`~m4ml.pipeline.ConfusionMatrixDisplay`,
:class:`~m4ml.pipeline.RocCurveDisplay` and :class:`~m4ml.pipeline.PrecisionRecallDisplay`
(scikit-learn's shape: ``from_predictions``, ``from_estimator``, ``plot``). Install the extra
with ``pip install 'm4ml[plot]'``.
"""

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.pipeline._display_base import resolve_axes
from m4ml.pipeline.confusion_display import ConfusionMatrixDisplay, normalized
from m4ml.pipeline.pr_display import PrecisionRecallDisplay
from m4ml.pipeline.roc_display import RocCurveDisplay

_axes = resolve_axes


def plot_confusion_matrix(
    y_true: ArrayLike,
    y_pred: ArrayLike | None = None,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
    normalize: str | None = None,
    display_labels: ArrayLike | None = None,
    ax: Any = None,
    cmap: Any = "Blues",
) -> Any:
    """Draw the confusion matrix of ``y_pred`` against ``y_true``, counts written in the cells.

    A shortcut for :meth:`ConfusionMatrixDisplay.from_predictions
    <m4ml.pipeline.ConfusionMatrixDisplay.from_predictions>` that returns the Axes.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels. (Passing a confusion matrix as the first argument is
        deprecated: use ``ConfusionMatrixDisplay(confusion_matrix=cm).plot()``.)
    labels : array-like or None
        The classes, in display order; default the sorted labels in either array.
    sample_weight : array-like or None
    normalize : None, "true", "pred" or "all"
        Show rates instead of counts: per true class (rows sum to 1), per predicted class, or
        over all samples.
    display_labels : sequence or None
        Tick labels; default ``labels``.
    ax : matplotlib Axes or None
    cmap : str

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        ``y_pred`` missing; as :func:`~m4ml.pipeline.metrics.confusion_matrix` otherwise.

    Warns
    -----
    FutureWarning
        When given a matrix instead of labels (it still draws it, this release).
    """
    if np.ndim(y_true) == 2:
        return _plot_matrix(y_true, y_pred, labels, normalize, ax, cmap)
    if y_pred is None:
        raise ValueError("y_pred is required: plot_confusion_matrix(y_true, y_pred)")
    display = ConfusionMatrixDisplay.from_predictions(
        y_true,
        y_pred,
        labels=labels,
        sample_weight=sample_weight,
        normalize=normalize,
        display_labels=display_labels,
        cmap=cmap,
        ax=ax,
    )
    return display.ax_


def _plot_matrix(cm, old_labels, labels, normalize, ax, cmap):
    """The deprecated form ``plot_confusion_matrix(cm, labels)``, kept for one release."""
    warnings.warn(
        "plot_confusion_matrix(cm, labels) with a confusion matrix is deprecated and will be "
        "removed in the next release: pass (y_true, y_pred), or draw a matrix with "
        "ConfusionMatrixDisplay(confusion_matrix=cm, display_labels=labels).plot(ax=ax)",
        FutureWarning,
        stacklevel=3,
    )
    display_labels = old_labels if old_labels is not None else labels
    cm = np.asarray(cm)
    if cm.dtype.kind not in "biuf":
        raise TypeError(f"the confusion matrix must be numeric, got dtype {cm.dtype}")
    display = ConfusionMatrixDisplay(normalized(cm, normalize), display_labels=display_labels)
    return display.plot(ax=ax, cmap=cmap).ax_


def plot_roc_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    name: str | None = None,
    ax: Any = None,
) -> Any:
    """Draw the ROC curve (true-positive rate against false-positive rate) with its AUC.

    A shortcut for :meth:`RocCurveDisplay.from_predictions
    <m4ml.pipeline.RocCurveDisplay.from_predictions>` with the chance diagonal, returning the
    Axes. The legend reads ``"<name> (AUC = 0.997)"``.

    Parameters
    ----------
    y_true : array-like of binary labels
    y_score : array-like of scores for the positive class
    pos_label : label or None
    sample_weight : array-like or None
    name : str or None
        Legend label (e.g. the model's name); default ``"Classifier"``.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        As :func:`~m4ml.pipeline.metrics.roc_curve`.
    """
    display = RocCurveDisplay.from_predictions(
        y_true,
        y_score,
        pos_label=pos_label,
        sample_weight=sample_weight,
        name=name,
        ax=ax,
        plot_chance_level=True,
    )
    return display.ax_


def plot_precision_recall_curve(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    pos_label: Any = None,
    sample_weight: ArrayLike | None = None,
    name: str | None = None,
    ax: Any = None,
) -> Any:
    """Draw precision against recall, with the average precision in the legend.

    A shortcut for :meth:`PrecisionRecallDisplay.from_predictions
    <m4ml.pipeline.PrecisionRecallDisplay.from_predictions>` returning the Axes; parameters
    are those of :func:`plot_roc_curve`. The legend reads ``"<name> (AP = 0.951)"``.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        As :func:`~m4ml.pipeline.metrics.precision_recall_curve`.
    """
    display = PrecisionRecallDisplay.from_predictions(
        y_true, y_score, pos_label=pos_label, sample_weight=sample_weight, name=name, ax=ax
    )
    return display.ax_


def plot_permutation_importance(
    result: Mapping[str, Any], feature_names: Sequence[str] | None = None, *, ax: Any = None
) -> Any:
    """Box plot of each feature's permutation importances, most important at the top.

    Parameters
    ----------
    result : the result of :func:`m4ml.pipeline.inspection.permutation_importance`
    feature_names : sequence of str or None
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    importances = np.asarray(result["importances"])
    names = (
        [f"x{j}" for j in range(importances.shape[0])]
        if feature_names is None
        else [str(f) for f in feature_names]
    )
    if len(names) != importances.shape[0]:
        raise ValueError(f"{len(names)} names for {importances.shape[0]} features")
    order = np.argsort(importances.mean(axis=1))
    ax = _axes(ax)
    ax.boxplot(
        importances[order].T, orientation="horizontal", tick_labels=[names[i] for i in order]
    )
    ax.axvline(0.0, color="grey", linestyle="--")
    ax.set_xlabel("decrease in score when the feature is shuffled")
    return ax


def plot_partial_dependence(
    result: Mapping[str, Any],
    feature_name: str | None = None,
    *,
    output: int = 0,
    ice: bool = True,
    ax: Any = None,
) -> Any:
    """Line plot of a one-feature partial dependence, with its ICE curves if present.

    Parameters
    ----------
    result : the result of :func:`m4ml.pipeline.inspection.partial_dependence` for one feature
    feature_name : str or None
    output : int
        Which model output (class) to draw.
    ice : bool
        Draw the individual curves (thin) when the result holds them.
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    if len(result["grid_values"]) != 1:
        raise ValueError("plot_partial_dependence draws one feature; got a two-feature result")
    grid = result["grid_values"][0]
    ax = _axes(ax)
    if ice and "individual" in result:
        for curve in result["individual"][output]:
            ax.plot(grid, curve, color="tab:blue", alpha=0.15, linewidth=0.5)
    if "average" in result:
        average = result["average"][output]
    else:
        average = result["individual"][output].mean(axis=0)
    ax.plot(grid, average, color="tab:orange", linewidth=2, label="average (PD)")
    ax.set_xlabel(feature_name or "feature value")
    ax.set_ylabel("model output")
    ax.legend()
    return ax
