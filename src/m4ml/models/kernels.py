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
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.models._pairwise import (
    _check_gamma,
    _check_pair,
    _check_real,
    _manhattan,
    _norms_arg,
    _squared_distances,
    _unit_rows,
)

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
    return _manhattan(X, X if Y is None else Y)


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
