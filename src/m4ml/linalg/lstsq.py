"""Linear least squares :math:`\\min_x \\|Ax - b\\|_2` by column-equilibrated, pivoted QR."""

import math

import numpy as np

from m4ml._core import LinAlgError, as_float_array, as_matrix_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.linalg.condition import _needs_estimate, _rcond_triangular, _warn_if_ill_conditioned
from m4ml.linalg.householder import _factor, _form_q, _reflector, _wy
from m4ml.linalg.qr import qr
from m4ml.linalg.refine import refine

__all__ = ["lstsq"]

_EPS = np.finfo(np.float64).eps
_TOL3Z = math.sqrt(_EPS)  # when a downdated column norm has lost half its digits, recompute it
_REFINE_ABOVE = 64.0  # refine when kappa (1 + kappa ||r|| / (||A|| ||x||)) exceeds this


def _column_norms(A):
    """2-norms of the columns of ``A``, safe from overflow and underflow."""
    amax = np.abs(A).max(axis=0) if A.shape[0] else np.zeros(A.shape[1])
    safe = np.where(amax > 0, amax, 1.0)
    S = A / safe
    return amax * np.sqrt(np.einsum("ij,ij->j", S, S))


def _qrcp(W):
    """Householder QR with column pivoting of ``A = W.T``, in place (transposed layout).

    At step ``j`` the remaining column of largest norm is swapped into place, then reflected.
    The norms of the other columns are downdated,
    :math:`\\nu_l \\leftarrow \\nu_l \\sqrt{1 - (r_{jl}/\\nu_l)^2}`, and recomputed from scratch
    when cancellation has cost half the digits (LAPACK Working Note 176's safeguard).

    Returns ``tau`` and ``perm`` (``A[:, perm] = Q R``); ``R``'s diagonal is non-increasing.
    """
    n, m = W.shape
    k = min(m, n)
    tau = np.zeros(k)
    perm = np.arange(n)
    norms = np.sqrt(np.einsum("ij,ij->i", W, W))
    ref = norms.copy()
    for j in range(k):
        p = j + int(np.argmax(norms[j:]))
        if p != j:
            W[[j, p]] = W[[p, j]]
            perm[[j, p]] = perm[[p, j]]
            norms[[j, p]] = norms[[p, j]]
            ref[[j, p]] = ref[[p, j]]
        x = W[j, j:]
        t = tau[j] = _reflector(x)
        if j + 1 == n:
            break
        rest = W[j + 1 :, j:]
        if t != 0.0:
            beta = x[0]
            x[0] = 1.0  # x is now the full reflector vector v
            w = rest @ x
            w *= t
            rest -= w[:, None] * x
            x[0] = beta
        nu = norms[j + 1 :]
        live = nu > 0
        ratio = np.divide(rest[:, 0], nu, out=np.zeros_like(nu), where=live)
        shrink = np.maximum(0.0, 1.0 - ratio * ratio)
        lost = live & (shrink * (nu / np.where(live, ref[j + 1 :], 1.0)) ** 2 <= _TOL3Z)
        nu *= np.sqrt(shrink)
        if lost.any():
            idx = np.flatnonzero(lost)
            tail = rest[idx, 1:]
            nu[idx] = np.sqrt(np.einsum("ij,ij->i", tail, tail))
            ref[j + 1 :][idx] = nu[idx]
    return tau, perm


def _wy_blocks(W, tau, nb=32):
    """Group the reflectors stored in ``W`` (as left by :func:`_qrcp`) into compact-WY blocks."""
    k = tau.size
    return [(j, *_wy(W[j : min(j + nb, k), j:], tau[j : j + nb])) for j in range(0, k, nb)]


def _apply_blocks_q(blocks, B):
    """Overwrite ``B`` with :math:`Q B` for ``Q`` given by compact-WY blocks."""
    for j, Vt, T in reversed(blocks):
        Bj = B[j:]
        Bj -= Vt.T @ (T @ (Vt @ Bj))
    return B


def _apply_blocks_qt(blocks, B):
    """Overwrite ``B`` with :math:`Q^T B` for ``Q`` given by compact-WY blocks (blocked QR)."""
    for j, Vt, T in blocks:
        Bj = B[j:]
        Bj -= Vt.T @ (T.T @ (Vt @ Bj))
    return B


