"""The issue's quality bars on the penguins, and what an interrupted run leaves behind."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from m4ml.cli.registry import available
from tests.cli.conftest import SRC, m4ml_run


@pytest.mark.slow
def test_species_accuracy(penguins_csv, tmp_path):
    if not (available("logistic", "classification") or available("svm", "classification")):
        pytest.skip(
            "neither m4ml.models.LogisticRegression nor SVC has landed: the 0.97 bar "
            "needs one of them (naive Bayes on one-hot islands reaches ~0.7)"
        )
    out = tmp_path / "species"
    rc, stdout, err = m4ml_run("fit", penguins_csv, "--target", "species", "--out", out)
    assert rc == 0, err
    assert "classification (the target is not numeric)" in stdout
    m = json.loads((out / "metrics.json").read_text())
    assert m["test"]["accuracy"] >= 0.97, m["test"]
    assert "dummy" in m["cv"]


@pytest.mark.slow
def test_body_mass_r2(penguins_csv, tmp_path):
    out = tmp_path / "mass"
    rc, stdout, err = m4ml_run("fit", penguins_csv, "--target", "body_mass_g", "--out", out)
    assert rc == 0, err
    assert "regression (numeric target" in stdout and "Leaderboard" in stdout
    m = json.loads((out / "metrics.json").read_text())
    assert m["task"] == "regression" and m["best_model"] != "dummy"
    assert m["test"]["r2"] >= 0.8, m["test"]
    assert set(m["test"]) == {"r2", "rmse", "mae"}
    assert m["cv"]["dummy"]["mean"] < 0.05  # a constant predicts nothing
    assert m["comparison"]["p_value"] is not None


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_fit_leaves_no_outputs(penguins_csv, tmp_path, sig):
    out = tmp_path / "interrupted"
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "m4ml",
            "fit",
            str(penguins_csv),
            "--target",
            "species",
            "--cv",
            "10",
            "--search",
            "--out",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    for line in proc.stdout:  # wait until the run is under way, then interrupt it
        if "Columns inferred" in line:
            break
    time.sleep(0.5)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    if proc.returncode == 0:
        pytest.skip("the fit finished before the signal arrived")
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    leftovers = list(out.iterdir()) if out.exists() else []
    assert leftovers == []
