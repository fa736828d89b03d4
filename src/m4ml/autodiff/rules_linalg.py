"""Linear-algebra primitives (values from m4ml.linalg) with matrix-calculus VJP/JVP rules.

The rules follow Giles (2008), "An extended collection of matrix derivative results for
forward and reverse mode algorithmic differentiation". With :math:`\\langle X, Y\\rangle =
\\operatorname{tr}(X^\\top Y)` and :math:`C = A^{-1}`:

* :math:`d\\det A = \\det A \\operatorname{tr}(C\\,dA)`, so
  :math:`\\bar A = \\bar d \\det(A) C^\\top`;
  :math:`d\\log|\\det A| = \\operatorname{tr}(C\\, dA)`;
* :math:`dC = -C\\,dA\\,C`, :math:`\\bar A = -C^\\top \\bar C C^\\top`;
* :math:`x = A^{-1}b`: :math:`\\bar b = A^{-\\top}\\bar x`, :math:`\\bar A = -\\bar b x^\\top`;
* Cholesky :math:`A = LL^\\top`: :math:`dL = L\\,\\Phi(L^{-1} dA L^{-\\top})` with :math:`\\Phi`
  taking the lower triangle and halving the diagonal; :math:`\\bar A = \\operatorname{sym}(
  L^{-\\top}\\Phi(L^\\top \\bar L)L^{-1})`;
* symmetric eigenproblem :math:`A = V \\operatorname{diag}(w) V^\\top`:
  :math:`dw = \\operatorname{diag}(V^\\top dA V)`, :math:`dV = V (F \\circ V^\\top dA V)`
  with :math:`F_{ij} = 1/(w_j - w_i)`,
  :math:`F_{ii} = 0`;
  :math:`\\bar A = V(\\operatorname{diag}(\\bar w) + F\\circ V^\\top\\bar V)V^\\top`
  (symmetrized). At (near-)degenerate eigenvalues, :math:`|w_j - w_i| \\le 10^{-9}\\,\\max|w|`,
  :math:`F_{ij}` is set to 0: eigenvectors of a repeated eigenvalue are not unique, and this
  choice is exact for functions that do not depend on the basis chosen inside the eigenspace
  (functions of the eigenvalues, projectors), instead of returning inf/NaN.

Symmetric-input primitives (cholesky, eigh) read the symmetric part of their tangent, and their
VJPs return symmetric cotangents. The rules are written with the differentiable primitives, so
second derivatives work; all of them accept stacks ``(..., n, n)`` and leading batch axes.
"""

import numpy as np

from m4ml.autodiff.core import Primitive, ndim_of, shape_of
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_elementwise import NONDIFF, abs_, divide, multiply, negative, where_p
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import subtract as _sub
from m4ml.autodiff.rules_reduce import sum_p
from m4ml.autodiff.rules_shape import concat_p, getitem_p, reshape_p, transpose_p
from m4ml.linalg import cholesky as _cholesky
from m4ml.linalg import det as _det
from m4ml.linalg import eigh as _eigh
from m4ml.linalg import inv as _inv
from m4ml.linalg import pinv as _pinv
from m4ml.linalg import slogdet as _slogdet
from m4ml.linalg import solve as _solve


def _keep(x, a):
    dt = np.asarray(a).dtype
    return np.asarray(x).astype(dt if dt.kind == "f" else np.float64, copy=False)


def _T(a):
    nd = ndim_of(a)
    return transpose_p(a, (*tuple(range(nd - 2)), nd - 1, nd - 2))


def _sym(x):
    return multiply(_add(x, _T(x)), 0.5)


def _mat(g):
    """A per-matrix scalar (batch + stack) reshaped to broadcast against (..., n, n)."""
    return reshape_p(g, (*shape_of(g), 1, 1))


def _trace_prod(a, b):
    """tr(a^T b) over the last two axes (batch-polymorphic)."""
    return sum_p(multiply(a, b), axis=(-2, -1))


# -- inverse, determinant ---------------------------------------------------------------------
inv_p = Primitive(lambda a: _keep(_inv(a), a), "inv", keep_args=False)
inv_p.defvjp(lambda g, ans, a: negative(matmul_p(matmul_p(_T(ans), g), _T(ans))))
inv_p.defjvp(lambda t, ans, a: negative(matmul_p(matmul_p(ans, t), ans)))

det_p = Primitive(lambda a: _keep(_det(a), a), "det")
det_p.defvjp(lambda g, ans, a: multiply(_mat(multiply(g, ans)), _T(inv_p(a))))
det_p.defjvp(lambda t, ans, a: multiply(ans, _trace_prod(_T(inv_p(a)), t)))

logabsdet_p = Primitive(lambda a: _keep(_slogdet(a).logabsdet, a), "logabsdet", keep_ans=False)
logabsdet_p.defvjp(lambda g, ans, a: multiply(_mat(g), _T(inv_p(a))))
logabsdet_p.defjvp(lambda t, ans, a: _trace_prod(_T(inv_p(a)), t))


# -- solve ------------------------------------------------------------------------------------
def _solve_impl(a, b):
    return _keep(_solve(a, b), a)


solve_p = Primitive(_solve_impl, "solve")


def _is_vec(b):
    return ndim_of(b) == 1


def _solve_vjp_b(g, ans, a, b):
    c = inv_p(a)
    return matmul_p(g, c) if _is_vec(b) else matmul_p(_T(c), g)