def _check_rtol(rtol, m, n):
    if rtol is None:
        return max(m, n) * _EPS
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float, np.integer, np.floating)):
        raise TypeError(f"rtol must be a real number or None, got {type(rtol).__name__}")
    rtol = float(rtol)
    if not (math.isfinite(rtol) and rtol >= 0):
        raise ValueError(f"rtol must be a finite number >= 0 (or None), got {rtol}")
    return rtol


def _validate(A, b):
    a = as_matrix_stack(A, "A")
    if a.ndim != 2:
        raise LinAlgError(f"A must be a 2-D matrix (m, n), got shape {a.shape}")
    bb = as_float_array(b, "b", min_ndim=1, max_ndim=2)
    if bb.shape[0] != a.shape[0]:
        raise LinAlgError(
            f"A and b have incompatible shapes {a.shape} and {bb.shape}: b needs "
            f"{a.shape[0]} rows, one per row (equation) of A"
        )
    return a, bb


def _refine_columns(Ap, B, Z, R, pblocks, blocks):
    """Refine each column of ``Z`` (solutions of ``Ap z = b``) on the augmented system."""
    from m4ml.linalg.triangular import solve_triangular

    n = R.shape[1]
    Q2 = _form_q(pblocks, n, n).T  # the pivoted QR's Q (n x n), formed once

    def apply_qt(f):
        f = _apply_blocks_qt(blocks, f[:, None])[:, 0]
        f[:n] = Q2.T @ f[:n]
        return f

    def apply_q(u):
        u = u.copy()
        u[:n] = Q2 @ u[:n]
        return _apply_blocks_q(blocks, u[:, None])[:, 0]

    def solve_r(v):
        return solve_triangular(R, v, lower=False)

    def solve_rt(v):
        return solve_triangular(R, v, lower=False, trans=True)

    out = np.empty_like(Z)
    for j in range(Z.shape[1]):
        out[:, j] = refine(Ap, B[:, j], Z[:, j], solve_r, solve_rt, apply_qt, apply_q)
    return out


def _full_rank(a, B, C, R, perm, pblocks, blocks, d, s):
    r"""Solve ``R z = C`` for the scaled, permuted unknowns; refine when the error bound asks.

    Householder QR gives :math:`\|\hat x - x\| / \|x\| \lesssim \varepsilon(\kappa +
    \kappa^2 \|r\| / (\|A\| \|x\|))` (Higham, Thm. 20.3). Refinement (about as costly as
    the rest) runs only when that bound exceeds :math:`64\varepsilon`.
    """
    from m4ml.linalg.triangular import solve_triangular

    Z = solve_triangular(R, C, lower=False)
    X = np.empty_like(Z)
    X[perm] = Z
    X /= d[:, None]
    resid = B - a @ X
    xnorm = np.sqrt(np.einsum("ij,ij->j", X, X))
    rnorm = np.sqrt(np.einsum("ij,ij->j", resid, resid))
    kappa = s[0] / s[-1] if s[-1] > 0 else np.inf
    rho = float(np.max(rnorm / np.where(xnorm > 0, s[0] * xnorm, np.inf), initial=0.0))
    if kappa * (1.0 + kappa * rho) > _REFINE_ABOVE:
        Z = _refine_columns((a / d)[:, perm], B, Z, R, pblocks, blocks)
        X[perm] = Z
        X /= d[:, None]
    return X


