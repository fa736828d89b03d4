"""Permuting entries: flip, fliplr, flipud, roll, rot90, rollaxis.

Each is a permutation :math:`P` of the entries, so :math:`\\dot y = P\\dot x` and
:math:`\\bar x = P^\\top \\bar y`: written with reversed slices (``flip``), two slices joined in
swapped order (``roll``) and transposes (``rot90``, ``rollaxis``), whose rules apply the
inverse movement to the cotangent.
"""

from collections.abc import Sequence

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import ndim_of, shape_of
from m4ml.autodiff.rules_arrange import _along, normalize_axis
from m4ml.autodiff.rules_shape import concat_p, getitem_p, moveaxis, reshape_p, transpose_p
from m4ml.autodiff.tracer import Array


def flip(m: ArrayLike, axis: int | tuple[int, ...] | None = None) -> Array:
    """Reverse the order of elements along ``axis`` (all axes by default), differentiable.

    Parameters
    ----------
    m : array_like or traced value
    axis : None, int or tuple of int

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    AxisError
        An axis out of range.

    Notes
    -----
    A permutation :math:`P` (its own inverse): :math:`\\bar x = P\\bar y`.

    Examples
    --------
    >>> import numpy as np
    >>> flip(np.array([[1.0, 2.0], [3.0, 4.0]]), 1)
    array([[2., 1.],
           [4., 3.]])
    """
    nd = ndim_of(m)
    axes = range(nd) if axis is None else (axis,) if isinstance(axis, int) else axis
    axes = {normalize_axis(a, nd) for a in axes}
    if not axes:
        return m
    rev = slice(None, None, -1)
    return getitem_p(m, tuple(rev if i in axes else slice(None) for i in range(nd)))


def fliplr(m: ArrayLike) -> Array:
    """Reverse the columns (axis 1) of an array of at least two dimensions.

    Examples
    --------
    >>> import numpy as np
    >>> fliplr(np.eye(2))
    array([[0., 1.],
           [1., 0.]])
    """
    if ndim_of(m) < 2:
        raise ValueError("fliplr needs an array of at least 2 dimensions")
    return flip(m, 1)


def flipud(m: ArrayLike) -> Array:
    """Reverse the rows (axis 0) of an array of at least one dimension.

    Examples
    --------
    >>> import numpy as np
    >>> flipud(np.array([1.0, 2.0]))
    array([2., 1.])
    """
    if ndim_of(m) < 1:
        raise ValueError("flipud needs an array of at least 1 dimension")
    return flip(m, 0)


def roll(
    a: ArrayLike, shift: int | Sequence[int], axis: int | Sequence[int] | None = None
) -> Array:
    """Shift elements cyclically along ``axis`` (the flattened array by default).

    Parameters
    ----------
    a : array_like or traced value
    shift : int or tuple of int
    axis : None, int or tuple of int

    Returns
    -------
    ndarray or traced value

    Notes
    -----
    Two slices joined in swapped order: a permutation, so the VJP rolls back.

    Examples
    --------
    >>> import numpy as np
    >>> roll(np.array([1.0, 2.0, 3.0]), 1)
    array([3., 1., 2.])
    """
    if axis is None:
        return reshape_p(roll(reshape_p(a, (-1,)), shift, 0), shape_of(a))
    nd = ndim_of(a)
    shifts, axes = np.broadcast_arrays(np.asarray(shift), np.asarray(axis))
    total = {}
    for s, ax in zip(shifts.ravel(), axes.ravel()):
        ax = normalize_axis(int(ax), nd)
        total[ax] = total.get(ax, 0) + int(s)
    out = a
    for ax, s in total.items():
        n = shape_of(out)[ax]
        s = s % n if n else 0
        if s:
            tail = getitem_p(out, _along(ax, nd, slice(n - s, None)))
            head = getitem_p(out, _along(ax, nd, slice(0, n - s)))
            out = concat_p(tail, head, axis=ax)
    return out


def rot90(m: ArrayLike, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Array:
    """Rotate an array by 90 degrees ``k`` times in the plane of ``axes`` (as NumPy).

    Examples
    --------
    >>> import numpy as np
    >>> rot90(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[2., 4.],
           [1., 3.]])
    """
    nd = ndim_of(m)
    if len(axes) != 2:
        raise ValueError("rot90: axes must name two axes")
    a0, a1 = normalize_axis(axes[0], nd, "axes"), normalize_axis(axes[1], nd, "axes")
    if a0 == a1:
        raise ValueError("rot90: the two axes must differ")
    k = int(k) % 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, a0), a1)
    perm = list(range(nd))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return transpose_p(flip(m, a1), tuple(perm))
    return flip(transpose_p(m, tuple(perm)), a1)


def rollaxis(a: ArrayLike, axis: int, start: int = 0) -> Array:
    """Roll ``axis`` backwards until it lies before ``start`` (prefer :func:`moveaxis`).

    Examples
    --------
    >>> import numpy as np
    >>> rollaxis(np.ones((3, 4, 5)), 2).shape
    (5, 3, 4)
    """
    n = ndim_of(a)
    axis = normalize_axis(axis, n)
    if not -n <= start <= n:
        raise np.exceptions.AxisError(f"start {start} is out of range for {n} dimensions")
    start = start + n if start < 0 else start
    if axis < start:
        start -= 1
    if axis == start:
        return a
    return moveaxis(a, axis, start)
