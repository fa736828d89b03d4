"""m4ml.distributed reaches lower layers only through their public names.

A lower package's underscore modules and names are its own business; what m4ml.distributed
needs from them is a documented helper in that package's ``building_blocks`` module
(m4ml.stats.building_blocks, m4ml.models.building_blocks, m4ml.pipeline.building_blocks).
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "m4ml" / "distributed"

# the modules cleaned so far; the model files landed alongside them (k-means, mixtures, SGD,
# the fit-input helpers) still reach into m4ml.models' private modules and are to follow
CLEAN = (
    "__init__.py",
    "_blocks.py",
    "hypothesis_tests.py",
    "linear.py",
    "moments.py",
    "naive_bayes.py",
    "quantile.py",
    "randomized.py",
    "scalers.py",
    "tsqr.py",
)


def _private_imports(path):
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != "m4ml" or len(parts) < 2 or parts[1] in ("distributed", "_core"):
                continue
            if any(part.startswith("_") for part in parts[1:]):
                found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_private_names_from_lower_layers():
    bad = [f"{name}: {mod}" for name in CLEAN for mod in _private_imports(SRC / name)]
    assert bad == []


def test_the_checker_sees_a_private_import(tmp_path):
    f = tmp_path / "x.py"
    f.write_text("from m4ml.stats._null import FDist\nfrom m4ml.stats.parametric import _t\n")
    assert _private_imports(f) == ["m4ml.stats._null", "m4ml.stats.parametric._t"]
