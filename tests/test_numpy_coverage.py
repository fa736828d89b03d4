"""Issue 11's done-when: every NumPy name the guides (docs/*.md) and the model code
(src/m4ml/models, src/m4ml/nn) use exists in m4ml.numpy, and the real-valued ones carry
derivative rules, checked here against finite differences in both modes to second order.

A name used in a guide or a model that is in none of the tables below fails the test: add it
to m4ml.numpy and give it an example in DIFFERENTIABLE (or justify it in NO_DERIVATIVE /
NOT_AN_ARRAY_FUNCTION)."""

import re
from pathlib import Path

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import Primitive, check_grads

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "src" / "m4ml" / "models").rglob("*.py")),
    *sorted((ROOT / "src" / "m4ml" / "nn").rglob("*.py")),
]
NAME = re.compile(r"(?<![\w.])m?np\.(linalg\.)?([A-Za-z_]\w*)")

NOT_AN_ARRAY_FUNCTION = {
    "random": "randomness comes from numpy.random generators (rng=...), not a traced function",
    "testing": "test helpers",
    "set_printoptions": "display setting",
    "fill_diagonal": "in place; on traced values use mnp.at(x)[mnp.diag_indices(n)].set(v)",
    "exceptions": "exception classes",
    "put_along_axis": "in place (m4ml.numpy.put_along_axis on plain arrays; mnp.at for traced)",
    "linalg": "the submodule itself (its functions are checked by name)",
    "object_": "a dtype named in type hints (NDArray[np.object_] feature names), not an operation",
}

# Exist in m4ml.numpy; their results are integers, booleans, constants or index arrays, so
# they have no derivative (piecewise constant), or they build constant arrays.
NO_DERIVATIVE = {
    "result_type",  # a dtype, not an array
    "argmax",
    "argmin",
    "argsort",
    "argpartition",
    "lexsort",
    "searchsorted",
    "nonzero",
    "flatnonzero",
    "unravel_index",
    "triu_indices",
    "ix_",
    "any",
    "all",
    "isclose",
    "allclose",
    "array_equal",
    "isfinite",
    "isnan",
    "sign",
    "ceil",
    "floor",
    "round",
    "shape",
    "ndim",
    "size",
    "arange",
    "zeros",
    "ones",
    "full",
    "eye",
    "empty",
    "zeros_like",
    "ones_like",
    "full_like",
    "empty_like",
    "pi",
    "inf",
    "nan",
    "e",
    "float64",
    "float32",
    "int32",
    "intp",
    "integer",
    "bool_",
    "ndarray",
    "finfo",
    "iinfo",
    "errstate",
    "bincount",
    "",
}

X = np.random.default_rng(1).standard_normal((3, 4))
POS = np.abs(X) + 0.5
SQ = X[:, :3] @ X[:, :3].T + 3 * np.eye(3)
XP = np.array([0.0, 0.4, 1.0, 1.7, 3.0])

