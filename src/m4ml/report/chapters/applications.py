"""Chapter 7: applications and case studies: the penguins, from raw CSV to explained models."""

import numpy as np

from m4ml.report.chapters._common import guarded, model_class
from m4ml.report.figures import new_figure, to_figure
from m4ml.report.model import Check, Section, Table, agree

TITLE = "Applications and case studies"
INTRO = (
    "The end-to-end pipeline on the Palmer penguins (344 birds with real missing values "
    "and text columns): split first, impute, encode, scale, fit, evaluate on held-out rows, "
    "calibrate and explain."
)

NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["island", "sex"]


def _data(ctx, target):
    from m4ml.datasets import load_penguins
    from m4ml.pipeline import train_test_split

    df = load_penguins().dropna(subset=[target])
    X, y = df.drop(columns=[target, "year"]), df[target].to_numpy()
    strat = y if target == "species" else None
    return df, train_test_split(X, y, test_size=0.25, stratify=strat, random_state=ctx.seed)


def _prep(section, ctx):
    section.text = (
        "The split comes first, stratified by species so both parts keep each "
        "species' share; every statistic the pipeline learns (medians, categories, "
        "means, scales) is learned from the training rows only."
    )
    section.formulas = [r"n^{\text{test}}_k \approx n^{\text{test}}\,\frac{n_k}{n}"]
    df, (_, _, _, y_te) = _data(ctx, "species")
    labels = np.unique(df["species"])
    share = np.array([np.mean(df["species"] == k) for k in labels])
    share_te = np.array([np.mean(y_te == k) for k in labels])
    section.checks.append(
        Check(
            "test-set species shares",
            share_te,
            "full-data shares",
            share,
            agree(share_te, share, atol=1.0 / len(y_te)),
            "within 1/n_test",
        )
    )
    missing = df[NUMERIC + CATEGORICAL].isna().to_numpy()
    counts = df[NUMERIC + CATEGORICAL].isna().sum()
    section.tables.append(
        Table(["column", "missing values"], [[c, int(n)] for c, n in counts.items()])
    )
    fig, ax = new_figure(width=6, height=2.6)
    ax.imshow(missing.T, aspect="auto", cmap="Greys", interpolation="nearest")
    ax.set_yticks(range(len(NUMERIC + CATEGORICAL)), NUMERIC + CATEGORICAL, fontsize=7)
    ax.set_xlabel("row")
    ax.set_title("missing-value map (black = missing)")
    section.figures.append(to_figure(fig, "Missing-value map of the penguins table"))


def _classify(section, ctx, LogisticRegression):
    from m4ml.pipeline import permutation_importance
    from m4ml.pipeline.metrics import accuracy_score, confusion_matrix, f1_score, log_loss
    from m4ml.report.tabular import TabularClassifier

    section.text = (
        "Species from measurements, island and sex by multinomial logistic "
        "regression behind the data steps; evaluated on the held-out quarter, with "
        "a reliability curve (calibration) and permutation importance."
    )
    section.formulas = [
        r"p(y = k \mid x) = \frac{e^{w_k^{\top} z}}{\sum_c e^{w_c^{\top} z}}, "
        r"\quad I_j = s - \frac1R \sum_r s_{\pi_r(j)}"
    ]
    _, (X_tr, X_te, y_tr, y_te) = _data(ctx, "species")
    model = TabularClassifier(LogisticRegression(), NUMERIC, CATEGORICAL).fit(X_tr, y_tr)
    pred, proba = model.predict(X_te), model.predict_proba(X_te)
    cm = confusion_matrix(y_te, pred, labels=model.classes_)
    acc = accuracy_score(y_te, pred)
    section.checks.append(
        Check(
            "held-out accuracy",
            acc,
            "trace(confusion) / n",
            np.trace(cm) / cm.sum(),
            agree(acc, np.trace(cm) / cm.sum()),
        )
    )
    idx = np.searchsorted(model.classes_, y_te)
    by_hand = -np.mean(np.log(np.clip(proba[np.arange(len(y_te)), idx], 1e-15, 1)))
    ll = log_loss(y_te, proba, labels=model.classes_)
    section.checks.append(
        Check("log_loss", ll, "-mean log p(true class)", by_hand, agree(ll, by_hand, rtol=1e-10))
    )
    section.tables.append(
        Table(
            ["metric", "value"],
            [
                ["accuracy", f"{acc:.3f}"],
                ["macro F1", f"{f1_score(y_te, pred, average='macro'):.3f}"],
                ["log loss", f"{ll:.3f}"],
            ],
        )
    )
    imp = permutation_importance(
        model, X_te, y_te, n_repeats=5 if ctx.quick else 20, random_state=ctx.seed
    )
    conf = proba.max(axis=1)
    correct = (pred == y_te).astype(float)
    bins = np.linspace(0.3, 1.0, 8)
    which = np.clip(np.digitize(conf, bins) - 1, 0, len(bins) - 2)
    mids = [
        (conf[which == b].mean(), correct[which == b].mean())
        for b in range(len(bins) - 1)
        if np.any(which == b)
    ]
    fig, axes = new_figure(2, width=10, height=3.2)
    order = np.argsort(imp.importances_mean)
    axes[0].barh(
        np.array(X_te.columns)[order], imp.importances_mean[order], xerr=imp.importances_std[order]
    )
    axes[0].set_xlabel("drop in accuracy when permuted")
    axes[1].plot([0, 1], [0, 1], "--", color="0.5")
    axes[1].plot(*np.array(mids).T, "o-")
    axes[1].set_xlabel("predicted probability of the predicted class")
    axes[1].set_ylabel("observed accuracy")
    axes[1].set_title("reliability (calibration) curve")
    section.figures.append(to_figure(fig, "Permutation importance and calibration curve"))


