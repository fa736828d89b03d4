"""Plots for model evaluation and interpretation (matplotlib, imported only when called).

Each function draws on an existing ``ax`` if given (else a new figure) and returns the Axes, so
plots compose and can be tested by inspecting what was drawn. Install the extra with
``pip install 'm4ml[plot]'``.
"""

import numpy as np


def _axes(ax):
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("plotting needs matplotlib: pip install 'm4ml[plot]'") from exc
    _, ax = plt.subplots()
    return ax


def _binary(y_true, pos_label):
    """``y_true`` as 0/1 when a positive label is named, else unchanged (the metric decides)."""
    y_true = np.asarray(y_true)
    return y_true if pos_label is None else (y_true == pos_label).astype(int)


def plot_confusion_matrix(cm, labels=None, *, normalize=None, ax=None, cmap="Blues"):
    """Draw a confusion matrix as a heat map with the counts written in the cells.

    Parameters
    ----------
    cm : array-like, shape (n_classes, n_classes)
        Rows are true classes, columns predicted (as ``confusion_matrix`` returns).
    labels : sequence or None
        Class names for the ticks.
    normalize : None, "true", "pred" or "all"
        Show rates instead of counts: per true class (rows sum to 1), per predicted class, or
        over all samples.
    ax : matplotlib Axes or None
    cmap : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    cm = np.asarray(cm, dtype=float)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"cm must be a square matrix, got shape {cm.shape}")
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"normalize must be None, 'true', 'pred' or 'all', got {normalize!r}")
    if normalize is not None:
        axis = {"true": 1, "pred": 0, "all": None}[normalize]
        totals = cm.sum(axis=axis, keepdims=axis is not None)
        cm = np.divide(cm, totals, out=np.zeros_like(cm), where=totals != 0)
    n = cm.shape[0]
    labels = list(range(n)) if labels is None else list(labels)
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for a {n}x{n} confusion matrix")
    ax = _axes(ax)
    image = ax.imshow(cm, cmap=cmap, vmin=0)
    threshold = cm.max() / 2 if cm.size else 0
    for i in range(n):
        for j in range(n):
            text = f"{cm[i, j]:.2f}" if normalize else f"{int(cm[i, j])}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                color="white" if cm[i, j] > threshold else "black",
            )
    ax.set_xticks(range(n), [str(lab) for lab in labels])
    ax.set_yticks(range(n), [str(lab) for lab in labels])
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.figure.colorbar(image, ax=ax)
    return ax


def plot_roc_curve(y_true, y_score, *, pos_label=None, name=None, ax=None):
    """Draw the ROC curve (true-positive rate against false-positive rate) with its AUC.

    Parameters
    ----------
    y_true : array-like of binary labels
    y_score : array-like of scores for the positive class
    pos_label : label or None
    name : str or None
        Legend prefix (e.g. the model's name).
    ax : matplotlib Axes or None

    Returns
    -------
    matplotlib.axes.Axes
    """
    from m4ml.pipeline.metrics import roc_auc_score, roc_curve

    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label)
    auc = roc_auc_score(_binary(y_true, pos_label), y_score)
    ax = _axes(ax)
    label = f"{name + ' ' if name else ''}(AUC = {auc:.3f})"
    ax.plot(fpr, tpr, label=label)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    return ax


def plot_precision_recall_curve(y_true, y_score, *, pos_label=None, name=None, ax=None):
    """Draw precision against recall, with the average precision in the legend.

    Parameters are those of :func:`plot_roc_curve`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    from m4ml.pipeline.metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label)
    ap = average_precision_score(_binary(y_true, pos_label), y_score)
    ax = _axes(ax)
    ax.step(recall, precision, where="post", label=f"{name + ' ' if name else ''}(AP = {ap:.3f})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower left")
    return ax


def plot_permutation_importance(result, feature_names=None, *, ax=None):
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


def plot_partial_dependence(result, feature_name=None, *, output=0, ice=True, ax=None):
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
