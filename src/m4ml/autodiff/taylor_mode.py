"""Taylor-mode propagation: all Taylor coefficients of t -> f(x + t v) in one forward pass.

A :class:`TaylorTracer` carries the truncated power series :math:`y(t) = \\sum_{k \\le K} y_k t^k`
of its value (``y_0`` is the value itself). Each supported primitive maps the series of its
arguments to the series of its result with a recurrence (Griewank & Walther, "Evaluating
Derivatives", 2nd ed., ch. 13), so :math:`K` coefficients cost :math:`O(K^2)` array operations
instead of the :math:`O(2^K)` of nested JVPs:

* linear operations (add, reshape, sum, indexing, ...) act on every coefficient;
* bilinear ones (multiply, matmul, two-operand einsum) use the Cauchy product
  :math:`y_k = \\sum_{j=0}^{k} B(a_j, b_{k-j})`;
* :math:`y = a / b`: :math:`y_k = (a_k - \\sum_{j=1}^{k} b_j y_{k-j}) / b_0`;
* :math:`y = e^a`: :math:`y_k = \\frac1k \\sum_{j=1}^{k} j\\,a_j y_{k-j}`; :math:`y = \\log a`:
  :math:`y_k = (a_k - \\frac1k\\sum_{j=1}^{k-1} j\\,y_j a_{k-j}) / a_0`;
* :math:`y = \\sqrt a`: :math:`y_k = (a_k - \\sum_{j=1}^{k-1} y_j y_{k-j}) / 2y_0`;
* :math:`\\sin a, \\cos a` together: :math:`s_k = \\frac1k\\sum j a_j c_{k-j}`,
  :math:`c_k = -\\frac1k \\sum j a_j s_{k-j}`; :math:`\\tanh`: from :math:`y' = (1 - y^2)a'`;
* :math:`y = a^p` (constant p, :math:`a_0 \\ne 0`):
  :math:`y_k = \\frac{1}{k a_0}\\sum_{j=1}^{k} (p j - (k - j))\\, a_j y_{k-j}`.

A primitive without a Taylor rule raises :class:`Unsupported`; :func:`m4ml.autodiff.taylor`
then falls back to nested JVPs, so every differentiable function still works.
"""

import numpy as np

from m4ml.autodiff import rules_accumulate as racc
from m4ml.autodiff import rules_contract as rc
from m4ml.autodiff import rules_elementwise as re
from m4ml.autodiff import rules_reduce as rr
from m4ml.autodiff import rules_shape as rs
from m4ml.autodiff.core import new_level, shape_of
from m4ml.autodiff.tracer import Tracer


class Unsupported(Exception):
    """A primitive has no Taylor rule (the caller falls back to nested JVPs)."""


class TaylorTracer(Tracer):
    """A value with its truncated Taylor series (``_series[0]`` is the value)."""

    __slots__ = ("_series",)

    def __init__(self, value, level, series):
        self._value = value
        self._level = level
        self._series = series

    @staticmethod
    def _apply(prim, level, args, kwargs, mixed=True):
        raw, series = [], []
        K = None
        for a in args:
            if isinstance(a, Tracer) and a._level == level:
                raw.append(a._value)
                series.append(a._series)
                K = len(a._series) - 1
            else:
                raw.append(a)
                series.append(None)
        ans = prim(*raw, **kwargs)
        if prim.nondiff:
            return ans
        rule = RULES.get(prim)
        if rule is None:
            raise Unsupported(prim.name)
        out = rule(ans, raw, series, K, kwargs)
        shape = shape_of(ans)
        out = [ans] + [
            rs.broadcast_to_p(c, shape) if c is not None and shape_of(c) != shape else c
            for c in out[1:]
        ]
        return TaylorTracer(ans, level, out)


def _coef(s, k, raw):
    """Coefficient k of an argument's series (its value for k = 0, None for a zero)."""
    if s is None:
        return raw if k == 0 else None
    return s[k]


