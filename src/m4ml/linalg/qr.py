"""QR factorization :math:`A = QR` by Householder reflections (and the Gram–Schmidt variants).

Read top-down: :func:`_qr_unblocked` is textbook Householder QR, one column at a time, written
for a whole stack of matrices at once (the path for stacks of small matrices, and the oracle
the blocked path is tested against); the blocked, compact-WY version for large matrices lives
in :mod:`m4ml.linalg.householder`; then the public function.
"""

from typing import Literal, NamedTuple

import numpy as np

from m4ml._core import LinAlgError, as_matrix_stack
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.stack import flatten, map_stack, unflatten
from m4ml._core.validation import keeps_float32
from m4ml.linalg.householder import _factor, _form_q, _positive_diagonal

__all__ = ["QRResult", "qr"]

_MODES = ("reduced", "complete", "r", "raw")
_METHODS = ("householder", "mgs", "cgs")
# Stacks of matrices with min(m, n) up to this size use the unblocked kernel over the stack.
_UNBLOCKED_MAX = 32


class QRResult(NamedTuple):
    """Result of :func:`qr`: ``Q`` with orthonormal columns and upper triangular ``R``."""

    Q: np.ndarray
    R: np.ndarray


def _qr_unblocked(A):
    r"""Textbook Householder QR of every matrix of ``A (B, m, n)``, in place; returns ``V, tau``.

    For :math:`j = 0, \dots, \min(m, n) - 1`, with :math:`x = A_{j:, j}`:
    :math:`\beta = -\mathrm{sign}(x_0)\|x\|_2`, :math:`v = (x - \beta e_1)/(x_0 - \beta)`
    (so :math:`v_0 = 1`), :math:`\tau = (\beta - x_0)/\beta`, and
    :math:`A_{j:, j:} \leftarrow (I - \tau v v^\top) A_{j:, j:}`, which puts :math:`\beta`
    on the diagonal and zeros below it. The norm is taken of :math:`x / \max_i |x_i|`, so
    squaring neither overflows nor underflows (LAPACK's ``dnrm2``/``dlarfg`` concern); a
    column that is already zero below the diagonal gets :math:`\tau = 0` (:math:`H = I`).
    On return ``A`` holds :math:`R` on and above the diagonal (zeros below); ``V (B, m, k)``
    holds the reflectors and ``tau (B, k)`` their scalars, :math:`Q = H_0 H_1 \cdots`.
    """
    B, m, n = A.shape
    k = min(m, n)
    V = np.zeros((B, m, k))
    tau = np.zeros((B, k))
    for j in range(k):
        x = A[:, j:, j]
        scale = np.abs(x).max(axis=1)
        scale[scale == 0.0] = 1.0
        xs = x / scale[:, None]
        x0 = xs[:, 0]
        tail = np.einsum("bi,bi->b", xs[:, 1:], xs[:, 1:])
        beta = -np.copysign(np.sqrt(x0 * x0 + tail), x0)
        live = tail > 0.0
        denom = np.where(live, x0 - beta, 1.0)
        v = V[:, j:, j]
        v[:, 1:] = xs[:, 1:] / denom[:, None]
        v[:, 0] = 1.0
        t = np.where(live, (beta - x0) / np.where(live, beta, 1.0), 0.0)
        tau[:, j] = t
        w = np.einsum("bi,bij->bj", v, A[:, j:, j:]) * t[:, None]
        A[:, j:, j:] -= v[:, :, None] * w[:, None, :]
        A[:, j + 1 :, j] = 0.0
    return V, tau


def _form_q_unblocked(V, tau, ncols):
    """``Q[:, :, :ncols]`` for ``Q = H_0 H_1 ...``, by backward accumulation on the identity."""
    B, m, k = V.shape
    Q = np.zeros((B, m, ncols))
    idx = np.arange(min(m, ncols))
    Q[:, idx, idx] = 1.0
    for j in range(k - 1, -1, -1):
        v = V[:, j:, j]
        w = np.einsum("bi,bij->bj", v, Q[:, j:, :]) * tau[:, j, None]
        Q[:, j:, :] -= v[:, :, None] * w[:, None, :]
    return Q


