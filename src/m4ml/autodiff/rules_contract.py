"""Contractions: matmul, dot, einsum, tensordot, outer, inner, with their rules.

For :math:`C = AB`, :math:`\\bar A = \\bar C B^\\top`, :math:`\\bar B = A^\\top \\bar C` and
:math:`\\dot C = \\dot A B + A \\dot B`. For a general :func:`einsum` the cotangent of an operand is
the einsum of the output cotangent with the other operands, written back onto that operand's
subscripts (and broadcast over indices that only it carried). Vectors (1-D operands of
``matmul``) and leading batch axes of tangents/cotangents are handled case by case so that each
rule is still one BLAS call where possible.
"""

import string
from collections.abc import Sequence

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import Primitive, ndim_of, shape_of
from m4ml.autodiff.rules_elementwise import multiply
from m4ml.autodiff.rules_shape import broadcast_to_p, reshape_p, transpose_p
from m4ml.autodiff.tracer import Array

matmul_p = Primitive(np.matmul, "matmul", keep_ans=False)


def _swap(a):
    nd = ndim_of(a)
    return transpose_p(a, (*tuple(range(nd - 2)), nd - 1, nd - 2))


def _drop_second_last(r):
    s = shape_of(r)
    return reshape_p(r, s[:-2] + s[-1:])


def _row(g):
    s = shape_of(g)
    return reshape_p(g, (*s[:-1], 1, s[-1]))


def _mm_vjp_a(g, ans, a, b):
    na, nbd = ndim_of(a), ndim_of(b)
    if nbd == 1:
        return multiply(reshape_p(g, (*shape_of(g), 1)), b)
    if na == 1:
        return _drop_second_last(matmul_p(_row(g), _swap(b)))
    return matmul_p(g, _swap(b))


def _mm_vjp_b(g, ans, a, b):
    na, nbd = ndim_of(a), ndim_of(b)
    if na == 1:
        if nbd == 1:
            return multiply(reshape_p(g, (*shape_of(g), 1)), a)
        return multiply(reshape_p(a, (shape_of(a)[0], 1)), _row(g))
    if nbd == 1:
        if na == 2:
            return matmul_p(g, a)
        return _drop_second_last(matmul_p(_row(g), a))
    return matmul_p(_swap(a), g)


def _lift(t, nb, extra, shape):
    return reshape_p(t, shape_of(t)[:nb] + (1,) * extra + tuple(shape))


def _mm_jvp_a(t, ans, a, b):
    na, nbd = ndim_of(a), ndim_of(b)
    nb = ndim_of(t) - na
    if na == 1:
        if nbd <= 2:
            return matmul_p(t, b)
        r = matmul_p(_lift(t, nb, nbd - 2, (1, shape_of(a)[0])), b)
        return reshape_p(r, shape_of(t)[:nb] + shape_of(ans))
    extra = (nbd - 2) - (na - 2)
    if nb and extra > 0:
        t = _lift(t, nb, extra, shape_of(a))
    return matmul_p(t, b)


def _mm_jvp_b(t, ans, a, b):
    na, nbd = ndim_of(a), ndim_of(b)
    nb = ndim_of(t) - nbd
    if nbd == 1:
        if na == 1:
            return matmul_p(t, a)
        if na == 2:
            return matmul_p(t, _swap(a))
        r = matmul_p(a, _lift(t, nb, na - 2, (shape_of(b)[0], 1)))
        return reshape_p(r, shape_of(t)[:nb] + shape_of(ans))
    extra = (na - 2) - (nbd - 2)
    if nb and extra > 0:
        t = _lift(t, nb, extra, shape_of(b))
    return matmul_p(a, t)


matmul_p.defvjp(_mm_vjp_a, _mm_vjp_b)
matmul_p.defjvp(_mm_jvp_a, _mm_jvp_b)


