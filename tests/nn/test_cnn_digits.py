"""The issue's CNN example: a small m4ml.nn convolutional network beats the MLP on digits."""

import importlib.util
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "cnn_vs_mlp_digits.py"


@pytest.mark.slow
def test_cnn_beats_mlp_on_digits():
    spec = importlib.util.spec_from_file_location("cnn_vs_mlp_digits", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mlp_acc, cnn_acc, _, cnn_curve = mod.run(seed=0)
    assert cnn_acc > mlp_acc, (cnn_acc, mlp_acc)
    assert cnn_acc > 0.97
    assert cnn_curve[-1] < 0.2 * cnn_curve[0]
