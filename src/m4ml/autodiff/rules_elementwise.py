"""Elementwise primitives (ufuncs with broadcasting) and their VJP and JVP rules.

For :math:`y = f(x)` elementwise, :math:`\\bar x = \\bar y \\, f'(x)` and
:math:`\\dot y = f'(x)\\, \\dot x`; both are the same product, so one derivative function serves
both modes. Rules are written with these primitives themselves, so they can be differentiated
again. Batch axes of tangents/cotangents lead, and broadcasting aligns the rest from the right.

Conventions at kinks and singular points (documented in docs/calculus.md):

* ``abs``: derivative ``sign(x)``, so 0 at 0; ``clip``: 1 on the closed interval ``[lo, hi]``.
* ``maximum``/``minimum``: at ties each argument gets half of the cotangent.
* ``sqrt``, ``log``, ``divide``, ``power``, ``arcsin``, ...: where the incoming cotangent (or
  tangent) is exactly zero the result is zero even if the derivative is infinite there, so the
  untaken branch of ``where(x > 0, sqrt(x), 0)`` contributes 0, never NaN.
"""

import math
import types

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import Primitive, set_signature
from m4ml.autodiff.tracer import Array, Tracer

LN2 = math.log(2.0)
LN10 = math.log(10.0)


def _ufunc(fun, name, **kw):
    return Primitive(fun, name, broadcasting=True, **kw)


# -- the primitives ---------------------------------------------------------------------------
_SHAPES = {"keep_args": False, "keep_ans": False}
add = _ufunc(np.add, "add", **_SHAPES)
subtract = _ufunc(np.subtract, "subtract", **_SHAPES)
multiply = _ufunc(np.multiply, "multiply", keep_ans=False)
divide = _ufunc(np.divide, "divide")
true_divide = divide
power = _ufunc(np.power, "power")
negative = _ufunc(np.negative, "negative", **_SHAPES)
maximum = _ufunc(np.maximum, "maximum", keep_ans=False)
minimum = _ufunc(np.minimum, "minimum", keep_ans=False)
logaddexp = _ufunc(np.logaddexp, "logaddexp")
arctan2 = _ufunc(np.arctan2, "arctan2")
hypot = _ufunc(np.hypot, "hypot")


def _where_impl(condition, x, y):
    return np.where(condition, x, y)


def _clip_impl(x, a_min, a_max):
    return np.clip(x, a_min, a_max)


where_p = _ufunc(_where_impl, "where", **_SHAPES)  # needs only the (boolean) condition
clip_p = _ufunc(_clip_impl, "clip")
astype = Primitive(lambda x, dtype: x.astype(dtype), "astype", **_SHAPES)

NONDIFF = {}
_NONDIFF_NAMES = (
    "sign floor ceil rint trunc isnan isfinite isinf equal not_equal less less_equal greater "
    "greater_equal logical_and logical_or logical_not logical_xor"
)
for _name in _NONDIFF_NAMES.split():
    NONDIFF[_name] = _ufunc(getattr(np, _name), _name, nondiff=True)
round_ = Primitive(np.round, "round", nondiff=True)
set_signature(round_, ("a",))  # decimals= goes to numpy.round


def where(condition: ArrayLike, x: ArrayLike, y: ArrayLike) -> Array:
    """Choose ``x`` where ``condition`` holds, else ``y`` (differentiable in ``x`` and ``y``).

    The condition is read as booleans (nonzero is true), as :func:`numpy.where` does; it
    carries no derivative.
    """
    while isinstance(condition, Tracer):
        condition = condition._value
    return where_p(np.asarray(condition, dtype=bool), x, y)


def clip(a: ArrayLike, a_min: ArrayLike | None = None, a_max: ArrayLike | None = None) -> Array:
    """Limit ``a`` to ``[a_min, a_max]``; the derivative is 1 on the closed interval."""
    return clip_p(a, a_min, a_max)


def _safe(g, value):
    """``value`` where ``g != 0`` and 0 where ``g == 0`` (kills 0 * inf in untaken branches)."""
    return where_p(NONDIFF["equal"](g, 0), 0.0, value)


# -- unary functions: y = f(x) with derivative d(ans, x) ---------------------------------------
def _sq(x):
    return multiply(x, x)