def _linear(positions):
    def rule(ans, raw, series, K, kw):
        out = [ans]
        for k in range(1, K + 1):
            args = list(raw)
            nonzero = False
            for i in positions(len(raw)):
                c = _coef(series[i], k, raw[i])
                nonzero |= c is not None
                args[i] = np.zeros(shape_of(raw[i])) if c is None else c
            out.append(_call(ans, args, kw) if nonzero else None)
        return out

    return rule


def _bilinear(i0, i1):
    def rule(ans, raw, series, K, kw):
        prim = kw.pop("__prim__")
        out = [ans]
        for k in range(1, K + 1):
            total = None
            for j in range(k + 1):
                a, b = _coef(series[i0], j, raw[i0]), _coef(series[i1], k - j, raw[i1])
                if a is None or b is None:
                    continue
                args = list(raw)
                args[i0], args[i1] = a, b
                term = prim(*args, **kw)
                total = term if total is None else total + term
            out.append(total)
        kw["__prim__"] = prim
        return out

    return rule


def _call(ans, args, kw):
    return kw["__prim__"](*args, **{k: v for k, v in kw.items() if k != "__prim__"})


def _univariate(step):
    """Rule for y = f(a): ``step(a, y, k)`` returns y_k from a_0..a_k and y_0..y_{k-1}."""

    def rule(ans, raw, series, K, kw):
        a = [_coef(series[0], k, raw[0]) for k in range(K + 1)]
        a = [np.zeros(shape_of(raw[0])) if c is None else c for c in a]
        y = [ans]
        for k in range(1, K + 1):
            y.append(step(a, y, k))
        return y

    return rule


def _exp_like(offset):
    def step(a, y, k):  # y' = (y + offset) a'
        return sum(
            ((j / k) * a[j]) * (y[k - j] + offset if k == j else y[k - j]) for j in range(1, k + 1)
        )

    return step


def _log_step(shift):
    def step(a, y, k):  # a y' = a'  with a_0 shifted (log1p uses 1 + a)
        a0 = a[0] + shift
        acc = a[k]
        for j in range(1, k):
            acc = acc - (j / k) * y[j] * a[k - j]
        return acc / a0

    return step


def _sqrt_step(a, y, k):
    acc = a[k]
    for j in range(1, k):
        acc = acc - y[j] * y[k - j]
    return acc / (2.0 * y[0])


def _tanh_step(a, y, k):
    z = [1.0 - y[0] * y[0]]
    for m in range(1, k):
        z.append(-sum(y[i] * y[m - i] for i in range(m + 1)))
    return sum((j / k) * a[j] * z[k - j] for j in range(1, k + 1))


def _sincos(is_sin):
    def rule(ans, raw, series, K, kw):
        a = [_coef(series[0], k, raw[0]) for k in range(K + 1)]
        a = [np.zeros(shape_of(raw[0])) if c is None else c for c in a]
        s, c = [re.sin(raw[0])], [re.cos(raw[0])]
        for k in range(1, K + 1):
            s.append(sum((j / k) * a[j] * c[k - j] for j in range(1, k + 1)))
            c.append(-sum((j / k) * a[j] * s[k - j] for j in range(1, k + 1)))
        return s if is_sin else c

    return rule


def _divide(ans, raw, series, K, kw):
    if series[1] is None:
        return [ans] + [None if c is None else c / raw[1] for c in series[0][1:]]
    y = [ans]
    for k in range(1, K + 1):
        acc = _coef(series[0], k, raw[0])
        acc = 0.0 if acc is None else acc
        for j in range(1, k + 1):
            acc = acc - series[1][j] * y[k - j] if series[1][j] is not None else acc
        y.append(acc / raw[1])
    return y


