"""Rearranging arrays: pad, tril/triu, repeat, tile, atleast_*d and diagonal (flips, rolls and
rotations are in :mod:`m4ml.autodiff.rules_permute`).

Each operation only moves (or zeroes) entries, so it is linear in its input. ``pad`` is its own
primitive (JVP: pad the tangent with zeros; VJP: slice the padded border off the cotangent);
the others are written with the differentiable primitives of :mod:`rules_shape` and
:mod:`rules_elementwise`, chosen so that the reverse pass stays cheap:

* ``tril``/``triu``: :math:`\\mathrm{where}(M, x, 0)` with the triangular mask :math:`M`, so
  the VJP masks the cotangent the same way;
* ``tile`` and ``repeat`` with one count: a reshape, a broadcast and a reshape, so the VJP is
  a sum over the copies; ``repeat`` with per-element counts gathers with an index array;

Values equal NumPy's (the tests compare them exactly).
"""

from collections.abc import Sequence
from typing import Literal

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import Primitive, ndim_of, shape_of
from m4ml.autodiff.rules_elementwise import where_p
from m4ml.autodiff.rules_shape import (
    broadcast_to_p,
    getitem_p,
    reshape_p,
    transpose_p,
)
from m4ml.autodiff.tracer import Array, Tracer


def normalize_axis(axis, nd, name="axis"):
    """``axis`` as a non-negative int; TypeError for a non-integer, AxisError out of range."""
    if not isinstance(axis, int | np.integer):
        raise TypeError(f"{name} must be an integer, got {axis!r}")
    if not -nd <= axis < nd:
        raise np.exceptions.AxisError(int(axis), nd)
    return int(axis) % nd


def _along(axis, nd, item):
    """An index applying ``item`` along ``axis`` of an ``nd``-dimensional array."""
    return (slice(None),) * axis + (item,) + (slice(None),) * (nd - axis - 1)


# -- pad --------------------------------------------------------------------------------------
def _pad_impl(x, pad_width, constant_values):
    return np.pad(x, pad_width, mode="constant", constant_values=constant_values)


pad_p = Primitive(_pad_impl, "pad", keep_args=False, keep_ans=False)


def _pad_vjp(g, ans, x, pad_width, constant_values):
    inner = tuple(slice(lo, lo + n) for (lo, _), n in zip(pad_width, shape_of(x)))
    return getitem_p(g, (Ellipsis, *inner))


def _pad_jvp(t, ans, x, pad_width, constant_values):
    nb = ndim_of(t) - ndim_of(x)
    return pad_p(t, ((0, 0),) * nb + pad_width, 0.0)


pad_p.defvjp(_pad_vjp)
pad_p.defjvp(_pad_jvp)

_GATHER_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(
    array: ArrayLike,
    pad_width: ArrayLike,
    mode: Literal["constant", "edge", "reflect", "symmetric", "wrap"] = "constant",
    constant_values: ArrayLike = 0,
) -> Array:
    """Pad an array (as :func:`numpy.pad`), differentiable in ``array``.

    Parameters
    ----------
    array : array_like or traced value
    pad_width : int or sequence
        ``((before_1, after_1), ..., (before_N, after_N))``, or one pair / one int for all axes.
    mode : {"constant", "edge", "reflect", "symmetric", "wrap"}
    constant_values : scalar or sequence
        The fill for ``mode="constant"`` (a constant: no derivative flows to it).

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        Another ``mode``, or a negative width.
    TypeError
        ``constant_values`` is a traced value.

    Notes
    -----
    Constant padding is :math:`y = P x + c` with :math:`P` the embedding of ``array`` into the
    bigger shape: :math:`\\dot y = P\\dot x`, :math:`\\bar x = P^\\top \\bar y` (the interior of
    :math:`\\bar y`). The other modes copy entries of ``array``: they gather with the index
    pattern ``numpy.pad`` produces for ``arange(n)``, so repeated copies add up in the VJP.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> pad(np.array([1.0, 2.0]), 1)
    array([0., 1., 2., 0.])
    >>> grad(lambda x: (pad(x, 2, mode="edge") ** 2).sum())(np.array([1.0, 2.0]))
    array([ 6., 12.])
    """
    nd = ndim_of(array)
    width = np.asarray(pad_width)
    if width.dtype.kind not in "iu":
        raise TypeError(f"pad_width must hold integers, got {pad_width!r}")
    try:
        width = np.broadcast_to(width, (nd, 2))
    except ValueError:
        msg = f"pad_width {pad_width!r} does not fit an array of {nd} dimensions"
        raise ValueError(msg) from None
    if np.any(width < 0):
        raise ValueError(f"pad_width must be non-negative, got {pad_width!r}")
    width = tuple((int(lo), int(hi)) for lo, hi in width)
    if mode == "constant":
        if isinstance(constant_values, Tracer):
            raise TypeError("constant_values of pad must be a constant, not a traced value")
        return pad_p(array, width, constant_values)
    if mode not in _GATHER_MODES:
        raise ValueError(f"pad mode must be 'constant' or one of {_GATHER_MODES}, got {mode!r}")
    out = array
    for ax, (lo, hi) in enumerate(width):
        if lo or hi:
            n = shape_of(out)[ax]
            if n == 0:
                raise ValueError(f"cannot pad an empty axis {ax} with mode {mode!r}")
            index = np.pad(np.arange(n), (lo, hi), mode=mode)
            out = getitem_p(out, _along(ax, nd, index))
    return out


