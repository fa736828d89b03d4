"""``m4ml fit DATA.csv --target COL``: the end-to-end pipeline on a user's CSV."""

import json
import time
import warnings
from pathlib import Path

import numpy as np

from m4ml.cli.console import err_console, out_console, safe, safe_text
from m4ml.cli.errors import DataError, UsageProblem

__all__ = ["OUTPUT_FILES", "run_fit"]

OUTPUT_FILES = ("model.skops", "metrics.json", "report.html", "predictions_test.csv")


def _output_dir(data, out, force):
    path = Path(out) if out is not None else Path(f"m4ml-fit-{Path(data).stem}")
    if path.is_symlink():
        raise DataError(f"{path} is a symbolic link; refusing to write through it")
    if path.exists():
        if not path.is_dir():
            raise DataError(f"{path} exists and is not a folder")
        if not force:
            raise DataError(
                f"the output folder {path} exists; use --force to replace m4ml's "
                "files in it (nothing else is touched)"
            )
        for name in OUTPUT_FILES:
            if (path / name).is_symlink():
                raise DataError(f"{path / name} is a symbolic link; refusing to write through it")
    elif not path.parent.exists():
        raise UsageProblem(f"the folder {path.parent} does not exist")
    return path


def _print_plan(console, plan, task, reason, target, n_rows, n_dropped):
    from rich.table import Table

    table = Table(title="Columns inferred", title_justify="left")
    table.add_column("kind")
    table.add_column("columns")
    for kind, cols in (
        ("numeric", plan.numeric),
        ("categorical", plan.categorical),
        ("ID-like (kept for predictions, not a feature)", plan.id_like),
    ):
        if cols:
            table.add_row(kind, safe_text(", ".join(cols)))
    for name, why in plan.dropped.items():
        table.add_row("dropped", safe_text(f"{name} ({why})"))
    console.print(table)
    console.print(
        safe_text(
            f"target {target!r}: {task} ({reason}); {n_rows} rows"
            + (f", {n_dropped} without a target dropped" if n_dropped else "")
        )
    )


def _cv_scores(models, X, y, splits, task, bar):
    """Score every candidate on the same folds (accuracy or R²)."""
    from sklearn.base import clone

    scores = {}
    task_id = bar.add_task("cross-validating", total=len(models) * len(splits))
    for name, model in models.items():
        fold_scores = []
        for train, test in splits:
            fitted = clone(model).fit(X.iloc[train], y[train])
            fold_scores.append(float(fitted.score(X.iloc[test], y[test])))
            bar.advance(task_id)
        scores[name] = np.array(fold_scores)
    return scores


def _leaderboard(console, scores, comparison, metric):
    from rich.table import Table

    table = Table(title=f"Leaderboard (cross-validated {metric})", title_justify="left")
    for col in ("rank", "model", "mean", "std", "folds"):
        table.add_column(col, justify="right" if col in ("rank", "mean", "std") else "left")
    order = sorted(scores, key=lambda n: -scores[n].mean())
    for i, name in enumerate(order, 1):
        s = scores[name]
        table.add_row(
            str(i), name, f"{s.mean():.4f}", f"{s.std(ddof=1):.4f}", " ".join(f"{v:.3f}" for v in s)
        )
    console.print(table)
    if comparison["runner_up"] is not None:
        p, t = comparison["p_value"], comparison["t"]
        verdict = "significantly" if p < 0.05 else "not significantly"
        t_text = "∞" if t is None else f"{t:.2f}"
        console.print(
            f"{order[0]} vs {order[1]}: corrected resampled t = {t_text}, p = {p:.3g}"
            f" -> {verdict} better at the 5% level (Nadeau–Bengio)"
        )
    return order


def _search(best_name, model, X, y, splits, task, console):
    from m4ml.cli.registry import MODELS
    from m4ml.pipeline import GridSearchCV

    grid = MODELS[best_name].grid
    if not grid:
        console.print(f"--search: {best_name} has no hyper-parameters to tune")
        return model, None
    param_grid = {f"estimator__{k}": v for k, v in grid.items()}
    search = GridSearchCV(
        model, param_grid, cv=splits, scoring="accuracy" if task == "classification" else "r2"
    )
    search.fit(X, y)
    best = {k.removeprefix("estimator__"): v for k, v in search.best_params_.items()}
    console.print(
        f"--search: best {best_name} parameters {best} (CV score {search.best_score_:.4f})",
        markup=False,
    )
    return search.best_estimator_, best


