"""The optimizer protocol shared by every optimizer: :class:`OptState` and :class:`Optimizer`.

See :mod:`m4ml.optim.optimizers` for the user-facing description (functional steps over
pytrees, donated state, flat-vector implementation).
"""

import numbers
from collections.abc import Callable

import numpy as np

from m4ml._core import check_finite
from m4ml._core.hints import FloatArray, PyTree
from m4ml.autodiff import tree_flatten, tree_unflatten
from m4ml.optim.schedules import as_schedule

_BLOCK = 65536  # elements per block of the update: 512 KiB per vector, the block in L2


class OptState:
    """An optimizer's state: the step count and named flat buffers (moment estimates, ...).

    Attributes
    ----------
    count : int
        Steps taken so far.
    buffers : dict of str to ndarray
        Per-parameter statistics, each a 1-D float64 array over the flattened parameters.
    """

    __slots__ = ("_work", "buffers", "count")

    def __init__(self, count: int, buffers: dict[str, FloatArray]):
        self.count = count
        self.buffers = buffers
        self._work = None

    def copy(self) -> "OptState":
        """An independent copy (a state is consumed by ``step``; copy it to keep it)."""
        return OptState(self.count, {k: v.copy() for k, v in self.buffers.items()})

    def __repr__(self):
        names = ", ".join(f"{k}[{v.size}]" for k, v in self.buffers.items())
        return f"OptState(count={self.count}, buffers={{{names}}})"


def _flatten(tree, name, out=None):
    """Leaves of ``tree`` copied into one float64 vector (fresh, or ``out``), and the structure."""
    leaves, treedef = tree_flatten(tree)
    arrays = [np.asarray(x) for x in leaves]
    for a in arrays:
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{name} leaves must be real arrays, got dtype {a.dtype}")
    if not arrays:
        raise ValueError(f"{name} has no leaves")
    parts = [a.reshape(-1) for a in arrays]
    if out is not None and out.size == sum(a.size for a in parts):
        flat = np.concatenate(parts, out=out)
    else:
        flat = np.concatenate(parts).astype(np.float64, copy=False)
    return flat, treedef, [a.shape for a in arrays]


def _unflatten(flat, treedef, shapes):
    out, start = [], 0
    for s in shapes:
        n = int(np.prod(s, dtype=np.int64))
        out.append(flat[start : start + n].reshape(s))
        start += n
    return tree_unflatten(treedef, out)


