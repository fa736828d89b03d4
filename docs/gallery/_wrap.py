"""Shared by the gallery scripts that reuse a figure script of docs/examples (not an example)."""

import importlib.util
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name):
    """Run ``docs/examples/<name>.py``'s ``main`` and show the figure it saves."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"{name}.png"
        result = module.main(str(out))
        image = plt.imread(out)
    fig, ax = plt.subplots(figsize=(image.shape[1] / 110, image.shape[0] / 110))
    ax.imshow(image)
    ax.axis("off")
    fig.tight_layout(pad=0)
    return result
