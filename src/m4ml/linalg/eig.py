"""Eigenvalues and eigenvectors of a general (nonsymmetric) real square matrix."""

from typing import NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_square_stack
from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml._core.stack import map_stack
from m4ml._core.validation import keeps_float32
from m4ml.linalg._schur_eigenvectors import _quasi_triangular_eigenvectors
from m4ml.linalg.balance import _balance
from m4ml.linalg.hessenberg import _reduce_inplace
from m4ml.linalg.schur import _francis_qr, _unit_exponent

_EPS = float(np.finfo(np.float64).eps)
# The whole computation runs on the matrix scaled (exactly, by a power of two) so that max|a| is
# about 2**_WORK_EXP ~ 2.9e135, like LAPACK's dgeev, which scales into [1e-138, 1e138]: the
# largest size at which a product of two entries cannot overflow, so the most room is left
# below for small entries. (Scaled to unit size, a coupling a_ij * a_ji of 1e-305, which decides
# an eigenvector, fell below the QR iteration's underflow floor and was deflated.)
_WORK_EXP = 450


class EigResult(NamedTuple):
    """Result of :func:`eig`: ``eigenvalues`` (n,) and ``eigenvectors`` (n, n), columns."""

    eigenvalues: np.ndarray
    eigenvectors: np.ndarray


def _undo_scaling(d, v):
    """``diag(d) @ v`` with each column rescaled by a power of two so that nothing overflows.

    ``d`` holds powers of two (balancing); an entry times ``d_i`` is an exponent shift, so the
    column's largest ``|v_ij| d_i`` is brought to about 1 exactly, before any product is
    formed. (The direction is all that matters: columns are normalized afterwards.)
    """
    if v.size == 0:
        return v
    e = np.frexp(d)[1] - 1  # d_i = 2**e_i exactly
    mag = np.abs(v)
    with np.errstate(divide="ignore"):
        top = np.where(mag > 0, np.frexp(mag)[1] + e[:, None], np.iinfo(np.int32).min)
    shift = e[:, None] - top.max(axis=0)[None, :]
    shift = np.maximum(shift, -2000)  # a zero column: nothing to scale
    if np.iscomplexobj(v):
        return np.ldexp(v.real, shift) + 1j * np.ldexp(v.imag, shift)
    return np.ldexp(v, shift)


def _normalize_columns(v):
    """Unit 2-norm columns whose largest-modulus entry is real and positive."""
    if v.size == 0:
        return v
    mags = np.abs(v)
    idx = np.argmax(mags, axis=0)
    cols = np.arange(v.shape[1])
    peak = v[idx, cols]
    scaled = v / peak  # largest entry becomes exactly 1 (phase and size fixed at once)
    scaled[idx, cols] = 1.0
    return scaled / np.sqrt(np.sum(np.abs(scaled) ** 2, axis=0))


def _scale_back(w, k):
    """``w * 2**k`` for complex ``w`` (exact); LinAlgError if an eigenvalue overflows."""
    w = np.asarray(w, dtype=np.complex128)
    with np.errstate(over="ignore"):
        out = np.ldexp(w.real, k) + 1j * np.ldexp(w.imag, k)
    if not np.isfinite(out).all():
        raise LinAlgError(
            "an eigenvalue of a overflows float64 (its modulus exceeds 1.8e308); scale a "
            "down and scale the eigenvalues back"
        )
    return out


def _eig_single(a, want_vectors):
    """Eigenvalues (complex, length n) and optionally eigenvectors of one square matrix.

    With eigenvectors, the backward error of every computed pair is measured on ``a`` itself;
    if balancing made one larger than ``10 n eps |a|_F`` (the diagonal scaling ``D`` can
    magnify an error that is negligible for the balanced matrix), the decomposition is redone
    with the permutation only and the run with the smaller worst backward error is kept.
    """
    w, v = _eig_attempt(a, want_vectors, scale=True)
    if not want_vectors or a.shape[0] < 2:
        return w, v
    res, tol = _pair_residuals(a, w, v)
    if res <= tol:
        return w, v
    try:
        w2, v2 = _eig_attempt(a, True, scale=False)
    except LinAlgError:  # unbalanced, the iteration may not converge: keep the balanced run
        return w, v
    res2, _ = _pair_residuals(a, w2, v2)
    return (w2, v2) if res2 < res else (w, v)


def _pair_residuals(a, w, v):
    """``(max_j |a v_j - w_j v_j|, 10 n eps |a|_F)``, on ``a`` scaled to unit size (exact)."""
    k = _unit_exponent(a)
    s = np.ldexp(a, -k)
    ws = np.ldexp(w.real, -k) + 1j * np.ldexp(w.imag, -k)
    r = s @ v - v * ws
    res = float(np.sqrt((r.real**2 + r.imag**2).sum(axis=0)).max())
    return res, 10.0 * a.shape[0] * _EPS * float(np.sqrt((s * s).sum()))


