"""Write the API reference sources (docs/api/) from the packages' ``__all__`` at build time.

One page per public name, grouped by curriculum module: ``docs/api/<module>/<name>.rst`` holds
the autodoc directive (rendered by numpydoc), and ``docs/api/<module>.rst`` an autosummary table
of the module's names with a hidden toctree to their pages. Re-exported NumPy constants and
dtypes in ``m4ml.numpy`` get a short description instead of NumPy's own docstring.
"""

import importlib
import inspect
from pathlib import Path

# (module, title) in curriculum order; a module that does not exist yet is skipped.
MODULES = [
    ("m4ml.linalg", "Linear algebra"),
    ("m4ml.autodiff", "Automatic differentiation"),
    ("m4ml.numpy", "The differentiable NumPy namespace"),
    ("m4ml.numpy.linalg", "Differentiable linear algebra"),
    ("m4ml.calculus", "Calculus"),
    ("m4ml.optim", "Optimization"),
    ("m4ml.probability", "Probability"),
    ("m4ml.stats", "Statistics"),
    ("m4ml.pipeline", "The pipeline"),
    ("m4ml.pipeline.metrics", "Metrics"),
    ("m4ml.nn", "Neural networks"),
    ("m4ml.models", "Models"),
    ("m4ml.datasets", "Datasets"),
    ("m4ml.distributed", "Beyond one machine (Dask)"),
]


def public_modules():
    """The (module name, title, module) triples that import, in curriculum order."""
    found = []
    for name, title in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "__all__"):
            found.append((name, title, module))
    return found


def _is_foreign(obj):
    """True for objects whose docstring is not m4ml's (NumPy types, constants, modules)."""
    if inspect.ismodule(obj):
        return True
    if not (inspect.isclass(obj) or callable(obj)):
        return True  # a constant: a float, None
    home = getattr(obj, "__module__", None) or type(obj).__module__ or ""
    return not home.startswith("m4ml")


def _directive(modname, name, obj, first=True):
    full = f"{modname}.{name}"
    if not first and not _is_foreign(obj):
        # the same object exported by an earlier module: document it again, index it once
        kind = "autoclass" if inspect.isclass(obj) else "autofunction"
        return f".. {kind}:: {full}\n   :no-index:\n"
    if inspect.ismodule(obj):
        return f".. py:module:: {full}\n   :no-index:\n\nThe namespace :doc:`../{obj.__name__}`.\n"
    if _is_foreign(obj):
        what = type(obj).__name__ if not inspect.isclass(obj) else "type"
        src = getattr(obj, "__module__", "numpy") if inspect.isclass(obj) else "numpy"
        origin = f"{src}.{getattr(obj, '__name__', name)}" if inspect.isclass(obj) else name
        kind = "class" if inspect.isclass(obj) else ("function" if callable(obj) else "data")
        return (
            f".. py:{kind}:: {full}\n\n"
            f"   NumPy's ``{origin}`` ({what}), re-exported unchanged so that code written "
            f"against ``m4ml.numpy`` finds it; it carries no derivative rule of its own.\n"
        )
    if inspect.isclass(obj):
        extra = "   :show-inheritance:\n" if issubclass(obj, BaseException) else ""
        return f".. autoclass:: {full}\n{extra}"
    return f".. autofunction:: {full}\n"


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def generate(outdir):
    """Write the API sources under ``outdir``; return {module: [names]} as documented."""
    outdir = Path(outdir)
    documented = {}
    seen = set()
    index = ["API reference", "=============", "", ".. toctree::", "   :maxdepth: 1", ""]
    for modname, title, module in public_modules():
        names = sorted(dict.fromkeys(module.__all__), key=str.lower)
        documented[modname] = names
        index.append(f"   {modname}")
        head = f"``{modname}`` — {title}"
        lines = [head, "=" * len(head), "", f".. automodule:: {modname}", "   :no-members:", ""]
        own = [n for n in names if not _is_foreign(getattr(module, n))]
        foreign = [n for n in names if n not in own]
        lines += [".. currentmodule:: " + modname, "", ".. autosummary::", "   :nosignatures:", ""]
        lines += [f"   {n}" for n in own]
        if foreign:
            lines += ["", "Re-exported from NumPy unchanged (no derivative rule of their own):", ""]
            lines += [", ".join(f":py:obj:`{n}`" for n in foreign), ""]
        lines += ["", ".. toctree::", "   :hidden:", ""]
        lines += [f"   {modname}/{n}" for n in names]
        _write(outdir / f"{modname}.rst", "\n".join(lines) + "\n")
        for n in names:
            obj = getattr(module, n)
            page = f"{modname}.{n}\n{'=' * (len(modname) + len(n) + 1)}\n\n"
            first = id(obj) not in seen
            seen.add(id(obj))
            page += f".. currentmodule:: {modname}\n\n" + _directive(modname, n, obj, first)
            _write(outdir / modname / f"{n}.rst", page)
    index.append("   types")  # the type aliases of the signatures (written by m4ml_typehints)
    _write(outdir / "index.rst", "\n".join(index) + "\n")
    return documented
