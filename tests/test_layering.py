"""DESIGN.md's layering and no-delegation rules, enforced by reading every module's imports.

The checker parses each file under src/m4ml with :mod:`ast` (nothing is imported), resolves
relative imports, and reports

* delegation: importing or touching ``numpy.linalg``, ``scipy.linalg``/``stats``/``optimize``/
  ``integrate`` (any scipy module but ``scipy.special``), scikit-learn outside its estimator
  protocol modules, torch, jax, autograd or statsmodels, and scipy.special's
  distribution-named shortcuts (stdtr, chdtr, fdtr, bdtr, pdtr, nbdtr, gdtr, btdtr families);
* layering: a package importing an m4ml package that sits below it in DESIGN.md's list.
"""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "m4ml"

# DESIGN.md's order: a package may import only packages with a smaller rank (and itself).
LAYERS = [
    ("_core", "datasets"),
    ("linalg",),
    ("autodiff",),
    ("numpy",),
    ("calculus",),
    ("optim",),
    ("probability",),
    ("stats",),
    ("pipeline",),
    ("models", "nn"),
    ("distributed",),
    ("cli", "report", "tour", "__main__", "__init__"),
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}

BANNED_MODULES = (
    "numpy.linalg",
    "torch",
    "jax",
    "jaxlib",
    "autograd",
    "statsmodels",
    "tensorflow",
)
SKLEARN_ALLOWED = (
    "sklearn.base",
    "sklearn.exceptions",
    "sklearn.utils.validation",
    "sklearn.utils._tags",
    "sklearn.utils._param_validation",
)
# the estimator-tag names scikit-learn exports from sklearn.utils itself
SKLEARN_UTILS_NAMES = {
    "Tags",
    "InputTags",
    "TargetTags",
    "TransformerTags",
    "ClassifierTags",
    "RegressorTags",
    "get_tags",
}
# scikit-learn's bundled data (iris, wine, ...) is data, not math: m4ml.datasets alone loads it
SKLEARN_DATA_PACKAGES = ("datasets",)
SCIPY_ALLOWED = ("scipy.special",)
SHORTCUT = re.compile(r"^(stdtr|chdtr|fdtr|bdtr|pdtr|nbdtr|gdtr|btdtr|nrdtr|ncfdtr|nctdtr)")


def _is_banned(module, names=(), package=None):
    """Why importing ``module`` (or ``names`` from it) is delegation, or None if allowed."""
    if module == "sklearn.datasets" and package in SKLEARN_DATA_PACKAGES:
        return None
    if module == "sklearn.utils" and names and set(names) <= SKLEARN_UTILS_NAMES:
        return None
    if any(module == b or module.startswith(b + ".") for b in BANNED_MODULES):
        return f"imports {module}"
    in_scipy = module == "scipy" or module.startswith("scipy.")
    if in_scipy and not any(module == a or module.startswith(a + ".") for a in SCIPY_ALLOWED):
        return f"imports {module} (only scipy.special is allowed)"
    in_sklearn = module == "sklearn" or module.startswith("sklearn.")
    if in_sklearn and not any(module == a or module.startswith(a + ".") for a in SKLEARN_ALLOWED):
        return f"imports {module} (only scikit-learn's estimator protocol is allowed)"
    return None


def _package_of(rel_path):
    """The layer name of a file: 'linalg' for linalg/qr.py, 'numpy' for numpy.py."""
    first = rel_path.parts[0]
    return first[:-3] if first.endswith(".py") else first


def _resolve(node, rel_path):
    """Absolute module name of an ImportFrom, resolving relative levels."""
    if node.level == 0:
        return node.module or ""
    # the package a module (or an __init__) lives in
    parts = ["m4ml", *rel_path.with_suffix("").parts][:-1]
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def violations(rel_path, source):
    """Every rule ``source`` (the file at src/m4ml/``rel_path``) breaks, as messages."""
    rel_path = Path(rel_path)
    tree = ast.parse(source)
    package = _package_of(rel_path)
    found = []
    imported = []  # (module, names)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(node, rel_path)
            names = tuple(alias.name for alias in node.names)
            imported.append((module, names))
            # "from numpy import linalg" / "from scipy import stats" name a submodule
            imported += [(f"{module}.{n}", ()) for n in names if module in ("numpy", "scipy")]
            found += [
                f"{rel_path}:{node.lineno}: uses scipy.special.{n} (write the CDF from its "
                "special function)"
                for n in names
                if SHORTCUT.match(n)
            ]
        elif isinstance(node, ast.Attribute):
            value = node.value
            if (
                node.attr == "linalg"
                and isinstance(value, ast.Name)
                and value.id in ("np", "numpy")
            ):
                found.append(f"{rel_path}:{node.lineno}: touches {node.value.id}.linalg")
            if SHORTCUT.match(node.attr):
                found.append(f"{rel_path}:{node.lineno}: uses the shortcut {node.attr}")
    for module, names in imported:
        reason = _is_banned(module, names, package)
        if reason:
            found.append(f"{rel_path}: {reason}")
        if module == "m4ml":  # from m4ml import linalg, __version__
            targets = names
        elif module.startswith("m4ml."):
            targets = (module.split(".")[1],)
        else:
            targets = ()
        for target in targets:
            if target in RANK and package in RANK and RANK[target] > RANK[package]:
                found.append(
                    f"{rel_path}: package '{package}' imports m4ml.{target}, which sits below "
                    "it in DESIGN.md's layering"
                )
    return found