def _eig_attempt(a, want_vectors, scale):
    """Balance (permute, and scale if ``scale``), reduce, iterate, back-substitute."""
    n = a.shape[0]
    # Scale by a power of two (exact) so that max|a| is about 2**_WORK_EXP: the QR iteration's
    # tests for negligible entries and its shift formulas then neither underflow nor overflow,
    # and small couplings stay above its underflow floor (see _WORK_EXP).
    unit = _unit_exponent(a) - _WORK_EXP
    h = np.ldexp(a, -unit)
    perm, d, lo, hi = _balance(h, scale=scale)
    z = np.eye(n) if want_vectors else None
    _reduce_inplace(h, lo, hi, z)
    # unbalanced (the rerun), the normwise deflation test: backward stable for a itself
    wr, wi = _francis_qr(h, z, lo, hi, want_t=want_vectors, relative=scale)
    w = _scale_back(wr + 1j * wi, unit)
    if not want_vectors:
        return w, None
    if n > 2:
        h[np.tril_indices(n, -2)] = 0.0
    y, starts, sizes, lam = _quasi_triangular_eigenvectors(h)
    v = _undo_scaling(d, z @ y)  # eigenvectors of the balanced matrix, then undo D
    vx = np.empty_like(v)
    vx[perm] = v  # undo the permutation
    vx = _normalize_columns(vx)
    out = np.zeros((n, n), dtype=np.complex128)
    w = np.zeros(n, dtype=np.complex128)
    for j, (k, size) in enumerate(zip(starts, sizes, strict=True)):
        out[:, k] = vx[:, j]
        w[k] = _scale_back(lam[j], unit)
        if size == 2:
            out[:, k + 1] = np.conj(vx[:, j])
            w[k + 1] = np.conj(w[k])
    return w, out


def _run(a, want_vectors):
    arr = as_square_stack(a, "a")
    if want_vectors:
        ws, vs = map_stack(lambda m: _eig_single(m, True), arr)
    else:
        ws, vs = map_stack(lambda m: _eig_single(m, False)[0], arr), None
    ws = np.asarray(ws, dtype=np.complex128)
    vs = None if vs is None else np.asarray(vs, dtype=np.complex128)
    if not np.any(ws.imag):  # all eigenvalues real: real output, as numpy does
        ws = ws.real.copy()
        if want_vectors:
            vs = vs.real.copy()
    return ws, vs