# name -> (function of one array, the point); check_grads runs on each, to order 2.
DIFFERENTIABLE = {
    "abs": (mnp.abs, X),
    "add": (lambda a: mnp.add(a, a[0]), X),
    "append": (lambda a: mnp.append(a, a[0] ** 2), X),
    "arccos": (lambda a: mnp.arccos(0.9 * mnp.tanh(a)), X),
    "array": (lambda a: mnp.array([a[0], a[1] ** 2]), X),
    "asarray": (lambda a: mnp.asarray([a[0], a[1]]) * 2.0, X),
    "ascontiguousarray": (lambda a: mnp.ascontiguousarray(a) * a, X),
    "atleast_1d": (lambda a: mnp.atleast_1d(mnp.sum(a)), X),
    "average": (lambda a: mnp.average(a, axis=1, weights=np.arange(1.0, 5.0)), X),
    "clip": (lambda a: mnp.clip(a, -0.5, 0.5) * a, X),
    "column_stack": (lambda a: mnp.column_stack([a[0], a[1] ** 2]), X),
    "meshgrid": (lambda a: mnp.meshgrid(a[0], a[1] ** 2)[0] * mnp.meshgrid(a[0], a[1])[1], X),
    "concatenate": (lambda a: mnp.concatenate([a, a**2]), X),
    "cos": (mnp.cos, X),
    "cov": (mnp.cov, X),
    "cumsum": (lambda a: mnp.cumsum(a, axis=1) ** 2, X),
    "diag": (lambda a: mnp.diag(a[:, :3]) ** 2, X),
    "diff": (lambda a: mnp.diff(a**2, axis=0), X),
    "dot": (lambda a: mnp.dot(a, a.T), X),
    "einsum": (lambda a: mnp.einsum("ij,kj->ik", a, a), X),
    "exp": (mnp.exp, X),
    "frexp": (lambda a: mnp.frexp(a)[0], X),
    "hypot": (lambda a: mnp.hypot(a, 1.0), X),
    "interp": (lambda a: mnp.interp(a, XP, np.sin(XP)), X),
    "ldexp": (lambda a: mnp.ldexp(a, 3), X),
    "linspace": (lambda a: mnp.linspace(a[0, 0], a[1, 1], 4), X),
    "log": (mnp.log, POS),
    "log10": (mnp.log10, POS),
    "log1p": (mnp.log1p, POS),
    "logaddexp": (lambda a: mnp.logaddexp(a, a[0]), X),
    "logspace": (lambda a: mnp.logspace(a[0, 0], a[1, 1], 4), X),
    "logsumexp": (lambda a: mnp.logsumexp(a, axis=0), X),
    "max": (lambda a: mnp.max(a, axis=1), X),
    "maximum": (lambda a: mnp.maximum(a, 0.1) * a, X),
    "mean": (lambda a: mnp.mean(a**2, axis=0), X),
    "minimum": (lambda a: mnp.minimum(a, 0.1) * a, X),
    "min": (lambda a: mnp.min(a, axis=0), X),
    "outer": (lambda a: mnp.outer(a[0], a[1]), X),
    "percentile": (lambda a: mnp.percentile(a, [25, 60], axis=1), X),
    "r_": (lambda a: mnp.r_[a[0], a[1] ** 2], X),
    "repeat": (lambda a: mnp.repeat(a, 2, axis=0), X),
    "reshape": (lambda a: mnp.reshape(a**2, (2, 6)), X),
    "sin": (mnp.sin, X),
    "sort": (lambda a: mnp.sort(a, axis=1), X),
    "sqrt": (mnp.sqrt, POS),
    "stack": (lambda a: mnp.stack([a, a**2], axis=1), X),
    "sum": (lambda a: mnp.sum(a**2, axis=1), X),
    "tanh": (mnp.tanh, X),
    "trace": (lambda a: mnp.trace(a @ a.T), X),
    "unique": (lambda a: mnp.unique(mnp.round(a) + a * 0.0 + a) * 2.0, X),
    "var": (lambda a: mnp.var(a, axis=1), X),
    "partition": (lambda a: mnp.partition(a, 1, axis=1), X),
    "take_along_axis": (
        lambda a: mnp.take_along_axis(a, np.array([[0, 3], [1, 1], [2, 0]]), axis=1),
        X,
    ),
    "vstack": (lambda a: mnp.vstack([a, a[0] ** 2]), X),
    "broadcast_to": (lambda a: mnp.broadcast_to(a[0], (2, 4)) * a[1], X),
    "diagonal": (lambda a: mnp.diagonal(a @ a.T), X),
    "swapaxes": (lambda a: mnp.swapaxes(a, 0, 1) ** 2, X),
    "take": (lambda a: mnp.take(a, [0, 5, 5]) * mnp.take(a, [1, 0], axis=1).sum(), X),
    "union1d": (lambda a: mnp.union1d(a[0], a[1]) ** 2, X),
    "setdiff1d": (lambda a: mnp.setdiff1d(a[0], a[0, :2]) ** 2, X),
    "asfortranarray": (lambda a: mnp.asfortranarray(a) * a, X),
    "where": (lambda a: mnp.where(a > 0, a**2, mnp.sin(a)), X),
    "at": (lambda a: mnp.at(a)[0].set(a[1] ** 2), X),
    "linalg.det": (lambda a: mnp.linalg.det(a[:, :3]), X),
    "linalg.eigh": (lambda a: mnp.linalg.eigh(a[:, :3] @ a[:, :3].T)[0], X),
    "linalg.svd": (lambda a: mnp.linalg.svd(a, compute_uv=False), X),
    "linalg.eigvals": (lambda a: mnp.linalg.eigvals(a[:, :3] + 4.0 * np.diag([1, 2, 3])), X),
}


def _used_names():
    names = set()
    for path in SOURCES:
        for linalg, name in NAME.findall(path.read_text(encoding="utf-8")):
            names.add(("linalg." if linalg else "") + name)
    return names


USED = sorted(_used_names())


def _resolve(name):
    obj = mnp
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def test_the_scan_finds_the_guides_and_models():
    assert len(SOURCES) >= 5
    assert {"sum", "exp", "linalg.det"} <= set(USED)


def _has_rules(obj):
    """A primitive with both rule tables (its rules are tested with the primitive's family)."""
    return isinstance(obj, Primitive) and (obj.nondiff or (obj.vjps and obj.jvps))


@pytest.mark.parametrize("name", USED)
def test_used_numpy_name_is_covered(name):
    if name in NOT_AN_ARRAY_FUNCTION:
        return
    assert hasattr(mnp, name.split(".")[0]), f"m4ml.numpy lacks {name}, used in the guides/models"
    obj = _resolve(name)
    if name in NO_DERIVATIVE or isinstance(obj, type) or _has_rules(obj):
        return  # constants and dtypes, or a primitive that carries its VJP and JVP rules
    assert name in DIFFERENTIABLE, (
        f"{name} is used in the guides or models: give it a derivative example in "
        "DIFFERENTIABLE (or justify it in NO_DERIVATIVE)"
    )


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_derivative_rules(name):
    f, x = DIFFERENTIABLE[name]
    _resolve(name)
    check_grads(f, (x,), order=2, rtol=1e-4, atol=1e-6)


def test_values_equal_numpy():
    for name in ("cov", "average", "percentile", "interp", "logspace", "unique", "frexp"):
        f = getattr(mnp, name)
        g = getattr(np, name)
        args = {
            "cov": (X,),
            "average": (X,),
            "percentile": (X, [10, 50]),
            "interp": (X, XP, np.sin(XP)),
            "logspace": (0.0, 2.0, 5),
            "unique": (np.round(X),),
            "frexp": (X,),
        }[name]
        np.testing.assert_allclose(np.asarray(f(*args)), np.asarray(g(*args)), rtol=1e-14)
