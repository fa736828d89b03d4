r"""The numeric core of :mod:`m4ml.models.kernels`: input checks, stable blockwise squared
Euclidean distances, blocked Manhattan distances and overflow-free unit rows.

:func:`_squared_distances` forms :math:`\|x\|^2 + \|y\|^2 - 2x^\top y` with one BLAS product
into the output, after shifting both sets by the mean of ``Y``, then recomputes exactly, as
:math:`\sum_k (x_k - y_k)^2`, every entry with :math:`d^2 \le \tau(\|x\|^2 + \|y\|^2)`,
:math:`\tau = 2^{-10}` (where cancellation would cost more than about three digits). The
elementwise passes run on cache-sized chunks of rows (``_CHUNK`` entries); the Manhattan
differences on blocks within a working-memory budget (``_WORKING_MEMORY`` bytes).
"""

import numbers

import numpy as np

from m4ml._core.validation import as_float_array
from m4ml.models._base import check_magnitude

_WORKING_MEMORY = 32 * 2**20  # bytes of temporaries per block (Manhattan differences)
_CHUNK = 2**15  # entries per chunk of the elementwise passes (stays in cache)
_CANCEL = 2.0**-10  # entries with d^2 <= _CANCEL * (|x|^2 + |y|^2) are recomputed exactly


def _check_pair(X, Y, magnitude=True):
    """Validate ``X`` (and ``Y``): 2-D, finite, real, at least one feature, same width, and
    of a magnitude whose squares stay in float64 (``_base.check_magnitude``)."""
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    if magnitude:
        check_magnitude(X, "X")
    if X.shape[1] == 0:
        raise ValueError(f"X has 0 features (shape {X.shape}); at least one is required")
    if Y is None:
        return X, None
    Y = as_float_array(Y, "Y", min_ndim=2, max_ndim=2)
    if magnitude:
        check_magnitude(Y, "Y")
    if Y.shape[1] != X.shape[1]:
        raise ValueError(
            f"Incompatible dimension for X and Y matrices: X has {X.shape[1]} features "
            f"and Y has {Y.shape[1]}"
        )
    return X, Y


def _check_gamma(gamma, n_features, name="gamma"):
    if gamma is None:
        return 1.0 / n_features
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise TypeError(f"{name} must be a real number or None, got {type(gamma).__name__}")
    if not np.isfinite(gamma) or gamma < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {gamma}")
    return float(gamma)


def _check_real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return float(value)


def _row_blocks(n_rows, bytes_per_row):
    """Yield ``slice`` objects covering ``range(n_rows)`` within the working-memory budget."""
    step = max(1, int(_WORKING_MEMORY // max(bytes_per_row, 1)))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _norms_arg(norms, n, name):
    norms = as_float_array(norms, name).ravel()
    if norms.shape[0] != n:
        raise ValueError(f"{name} must hold one value per row ({n}), got {norms.shape[0]}")
    return norms


def _row_chunks(n_rows, n_cols):
    """Slices of about ``_CHUNK`` entries: the elementwise passes stay in cache."""
    step = max(1, _CHUNK // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))


def _squared_distances(X, Y, xx=None, yy=None, post=None):
    r"""Stable squared Euclidean distances; ``post(chunk)`` is applied in place to each chunk.

    One BLAS product writes :math:`G = XY^\top` into the output (for ``Y=None`` NumPy's
    symmetric rank-k update, so ``G`` is exactly symmetric); then, a cache-sized chunk of rows at
    a time, :math:`D = -2G + (\|x_i\|^2 + \|y_j\|^2)` (the bracket commutes, so ``D`` stays
    exactly symmetric), entries at risk of cancellation are recomputed from the unshifted rows,
    negatives are clipped, and ``post`` runs while the chunk is hot. Without precomputed norms both
    sets are first shifted by the mean of ``Y``.
    """
    symmetric = Y is None
    X0, Y0 = X, (X if symmetric else Y)
    if X0.shape[0] == 0 or Y0.shape[0] == 0:
        return np.zeros((X0.shape[0], Y0.shape[0]))
    if xx is None and yy is None:
        shift = Y0.mean(axis=0)
        X = X0 - shift
        Y = X if symmetric else Y0 - shift
    else:
        Y = X if symmetric else Y0
    if xx is None:
        xx = np.einsum("ij,ij->i", X, X)
    if yy is None:
        yy = xx if symmetric else np.einsum("ij,ij->i", Y, Y)
    D = X @ Y.T
    for rows in _row_chunks(*D.shape):
        chunk = D[rows]
        chunk *= -2.0
        scale = np.add.outer(xx[rows], yy)
        chunk += scale
        scale *= _CANCEL
        risky = chunk <= scale
        if risky.any():
            r, c = np.nonzero(risky)
            diff = X0[rows][r] - Y0[c]
            chunk[r, c] = np.einsum("ij,ij->i", diff, diff)
        np.maximum(chunk, 0.0, out=chunk)
        if post is not None:
            post(chunk)
    return D


def _manhattan(X, Y):
    """City-block distances of validated rows, a working-memory block of (rows, columns) at a
    time: the ``(n, m, d)`` array of differences is never formed whole."""
    Y = X if Y is None else Y
    n, m, d = X.shape[0], Y.shape[0], X.shape[1]
    D = np.empty((n, m))
    col_step = max(1, min(m, int(_WORKING_MEMORY // (8 * d))))
    for c0 in range(0, m, col_step):
        Yb = Y[c0 : c0 + col_step]
        for rows in _row_blocks(n, 8 * d * Yb.shape[0]):
            diff = np.abs(X[rows, None, :] - Yb[None, :, :])
            D[rows, c0 : c0 + Yb.shape[0]] = diff.sum(axis=2)
    return D


def _unit_rows(X):
    """Rows scaled to unit Euclidean norm (zero rows stay zero), without overflow."""
    scale = np.abs(X).max(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    Xs = X / scale
    norms = np.sqrt(np.einsum("ij,ij->i", Xs, Xs))[:, None]
    norms[norms == 0] = 1.0
    Xs /= norms
    return Xs
