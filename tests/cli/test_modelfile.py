"""Model files: round trip, metadata checks, and refusal of foreign types before anything runs."""

import warnings

import numpy as np
import pytest

from m4ml.cli.errors import DataError
from m4ml.cli.modelfile import dump_model, load_model, trusted_types

sio = pytest.importorskip("skops.io")


def test_round_trip_predicts_identically(fitted_dir, penguins_csv):
    import pandas as pd

    model, meta = load_model(fitted_dir)
    assert meta["target"] == "species" and meta["classes"] == ["Adelie", "Chinstrap", "Gentoo"]
    assert [f["name"] for f in meta["features"]][:2] == ["bill_length_mm", "bill_depth_mm"]
    island = next(f for f in meta["features"] if f["name"] == "island")
    assert island["kind"] == "categorical" and island["categories"] == [
        "Biscoe",
        "Dream",
        "Torgersen",
    ]
    X = pd.read_csv(penguins_csv)[[f["name"] for f in meta["features"]]]
    again, _ = load_model(fitted_dir / "model.skops")
    np.testing.assert_array_equal(model.predict(X), again.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), again.predict_proba(X), rtol=0, atol=0)
    # written and re-read in memory: identical predictions
    blob = dump_model(model, meta)
    path = fitted_dir.parent / "copy.skops"
    path.write_bytes(blob)
    copy, _ = load_model(path)
    np.testing.assert_array_equal(copy.predict_proba(X), model.predict_proba(X))


class Exploding:
    """A foreign type whose construction would leave a trace on disk."""

    marker = None

    def __init__(self, path=None):
        self.path = path

    def __setstate__(self, state):  # what unpickling-style loaders call
        open(state["path"], "w").close()
        self.__dict__.update(state)


def test_a_foreign_type_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "executed"
    blob = sio.dumps({"format": "m4ml-model", "metadata": {}, "model": Exploding(str(marker))})
    path = tmp_path / "evil.skops"
    path.write_bytes(blob)
    with pytest.raises(DataError, match=r"contains types m4ml does not trust.*Exploding"):
        load_model(path)
    assert not marker.exists()
    assert "tests.cli.test_modelfile.Exploding" not in trusted_types()


def test_a_skops_file_from_elsewhere_is_refused(tmp_path):
    path = tmp_path / "plain.skops"
    path.write_bytes(sio.dumps({"a": np.arange(3)}))
    with pytest.raises(DataError, match="not one written by 'm4ml fit'"):
        load_model(path)


def test_other_version_warns(fitted_dir, tmp_path):
    model, meta = load_model(fitted_dir)
    path = tmp_path / "old.skops"
    path.write_bytes(dump_model(model, {**meta, "m4ml_version": "0.0.1"}))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_model(path)
    assert any("written by m4ml 0.0.1" in str(w.message) for w in caught)


def test_trusted_types_are_m4ml_classes_only():
    names = trusted_types()
    assert all(n.startswith("m4ml.") or n == "numpy.dtype" for n in names)
    assert "m4ml.report.tabular.TabularClassifier" in names


@pytest.mark.slow
def test_every_available_model_round_trips(penguins_csv, tmp_path):
    """Each registry entry that has landed fits, saves and reloads with the trusted list."""
    import pandas as pd

    from m4ml.cli import main
    from m4ml.cli.registry import MODELS, available

    X = pd.read_csv(penguins_csv)
    for task, target in (("classification", "species"), ("regression", "body_mass_g")):
        for name in [n for n in MODELS if n != "dummy" and available(n, task)]:
            out = tmp_path / f"{name}-{task}"
            assert (
                main(
                    [
                        "fit",
                        str(penguins_csv),
                        "--target",
                        target,
                        "--task",
                        task,
                        "--models",
                        name,
                        "--cv",
                        "2",
                        "--out",
                        str(out),
                    ]
                )
                == 0
            ), name
            model, meta = load_model(out)
            cols = [f["name"] for f in meta["features"]]
            assert len(model.predict(X.dropna(subset=[target])[cols])) > 0
