"""The bad-input catalogue: drive every public callable through bad and extreme inputs.

Used by tests/test_bad_input.py (one test per callable) and runnable as a script,
``python -m tests._catalogue``, which prints the counts per kind of outcome.

For a function, a *baseline* call is found first: the first tuple of well-behaved arguments in
``CANDIDATES`` that it accepts (no exception, no RuntimeWarning, a finite result). Each array
argument of the baseline is then replaced, one at a time, by each bad variant below. An
outcome is acceptable when the call

* raises a ``TypeError`` or ``ValueError`` (``LinAlgError`` and ``AxisError`` included) from
  m4ml's own code or from scikit-learn's input validation, or
* returns a result whose every number is finite, where the variant allows a result at all
  (NaN, infinity, strings, None, complex and object input must be refused),

and it never leaks a ``RuntimeWarning``, never raises from inside NumPy/SciPy/Python (a raw
``IndexError``, ``ZeroDivisionError``, a broadcasting error, ...), and returns within the time
limit. Distributions are driven through bad parameters and bad points, estimators through bad
``X``/``y`` at ``fit`` and a wrong feature count at ``predict``.
"""

import contextlib
import importlib
import inspect

import numpy as np

from tests._catalogue_inputs import (
    _BAD_PARAMS,
    _PARAM_CANDIDATES,
    CANDIDATES,
    LAB,
    LAB2,
    MUST_REFUSE,
    PROB,
    PROB2,
    SCORES,
    SPD,
    VEC,
    VEC2,
    VEC4,
    XBIG,
    YBIG,
    YREG,
    X,
    variants,
)
from tests._catalogue_run import TIME_LIMIT, run

# the catalogue's helpers, importable from here as before the inputs and the runner moved out
__all__ = [
    "CANDIDATES",
    "LAB",
    "LAB2",
    "MUST_REFUSE",
    "PACKAGES",
    "PROB",
    "PROB2",
    "SCORES",
    "SPD",
    "TIME_LIMIT",
    "VEC",
    "VEC2",
    "VEC4",
    "XBIG",
    "YBIG",
    "YREG",
    "X",
    "baseline",
    "custom_names",
    "drive",
    "drive_distribution",
    "drive_estimator",
    "drive_function",
    "kind_of",
    "main",
    "public_callables",
    "run",
    "variants",
]

# m4ml.numpy and m4ml.nn's activations/initializers are array functions with NumPy's own
# semantics on traced values (NaN in, NaN out, as numpy and jax.nn): validating their inputs
# would break differentiation, so they are not driven here; the estimators built on them
# (MLPClassifier, MLPRegressor) are, through m4ml.models. m4ml.autodiff's transforms take
# functions, not arrays.
PACKAGES = (
    "m4ml.linalg",
    "m4ml.calculus",
    "m4ml.optim",
    "m4ml.probability",
    "m4ml.stats",
    "m4ml.pipeline",
    "m4ml.pipeline.metrics",
    "m4ml.models",
    "m4ml.datasets",
    "m4ml.distributed",
)


def _baselines():
    from tests import _baselines

    return _baselines


def custom_names():
    """Names with a per-callable baseline in tests/_baselines.py."""
    b = _baselines()
    return {*b.functions(), *b.estimators(), *b.DISTRIBUTIONS}


def baseline(func):
    for args in CANDIDATES:
        kind, _ = run(func, args)
        if kind == "ok":
            return args
    return None


