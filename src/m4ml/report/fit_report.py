"""The ``report.html`` of ``m4ml fit``: data summary, missing values, leaderboard, metrics,
diagnostic plots and explanations, built with the same machinery as ``m4ml report``.

Everything shown comes from the user's CSV, so every string goes through jinja2's autoescape.
"""

import numpy as np

from m4ml.report.figures import new_figure, to_figure

__all__ = ["explain", "render_fit_report"]


def explain(model, X, y, task, linear, plan, random_state):
    """Permutation importance, partial dependence of the top numeric features, coefficients."""
    from m4ml.pipeline import partial_dependence, permutation_importance

    imp = permutation_importance(model, X, y, n_repeats=10, random_state=random_state)
    order = np.argsort(imp.importances_mean)[::-1]
    importance = [
        (str(X.columns[j]), float(imp.importances_mean[j]), float(imp.importances_std[j]))
        for j in order
    ]
    top = [name for name, _, _ in importance if name in plan.numeric][:2]
    pdp = []
    for name in top:
        res = partial_dependence(model, X, name, grid_resolution=30)
        pdp.append((name, np.asarray(res.grid_values[0], dtype=float), np.asarray(res.average)))
    coefficients = None
    est = model.final_estimator
    if linear and hasattr(est, "coef_"):
        coef = np.atleast_2d(np.asarray(est.coef_, dtype=float))
        names = [str(n) for n in model.feature_names_out_]
        rows = coef.T  # one row per feature, one column per class (or one for regression)
        heads = (
            [f"class {c}" for c in model.classes_]
            if task == "classification" and coef.shape[0] > 1
            else ["coefficient"]
        )
        coefficients = (heads, [[n, *(f"{v:.4g}" for v in r)] for n, r in zip(names, rows)])
    outputs = [str(c) for c in model.classes_] if task == "classification" else []
    if len(outputs) == 2:  # binary: the partial dependence of the positive class only
        outputs = outputs[1:]
    return {"importance": importance, "pdp": pdp, "coefficients": coefficients, "outputs": outputs}


def _missing_figure(frame):
    fig, ax = new_figure(width=7, height=0.6 + 0.22 * min(len(frame.columns), 30))
    cols = list(frame.columns)[:30]
    ax.imshow(frame[cols].isna().to_numpy().T, aspect="auto", cmap="Greys", interpolation="nearest")
    ax.set_yticks(range(len(cols)), [str(c)[:24] for c in cols], fontsize=7)
    ax.set_xlabel("row")
    return to_figure(fig, "Missing-value map", "Black marks a missing value.")


def _leaderboard_figure(scores, order):
    fig, ax = new_figure(width=6, height=0.8 + 0.35 * len(order))
    ax.boxplot([scores[n] for n in order[::-1]], orientation="horizontal")
    ax.set_yticks(range(1, len(order) + 1), order[::-1])
    ax.set_xlabel("cross-validated score per fold")
    return to_figure(fig, "Cross-validation scores per model")


def _classification_figures(y, pred, proba, classes):
    from m4ml.pipeline import ConfusionMatrixDisplay, PrecisionRecallDisplay, RocCurveDisplay

    fig, axes = new_figure(2, width=10, height=3.6)
    ConfusionMatrixDisplay.from_predictions(
        y,
        pred,
        labels=np.array(classes),
        display_labels=[str(c)[:12] for c in classes],
        ax=axes[0],
        colorbar=False,
    )
    axes[0].tick_params(labelsize=7)
    axes[0].set_title("confusion matrix")
    figures = []
    if proba is None:
        axes[1].axis("off")
        figures.append(to_figure(fig, "Confusion matrix"))
        return figures
    # one curve per class against the rest, for classes with both outcomes in the test set
    drawn = [(k, c) for k, c in enumerate(classes[:8]) if 0 < np.sum(y == c) < len(y)]
    for k, c in drawn:
        RocCurveDisplay.from_predictions(y == c, proba[:, k], name=str(c)[:16], ax=axes[1])
    axes[1].plot([0, 1], [0, 1], "--", color="0.6")
    axes[1].set_title("ROC, one vs rest")
    axes[1].legend(fontsize=7)
    figures.append(to_figure(fig, "Confusion matrix and ROC curves"))
    fig, axes = new_figure(2, width=10, height=3.4)
    for k, c in drawn:
        PrecisionRecallDisplay.from_predictions(y == c, proba[:, k], name=str(c)[:16], ax=axes[0])
    axes[0].set_title("precision-recall, one vs rest")
    axes[0].legend(fontsize=7)
    conf, correct = proba.max(axis=1), (pred == y).astype(float)
    edges = np.linspace(0, 1, 11)
    which = np.clip(np.digitize(conf, edges) - 1, 0, 9)
    pts = [
        (conf[which == b].mean(), correct[which == b].mean())
        for b in range(10)
        if np.any(which == b)
    ]
    axes[1].plot([0, 1], [0, 1], "--", color="0.6")
    axes[1].plot(*np.array(pts).T, "o-")
    axes[1].set_xlabel("predicted probability of the predicted class")
    axes[1].set_ylabel("observed accuracy")
    axes[1].set_title("calibration")
    figures.append(to_figure(fig, "Precision-recall and calibration curves"))
    return figures


