"""More of NumPy's functions with derivative rules: mod, fmax/fmin, logaddexp2, sinc,
nan_to_num, angle conversions, the real-input complex helpers, select, kron, cross, partition
and linspace with traced endpoints.

New primitives (each with a VJP and a JVP rule written in differentiable primitives):

* ``mod`` (``remainder``, the ``%`` operator): :math:`x \\bmod y = x - y\\lfloor x/y\\rfloor`,
  so :math:`\\partial/\\partial x = 1` and :math:`\\partial/\\partial y = -\\lfloor x/y\\rfloor`
  (the floor is piecewise constant; at its jumps the one-sided value of NumPy's result is used);
* ``fmax``/``fmin``: like ``maximum``/``minimum`` (ties share the cotangent equally) except that
  a NaN argument loses, as NumPy's ``fmax`` ignores NaN;
* ``logaddexp2``: :math:`\\partial/\\partial x = 2^{x - y}` with :math:`y` the result;
* ``sinc``: :math:`\\operatorname{sinc} x = \\sin(\\pi x)/(\\pi x)`, derivative
  :math:`(\\cos(\\pi x) - \\operatorname{sinc} x)/x`, itself a primitive whose value near 0 is
  taken from its Taylor series (so the derivative at 0 is 0 and the second derivative
  :math:`-\\pi^2/3`).

The others are compositions of existing primitives.
"""

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from m4ml._core.hints import ArrayLike, NDArray
from m4ml.autodiff.core import Primitive, ndim_of, primal, set_signature, shape_of
from m4ml.autodiff.rules_arrange import normalize_axis
from m4ml.autodiff.rules_elementwise import (
    NONDIFF,
    UNARY_PRIMS,
    _tie_weights,
    divide,
    multiply,
    subtract,
    where_p,
)
from m4ml.autodiff.rules_elementwise import add as _add
from m4ml.autodiff.rules_shape import concatenate, getitem_p, moveaxis, reshape_p, stack
from m4ml.autodiff.tracer import Array, Tracer, TracerError

exp2 = UNARY_PRIMS["exp2"]


def _ufunc(fun, name, **kw):
    return Primitive(fun, name, broadcasting=True, **kw)


# -- mod --------------------------------------------------------------------------------------
mod = _ufunc(np.mod, "mod", keep_ans=False)
remainder = mod


