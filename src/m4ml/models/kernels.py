r"""Pairwise distances and kernels, computed stably and blockwise.

A kernel :math:`k(x, y) = \langle \phi(x), \phi(y) \rangle` is an inner product in a feature space
that is never built; the kernel methods (SVMs, kernel PCA) only ever need the Gram matrix
:math:`K_{ij} = k(x_i, y_j)`. Every function here takes ``X`` of shape ``(n, d)`` and ``Y`` of
shape ``(m, d)`` (``Y=None`` means ``Y = X``) and returns the ``(n, m)`` matrix, as
``sklearn.metrics.pairwise`` does.

Two things the textbook one-liners get wrong are handled here:

* **Cancellation.** :math:`\|x-y\|^2 = \|x\|^2 + \|y\|^2 - 2x^\top y` is one matrix product, but
  its rounding error is about :math:`\varepsilon(\|x\|^2 + \|y\|^2)`, which swamps the distance of
  two nearby points far from the origin. The rows are first shifted by a common point (the mean
  of ``Y``; distances do not change), entries are clipped at 0, and every entry with
  :math:`d^2 \le \tau(\|x\|^2+\|y\|^2)`, :math:`\tau = 2^{-10}`, is recomputed exactly as
  :math:`\sum_k (x_k-y_k)^2`. The remaining entries then carry a relative error of at most about
  :math:`c\,\varepsilon/\tau \approx 10^{-12}` (``c`` a small multiple of the dot-product error
  constant), and an RBF Gram matrix stays positive semidefinite.
* **Memory.** The only ``n * m`` array is the result: one BLAS product writes the Gram matrix into
  it and every later pass works in place on cache-sized chunks of rows (kernels apply their
  function to a chunk while it is in cache); the Manhattan distance is built from blocks sized to
  a working-memory budget, so no ``n * m * d`` array is ever formed. With ``Y=None`` the result is
  exactly symmetric (NumPy's ``X @ X.T`` is a symmetric rank-k update, and every later step
  treats ``(i, j)`` and ``(j, i)`` alike).
"""

import inspect
import numbers
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.validation import as_float_array
from m4ml.models._base import check_magnitude

__all__ = [
    "cosine_similarity",
    "euclidean_distances",
    "laplacian_kernel",
    "linear_kernel",
    "manhattan_distances",
    "pairwise_kernels",
    "polynomial_kernel",
    "rbf_kernel",
    "sigmoid_kernel",
]

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


def euclidean_distances(
    X: ArrayLike,
    Y: ArrayLike | None = None,
    *,
    Y_norm_squared: ArrayLike | None = None,
    squared: bool = False,
    X_norm_squared: ArrayLike | None = None,
) -> FloatArray:
    r"""Euclidean distances :math:`D_{ij} = \|x_i - y_j\|_2` between the rows of X and Y.

    Parameters
    ----------
    X : array_like of shape (n_samples_X, n_features)
    Y : array_like of shape (n_samples_Y, n_features), optional
        Defaults to ``X``; the result is then exactly symmetric with a zero diagonal.
    Y_norm_squared, X_norm_squared : array_like of shape (n_samples,), optional
        Precomputed :math:`\|y_j\|^2` / :math:`\|x_i\|^2` (as k-means reuses them). When either is
        given the rows are not shifted (the norms belong to the unshifted rows), so accuracy for
        data far from the origin rests on the exact recomputation alone.
    squared : bool, default=False
        Return :math:`D_{ij}^2`.

    Returns
    -------
    ndarray of shape (n_samples_X, n_samples_Y), float64

    Raises
    ------
    ValueError
        NaN/inf, a non-2-D input, zero features, mismatched feature counts or norm lengths.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    :math:`D_{ij}^2 = \|x_i\|^2 + \|y_j\|^2 - 2 x_i^\top y_j` (one BLAS product) after
    shifting both sets by the mean of ``Y``; negatives from rounding are clipped at 0
    and entries with :math:`D_{ij}^2 \le 2^{-10}(\|x_i\|^2+\|y_j\|^2)` — where cancellation would
    cost more than about three digits — are recomputed as :math:`\sum_k (x_{ik}-y_{jk})^2`.

    Examples
    --------
    >>> import numpy as np
    >>> euclidean_distances([[0.0, 0.0], [3.0, 4.0]]).tolist()
    [[0.0, 5.0], [5.0, 0.0]]
    >>> x = 1e8 + np.array([[0.0], [1e-3]])   # the naive formula returns 0 or garbage here
    >>> float(euclidean_distances(x)[0, 1])
    0.0010000020265579224
    """
    X, Y = _check_pair(X, Y)
    if X_norm_squared is not None:
        X_norm_squared = _norms_arg(X_norm_squared, X.shape[0], "X_norm_squared")
    if Y_norm_squared is not None:
        n_y = (X if Y is None else Y).shape[0]
        Y_norm_squared = _norms_arg(Y_norm_squared, n_y, "Y_norm_squared")
    if Y is None and (X_norm_squared is not None or Y_norm_squared is not None):
        norms = X_norm_squared if X_norm_squared is not None else Y_norm_squared
        D = _squared_distances(X, None, norms, norms)
    else:
        D = _squared_distances(X, Y, X_norm_squared, Y_norm_squared)
    return D if squared else np.sqrt(D, out=D)


