"""Shared helpers for the command-line tests: run ``python -m m4ml`` in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def m4ml_run(*args, cwd=None, timeout=600):
    """``python -m m4ml args`` with this checkout's sources: (exit code, stdout, stderr)."""
    env = {**os.environ, "COLUMNS": "120", "PYTHONPATH": str(SRC)}
    r = subprocess.run(
        [sys.executable, "-m", "m4ml", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env,
    )
    return r.returncode, r.stdout, r.stderr


@pytest.fixture(scope="session")
def penguins_csv(tmp_path_factory):
    """The bundled penguins table as a CSV file."""
    from m4ml.datasets import load_penguins

    path = tmp_path_factory.mktemp("data") / "penguins.csv"
    load_penguins().to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def fitted_dir(penguins_csv, tmp_path_factory):
    """A fit folder for species (in-process, cheap models, 3 folds)."""
    from m4ml.cli import main

    out = tmp_path_factory.mktemp("fit") / "species"
    models = "dummy,naive_bayes"
    assert (
        main(
            [
                "fit",
                str(penguins_csv),
                "--target",
                "species",
                "--models",
                models,
                "--cv",
                "3",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out