def matmul(x1: ArrayLike, x2: ArrayLike) -> Array:
    """Matrix product with NumPy's rules for vectors and stacks (the ``@`` operator)."""
    if ndim_of(x1) == 0 or ndim_of(x2) == 0:
        raise ValueError("matmul: input operand does not have enough dimensions (use multiply)")
    return matmul_p(x1, x2)


# -- einsum -----------------------------------------------------------------------------------
def _normalize(subscripts, operands):
    """Explicit subscripts ``"ij,jk->ik"`` with any ``...`` replaced by fresh letters."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        ins, out = subscripts.split("->")
    else:
        ins, out = subscripts, None
    ins = ins.split(",")
    if len(ins) != len(operands):
        raise ValueError(f"einsum: {len(ins)} subscripts for {len(operands)} operands")
    used = set("".join(ins)) | set(out or "")
    spare = [c for c in string.ascii_letters if c not in used]
    ell = max(
        (ndim_of(op) - len(s.replace("...", "")) for s, op in zip(ins, operands) if "..." in s),
        default=0,
    )
    ell_letters = "".join(spare[:ell])
    new_ins = []
    for s, op in zip(ins, operands):
        if "..." in s:
            k = ndim_of(op) - len(s.replace("...", ""))
            s = s.replace("...", ell_letters[ell - k :])
        if len(s) != ndim_of(op):
            raise ValueError(
                f"einsum: subscripts '{s}' do not match an operand of shape {shape_of(op)}"
            )
        new_ins.append(s)
    if out is None:
        counts = {c: "".join(new_ins).count(c) for c in set("".join(new_ins))}
        out = ell_letters + "".join(
            sorted(c for c, n in counts.items() if n == 1 and c not in ell_letters)
        )
    else:
        out = out.replace("...", ell_letters)
    return ",".join(new_ins) + "->" + out


def _einsum_impl(subscripts, *operands):
    big = sum(np.size(op) for op in operands) > 4096 or len(operands) > 2
    return np.einsum(subscripts, *operands, optimize=big)


einsum_p = Primitive(_einsum_impl, "einsum", keep_ans=False)


def _batch_letters(subscripts, nb):
    free = [c for c in string.ascii_letters if c not in subscripts]
    return "".join(free[:nb])


def _einsum_vjp(i):
    def rule(g, subscripts, *operands):
        ins, out = subscripts.split("->")
        ins = ins.split(",")
        target = ins[i]
        if len(set(target)) != len(target):
            raise NotImplementedError(
                "einsum VJP with a repeated index in one operand (a diagonal)"
            )
        nb = ndim_of(g) - len(out)
        bl = _batch_letters(subscripts, nb)
        others = [s for j, s in enumerate(ins) if j != i]
        seen = set(out) | set("".join(others))
        kept = "".join(c for c in target if c in seen)
        ops = [op for j, op in enumerate(operands) if j != i]
        r = einsum_p(",".join([bl + out, *others]) + "->" + bl + kept, g, *ops)
        if kept != target:
            xs = shape_of(operands[i])
            r = reshape_p(
                r, shape_of(g)[:nb] + tuple(n if c in seen else 1 for c, n in zip(target, xs))
            )
            r = broadcast_to_p(r, shape_of(g)[:nb] + xs)
        return r

    return lambda g, ans, subscripts, *operands: rule(g, subscripts, *operands)


def _einsum_jvp(i):
    def rule(t, ans, subscripts, *operands):
        ins, out = subscripts.split("->")
        ins = ins.split(",")
        nb = ndim_of(t) - len(ins[i])
        bl = _batch_letters(subscripts, nb)
        ins[i] = bl + ins[i]
        ops = list(operands)
        ops[i] = t
        return einsum_p(",".join(ins) + "->" + bl + out, *ops)

    return rule


class _Shifted(dict):
    """einsum's operand ``i`` is positional argument ``i + 1`` (after the subscripts)."""

    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def __missing__(self, k):
        if k == 0:
            raise KeyError(k)
        rule = self[k] = self.factory(k - 1)
        return rule

    def __contains__(self, k):
        return k != 0

    def get(self, k, default=None):
        return default if k == 0 else self[k]