def _hyper(value, name, lo=0.0, hi=None, open_hi=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    bad = value < lo or (hi is not None and (value >= hi if open_hi else value > hi))
    if bad:
        rng = f"[{lo}, {hi}{')' if open_hi else ']'}" if hi is not None else f">= {lo}"
        raise ValueError(f"{name} must be in {rng}, got {value!r}")
    return float(value)


def _surely_finite(a, b):
    """True when every entry of ``a`` and ``b`` is finite, False when one might not be.

    One BLAS pass instead of two ``isfinite`` passes: a NaN or infinity anywhere makes the dot
    product NaN or infinite (0 * inf is NaN), so a finite dot product proves both vectors finite.
    False alarms (the dot of finite values near 1e154 overflowing) go to an exact check. Call
    it under ``np.errstate(over="ignore", invalid="ignore")``.
    """
    return bool(np.isfinite(np.dot(a, b)))


def _refuse_overflow(p, watch, params, grads, state):
    if np.isfinite(p).all() and np.isfinite(watch).all():
        return  # a false alarm: the check's own dot product overflowed
    state.buffers, state._work = None, None  # partly updated: unusable

    def largest(tree):
        return max(
            float(np.abs(np.asarray(x, dtype=np.float64)).max(initial=0.0))
            for x in tree_flatten(tree)[0]
        )

    raise ValueError(
        "grads too large for this step: the update overflows float64 (largest |grads| = "
        f"{largest(grads):.3g}, largest |params| = {largest(params):.3g}); clip the gradients "
        "(clip_by_global_norm), scale the loss down or lower the learning rate. The state "
        "passed in is consumed."
    )


class Optimizer:
    """Base class: ``init(params) -> state`` and ``step(params, grads, state)``.

    Subclasses define ``_buffers`` (the names of their per-parameter statistics) and
    ``_update(p, g, tmp, lr, t, buffers)``, which overwrites the fresh vector ``p`` with the new
    parameters and updates ``buffers`` in place (``g`` is a scratch copy of the gradient and
    ``tmp`` a scratch vector of the same size; ``t`` counts steps from 1).
    """

    _buffers = ()
    # the buffer an overflow shows up in without reaching the parameters (the squared-gradient
    # average, which sits in a denominator: an infinite one makes the step silently zero)
    _watch = None

    def __init__(self, learning_rate: float | Callable[[int], float]):
        self.learning_rate = as_schedule(learning_rate)

    def init(self, params: PyTree) -> OptState:
        """Return the initial :class:`OptState` for ``params`` (a pytree of arrays).

        Raises
        ------
        TypeError, ValueError
            Non-numeric leaves or an empty pytree.
        """
        flat, _, _ = _flatten(params, "params")
        return OptState(0, {k: self._initial(k, flat) for k in self._buffers})

    def _initial(self, name, flat):
        return np.zeros_like(flat)

    def step(self, params: PyTree, grads: PyTree, state: OptState) -> tuple[PyTree, OptState]:
        """One update: return ``(new_params, new_state)``; ``params`` and ``grads`` are kept.

        Parameters
        ----------
        params, grads : pytree
            Parameters and their gradients, with the same structure and shapes.
        state : OptState
            From :meth:`init` or the previous :meth:`step`.

        Returns
        -------
        params : pytree
            Same structure as the input, float64 leaves.
        state : OptState

        Raises
        ------
        ValueError
            Mismatched structures/sizes; NaN/inf in the parameters or gradients (the state is
            left untouched); or an update that overflows float64 (gradients near the top of
            the float range, whose squares or sums overflow; the state is then consumed, as
            after any step).
        """
        if not isinstance(state, OptState):
            raise TypeError("state must be the OptState returned by init() or step()")
        p, treedef, shapes = _flatten(params, "params")
        work = state._work
        if work is None or work[0].size != p.size:
            work = state._work = (np.empty_like(p), np.empty_like(p))
        g, gdef, gshapes = _flatten(grads, "grads", out=work[0])
        if gdef != treedef or gshapes != shapes:
            raise ValueError(
                f"grads must match params' structure {treedef!r} and shapes, got {gdef!r}"
            )
        if state.buffers is None:
            raise ValueError(
                "this state was consumed by a previous step(); use the state that step returned "
                "(or step from state.copy())"
            )
        if any(b.size != p.size for b in state.buffers.values()):
            raise ValueError("state was initialized for parameters of a different size")
        lr = float(self.learning_rate(state.count))
        t, tmp, buffers = state.count + 1, work[1], state.buffers
        watch = buffers[self._watch] if self._watch else p
        with np.errstate(over="ignore", invalid="ignore"):  # overflows are caught, not warned
            if not _surely_finite(p, g):  # before the state is touched: it stays usable
                check_finite(p, "params")
                check_finite(g, "grads")
            # the update is elementwise: run it block by block so that the half-dozen vectors
            # of a block stay in cache across its dozen ufunc calls (one memory pass, not twelve)
            for lo in range(0, p.size, _BLOCK):
                sl = slice(lo, lo + _BLOCK)
                self._update(p[sl], g[sl], tmp[sl], lr, t, {k: v[sl] for k, v in buffers.items()})
                if not _surely_finite(p[sl], watch[sl]):
                    _refuse_overflow(p[sl], watch[sl], params, grads, state)
        new = OptState(state.count + 1, state.buffers)  # the buffers are donated (module notes)
        new._work, state._work = work, None
        state.buffers = None  # the consumed state cannot be stepped again by mistake
        return _unflatten(p, treedef, shapes), new

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"
