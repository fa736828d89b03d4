"""Shape, indexing and joining primitives with their VJP and JVP rules.

These operations only move numbers around, so each is linear: its JVP applies the same
operation to the tangent and its VJP applies the adjoint movement to the cotangent (transpose
by the inverse permutation, reshape back, scatter into zeros for indexing, slice for
concatenation). Batch axes of tangents and cotangents lead; the rules shift axes past them.
"""

import itertools
from collections.abc import Sequence
from typing import Literal

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import Primitive, _broadcast_to, _reshape, ndim_of, primal, shape_of
from m4ml.autodiff.tracer import Array, Tracer

reshape_p = _reshape
broadcast_to_p = _broadcast_to
broadcast_to_p.broadcasting = True


def _nb(g, x_ndim):
    return ndim_of(g) - x_ndim


reshape_p.defvjp(
    lambda g, ans, x, shape: reshape_p(g, shape_of(g)[: _nb(g, ndim_of(ans))] + shape_of(x))
)
reshape_p.defjvp(
    lambda t, ans, x, shape: reshape_p(t, shape_of(t)[: _nb(t, ndim_of(x))] + shape_of(ans))
)
broadcast_to_p.defvjp(lambda g, ans, x, shape: g)  # the dispatcher sums the broadcast axes
broadcast_to_p.defjvp(lambda t, ans, x, shape: t)  # the dispatcher broadcasts the tangent


def _transpose_impl(x, axes=None):
    return np.transpose(x, axes)


def _full_axes(axes, nd, nb):
    if axes is None:
        axes = tuple(range(nd))[::-1]
    axes = tuple(a % nd for a in axes)
    return tuple(range(nb)) + tuple(nb + a for a in axes)


def _transpose_vjp(g, ans, x, axes=None):
    nd = ndim_of(x)
    perm = _full_axes(axes, nd, 0)
    inv = tuple(np.argsort(perm)) if nd else ()
    return transpose_p(g, _full_axes(inv, nd, _nb(g, nd))) if nd else g


def _transpose_jvp(t, ans, x, axes=None):
    nd = ndim_of(x)
    return transpose_p(t, _full_axes(axes, nd, _nb(t, nd))) if nd else t


transpose_p = Primitive(_transpose_impl, "transpose", keep_args=False, keep_ans=False)
transpose_p.defvjp(_transpose_vjp)
transpose_p.defjvp(_transpose_jvp)


def transpose(a: ArrayLike, axes: Sequence[int] | None = None) -> Array:
    """Permute the axes of ``a`` (reverse them when ``axes`` is None)."""
    return transpose_p(a, None if axes is None else tuple(int(i) for i in axes))


def reshape(a: ArrayLike, shape: int | tuple[int, ...], order: Literal["C"] = "C") -> Array:
    """Give ``a`` a new shape (C order only); ``-1`` infers one dimension."""
    if order != "C":
        raise ValueError("m4ml.numpy.reshape supports only order='C'")
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(int(s) for s in shape)
    return reshape_p(a, shape)


def broadcast_to(array: ArrayLike, shape: int | tuple[int, ...]) -> Array:
    """Broadcast ``array`` to ``shape`` (the VJP sums over the broadcast axes)."""
    shape = (shape,) if isinstance(shape, int | np.integer) else tuple(int(s) for s in shape)
    return broadcast_to_p(array, shape)


def ravel(a: ArrayLike) -> Array:
    """``a`` flattened to one dimension."""
    return reshape_p(a, (-1,))


def swapaxes(a: ArrayLike, axis1: int, axis2: int) -> Array:
    """Interchange two axes of ``a``."""
    nd = ndim_of(a)
    axes = list(range(nd))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose_p(a, tuple(axes))


def moveaxis(a: ArrayLike, source: int | Sequence[int], destination: int | Sequence[int]) -> Array:
    """Move axis ``source`` of ``a`` to position ``destination``."""
    nd = ndim_of(a)
    order = [n for n in range(nd) if n != source % nd]
    order.insert(destination % nd, source % nd)
    return transpose_p(a, tuple(order))


