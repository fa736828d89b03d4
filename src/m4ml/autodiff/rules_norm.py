"""The norm primitive: its value from :func:`m4ml.linalg.norm`, one rule for both modes.

Every norm is positively homogeneous, and where it is differentiable its derivative is a
linear functional :math:`d\\lVert x\\rVert = \\langle D(x), dx\\rangle` summed over the reduced
axes, so one *direction* :math:`D(x)` (shaped like ``x``) serves both modes: the VJP is
:math:`\\bar y\\, D(x)` and the JVP is :math:`\\sum \\dot x \\circ D(x)`. The value is computed
with the overflow-safe scaling of :func:`m4ml.linalg.norm` and :math:`D` is written with ratios
:math:`x/\\lVert x\\rVert` that stay in range, so entries of :math:`10^{200}` or
:math:`10^{-200}` give the true gradient.

Directions (Euclidean :math:`n = \\lVert x\\rVert`):

* 2-norm and Frobenius: :math:`D = x/n`;
* :math:`p`-norm: :math:`D = \\operatorname{sign}(x)\\,(|x|/n)^{p-1}`;
* 1-norm: :math:`\\operatorname{sign}(x)`; :math:`\\pm\\infty`: :math:`\\operatorname{sign}(x)` on
  the entries attaining the max/min of :math:`|x|` (ties share it equally); 0 ("count"): 0;
* matrix 1/-1/inf/-inf: :math:`\\operatorname{sign}(x)` on the column (row) whose absolute sum
  is the extreme one; 2/-2: :math:`u_1 v_1^\\top` for the extreme singular value; nuclear:
  :math:`\\sum_{\\sigma_i > 0} u_i v_i^\\top`.

**Convention at non-differentiable points.** At :math:`x = 0` (and wherever a norm has a kink)
both modes return the *minimum-norm subgradient*, as PyTorch does: :math:`D = 0` for every
vector norm at 0 (so ``grad(norm)(0) == 0`` in reverse and forward mode alike), ties share the
derivative equally, and the nuclear norm drops the null singular directions. Higher
derivatives follow from the rules, which are written with differentiable primitives.
"""

import numpy as np

from m4ml.autodiff.core import Primitive, ndim_of, primal, shape_of
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_decomp import svd_factors
from m4ml.autodiff.rules_elementwise import (
    NONDIFF,
    UNARY_PRIMS,
    divide,
    multiply,
    power,
    where_p,
)
from m4ml.autodiff.rules_reduce import _expand, _kept_shape, _neg_axes, sum_p
from m4ml.autodiff.rules_shape import reshape_p, transpose_p
from m4ml.linalg import norm as _norm

_abs, _sign = UNARY_PRIMS["abs"], NONDIFF["sign"]


def _impl(x, ord, axes, kind, keepdims):
    axis = None if kind == "flat" else axes[0] if kind == "vector" else axes
    out = _norm(x, ord=ord, axis=axis, keepdims=keepdims)
    if kind == "flat" and keepdims:
        out = np.reshape(out, (1,) * np.ndim(x))
    dt = np.asarray(x).dtype
    dt = dt if dt.kind == "f" else np.dtype(np.float64)
    return out.astype(dt, copy=False) if isinstance(out, np.ndarray) else dt.type(out)


norm_p = Primitive(_impl, "norm")


def _kept(ans, x, axes, keepdims):
    """The norm reshaped to broadcast against ``x`` (no batch axes: it is a primal value)."""
    return ans if keepdims else reshape_p(ans, _kept_shape(shape_of(x), axes))


def _share(hit, axes):
    """Indicator weights normalised so ties share equally (a plain array)."""
    hit = np.asarray(hit, dtype=float)
    return hit / np.maximum(np.sum(hit, axis=axes, keepdims=True), 1.0)


def _direction(x, ans, ord, axes, kind, keepdims):
    n = _kept(ans, x, axes, keepdims)
    pos = NONDIFF["greater"](n, 0.0)
    safe = where_p(pos, n, 1.0)
    if (kind in ("flat", "vector") and ord in (None, 2)) or (
        kind == "matrix" and ord in (None, "fro")
    ):
        return where_p(pos, divide(x, safe), 0.0)
    if kind == "vector":
        if ord == 0:
            return np.zeros(shape_of(x))
        if ord == 1:
            return _sign(x)
        if ord in (np.inf, -np.inf):
            hit = np.abs(primal(x)) == primal(n)
            return where_p(pos, multiply(_sign(x), _share(hit, axes)), 0.0)
        ratio = power(divide(_abs(x), safe), float(ord) - 1.0)
        nonzero = NONDIFF["not_equal"](x, 0.0)
        return where_p(pos & nonzero, multiply(_sign(x), where_p(nonzero, ratio, 0.0)), 0.0)
    r, c = axes
    if ord in (1, -1, np.inf, -np.inf):
        inner = r if ord in (1, -1) else c
        sums = np.sum(np.abs(primal(x)), axis=inner, keepdims=True)
        hit = sums == primal(n)
        return multiply(_sign(x), _share(hit, axes))
    return _spectral_direction(x, ord, r, c)


def _spectral_direction(x, ord, r, c):
    nd = ndim_of(x)
    rest = [i for i in range(nd) if i not in (r, c)]
    perm = (*rest, r, c)
    u, s, vh = svd_factors(transpose_p(x, perm))
    sv = primal(s)
    if ord == "nuc":
        w = (sv > 0).astype(float)
    else:
        ext = sv.max(axis=-1, keepdims=True) if ord == 2 else sv.min(axis=-1, keepdims=True)
        w = _share(sv == ext, (-1,))
    d = matmul_p(multiply(u, reshape_p(w, (*w.shape[:-1], 1, w.shape[-1]))), vh)
    return transpose_p(d, tuple(int(i) for i in np.argsort(perm)))


def _vjp(g, ans, x, ord, axes, kind, keepdims):
    g, _ = _expand(g, ans, x, axes, keepdims)
    return multiply(g, _direction(x, ans, ord, axes, kind, keepdims))


def _jvp(t, ans, x, ord, axes, kind, keepdims):
    d = _direction(x, ans, ord, axes, kind, keepdims)
    return sum_p(multiply(t, d), axis=_neg_axes(axes, ndim_of(x)), keepdims=keepdims)


norm_p.defvjp(_vjp)
norm_p.defjvp(_jvp)
