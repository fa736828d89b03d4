r"""``nan_policy``: what a statistic does with NaN in its samples (scipy.stats' argument).

``"raise"`` (m4ml's default: NaN never passes silently) raises a ``ValueError`` naming the
sample; ``"omit"`` drops the NaN (for paired samples, the pairs with a NaN on either side) and
computes the statistic on what remains; ``"propagate"`` (scipy's default) returns NaN for every
slice that holds a NaN and the ordinary result for the others.

With ``axis`` an integer and samples of more than one dimension, ``"omit"`` leaves slices of
different lengths, so each slice is computed on its own (a Python loop over slices) and the
results are stacked: arrays of statistics, p-values and degrees of freedom, and a
``confidence_interval`` that stacks the slices' intervals. Infinite values are not NaN: they are
rejected by every policy, since no statistic here is defined at infinity.
"""

import functools
import inspect
import math
from typing import Literal

import numpy as np

from m4ml.stats._results import ConfidenceInterval, TestResult

__all__ = ["NAN_POLICIES", "nan_policy"]

NAN_POLICIES = ("raise", "omit", "propagate")


def nan_policy(*names, paired=False, varargs=None):
    """Give a statistic a keyword ``nan_policy`` for the samples ``names`` (or ``*varargs``).

    ``paired`` samples are cleaned together (a NaN on either side drops the pair).
    """

    def decorate(func):
        sig = inspect.signature(func)
        axis_default = sig.parameters["axis"].default if "axis" in sig.parameters else None

        @functools.wraps(func)
        def wrapper(*args, nan_policy="raise", **kwargs):
            if nan_policy not in NAN_POLICIES:
                raise ValueError(f"nan_policy must be one of {NAN_POLICIES}, got {nan_policy!r}")
            bound = sig.bind(*args, **kwargs)
            keys = _sample_keys(bound, names, varargs)
            arrays = [_float_or_none(_get(bound, key)) for key in keys]
            has_nan = [a is not None and bool(np.isnan(a).any()) for a in arrays]
            has_inf = any(a is not None and bool(np.isinf(a).any()) for a in arrays)
            if not any(has_nan) or has_inf:  # infinity: func's own finiteness error
                return func(*args, **kwargs)
            label = _label(keys[has_nan.index(True)])
            if nan_policy == "raise":
                raise ValueError(
                    f"{label} contains NaN; pass nan_policy='omit' to drop the missing values "
                    "or nan_policy='propagate' to get NaN back"
                )
            axis = bound.arguments.get("axis", axis_default)
            if axis is None or all(a.ndim <= 1 for a in arrays):
                flat = [a.ravel() for a in arrays]
                return _one_slice(func, bound, keys, flat, nan_policy, paired)
            return _slice_by_slice(func, bound, keys, arrays, axis, nan_policy, paired)

        wrapper.__doc__ = _document(func.__doc__, paired)
        policy = Literal["raise", "omit", "propagate"]
        wrapper.__annotations__ = {**func.__annotations__, "nan_policy": policy}
        wrapper.__signature__ = sig.replace(
            parameters=[
                *sig.parameters.values(),
                inspect.Parameter(
                    "nan_policy", inspect.Parameter.KEYWORD_ONLY, default="raise", annotation=policy
                ),
            ]
        )
        return wrapper

    return decorate


_DOC = """    nan_policy : {{"raise", "omit", "propagate"}}, default "raise"
        What NaN in the sample{s} does: raise a ``ValueError`` (the default: NaN never passes
        silently), drop the missing values{pairs} and compute on the rest (``"omit"``), or
        return NaN for each slice that holds one (``"propagate"``, scipy's default).
"""


def _document(doc, paired):
    """Add the ``nan_policy`` entry at the end of a numpydoc Parameters section."""
    if not doc or "\n    Returns\n    -------" not in doc:
        return doc
    entry = _DOC.format(
        s="s" if paired else "(s)", pairs=" (the pairs with a NaN on either side)" if paired else ""
    )
    head, tail = doc.split("\n    Returns\n    -------", 1)
    return head.rstrip("\n") + "\n" + entry + "\n    Returns\n    -------" + tail


def _sample_keys(bound, names, varargs):
    if varargs is not None:
        return [(varargs, i) for i in range(len(bound.arguments.get(varargs, ())))]
    return [name for name in names if name in bound.arguments]


def _get(bound, key):
    if isinstance(key, tuple):
        return bound.arguments[key[0]][key[1]]
    return bound.arguments[key]


def _set(arguments, key, value):
    if isinstance(key, tuple):
        seq = list(arguments[key[0]])
        seq[key[1]] = value
        arguments[key[0]] = tuple(seq)
    else:
        arguments[key] = value