def squeeze(a: ArrayLike, axis: int | tuple[int, ...] | None = None) -> Array:
    """Remove axes of length one (all of them, or those in ``axis``)."""
    s = shape_of(a)
    if axis is None:
        axes = {i for i, n in enumerate(s) if n == 1}
    else:
        axes = {ax % len(s) for ax in ((axis,) if isinstance(axis, int) else axis)}
        if any(s[ax] != 1 for ax in axes):
            raise ValueError(f"cannot squeeze an axis whose length is not one (shape {s})")
    return reshape_p(a, tuple(n for i, n in enumerate(s) if i not in axes))


def expand_dims(a: ArrayLike, axis: int | Sequence[int]) -> Array:
    """Insert axes of length one at the positions ``axis``."""
    s = list(shape_of(a))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    nd = len(s) + len(axes)
    for ax in sorted(ax % nd for ax in axes):
        s.insert(ax, 1)
    return reshape_p(a, tuple(s))


# -- indexing ---------------------------------------------------------------------------------
def _check_index(index):
    items = index if isinstance(index, tuple) else (index,)
    for item in items:
        if isinstance(item, Tracer):
            raise TypeError("an index must be a plain integer array, not a traced value")
    return index


def _prefix(index, nb):
    if not nb:
        return index
    return (slice(None),) * nb + (index if isinstance(index, tuple) else (index,))


def _is_basic(index):
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, int | np.integer | slice) or i is None or i is Ellipsis for i in items)


def _getitem_impl(x, index):
    return x[index]


def _scatter_impl(g, index, shape):
    out = np.zeros(shape, dtype=np.result_type(g, np.float16))
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _update_impl(x, v, index, mode):
    out = np.array(x, dtype=np.result_type(x, v), copy=True)
    if mode == "set":
        out[index] = v
    elif _is_basic(index):
        out[index] += v
    else:
        np.add.at(out, index, v)
    return out


getitem_p = Primitive(_getitem_impl, "getitem", keep_args=False, keep_ans=False)
scatter_p = Primitive(_scatter_impl, "scatter_add", keep_args=False, keep_ans=False)
index_update_p = Primitive(_update_impl, "index_update", keep_args=False, keep_ans=False)

getitem_p.defvjp(
    lambda g, ans, x, index: scatter_p(
        g, _prefix(index, _nb(g, ndim_of(ans))), shape_of(g)[: _nb(g, ndim_of(ans))] + shape_of(x)
    )
)
getitem_p.defjvp(lambda t, ans, x, index: getitem_p(t, _prefix(index, _nb(t, ndim_of(x)))))
scatter_p.defvjp(lambda g, ans, x, index, shape: getitem_p(g, _prefix(index, _nb(g, len(shape)))))
scatter_p.defjvp(
    lambda t, ans, x, index, shape: scatter_p(
        t, _prefix(index, _nb(t, ndim_of(x))), shape_of(t)[: _nb(t, ndim_of(x))] + tuple(shape)
    )
)


def _selection_ndim(shape, index):
    return np.broadcast_to(np.empty((), dtype=bool), shape)[index].ndim


def _update_vjp_x(g, ans, x, v, index, mode):
    if mode == "add":
        return g
    return index_update_p(g, 0.0, _prefix(index, _nb(g, ndim_of(ans))), "set")


def _update_vjp_v(g, ans, x, v, index, mode):
    return getitem_p(g, _prefix(index, _nb(g, ndim_of(ans))))


def _update_jvp_v(t, ans, x, v, index, mode):
    nb = _nb(t, ndim_of(v))
    batch = shape_of(t)[:nb]
    k = _selection_ndim(shape_of(x), index)
    t = reshape_p(t, batch + (1,) * (k - ndim_of(v)) + shape_of(v))
    zeros = np.zeros(batch + shape_of(ans), dtype=t.dtype)
    return index_update_p(zeros, t, _prefix(index, nb), mode)


index_update_p.defvjp(_update_vjp_x, _update_vjp_v)
index_update_p.defjvp(
    lambda t, ans, x, v, index, mode: _update_vjp_x(t, ans, x, v, index, mode), _update_jvp_v
)


def getitem(x, index):
    """``x[index]`` (basic and integer-array indexing; boolean masks)."""
    return getitem_p(x, _check_index(index))


def index_update(x, values, index, mode):
    """A copy of ``x`` with ``x[index]`` set to (``mode="set"``) or increased by ``values``."""
    return index_update_p(x, values, _check_index(index), mode)


