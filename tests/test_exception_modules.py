"""Every exported exception and warning class names its public home in ``__module__``.

A class defined in a private module (``m4ml._core.errors.LinAlgError``) and re-exported by a
package must say ``m4ml.linalg.LinAlgError`` in tracebacks, reprs and the API pages, and pickle
must find it there (pickle looks a class up by ``__module__`` + ``__qualname__``).
"""

import importlib
import inspect
import pickle
import pkgutil
import traceback

import pytest

import m4ml

# A floor for the discovery below: if these stop being found, the walk is broken, not the homes.
KNOWN_HOMES = {
    "LinAlgError": "m4ml.linalg",
    "LinAlgWarning": "m4ml.linalg",
    "ConvergenceWarning": "m4ml.optim",
    "DegenerateDataWarning": "m4ml.stats",
    "IntegrationWarning": "m4ml.calculus",
    "TracerError": "m4ml.autodiff",
    "FiniteDifferenceWarning": "m4ml.optim",
    "OptimizeWarning": "m4ml.optim",
    "UndefinedMetricWarning": "m4ml.pipeline.metrics",
    "DataConversionWarning": "m4ml.models",
}


def _public_modules():
    yield m4ml
    for info in pkgutil.walk_packages(m4ml.__path__, "m4ml."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        try:
            yield importlib.import_module(info.name)
        except ImportError:  # an optional dependency is missing: its names are not exported
            continue


def _exported_exceptions():
    """{class: [public modules whose __all__ exports it]} for m4ml's own exception classes."""
    found = {}
    for module in _public_modules():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isclass(obj) and issubclass(obj, BaseException)):
                continue
            if not obj.__module__.startswith("m4ml."):
                continue  # a class another library defines (re-exported unchanged)
            found.setdefault(obj, []).append(module.__name__)
    return found


EXPORTED = _exported_exceptions()
IDS = [f"{cls.__qualname__}" for cls in EXPORTED]


def test_discovery_finds_the_known_classes():
    homes = {cls.__qualname__: cls.__module__ for cls in EXPORTED}
    assert {name: homes.get(name) for name in KNOWN_HOMES} == KNOWN_HOMES


@pytest.mark.parametrize("cls", list(EXPORTED), ids=IDS)
def test_module_is_a_public_package_that_exports_it(cls):
    home = cls.__module__
    assert not any(part.startswith("_") for part in home.split(".")), home
    assert home in EXPORTED[cls], (home, EXPORTED[cls])
    module = importlib.import_module(home)
    assert cls.__qualname__ in module.__all__
    assert getattr(module, cls.__qualname__) is cls


@pytest.mark.parametrize("cls", list(EXPORTED), ids=IDS)
def test_pickle_round_trips_and_traceback_names_the_home(cls):
    assert pickle.loads(pickle.dumps(cls)) is cls
    error = cls("something went wrong")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls and back.args == ("something went wrong",)
    line = traceback.format_exception_only(cls, error)[-1]
    assert line == f"{cls.__module__}.{cls.__qualname__}: something went wrong\n"
    assert repr(cls) == f"<class '{cls.__module__}.{cls.__qualname__}'>"


@pytest.mark.parametrize("cls", list(EXPORTED), ids=IDS)
def test_except_clauses_keep_working(cls):
    for modname in EXPORTED[cls]:
        public = getattr(importlib.import_module(modname), cls.__qualname__)
        with pytest.raises(public):
            raise cls("raised by the defining module")
    for base in cls.__mro__[1:]:
        if base is object:
            break
        try:
            raise cls("caught by a base class")
        except base as caught:
            assert type(caught) is cls


def test_raised_linalg_error_shows_the_public_path():
    import numpy as np

    from m4ml import linalg

    with pytest.raises(linalg.LinAlgError) as info:
        linalg.solve(np.zeros((2, 2)), np.ones(2))
    assert info.exconly().startswith("m4ml.linalg.LinAlgError: singular matrix")
