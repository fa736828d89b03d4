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
  L^{-\\top}\\Phi(L^\\top \\bar L)L^{-1})`.

The eigen-decompositions are in :mod:`m4ml.autodiff.rules_eig`, the SVD and QR in
:mod:`m4ml.autodiff.rules_decomp`. Cholesky reads the symmetric part of its tangent, and its
VJP returns a symmetric cotangent. The rules are written with the differentiable primitives, so
second derivatives work; all of them accept stacks ``(..., n, n)`` and leading batch axes.
"""

import numpy as np

from m4ml.autodiff.core import Primitive, ndim_of, shape_of
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import multiply, negative
from m4ml.autodiff.rules_elementwise import subtract as _sub
from m4ml.autodiff.rules_reduce import sum_p
from m4ml.autodiff.rules_shape import reshape_p, transpose_p
from m4ml.linalg import cholesky as _cholesky
from m4ml.linalg import det as _det
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
