r"""Loss landscapes: slices of a loss over a parameter pytree, and the Hessian's spectrum.

Slices (Li et al., 2018): :math:`L(\theta + \alpha d)` and
:math:`L(\theta + \alpha d_1 + \beta d_2)` along random directions with *filter normalization*
— each filter of :math:`d` (a column of a dense kernel, an output channel of a convolution)
rescaled to the norm of the same filter of :math:`\theta`, so the picture does not depend on
the weights' scale — and :math:`L((1-\alpha)\theta_a + \alpha\theta_b)` between two solutions.

Curvature (PyHessian, Yao et al., 2020), never forming the Hessian — only Hessian-vector
products :math:`Hv` from :func:`m4ml.autodiff.hvp` (forward over reverse, about two gradients):
the top eigenvalues by Lanczos with full reorthogonalization, the trace by Hutchinson's
estimator :math:`\operatorname{tr} H = \mathbb E[z^\top H z]` (Rademacher :math:`z`), and the
eigenvalue density by stochastic Lanczos quadrature.
"""

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, PyTree, Seed
from m4ml._core.random import check_rng
from m4ml.autodiff import hvp, ravel_pytree, tree_flatten, tree_unflatten
from m4ml.linalg import eigh_tridiagonal

__all__ = ["filter_normalized_direction", "hessian_eigenvalues", "hessian_spectral_density",
           "hessian_trace", "interpolate_losses", "loss_slice_1d", "loss_slice_2d",
           "plot_loss_surface", "plot_spectral_density"]  # fmt: skip


def filter_normalized_direction(
    params: PyTree, rng: Seed = None, *, ignore_1d: bool = True
) -> PyTree:
    r"""A random direction shaped like ``params``, filter-normalized (Li et al., 2018).

    Parameters
    ----------
    params : pytree of arrays
    rng : None, int or Generator
    ignore_1d : bool
        Zero the direction on 1-D leaves (biases, normalization scales), as Li et al. do.

    Returns
    -------
    pytree
        :math:`d` with :math:`d_{f} \leftarrow d_f\,\lVert\theta_f\rVert/\lVert d_f\rVert` per
        filter :math:`f` (columns of 2-D leaves, slices along axis 0 of higher ones).

    Examples
    --------
    >>> p = {"W": np.ones((3, 2)), "b": np.ones(2)}
    >>> d = filter_normalized_direction(p, 0)
    >>> np.sqrt(np.sum(d["W"] ** 2, axis=0)).round(8), d["b"]
    (array([1.73205081, 1.73205081]), array([0., 0.]))
    """
    rng = check_rng(rng)
    leaves, treedef = tree_flatten(params)
    out = []
    for leaf in leaves:
        w = check_magnitude(as_float_array(leaf, "params leaf"))
        d = rng.standard_normal(w.shape)
        if w.ndim <= 1:
            d = np.zeros_like(w) if ignore_1d else d * (np.sqrt(np.sum(w * w)) / _norm(d))
        else:
            axes = (0,) if w.ndim == 2 else tuple(range(1, w.ndim))
            wn = np.sqrt(np.sum(w * w, axis=axes, keepdims=True))
            dn = np.sqrt(np.sum(d * d, axis=axes, keepdims=True))
            d = d * (wn / np.where(dn > 0, dn, 1.0))
        out.append(d)
    return tree_unflatten(treedef, out)


def check_magnitude(w):
    """Refuse a parameter leaf whose squares would overflow float64 (entries beyond 1e150)."""
    if w.size and np.abs(w).max() > 2.0**500:
        raise ValueError(
            "filter_normalized_direction: a parameter leaf holds values beyond 3e150, whose "
            "squared norm overflows float64"
        )
    return w


def _check_params(params, name="params"):
    """Every leaf of the pytree ``params`` as a finite real array; at least one number."""
    leaves = [as_float_array(leaf, f"{name} leaf") for leaf in tree_flatten(params)[0]]
    if sum(leaf.size for leaf in leaves) == 0:
        raise ValueError(f"{name} has no parameters (an empty pytree or empty arrays)")
    return params


def _alphas(alphas, name="alphas"):
    return as_float_array(alphas, name, min_ndim=1, max_ndim=1)


def _norm(v):
    n = np.sqrt(np.sum(v * v))
    return n if n > 0 else 1.0


@overflow_guard("the point theta + alpha d")
def _axpy(params, coefs_dirs):
    leaves, treedef = tree_flatten(params)
    new = [np.asarray(p, dtype=np.float64).copy() for p in leaves]
    for c, d in coefs_dirs:
        for i, leaf in enumerate(tree_flatten(d)[0]):
            new[i] += c * np.asarray(leaf)
    return tree_unflatten(treedef, new)