def _regress(section, ctx, LinearRegression):
    from m4ml.pipeline import permutation_importance
    from m4ml.pipeline.metrics import mean_absolute_error, r2_score
    from m4ml.report.tabular import TabularRegressor

    section.text = (
        "Body mass from the other measurements, species, island and sex by least "
        "squares behind the same data steps; R² on held-out birds, the "
        "coefficients (per standard deviation of each input) and the residuals."
    )
    section.formulas = [r"R^2 = 1 - \frac{\sum_i (y_i - \hat y_i)^2}{\sum_i (y_i - \bar y)^2}"]
    _, (X_tr, X_te, y_tr, y_te) = _data(ctx, "body_mass_g")
    model = TabularRegressor(LinearRegression(), NUMERIC[:3], [*CATEGORICAL, "species"])
    model.fit(X_tr, y_tr)
    pred = model.predict(X_te)
    r2 = r2_score(y_te, pred)
    by_hand = 1 - np.sum((y_te - pred) ** 2) / np.sum((y_te - y_te.mean()) ** 2)
    section.checks.append(
        Check("held-out R²", r2, "1 - SSres/SStot by hand", by_hand, agree(r2, by_hand, rtol=1e-12))
    )
    coef = np.ravel(model.final_estimator.coef_)
    section.tables.append(
        Table(
            ["feature", "coefficient (g)"],
            [[n, f"{c:.1f}"] for n, c in zip(model.feature_names_out_, coef)],
            f"held-out MAE {mean_absolute_error(y_te, pred):.0f} g",
        )
    )
    imp = permutation_importance(
        model, X_te, y_te, n_repeats=5 if ctx.quick else 20, random_state=ctx.seed
    )
    fig, axes = new_figure(2, width=10, height=3.2)
    axes[0].scatter(pred, y_te - pred, s=8)
    axes[0].axhline(0, color="0.5")
    axes[0].set_xlabel("predicted body mass (g)")
    axes[0].set_ylabel("residual (g)")
    order = np.argsort(imp.importances_mean)
    axes[1].barh(np.array(X_te.columns)[order], imp.importances_mean[order])
    axes[1].set_xlabel("drop in R² when permuted")
    section.figures.append(to_figure(fig, "Residuals and permutation importance"))


def build(ctx):
    """The chapter's sections; model sections pending until their model lands."""
    sections = [
        guarded("The data: missing values and a stratified split", "penguins-data", _prep, ctx)
    ]
    for title, anchor, name, fn in [
        (
            "Species classification, calibration and importance",
            "penguins-species",
            "LogisticRegression",
            _classify,
        ),
        (
            "Body-mass regression, coefficients and residuals",
            "penguins-mass",
            "LinearRegression",
            _regress,
        ),
    ]:
        cls = model_class(name)
        if cls is None:
            sections.append(
                Section(
                    title,
                    anchor,
                    pending=f"m4ml.models.{name} has not landed "
                    "yet; this section runs once it does.",
                )
            )
        else:
            sections.append(guarded(title, anchor, lambda s, c, fn=fn, cls=cls: fn(s, c, cls), ctx))
    return sections
