r"""The Hessian's spectrum at a point of a loss over a parameter pytree, never forming it.

Curvature as in PyHessian (Yao et al., 2020): only Hessian-vector products :math:`Hv` from
:func:`m4ml.autodiff.hvp` (forward over reverse, about two gradients each), giving the top
eigenvalues by Lanczos with full reorthogonalization, the trace by Hutchinson's estimator
:math:`\operatorname{tr} H = \mathbb E[z^\top H z]` (Rademacher :math:`z`), and the eigenvalue
density by stochastic Lanczos quadrature. (Also importable from :mod:`m4ml.optim.landscape`.)
"""

from collections.abc import Callable
from typing import Any

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray, PyTree, Seed
from m4ml._core.random import check_rng
from m4ml.autodiff import hvp, ravel_pytree
from m4ml.linalg import eigh_tridiagonal, norm
from m4ml.optim._params_check import check_params

__all__ = ["hessian_eigenvalues", "hessian_spectral_density", "hessian_trace",
           "plot_spectral_density"]  # fmt: skip


def _hvp_operator(loss_fn, params):
    flat, unravel = ravel_pytree(check_params(params))
    flat = np.asarray(flat, dtype=np.float64)

    def f(theta):
        return loss_fn(unravel(theta))

    def matvec(v):
        # the product needs the loss's derivatives, not its value: a value that overflows
        # (a quadratic at 1e308-scale parameters, whose Hessian is exact) is no concern, so
        # floating-point warnings are silenced and the product itself is checked
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = np.asarray(hvp(f, flat, v), dtype=np.float64)
        if not np.isfinite(out).all():
            raise ValueError(
                "loss_fn: its Hessian-vector product at params is not finite (the loss's "
                "derivatives leave the float64 range there or are undefined)"
            )
        return out

    return matvec, flat.size


def _lanczos(matvec, v0, m):
    """m steps of Lanczos with full reorthogonalization: (alpha, beta, Q)."""
    n = v0.size
    Q = np.zeros((m + 1, n))
    alpha, beta = np.zeros(m), np.zeros(m)
    Q[0] = v0 / norm(v0)  # norms scaled as LAPACK's dnrm2: Hv may be near 1e200
    for j in range(m):
        w = matvec(Q[j])
        alpha[j] = Q[j] @ w
        w = w - Q[: j + 1].T @ (Q[: j + 1] @ w)
        w = w - Q[: j + 1].T @ (Q[: j + 1] @ w)  # twice is enough (Kahan, Parlett)
        beta[j] = norm(w)
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
        ``k`` not in ``[1, n]``; non-finite ``params``; a Hessian-vector product that is not
        finite (floating-point warnings from the loss's *value*, which the product does not
        use, are not reported: at 1e308-scale parameters a quadratic's value overflows while
        its Hessian is exact).

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

    Raises
    ------
    ValueError
        ``n_samples < 2``; non-finite ``params``; a Hessian-vector product that is not
        finite (see :func:`hessian_eigenvalues`).

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

    Raises
    ------
    ValueError
        Non-finite ``params``; a Hessian-vector product that is not finite (see
        :func:`hessian_eigenvalues`).

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