def drive_function(func, args=None):
    """``(calls, failures)`` for a function; failures are ``(variant, position, kind, detail)``.

    ``args``: the baseline call's arguments; by default the first of ``CANDIDATES`` that works.
    """
    if args is None:
        args = baseline(func)
        if args is None:
            return 0, None
    else:
        kind, detail = run(func, args)
        if kind != "ok":
            return 0, [("baseline", -1, kind, detail or "the baseline call failed")]
    calls, failures = 0, []
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        params = []
    for pos, arg in enumerate(args):
        if not isinstance(arg, np.ndarray):
            continue
        others = [a for i, a in enumerate(args) if i != pos and isinstance(a, np.ndarray)]
        none_is_default = pos < len(params) and params[pos].default is None
        labels = arg.dtype.kind in "iub"  # class labels: strings are labels too
        for name, bad in variants(arg).items():
            if (name == "mismatch" and not others) or (name == "none" and none_is_default):
                continue
            if labels and name in ("huge", "subnormal"):
                continue
            new = list(args)
            new[pos] = bad
            kind, detail = run(func, new)
            calls += 1
            if kind == "ok" and name in MUST_REFUSE and not (labels and name == "string"):
                kind, detail = "accepted", f"returned a result for {name} input"
            if kind not in ("ok", "refused"):
                failures.append((name, pos, kind, detail))
    return calls, failures


def public_callables():
    """``(qualified name, object)`` for every name in the packages' ``__all__``."""
    seen = set()
    for pkg_name in PACKAGES:
        try:
            pkg = importlib.import_module(pkg_name)
        except ModuleNotFoundError:
            continue
        for name in getattr(pkg, "__all__", []):
            obj = getattr(pkg, name)
            if id(obj) in seen or not callable(obj):
                continue
            seen.add(id(obj))
            yield f"{pkg_name}.{name}", obj


def kind_of(obj):
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return None
        try:
            from m4ml.probability.base import Distribution
        except ModuleNotFoundError:  # the catalogue run on an older checkout
            from m4ml.probability._dist_base import Distribution

        if issubclass(obj, Distribution):
            return "distribution"
        if hasattr(obj, "fit") and hasattr(obj, "get_params"):
            return "estimator"
        return None
    if inspect.isfunction(obj) or inspect.isbuiltin(obj) or callable(obj):
        return "function"
    return None


def drive_distribution(cls, params=None):
    for cand in _PARAM_CANDIDATES if params is None else (params,):
        kind, _ = run(cls, cand)
        if kind == "ok":
            params = cand
            break
    else:
        return 0, None
    calls, failures = 0, []
    for pos in range(len(params)):
        for name, bad in _BAD_PARAMS.items():
            new = list(params)
            new[pos] = bad
            kind, detail = run(cls, new)
            calls += 1
            if kind == "ok" and name in (*MUST_REFUSE, "empty"):
                kind, detail = "accepted", f"constructed with a {name} parameter"
            if kind not in ("ok", "refused"):
                failures.append((name, pos, kind, detail))
    dist = cls(*params)
    for method in ("pdf", "logpdf", "pmf", "logpmf", "cdf", "sf", "ppf", "isf"):
        fn = getattr(dist, method, None)
        if fn is None:
            continue
        point = (
            0.5
            if method in ("ppf", "isf")
            else (
                VEC4[:2]
                if dist.batch_shape == ()
                and method.endswith("pdf")
                and "Multivariate" in cls.__name__
                else 1.0
            )
        )
        if run(fn, (point,))[0] != "ok":
            continue
        for name, bad in {"nan": np.nan, "string": "a", "none": None, "complex": 1j}.items():
            if method in ("ppf", "isf"):
                bad = 1.5 if name == "complex" else bad
            kind, detail = run(fn, (bad,))
            calls += 1
            if kind == "ok":
                kind, detail = "accepted", f"{method} returned a result for {name} input"
            if kind not in ("ok", "refused"):
                failures.append((f"{method}:{name}", 0, kind, detail))
    return calls, failures


def _learned(est):
    """The fitted estimator's public learned state (nested estimators' too), without its
    hyper-parameters (``missing_values=np.nan`` is a setting, not a result) and private
    sentinels (``_max_value=inf``, an unbounded clip)."""
    params = est.get_params(deep=False)
    return {
        k: _learned(v) if hasattr(v, "get_params") and not isinstance(v, type) else v
        for k, v in vars(est).items()
        if k not in params and not k.startswith("_")
    }


