"""The tracing core: primitives, trace levels, tracers and the nodes they record.

A *primitive* is a NumPy function together with its derivative rules. Calling a primitive on
plain arrays just calls the NumPy function. Calling it on a *tracer* (an array-like that a
transform such as :func:`grad` or :func:`jvp` wraps around its inputs) records the
application:

* a :class:`ReverseTracer` remembers a :class:`Node` (the primitive, its arguments and its
  result; :mod:`m4ml.autodiff.nodes`) so that the backward pass (:mod:`m4ml.autodiff.backward`)
  can apply its VJP rules;
* a :class:`ForwardTracer` carries a tangent and applies the primitive's JVP rules at once.

Every transform call opens a new *trace level* (an increasing integer). A primitive works on
the tracers of the highest level among its arguments, unwraps them and calls itself again on the
unwrapped values, which may be tracers of an outer transform: nested transforms (grad of grad,
jacfwd of jacrev) therefore never confuse each other's tracers.

Tangents and cotangents may carry *leading batch axes* (``t.shape == batch + x.shape``); the
Jacobian transforms push a whole basis through one pass that way. Rules are written
batch-polymorphically (negative axes, broadcasting), and the dispatcher restores the exact shape
``batch + x.shape`` after each rule (summing broadcast axes of a cotangent, broadcasting a
tangent).
"""

import inspect
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.nodes import OUTPUT, Node, _meta, _new_tuple, _sequence, record
from m4ml.autodiff.nodes import Meta as Meta  # its former home, kept
from m4ml.autodiff.tracer import Array, Tracer

_levels = itertools.count(1)


def new_level():
    """A fresh trace level, higher than every level opened before."""
    return next(_levels)


def shape_of(x):
    """The shape of an array, a tracer or a Python scalar."""
    s = getattr(x, "shape", None)
    return np.shape(x) if s is None else s


def ndim_of(x):
    """The number of dimensions of an array, a tracer or a Python scalar."""
    n = getattr(x, "ndim", None)
    return np.ndim(x) if n is None else n


def primal(x: Any) -> Any:
    """Strip every level of tracing from ``x`` and return the plain NumPy value."""
    while isinstance(x, Tracer):
        x = x._value
    return x


def set_signature(fun: Any, operands: Sequence[str], returns: Any = Array) -> None:
    """Give ``fun`` the annotated signature ``(*operands, /, **kwargs) -> returns``.

    For the elementwise primitives, whose NumPy function (a ufunc) has no Python signature:
    the operands are array-likes, the keyword arguments go to NumPy unchanged.
    """
    kind = inspect.Parameter.POSITIONAL_ONLY
    params = [inspect.Parameter(name, kind, annotation=ArrayLike) for name in operands]
    params.append(inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD, annotation=Any))
    fun.__signature__ = inspect.Signature(params, return_annotation=returns)
    fun.__annotations__ = {**dict.fromkeys(operands, ArrayLike), "kwargs": Any, "return": returns}


