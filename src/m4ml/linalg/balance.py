"""Balancing a square matrix before an eigenvalue computation.

Balancing replaces :math:`A` by a similar matrix :math:`B = D^{-1} P^T A P D` (same eigenvalues)
whose rows and columns have comparable norms, so that the rounding errors of the QR iteration,
which are of order :math:`\\varepsilon \\lVert B \\rVert`, become small relative to the
eigenvalues. It has two stages:

1. **Permutation.** A row whose off-diagonal part (inside the active window) is zero is moved to
   the bottom, a column whose off-diagonal part is zero to the top, repeatedly. Afterwards

   .. math:: P^T A P = \\begin{pmatrix} T_1 & X & Y \\\\ 0 & B & Z \\\\ 0 & 0 & T_2 \\end{pmatrix},

   with :math:`T_1, T_2` upper triangular: their diagonal entries are eigenvalues, isolated
   exactly, and only the middle block ``lo:hi+1`` needs iterating.
2. **Scaling.** For each index :math:`i` of the middle block, the column 2-norm :math:`c_i` and the
   row 2-norm :math:`r_i` (inside the block) are equalised by a power of two
   :math:`f`, so that :math:`c_i f \\approx r_i / f`; sweeps repeat until no scaling changes the
   sum :math:`c_i + r_i` by more than 5 %. Powers of two make the scaling exact in binary
   floating point: balancing itself introduces no rounding error. The norms *include* the
   diagonal entry (James, Langou and Lowery): with off-diagonal norms only, a row with tiny
   off-diagonal entries is scaled by a huge factor, after which the QR iteration's negligible
   entries of :math:`B` correspond to large perturbations of :math:`A` and the eigenvectors
   are ruined.

References
----------
B. N. Parlett and C. Reinsch, "Balancing a matrix for calculation of eigenvalues and
eigenvectors", Numerische Mathematik 13 (1969), 293-304.

R. James, J. Langou and B. R. Lowery, "On matrix balancing and eigenvector computation",
arXiv:1401.5766 (2014).
"""

import numpy as np

_RADIX = 2.0


def _swap(a, perm, i, j):
    """Symmetric permutation: swap rows and columns ``i`` and ``j`` of ``a`` in place."""
    if i != j:
        a[[i, j], :] = a[[j, i], :]
        a[:, [i, j]] = a[:, [j, i]]
        perm[[i, j]] = perm[[j, i]]


def _norm2(x):
    """Euclidean norm without overflow or underflow in the squares."""
    m = float(np.abs(x).max()) if x.size else 0.0
    if m == 0.0:
        return 0.0
    y = x / m
    return m * float(np.sqrt(y @ y))


def _balance(a, permute=True, scale=True):
    """Balance the square matrix ``a`` in place.

    Parameters
    ----------
    a : ndarray of shape (n, n), float64
        Overwritten by the balanced matrix :math:`B = D^{-1} A[p][:, p] D`.
    permute, scale : bool
        Which of the two stages to perform.

    Returns
    -------
    perm : ndarray of int, shape (n,)
        The permutation ``p``: ``B = D^{-1} A[p][:, p] D``.
    d : ndarray of float64, shape (n,)
        The diagonal of :math:`D` (powers of two; 1 outside the middle block).
    lo, hi : int
        The middle block is ``B[lo:hi+1, lo:hi+1]``; ``B`` is upper triangular outside it, so
        ``B[k, k]`` is an eigenvalue for ``k < lo`` and ``k > hi``.

    Notes
    -----
    An eigenvector :math:`y` of :math:`B` gives the eigenvector :math:`x` of :math:`A` with
    ``x[p] = d * y``. Cost: :math:`O(n^2)` per permutation step and per scaling sweep; a
    handful of sweeps is typical.
    """
    n = a.shape[0]
    perm = np.arange(n)
    d = np.ones(n)
    lo, hi = 0, n - 1
    if n == 0:
        return perm, d, 0, -1
    if permute:
        # Rows with zero off-diagonal entries in columns 0..hi go to the bottom.
        while hi > 0:
            off = a[: hi + 1, : hi + 1] != 0
            np.fill_diagonal(off, False)
            rows = np.flatnonzero(~off.any(axis=1))
            if rows.size == 0:
                break
            _swap(a, perm, int(rows[-1]), hi)
            hi -= 1
        # Columns with zero off-diagonal entries in rows lo..hi go to the top.
        while lo < hi:
            off = a[lo : hi + 1, lo : hi + 1] != 0
            np.fill_diagonal(off, False)
            cols = np.flatnonzero(~off.any(axis=0))
            if cols.size == 0:
                break
            _swap(a, perm, lo + int(cols[0]), lo)
            lo += 1
    if not scale or hi <= lo:
        return perm, d, lo, hi
    block = slice(lo, hi + 1)
    sfmin = np.finfo(np.float64).tiny / np.finfo(np.float64).eps
    sfmax = 1.0 / sfmin
    converged = False
    sweeps = 0
    while not converged and sweeps < 100:
        converged = True
        sweeps += 1
        for i in range(lo, hi + 1):
            c, r = _norm2(a[block, i]), _norm2(a[i, block])
            if c == 0.0 or r == 0.0:
                continue
            total = c + r
            f = 1.0
            # Grow f while the column is the smaller side, shrink while it is the larger.
            while c < r / _RADIX and f * _RADIX < sfmax and c * _RADIX < sfmax:
                f *= _RADIX
                c *= _RADIX
                r /= _RADIX
            while c / _RADIX >= r and f / _RADIX > sfmin and r * _RADIX < sfmax:
                f /= _RADIX
                c /= _RADIX
                r *= _RADIX
            if c + r >= 0.95 * total:
                continue
            converged = False
            d[i] *= f
            a[i, lo:] /= f
            a[: hi + 1, i] *= f
    return perm, d, lo, hi