def _regression_figures(y, pred):
    fig, axes = new_figure(2, width=10, height=3.4)
    axes[0].scatter(y, pred, s=8)
    lo, hi = float(min(y.min(), pred.min())), float(max(y.max(), pred.max()))
    axes[0].plot([lo, hi], [lo, hi], "--", color="0.5")
    axes[0].set_xlabel("actual")
    axes[0].set_ylabel("predicted")
    axes[1].scatter(pred, y - pred, s=8)
    axes[1].axhline(0, color="0.5")
    axes[1].set_xlabel("predicted")
    axes[1].set_ylabel("residual")
    return [to_figure(fig, "Predicted versus actual, and residuals")]


def _explanation_figures(explanation, task):
    imp = explanation["importance"][:15]
    fig, ax = new_figure(width=6, height=0.8 + 0.3 * len(imp))
    ax.barh(
        [n[:30] for n, _, _ in imp[::-1]],
        [m for _, m, _ in imp[::-1]],
        xerr=[s for _, _, s in imp[::-1]],
    )
    ax.set_xlabel("drop in score when the column is permuted")
    figures = [to_figure(fig, "Permutation importance")]
    if explanation["pdp"]:
        fig, axes = new_figure(len(explanation["pdp"]), height=3.0)
        axes = np.atleast_1d(axes)
        labels = explanation.get("outputs") or []
        for ax, (name, grid, avg) in zip(axes, explanation["pdp"]):
            rows = np.atleast_2d(avg)
            for k, row in enumerate(rows):
                ax.plot(grid, row, label=str(labels[k])[:16] if k < len(labels) else None)
            if len(rows) > 1 and labels:
                ax.legend(fontsize=7)
            ax.set_xlabel(name[:30])
            ax.set_ylabel("partial dependence")
        figures.append(to_figure(fig, "Partial dependence of the top features"))
    return figures


def render_fit_report(
    *,
    data,
    frame,
    plan,
    target,
    task,
    scores,
    order,
    comparison,
    test,
    ci,
    y_test,
    pred,
    proba,
    classes,
    explanation,
    seconds,
    random_state,
):
    """The fit report page (a string)."""
    import warnings

    import m4ml
    from m4ml.report.render import render

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        figures = [_missing_figure(frame), _leaderboard_figure(scores, order)]
        if task == "classification":
            figures += _classification_figures(np.asarray(y_test), np.asarray(pred), proba, classes)
        else:
            figures += _regression_figures(np.asarray(y_test, float), np.asarray(pred, float))
        figures += _explanation_figures(explanation, task)
    summary = [
        [
            str(c),
            str(frame[c].dtype),
            int(frame[c].isna().sum()),
            int(frame[c].nunique(dropna=True)),
        ]
        for c in frame.columns
    ]
    leaderboard = [
        [i + 1, n, f"{scores[n].mean():.4f}", f"{scores[n].std(ddof=1):.4f}"]
        for i, n in enumerate(order)
    ]
    metrics = [
        [
            k,
            "n/a" if v is None else f"{v:.4f}",
            "" if k not in ci else f"[{ci[k][0]:.4f}, {ci[k][1]:.4f}]",
        ]
        for k, v in test.items()
    ]
    return render(
        "fit.html.j2",
        version=m4ml.__version__,
        data=data,
        target=target,
        task=task,
        n_rows=len(frame),
        plan=plan,
        summary=summary,
        leaderboard=leaderboard,
        comparison=comparison,
        best=order[0],
        metrics=metrics,
        figures=figures,
        coefficients=explanation["coefficients"],
        seconds=f"{seconds:.1f}",
        seed=random_state,
    )