UNARY = {
    "exp": (np.exp, lambda n, ans, x: ans, False),
    "expm1": (np.expm1, lambda n, ans, x: n.add(ans, 1.0), False),
    "exp2": (np.exp2, lambda n, ans, x: n.multiply(ans, LN2), False),
    "log": (np.log, lambda n, ans, x: n.divide(1.0, x), True),
    "log1p": (np.log1p, lambda n, ans, x: n.divide(1.0, n.add(x, 1.0)), True),
    "log2": (np.log2, lambda n, ans, x: n.divide(1.0 / LN2, x), True),
    "log10": (np.log10, lambda n, ans, x: n.divide(1.0 / LN10, x), True),
    "sqrt": (np.sqrt, lambda n, ans, x: n.divide(0.5, ans), True),
    "cbrt": (np.cbrt, lambda n, ans, x: n.divide(1.0 / 3.0, n.multiply(ans, ans)), True),
    "square": (np.square, lambda n, ans, x: n.multiply(2.0, x), False),
    "reciprocal": (np.reciprocal, lambda n, ans, x: n.negative(n.multiply(ans, ans)), True),
    "sin": (np.sin, lambda n, ans, x: n.cos(x), False),
    "cos": (np.cos, lambda n, ans, x: n.negative(n.sin(x)), False),
    "tan": (np.tan, lambda n, ans, x: n.add(1.0, n.multiply(ans, ans)), False),
    "sinh": (np.sinh, lambda n, ans, x: n.cosh(x), False),
    "cosh": (np.cosh, lambda n, ans, x: n.sinh(x), False),
    "tanh": (np.tanh, lambda n, ans, x: n.subtract(1.0, n.multiply(ans, ans)), False),
    "arcsin": (
        np.arcsin,
        lambda n, ans, x: n.divide(1.0, n.sqrt(n.subtract(1.0, n.multiply(x, x)))),
        True,
    ),
    "arccos": (
        np.arccos,
        lambda n, ans, x: n.divide(-1.0, n.sqrt(n.subtract(1.0, n.multiply(x, x)))),
        True,
    ),
    "arctan": (np.arctan, lambda n, ans, x: n.divide(1.0, n.add(1.0, n.multiply(x, x))), False),
    "arcsinh": (
        np.arcsinh,
        lambda n, ans, x: n.divide(1.0, n.sqrt(n.add(n.multiply(x, x), 1.0))),
        False,
    ),
    "arccosh": (
        np.arccosh,
        lambda n, ans, x: n.divide(1.0, n.sqrt(n.subtract(n.multiply(x, x), 1.0))),
        True,
    ),
    "arctanh": (
        np.arctanh,
        lambda n, ans, x: n.divide(1.0, n.subtract(1.0, n.multiply(x, x))),
        True,
    ),
    "abs": (np.abs, lambda n, ans, x: n.sign(x), False),
}
"""name -> (NumPy function, derivative f'(x) written against a namespace ``n``, singular?).

The derivative is evaluated with ``n = numpy`` when the cotangent and the arguments are plain
arrays (the common case, at NumPy speed) and with ``n`` = these primitives when any of them is
traced (higher-order derivatives)."""

_ND = np.ndarray
_P = types.SimpleNamespace()


# derivatives written with the result only; the others use only the argument
_USES_ANS = {"exp", "expm1", "exp2", "sqrt", "cbrt", "reciprocal", "tan", "tanh"}


def _plain(g, ans, x):
    """Nothing traced: the cotangent and the saved value the derivative uses are arrays."""
    return (
        type(g) is _ND
        and (type(ans) is _ND or type(x) is _ND)
        and not (isinstance(ans, Tracer) or isinstance(x, Tracer))
    )


def _unary_rule(deriv, singular):
    if singular:

        def rule(g, ans, x):
            with np.errstate(divide="ignore", invalid="ignore"):
                if _plain(g, ans, x):
                    return np.where(g == 0, 0.0, g * deriv(np, ans, x)).astype(g.dtype, copy=False)
                return _safe(g, multiply(g, deriv(_P, ans, x)))

    else:

        def rule(g, ans, x):
            if (
                type(g) is _ND
                and (type(ans) is _ND or type(x) is _ND)
                and not (isinstance(ans, Tracer) or isinstance(x, Tracer))
            ):
                return g * deriv(np, ans, x)
            return multiply(g, deriv(_P, ans, x))

    return rule


UNARY_PRIMS = {}
for _name, (_fun, _deriv, _singular) in UNARY.items():
    _p = _ufunc(_fun, _name, keep_args=_name not in _USES_ANS, keep_ans=_name in _USES_ANS)
    _r = _unary_rule(_deriv, _singular)
    _p.defvjp(_r)
    _p.defjvp(_r)
    UNARY_PRIMS[_name] = _p
for _name, _p in {**UNARY_PRIMS, "add": add, "subtract": subtract, "multiply": multiply}.items():
    setattr(_P, _name, _p)
_P.divide, _P.negative, _P.sign = divide, negative, NONDIFF["sign"]
exp, log, sqrt = UNARY_PRIMS["exp"], UNARY_PRIMS["log"], UNARY_PRIMS["sqrt"]
sin, cos, sinh, cosh = (UNARY_PRIMS[n] for n in ("sin", "cos", "sinh", "cosh"))
tanh, abs_ = UNARY_PRIMS["tanh"], UNARY_PRIMS["abs"]
absolute = abs_

