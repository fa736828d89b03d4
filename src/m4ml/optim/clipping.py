"""Gradient clipping on pytrees, and :func:`with_clipping` to put it in front of an optimizer."""

import numbers

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import PyTree
from m4ml.autodiff import tree_flatten, tree_map
from m4ml.linalg import norm as _norm
from m4ml.optim._optimizer_base import Optimizer, OptState


def _bound(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    return float(value)


def _float_leaves(tree, name):
    """The leaves as flat float arrays; None, complex, string or object leaves are refused."""
    if tree is None:
        raise TypeError(f"{name} must be an array or a pytree of arrays, got None")
    leaves = []
    for x in tree_flatten(tree)[0]:
        a = np.asarray(x)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold real numbers, got dtype {a.dtype}")
        leaves.append(a.astype(float).reshape(-1))
    return leaves


def _no_nan(grads):
    for leaf in tree_flatten(grads)[0]:
        if np.isnan(as_float_array(leaf, "grads", finite=False)).any():
            raise ValueError("grads contain NaN; clipping cannot repair a NaN gradient")
    return grads


def clip_by_value(grads: PyTree, min_value: float, max_value: float) -> PyTree:
    r"""Clip every gradient entry to ``[min_value, max_value]``.

    Parameters
    ----------
    grads : array_like or pytree
        Gradients.
    min_value, max_value : float
        Bounds, ``min_value <= max_value`` (``max_value=c, min_value=-c`` is PyTorch's
        ``clip_grad_value_(c)``).

    Returns
    -------
    pytree
        Same structure, float arrays.

    Raises
    ------
    ValueError
        ``min_value > max_value`` or NaN bounds.

    Notes
    -----
    :math:`g_i \leftarrow \min(\max(g_i, a), b)`. It changes the gradient's direction, unlike
    :func:`clip_by_global_norm`.

    References
    ----------
    R. Pascanu, T. Mikolov & Y. Bengio, "On the difficulty of training recurrent neural
    networks", ICML 2013.

    Examples
    --------
    >>> clip_by_value({"w": np.array([-3.0, 0.5, 2.0])}, -1.0, 1.0)
    {'w': array([-1. ,  0.5,  1. ])}
    """
    lo, hi = _bound(min_value, "min_value"), _bound(max_value, "max_value")
    if lo > hi:
        raise ValueError(f"min_value ({lo}) must not exceed max_value ({hi})")
    # +-inf entries go to the bounds (clipping's purpose, as torch's clip_grad_value_); NaN and
    # complex entries are refused rather than passed on
    return tree_map(
        lambda g: np.clip(as_float_array(g, "grads", finite=False), lo, hi), _no_nan(grads)
    )


def global_norm(tree: PyTree) -> float:
    r"""The Euclidean norm of all leaves taken together, :math:`\sqrt{\sum_\ell \|g_\ell\|^2}`.

    Parameters
    ----------
    tree : array_like or pytree

    Returns
    -------
    float
        ``inf`` only when the norm itself exceeds the largest float (about 1.8e308).

    Raises
    ------
    ValueError
        A leaf holds NaN or infinity.
    TypeError
        ``tree`` is None or holds complex, string or object values.

    Notes
    -----
    Each leaf's norm and then the norm of those norms come from :func:`m4ml.linalg.norm`,
    which scales by the largest entry before squaring (as LAPACK's ``dnrm2``), so entries near
    1e200 or 1e-200 neither overflow nor underflow: :math:`\|(3, 4) \cdot 10^{200}\| =
    5 \cdot 10^{200}`, not ``inf``.

    Examples
    --------
    >>> global_norm({"a": np.array([3.0]), "b": [np.array([4.0])]})
    5.0
    >>> round(global_norm([np.array([3e200]), np.array([4e200])]) / 1e200, 12)
    5.0
    """
    leaves = _float_leaves(tree, "tree")
    if not all(np.isfinite(x).all() for x in leaves):
        raise ValueError("tree contains NaN or infinity; its norm is meaningless")
    with np.errstate(over="ignore"):  # a norm beyond the largest float is inf, honestly
        norms = np.array([_norm(x) for x in leaves])
        if not np.isfinite(norms).all():
            return float(np.inf)
        return float(_norm(norms)) if norms.size else 0.0


def clip_by_global_norm(
    grads: PyTree, max_norm: float, *, return_norm: bool = False
) -> PyTree | tuple[PyTree, float]:
    r"""Rescale the gradients so that their global norm is at most ``max_norm``.

    Parameters
    ----------
    grads : array_like or pytree
        Gradients.
    max_norm : float
        :math:`c > 0`.
    return_norm : bool
        Also return the norm before clipping (to log it).

    Returns
    -------
    pytree, or (pytree, float)

    Raises
    ------
    ValueError
        Non-positive ``max_norm``; NaN/inf gradients (the norm would be meaningless).

    Notes
    -----
    With :math:`\|g\| = ` :func:`global_norm`, every leaf is multiplied by
    :math:`\min(1, c / (\|g\| + 10^{-6}))` (PyTorch's ``clip_grad_norm_``, including its
    :math:`10^{-6}`), which keeps the direction and bounds the step of exploding gradients.
    The norm is scaled (see :func:`global_norm`); if it exceeds the largest float, the leaves
    are divided by their largest entry before the rescaling, so the result is still exact.

    References
    ----------
    R. Pascanu, T. Mikolov & Y. Bengio, "On the difficulty of training recurrent neural
    networks", ICML 2013.

    Examples
    --------
    >>> g = clip_by_global_norm({"w": np.array([3.0, 4.0])}, 1.0)
    >>> np.round(g["w"], 6)
    array([0.6, 0.8])
    """
    c = _bound(max_norm, "max_norm")
    if not c > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
    arrays = _float_leaves(grads, "grads")
    if not all(np.isfinite(a).all() for a in arrays):
        raise ValueError("grads contain NaN or infinity; their norm cannot be clipped")
    norm = global_norm(grads)
    if np.isfinite(norm):
        scale = min(1.0, c / (norm + 1e-6))
        out = tree_map(lambda g: np.asarray(g, dtype=float) * scale, grads)
    else:  # the norm overflows: divide by the largest entry first, then rescale to c
        big = max(float(np.abs(a).max(initial=0.0)) for a in arrays)
        scaled = global_norm(tree_map(lambda g: np.asarray(g, dtype=float) / big, grads))
        out = tree_map(lambda g: np.asarray(g, dtype=float) / big * (c / scaled), grads)
    return (out, norm) if return_norm else out


class with_clipping(Optimizer):
    r"""An optimizer that clips the gradients, then hands them to ``optimizer``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer to wrap.
    clip_value : float, optional
        Clip entries to ``[-clip_value, clip_value]`` first.
    max_norm : float, optional
        Then rescale to global norm at most ``max_norm``.

    Raises
    ------
    ValueError
        Neither bound given, or bad bounds.

    Notes
    -----
    The chain is :math:`\theta_{t+1} = \mathrm{opt}(\theta_t, \mathrm{clip}(g_t))`; ``init``
    and the state are the wrapped optimizer's, so a clipped optimizer is used exactly like
    any other (``fit_gd`` included).

    References
    ----------
    optax, ``chain(clip_by_global_norm(c), adam(lr))``.

    Examples
    --------
    >>> from m4ml.optim.optimizers import SGD
    >>> opt = with_clipping(SGD(1.0), max_norm=1.0)
    >>> s = opt.init(np.zeros(2))
    >>> p, s = opt.step(np.zeros(2), np.array([30.0, 40.0]), s)
    >>> np.round(p, 6)
    array([-0.6, -0.8])
    """

    def __init__(
        self,
        optimizer: Optimizer,
        *,
        clip_value: float | None = None,
        max_norm: float | None = None,
    ):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an m4ml Optimizer, got {type(optimizer).__name__}")
        if clip_value is None and max_norm is None:
            raise ValueError("give clip_value, max_norm or both")
        if clip_value is not None and not _bound(clip_value, "clip_value") > 0:
            raise ValueError(f"clip_value must be > 0, got {clip_value!r}")
        if max_norm is not None and not _bound(max_norm, "max_norm") > 0:
            raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
        self.optimizer = optimizer
        self.clip_value = clip_value
        self.max_norm = max_norm
        self.learning_rate = optimizer.learning_rate

    def init(self, params: PyTree) -> OptState:
        """The wrapped optimizer's initial state."""
        return self.optimizer.init(params)

    def step(self, params: PyTree, grads: PyTree, state: OptState) -> tuple[PyTree, OptState]:
        """Clip ``grads``, then take the wrapped optimizer's step."""
        if self.clip_value is not None:
            grads = clip_by_value(grads, -self.clip_value, self.clip_value)
        if self.max_norm is not None:
            grads = clip_by_global_norm(grads, self.max_norm)
        return self.optimizer.step(params, grads, state)