def manhattan_distances(X: ArrayLike, Y: ArrayLike | None = None) -> FloatArray:
    r"""City-block distances :math:`D_{ij} = \|x_i - y_j\|_1 = \sum_k |x_{ik} - y_{jk}|`.

    Computed a block of rows and columns at a time, so the ``(n, m, d)`` array of differences is
    never formed whole. Same parameters, returns and errors as :func:`euclidean_distances`
    (without the norms).

    Examples
    --------
    >>> manhattan_distances([[0.0, 0.0]], [[3.0, -4.0], [1.0, 1.0]]).tolist()
    [[7.0, 2.0]]
    """
    X, Y = _check_pair(X, Y)
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


def linear_kernel(
    X: ArrayLike, Y: ArrayLike | None = None, dense_output: bool = True
) -> FloatArray:
    r"""Linear kernel :math:`k(x, y) = x^\top y`, i.e. :math:`K = X Y^\top`.

    Examples
    --------
    >>> linear_kernel([[1.0, 2.0]], [[3.0, 4.0], [0.0, 1.0]]).tolist()
    [[11.0, 2.0]]
    """
    X, Y = _check_pair(X, Y)
    return X @ (X if Y is None else Y).T


def polynomial_kernel(
    X: ArrayLike,
    Y: ArrayLike | None = None,
    degree: float = 3,
    gamma: float | None = None,
    coef0: float = 1,
) -> FloatArray:
    r"""Polynomial kernel :math:`k(x, y) = (\gamma\, x^\top y + c_0)^{d}`.

    ``gamma=None`` means :math:`1/n_\text{features}`. With :math:`c_0 > 0` the feature space holds
    every monomial of degree :math:`\le d`.

    Examples
    --------
    >>> polynomial_kernel([[1.0, 2.0]], [[3.0, 4.0]], degree=2, gamma=1.0, coef0=1.0).tolist()
    [[144.0]]
    """
    X, Y = _check_pair(X, Y)
    gamma = _check_gamma(gamma, X.shape[1])
    degree = _check_real(degree, "degree")
    coef0 = _check_real(coef0, "coef0")
    K = X @ (X if Y is None else Y).T
    K *= gamma
    K += coef0
    K **= degree
    return K


def sigmoid_kernel(
    X: ArrayLike, Y: ArrayLike | None = None, gamma: float | None = None, coef0: float = 1
) -> FloatArray:
    r"""Sigmoid (hyperbolic tangent) kernel :math:`k(x, y) = \tanh(\gamma\, x^\top y + c_0)`.

    Not positive semidefinite for every ``gamma``/``coef0``; it is kept for compatibility.

    Examples
    --------
    >>> round(float(sigmoid_kernel([[1.0, 0.0]], [[1.0, 0.0]], gamma=1.0, coef0=0.0)[0, 0]), 6)
    0.761594
    """
    X, Y = _check_pair(X, Y)
    gamma = _check_gamma(gamma, X.shape[1])
    coef0 = _check_real(coef0, "coef0")
    K = X @ (X if Y is None else Y).T
    K *= gamma
    K += coef0
    return np.tanh(K, out=K)