# -- binary rules -----------------------------------------------------------------------------
add.defvjp(lambda g, ans, x, y: g, lambda g, ans, x, y: g)
add.defjvp(lambda t, ans, x, y: t, lambda t, ans, x, y: t)
subtract.defvjp(lambda g, ans, x, y: g, lambda g, ans, x, y: negative(g))
subtract.defjvp(lambda t, ans, x, y: t, lambda t, ans, x, y: negative(t))
negative.defvjp(lambda g, ans, x: negative(g))
negative.defjvp(lambda t, ans, x: negative(t))
multiply.defvjp(lambda g, ans, x, y: multiply(g, y), lambda g, ans, x, y: multiply(x, g))
multiply.defjvp(lambda t, ans, x, y: multiply(t, y), lambda t, ans, x, y: multiply(x, t))


def _divide_x(g, ans, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _safe(g, divide(g, y))


def _divide_y(g, ans, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _safe(g, negative(multiply(g, divide(ans, y))))


divide.defvjp(_divide_x, _divide_y)
divide.defjvp(_divide_x, _divide_y)


def _power_x(g, ans, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        d = multiply(y, power(x, subtract(y, 1.0)))
        if isinstance(y, Tracer) or np.any(np.asarray(y) == 0):
            d = where_p(NONDIFF["equal"](y, 0), 0.0, d)  # x ** 0 is constant: derivative 0
        return _safe(g, multiply(g, d))


def _power_y(g, ans, x, y):
    zero = NONDIFF["equal"](x, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        logx = where_p(zero, 0.0, log(where_p(zero, 1.0, x)))
        return multiply(g, multiply(ans, logx))


power.defvjp(_power_x, _power_y)
power.defjvp(_power_x, _power_y)


def _tie_weights(x, y, greater, g):
    win = greater(x, y)
    tie = NONDIFF["equal"](x, y)
    return np.where(win, 1.0, np.where(tie, 0.5, 0.0)).astype(getattr(g, "dtype", np.float64))


def _minmax_rules(prim, greater):
    def rx(g, ans, x, y):
        return multiply(g, _tie_weights(x, y, greater, g))

    def ry(g, ans, x, y):
        return multiply(g, _tie_weights(y, x, greater, g))

    prim.defvjp(rx, ry)
    prim.defjvp(rx, ry)


_minmax_rules(maximum, NONDIFF["greater"])
_minmax_rules(minimum, NONDIFF["less"])


def _logaddexp_x(g, ans, x, y):
    return multiply(g, exp(subtract(x, ans)))


def _logaddexp_y(g, ans, x, y):
    return multiply(g, exp(subtract(y, ans)))


logaddexp.defvjp(_logaddexp_x, _logaddexp_y)
logaddexp.defjvp(_logaddexp_x, _logaddexp_y)


def _arctan2_y(g, ans, y, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _safe(g, multiply(g, divide(x, add(_sq(x), _sq(y)))))


def _arctan2_x(g, ans, y, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _safe(g, multiply(g, divide(negative(y), add(_sq(x), _sq(y)))))


arctan2.defvjp(_arctan2_y, _arctan2_x)
arctan2.defjvp(_arctan2_y, _arctan2_x)


def _hypot_x(g, ans, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _safe(g, multiply(g, divide(x, ans)))


def _hypot_y(g, ans, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return _safe(g, multiply(g, divide(y, ans)))


hypot.defvjp(_hypot_x, _hypot_y)
hypot.defjvp(_hypot_x, _hypot_y)

# where: the cotangent is zeroed in the branch not taken *before* it reaches that branch's rule.
where_p.defvjp(None, lambda g, ans, c, x, y: where_p(c, g, 0.0), argnums=(0, 1))
where_p.defvjp(lambda g, ans, c, x, y: where_p(c, 0.0, g), argnums=(2,))
where_p.defjvp(lambda t, ans, c, x, y: where_p(c, t, 0.0), argnums=(1,))
where_p.defjvp(lambda t, ans, c, x, y: where_p(c, 0.0, t), argnums=(2,))


def _inside(x, lo, hi):
    m = np.ones(np.shape(x), dtype=bool)
    if lo is not None:
        m = m & NONDIFF["greater_equal"](x, lo)
    if hi is not None:
        m = m & NONDIFF["less_equal"](x, hi)
    return m


clip_p.defvjp(
    lambda g, ans, x, lo, hi: where_p(_inside(x, lo, hi), g, 0.0),
    lambda g, ans, x, lo, hi: where_p(NONDIFF["less"](x, lo), g, 0.0),
    lambda g, ans, x, lo, hi: where_p(NONDIFF["greater"](x, hi), g, 0.0),
)
clip_p.defjvp(
    lambda t, ans, x, lo, hi: where_p(_inside(x, lo, hi), t, 0.0),
    lambda t, ans, x, lo, hi: where_p(NONDIFF["less"](x, lo), t, 0.0),
    lambda t, ans, x, lo, hi: where_p(NONDIFF["greater"](x, hi), t, 0.0),
)
astype.defvjp(lambda g, ans, x, dtype: astype(g, x.dtype))
astype.defjvp(lambda t, ans, x, dtype: astype(t, dtype))