def loss_slice_1d(
    loss_fn: Callable[[PyTree], float],
    params: PyTree,
    alphas: ArrayLike,
    direction: PyTree | None = None,
    rng: Seed = None,
) -> FloatArray:
    r"""Losses :math:`L(\theta + \alpha d)` for each ``alpha``.

    ``direction`` defaults to :func:`filter_normalized_direction`. Returns an array like
    ``alphas``.

    Examples
    --------
    >>> loss = lambda p: float(np.sum(p["w"] ** 2))
    >>> loss_slice_1d(loss, {"w": np.zeros(2)}, [0.0, 1.0], direction={"w": np.ones(2)})
    array([0., 2.])
    """
    _check_params(params)
    alphas = _alphas(alphas)
    d = filter_normalized_direction(params, rng) if direction is None else direction
    _check_params(d, "direction")
    return np.array([float(loss_fn(_axpy(params, [(a, d)]))) for a in alphas])


def loss_slice_2d(
    loss_fn: Callable[[PyTree], float],
    params: PyTree,
    alphas: ArrayLike,
    betas: ArrayLike,
    directions: tuple[PyTree, PyTree] | None = None,
    rng: Seed = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""Losses on the plane :math:`L(\theta + \alpha d_1 + \beta d_2)`.

    Returns ``(A, B, L)``, meshgrids of shape ``(len(betas), len(alphas))`` (for
    :func:`plot_loss_surface`). ``directions`` defaults to two independent filter-normalized
    directions.

    Examples
    --------
    >>> loss = lambda p: float(p["w"][0] ** 2 + 3 * p["w"][1] ** 2)
    >>> A, B, L = loss_slice_2d(loss, {"w": np.zeros(2)}, [0.0, 1.0], [0.0, 1.0],
    ...                         directions=({"w": np.array([1.0, 0])}, {"w": np.array([0, 1.0])}))
    >>> L
    array([[0., 1.],
           [3., 4.]])
    """
    rng = check_rng(rng)
    _check_params(params)
    alphas, betas = _alphas(alphas), _alphas(betas, "betas")
    if directions is None:
        directions = (
            filter_normalized_direction(params, rng),
            filter_normalized_direction(params, rng),
        )
    d1, d2 = directions
    A, B = np.meshgrid(np.ravel(alphas), np.ravel(betas))
    L = np.array(
        [float(loss_fn(_axpy(params, [(a, d1), (b, d2)]))) for a, b in zip(A.ravel(), B.ravel())]
    )
    return A, B, L.reshape(A.shape)


def interpolate_losses(
    loss_fn: Callable[[PyTree], float], params_a: PyTree, params_b: PyTree, alphas: ArrayLike
) -> FloatArray:
    r"""Losses on the line between two solutions, :math:`L((1-\alpha)\theta_a + \alpha\theta_b)`.

    Examples
    --------
    >>> loss = lambda p: float(np.sum((p["w"] - 1.0) ** 2))
    >>> interpolate_losses(loss, {"w": np.zeros(1)}, {"w": np.full(1, 2.0)}, [0.0, 0.5, 1.0])
    array([1., 0., 1.])
    """
    _check_params(params_a, "params_a")
    _check_params(params_b, "params_b")
    diff = _axpy(params_b, [(-1.0, params_a)])
    return loss_slice_1d(loss_fn, params_a, alphas, direction=diff)


def _hvp_operator(loss_fn, params):
    flat, unravel = ravel_pytree(_check_params(params))
    flat = np.asarray(flat, dtype=np.float64)

    def f(theta):
        return loss_fn(unravel(theta))

    return (lambda v: np.asarray(hvp(f, flat, v), dtype=np.float64)), flat.size


def _lanczos(matvec, v0, m):
    """m steps of Lanczos with full reorthogonalization: (alpha, beta, Q)."""
    n = v0.size
    Q = np.zeros((m + 1, n))
    alpha, beta = np.zeros(m), np.zeros(m)
    Q[0] = v0 / _norm(v0)
    for j in range(m):
        w = matvec(Q[j])
        alpha[j] = Q[j] @ w
        w = w - Q[: j + 1].T @ (Q[: j + 1] @ w)
        w = w - Q[: j + 1].T @ (Q[: j + 1] @ w)  # twice is enough (Kahan, Parlett)
        beta[j] = np.sqrt(w @ w)
        if beta[j] <= 1e-12 * max(1.0, abs(alpha[j])):
            return alpha[: j + 1], beta[:j], Q[: j + 1]
        Q[j + 1] = w / beta[j]
    return alpha, beta[: m - 1], Q[:m]


def hessian_eigenvalues(
    loss_fn: Callable[[PyTree], float],
    params: PyTree,
    k: int = 5,
    *,
    max_iter: int | None = None,
    tol: float = 1e-10,
    rng: Seed = None,
    return_eigenvectors: bool = False,
) -> FloatArray | tuple[FloatArray, FloatArray]:
    r"""The ``k`` largest eigenvalues of the Hessian of ``loss_fn`` at ``params`` by Lanczos.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params) -> scalar``, written with :mod:`m4ml.numpy`.
    params : pytree
    k : int
    max_iter : int, optional
        Lanczos steps (default ``min(n, max(4k, 100))``, grown until converged up to ``n``).
    tol : float
        Stop when every top-``k`` Ritz value's residual :math:`|\beta_m s_{m,i}|` is below
        ``tol`` times the largest magnitude.
    rng : None, int or Generator
        The starting vector.
    return_eigenvectors : bool
        Also return the Ritz vectors as an ``(n, k)`` array in the flattened parameter space.

    Returns
    -------
    ndarray, shape (k,)
        Descending. (With ``return_eigenvectors``, a pair ``(values, vectors)``.)

    Raises
    ------
    ValueError
        ``k`` not in ``[1, n]``.

    Notes
    -----
    Lanczos builds an orthonormal basis :math:`Q_m` of the Krylov space
    :math:`\mathcal K_m(H, q_1)` in which :math:`Q_m^\top H Q_m = T_m` is tridiagonal; the
    extreme eigenvalues of :math:`T_m` (Ritz values) converge first. Each step costs one
    Hessian-vector product and :math:`O(mn)` for the reorthogonalization; the Hessian
    (:math:`n^2` numbers) is never formed.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> loss = lambda p: 0.5 * mnp.sum(np.array([5.0, 3.0, 1.0]) * p["w"] ** 2)
    >>> np.round(hessian_eigenvalues(loss, {"w": np.ones(3)}, k=2, rng=0), 10)
    array([5., 3.])
    """
    matvec, n = _hvp_operator(loss_fn, params)
    if not 1 <= int(k) <= n:
        raise ValueError(f"k must be between 1 and the number of parameters {n}, got {k}")
    k = int(k)
    rng = check_rng(rng)
    m = min(n, max(4 * k, 100) if max_iter is None else int(max_iter))
    v0 = rng.standard_normal(n)
    while True:
        a, b, Q = _lanczos(matvec, v0, m)
        w, S = eigh_tridiagonal(a, b)
        top = np.argsort(w)[::-1][:k]
        resid = np.abs(b[-1] * S[-1, top]) if b.size == a.size - 1 and a.size == m else 0.0
        done = a.size < m or np.all(resid <= tol * max(1.0, np.abs(w).max()))
        if done or m >= n or max_iter is not None:
            break
        m = min(n, 2 * m)
    vals = w[top]
    if a.size < k:
        vals = np.concatenate([vals, np.zeros(k - a.size)])
    if return_eigenvectors:
        return vals, Q.T @ S[:, top]
    return vals


def hessian_trace(
    loss_fn: Callable[[PyTree], float], params: PyTree, n_samples: int = 100, *, rng: Seed = None
) -> tuple[float, float]:
    r"""Hutchinson's estimate of :math:`\operatorname{tr} H` and its standard error.

    Returns ``(trace, stderr)``: the mean of :math:`z_i^\top H z_i` over ``n_samples``
    Rademacher vectors (:math:`\mathbb E[zz^\top] = I`, so the estimate is unbiased) and the
    sample standard deviation over :math:`\sqrt{n_\text{samples}}`.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> loss = lambda p: 0.5 * mnp.sum(np.array([5.0, 3.0, 1.0]) * p["w"] ** 2)
    >>> hessian_trace(loss, {"w": np.ones(3)}, 10, rng=0)   # diagonal H: exact
    (9.0, 0.0)
    """
    if int(n_samples) < 2:
        raise ValueError(f"n_samples must be at least 2 for a standard error, got {n_samples}")
    matvec, n = _hvp_operator(loss_fn, params)
    rng = check_rng(rng)
    vals = np.empty(int(n_samples))
    for i in range(vals.size):
        z = rng.choice([-1.0, 1.0], size=n)
        vals[i] = z @ matvec(z)
    return float(vals.mean()), float(vals.std(ddof=1) / np.sqrt(vals.size))


def hessian_spectral_density(
    loss_fn: Callable[[PyTree], float],
    params: PyTree,
    *,
    n_iter: int = 80,
    n_vectors: int = 5,
    grid: ArrayLike | None = None,
    sigma: float | None = None,
    rng: Seed = None,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    r"""Eigenvalue density of the Hessian by stochastic Lanczos quadrature.

    Returns ``(grid, density, nodes, weights)``: for each of ``n_vectors`` random unit
    vectors, ``n_iter`` Lanczos steps give the Gauss quadrature nodes :math:`\lambda_j`
    (eigenvalues of :math:`T`) and weights :math:`\tau_j = s_{1j}^2`, with
    :math:`v^\top g(H) v \approx \sum_j \tau_j g(\lambda_j)`; averaged over the vectors and
    smoothed by Gaussians of width ``sigma`` this estimates
    :math:`\phi(t) = \frac1n\sum_i \delta(t - \lambda_i)`. ``density`` integrates to 1.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> loss = lambda p: 0.5 * mnp.sum(np.arange(1.0, 21.0) * p["w"] ** 2)
    >>> t, phi, nodes, weights = hessian_spectral_density(loss, {"w": np.ones(20)}, rng=0)
    >>> bool(abs(np.sum(phi) * (t[1] - t[0]) - 1) < 1e-3), round(float(nodes.max()), 8)
    (True, 20.0)
    """
    matvec, n = _hvp_operator(loss_fn, params)
    rng = check_rng(rng)
    m = min(int(n_iter), n)
    nodes, weights = [], []
    for _ in range(int(n_vectors)):
        a, b, _ = _lanczos(matvec, rng.standard_normal(n), m)
        w, S = eigh_tridiagonal(a, b)
        nodes.append(w)
        weights.append(S[0] ** 2 / n_vectors)
    nodes, weights = np.concatenate(nodes), np.concatenate(weights)
    lo, hi = nodes.min(), nodes.max()
    span = max(hi - lo, 1e-12 * max(1.0, abs(hi)))
    sigma = span / 100.0 if sigma is None else float(sigma)
    grid = np.linspace(lo - 5 * sigma, hi + 5 * sigma, 1000) if grid is None else np.asarray(grid)
    kernel = np.exp(-0.5 * ((grid[:, None] - nodes[None, :]) / sigma) ** 2)
    density = kernel @ weights / (sigma * np.sqrt(2 * np.pi))
    return grid, density, nodes, weights


def plot_loss_surface(
    A: ArrayLike,
    B: ArrayLike,
    L: ArrayLike,
    *,
    kind: Literal["contour", "surface"] = "contour",
    ax: Any = None,
    levels: int | ArrayLike = 30,
    log: bool = False,
) -> Any:
    """Contour (``kind="contour"``) or 3-D surface (``"surface"``) of a 2-D slice; returns ax."""
    import matplotlib.pyplot as plt

    A, B, L = (
        as_float_array(v, name, min_ndim=2, max_ndim=2)
        for v, name in ((A, "A"), (B, "B"), (L, "L"))
    )
    if not A.shape == B.shape == L.shape or min(L.shape) < 2:
        raise ValueError(
            f"A, B and L must be meshgrids of one shape, at least 2x2 (as loss_slice_2d returns), "
            f"got {A.shape}, {B.shape} and {L.shape}"
        )
    if log and (L <= 0).any():
        raise ValueError("log=True needs positive losses L")
    Z = np.log10(L) if log else L
    if kind == "surface":
        if ax is None:
            ax = plt.figure().add_subplot(projection="3d")
        ax.plot_surface(A, B, Z, cmap="viridis", linewidth=0)
    elif kind == "contour":
        ax = plt.figure().add_subplot() if ax is None else ax
        cs = ax.contour(A, B, Z, levels=levels, cmap="viridis")
        ax.clabel(cs, fontsize=6)
    else:
        raise ValueError(f"kind must be 'contour' or 'surface', got {kind!r}")
    ax.set_xlabel(r"$\alpha$")
    ax.set_ylabel(r"$\beta$")
    return ax


def plot_spectral_density(
    grid: ArrayLike,
    density: ArrayLike,
    *,
    ax: Any = None,
    log: bool = True,
    label: str | None = None,
) -> Any:
    """Plot a :func:`hessian_spectral_density` estimate (log scale by default); returns ax."""
    grid = as_float_array(grid, "grid", min_ndim=1, max_ndim=1)
    density = as_float_array(density, "density", min_ndim=1, max_ndim=1)
    if grid.size == 0 or grid.shape != density.shape:
        raise ValueError(
            f"grid and density must be non-empty and of one length, got {grid.shape} and "
            f"{density.shape}"
        )
    import matplotlib.pyplot as plt

    ax = plt.figure().add_subplot() if ax is None else ax
    ax.plot(grid, density, label=label)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(bottom=max(density.max() * 1e-8, 1e-12))
    ax.set_xlabel("eigenvalue")
    ax.set_ylabel("density")
    return ax