class Primitive:
    """A NumPy function with derivative rules (see :func:`m4ml.autodiff.primitive`).

    Attributes
    ----------
    fun : callable
        The function computing the value on plain arrays.
    vjps, jvps : dict
        Rules per positional argument: ``vjps[i](g, ans, *args, **kwargs)`` returns the
        cotangent of argument ``i`` and ``jvps[i](t, ans, *args, **kwargs)`` the tangent of the
        output contributed by argument ``i``.
    nondiff : bool
        The output is piecewise constant (comparisons, ``sign``, ``floor``): it is returned
        untraced, so its derivative is zero.
    broadcasting : bool
        The primitive broadcasts its arguments like a ufunc; tangents are aligned to the
        output's dimensions before the JVP rule is called.
    keep_args, keep_ans : bool
        Whether the VJP rules need the *values* of the arguments / of the result. When not,
        a reverse trace records only their shape and dtype (:class:`Meta`), so the backward
        pass keeps alive only the arrays it needs. Default True (the safe choice for custom
        primitives).
    multiple_results : bool
        ``fun`` returns a tuple of arrays (a factorization: SVD, QR, eigh). Each output is
        traced on its own; a VJP rule receives the tuple of output cotangents (zeros for the
        outputs that were not used) and a JVP rule returns the tuple of output tangents.
    """

    __slots__ = (
        "__dict__",
        "broadcasting",
        "fun",
        "jvps",
        "keep_ans",
        "keep_args",
        "multiple_results",
        "name",
        "nondiff",
        "vjps",
    )

    def __init__(
        self,
        fun: Callable[..., Any],
        name: str | None = None,
        *,
        nondiff: bool = False,
        broadcasting: bool = False,
        keep_args: bool = True,
        keep_ans: bool = True,
        multiple_results: bool = False,
    ):
        self.fun = fun
        self.multiple_results = multiple_results
        self.name = self.__name__ = name or getattr(fun, "__name__", "primitive")
        self.vjps = {}
        self.jvps = {}
        self.nondiff = nondiff
        self.broadcasting = broadcasting
        self.keep_args = keep_args
        self.keep_ans = keep_ans
        self.__doc__ = getattr(fun, "__doc__", None)
        # inspect.signature and typing.get_type_hints (the API pages) see fun's signature
        self.__wrapped__ = fun
        self.__annotations__ = getattr(fun, "__annotations__", {})
        if isinstance(fun, np.ufunc):  # a ufunc has no annotated signature: name its operands
            operands = ("x",) if fun.nin == 1 else tuple(f"x{i + 1}" for i in range(fun.nin))
            set_signature(self, operands)

    def defvjp(
        self, *rules: Callable[..., Any] | None, argnums: Sequence[int] | None = None
    ) -> "Primitive":
        """Register VJP rules, one per argument (``None`` for a non-differentiable one)."""
        for i, rule in zip(range(len(rules)) if argnums is None else argnums, rules, strict=True):
            if rule is not None:
                self.vjps[i] = rule
        return self

    def defjvp(
        self, *rules: Callable[..., Any] | None, argnums: Sequence[int] | None = None
    ) -> "Primitive":
        """Register JVP rules, one per argument (``None`` for a non-differentiable one)."""
        for i, rule in zip(range(len(rules)) if argnums is None else argnums, rules, strict=True):
            if rule is not None:
                self.jvps[i] = rule
        return self

    def __call__(self, *args, **kwargs):
        tracer = None
        mixed = False
        for a in args:
            if isinstance(a, Tracer):
                if tracer is None:
                    tracer = a
                elif a._level != tracer._level:
                    mixed = True
                    if a._level > tracer._level:
                        tracer = a
        if tracer is None:
            return self.fun(*args, **kwargs)
        return tracer._apply(self, tracer._level, args, kwargs, mixed)

    def __repr__(self):
        return f"<m4ml primitive {self.name}>"


def _missing_rule(prim, argnum, mode):
    return NotImplementedError(
        f"{mode} rule of m4ml primitive '{prim.name}' for argument {argnum} is not defined; "
        "declare it with defvjp/defjvp (see docs/calculus.md, 'custom primitives')"
    )


# The Tracer class itself (operators, methods, error messages) lives in tracer.py; the two
# subclasses below only add how a primitive is applied at their level.