def _solve_vjp_a(g, ans, a, b):
    gb = _solve_vjp_b(g, ans, a, b)
    if _is_vec(b):
        s = shape_of(gb)
        return negative(multiply(reshape_p(gb, (*s, 1)), reshape_p(ans, (1, shape_of(ans)[-1]))))
    return negative(matmul_p(gb, _T(ans)))


def _solve_jvp_a(t, ans, a, b):
    c = inv_p(a)
    if _is_vec(b):
        return negative(matmul_p(matmul_p(t, ans), _T(c)))
    return negative(matmul_p(c, matmul_p(t, ans)))


def _solve_jvp_b(t, ans, a, b):
    c = inv_p(a)
    return matmul_p(t, _T(c)) if _is_vec(b) else matmul_p(c, t)


solve_p.defvjp(_solve_vjp_a, _solve_vjp_b)
solve_p.defjvp(_solve_jvp_a, _solve_jvp_b)


# -- cholesky ---------------------------------------------------------------------------------
def _phi_mask(n, dtype):
    return (np.tril(np.ones((n, n))) - 0.5 * np.eye(n)).astype(dtype)


cholesky_p = Primitive(lambda a: _keep(_cholesky(a), a), "cholesky", keep_args=False)


def _cholesky_vjp(g, ans, a):
    linv = inv_p(ans)
    mask = _phi_mask(shape_of(a)[-1], g.dtype)
    p = multiply(matmul_p(_T(ans), g), mask)
    return _sym(matmul_p(matmul_p(_T(linv), p), linv))


def _cholesky_jvp(t, ans, a):
    linv = inv_p(ans)
    mask = _phi_mask(shape_of(a)[-1], t.dtype)
    x = matmul_p(matmul_p(linv, _sym(t)), _T(linv))
    return matmul_p(ans, multiply(x, mask))


cholesky_p.defvjp(_cholesky_vjp)
cholesky_p.defjvp(_cholesky_jvp)


# -- eigh (eigenvalues and eigenvectors packed in one array) ----------------------------------
def _eigh_packed_impl(a):
    w, v = _eigh(a)
    return _keep(np.concatenate([w[..., None, :], v], axis=-2), a)


eigh_p = Primitive(_eigh_packed_impl, "eigh", keep_args=False)


def _unpack(p):
    return getitem_p(p, (Ellipsis, 0, slice(None))), getitem_p(
        p, (Ellipsis, slice(1, None), slice(None))
    )


def _f_matrix(w):
    """F_ij = 1/(w_j - w_i), 0 on the diagonal and between (near-)degenerate eigenvalues."""
    s = shape_of(w)
    d = _sub(reshape_p(w, (*s[:-1], 1, s[-1])), reshape_p(w, (*s, 1)))
    wv = np.abs(np.asarray(_primal_value(w)))
    tol = 1e-9 * max(float(wv.max(initial=0.0)), 1e-300)
    far = NONDIFF["greater"](abs_(d), tol)
    return where_p(far, divide(1.0, where_p(far, d, 1.0)), 0.0)


def _primal_value(x):
    from m4ml.autodiff.core import primal

    return primal(x)


def _eigh_vjp(g, ans, a):
    w, v = _unpack(ans)
    gw, gv = _unpack(g)
    inner = multiply(_f_matrix(w), matmul_p(_T(v), gv))
    n = shape_of(w)[-1]
    eye = np.eye(n, dtype=g.dtype)
    inner = _add(inner, multiply(reshape_p(gw, (*shape_of(gw), 1)), eye))
    return _sym(matmul_p(matmul_p(v, inner), _T(v)))


def _eigh_jvp(t, ans, a):
    w, v = _unpack(ans)
    m = matmul_p(matmul_p(_T(v), _sym(t)), v)
    n = shape_of(w)[-1]
    idx = np.arange(n)
    dw = getitem_p(m, (Ellipsis, idx, idx))
    dv = matmul_p(v, multiply(_f_matrix(w), m))
    return concat_p(reshape_p(dw, (*shape_of(dw)[:-1], 1, n)), dv, axis=-2)


eigh_p.defvjp(_eigh_vjp)
eigh_p.defjvp(_eigh_jvp)


# -- pinv (constant rank; Golub & Pereyra 1973) -----------------------------------------------
pinv_p = Primitive(lambda a: _keep(_pinv(a), a), "pinv")


def _projectors(a, p):
    m, n = shape_of(a)[-2:]
    pa = _sub(np.eye(m), matmul_p(a, p))  # I - A A+
    ap = _sub(np.eye(n), matmul_p(p, a))  # I - A+ A
    return pa, ap


def _pinv_jvp(t, ans, a):
    pa, ap = _projectors(a, ans)
    tt = _T(t)
    r = negative(matmul_p(matmul_p(ans, t), ans))
    r = _add(r, matmul_p(matmul_p(matmul_p(ans, _T(ans)), tt), pa))
    return _add(r, matmul_p(matmul_p(ap, tt), matmul_p(_T(ans), ans)))


def _pinv_vjp(g, ans, a):
    pa, ap = _projectors(a, ans)
    gt = _T(g)
    r = negative(matmul_p(matmul_p(_T(ans), g), _T(ans)))
    r = _add(r, matmul_p(matmul_p(pa, gt), matmul_p(ans, _T(ans))))
    return _add(r, matmul_p(matmul_p(_T(ans), ans), matmul_p(gt, ap)))


pinv_p.defvjp(_pinv_vjp)
pinv_p.defjvp(_pinv_jvp)
