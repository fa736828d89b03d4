"""``m4ml predict``: round trip with ``m4ml fit``, ID columns, probabilities, safe cells."""

import numpy as np
import pytest

from m4ml.cli import main
from m4ml.cli.modelfile import load_model
from tests.cli.conftest import m4ml_run

pd = pytest.importorskip("pandas")


@pytest.mark.slow
def test_predict_round_trip_in_a_subprocess(fitted_dir, penguins_csv, tmp_path):
    out = tmp_path / "pred.csv"
    rc, stdout, err = m4ml_run("predict", fitted_dir, penguins_csv, "--out", out, "--proba")
    assert rc == 0, err
    assert "wrote 344 predictions" in stdout
    pred = pd.read_csv(out)
    model, meta = load_model(fitted_dir)
    X = pd.read_csv(penguins_csv)[[f["name"] for f in meta["features"]]]
    np.testing.assert_array_equal(pred["prediction"].to_numpy(), model.predict(X))
    assert list(pred.columns) == ["prediction", "proba_Adelie", "proba_Chinstrap", "proba_Gentoo"]
    np.testing.assert_allclose(pred.iloc[:, 1:].to_numpy(), model.predict_proba(X), atol=1e-12)
    assert "ignoring column(s) not used by the model: year" not in err  # year is a feature


def test_id_columns_lead_and_cells_are_neutralised(tmp_path, capsys):
    rng = np.random.default_rng(1)
    n = 60
    x = rng.standard_normal(n)
    frame = pd.DataFrame(
        {
            "order_id": [f"=ID{i}" for i in range(n)],
            "x": x,
            "y": np.where(x + 0.3 * rng.standard_normal(n) > 0, "-up", "@down"),
        }
    )
    csv = tmp_path / "ids.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "fit"
    assert (
        main(
            [
                "fit",
                str(csv),
                "--target",
                "y",
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
    assert "order_id" in capsys.readouterr().out
    pred_path = tmp_path / "p.csv"
    frame["extra"] = 1
    frame.to_csv(csv, index=False)
    assert (
        main(["predict", str(out / "model.skops"), str(csv), "--out", str(pred_path), "--proba"])
        == 0
    )
    assert "ignoring column(s) not used by the model: extra" in capsys.readouterr().err
    pred = pd.read_csv(pred_path, dtype=str)
    assert list(pred.columns) == ["order_id", "prediction", "proba_-up", "proba_@down"]
    assert pred["order_id"].iloc[0] == "'=ID0"
    assert set(pred["prediction"]) <= {"'-up", "'@down"}


def test_proba_needs_a_classifier(tmp_path, penguins_csv, capsys):
    out = tmp_path / "reg"
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
            ]
        )
        == 0
    )
    assert (
        main(["predict", str(out), str(penguins_csv), "--out", str(tmp_path / "p.csv"), "--proba"])
        == 1
    )
    assert "--proba needs a classifier" in capsys.readouterr().err