def _solve(a, B, rtol):
    """Minimum-norm least-squares solution for 2-D ``a`` (m x n) and ``B`` (m x K).

    Returns ``(X, rank, s, R)``: ``s`` the singular values of ``a`` and ``R`` the triangular
    factor of the column-scaled problem when it has full column rank (else None).
    """
    from m4ml.linalg.svd import svdvals
    from m4ml.linalg.triangular import solve_triangular

    m, n = a.shape
    K = B.shape[1]
    if m == 0 or n == 0:
        return np.zeros((n, K)), 0, np.zeros(0), None
    # Power-of-two column scales: A D^{-1} is exact, and its columns have norms in [1/2, 1).
    d = np.ldexp(1.0, np.frexp(_column_norms(a))[1])
    d[~(d > 0)] = 1.0  # a zero column stays zero; its unknown gets the minimum-norm value 0
    W = np.array((a / d).T, order="C")  # rows: the scaled columns
    C = np.array(B, dtype=np.float64)
    blocks = []
    if m > n:
        # Tall: A D^{-1} = Q_1 R_1 by blocked (BLAS-3) Householder QR first, then pivot on the
        # n x n R_1 only. s(A) = s(R_1 D), so the SVD also works on the small factor.
        _, blocks = _factor(W)
        C = _apply_blocks_qt(blocks, C)[:n]
        W = np.array(np.tril(W[:, :n]), order="C")  # R_1 transposed
        s = svdvals(W.T * d)
        if s[-1] > 0 and math.sqrt(n) * rtol * s[0] < s[-1]:
            # Full column rank is certain: a pivoted QR would have |r_nn| / |r_11| >=
            # 1 / kappa(A D^-1) >= 1 / (sqrt(n) kappa(A)) > rtol (van der Sluis), so R_1 serves.
            R = np.triu(W.T)
            X = _full_rank(a, B, C, R, np.arange(n), [], blocks, d, s)
            return X, n, s, R
    else:
        s = svdvals(a)
    tau, perm = _qrcp(W)
    k = tau.size
    diag = np.abs(np.diagonal(W[:k, :k]))
    cut = rtol * diag[0]
    rank = int(np.argmax(np.append(diag, 0.0) <= cut))  # pivots are non-increasing
    if rank == 0:
        return np.zeros((n, K)), 0, s, None
    pblocks = _wy_blocks(W, tau)
    C = _apply_blocks_qt(pblocks, C)[:rank]
    R = np.triu(W[:, :rank].T)  # rank x n: [R11 R12] of the permuted, scaled matrix
    if rank == n:
        return _full_rank(a, B, C, R, perm, pblocks, blocks, d, s), rank, s, R
    # Rank-deficient (or wide): the truncated system is R P^T D x = C. Its minimum-norm
    # solution lies in the row space, x = N z with N = D P R^T (n x rank). With N = Q_N R_N,
    # R_N^T Q_N^T x = C gives x = Q_N R_N^{-T} C.
    N = np.empty((n, rank))
    N[perm] = R.T
    N *= d[:, None]
    Qn, Rn = qr(N)
    return Qn @ solve_triangular(Rn, C, lower=False, trans=True), rank, s, None


def _rcond_to_rtol(rcond, rtol):
    """NumPy's ``rcond`` (None: the default; negative: machine epsilon) as m4ml's ``rtol``."""
    if rcond is None:
        return rtol
    if rtol is not None:
        raise ValueError("pass either rcond (NumPy's name) or rtol, not both")
    if isinstance(rcond, bool) or not isinstance(rcond, (int, float, np.integer, np.floating)):
        raise TypeError(f"rcond must be a real number or None, got {type(rcond).__name__}")
    return _EPS if rcond < 0 else rcond


