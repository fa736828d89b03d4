"""Eigen-decompositions as primitives with two results: ``eigh`` (symmetric) and ``eig`` (general,
real spectrum).

**eigh.** The forward pass reads one triangle (``UPLO``), as LAPACK and NumPy do: it
decomposes :math:`S = \\operatorname{tril}(A) + \\operatorname{tril}(A, -1)^\\top` (for
``"L"``). With :math:`S = V\\operatorname{diag}(w)V^\\top`, :math:`M = V^\\top dS\\, V` and
:math:`F_{ij} = 1/(w_j - w_i)` (:math:`F_{ii} = 0`):

.. math:: dw = \\operatorname{diag}(M), \\qquad dV = V(F\\circ M),

and in reverse mode, with :math:`G = V(\\operatorname{diag}(\\bar w) + F\\circ V^\\top\\bar V)
V^\\top` symmetrized, the cotangent of the triangle actually read is
:math:`\\bar A = \\operatorname{tril}(2G, -1) + \\operatorname{diag}(G)` (zero on the other
triangle). This is the derivative of the function *as computed*: an off-diagonal entry of the
read triangle stands for both :math:`S_{ij}` and :math:`S_{ji}`. For symmetric inputs the
convention to keep in mind: a symmetric perturbation :math:`E` changes the result by
:math:`\\langle \\bar A, E\\rangle`, the same number as for the symmetrized gradient
:math:`G`; ``grad`` returns :math:`\\bar A`, not :math:`G` (``(g + g.T) / 2`` gives :math:`G`).

**Close and repeated eigenvalues.** :math:`F_{ij} = 1/(w_j - w_i)` is used wherever the gap is
larger than rounding, :math:`|w_j - w_i| > n\\varepsilon\\max|w|` — a gap of
:math:`10^{-10}\\max|w|` gives derivatives of order :math:`10^{10}`, as the mathematics does.
Gaps below that are treated as an exactly repeated eigenvalue, whose eigenvectors are not
unique: for a function that does not depend on the basis chosen inside the eigenspace
(functions of the eigenvalues, spectral projectors) the terms cancel and :math:`F_{ij} = 0`
is exact; for a basis-dependent function the derivative does not exist, and reverse mode
returns NaN in the affected gradient (detected from the antisymmetric part of
:math:`V^\\top\\bar V` on the degenerate pairs). Forward mode cannot see the function
downstream and uses :math:`F_{ij} = 0` (exact for basis-invariant functions).

**eig.** For a diagonalizable real matrix with real eigenvalues, :math:`AV = V\\Lambda`,
:math:`P = V^{-1} dA\\, V`: :math:`d\\lambda = \\operatorname{diag}(P)`, and with the unit-norm
normalization of the columns, :math:`dV = V(F\\circ P) - V\\operatorname{diag}(V^\\top V(F\\circ
P))`. The VJP is the transpose of this linear map, computed by reverse-differentiating it.
Complex spectra are returned on plain arrays but cannot be differentiated (m4ml's automatic
differentiation is real).
"""

import numpy as np

from m4ml.autodiff.core import Primitive, primal, shape_of
from m4ml.autodiff.rules_contract import matmul_p
from m4ml.autodiff.rules_decomp import _transposed
from m4ml.autodiff.rules_elementwise import NONDIFF, abs_, divide, multiply, where_p
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import subtract as _sub
from m4ml.autodiff.rules_linalg import _T, _keep, _sym, inv_p
from m4ml.autodiff.rules_reduce import sum_p
from m4ml.autodiff.rules_shape import getitem_p, reshape_p
from m4ml.linalg import eig as _eig
from m4ml.linalg import eigh as _eigh


def _gaps(w):
    """``(d, far)``: :math:`d_{ij} = w_j - w_i` and where it exceeds rounding."""
    s = shape_of(w)
    d = _sub(reshape_p(w, (*s[:-1], 1, s[-1])), reshape_p(w, (*s, 1)))
    wv = np.abs(np.asarray(primal(w)))
    tol = s[-1] * np.finfo(float).eps * max(float(wv.max(initial=0.0)), 1e-300)
    return d, NONDIFF["greater"](abs_(d), tol)