def _quotient(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(primal(x), primal(y))


mod.defvjp(lambda g, ans, x, y: g, lambda g, ans, x, y: multiply(g, -_quotient(x, y)))
mod.defjvp(lambda t, ans, x, y: t, lambda t, ans, x, y: multiply(t, -_quotient(x, y)))
floor_divide = _ufunc(np.floor_divide, "floor_divide", nondiff=True)

# -- fmax, fmin -------------------------------------------------------------------------------
fmax = _ufunc(np.fmax, "fmax", keep_ans=False)
fmin = _ufunc(np.fmin, "fmin", keep_ans=False)


def _nan_aware(greater):
    def wins(a, b):
        a, b = primal(a), primal(b)
        return (greater(a, b) | np.isnan(b)) & ~np.isnan(a)

    return wins


def _f_rules(prim, greater):
    wins = _nan_aware(greater)

    def rx(g, ans, x, y):
        return multiply(g, _tie_weights(x, y, wins, g))

    def ry(g, ans, x, y):
        return multiply(g, _tie_weights(y, x, wins, g))

    prim.defvjp(rx, ry)
    prim.defjvp(rx, ry)


_f_rules(fmax, np.greater)
_f_rules(fmin, np.less)

# -- logaddexp2 -------------------------------------------------------------------------------
logaddexp2 = _ufunc(np.logaddexp2, "logaddexp2")
logaddexp2.defvjp(
    lambda g, ans, x, y: multiply(g, exp2(subtract(x, ans))),
    lambda g, ans, x, y: multiply(g, exp2(subtract(y, ans))),
)
logaddexp2.defjvp(
    lambda t, ans, x, y: multiply(t, exp2(subtract(x, ans))),
    lambda t, ans, x, y: multiply(t, exp2(subtract(y, ans))),
)

# -- sinc -------------------------------------------------------------------------------------
_SMALL = 1e-3
_PI2 = math.pi**2


def _dsinc_impl(x):
    x = np.asarray(x, dtype=np.result_type(x, np.float64))
    small = np.abs(x) < _SMALL
    safe = np.where(small, 1.0, x)
    far = (np.cos(np.pi * safe) - np.sinc(safe)) / safe
    x2 = x * x
    series = x * (-_PI2 / 3.0 + x2 * (_PI2**2 / 30.0 - x2 * _PI2**3 / 840.0))
    return np.where(small, series, far)


sinc = _ufunc(np.sinc, "sinc")
set_signature(sinc, ("x",))
dsinc = _ufunc(_dsinc_impl, "dsinc")


def _d2sinc(x):
    """sinc''(x) = -pi^2 sinc(x) - 2 sinc'(x)/x, from its series near 0."""
    small = NONDIFF["less"](UNARY_PRIMS["abs"](x), _SMALL)
    safe = where_p(small, 1.0, x)
    far = subtract(multiply(-_PI2, sinc(safe)), divide(multiply(2.0, dsinc(safe)), safe))
    x2 = multiply(x, x)
    series = _add(-_PI2 / 3.0, multiply(x2, _PI2**2 / 10.0))
    series = _add(series, multiply(multiply(x2, x2), -(_PI2**3) / 168.0))
    return where_p(small, series, far)


sinc.defvjp(lambda g, ans, x: multiply(g, dsinc(x)))
sinc.defjvp(lambda t, ans, x: multiply(t, dsinc(x)))
dsinc.defvjp(lambda g, ans, x: multiply(g, _d2sinc(x)))
dsinc.defjvp(lambda t, ans, x: multiply(t, _d2sinc(x)))


# -- compositions -----------------------------------------------------------------------------
def fabs(x: ArrayLike) -> Array:
    """Absolute value as a float (derivative ``sign(x)``, 0 at 0)."""
    return UNARY_PRIMS["abs"](x)


def deg2rad(x: ArrayLike) -> Array:
    """Degrees to radians, :math:`\\pi x/180` (also called ``radians``)."""
    return multiply(x, math.pi / 180.0)


def rad2deg(x: ArrayLike) -> Array:
    """Radians to degrees, :math:`180 x/\\pi` (also called ``degrees``)."""
    return multiply(x, 180.0 / math.pi)


def nan_to_num(
    x: ArrayLike,
    copy: bool = True,
    nan: float = 0.0,
    posinf: float | None = None,
    neginf: float | None = None,
) -> Array:
    """Replace NaN and infinities by finite numbers (as :func:`numpy.nan_to_num`).

    The derivative is 1 at finite entries and 0 at the replaced ones (constants).

    Examples
    --------
    >>> import numpy as np
    >>> nan_to_num(np.array([1.0, np.nan]))
    array([1., 0.])
    """
    if not isinstance(x, Tracer):
        return np.nan_to_num(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)
    v = primal(x)
    fill = np.nan_to_num(v, nan=nan, posinf=posinf, neginf=neginf)
    return where_p(np.isfinite(v), x, fill)


def real(val: ArrayLike) -> Array:
    """The real part; for real input (all m4ml differentiates) the input itself."""
    return val if isinstance(val, Tracer) else np.real(val)


def imag(val: ArrayLike) -> Array:
    """The imaginary part; for real input an array of zeros (a constant)."""
    if not isinstance(val, Tracer):
        return np.imag(val)
    return np.zeros(shape_of(val), dtype=val.dtype)


def conj(x: ArrayLike) -> Array:
    """The complex conjugate; for real input the input itself (also ``conjugate``)."""
    return np.conj(x) if not isinstance(x, Tracer) else x


def angle(z: ArrayLike, deg: bool = False) -> Array:
    """The argument of ``z``; for real input 0 or :math:`\\pi` (piecewise constant)."""
    return np.angle(primal(z), deg=deg)


def select(
    condlist: Sequence[ArrayLike], choicelist: Sequence[ArrayLike], default: ArrayLike = 0
) -> Array:
    """Entries from ``choicelist`` where the matching condition first holds, else ``default``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(4.0)
    >>> select([x < 1, x > 2], [x, x ** 2], default=-1.0)
    array([ 0., -1., -1.,  9.])
    """
    if len(condlist) != len(choicelist):
        raise ValueError("select: condlist and choicelist must have the same length")
    if not condlist:
        raise ValueError("select needs at least one condition")
    out = default
    shape = np.broadcast_shapes(*[shape_of(c) for c in (*condlist, *choicelist)])
    for cond, choice in zip(reversed(condlist), reversed(choicelist)):
        c = np.asarray(primal(cond))
        if c.dtype != bool:
            raise TypeError(f"select: conditions must be boolean arrays, got dtype {c.dtype}")
        out = where_p(c, choice, out)
    return out if shape_of(out) == shape else _add(out, np.zeros(shape))


def kron(a: ArrayLike, b: ArrayLike) -> Array:
    """Kronecker product, differentiable in both factors.

    Notes
    -----
    :math:`(A\\otimes B)_{(i,k),(j,l)} = a_{ij} b_{kl}`: an outer product reshaped, so its
    rules are the product rule.

    Examples
    --------
    >>> import numpy as np
    >>> kron(np.eye(2), np.array([[1.0, 2.0]]))
    array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]])
    """
    sa, sb = shape_of(a), shape_of(b)
    nd = max(len(sa), len(sb))
    sa = (1,) * (nd - len(sa)) + tuple(sa)
    sb = (1,) * (nd - len(sb)) + tuple(sb)
    ra = reshape_p(a, tuple(v for n in sa for v in (n, 1)))
    rb = reshape_p(b, tuple(v for n in sb for v in (1, n)))
    return reshape_p(multiply(ra, rb), tuple(p * q for p, q in zip(sa, sb)))


def cross(
    a: ArrayLike,
    b: ArrayLike,
    axisa: int = -1,
    axisb: int = -1,
    axisc: int = -1,
    axis: int | None = None,
) -> Array:
    """Cross product of 3-vectors (or 2-vectors, as NumPy) along an axis, differentiable.

    Examples
    --------
    >>> import numpy as np
    >>> cross(np.array([1.0, 0.0, 0.0]), np.array([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(a, normalize_axis(axisa, ndim_of(a), "axisa"), -1)
    b = moveaxis(b, normalize_axis(axisb, ndim_of(b), "axisb"), -1)
    na, nb = shape_of(a)[-1], shape_of(b)[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("cross: vectors must have 2 or 3 components along the axis")

    def comp(v, i, n):
        return getitem_p(v, (Ellipsis, i)) if i < n else 0.0

    a0, a1, a2 = (comp(a, i, na) for i in range(3))
    b0, b1, b2 = (comp(b, i, nb) for i in range(3))
    z = subtract(multiply(a0, b1), multiply(a1, b0))
    if na == 2 and nb == 2:
        return z
    x = subtract(multiply(a1, b2), multiply(a2, b1))
    y = subtract(multiply(a2, b0), multiply(a0, b2))
    nd = len(np.broadcast_shapes(shape_of(x), shape_of(y), shape_of(z))) + 1
    full = np.broadcast_shapes(shape_of(x), shape_of(y), shape_of(z))
    parts = [c if shape_of(c) == full else _add(c, np.zeros(full)) for c in (x, y, z)]
    return moveaxis(stack(parts, axis=-1), -1, normalize_axis(axisc, nd, "axisc"))


def partition(a: ArrayLike, kth: int | Sequence[int], axis: int | None = -1) -> Array:
    """Partially sorted copy: the ``kth`` entry in sorted position, smaller ones before it.

    The derivative follows each element to its new position (a permutation), as ``sort``.

    Examples
    --------
    >>> import numpy as np
    >>> partition(np.array([3.0, 1.0, 2.0]), 0)[0]
    np.float64(1.0)
    """
    if axis is None:
        a = reshape_p(a, (-1,))
        axis = 0
    v = primal(a)
    nd = np.ndim(v)
    axis = normalize_axis(axis, nd)
    perm = np.argpartition(v, kth, axis=axis)
    grid = np.ogrid[tuple(slice(n) for n in np.shape(v))]
    return getitem_p(a, tuple(perm if d == axis else grid[d] for d in range(nd)))


def take_along_axis(arr: ArrayLike, indices: ArrayLike, axis: int | None = -1) -> Array:
    """Gather ``arr`` at ``indices`` along ``axis`` (as :func:`numpy.take_along_axis`).

    A gather, so the VJP scatters the cotangent back (repeated indices add up).

    Examples
    --------
    >>> import numpy as np
    >>> take_along_axis(np.array([[3.0, 1.0], [0.0, 5.0]]), np.array([[1], [0]]), axis=1)
    array([[1.],
           [0.]])
    """
    idx = np.asarray(primal(indices))
    if axis is None:
        arr, axis = reshape_p(arr, (-1,)), 0
    nd = ndim_of(arr)
    if idx.ndim != nd:
        raise ValueError(f"take_along_axis: indices need {nd} dimensions, got {idx.ndim}")
    axis = normalize_axis(axis, nd)
    index = []
    for d, n in enumerate(shape_of(arr)):
        if d == axis:
            index.append(idx)
        else:
            shape = [1] * nd
            shape[d] = n
            index.append(np.arange(n).reshape(shape))
    return getitem_p(arr, tuple(index))


def put_along_axis(
    arr: NDArray[Any], indices: ArrayLike, values: ArrayLike, axis: int | None
) -> None:
    """NumPy's in-place :func:`numpy.put_along_axis` on plain arrays (returns None).

    Traced values cannot be changed in place: use ``mnp.at(x)[index].set(values)``.
    """
    if isinstance(arr, Tracer):
        raise TracerError(
            "put_along_axis changes its argument in place, which a traced value cannot do; "
            "use the functional x = mnp.at(x)[index].set(values)"
        )
    return np.put_along_axis(arr, np.asarray(primal(indices)), primal(values), axis)


def linspace(
    start: ArrayLike,
    stop: ArrayLike,
    num: int = 50,
    endpoint: bool = True,
    retstep: bool = False,
    dtype: DTypeLike = None,
    axis: int = 0,
) -> Array | tuple[Array, float | Array]:
    """Evenly spaced numbers over ``[start, stop]``, differentiable in the endpoints.

    Notes
    -----
    :math:`y_k = \\mathrm{start} + k\\,(\\mathrm{stop} - \\mathrm{start})/d` with
    :math:`d = \\mathrm{num} - 1` (``endpoint=True``) or ``num``; the last sample is exactly
    ``stop``. Linear in the endpoints, so the derivatives are the weights :math:`1 - k/d`
    and :math:`k/d`.

    Examples
    --------
    >>> import numpy as np
    >>> linspace(0.0, 1.0, 3)
    array([0. , 0.5, 1. ])
    """
    if not (isinstance(start, Tracer) or isinstance(stop, Tracer)):
        return np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    num = int(num)
    if num < 0:
        raise ValueError(f"num must be non-negative, got {num}")
    nd = max(ndim_of(start), ndim_of(stop))
    div = (num - 1) if endpoint else num
    delta = subtract(stop, start)
    k = np.arange(num, dtype=float).reshape((num,) + (1,) * nd)
    if div > 0:
        step = divide(delta, float(div))
        y = _add(multiply(k, step), start)
        if endpoint and num > 1:
            head = getitem_p(y, (slice(0, num - 1),))
            last = _add(reshape_p(_add(stop, multiply(start, 0.0)), (1, *shape_of(y)[1:])), 0.0)
            y = concatenate([head, last], axis=0)
    else:
        step = np.nan
        y = _add(multiply(k, 0.0), start)
    if axis != 0:
        y = moveaxis(y, 0, axis)
    return (y, step) if retstep else y