def _label(key):
    return f"sample {key[1]}" if isinstance(key, tuple) else key


def _float_or_none(x):
    """The sample as a float array if it is one (pandas included), else None (left to func)."""
    try:
        a = np.asarray(x)
    except (TypeError, ValueError):
        return None
    if a.dtype.kind == "O":
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError):
            return None
    return a if a.dtype.kind == "f" else None


def _call(func, bound, keys, samples, axis=...):
    arguments = dict(bound.arguments)
    for key, sample in zip(keys, samples):
        _set(arguments, key, sample)
    if axis is not ... and "axis" in inspect.signature(func).parameters:
        arguments["axis"] = axis
    call = inspect.BoundArguments(bound.signature, arguments)
    return func(*call.args, **call.kwargs)


def _one_slice(func, bound, keys, flat, policy, paired):
    """One-dimensional samples: drop the NaN (omit) or return a NaN result (propagate)."""
    if paired:
        keep = ~np.logical_or.reduce([np.isnan(a) for a in flat])
        cleaned = [a[keep] for a in flat]
    else:
        cleaned = [a[~np.isnan(a)] for a in flat]
    if policy == "omit" or all(c.size == a.size for c, a in zip(cleaned, flat)):
        return _call(func, bound, keys, cleaned, axis=None)
    try:  # propagate: the result's shape and type from the clean data, every number NaN
        template = _call(func, bound, keys, cleaned, axis=None)
    except ValueError:
        return np.float64(math.nan)
    return _as_nan(template)


def _as_nan(result):
    if isinstance(result, TestResult):
        extras = {k: _nan_like(getattr(result, k)) for k in result._extras}
        return TestResult(
            np.float64(math.nan),
            np.float64(math.nan),
            df=result.df,
            alternative=result.alternative,
            ci=None if result._ci is None else (lambda level, **o: (math.nan, math.nan)),
            name=result._name,
            **extras,
        )
    if isinstance(result, tuple) and hasattr(result, "_fields"):
        return type(result)(*(_nan_like(v) for v in result))
    return _nan_like(result)


def _nan_like(value):
    if isinstance(value, tuple):
        return tuple(_nan_like(v) for v in value)
    if isinstance(value, int | np.integer | float | np.floating | np.ndarray):
        return np.full(np.shape(value), math.nan)[()] if np.ndim(value) else np.float64(math.nan)
    return value


def _slice_by_slice(func, bound, keys, arrays, axis, policy, paired):
    """N-D samples with an integer axis: one call per slice, results stacked."""
    try:
        moved = [np.moveaxis(a, axis, -1) for a in arrays]
        batch = np.broadcast_shapes(*(m.shape[:-1] for m in moved))
    except (ValueError, np.exceptions.AxisError) as exc:
        raise ValueError(f"the samples' shapes do not agree apart from axis: {exc}") from None
    moved = [np.broadcast_to(m, batch + m.shape[-1:]) for m in moved]
    results = [
        _one_slice(func, bound, keys, [m[index] for m in moved], policy, paired)
        for index in np.ndindex(batch)
    ]
    return _stack(results, batch)


def _stack(results, batch):
    first = results[0]

    def arr(values):
        out = np.array(values, dtype=float)
        inner = out.shape[1:]  # per-slice array results (quantile's q) go first, as NumPy's
        out = out.reshape(batch + inner)
        return np.moveaxis(out, tuple(range(len(batch))), tuple(range(len(inner), out.ndim)))

    if isinstance(first, TestResult):
        ci = None
        if first._ci is not None:

            def ci(level, **options):
                pairs = [r._ci(level, **options) for r in results]
                return arr([p[0] for p in pairs]), arr([p[1] for p in pairs])

        dfs = [r.df for r in results]
        df = arr(dfs) if all(isinstance(d, int | float | np.number) for d in dfs) else dfs[0]
        extras = {k: arr([getattr(r, k) for r in results]) for k in first._extras}
        return TestResult(
            arr([r.statistic for r in results]),
            arr([r.pvalue for r in results]),
            df=df,
            alternative=first.alternative,
            ci=ci,
            name=first._name,
            **extras,
        )
    if isinstance(first, ConfidenceInterval):
        return ConfidenceInterval(arr([r.low for r in results]), arr([r.high for r in results]))
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        fields = []
        for i, value in enumerate(first):
            if isinstance(value, tuple):
                fields.append(tuple(arr([r[i][j] for r in results]) for j in range(len(value))))
            else:
                fields.append(arr([r[i] for r in results]))
        return type(first)(*fields)
    return arr(results)