def lstsq(
    A: ArrayLike, b: ArrayLike, rcond: float | None = None, *, rtol: float | None = None
) -> tuple[FloatArray, FloatArray, int, FloatArray]:
    """Least-squares solution of :math:`Ax = b`: the :math:`x` minimizing :math:`\\|b - Ax\\|_2`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        Coefficient matrix; any shape (over-, under- or exactly determined).
    b : array_like, shape (m,) or (m, k)
        Right-hand side(s); each column is solved independently.
    rcond : float, optional
        NumPy's name for the relative rank cut-off, with NumPy's meaning: ``None`` (default)
        is ``max(m, n) * eps`` and a negative value (``-1``, NumPy's old default) is ``eps``;
        otherwise the same as ``rtol``.
    rtol : float, optional, keyword-only
        Relative rank cut-off: directions of the column-scaled matrix whose pivot
        :math:`|r_{jj}|` is :math:`\\le` ``rtol`` :math:`\\cdot |r_{11}|` are treated as zero.
        Default ``max(m, n) * eps``. Give ``rcond`` or ``rtol``, not both.

    Returns
    -------
    x : ndarray, shape (n,) or (n, k)
        The least-squares solution; of minimum 2-norm among all solutions when ``rank < n``.
    residuals : ndarray, shape (1,), (k,) or (0,)
        Squared 2-norm of each column of :math:`b - Ax` when ``rank == n < m``; otherwise an
        empty array (as in NumPy).
    rank : int
        Numerical rank of the column-scaled matrix :math:`A D^{-1}` (see Notes).
    s : ndarray, shape (min(m, n),)
        Singular values of ``A`` (of ``A`` itself, not the scaled matrix), from
        :func:`m4ml.linalg.svd.svdvals`.

    Raises
    ------
    LinAlgError
        ``A`` is not 2-D, ``b`` does not have one row per row of ``A``, or the solution
        overflows the float64 range.
    ValueError
        NaN/inf in ``A`` or ``b``, ``b`` with more than 2 dimensions, a negative ``rtol``,
        or both ``rcond`` and ``rtol``.
    TypeError
        Complex or non-numeric input, or a non-real ``rtol``/``rcond``.

    Warns
    -----
    LinAlgWarning
        Full column rank but the column-scaled triangular factor has an estimated reciprocal
        condition number below eps (only when ``rtol`` is set below its default can this
        happen often): the solution is dominated by rounding.

    Notes
    -----
    1. *Equilibrate*: scale every column to norm in :math:`[\\tfrac12, 1)` by a power of two
       (so the scaling is exact), :math:`A_s = A D^{-1}`; zero columns are left alone. The
       solution of :math:`A_s y = b` gives :math:`x = D^{-1} y`. This removes the artificial
       ill-conditioning of badly scaled columns (polynomial terms :math:`x^{10}` next to
       :math:`1`); by van der Sluis' theorem it brings :math:`\\kappa(A_s)` within a factor
       :math:`2\\sqrt n` of the best achievable by any column scaling.
    2. *Rank-revealing QR*: Householder QR with column pivoting (Businger & Golub),
       :math:`A_s P = QR` with :math:`|r_{11}| \\ge |r_{22}| \\ge \\cdots`. (For ``m > n`` an
       unpivoted blocked QR :math:`A_s = Q_1 R_1` comes first and the pivoting works on the
       :math:`n \\times n` factor :math:`R_1`, which has the same singular values; when
       :math:`\\sqrt n\\,\\sigma_1/\\sigma_n < 1/\\mathrm{rtol}` full rank is certain, since
       :math:`|r_{nn}/r_{11}| \\ge 1/\\kappa(A_s) \\ge 1/(\\sqrt n \\kappa(A))`, and
       :math:`R_1` is used without pivoting.) The rank is
       :math:`r = \\#\\{j : |r_{jj}| > \\mathrm{rtol}\\,|r_{11}|\\}` — the numerical rank of the
       **column-scaled** matrix, which can exceed that of ``A`` judged by its singular values
       ``s`` when the columns have very different scales (it is the scale-invariant notion).
    3. *Solve*: with :math:`c = Q^T b`, if :math:`r = n` then :math:`y = R^{-1} c_{1:n}` (back
       substitution), :math:`x = D^{-1} P y`. If :math:`r < n`, the trailing block is dropped and
       the minimum-norm :math:`x` of the truncated problem :math:`[R_{11}\\;R_{12}] P^T D x =
       c_{1:r}` is found in the row space: with :math:`N = D P [R_{11}\\;R_{12}]^T = Q_N R_N`,
       :math:`x = Q_N R_N^{-T} c_{1:r}` (a complete orthogonal decomposition).
    4. *Refine* (full column rank only): Björck's iterative refinement of the augmented system
       :math:`r + A_s y = b`, :math:`A_s^T r = 0`, reusing the factorization, with residuals
       accumulated in doubled precision by error-free transformations (Dekker's TwoProduct,
       Ogita–Rump–Oishi's Sum2). Each step multiplies the error by about
       :math:`\\varepsilon\\kappa(A_s)`, so for :math:`\\varepsilon\\kappa(A_s) \\ll 1` the
       solution becomes accurate to working precision even when the residual is large — the
       case where plain QR loses :math:`\\varepsilon\\kappa^2\\|r\\|/(\\|A\\|\\|x\\|)`.
       It runs only when that first-order bound, :math:`\\kappa(1 + \\kappa\\|r\\|/(\\|A\\|
       \\|x\\|))` with :math:`\\kappa = \\sigma_1/\\sigma_n`, exceeds 64, i.e. when plain QR
       could be off by more than about :math:`64\\varepsilon` relative. Usually one
       step; the iteration stops as soon as a correction fails to shrink.

    Cost: :math:`2mn^2 - \\tfrac23 n^3` flops for the blocked QR of a tall matrix (BLAS-3),
    :math:`\\tfrac43 n^3` for the pivoted QR (matrix–vector products, one column at a time),
    :math:`4mnk` for :math:`Q^T b`, :math:`n^2 k` for the solve, about :math:`60mn` (not BLAS) per
    refinement step and right-hand side, and the singular values (of the :math:`n \\times n`
    factor when ``m > n``). Stability: Householder QR least squares is backward stable
    (Higham, Thm. 20.3), never the :math:`\\varepsilon\\kappa^2` of the normal equations;
    refinement then removes the :math:`\\kappa^2` term of the forward error. On the NIST StRD
    linear problems every certified digit that the float64 data can carry is recovered
    (Filip: 7.6 digits, the limit set by rounding :math:`x^{10}`; the others 13–15).

    References
    ----------
    .. [1] P. Businger and G. H. Golub, "Linear least squares solutions by Householder
       transformations", Numer. Math. 7, 1965.
    .. [2] A. van der Sluis, "Condition numbers and equilibration of matrices", Numer. Math.
       14, 1969.
    .. [3] Z. Drmač and Z. Bujanović, "On the failure of rank-revealing QR factorization
       software — a case study", ACM TOMS 35, 2008 (LAPACK Working Note 176).
    .. [4] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., ch. 20, 2002.
    .. [5] Å. Björck, *Numerical Methods for Least Squares Problems*, SIAM, 1996; and
       "Iterative refinement of linear least squares solutions I", BIT 7, 1967.
    .. [6] T. Ogita, S. M. Rump and S. Oishi, "Accurate sum and dot product", SIAM J. Sci.
       Comput. 26, 2005.

    Examples
    --------
    Fit a line :math:`y = c_0 + c_1 t` through four points:

    >>> import numpy as np
    >>> from m4ml.linalg.lstsq import lstsq
    >>> t = np.array([0.0, 1.0, 2.0, 3.0])
    >>> y = np.array([1.0, 3.1, 4.9, 7.0])
    >>> A = np.column_stack([np.ones_like(t), t])
    >>> x, residuals, rank, s = lstsq(A, y)
    >>> np.round(x, 4), np.round(residuals, 4), rank
    (array([1.03, 1.98]), array([0.018]), 2)

    A rank-deficient system gets the minimum-norm solution:

    >>> x, residuals, rank, s = lstsq([[1.0, 1.0], [1.0, 1.0]], [2.0, 2.0])
    >>> np.round(x, 12), residuals.shape, rank
    (array([1., 1.]), (0,), 1)
    """
    a, bb = _validate(A, b)
    m, n = a.shape
    tol = _check_rtol(_rcond_to_rtol(rcond, rtol), m, n)
    single = np.result_type(np.asarray(A).dtype, np.asarray(b).dtype) == np.float32
    B = bb[:, None] if bb.ndim == 1 else bb
    with np.errstate(over="ignore", invalid="ignore"):
        X, rank, s, R = _solve(a, B, tol)
    if not np.isfinite(X).all():
        raise LinAlgError(
            "the least-squares solution overflows float64: an unknown would exceed 1.8e308 "
            "because its column of A is tiny relative to b; rescale that column of A, or b"
        )
    if R is not None and _needs_estimate(R):
        _warn_if_ill_conditioned(_rcond_triangular(R), "least-squares problem")
    if rank == n and m > n:
        resid = B - a @ X
        residuals = np.einsum("ij,ij->j", resid, resid)
    else:
        residuals = np.empty(0)
    x = X[:, 0] if bb.ndim == 1 else X
    if single:  # NumPy returns float32 for float32 input; m4ml computes in float64 and rounds
        x, residuals, s = (v.astype(np.float32) for v in (x, residuals, s))
    if isinstance(b, np.ndarray) and type(b) is not np.ndarray:
        x = b.__array_wrap__(x)  # keep b's subclass (np.matrix, ...), as numpy.linalg does
    return x, residuals, rank, s
