"""Every public signature carries type hints, and the hints resolve.

The API pages show the hints, so this checks what a reader sees: each callable named in a
package's ``__all__`` (and each public method and property of an exported class, plus
``__init__``) annotates every parameter and its return value (``__init__`` excepted), and
``typing.get_type_hints`` evaluates them (a misspelt or unimported name in an annotation fails
here, not in the docs).
NumPy's own objects that a package re-exports as they are (``m4ml.numpy.zeros`` is
``numpy.zeros``) are NumPy's to type and are skipped.
"""

import importlib
import inspect
import typing

import pytest

PACKAGES = [
    "autodiff",
    "calculus",
    "cli",
    "datasets",
    "distributed",
    "linalg",
    "models",
    "nn",
    "numpy",
    "optim",
    "pipeline",
    "probability",
    "report",
    "stats",
]

# public subpackages (modules named in a package's __all__), checked the same way
SUBPACKAGES = ["numpy.linalg", "pipeline.metrics"]

# packages whose annotation pass has not landed yet; strict, so the marker must go when it lands
NOT_YET = set(PACKAGES) - {
    "autodiff",
    "calculus",
    "cli",
    "datasets",
    "linalg",
    "models",
    "nn",
    "numpy",
    "optim",
    "pipeline",
    "probability",
    "report",
    "stats",
}


def _public_callables(package):
    module = importlib.import_module(f"m4ml.{package}")
    for name in module.__all__:
        obj = getattr(module, name)
        if getattr(obj, "__module__", "").split(".")[0] == "numpy":
            continue  # NumPy's own object re-exported as it is (mnp.zeros is numpy.zeros)
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if attr == "__init__" or (not attr.startswith("_") and callable(value)):
                    yield f"{name}.{attr}", value
                elif isinstance(value, (classmethod, staticmethod)) and not attr.startswith("_"):
                    yield f"{name}.{attr}", value.__func__
                elif isinstance(value, property) and not attr.startswith("_"):
                    yield f"{name}.{attr}", value.fget  # the API pages show its return type
        elif callable(obj):
            yield name, obj


def _missing(qualname, fn):
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature
        return []
    missing = [
        f"{qualname}({p.name})"
        for p in signature.parameters.values()
        if p.name not in ("self", "cls") and p.annotation is inspect.Parameter.empty
    ]
    is_init = qualname.endswith("__init__")
    if not is_init and signature.return_annotation is inspect.Signature.empty:
        missing.append(f"{qualname} -> ?")
    if not missing:
        try:
            typing.get_type_hints(fn)
        except Exception as exc:  # the message names the unresolvable hint
            missing.append(f"{qualname}: hints do not resolve ({exc})")
    return missing


@pytest.mark.parametrize(
    "package",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="annotation pass pending"))
        if p in NOT_YET
        else p
        for p in PACKAGES + SUBPACKAGES
    ],
)
def test_public_signatures_are_annotated(package):
    missing = [m for qualname, fn in _public_callables(package) for m in _missing(qualname, fn)]
    assert not missing, f"{len(missing)} unannotated in m4ml.{package}: " + ", ".join(missing[:40])


def test_every_public_package_is_checked():
    import pkgutil

    import m4ml

    packages = {
        info.name
        for info in pkgutil.iter_modules(m4ml.__path__)
        if info.ispkg
        and not info.name.startswith("_")
        and hasattr(importlib.import_module(f"m4ml.{info.name}"), "__all__")
    }
    assert packages == set(PACKAGES)


def test_every_public_subpackage_is_checked():
    found = set()
    for package in set(PACKAGES) - NOT_YET:
        module = importlib.import_module(f"m4ml.{package}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) and obj.__name__.startswith("m4ml."):
                found.add(obj.__name__.removeprefix("m4ml."))
    assert found == set(SUBPACKAGES)
