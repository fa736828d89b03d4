"""SVD and QR primitives: forward rules from the factorizations, reverse rules by transposition.

Both factorizations return several arrays; each is computed as one *packed* primitive whose
output concatenates the flattened factors along a last axis, and the public functions unpack it
with (differentiable) slicing. The JVP rules are the standard ones (Townsend 2016,
"Differentiating the singular value decomposition"; Walter, Lehmann & Lamour 2012 for QR):

SVD, :math:`A = U \\operatorname{diag}(s) V^\\top` (reduced, :math:`k = \\min(m, n)`), with
:math:`P = U^\\top dA\\, V` and :math:`F_{ij} = 1/(s_j^2 - s_i^2)` (0 on the diagonal):

.. math::

    ds = \\operatorname{diag}(P),\\quad dU = U\\,(F \\circ (P S + S P^\\top))
    + (I - UU^\\top)\\,dA\\,V S^{-1},\\quad
    dV = V\\,(F \\circ (S P + P^\\top S)) + (I - VV^\\top)\\,dA^\\top U S^{-1}.

QR, :math:`A = QR` with :math:`m \\ge n`: with :math:`X = Q^\\top dA\\, R^{-1}` and
:math:`\\Omega = \\operatorname{tril}(X, -1) - \\operatorname{tril}(X, -1)^\\top`,
:math:`dQ = Q(\\Omega - X) + dA R^{-1}` and :math:`dR = (X - \\Omega) R`.

A JVP rule is linear in the tangent, so its VJP is its transpose, which reverse mode computes
exactly by differentiating the rule itself (:func:`_transposed`); second derivatives work
because the rule is written with differentiable primitives. The rules need distinct nonzero
singular values (repeated ones: the corresponding :math:`F_{ij}` are set to 0, as for eigh) and,
for QR, a full-rank tall or square matrix.
"""

import numpy as np

from m4ml.autodiff.core import Primitive, primal, shape_of
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_elementwise import NONDIFF, abs_, divide, multiply, where_p
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import subtract as _sub
from m4ml.autodiff.rules_linalg import _T, _keep, inv_p
from m4ml.autodiff.rules_shape import concat_p, getitem_p, reshape_p
from m4ml.linalg import qr as _qr
from m4ml.linalg import svd as _svd


def _transposed(jvp_rule):
    """The VJP of a primitive whose JVP rule (linear in the tangent) is ``jvp_rule``."""
    from m4ml.autodiff.transforms import _vjp

    def vjp_rule(g, ans, a):
        zero = np.zeros(shape_of(a), dtype=primal(a).dtype)
        _, fn, _ = _vjp(lambda t: jvp_rule(t, ans, a), (zero,))
        return fn(g)[0]

    return vjp_rule


def _flat(x):
    s = shape_of(x)
    return reshape_p(x, (*s[:-2], s[-2] * s[-1]))


def _take(p, lo, hi, shape):
    return reshape_p(getitem_p(p, (Ellipsis, slice(lo, hi))), shape_of(p)[:-1] + shape)


def _pack(*parts):
    return concat_p(*parts, axis=-1)


# -- SVD --------------------------------------------------------------------------------------
def _svd_impl(a):
    u, s, vt = _svd(a, full_matrices=False)
    m, n = np.shape(a)[-2:]
    k = min(m, n)
    stack = np.shape(a)[:-2]
    packed = np.concatenate([u.reshape((*stack, m * k)), s, vt.reshape((*stack, k * n))], axis=-1)
    return _keep(packed, a)


svd_p = Primitive(_svd_impl, "svd", keep_args=False)


def unpack_svd(p, m, n):
    """(U, s, Vt) from the packed SVD ``p`` of an m x n matrix (stack)."""
    k = min(m, n)
    return (
        _take(p, 0, m * k, (m, k)),
        getitem_p(p, (Ellipsis, slice(m * k, m * k + k))),
        _take(p, m * k + k, m * k + k + k * n, (k, n)),
    )


def svd_factors(a):
    """The reduced SVD ``(U, s, Vt)`` of a matrix (stack), differentiable."""
    m, n = shape_of(a)[-2:]
    return unpack_svd(svd_p(a), m, n)


def _gap_inverse(s):
    sh = shape_of(s)
    s2 = multiply(s, s)
    d = _sub(reshape_p(s2, (*sh[:-1], 1, sh[-1])), reshape_p(s2, (*sh, 1)))
    tol = 1e-9 * max(float(np.max(np.abs(primal(s2)), initial=0.0)), 1e-300)
    far = NONDIFF["greater"](abs_(d), tol)
    return where_p(far, divide(1.0, where_p(far, d, 1.0)), 0.0)


def _svd_jvp(t, ans, a):
    m, n = shape_of(a)[-2:]
    u, s, vt = unpack_svd(ans, m, n)
    v = _T(vt)
    k = min(m, n)
    p = matmul_p(matmul_p(_T(u), t), v)
    idx = np.arange(k)
    ds = getitem_p(p, (Ellipsis, idx, idx))
    f = _gap_inverse(s)
    srow = reshape_p(s, (*shape_of(s)[:-1], 1, k))
    scol = reshape_p(s, (*shape_of(s), 1))
    ps = multiply(p, srow)
    sp = multiply(scol, p)
    du = matmul_p(u, multiply(f, _add(ps, _T(ps))))
    dv = matmul_p(v, multiply(f, _add(sp, _T(sp))))
    if m > k:
        tv = matmul_p(t, v)
        du = _add(du, divide(_sub(tv, matmul_p(u, matmul_p(_T(u), tv))), srow))
    if n > k:
        tu = matmul_p(_T(t), u)
        dv = _add(dv, divide(_sub(tu, matmul_p(v, matmul_p(vt, tu))), srow))
    return _pack(_flat(du), ds, _flat(_T(dv)))


svd_p.defjvp(_svd_jvp)
svd_p.defvjp(_transposed(_svd_jvp))


# -- QR ---------------------------------------------------------------------------------------
def _qr_impl(a):
    q, r = _qr(a, mode="reduced")
    m, n = np.shape(a)[-2:]
    stack = np.shape(a)[:-2]
    k = min(m, n)
    packed = np.concatenate([q.reshape((*stack, m * k)), r.reshape((*stack, k * n))], axis=-1)
    return _keep(packed, a)


qr_p = Primitive(_qr_impl, "qr", keep_args=False)


def unpack_qr(p, m, n):
    """(Q, R) from the packed reduced QR ``p`` of an m x n matrix (stack)."""
    k = min(m, n)
    return _take(p, 0, m * k, (m, k)), _take(p, m * k, m * k + k * n, (k, n))


def _qr_jvp(t, ans, a):
    m, n = shape_of(a)[-2:]
    if m < n:
        raise NotImplementedError("the derivative of qr is implemented for m >= n (tall or square)")
    q, r = unpack_qr(ans, m, n)
    t_rinv = matmul_p(t, inv_p(r))
    x = matmul_p(_T(q), t_rinv)
    low = multiply(x, np.tril(np.ones((n, n)), -1).astype(primal(a).dtype))
    omega = _sub(low, _T(low))
    dq = _add(matmul_p(q, _sub(omega, x)), t_rinv)
    dr = matmul_p(_sub(x, omega), r)
    return _pack(_flat(dq), _flat(dr))


qr_p.defjvp(_qr_jvp)
qr_p.defvjp(_transposed(_qr_jvp))