class ReverseTracer(Tracer):
    """A value of a reverse (VJP) trace: it remembers the node that produced it."""

    __slots__ = ("_node",)

    def __init__(self, value, level, node):
        self._value = value
        self._level = level
        self._node = node

    @staticmethod
    def _apply(prim, level, args, kwargs, mixed=True):
        raw = list(args)
        argnums = []
        parents = []
        vjps = prim.vjps
        for i, a in enumerate(args):
            if isinstance(a, Tracer) and a._level == level:
                raw[i] = v = a._value
                if isinstance(v, Tracer):
                    mixed = True
                argnums.append(i)
                parents.append(a._node)
                if i not in vjps and not prim.nondiff:
                    raise _missing_rule(prim, i, "VJP")
        if mixed:
            ans = prim(*raw, **kwargs)
        else:
            ans = prim.fun(*raw, **kwargs) if kwargs else prim.fun(*raw)
        if prim.nondiff:
            return ans
        saved_args = raw if prim.keep_args else list(map(_meta, raw))
        if prim.multiple_results:
            saved = tuple(ans) if prim.keep_ans else tuple(map(_meta, ans))
            node = record(prim, saved_args, kwargs, saved, argnums, parents)
            k = len(ans)
            return tuple(
                ReverseTracer(a, level, record(OUTPUT, (i, k), None, saved[i], (0,), (node,)))
                for i, a in enumerate(ans)
            )
        saved_ans = ans if prim.keep_ans else _meta(ans)
        return ReverseTracer(
            ans,
            level,
            _new_tuple(
                Node, (prim, saved_args, kwargs, saved_ans, argnums, parents, next(_sequence))
            ),
        )


class ForwardTracer(Tracer):
    """A value of a forward (JVP) trace: it carries its tangent (with optional batch axes)."""

    __slots__ = ("_tangent",)

    def __init__(self, value, level, tangent):
        self._value = value
        self._level = level
        self._tangent = tangent

    @staticmethod
    def _apply(prim, level, args, kwargs, mixed=True):
        raw = list(args)
        tangents = []
        for i, a in enumerate(args):
            if isinstance(a, Tracer) and a._level == level:
                raw[i] = v = a._value
                if isinstance(v, Tracer):
                    mixed = True
                tangents.append((i, a._tangent))
        ans = prim(*raw, **kwargs) if mixed else prim.fun(*raw, **kwargs)
        if prim.nondiff:
            return ans
        if prim.multiple_results:
            return _forward_multiple(prim, level, raw, kwargs, ans, tangents)
        out = None
        out_ndim = ndim_of(ans)
        batch = None
        for i, t in tangents:
            rule = prim.jvps.get(i)
            if rule is None:
                raise _missing_rule(prim, i, "JVP")
            x_ndim = ndim_of(raw[i])
            if batch is None:
                batch = shape_of(t)[: ndim_of(t) - x_ndim]
            if prim.broadcasting and x_ndim < out_ndim:
                t = _reshape(t, batch + (1,) * (out_ndim - x_ndim) + shape_of(raw[i]))
            c = rule(t, ans, *raw, **kwargs)
            out = c if out is None else out + c
        target = batch + shape_of(ans)
        if shape_of(out) != target:
            out = _broadcast_to(out, target)
        return ForwardTracer(ans, level, out)


def _forward_multiple(prim, level, raw, kwargs, ans, tangents):
    """Forward mode for a primitive with several results: a tuple of tangents per argument."""
    outs = None
    batch = ()
    for i, t in tangents:
        rule = prim.jvps.get(i)
        if rule is None:
            raise _missing_rule(prim, i, "JVP")
        batch = shape_of(t)[: ndim_of(t) - ndim_of(raw[i])]
        c = rule(t, ans, *raw, **kwargs)
        outs = list(c) if outs is None else [o + ci for o, ci in zip(outs, c, strict=True)]
    result = []
    for a, o in zip(ans, outs, strict=True):
        target = batch + shape_of(a)
        result.append(
            ForwardTracer(a, level, o if shape_of(o) == target else _broadcast_to(o, target))
        )
    return tuple(result)


def _reshape_impl(x, shape):
    return np.reshape(x, shape)


def _sum_impl(x, axis=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)


# Three primitives the core itself needs; their rules are registered in rules_shape.py and
# rules_reduce.py (which re-export them under their public names).
_reshape = Primitive(_reshape_impl, "reshape", keep_args=False, keep_ans=False)
_broadcast_to = Primitive(np.broadcast_to, "broadcast_to", keep_args=False, keep_ans=False)
_sum = Primitive(_sum_impl, "sum", keep_args=False, keep_ans=False)