def rbf_kernel(X: ArrayLike, Y: ArrayLike | None = None, gamma: float | None = None) -> FloatArray:
    r"""Gaussian (RBF) kernel :math:`k(x, y) = \exp(-\gamma \|x - y\|^2)`.

    ``gamma=None`` means :math:`1/n_\text{features}`. The squared distances come from
    :func:`euclidean_distances`, so the Gram matrix stays positive semidefinite (and exactly
    symmetric with unit diagonal for ``Y=None``) even for data far from the origin.

    Examples
    --------
    >>> import numpy as np
    >>> K = rbf_kernel([[0.0], [1.0]], gamma=np.log(2.0))
    >>> K.tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    X, Y = _check_pair(X, Y)
    gamma = _check_gamma(gamma, X.shape[1])

    def post(chunk):
        chunk *= -gamma
        np.exp(chunk, out=chunk)

    return _squared_distances(X, Y, post=post)


def laplacian_kernel(
    X: ArrayLike, Y: ArrayLike | None = None, gamma: float | None = None
) -> FloatArray:
    r"""Laplacian kernel :math:`k(x, y) = \exp(-\gamma \|x - y\|_1)`.

    Examples
    --------
    >>> import numpy as np
    >>> laplacian_kernel([[0.0, 0.0]], [[1.0, -1.0]], gamma=np.log(2.0)).round(12).tolist()
    [[0.25]]
    """
    X, Y = _check_pair(X, Y)
    gamma = _check_gamma(gamma, X.shape[1])
    K = manhattan_distances(X, Y)
    K *= -gamma
    return np.exp(K, out=K)


def _unit_rows(X):
    """Rows scaled to unit Euclidean norm (zero rows stay zero), without overflow."""
    scale = np.abs(X).max(axis=1, keepdims=True)
    scale[scale == 0] = 1.0
    Xs = X / scale
    norms = np.sqrt(np.einsum("ij,ij->i", Xs, Xs))[:, None]
    norms[norms == 0] = 1.0
    Xs /= norms
    return Xs


def cosine_similarity(
    X: ArrayLike, Y: ArrayLike | None = None, dense_output: bool = True
) -> FloatArray:
    r"""Cosine similarity :math:`k(x, y) = x^\top y / (\|x\|\,\|y\|)`; zero rows give 0.

    Examples
    --------
    >>> cosine_similarity([[1.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]).round(6).tolist()
    [[0.707107, 0.0]]
    """
    X, Y = _check_pair(X, Y, magnitude=False)  # rows are scaled to unit length first
    Xn = _unit_rows(X)
    return Xn @ (Xn if Y is None else _unit_rows(Y)).T


KERNELS = {
    "linear": linear_kernel,
    "poly": polynomial_kernel,
    "polynomial": polynomial_kernel,
    "rbf": rbf_kernel,
    "laplacian": laplacian_kernel,
    "sigmoid": sigmoid_kernel,
    "cosine": cosine_similarity,
}


def _callable_kernel(X, Y, func, kwds):
    Y = X if Y is None else Y
    K = np.empty((X.shape[0], Y.shape[0]))
    for i in range(X.shape[0]):
        for j in range(Y.shape[0]):
            K[i, j] = func(X[i], Y[j], **kwds)
    return K


def pairwise_kernels(
    X: ArrayLike,
    Y: ArrayLike | None = None,
    metric: Literal[
        "linear", "poly", "polynomial", "rbf", "laplacian", "sigmoid", "cosine", "precomputed"
    ]
    | Callable[..., float] = "linear",
    *,
    filter_params: bool = False,
    n_jobs: int | None = None,
    **kwds: Any,
) -> FloatArray:
    r"""The kernel matrix :math:`K_{ij} = k(x_i, y_j)` for a kernel named by ``metric``.

    Parameters
    ----------
    X : array_like of shape (n_samples_X, n_features)
        Or, with ``metric="precomputed"``, the kernel matrix itself (returned as is).
    Y : array_like of shape (n_samples_Y, n_features), optional
    metric : str or callable
        One of ``"linear"``, ``"poly"``, ``"polynomial"``, ``"rbf"``, ``"laplacian"``,
        ``"sigmoid"``, ``"cosine"``, ``"precomputed"``. A callable is called as
        ``metric(x_i, y_j, **kwds)`` on single rows and must return a number (a slow double
        loop, for experiments).
    filter_params : bool, default=False
        Drop keyword arguments the chosen kernel does not take (as estimators pass ``gamma``,
        ``degree`` and ``coef0`` to every kernel).
    n_jobs : None
        Accepted for scikit-learn compatibility; the work is one BLAS call.
    \*\*kwds
        The kernel's parameters (``gamma``, ``degree``, ``coef0``).

    Returns
    -------
    ndarray of shape (n_samples_X, n_samples_Y)

    Raises
    ------
    ValueError
        Unknown ``metric``, a parameter the kernel does not take, or bad input.

    Examples
    --------
    >>> pairwise_kernels([[1.0, 2.0]], [[3.0, 4.0]], metric="poly", degree=2, gamma=1.0).tolist()
    [[144.0]]
    """
    if metric == "precomputed":
        X, Y = _check_pair(X, Y)
        return X.copy()
    if callable(metric):
        X, Y = _check_pair(X, Y)
        return _callable_kernel(X, Y, metric, kwds)
    if metric not in KERNELS:
        raise ValueError(
            f"Unknown kernel {metric!r}; use one of {[*sorted(KERNELS), 'precomputed']} "
            "or a callable"
        )
    func = KERNELS[metric]
    accepted = set(inspect.signature(func).parameters) - {"X", "Y", "dense_output"}
    if filter_params:
        kwds = {k: v for k, v in kwds.items() if k in accepted}
    unknown = set(kwds) - accepted
    if unknown:
        raise ValueError(
            f"The {metric!r} kernel takes the parameters {sorted(accepted)}, not {sorted(unknown)}"
        )
    return func(X, Y, **kwds)
