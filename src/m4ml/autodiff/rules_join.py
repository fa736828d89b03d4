"""Joining, splitting and differencing: the ``*stack``/``*split`` family, append, diff, gradient.

All are compositions of ``concatenate`` (VJP: slice the cotangent back into pieces), slicing
(VJP: scatter into zeros) and arithmetic, so their derivatives in both modes and to any order
come from those primitives' rules. Values and shapes follow NumPy, including its promotion of
low-dimensional inputs (``hstack`` of 1-D arrays joins along axis 0, ``column_stack`` turns
1-D arrays into columns, ``dstack`` promotes with ``atleast_3d``).
"""

import itertools
from collections.abc import Sequence
from typing import Literal

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff.core import ndim_of, shape_of
from m4ml.autodiff.rules_arrange import _along, atleast_1d, atleast_2d, atleast_3d, normalize_axis
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_elementwise import divide, multiply, subtract
from m4ml.autodiff.rules_shape import broadcast_to_p, concatenate, getitem_p, ravel, reshape_p
from m4ml.autodiff.tracer import Array


def _listify(x):
    return list(x) if isinstance(x, list | tuple) else [x]


def vstack(tup: Sequence[ArrayLike]) -> Array:
    """Stack arrays vertically: ``concatenate(atleast_2d(*tup), axis=0)``.

    Examples
    --------
    >>> import numpy as np
    >>> vstack([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    array([[1., 2.],
           [3., 4.]])
    """
    return concatenate(_listify(atleast_2d(*tup)), axis=0)


row_stack = vstack


def hstack(tup: Sequence[ArrayLike]) -> Array:
    """Stack arrays horizontally (along axis 1, or axis 0 for 1-D arrays).

    Examples
    --------
    >>> import numpy as np
    >>> hstack([np.array([1.0]), np.array([2.0, 3.0])])
    array([1., 2., 3.])
    """
    arrs = _listify(atleast_1d(*tup))
    return concatenate(arrs, axis=0 if ndim_of(arrs[0]) == 1 else 1)


def column_stack(tup: Sequence[ArrayLike]) -> Array:
    """Stack 1-D arrays as columns (2-D arrays are joined as they are) along axis 1.

    Examples
    --------
    >>> import numpy as np
    >>> column_stack([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    array([[1., 3.],
           [2., 4.]])
    """
    arrs = []
    for a in tup:
        s = shape_of(a)
        arrs.append(reshape_p(a, (int(np.prod(s)), 1)) if len(s) < 2 else a)
    return concatenate(arrs, axis=1)


def dstack(tup: Sequence[ArrayLike]) -> Array:
    """Stack arrays along the third axis after ``atleast_3d``.

    Examples
    --------
    >>> import numpy as np
    >>> dstack([np.ones(2), np.zeros(2)]).shape
    (1, 2, 2)
    """
    return concatenate(_listify(atleast_3d(*tup)), axis=2)


def _bounds(n, indices_or_sections, equal):
    if isinstance(indices_or_sections, int | np.integer):
        k = int(indices_or_sections)
        if k <= 0:
            raise ValueError(f"number of sections must be positive, got {k}")
        if equal and n % k:
            raise ValueError("array split does not result in an equal division")
        each, extra = divmod(n, k)
        sizes = [each + 1] * extra + [each] * (k - extra)
        return [0, *np.cumsum(sizes).tolist()]
    return [0, *[int(i) for i in indices_or_sections], n]


def _split(ary, indices_or_sections, axis, equal):
    nd = ndim_of(ary)
    axis = normalize_axis(axis, nd)
    b = _bounds(shape_of(ary)[axis], indices_or_sections, equal)
    return [getitem_p(ary, _along(axis, nd, slice(lo, hi))) for lo, hi in itertools.pairwise(b)]


def array_split(
    ary: ArrayLike, indices_or_sections: int | Sequence[int], axis: int = 0
) -> list[Array]:
    """Split into sub-arrays; ``k`` sections need not divide the axis (the first are longer).

    Examples
    --------
    >>> import numpy as np
    >>> [p.tolist() for p in array_split(np.arange(5.0), 2)]
    [[0.0, 1.0, 2.0], [3.0, 4.0]]
    """
    return _split(ary, indices_or_sections, axis, equal=False)


