"""Show m4ml's type aliases by name in the API signatures.

The public signatures are annotated with the aliases of :mod:`m4ml._core.hints` (``ArrayLike``,
``FloatArray``, ``Seed``, and the protocols ``HasBounds``, ``Estimator``, ``Splitter``) and
NumPy's ``DTypeLike``. Python evaluates an annotation when the function is defined, so autodoc
sees the alias's value (for ``numpy.typing.ArrayLike`` a union of seven private NumPy
protocols), and ``autodoc_type_aliases`` cannot help: it applies only to annotations kept as
strings. This extension renders every alias's value exactly as autodoc does
(``sphinx.util.typing.stringify_annotation``) and puts the alias's name back in each signature;
``write_page`` documents the aliases, so the names in the signatures link to their definitions.
"""

import re
from pathlib import Path

from sphinx.util.typing import stringify_annotation

# alias -> what the API page says it is
ALIASES = {
    "ArrayLike": (
        "Anything :func:`numpy.asarray` accepts: a NumPy array, a scalar, a (nested) list or "
        "tuple, a pandas Series or DataFrame (``numpy.typing.ArrayLike``)."
    ),
    "FloatArray": (
        "A NumPy array of float64 (``numpy.typing.NDArray[numpy.float64]``), what m4ml returns "
        "for numeric results (float32 input stays float32 in the linear algebra functions and "
        "the pipeline's scalers and discretizer, as in NumPy and scikit-learn)."
    ),
    "DTypeLike": (
        'Anything :class:`numpy.dtype` accepts: ``numpy.float32``, ``"float64"``, a '
        "``numpy.dtype`` (``numpy.typing.DTypeLike``)."
    ),
    "NDArray": (
        "``NDArray[dtype]``: a NumPy array of that dtype (``numpy.typing.NDArray``); "
        "``NDArray[Any]`` is an array of any dtype."
    ),
    "Seed": (
        "The ``rng`` / ``random_state`` argument: ``None`` (fresh entropy), a non-negative int "
        "seed, or a :class:`numpy.random.Generator` (``int | numpy.random.Generator | None``)."
    ),
    "HasBounds": (
        "An object with ``lb`` and ``ub`` attributes, the lower and upper bounds (SciPy's "
        "``Bounds`` is one); the optimizers take it for ``bounds``."
    ),
    "Estimator": (
        "Anything with scikit-learn's ``fit`` method: an m4ml or scikit-learn estimator, or "
        "your own; what the searches, cross-validation and inspection tools take."
    ),
    "Splitter": (
        "A cross-validation splitter: ``split(X, y, groups)`` yields ``(train, test)`` index "
        "arrays and ``get_n_splits(X, y, groups)`` counts them (m4ml's ``KFold``, ..., or "
        "scikit-learn's)."
    ),
}
# private module paths that have a public name
PUBLIC_PATHS = {"numpy.random._generator.Generator": "numpy.random.Generator"}
# after the aliases: any other NDArray[...] as written, and defaults shown by their repr (which
# would leave the signature unparsable, so shown raw) by their name
PATTERNS = [
    (
        re.compile(
            r"~?numpy\.ndarray\[tuple\[~?typing\.Any, \.\.\.\], ~?numpy\.dtype\[([^\[\]]*)\]\]"
        ),
        r"NDArray[\1]",
    ),
    (re.compile(r"<function ([\w.]+)(?: at 0x[0-9a-f]+)?>"), r"\1"),
    (re.compile(r"<class '([\w.]+)'>"), r"\1"),
]


def _replacements():
    import numpy.typing

    from m4ml._core import hints

    pairs = []
    for name in ALIASES:
        if name == "NDArray":  # generic: PATTERNS handles it
            continue
        value = getattr(hints, name, None) or getattr(numpy.typing, name)
        for mode in ("smart", "fully-qualified-except-typing", "fully-qualified"):
            pairs.append((stringify_annotation(value, mode), name))
    pairs += list(PUBLIC_PATHS.items())
    # longest first, so that ArrayLike's union is replaced before a shorter one inside it
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


_PAIRS = []


def shorten(text):
    """``text`` (a signature or return annotation) with each alias's value put back as its name."""
    if not text:
        return text
    if not _PAIRS:
        _PAIRS.extend(_replacements())
    for long, short in _PAIRS:
        text = text.replace(long, short)
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _process_signature(app, what, name, obj, options, signature, return_annotation):
    return shorten(signature), shorten(return_annotation)


def write_page(path):
    """The "Type aliases" page (``api/types.rst``), defining the names the signatures use."""
    lines = [
        "Type aliases",
        "============",
        "",
        "The names the API signatures use for the types of their arguments and results.",
        "",
        ".. py:currentmodule:: None",
        "",
    ]
    for name, text in ALIASES.items():
        lines += [f".. py:type:: {name}", "", f"   {text}", ""]
    text = "\n".join(lines)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path


def setup(app):
    app.connect("autodoc-process-signature", _process_signature)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