def _qr_stack(a, mode):
    """QR of a stack ``a (..., m, n)`` by the unblocked kernel, vectorized over the stack."""
    m, n = a.shape[-2:]
    k = min(m, n)
    flat, batch = flatten(np.array(a, dtype=np.float64, order="C", copy=True))
    with np.errstate(over="ignore", invalid="ignore"):
        V, tau = _qr_unblocked(flat)
    rows = m if mode == "complete" else k
    R = np.zeros((flat.shape[0], rows, n))
    R[:, :k] = flat[:, :k]
    if not np.isfinite(R).all():
        raise LinAlgError(
            "QR overflowed: the entries of R exceed the float64 range; rescale A first"
        )
    d = np.where(np.diagonal(R[:, :k, :k], axis1=1, axis2=2) < 0, -1.0, 1.0)
    R[:, :k] *= d[:, :, None]
    R += 0.0  # no -0.0
    if mode == "r":
        return unflatten(R, batch)
    Q = _form_q_unblocked(V, tau, m if mode == "complete" else k)
    Q[:, :, :k] *= d[:, None, :]
    return QRResult(unflatten(Q, batch), unflatten(R, batch))


def _qr_householder(a, mode):
    m, n = a.shape
    k = min(m, n)
    W = np.array(a.T, order="C")  # column j of A is the contiguous row j of W
    _, blocks = _factor(W, store_wy=mode != "r")
    rows = m if mode == "complete" else k
    R = np.zeros((rows, n))
    R[:k] = np.triu(W[:, :k].T)
    if not np.isfinite(R).all():
        raise LinAlgError(
            "QR overflowed: the entries of R exceed the float64 range; rescale A first"
        )
    if mode == "r":
        _positive_diagonal(None, R)
        return None, R
    Q = _form_q(blocks, m, m if mode == "complete" else k).T
    _positive_diagonal(Q, R)
    return Q, R


def _qr_raw(a):
    """LAPACK/NumPy ``raw`` output: ``h`` (n x m, R and the reflectors) and ``tau``."""
    W = np.array(a.T, order="C")
    tau, _ = _factor(W, store_wy=False)
    if not np.isfinite(W).all():
        raise LinAlgError(
            "QR overflowed: the entries of R exceed the float64 range; rescale A first"
        )
    return W, tau


def _qr_gram_schmidt(a, mode, method):
    from m4ml.linalg.gram_schmidt import _cgs_qr, _mgs_qr

    return (_mgs_qr if method == "mgs" else _cgs_qr)(a)