def split(ary: ArrayLike, indices_or_sections: int | Sequence[int], axis: int = 0) -> list[Array]:
    """Split into sub-arrays (as :func:`numpy.split`: ``k`` sections must divide the axis).

    Examples
    --------
    >>> import numpy as np
    >>> [p.tolist() for p in split(np.arange(4.0), [1])]
    [[0.0], [1.0, 2.0, 3.0]]
    """
    return _split(ary, indices_or_sections, axis, equal=True)


def hsplit(ary: ArrayLike, indices_or_sections: int | Sequence[int]) -> list[Array]:
    """Split along axis 1 (axis 0 for 1-D input)."""
    nd = ndim_of(ary)
    if nd == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(ary, indices_or_sections, 1 if nd > 1 else 0)


def vsplit(ary: ArrayLike, indices_or_sections: int | Sequence[int]) -> list[Array]:
    """Split along axis 0 (needs at least 2 dimensions)."""
    if ndim_of(ary) < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


def dsplit(ary: ArrayLike, indices_or_sections: int | Sequence[int]) -> list[Array]:
    """Split along axis 2 (needs at least 3 dimensions)."""
    if ndim_of(ary) < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, 2)


def append(arr: ArrayLike, values: ArrayLike, axis: int | None = None) -> Array:
    """``arr`` with ``values`` appended (both flattened when ``axis`` is None).

    Examples
    --------
    >>> import numpy as np
    >>> append(np.array([1.0, 2.0]), [[3.0]])
    array([1., 2., 3.])
    """
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], axis=0)
    return concatenate([arr, values], axis=axis)


def _slab(a, axis, like):
    """A scalar/array ``a`` broadcast to the shape of ``like`` with length 1 along ``axis``."""
    s = list(shape_of(like))
    s[axis] = 1
    if len(shape_of(a)) == 0:
        return broadcast_to_p(a, tuple(s))
    return a


def diff(
    a: ArrayLike,
    n: int = 1,
    axis: int = -1,
    prepend: ArrayLike | None = None,
    append: ArrayLike | None = None,
) -> Array:
    """The ``n``-th forward difference along ``axis``: ``out[i] = a[i + 1] - a[i]``.

    Parameters
    ----------
    a : array_like or traced value
    n : int
        Number of times to difference (0 returns ``a``).
    axis : int
    prepend, append : array_like or traced value, optional
        Values joined to ``a`` along ``axis`` first (scalars are broadcast).

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        ``n`` negative.

    Notes
    -----
    Each difference is linear, :math:`D = S_{+} - S_{-}` with the two shifted slices, so
    :math:`\\bar a = S_{+}^\\top\\bar y - S_{-}^\\top\\bar y`.

    Examples
    --------
    >>> import numpy as np
    >>> diff(np.array([1.0, 4.0, 9.0]))
    array([3., 5.])
    """
    n = int(n)
    if n < 0:
        raise ValueError(f"order n must be non-negative, got {n}")
    nd = ndim_of(a)
    if nd == 0:
        raise ValueError("diff requires an input of at least one dimension")
    axis = normalize_axis(axis, nd)
    parts = []
    if prepend is not None:
        parts.append(_slab(prepend, axis, a))
    parts.append(a)
    if append is not None:
        parts.append(_slab(append, axis, a))
    if len(parts) > 1:
        a = concatenate(parts, axis=axis)
    for _ in range(n):
        a = subtract(
            getitem_p(a, _along(axis, nd, slice(1, None))),
            getitem_p(a, _along(axis, nd, slice(None, -1))),
        )
    return a


def _coeffs(c, axis, nd):
    c = np.asarray(c, dtype=float)
    return c.reshape(c.shape + (1,) * (nd - axis - 1)) if c.ndim else c


