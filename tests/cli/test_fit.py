"""``m4ml fit`` end to end: outputs, metrics.json's schema, safety of untrusted CSV content."""

import json
import math

import numpy as np
import pytest

from m4ml.cli import main
from m4ml.cli.columns import infer_columns, infer_task
from m4ml.cli.evaluate import corrected_resampled_ttest
from m4ml.cli.registry import MODELS, available, default_names, parse_names

pd = pytest.importorskip("pandas")

CLASSIFICATION = [
    "accuracy",
    "balanced_accuracy",
    "precision_macro",
    "recall_macro",
    "f1_macro",
    "roc_auc",
    "log_loss",
]


def _strict_json(path):
    def no_constants(name):
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(path.read_text(), parse_constant=no_constants)


def test_outputs_and_metrics_schema(fitted_dir):
    names = sorted(p.name for p in fitted_dir.iterdir())
    assert names == ["metrics.json", "model.skops", "predictions_test.csv", "report.html"]
    m = _strict_json(fitted_dir / "metrics.json")
    assert set(m) == {
        "m4ml_version",
        "task",
        "target",
        "n_train",
        "n_test",
        "best_model",
        "test",
        "test_ci95",
        "cv",
        "comparison",
    }
    assert m["task"] == "classification" and m["target"] == "species"
    assert m["n_train"] + m["n_test"] == 344 and m["n_test"] == 69
    assert list(m["test"]) == CLASSIFICATION
    for key, (low, high) in m["test_ci95"].items():
        assert low <= m["test"][key] <= high or math.isclose(low, high)
    assert set(m["cv"]) == {"dummy", "naive_bayes"}
    for entry in m["cv"].values():
        assert len(entry["scores"]) == 3
        assert entry["mean"] == pytest.approx(np.mean(entry["scores"]))
    assert set(m["comparison"]) == {"runner_up", "t", "p_value"}
    assert m["best_model"] != m["comparison"]["runner_up"]
    assert m["cv"]["dummy"]["mean"] == pytest.approx(152 / 344, abs=0.02)  # majority class
    preds = pd.read_csv(fitted_dir / "predictions_test.csv")
    assert list(preds.columns[:2]) == ["species", "prediction"] and len(preds) == 69
    probs = preds[[c for c in preds.columns if c.startswith("proba_")]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-9)
    html = (fitted_dir / "report.html").read_text()
    assert "Content-Security-Policy" in html and "<script" not in html
    assert html.count('src="data:image/png;base64,') >= 5