def drive_estimator(cls, make=None, args=None):
    from sklearn.base import is_classifier, is_regressor

    if make is None:
        make = cls
        try:
            est = cls()
        except TypeError:
            return 0, None  # wrappers that need an estimator argument
        y = YBIG if is_classifier(est) else YREG if is_regressor(est) else None
        args = (XBIG,) if y is None else (XBIG, y)
        if run(lambda *a: _learned(make().fit(*a)), args)[0] != "ok":
            return 0, None
    else:
        est = make()
        kind, detail = run(lambda *a: _learned(make().fit(*a)), args)
        if kind != "ok":
            return 0, [("baseline", -1, kind, detail or "the baseline fit failed")]
    X_base = args[0]
    calls, failures = 0, []
    allow_nan = False
    with contextlib.suppress(Exception):
        allow_nan = est.__sklearn_tags__().input_tags.allow_nan
    for pos, arg in enumerate(args):
        for name, bad in variants(arg).items():
            if name in ("huge", "subnormal", "singular", "ndim-") and pos == 1:
                continue
            new = list(args)
            new[pos] = bad
            kind, detail = run(lambda *a: _learned(make().fit(*a)), new)
            calls += 1
            if kind == "ok" and name in MUST_REFUSE and not (allow_nan and name == "nan"):
                kind, detail = "accepted", f"fitted on {name} input"
            if kind == "nonfinite" and name in ("huge", "subnormal"):
                kind = "ok"  # fitted attributes may legitimately hold inf-scale numbers here
            if kind not in ("ok", "refused"):
                failures.append((name, pos, kind, detail))
    fitted = make().fit(*args)
    for method in ("predict", "transform", "predict_proba", "decision_function"):
        fn = getattr(fitted, method, None)
        if fn is None or X_base.ndim != 2 or run(fn, (X_base,))[0] != "ok":
            continue
        kind, detail = run(fn, (X_base[:, :2],))
        calls += 1
        if kind != "refused":
            failures.append(
                (
                    f"{method}:n_features",
                    0,
                    kind if kind != "ok" else "accepted",
                    detail or "accepted the wrong number of features",
                )
            )
    return calls, failures


def drive(obj, name=None):
    """Drive ``obj`` (its per-callable baseline from tests/_baselines.py when ``name`` has one)."""
    if name is not None:
        b = _baselines()
        if name in b.DISTRIBUTIONS:
            return drive_distribution(obj, b.DISTRIBUTIONS[name])
        if name in b.estimators():
            return drive_estimator(obj, *b.estimators()[name](obj))
        if name in b.functions():
            return drive_function(*b.functions()[name](obj))
    kind = kind_of(obj)
    if kind == "function":
        return drive_function(obj)
    if kind == "distribution":
        return drive_distribution(obj)
    if kind == "estimator":
        return drive_estimator(obj)
    return 0, None


def main(prefix=""):  # pragma: no cover - a report for people, not a test
    totals, driven, undriven = {}, 0, []
    calls_total = 0
    for name, obj in public_callables():
        if not name.startswith(prefix):
            continue
        calls, failures = drive(obj, name)
        if failures is None:
            undriven.append(name)
            continue
        driven += 1
        calls_total += calls
        for variant, pos, kind, detail in failures:
            totals[kind] = totals.get(kind, 0) + 1
            print(f"{name}  arg{pos}={variant}  {kind}: {detail}")
    print("\nnot driven:", " ".join(undriven))
    print(f"\n{driven} callables driven with {calls_total} bad inputs; not driven: {len(undriven)}")
    for kind, count in sorted(totals.items()):
        print(f"  {kind}: {count}")


if __name__ == "__main__":  # pragma: no cover
    import sys

    main(sys.argv[1] if len(sys.argv) > 1 else "")
