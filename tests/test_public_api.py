"""Every public name each package exports resolves, and every public callable is documented."""

import importlib
import inspect

import pytest

PACKAGES = [
    "m4ml.linalg",
    "m4ml.autodiff",
    "m4ml.numpy",
    "m4ml.calculus",
    "m4ml.pipeline",
    "m4ml.pipeline.metrics",
    "m4ml.probability",
    "m4ml.stats",
    "m4ml.optim",
    "m4ml.datasets",
    "m4ml.distributed",
    "m4ml.report",
    "m4ml.cli",
]


def _exports(name):
    module = pytest.importorskip(name)
    return module, list(getattr(module, "__all__", []))


@pytest.mark.parametrize("package", PACKAGES)
def test_all_names_resolve_and_are_documented(package):
    module, names = _exports(package)
    assert names, f"{package} has no __all__"
    undocumented = []
    for name in names:
        obj = getattr(module, name)  # raises if the name does not resolve
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and not inspect.getdoc(obj):
            undocumented.append(name)
    assert undocumented == []


def test_unknown_names_raise_attribute_error():
    stats = importlib.import_module("m4ml.stats")
    with pytest.raises(AttributeError, match="no attribute 'not_a_function'"):
        stats.not_a_function