# -- joining and splitting --------------------------------------------------------------------
def _concat_impl(*arrays, axis=0):
    return np.concatenate(arrays, axis=axis)


concat_p = Primitive(_concat_impl, "concatenate", keep_args=False, keep_ans=False)


def _concat_bounds(arrays, axis, i):
    sizes = [shape_of(a)[axis] for a in arrays]
    start = sum(sizes[:i])
    return start, start + sizes[i]


def _concat_vjp(i):
    def rule(g, ans, *arrays, axis=0):
        nd = ndim_of(ans)
        lo, hi = _concat_bounds(arrays, axis, i)
        return getitem_p(g, (Ellipsis, slice(lo, hi)) + (slice(None),) * (nd - 1 - axis % nd))

    return rule


def _concat_jvp(i):
    def rule(t, ans, *arrays, axis=0):
        nd = ndim_of(ans)
        batch = shape_of(t)[: ndim_of(t) - nd]
        parts = [
            t if j == i else np.zeros(batch + shape_of(a), dtype=t.dtype)
            for j, a in enumerate(arrays)
        ]
        return concat_p(*parts, axis=axis % nd - nd)

    return rule


class _Rules(dict):
    """Rules for any argument number (variadic primitives)."""

    def __init__(self, factory):
        super().__init__()
        self.factory = factory

    def __missing__(self, i):
        rule = self[i] = self.factory(i)
        return rule

    def __contains__(self, i):
        return True

    def get(self, i, default=None):
        return self[i]


concat_p.vjps = _Rules(_concat_vjp)
concat_p.jvps = _Rules(_concat_jvp)


def concatenate(arrays: Sequence[ArrayLike], axis: int | None = 0) -> Array:
    """Join a sequence of arrays along an existing axis."""
    arrays = list(arrays)
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [ravel(a) for a in arrays]
        axis = 0
    return concat_p(*arrays, axis=axis % max(ndim_of(arrays[0]), 1))


def stack(arrays: Sequence[ArrayLike], axis: int = 0) -> Array:
    """Join a sequence of same-shaped arrays along a new axis."""
    arrays = list(arrays)
    if not arrays:
        raise ValueError("need at least one array to stack")
    nd = ndim_of(arrays[0]) + 1
    return concat_p(*[expand_dims(a, axis) for a in arrays], axis=axis % nd)


def split(ary, indices_or_sections, axis=0):
    """Split ``ary`` into a list of sub-arrays along ``axis`` (as :func:`numpy.split`)."""
    n = shape_of(ary)[axis]
    if isinstance(indices_or_sections, int | np.integer):
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    nd = ndim_of(ary)
    tail = (slice(None),) * (nd - 1 - axis % nd)
    pairs = itertools.pairwise(bounds)
    return [getitem_p(ary, (Ellipsis, slice(lo, hi), *tail)) for lo, hi in pairs]


def pack_sequence(a):
    """A list or tuple holding traced values, stacked into one traced array; else ``a``.

    NumPy converts nested sequences with ``asarray``; traced values cannot take that road
    (it would drop their derivative), so the functions of :mod:`m4ml.numpy` that take an
    array stack such a sequence first: ``mnp.sum([x, y])`` works as ``np.sum([x, y])`` does.
    """
    if isinstance(a, list | tuple) and _holds_tracer(a):
        return stack([pack_sequence(o) if isinstance(o, list | tuple) else o for o in a])
    return a


def _holds_tracer(seq):
    for o in seq:
        if isinstance(o, Tracer) or (isinstance(o, list | tuple) and _holds_tracer(o)):
            return True
    return False


def sort(a: ArrayLike, axis: int | None = -1) -> Array:
    """Sorted copy of ``a``; the derivative follows each element to its sorted position."""
    if axis is None:
        a = ravel(a)
        axis = 0
    values = primal(a)
    nd = np.ndim(values)
    if nd == 0:
        return a
    perm = np.argsort(values, axis=axis, kind="stable")
    axis %= nd
    grid = np.ogrid[tuple(slice(n) for n in np.shape(values))]
    index = tuple(perm if d == axis else grid[d] for d in range(nd))
    return getitem_p(a, index)