def _power(ans, raw, series, K, kw):
    if series[1] is not None or np.ndim(raw[1]) != 0:
        raise Unsupported("power with a traced or array exponent")
    p = float(raw[1])
    if p == 2.0:
        return _bilinear(0, 1)(
            ans, [raw[0], raw[0]], [series[0], series[0]], K, {"__prim__": re.multiply}
        )
    if np.any(np.asarray(_plain(raw[0])) == 0):
        raise Unsupported("power at a zero base")
    a = [
        series[0][k] if series[0][k] is not None else np.zeros(shape_of(raw[0]))
        for k in range(K + 1)
    ]
    y = [ans]
    for k in range(1, K + 1):
        y.append(sum(((p * j - (k - j)) / k) * a[j] * y[k - j] for j in range(1, k + 1)) / raw[0])
    return y


def _plain(x):
    while isinstance(x, Tracer):
        x = x._value
    return x


def _with_prim(prim, rule):
    def r(ans, raw, series, K, kw):
        kw = dict(kw)
        kw["__prim__"] = prim
        return rule(ans, raw, series, K, kw)

    return r


def _first(n):
    return (0,)


def _all(n):
    return range(n)


U = re.UNARY_PRIMS
RULES = {
    re.add: _with_prim(re.add, _linear(_all)),
    re.subtract: _with_prim(re.subtract, _linear(_all)),
    re.negative: _with_prim(re.negative, _linear(_first)),
    re.multiply: _with_prim(re.multiply, _bilinear(0, 1)),
    re.divide: _divide,
    re.power: _power,
    re.where_p: _with_prim(re.where_p, _linear(lambda n: (1, 2))),
    re.astype: _with_prim(re.astype, _linear(_first)),
    rs.reshape_p: _with_prim(rs.reshape_p, _linear(_first)),
    rs.broadcast_to_p: _with_prim(rs.broadcast_to_p, _linear(_first)),
    rs.transpose_p: _with_prim(rs.transpose_p, _linear(_first)),
    rs.getitem_p: _with_prim(rs.getitem_p, _linear(_first)),
    rs.concat_p: _with_prim(rs.concat_p, _linear(_all)),
    rs.index_update_p: _with_prim(rs.index_update_p, _linear(lambda n: (0, 1))),
    rr.sum_p: _with_prim(rr.sum_p, _linear(_first)),
    racc.cumsum_p: _with_prim(racc.cumsum_p, _linear(_first)),
    rc.matmul_p: _with_prim(rc.matmul_p, _bilinear(0, 1)),
    U["exp"]: _univariate(_exp_like(0.0)),
    U["expm1"]: _univariate(_exp_like(1.0)),
    U["log"]: _univariate(_log_step(0.0)),
    U["log1p"]: _univariate(_log_step(1.0)),
    U["sqrt"]: _univariate(_sqrt_step),
    U["tanh"]: _univariate(_tanh_step),
    U["sin"]: _sincos(True),
    U["cos"]: _sincos(False),
    U["square"]: lambda ans, raw, series, K, kw: _bilinear(0, 1)(
        ans, [raw[0], raw[0]], [series[0], series[0]], K, {"__prim__": re.multiply}
    ),
}


def _einsum_rule(ans, raw, series, K, kw):
    traced = [i for i, s in enumerate(series) if s is not None]
    if len(traced) == 1:
        return _with_prim(rc.einsum_p, _linear(lambda n: traced))(ans, raw, series, K, kw)
    if len(traced) == 2:
        return _with_prim(rc.einsum_p, _bilinear(*traced))(ans, raw, series, K, kw)
    raise Unsupported("einsum with more than two traced operands")


RULES[rc.einsum_p] = _einsum_rule


def taylor_coefficients(f, x, v, order):
    """The Taylor coefficients of ``t -> f(x + t v)`` by Taylor-mode propagation.

    Raises :class:`Unsupported` if ``f`` uses a primitive without a Taylor rule.
    """
    level = new_level()
    series = [x, v] + [None] * (order - 1)
    out = f(TaylorTracer(x, level, series[: order + 1]))
    if not (isinstance(out, TaylorTracer) and out._level == level):
        return [out] + [None] * order
    return out._series