def _source_files():
    return sorted(p.relative_to(SRC) for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("rel_path", _source_files(), ids=str)
def test_module_obeys_layering_and_no_delegation(rel_path):
    assert violations(rel_path, (SRC / rel_path).read_text()) == []


def test_every_package_is_known():
    packages = {_package_of(p) for p in _source_files()}
    assert packages <= set(RANK), f"add new packages to LAYERS: {packages - set(RANK)}"


@pytest.mark.parametrize(
    ("rel_path", "source", "fragment"),
    [
        ("linalg/qr.py", "import numpy.linalg\n", "imports numpy.linalg"),
        ("linalg/qr.py", "import numpy as np\nnp.linalg.qr(1)\n", "touches np.linalg"),
        ("linalg/qr.py", "from numpy import linalg\n", "imports numpy.linalg"),
        ("linalg/qr.py", "from numpy.linalg import qr\n", "imports numpy.linalg"),
        ("stats/tests.py", "from scipy import stats\n", "only scipy.special"),
        ("stats/tests.py", "import scipy.optimize\n", "only scipy.special"),
        ("stats/t.py", "from scipy.special import stdtr\n", "scipy.special.stdtr"),
        ("stats/t.py", "import scipy.special as sc\nsc.chdtrc(1, 2)\n", "shortcut chdtrc"),
        ("models/svm.py", "from sklearn.svm import SVC\n", "estimator protocol"),
        ("pipeline/m.py", "from sklearn.utils import resample\n", "estimator protocol"),
        ("pipeline/m.py", "from sklearn.utils.multiclass import unique_labels\n", "protocol"),
        ("optim/adam.py", "import torch\n", "imports torch"),
        ("linalg/qr.py", "from m4ml.optim import minimize\n", "sits below"),
        ("linalg/qr.py", "from ..models import pca\n", "sits below"),
        ("pipeline/search.py", "from m4ml.models.pca import PCA\n", "sits below"),
        ("optim/sgd.py", "from m4ml import models\n", "sits below"),
        ("models/data.py", "from sklearn.datasets import load_iris\n", "estimator protocol"),
        ("cli/data.py", "import sklearn.datasets\n", "estimator protocol"),
        ("datasets/x.py", "from sklearn.linear_model import Ridge\n", "estimator protocol"),
        ("datasets/x.py", "from m4ml.linalg import qr\n", "sits below"),
    ],
)
def test_checker_catches_violations(rel_path, source, fragment):
    found = violations(rel_path, source)
    assert any(fragment in message for message in found), found


@pytest.mark.parametrize(
    ("rel_path", "source"),
    [
        ("linalg/qr.py", "import numpy as np\nfrom m4ml._core import LinAlgError\n"),
        ("models/pca.py", "from m4ml.linalg.svd import svd\nfrom m4ml.pipeline import x\n"),
        ("stats/t.py", "from scipy.special import betainc, ndtr\n"),
        ("models/base.py", "from sklearn.base import BaseEstimator\n"),
        ("pipeline/s.py", "from sklearn.utils.validation import check_is_fitted\n"),
        ("pipeline/s.py", "from sklearn.utils import Tags, get_tags\n"),
        ("linalg/eig.py", "from .hessenberg import hessenberg\n"),
        ("models/pca.py", "from m4ml import linalg, __version__\n"),
        ("datasets/bundled.py", "import sklearn.datasets\n"),
        ("datasets/bundled.py", "from m4ml._core import check_rng\n"),
    ],
)
def test_checker_allows_the_permitted(rel_path, source):
    assert violations(rel_path, source) == []


def _module_name(path):
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph():
    """Module-level ``m4ml`` imports of every module: ``{module: {imported modules}}``.

    Imports inside functions are lazy on purpose (they break no cycle at import time and are
    the documented way to reach an optional dependency), so only statements executed at import
    count. ``from m4ml.a import b`` is an edge to the module ``m4ml.a.b`` when that is a module,
    else to ``m4ml.a``.
    """
    files = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        edges = set()
        for stmt in ast.parse(path.read_text()).body:
            nodes = ast.walk(stmt) if isinstance(stmt, ast.If | ast.Try) else [stmt]
            for node in nodes:
                if isinstance(node, ast.Import):
                    edges |= {a.name for a in node.names if a.name.startswith("m4ml")}
                elif isinstance(node, ast.ImportFrom):
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    if node.level:
                        base = base[: len(base) - (node.level - 1)]
                        module = ".".join(base + ([node.module] if node.module else []))
                    else:
                        module = node.module or ""
                    if module.startswith("m4ml"):
                        for alias in node.names:
                            sub = f"{module}.{alias.name}"
                            edges.add(sub if sub in files else module)
        graph[name] = {e for e in edges if e in files and e != name}
    return graph


def find_cycle(graph):
    """One import cycle as a list of modules, or None (depth-first search)."""
    state, path = {}, []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