@pytest.mark.slow
def test_same_seed_same_numbers(penguins_csv, tmp_path, fitted_dir):
    out = tmp_path / "again"
    assert (
        main(
            [
                "fit",
                str(penguins_csv),
                "--target",
                "species",
                "--models",
                "dummy,naive_bayes",
                "--cv",
                "3",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    a, b = _strict_json(fitted_dir / "metrics.json"), _strict_json(out / "metrics.json")
    assert a["cv"] == b["cv"] and a["test"] == b["test"] and a["test_ci95"] == b["test_ci95"]


def test_force_replaces_only_m4ml_files(penguins_csv, tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "metrics.json").write_text("old")
    assert (
        main(
            [
                "fit",
                str(penguins_csv),
                "--target",
                "body_mass_g",
                "--models",
                "dummy",
                "--cv",
                "2",
                "--out",
                str(out),
                "--force",
            ]
        )
        == 0
    )
    assert (out / "notes.txt").read_text() == "mine"
    assert _strict_json(out / "metrics.json")["task"] == "regression"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    out_text = capsys.readouterr().out
    assert "regression (numeric target" in out_text


def test_untrusted_names_and_values_are_escaped(tmp_path, capsys):
    rng = np.random.default_rng(0)
    n = 80
    x = rng.standard_normal(n)
    evil_col = '<script>alert("col")</script>'
    img_col = "<img src=x onerror=alert(1)>"
    markup_col = "[bold red]boom\x1b[2J"
    frame = pd.DataFrame(
        {
            evil_col: x,
            img_col: rng.choice(["<script>alert(2)</script>", '=HYPERLINK("x")', "plain"], n),
            markup_col: rng.standard_normal(n),
            "label": np.where(x > 0, "<b>yes</b>", "=1+1"),
        }
    )
    csv = tmp_path / "evil.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "out"
    assert (
        main(
            [
                "fit",
                str(csv),
                "--target",
                "label",
                "--models",
                "dummy,naive_bayes",
                "--cv",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    terminal = capsys.readouterr().out
    assert "\x1b[2J" not in terminal and "\\x1b[2J" in terminal
    assert "[bold red]boom" in terminal  # printed literally, not interpreted as markup
    html = (out / "report.html").read_text()
    for raw in ("<script>", "<img src=x", "<b>yes</b>"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#34;col&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    preds = pd.read_csv(out / "predictions_test.csv", dtype=str, keep_default_na=False)
    assert set(preds["label"]) <= {"<b>yes</b>", "'=1+1"}
    assert not any(v.startswith(("=", "+", "-", "@")) for v in preds.to_numpy().ravel())


def test_task_and_column_inference():
    assert infer_task(pd.Series(["a", "b"]))[0] == "classification"
    assert infer_task(pd.Series([0, 1, 2, 1]))[0] == "classification"
    assert infer_task(pd.Series(np.arange(100)))[0] == "regression"
    assert infer_task(pd.Series([0.5, 1.5, 2.0]))[0] == "regression"
    frame = pd.DataFrame(
        {
            "customer_id": np.arange(50),
            "row": np.arange(50),
            "x": np.random.default_rng(0).standard_normal(50),
            "city": ["a", "b"] * 25,
            "name": [f"n{i}" for i in range(50)],
            "empty": np.nan,
            "same": 1,
            "y": [0, 1] * 25,
        }
    )
    plan = infer_columns(frame, "y")
    assert plan.numeric == ["x"] and plan.categorical == ["city"]
    assert plan.id_like == ["customer_id", "row", "name"]
    assert plan.dropped == {"empty": "all values missing", "same": "a single value"}


def test_registry_is_one_entry_per_name_and_never_substitutes():
    assert set(MODELS) == {
        "dummy",
        "linear",
        "ridge",
        "lasso",
        "logistic",
        "naive_bayes",
        "svm",
        "mlp",
        "gmm",
    }
    for name, spec in MODELS.items():
        for task in spec.builds:
            cls = spec.resolve(task)
            if cls is not None:
                assert cls.__module__.startswith("m4ml."), (name, cls)
    got, pending = default_names("classification")
    assert "dummy" in got and set(got) | set(pending) >= {"logistic", "naive_bayes"}
    assert parse_names("naive_bayes", "classification")[0] == "dummy"
    assert all(available(n, "regression") for n in default_names("regression")[0])


def test_corrected_ttest_matches_the_formula_and_is_more_conservative():
    from scipy import stats

    a = np.array([0.81, 0.84, 0.80, 0.86, 0.83])
    b = np.array([0.79, 0.80, 0.80, 0.82, 0.80])
    t, p = corrected_resampled_ttest(a, b, n_train=400, n_test=100)
    d = a - b
    expected_t = d.mean() / np.sqrt((1 / 5 + 100 / 400) * d.var(ddof=1))
    assert t == pytest.approx(expected_t, rel=1e-12)
    assert p == pytest.approx(2 * stats.t.sf(abs(expected_t), 4), rel=1e-9)
    plain = stats.ttest_rel(a, b)
    assert p > plain.pvalue and abs(t) < abs(plain.statistic)
    assert corrected_resampled_ttest(a, a, 400, 100) == (0.0, 1.0)
    assert corrected_resampled_ttest(a + 0.01, a, 400, 100) == (None, 0.0)


@pytest.mark.slow
def test_search_tunes_the_best_model(penguins_csv, tmp_path, capsys):
    out = tmp_path / "search"
    assert (
        main(
            [
                "fit",
                str(penguins_csv),
                "--target",
                "body_mass_g",
                "--models",
                "ridge",
                "--cv",
                "3",
                "--search",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "--search: best ridge parameters {'alpha':" in capsys.readouterr().out
    m = _strict_json(out / "metrics.json")
    assert m["best_model"] == "ridge" and m["test"]["r2"] > 0.8


def test_a_model_that_has_not_landed_is_refused_by_name(
    monkeypatch, penguins_csv, tmp_path, capsys
):
    from m4ml.cli import registry

    real = registry.ModelSpec.resolve

    def resolve(self, task):
        return None if self.name == "svm" else real(self, task)

    monkeypatch.setattr(registry.ModelSpec, "resolve", resolve)
    assert "svm" in registry.default_names("classification")[1]  # pending, not substituted
    assert (
        main(
            [
                "fit",
                str(penguins_csv),
                "--target",
                "species",
                "--models",
                "svm",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 1
    )
    assert "not yet available in this m4ml: svm (m4ml.models.SVC)" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