einsum_p.vjps = _Shifted(_einsum_vjp)
einsum_p.jvps = _Shifted(_einsum_jvp)


def _sublist_letters(sub):
    letters = []
    for k in sub:
        if k is Ellipsis:
            letters.append("...")
        elif isinstance(k, int | np.integer) and 0 <= k < 52:
            letters.append(string.ascii_letters[int(k)])
        else:
            msg = f"einsum: sublist entries must be integers in [0, 52) or ..., got {k!r}"
            raise ValueError(msg)
    return "".join(letters)


def _from_sublists(args):
    """``(op0, sub0, op1, sub1, ..., [out])`` as ``(subscripts, operands)``."""
    operands, subs = list(args[0::2]), [_sublist_letters(s) for s in args[1::2]]
    out = None
    if len(args) % 2:
        out = _sublist_letters(operands.pop())
    text = ",".join(subs)
    return (text if out is None else text + "->" + out), operands


def einsum(subscripts: str, *operands: ArrayLike) -> Array:
    """Einstein summation, differentiable in every operand.

    Both of NumPy's forms: ``einsum("ij,jk->ik", a, b)`` (``...`` allowed) and the sublist
    form ``einsum(a, [0, 1], b, [1, 2], [0, 2])`` (integers 0-51 name the axes).
    """
    if not isinstance(subscripts, str):
        subscripts, operands = _from_sublists((subscripts, *operands))
    return einsum_p(_normalize(subscripts, operands), *operands)


def tensordot(
    a: ArrayLike, b: ArrayLike, axes: int | Sequence[int] | Sequence[Sequence[int]] = 2
) -> Array:
    """Sum products over the given axes of ``a`` and ``b`` (as :func:`numpy.tensordot`)."""
    na, nbd = ndim_of(a), ndim_of(b)
    if isinstance(axes, int | np.integer):
        axes_a, axes_b = list(range(na - axes, na)), list(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, int | np.integer) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, int | np.integer) else list(axes_b)
    axes_a = [int(x) % na for x in axes_a]
    axes_b = [int(x) % nbd for x in axes_b]
    letters = iter(string.ascii_letters)
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nbd)]
    for x, y in zip(axes_a, axes_b, strict=True):
        sb[y] = sa[x]
    out = [c for k, c in enumerate(sa) if k not in axes_a] + [
        c for k, c in enumerate(sb) if k not in axes_b
    ]
    return einsum_p("".join(sa) + "," + "".join(sb) + "->" + "".join(out), a, b)


def dot(a: ArrayLike, b: ArrayLike) -> Array:
    """Dot product with NumPy's rules (``matmul`` for 1-D/2-D, ``multiply`` for scalars)."""
    na, nbd = ndim_of(a), ndim_of(b)
    if na == 0 or nbd == 0:
        return multiply(a, b)
    if nbd <= 2:
        return matmul_p(a, b)
    return tensordot(a, b, axes=([na - 1], [nbd - 2]))


def inner(a: ArrayLike, b: ArrayLike) -> Array:
    """Inner product over the last axes of ``a`` and ``b``."""
    if ndim_of(a) == 0 or ndim_of(b) == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


def outer(a: ArrayLike, b: ArrayLike) -> Array:
    """Outer product :math:`a_i b_j` of two arrays (flattened first)."""
    return multiply(reshape_p(a, (-1, 1)), reshape_p(b, (1, -1)))


def vdot(a: ArrayLike, b: ArrayLike) -> Array:
    """Sum of the elementwise products of two arrays of the same size (flattened)."""
    return matmul_p(reshape_p(a, (-1,)), reshape_p(b, (-1,)))