@keeps_float32("a")
def eig(a: ArrayLike) -> EigResult:
    """Eigenvalues and right eigenvectors of a real square matrix.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Real square matrix or stack of matrices (need not be symmetric).

    Returns
    -------
    EigResult
        Named tuple ``(eigenvalues, eigenvectors)``:

        eigenvalues : ndarray, shape (..., n)
            Real (float64) when every eigenvalue of the stack is real, complex128 otherwise.
            Complex-conjugate pairs are adjacent, the one with positive imaginary part first.
            The order is that of the diagonal of the real Schur form, not sorted.
        eigenvectors : ndarray, shape (..., n, n)
            Column ``v[:, i]`` satisfies :math:`A v_i = \\lambda_i v_i`. Each column has unit
            2-norm and its entry of largest modulus is real and positive (this fixes the
            sign, and for complex vectors the phase); the columns of a conjugate pair are
            conjugates. Real/complex like ``eigenvalues``.

    Raises
    ------
    LinAlgError
        If ``a`` is not square (or not at least 2-D), or the QR iteration does not converge
        within 30 iterations per eigenvalue (the count is named in the message).
    TypeError
        Complex or non-numeric input.
    ValueError
        NaN or infinity in ``a``.

    Notes
    -----
    1. **Balance** (:mod:`m4ml.linalg.balance`): :math:`B = D^{-1} P^T A P D` with a
       permutation :math:`P` isolating eigenvalues and a diagonal :math:`D` of powers of two
       equalising row and column norms, so badly scaled matrices keep their accuracy
       (exact in floating point).
    2. **Hessenberg** (:mod:`m4ml.linalg.hessenberg`): :math:`H = Q^T B Q` by Householder
       reflectors, :math:`\\tfrac{10}{3} n^3` flops.
    3. **Francis double-shift QR** (:mod:`m4ml.linalg.schur`): :math:`T = Z^T H Z` real
       quasi-triangular (2x2 blocks for the complex pairs), about :math:`10 n^3` flops for
       the eigenvalues, :math:`25 n^3` with the Schur vectors.
    4. **Eigenvectors of T** by back substitution: for the eigenvalue :math:`\\lambda` of the
       block at row :math:`k`, :math:`y_k` solves the block's own :math:`(T_{kk} - \\lambda I)
       y_k = 0` and, for the blocks :math:`j` above,

       .. math:: y_j = -(T_{jj} - \\lambda I)^{-1} \\sum_{l > j} T_{jl} y_l,

       in complex arithmetic for complex :math:`\\lambda`, all eigenvectors at once
       (:math:`O(n^3)`, matrix-vector products). Pivots smaller than
       :math:`\\varepsilon \\max|T|` (repeated eigenvalues) are replaced by that size and
       growing columns are rescaled, so nothing overflows or divides by zero.
    5. **Back-transform**: :math:`x = P D Z Q y`, normalised as described above.

    The eigenvalues are backward stable (exact for :math:`A + E`,
    :math:`\\lVert E\\rVert = O(\\varepsilon\\lVert A\\rVert)`), and the residual
    :math:`\\lVert AV - V\\Lambda\\rVert` is :math:`O(\\varepsilon \\lVert A \\rVert)`; the
    forward error of an eigenvalue is the backward error times its condition number
    (:math:`1/|y^H x|`), and for a defective eigenvalue of a :math:`k \\times k` Jordan block
    it is :math:`O(\\varepsilon^{1/k})`. Eigenvectors of (nearly) repeated eigenvalues are
    not well determined: for a defective matrix the returned vectors are nearly parallel.
    The matrix is first scaled by a power of two (exact) so that :math:`\\max|a_{ij}|` is
    about :math:`2^{450} \\approx 3 \\cdot 10^{135}` (LAPACK's ``dgeev`` scales into
    :math:`[10^{-138}, 10^{138}]`): tiny and huge matrices behave alike, no product of two
    entries overflows, and small couplings :math:`a_{ij} a_{ji}` stay above the underflow
    floor of the deflation test (scaled to unit size, a coupling of :math:`10^{-305}` that
    decides an eigenvector was deflated). Balancing can still hurt the eigenvectors of a
    matrix whose entries span hundreds of orders of magnitude: :math:`D` magnifies errors
    that are negligible for the balanced matrix (James, Langou and Lowery). So the backward
    error :math:`\\lVert A v_j - \\lambda_j v_j \\rVert` of every pair is measured
    (:math:`2n^3` flops); if one exceeds :math:`10 n \\varepsilon \\lVert A \\rVert_F`, the
    decomposition is redone with the permutation only (orthogonal transformations of
    :math:`A` itself, backward stable without :math:`D`, deflating by the normwise test
    :math:`|h_{k,k-1}| \\le \\varepsilon(|h_{kk}| + |h_{k-1,k-1}|)` alone) and the run with
    the smaller worst backward error is returned; its eigenvalues may then differ from
    :func:`eigvals`'s by their backward error.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Chapter 7.
    B. N. Parlett and C. Reinsch, "Balancing a matrix for calculation of eigenvalues and
    eigenvectors", Numer. Math. 13 (1969).
    J. H. Wilkinson, *The Algebraic Eigenvalue Problem*, Oxford, 1965.
    R. James, J. Langou and B. R. Lowery, "On matrix balancing and eigenvector computation",
    arXiv:1401.5766 (2014).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.eig import eig
    >>> w, v = eig(np.array([[2.0, 1.0], [0.0, 3.0]]))
    >>> w
    array([2., 3.])
    >>> np.round(v, 4)
    array([[1.    , 0.7071],
           [0.    , 0.7071]])

    A rotation by 90 degrees has the eigenvalues :math:`\\pm i`:

    >>> w, v = eig(np.array([[0.0, -1.0], [1.0, 0.0]]))
    >>> w
    array([0.+1.j, 0.-1.j])
    >>> A = np.array([[0.0, -1.0], [1.0, 0.0]])
    >>> np.allclose(A @ v, v * w)
    True
    """
    w, v = _run(a, want_vectors=True)
    return EigResult(w, v)


@keeps_float32("a")
def eigvals(a: ArrayLike) -> FloatArray | NDArray[np.complex128]:
    """Eigenvalues of a real square matrix, without the eigenvectors.

    Parameters
    ----------
    a : array_like, shape (..., n, n)
        Real square matrix or stack of matrices.

    Returns
    -------
    w : ndarray, shape (..., n)
        The eigenvalues, each repeated according to its algebraic multiplicity: float64 when
        all are real, complex128 otherwise; conjugate pairs adjacent, positive imaginary part
        first. Not sorted.

    Raises
    ------
    LinAlgError
        If ``a`` is not square, or the QR iteration does not converge within 30 iterations per
        eigenvalue.
    TypeError
        Complex or non-numeric input.
    ValueError
        NaN or infinity in ``a``.

    Notes
    -----
    The same balancing, Hessenberg reduction and Francis double-shift QR iteration as
    :func:`eig`, but the transformations are applied only to the still-active diagonal
    window and never accumulated: about :math:`10 n^3` flops instead of :math:`25 n^3`.
    Each 2x2 block :math:`\\begin{pmatrix} a & b \\\\ c & a \\end{pmatrix}` (:math:`bc < 0`)
    left by the iteration contributes :math:`a \\pm i\\sqrt{-bc}`. Accuracy as for
    :func:`eig`: backward stable, forward error = backward error times condition number.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Section 7.5.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.eig import eigvals
    >>> companion = np.array([[6.0, -11.0, 6.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> np.sort(np.round(eigvals(companion), 10))  # roots of x^3 - 6x^2 + 11x - 6
    array([1., 2., 3.])
    """
    w, _ = _run(a, want_vectors=False)
    return w