def _f_matrix(w):
    """:math:`F_{ij} = 1/(w_j - w_i)`, 0 on the diagonal and between repeated eigenvalues."""
    d, far = _gaps(w)
    return where_p(far, divide(1.0, where_p(far, d, 1.0)), 0.0)


def _diag(m):
    n = shape_of(m)[-1]
    idx = np.arange(n)
    return getitem_p(m, (Ellipsis, idx, idx))


def _read_triangle(t, uplo):
    """The symmetric matrix built from the triangle ``uplo`` of ``t`` (batch axes allowed)."""
    n = shape_of(t)[-1]
    low = np.tri(n, dtype=bool) if uplo == "L" else ~np.tri(n, k=-1, dtype=bool)
    strict = low & ~np.eye(n, dtype=bool)
    part = where_p(low, t, 0.0)
    return _add(part, _T(where_p(strict, t, 0.0)))


# -- eigh -------------------------------------------------------------------------------------
def _eigh_impl(a, uplo):
    w, v = _eigh(a, UPLO=uplo)
    return _keep(w, a), _keep(v, a)


eigh_p = Primitive(_eigh_impl, "eigh", keep_args=False, multiple_results=True)


def _eigh_jvp(t, ans, a, uplo):
    w, v = ans
    m = matmul_p(matmul_p(_T(v), _read_triangle(t, uplo)), v)
    return _diag(m), matmul_p(v, multiply(_f_matrix(w), m))


def _basis_dependence(x, far, w):
    """NaN where a repeated-eigenvalue pair meets a basis-dependent cotangent, else 0."""
    xv = np.asarray(primal(x))
    skew = np.abs(xv - np.swapaxes(xv, -1, -2))
    scale = np.max(np.abs(xv), axis=(-2, -1), keepdims=True)
    n = xv.shape[-1]
    degenerate = ~np.asarray(far) & ~np.eye(n, dtype=bool)
    bad = degenerate & (skew > np.sqrt(np.finfo(float).eps) * scale)
    return np.where(bad, np.nan, 0.0) if bad.any() else None


def _eigh_vjp(g, ans, a, uplo):
    w, v = ans
    gw, gv = g
    x = matmul_p(_T(v), gv)
    d, far = _gaps(w)
    f = where_p(far, divide(1.0, where_p(far, d, 1.0)), 0.0)
    inner = multiply(f, x)
    nan = _basis_dependence(x, far, w)
    if nan is not None:
        inner = _add(inner, nan)
    n = shape_of(w)[-1]
    inner = _add(inner, multiply(reshape_p(gw, (*shape_of(gw), 1)), np.eye(n, dtype=gw.dtype)))
    gs = _sym(matmul_p(matmul_p(v, inner), _T(v)))
    low = np.tri(n, dtype=bool) if uplo == "L" else ~np.tri(n, k=-1, dtype=bool)
    diag = np.eye(n, dtype=bool)
    return where_p(low, where_p(diag, gs, multiply(gs, 2.0)), 0.0)


eigh_p.defvjp(_eigh_vjp)
eigh_p.defjvp(_eigh_jvp)


# -- eig (real spectrum) ----------------------------------------------------------------------
def _eig_impl(a):
    w, v = _eig(a)
    if np.iscomplexobj(w):
        raise NotImplementedError(
            "eig of a matrix with complex eigenvalues cannot be differentiated: m4ml's "
            "automatic differentiation is real (use eigh for symmetric matrices)"
        )
    return _keep(w, a), _keep(v, a)


eig_p = Primitive(_eig_impl, "eig", keep_args=False, multiple_results=True)


def _eig_jvp(t, ans, a):
    w, v = ans
    p = matmul_p(matmul_p(inv_p(v), t), v)
    dv = matmul_p(v, multiply(_f_matrix(w), p))
    along = sum_p(multiply(v, dv), axis=-2, keepdims=True)  # v_i . dv_i for unit columns
    return _diag(p), _sub(dv, multiply(v, along))


eig_p.defjvp(_eig_jvp)
eig_p.defvjp(_transposed(_eig_jvp))