# -- triangles --------------------------------------------------------------------------------
def _triangle(m, k, lower):
    s = shape_of(m)
    if len(s) == 0:
        raise ValueError("tril/triu need an array of at least one dimension")
    rows, cols = (s[-2], s[-1]) if len(s) >= 2 else (s[-1], s[-1])
    mask = np.tri(rows, cols, k, dtype=bool)
    if not lower:
        mask = ~np.tri(rows, cols, k - 1, dtype=bool)
    dt = m.dtype if hasattr(m, "dtype") else np.asarray(m).dtype
    return where_p(mask, m, np.zeros((), dtype=dt))


def tril(m: ArrayLike, k: int = 0) -> Array:
    """Lower triangle of ``m`` (entries above the ``k``-th diagonal zeroed), differentiable.

    Parameters
    ----------
    m : array_like or traced value, shape (..., M, N)
        A 1-D input is treated as the rows of an N x N matrix, as NumPy does.
    k : int
        Diagonal above which to zero (0 is the main diagonal, negative is below it).

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        ``m`` is 0-dimensional.

    Notes
    -----
    :math:`y = M \\circ x` with the 0/1 mask :math:`M_{ij} = [j - i \\le k]`, so
    :math:`\\bar x = M \\circ \\bar y` and :math:`\\dot y = M \\circ \\dot x`.

    Examples
    --------
    >>> import numpy as np
    >>> tril(np.ones((2, 3)))
    array([[1., 0., 0.],
           [1., 1., 0.]])
    """
    return _triangle(m, int(k), True)


def triu(m: ArrayLike, k: int = 0) -> Array:
    """Upper triangle of ``m`` (entries below the ``k``-th diagonal zeroed), differentiable.

    Parameters
    ----------
    m : array_like or traced value, shape (..., M, N)
    k : int
        Diagonal below which to zero.

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        ``m`` is 0-dimensional.

    Notes
    -----
    :math:`y = M \\circ x` with :math:`M_{ij} = [j - i \\ge k]`; the rules mask likewise.

    Examples
    --------
    >>> import numpy as np
    >>> triu(np.ones((2, 3)), 1)
    array([[0., 1., 1.],
           [0., 0., 1.]])
    """
    return _triangle(m, int(k), False)


# -- repeat, tile -----------------------------------------------------------------------------
def repeat(a: ArrayLike, repeats: int | ArrayLike, axis: int | None = None) -> Array:
    """Repeat each element of ``a`` (as :func:`numpy.repeat`), differentiable.

    Parameters
    ----------
    a : array_like or traced value
    repeats : int or sequence of int
        Copies of each element (broadcast along ``axis``).
    axis : int, optional
        The axis along which to repeat; the flattened array by default.

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        Negative repeats or a count that does not match the axis length.

    Notes
    -----
    Copying is linear: the VJP adds up the cotangents of the copies of each element.

    Examples
    --------
    >>> import numpy as np
    >>> repeat(np.array([[1.0, 2.0]]), 2, axis=1)
    array([[1., 1., 2., 2.]])
    """
    if axis is None:
        a = reshape_p(a, (-1,))
        axis = 0
    nd = ndim_of(a)
    axis = normalize_axis(axis, nd)
    s = shape_of(a)
    reps = np.asarray(repeats)
    if reps.dtype.kind not in "iu" or np.any(reps < 0):
        raise ValueError(f"repeats must be non-negative integers, got {repeats!r}")
    if reps.ndim == 0 or reps.size == 1:
        r = int(reps.reshape(()))
        x = reshape_p(a, (*s[: axis + 1], 1, *s[axis + 1 :]))
        x = broadcast_to_p(x, (*s[: axis + 1], r, *s[axis + 1 :]))
        return reshape_p(x, (*s[:axis], s[axis] * r, *s[axis + 1 :]))
    if reps.shape != (s[axis],):
        raise ValueError(f"repeats has {reps.size} entries for an axis of length {s[axis]}")
    return getitem_p(a, _along(axis, nd, np.repeat(np.arange(s[axis]), reps)))


