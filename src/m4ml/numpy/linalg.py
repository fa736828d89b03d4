"""m4ml.numpy.linalg: differentiable linear algebra (``mnp.linalg.det``, ...).

Values are computed by :mod:`m4ml.linalg`; derivative rules (forward and reverse, any order)
are in :mod:`m4ml.autodiff.rules_linalg` and :mod:`m4ml.autodiff.rules_decomp` (Giles 2008;
Townsend 2016). Names, arguments and results follow :mod:`numpy.linalg`.

Functions: det, slogdet, inv, solve, cholesky, eigh, svd, qr, pinv, norm.
"""

import numpy as _np

from m4ml.autodiff import rules_decomp as _rd
from m4ml.autodiff import rules_linalg as _rl
from m4ml.autodiff import rules_reduce as _rr
from m4ml.autodiff.core import primal as _primal
from m4ml.autodiff.core import shape_of as _shape
from m4ml.autodiff.rules_elementwise import UNARY_PRIMS as _U
from m4ml.autodiff.rules_elementwise import multiply as _mul
from m4ml.autodiff.rules_elementwise import power as _pow
from m4ml.linalg import EighResult, LinAlgError, QRResult, SlogdetResult, SVDResult

__all__ = [
    "LinAlgError",
    "cholesky",
    "det",
    "eigh",
    "inv",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
]


def _square(a, name):
    s = _shape(a)
    if len(s) < 2 or s[-1] != s[-2]:
        raise LinAlgError(f"{name} needs a square matrix (or a stack of them), got shape {s}")


def det(a):
    """Determinant of a square matrix (stack); derivative :math:`\\det(A) A^{-\\top}`."""
    _square(a, "det")
    return _rl.det_p(a)


def slogdet(a):
    """``(sign, logabsdet)`` of a square matrix (stack); ``sign`` has no derivative."""
    _square(a, "slogdet")
    sign = _np.sign(_np.asarray(_primal(det(_primal(a)))))
    return SlogdetResult(sign, _rl.logabsdet_p(a))


def inv(a):
    """Inverse of a square matrix (stack); :math:`d(A^{-1}) = -A^{-1}\\,dA\\,A^{-1}`."""
    _square(a, "inv")
    return _rl.inv_p(a)


def solve(a, b):
    """Solution of :math:`Ax = b` (``b`` a vector or a matrix of right-hand sides)."""
    _square(a, "solve")
    return _rl.solve_p(a, b)


def cholesky(a, upper=False):
    """Cholesky factor :math:`L` (lower) of a symmetric positive definite matrix, or
    :math:`L^\\top` with ``upper=True``."""
    _square(a, "cholesky")
    low = _rl.cholesky_p(a)
    return _rl._T(low) if upper else low


def eigh(a, UPLO="L"):
    """Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix (stack).

    The derivative uses :math:`F_{ij} = 1/(w_j - w_i)`, set to 0 between (near-)equal
    eigenvalues (see :mod:`m4ml.autodiff.rules_linalg`). ``UPLO`` is accepted for NumPy
    compatibility; the input must be symmetric.
    """
    _square(a, "eigh")
    p = _rl.eigh_p(a)
    return EighResult(*_rl._unpack(p))


def svd(a, full_matrices=False, compute_uv=True):
    """Reduced singular value decomposition ``(U, S, Vh)``; ``compute_uv=False`` gives S.

    Only the reduced form is differentiable (``full_matrices=False``, the default here,
    unlike NumPy, because the extra columns of a full U are not unique).
    """
    if full_matrices:
        raise ValueError("m4ml.numpy.linalg.svd supports full_matrices=False only")
    s = _shape(a)
    if len(s) < 2:
        raise LinAlgError(f"svd needs a matrix (or a stack), got shape {s}")
    u, sv, vt = _rd.unpack_svd(_rd.svd_p(a), s[-2], s[-1])
    return SVDResult(u, sv, vt) if compute_uv else sv