def _gradient_axis(f, h, axis, nd, edge_order):
    n = shape_of(f)[axis]
    if n < edge_order + 1:
        raise ValueError(
            f"gradient needs at least edge_order + 1 = {edge_order + 1} points along axis "
            f"{axis}, got {n}"
        )

    def s(lo, hi):
        return getitem_p(f, _along(axis, nd, slice(lo, hi)))

    def c(v):
        return _coeffs(v, axis, nd)

    if np.ndim(h) == 0:
        dx = np.full(n - 1, float(h))
    else:
        x = np.asarray(h, dtype=float)
        if x.shape != (n,):
            raise ValueError(f"coordinates for axis {axis} must have length {n}, got {x.shape}")
        dx = np.diff(x)
    if np.all(dx == dx[0]):
        inner = divide(subtract(s(2, None), s(None, -2)), 2.0 * dx[0])
    else:
        d1, d2 = dx[:-1], dx[1:]
        a, b, cc = -d2 / (d1 * (d1 + d2)), (d2 - d1) / (d1 * d2), d1 / (d2 * (d1 + d2))
        inner = _add(
            _add(multiply(c(a), s(None, -2)), multiply(c(b), s(1, -1))), multiply(c(cc), s(2, None))
        )
    if edge_order == 1:
        first = divide(subtract(s(1, 2), s(0, 1)), dx[0])
        last = divide(subtract(s(-1, None), s(-2, -1)), dx[-1])
    else:
        p, q = dx[0], dx[1]
        w = (-(2 * p + q) / (p * (p + q)), (p + q) / (p * q), -p / (q * (p + q)))
        first = _add(
            _add(multiply(w[0], s(0, 1)), multiply(w[1], s(1, 2))), multiply(w[2], s(2, 3))
        )
        p, q = dx[-2], dx[-1]
        w = (q / (p * (p + q)), -(q + p) / (p * q), (2 * q + p) / (q * (p + q)))
        last = _add(
            _add(multiply(w[0], s(-3, -2)), multiply(w[1], s(-2, -1))), multiply(w[2], s(-1, None))
        )
    return concatenate([first, inner, last], axis=axis)


def gradient(
    f: ArrayLike,
    *varargs: ArrayLike,
    axis: int | Sequence[int] | None = None,
    edge_order: Literal[1, 2] = 1,
) -> Array | list[Array]:
    """Second-order accurate central differences of sampled values (as :func:`numpy.gradient`).

    Parameters
    ----------
    f : array_like or traced value
        Samples, at least 2 per differentiated axis (3 for ``edge_order=2``).
    *varargs : scalars or 1-D arrays, optional
        Spacing per axis (one scalar for all), or the coordinates of the samples (constants).
    axis : None, int or tuple of int
    edge_order : {1, 2}
        Accuracy of the one-sided differences at the ends.

    Returns
    -------
    ndarray, traced value, or a list of them (one per axis when several)

    Raises
    ------
    ValueError
        Too few samples, a bad ``edge_order`` or mismatched spacings.

    Notes
    -----
    Interior points use the second-order formula for spacings :math:`h_1, h_2`:

    .. math:: f'_i \\approx -\\frac{h_2}{h_1(h_1+h_2)} f_{i-1} + \\frac{h_2 - h_1}{h_1 h_2}
       f_i + \\frac{h_1}{h_2(h_1+h_2)} f_{i+1},

    which is :math:`(f_{i+1} - f_{i-1})/(2h)` for uniform spacing. The map is linear in
    :math:`f`, so its derivative is itself.

    Examples
    --------
    >>> import numpy as np
    >>> gradient(np.array([1.0, 2.0, 4.0, 7.0]))
    array([1. , 1.5, 2.5, 3. ])
    """
    nd = ndim_of(f)
    if edge_order not in (1, 2):
        raise ValueError(f"edge_order must be 1 or 2, got {edge_order!r}")
    if axis is None:
        axes = list(range(nd))
    else:
        axes = [normalize_axis(a, nd) for a in ((axis,) if isinstance(axis, int) else axis)]
    if not varargs:
        spacing = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        spacing = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        spacing = list(varargs)
    else:
        raise ValueError(f"gradient got {len(varargs)} spacings for {len(axes)} axes")
    out = [_gradient_axis(f, h, ax, nd, edge_order) for h, ax in zip(spacing, axes)]
    return out[0] if len(out) == 1 else out