@keeps_float32("A")
def qr(
    A: ArrayLike,
    mode: Literal["reduced", "complete", "r", "raw"] = "reduced",
    method: Literal["householder", "mgs", "cgs"] = "householder",
) -> QRResult | FloatArray | tuple[FloatArray, FloatArray]:
    """QR factorization of a matrix (or a stack of matrices): :math:`A = QR`.

    Parameters
    ----------
    A : array_like, shape (..., m, n)
        Real matrix or stack of matrices; any ``m``, ``n`` (tall, square or wide).
    mode : {"reduced", "complete", "r", "raw"}, optional
        ``"reduced"`` (default): ``Q`` is ``m x k`` and ``R`` is ``k x n``, ``k = min(m, n)``.
        ``"complete"``: ``Q`` is ``m x m`` orthogonal and ``R`` is ``m x n``.
        ``"r"``: only ``R`` (``k x n``) is returned; ``Q`` is never formed.
        ``"raw"``: NumPy's (and LAPACK ``geqrf``'s) compact form ``(h, tau)``: ``h`` is
        ``n x m``, the transpose of a matrix holding ``R`` on and above its diagonal and the
        Householder vectors :math:`v_j` (with implied :math:`v_j[j] = 1`) below it; ``tau``
        (length ``k``) holds the :math:`\tau_j`. Here the diagonal of ``R`` keeps the signs
        the reflectors produce (as in LAPACK).
    method : {"householder", "mgs", "cgs"}, optional
        ``"householder"`` (default): blocked Householder reflections, backward stable for any
        input, rank-deficient and zero matrices included. ``"mgs"`` (modified Gram–Schmidt) and
        ``"cgs"`` (classical Gram–Schmidt) are teaching versions: they accept only ``m >= n``
        input of full column rank, and lose orthogonality on ill-conditioned input (see Notes).

    Returns
    -------
    QRResult, ndarray or tuple
        ``QRResult(Q, R)`` (a named tuple, as in NumPy); ``R`` alone for ``mode="r"``;
        ``(h, tau)`` for ``mode="raw"``.

    Raises
    ------
    LinAlgError
        ``A`` has fewer than two dimensions; the entries of ``R`` would overflow float64
        (column norms above 1.8e308); or, for ``"mgs"``/``"cgs"``, ``A`` is wide (``m < n``)
        or numerically rank deficient (use ``method="householder"``).
    ValueError
        Unknown ``mode`` or ``method``, ``mode="complete"`` or ``"raw"`` with a Gram–Schmidt
        method, or NaN/inf.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    Householder QR applies reflections :math:`H_j = I - \\tau_j v_j v_j^T` that zero the
    subdiagonal of column :math:`j`:

    .. math:: H_{k-1} \\cdots H_1 H_0 A = R, \\qquad Q = H_0 H_1 \\cdots H_{k-1}.

    Each :math:`v_j = x - \\beta e_1` with :math:`\\beta = -\\mathrm{sign}(x_0)\\|x\\|_2`
    (the sign that avoids cancellation) maps the column :math:`x` to :math:`\\beta e_1`. At the
    end the rows of ``R`` and columns of ``Q`` with :math:`\\beta < 0` are negated, so **the
    diagonal of R is non-negative** (NumPy/LAPACK leave its signs as they fall; the two agree up to
    the signs of the columns of ``Q`` and rows of ``R``). For full-rank ``A`` with ``m >= n`` this
    makes the reduced factorization unique.

    Blocking: panels of 32 columns are factored column by column, then their reflectors are
    aggregated as :math:`H_j \\cdots H_{j+31} = I - V T V^T` (compact WY) and applied to the rest
    of the matrix with matrix products; ``Q`` is formed by backward accumulation of the same
    blocks. Cost: :math:`2mn^2 - \\tfrac{2}{3}n^3` flops for ``R`` (``m >= n``), plus
    :math:`2mn^2 - \\tfrac{2}{3}n^3` to form the reduced ``Q``
    (:math:`4m^2n - 2mn^2 + \\tfrac{2}{3}n^3` for the complete one), almost all in BLAS-3.

    Stability: Householder QR is backward stable, :math:`A + \\Delta A = \\hat Q \\hat R` with
    :math:`\\|\\Delta A\\| = O(\\varepsilon)\\|A\\|`, and :math:`\\hat Q` is orthogonal to
    :math:`O(\\varepsilon)` whatever the condition number :math:`\\kappa(A)`. Gram–Schmidt
    computes :math:`R` column by column from projections; the loss of orthogonality
    :math:`\\|I - \\hat Q^T \\hat Q\\|` grows like :math:`\\varepsilon\\kappa(A)` for MGS and
    like :math:`\\varepsilon\\kappa(A)^2` for CGS (Björck 1967; Giraud et al. 2005), which is why
    they are offered for teaching only (:func:`m4ml.linalg.gram_schmidt.gram_schmidt` re-
    orthogonalizes to fix this).

    References
    ----------
    .. [1] A. S. Householder, "Unitary triangularization of a nonsymmetric matrix", J. ACM 5,
       1958.
    .. [2] R. Schreiber and C. Van Loan, "A storage-efficient WY representation for products
       of Householder transformations", SIAM J. Sci. Stat. Comput. 10, 1989.
    .. [3] G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., §5.1–5.2, 2013.
    .. [4] L. Giraud, J. Langou, M. Rozložník, J. van den Eshof, "Rounding error analysis of
       the classical Gram–Schmidt orthogonalization process", Numer. Math. 101, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.qr import qr
    >>> A = np.array([[3.0, 1.0], [4.0, 2.0], [0.0, 2.0]])
    >>> Q, R = qr(A)
    >>> np.round(R, 4)
    array([[5.    , 2.2   ],
           [0.    , 2.0396]])
    >>> np.allclose(Q @ R, A), np.allclose(Q.T @ Q, np.eye(2))
    (True, True)
    >>> qr(A, mode="complete").Q.shape
    (3, 3)
    >>> np.allclose(qr(A, method="mgs").R, R)
    True
    """
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, got {mode!r}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if method != "householder" and mode in ("complete", "raw"):
        raise ValueError(
            f"mode={mode!r} needs method='householder'; {method!r} only builds a basis of "
            "the column space"
        )
    a = as_matrix_stack(A, "A")
    if mode == "raw":
        return map_stack(_qr_raw, a)
    stack = a.ndim > 2 and int(np.prod(a.shape[:-2])) > 1
    if method == "householder" and stack and 0 < min(a.shape[-2:]) <= _UNBLOCKED_MAX:
        return _qr_stack(a, mode)

    def kernel(x):
        if method == "householder":
            Q, R = _qr_householder(x, mode)
        else:
            Q, R = _qr_gram_schmidt(x, mode, method)
        return R if mode == "r" else (Q, R)

    out = map_stack(kernel, a)
    return out if mode == "r" else QRResult(*out)
