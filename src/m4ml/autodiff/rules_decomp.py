"""SVD and QR primitives: forward rules from the factorizations, reverse rules by transposition.

Both are primitives with several results (``multiple_results=True``): each factor is traced on
its own, the JVP rule returns the tuple of factor tangents and the VJP rule receives the tuple
of factor cotangents (zeros for unused factors). The JVP rules are the standard ones (Townsend 2016,
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
for QR, a full-rank tall or square matrix. Singular values closer than rounding
(:math:`|s_j^2 - s_i^2| \\le k\\,\varepsilon\\max s^2`) count as repeated.
"""

import numpy as np

from m4ml.autodiff.core import Primitive, primal, shape_of
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_elementwise import NONDIFF, abs_, divide, multiply, where_p
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import subtract as _sub
from m4ml.autodiff.rules_linalg import _T, _keep, inv_p
from m4ml.autodiff.rules_shape import getitem_p, reshape_p
from m4ml.linalg import qr as _qr
from m4ml.linalg import svd as _svd


def _transposed(jvp_rule):
    """The VJP of a primitive whose JVP rule (linear in the tangent) is ``jvp_rule``."""
    from m4ml.autodiff.transforms import _vjp

    def vjp_rule(g, ans, a):
        zero = np.zeros(shape_of(a), dtype=primal(a).dtype)
        _, fn, _ = _vjp(lambda t: jvp_rule(t, ans, a), (zero,))
        return fn(tuple(g))[0]

    return vjp_rule


# -- SVD --------------------------------------------------------------------------------------
def _svd_impl(a):
    u, s, vt = _svd(a, full_matrices=False)
    return _keep(u, a), _keep(s, a), _keep(vt, a)


svd_p = Primitive(_svd_impl, "svd", keep_args=False, multiple_results=True)


def svd_factors(a):
    """The reduced SVD ``(U, s, Vt)`` of a matrix (stack), differentiable."""
    return svd_p(a)


def _gap_inverse(s):
    sh = shape_of(s)
    s2 = multiply(s, s)
    d = _sub(reshape_p(s2, (*sh[:-1], 1, sh[-1])), reshape_p(s2, (*sh, 1)))
    k = sh[-1]
    tol = k * np.finfo(float).eps * max(float(np.max(np.abs(primal(s2)), initial=0.0)), 1e-300)
    far = NONDIFF["greater"](abs_(d), tol)
    return where_p(far, divide(1.0, where_p(far, d, 1.0)), 0.0)


def _svd_jvp(t, ans, a):
    m, n = shape_of(a)[-2:]
    u, s, vt = ans
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
    return du, ds, _T(dv)


svd_p.defjvp(_svd_jvp)
svd_p.defvjp(_transposed(_svd_jvp))


# -- QR ---------------------------------------------------------------------------------------
def _qr_impl(a):
    q, r = _qr(a, mode="reduced")
    return _keep(q, a), _keep(r, a)


qr_p = Primitive(_qr_impl, "qr", keep_args=False, multiple_results=True)


def _qr_jvp(t, ans, a):
    m, n = shape_of(a)[-2:]
    if m < n:
        raise NotImplementedError("the derivative of qr is implemented for m >= n (tall or square)")
    q, r = ans
    t_rinv = matmul_p(t, inv_p(r))
    x = matmul_p(_T(q), t_rinv)
    low = multiply(x, np.tril(np.ones((n, n)), -1).astype(primal(a).dtype))
    omega = _sub(low, _T(low))
    dq = _add(matmul_p(q, _sub(omega, x)), t_rinv)
    dr = matmul_p(_sub(x, omega), r)
    return dq, dr


qr_p.defjvp(_qr_jvp)
qr_p.defvjp(_transposed(_qr_jvp))
