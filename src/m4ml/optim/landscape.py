r"""Loss landscapes: slices of a loss over a parameter pytree, and the Hessian's spectrum.

Slices (Li et al., 2018): :math:`L(\theta + \alpha d)` and
:math:`L(\theta + \alpha d_1 + \beta d_2)` along random directions with *filter normalization*
— each filter of :math:`d` (a column of a dense kernel, an output channel of a convolution)
rescaled to the norm of the same filter of :math:`\theta`, so the picture does not depend on
the weights' scale — and :math:`L((1-\alpha)\theta_a + \alpha\theta_b)` between two solutions.

The Hessian's spectrum at a point (top eigenvalues, trace, eigenvalue density) lives in
:mod:`m4ml.optim.hessian_spectrum` and is re-exported here.
"""

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, PyTree, Seed
from m4ml._core.random import check_rng
from m4ml.autodiff import tree_flatten, tree_unflatten
from m4ml.optim._params_check import check_params as _check_params
from m4ml.optim.hessian_spectrum import (
    hessian_eigenvalues,
    hessian_spectral_density,
    hessian_trace,
    plot_spectral_density,
)

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