def run_fit(
    data,
    *,
    target,
    task=None,
    models=None,
    test_size=0.2,
    cv=5,
    search=False,
    random_state=0,
    out=None,
    force=False,
):
    """Run the pipeline and write the four outputs; return the exit code."""
    import pandas as pd
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from sklearn.base import clone

    import m4ml
    from m4ml.cli import columns, registry
    from m4ml.cli.evaluate import bootstrap_ci, corrected_resampled_ttest, test_metrics
    from m4ml.cli.files import atomic_write, spreadsheet_safe
    from m4ml.cli.modelfile import dump_model
    from m4ml.pipeline import KFold, StratifiedKFold, train_test_split
    from m4ml.report.tabular import TabularClassifier, TabularRegressor

    start = time.perf_counter()
    console = out_console()
    out_dir = _output_dir(data, out, force)
    frame = columns.read_csv(data)
    columns.check_target(frame, target)
    inferred, reason = columns.infer_task(frame[target].dropna())
    if task is None:
        task = inferred
    else:
        reason = f"--task {task}"
    columns.target_values(frame, target, task)
    n_all = len(frame)
    frame = frame[frame[target].notna()].reset_index(drop=True)
    plan = columns.infer_columns(frame, target)
    _print_plan(console, plan, task, reason, target, len(frame), n_all - len(frame))
    names = registry.parse_names(models, task)
    _, pending = registry.default_names(task)
    if models is None and pending:
        console.print(f"not yet available in m4ml.models (skipped): {', '.join(pending)}")

    y = frame[target].to_numpy()
    if task == "classification":
        y = y.astype(str) if not pd.api.types.is_numeric_dtype(frame[target]) else y
        labels, counts = np.unique(y, return_counts=True)
        rare = [f"{safe(c)!r} ({n} rows)" for c, n in zip(labels, counts) if n < cv + 1]
        if rare:
            raise DataError(
                f"class(es) {', '.join(rare)} have too few rows for a stratified "
                f"split and {cv}-fold CV; need at least {cv + 1} each (or lower --cv)"
            )
    else:
        y = y.astype(float)
    X = frame[plan.features + plan.id_like]
    X_tr, X_te, y_tr, y_te = train_test_split(
        X,
        y,
        test_size=test_size,
        random_state=random_state,
        stratify=y if task == "classification" else None,
    )
    X_tr, X_te = X_tr.reset_index(drop=True), X_te.reset_index(drop=True)
    features_tr, features_te = X_tr[plan.features], X_te[plan.features]
    Wrapper = TabularClassifier if task == "classification" else TabularRegressor
    candidates = {
        n: Wrapper(registry.MODELS[n].make(task), plan.numeric, plan.categorical) for n in names
    }
    splitter = (
        StratifiedKFold(cv, shuffle=True, random_state=random_state)
        if task == "classification"
        else KFold(cv, shuffle=True, random_state=random_state)
    )
    splits = list(splitter.split(features_tr, y_tr))
    metric = "accuracy" if task == "classification" else "R²"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from candidates is summarized below
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=err_console(),
            transient=True,
        ) as bar:
            scores = _cv_scores(candidates, features_tr, y_tr, splits, task, bar)
    order = sorted(scores, key=lambda n: -scores[n].mean())
    comparison = {"runner_up": None, "t": None, "p_value": None}
    if len(order) > 1:
        n_test_fold = int(np.mean([len(te) for _, te in splits]))
        t, p = corrected_resampled_ttest(
            scores[order[0]], scores[order[1]], len(y_tr) - n_test_fold, n_test_fold
        )
        comparison = {"runner_up": order[1], "t": t, "p_value": p}
    _leaderboard(console, scores, comparison, metric)
    best_name = order[0]
    model, tuned = clone(candidates[best_name]), None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if search:
            model, tuned = _search(best_name, model, features_tr, y_tr, splits, task, console)
        model.fit(features_tr, y_tr)
    pred = model.predict(features_te)
    proba = (
        model.predict_proba(features_te)
        if task == "classification" and hasattr(model.final_estimator, "predict_proba")
        else None
    )
    classes = list(model.classes_) if task == "classification" else None
    test = test_metrics(task, y_te, pred, proba, np.array(classes) if classes else None)
    status = err_console().status  # a spinner on a terminal, silent otherwise
    with status("bootstrapping the held-out metrics (400 resamples)"):
        ci = bootstrap_ci(
            task,
            y_te,
            pred,
            proba,
            np.array(classes) if classes else None,
            n_boot=400,
            random_state=random_state,
        )
    _print_metrics(console, best_name, test, ci)

    from m4ml.report.fit_report import explain, render_fit_report

    with status("permutation importance and partial dependence"):
        explanation = explain(
            model, features_te, y_te, task, registry.MODELS[best_name].linear, plan, random_state
        )
    _print_importance(console, explanation)
    metrics = {
        "m4ml_version": m4ml.__version__,
        "task": task,
        "target": target,
        "n_train": len(y_tr),
        "n_test": len(y_te),
        "best_model": best_name,
        "test": test,
        "test_ci95": ci,
        "cv": {
            n: {
                "mean": float(s.mean()),
                "std": float(s.std(ddof=1)),
                "scores": [float(v) for v in s],
            }
            for n, s in scores.items()
        },
        "comparison": comparison,
    }
    metadata = {
        "m4ml_version": m4ml.__version__,
        "task": task,
        "target": target,
        "model": best_name,
        "classes": [_jsonable(c) for c in classes] if classes else None,
        "features": [
            {
                "name": c,
                "dtype": plan.dtypes[c],
                "kind": "numeric" if c in plan.numeric else "categorical",
                "categories": plan.categories.get(c, [])[:1000],
            }
            for c in plan.features
        ],
        "id_columns": plan.id_like,
        "tuned_params": _jsonable(tuned),
    }
    preds = pd.DataFrame({c: X_te[c] for c in plan.id_like})
    preds[target] = y_te
    preds["prediction"] = pred
    if proba is not None:
        for j, c in enumerate(classes):
            preds[f"proba_{c}"] = proba[:, j]
    preds = preds.map(spreadsheet_safe)
    preds.columns = [spreadsheet_safe(c) for c in preds.columns]
    report_status = status("drawing the report")
    report_status.start()
    html = render_fit_report(
        data=Path(data).name,
        frame=frame,
        plan=plan,
        target=target,
        task=task,
        scores=scores,
        order=order,
        comparison=comparison,
        test=test,
        ci=ci,
        y_test=y_te,
        pred=pred,
        proba=proba,
        classes=classes,
        explanation=explanation,
        seconds=time.perf_counter() - start,
        random_state=random_state,
    )
    report_status.stop()
    out_dir.mkdir(exist_ok=True)
    atomic_write(out_dir / "model.skops", dump_model(model, metadata))
    atomic_write(out_dir / "metrics.json", json.dumps(metrics, indent=2, allow_nan=False))
    atomic_write(out_dir / "predictions_test.csv", preds.to_csv(index=False))
    atomic_write(out_dir / "report.html", html)
    console.print(
        f"wrote {', '.join(OUTPUT_FILES)} to {safe(out_dir.resolve())}/ in "
        f"{time.perf_counter() - start:.1f} s",
        markup=False,
    )
    return 0


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _print_metrics(console, best, test, ci):
    from rich.table import Table

    table = Table(title=f"Held-out test metrics of {best} (95% bootstrap CI)", title_justify="left")
    for col in ("metric", "value", "95% CI"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for key, value in test.items():
        low_high = ci.get(key)
        table.add_row(
            key,
            "n/a" if value is None else f"{value:.4f}",
            "" if low_high is None else f"[{low_high[0]:.4f}, {low_high[1]:.4f}]",
        )
    console.print(table)


def _print_importance(console, explanation):
    from rich.table import Table

    table = Table(title="Permutation importance (held-out)", title_justify="left")
    table.add_column("feature")
    table.add_column("mean drop", justify="right")
    table.add_column("std", justify="right")
    for name, mean, std in explanation["importance"][:8]:
        table.add_row(safe_text(name), f"{mean:.4f}", f"{std:.4f}")
    console.print(table)