def tile(A: ArrayLike, reps: int | Sequence[int]) -> Array:
    """Repeat the whole of ``A`` ``reps`` times along each axis (as :func:`numpy.tile`).

    Parameters
    ----------
    A : array_like or traced value
    reps : int or sequence of int

    Returns
    -------
    ndarray or traced value
        ``A`` promoted to ``max(A.ndim, len(reps))`` dimensions and tiled.

    Raises
    ------
    ValueError
        A negative count.

    Notes
    -----
    Written as reshape, broadcast and reshape, so the VJP sums the cotangent over the copies.

    Examples
    --------
    >>> import numpy as np
    >>> tile(np.array([1.0, 2.0]), (2, 2))
    array([[1., 2., 1., 2.],
           [1., 2., 1., 2.]])
    """
    reps = (int(reps),) if isinstance(reps, int | np.integer) else tuple(int(r) for r in reps)
    if any(r < 0 for r in reps):
        raise ValueError(f"reps must be non-negative, got {reps}")
    s = shape_of(A)
    d = max(len(reps), len(s))
    s = (1,) * (d - len(s)) + tuple(s)
    reps = (1,) * (d - len(reps)) + reps
    inter = tuple(v for n in s for v in (1, n))
    big = tuple(v for r, n in zip(reps, s) for v in (r, n))
    x = broadcast_to_p(reshape_p(A, inter), big)
    return reshape_p(x, tuple(r * n for r, n in zip(reps, s)))


# -- promotion, diagonals ---------------------------------------------------------------------
def _atleast(arys, shaper):
    out = [reshape_p(a, shaper(shape_of(a))) if len(shape_of(a)) < 3 else a for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys: ArrayLike) -> Array | list[Array]:
    """View inputs as arrays of at least one dimension (a list for several inputs)."""
    return _atleast(arys, lambda s: s if len(s) >= 1 else (1,))


def atleast_2d(*arys: ArrayLike) -> Array | list[Array]:
    """View inputs as arrays of at least two dimensions (a 1-D ``(n,)`` becomes ``(1, n)``)."""
    return _atleast(arys, lambda s: s if len(s) >= 2 else (1,) * (2 - len(s)) + tuple(s))


def atleast_3d(*arys: ArrayLike) -> Array | list[Array]:
    """At least three dimensions: ``(n,)`` becomes ``(1, n, 1)``, ``(m, n)`` ``(m, n, 1)``."""
    table = {0: lambda s: (1, 1, 1), 1: lambda s: (1, s[0], 1), 2: lambda s: (*s, 1)}
    return _atleast(arys, lambda s: table[len(s)](s))


def meshgrid(*xi: ArrayLike, indexing: Literal["xy", "ij"] = "xy") -> list[Array]:
    """Coordinate grids from 1-D coordinate vectors (``numpy.meshgrid``, sparse=False).

    Each output is one input reshaped to vary along its own axis and broadcast to the full
    grid, so its derivative is the sum of the cotangent over the other axes (the
    ``broadcast_to`` rule). ``indexing="xy"`` swaps the first two axes, as NumPy does.
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}")
    sizes = [int(np.size(x)) if not shape_of(x) else int(np.prod(shape_of(x))) for x in xi]
    n = len(xi)
    shape = list(sizes)
    if indexing == "xy" and n >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, x in enumerate(xi):
        axis = i
        if indexing == "xy" and n >= 2 and i < 2:
            axis = 1 - i
        s = [1] * n
        s[axis] = sizes[i]
        out.append(broadcast_to_p(reshape_p(x, tuple(s)), tuple(shape)))
    return out


def diagonal(a: ArrayLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The ``offset`` diagonal of the planes ``(axis1, axis2)``, appended as the last axis.

    Examples
    --------
    >>> import numpy as np
    >>> diagonal(np.arange(6.0).reshape(2, 3), 1)
    array([1., 5.])
    """
    nd = ndim_of(a)
    if nd < 2:
        raise ValueError("diagonal needs an array of at least 2 dimensions")
    a1, a2 = normalize_axis(axis1, nd, "axis1"), normalize_axis(axis2, nd, "axis2")
    if a1 == a2:
        raise ValueError("diagonal: axis1 and axis2 must differ")
    rest = [i for i in range(nd) if i not in (a1, a2)]
    x = transpose_p(a, (*rest, a1, a2))
    m, n = shape_of(x)[-2:]
    offset = int(offset)
    i = np.arange(max(0, -offset), max(0, min(m, n - offset)))
    return getitem_p(x, (Ellipsis, i, i + offset))