def qr(a, mode="reduced"):
    """Reduced QR factorization ``(Q, R)``; differentiable for tall or square full-rank A."""
    if mode not in ("reduced", "r"):
        raise ValueError("m4ml.numpy.linalg.qr supports mode='reduced' or 'r'")
    s = _shape(a)
    if len(s) < 2:
        raise LinAlgError(f"qr needs a matrix (or a stack), got shape {s}")
    q, r = _rd.unpack_qr(_rd.qr_p(a), s[-2], s[-1])
    return r if mode == "r" else QRResult(q, r)


def pinv(a):
    """Moore--Penrose pseudo-inverse; the derivative assumes the rank is locally constant."""
    s = _shape(a)
    if len(s) < 2:
        raise LinAlgError(f"pinv needs a matrix (or a stack), got shape {s}")
    return _rl.pinv_p(a)


def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm (as :func:`numpy.linalg.norm`), differentiable.

    Vector orders: None/2, 1, inf, -inf, any p > 0; matrix orders: None/'fro', 'nuc', 1, -1,
    2, -2, inf, -inf (the 2-norms and the nuclear norm through the SVD). The derivative of
    the 2-norm at 0 is undefined (NaN), as in NumPy-based autodiff libraries.
    """
    nd = len(_shape(x))
    if axis is None:
        if ord is None:
            return _U["sqrt"](_rr.sum(_mul(x, x), keepdims=keepdims))
        axis = tuple(range(nd)) if nd <= 2 else None
        if axis is None:
            raise ValueError("norm with an ord needs a 1-D or 2-D input or an explicit axis")
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    if len(axis) == 1:
        return _vector_norm(x, ord, axis[0], keepdims)
    if len(axis) == 2:
        return _matrix_norm(x, ord, axis, keepdims)
    raise ValueError(f"norm: axis must name 1 or 2 axes, got {axis}")


def _vector_norm(x, ord, axis, keepdims):
    a = _U["abs"](x)
    if ord is None or ord == 2:
        return _U["sqrt"](_rr.sum(_mul(x, x), axis=axis, keepdims=keepdims))
    if ord == _np.inf:
        return _rr.max(a, axis=axis, keepdims=keepdims)
    if ord == -_np.inf:
        return _rr.min(a, axis=axis, keepdims=keepdims)
    if ord == 1:
        return _rr.sum(a, axis=axis, keepdims=keepdims)
    if isinstance(ord, int | float) and ord > 0:
        return _pow(_rr.sum(_pow(a, float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)
    raise ValueError(f"unsupported vector norm order {ord!r}")


def _matrix_norm(x, ord, axis, keepdims):
    nd = len(_shape(x))
    r, c = (ax % nd for ax in axis)
    if ord in (None, "fro"):
        return _U["sqrt"](_rr.sum(_mul(x, x), axis=(r, c), keepdims=keepdims))
    if ord in (1, -1, _np.inf, -_np.inf):
        inner, outer = (r, c) if ord in (1, -1) else (c, r)
        sums = _rr.sum(_U["abs"](x), axis=inner, keepdims=True)
        pick = _rr.max if ord in (1, _np.inf) else _rr.min
        out = pick(sums, axis=outer, keepdims=True)
    elif ord in (2, -2, "nuc"):
        from m4ml.autodiff.rules_shape import transpose

        y = transpose(x, [i for i in range(nd) if i not in (r, c)] + [r, c])
        sv = svd(y, compute_uv=False)
        if ord == "nuc":
            out = _rr.sum(sv, axis=-1)
        else:
            out = (_rr.max if ord == 2 else _rr.min)(sv, axis=-1)
        if keepdims:
            from m4ml.autodiff.rules_shape import expand_dims

            out = expand_dims(expand_dims(out, min(r, c)), max(r, c))
        return out
    else:
        raise ValueError(f"unsupported matrix norm order {ord!r}")
    if keepdims:
        return out
    from m4ml.autodiff.rules_shape import squeeze

    return squeeze(out, axis=(r, c))
