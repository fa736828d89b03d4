"""m4ml.numpy: the differentiable NumPy namespace (``import m4ml.numpy as mnp``).

Every function listed here is a NumPy function whose derivative rules (reverse and forward)
live in :mod:`m4ml.autodiff`; on plain arrays they return exactly what NumPy returns. Code that
uses only these functions, the operators and the array methods of traced values can be
differentiated to any order with :func:`m4ml.autodiff.grad` and friends. Calling a NumPy
function that is *not* listed on a traced value raises
:class:`m4ml.autodiff.TracerError` naming it, instead of silently losing the derivative.

Elementwise (broadcasting)
    add subtract multiply divide true_divide power negative maximum minimum fmax fmin
    logaddexp logaddexp2 arctan2 hypot mod remainder where clip, exp expm1 exp2 log log1p
    log2 log10 sqrt cbrt square reciprocal sin cos tan sinh cosh tanh arcsin arccos arctan
    arcsinh arccosh arctanh abs absolute fabs sinc deg2rad rad2deg radians degrees
    nan_to_num; real imag conj conjugate angle (real input); piecewise constant (zero
    derivative): sign floor ceil rint trunc round floor_divide, comparisons and logical
    functions, isnan isfinite isinf
Reductions and statistics
    sum mean prod max min amax amin var std logsumexp cumsum average cov quantile
    percentile (also over a Python list of traced values)
Shapes, joining and indexing
    reshape ravel transpose swapaxes moveaxis rollaxis squeeze expand_dims broadcast_to
    atleast_1d atleast_2d atleast_3d meshgrid concatenate stack vstack hstack dstack column_stack
    row_stack append ``r_`` ``c_`` split array_split hsplit vsplit dsplit pad tril triu repeat tile
    flip fliplr flipud roll rot90 diag diagonal trace diff gradient sort partition select
    unique bincount interp kron cross; integer results (no derivative): argsort argmax
    argmin argpartition lexsort searchsorted nonzero flatnonzero any all isclose allclose
    array_equal count_nonzero and the index helpers
Contractions
    matmul dot vdot inner outer tensordot einsum (string and sublist forms)
Constructors
    array asarray ascontiguousarray zeros ones full eye diag arange linspace logspace
    zeros_like ones_like full_like empty_like; ldexp frexp
Linear algebra
    ``mnp.linalg``: det slogdet inv solve cholesky eigh eigvalsh eig eigvals svd qr pinv norm

Complex numbers are not supported under differentiation (m4ml's automatic differentiation is
real): ``real``/``imag``/``conj``/``angle`` are their real-input identities on traced values,
and ``linalg.eig`` returns complex eigenpairs on plain arrays only.
"""

import builtins as _builtins
from typing import Any as _Any

import numpy as _np
from numpy.typing import DTypeLike as _DTypeLike

from m4ml._core.hints import ArrayLike as _ArrayLike
from m4ml._core.hints import NDArray as _NDArray
from m4ml.autodiff import rules_accumulate as _racc
from m4ml.autodiff import rules_arrange as _ra
from m4ml.autodiff import rules_contract as _rc
from m4ml.autodiff import rules_data as _rd
from m4ml.autodiff import rules_elementwise as _re
from m4ml.autodiff import rules_extra as _rx
from m4ml.autodiff import rules_join as _rj
from m4ml.autodiff import rules_permute as _rp
from m4ml.autodiff import rules_reduce as _rr
from m4ml.autodiff import rules_shape as _rs
from m4ml.autodiff.core import primal as _primal
from m4ml.autodiff.tracer import Array as _Array
from m4ml.autodiff.tracer import AtIndexer as _AtIndexer
from m4ml.autodiff.tracer import Tracer as _Tracer
from m4ml.numpy import _docs, linalg
from m4ml.numpy._index_tricks import c_ as c_
from m4ml.numpy._index_tricks import r_ as r_

pi, e, inf, nan, newaxis = _np.pi, _np.e, _np.inf, _np.nan, _np.newaxis
float16, float32, float64 = _np.float16, _np.float32, _np.float64
int32, int64, bool_ = _np.int32, _np.int64, _np.bool_
ndarray = _np.ndarray

# -- elementwise ------------------------------------------------------------------------------
add, subtract, multiply = _re.add, _re.subtract, _re.multiply
divide = true_divide = _re.divide
power, negative = _re.power, _re.negative
maximum, minimum, logaddexp = _re.maximum, _re.minimum, _re.logaddexp
arctan2, hypot = _re.arctan2, _re.hypot
where, clip = _re.where, _re.clip
_u = _re.UNARY_PRIMS
exp, expm1, exp2 = _u["exp"], _u["expm1"], _u["exp2"]
log, log1p, log2, log10 = _u["log"], _u["log1p"], _u["log2"], _u["log10"]
sqrt, cbrt, square, reciprocal = _u["sqrt"], _u["cbrt"], _u["square"], _u["reciprocal"]
sin, cos, tan = _u["sin"], _u["cos"], _u["tan"]
sinh, cosh, tanh = _u["sinh"], _u["cosh"], _u["tanh"]
arcsin, arccos, arctan = _u["arcsin"], _u["arccos"], _u["arctan"]
arcsinh, arccosh, arctanh = _u["arcsinh"], _u["arccosh"], _u["arctanh"]
abs = absolute = _u["abs"]
_n = _re.NONDIFF
sign, floor, ceil, rint, trunc = _n["sign"], _n["floor"], _n["ceil"], _n["rint"], _n["trunc"]
isnan, isfinite, isinf = _n["isnan"], _n["isfinite"], _n["isinf"]
equal, not_equal, less, less_equal = _n["equal"], _n["not_equal"], _n["less"], _n["less_equal"]
greater, greater_equal = _n["greater"], _n["greater_equal"]
logical_and, logical_or, logical_not = _n["logical_and"], _n["logical_or"], _n["logical_not"]
logical_xor = _n["logical_xor"]
round = _re.round_
mod = remainder = _rx.mod
floor_divide = _rx.floor_divide
fmax, fmin, logaddexp2, sinc, fabs = _rx.fmax, _rx.fmin, _rx.logaddexp2, _rx.sinc, _rx.fabs
nan_to_num = _rx.nan_to_num
deg2rad = radians = _rx.deg2rad
rad2deg = degrees = _rx.rad2deg
real, imag, angle = _rx.real, _rx.imag, _rx.angle
conj = conjugate = _rx.conj
select, kron, cross, partition = _rx.select, _rx.kron, _rx.cross, _rx.partition
take_along_axis, put_along_axis = _rx.take_along_axis, _rx.put_along_axis

# -- reductions -------------------------------------------------------------------------------
sum, mean, prod = _rr.sum, _rr.mean, _rr.prod
max, min, amax, amin = _rr.max, _rr.min, _rr.amax, _rr.amin
var, std, logsumexp, cumsum = _rr.var, _rr.std, _racc.logsumexp, _racc.cumsum

average, cov, quantile, percentile = _rd.average, _rd.cov, _rd.quantile, _rd.percentile
interp, unique, bincount, logspace = _rd.interp, _rd.unique, _rd.bincount, _rd.logspace
ldexp, frexp, take = _rd.ldexp, _rd.frexp, _rd.take
union1d, setdiff1d, intersect1d = _rd.union1d, _rd.setdiff1d, _rd.intersect1d

# -- shapes and indexing ----------------------------------------------------------------------
reshape, ravel, transpose = _rs.reshape, _rs.ravel, _rs.transpose
swapaxes, moveaxis, squeeze = _rs.swapaxes, _rs.moveaxis, _rs.squeeze
expand_dims, broadcast_to = _rs.expand_dims, _rs.broadcast_to
concatenate, stack, sort = _rs.concatenate, _rs.stack, _rs.sort
tril, triu, pad, repeat, tile = _ra.tril, _ra.triu, _ra.pad, _ra.repeat, _ra.tile
flip, fliplr, flipud, rot90 = _rp.flip, _rp.fliplr, _rp.flipud, _rp.rot90
roll, rollaxis, diagonal = _rp.roll, _rp.rollaxis, _ra.diagonal
atleast_1d, atleast_2d, atleast_3d = _ra.atleast_1d, _ra.atleast_2d, _ra.atleast_3d
meshgrid = _ra.meshgrid
vstack, hstack, dstack, row_stack = _rj.vstack, _rj.hstack, _rj.dstack, _rj.row_stack
column_stack, append, diff, gradient = _rj.column_stack, _rj.append, _rj.diff, _rj.gradient
split, array_split, hsplit, vsplit, dsplit = (
    _rj.split,
    _rj.array_split,
    _rj.hsplit,
    _rj.vsplit,
    _rj.dsplit,
)

# -- contractions -----------------------------------------------------------------------------
matmul, dot, vdot, inner = _rc.matmul, _rc.dot, _rc.vdot, _rc.inner
outer, tensordot, einsum = _rc.outer, _rc.tensordot, _rc.einsum


def at(x: _ArrayLike) -> _AtIndexer:
    """Functional indexed updates that work on plain arrays and traced values alike.

    ``mnp.at(x)[idx].set(v)`` and ``mnp.at(x)[idx].add(v)`` return updated copies (repeated
    indices add up with ``add``); on a traced value they equal ``x.at[idx].set(v)`` /
    ``.add(v)``. Use them instead of the in-place ``x[idx] = v``, which tracing forbids.

    Examples
    --------
    >>> at(_np.zeros(3))[1].set(5.0)
    array([0., 5., 0.])
    """
    return _AtIndexer(x)


def argsort(a: _ArrayLike, axis: int | None = -1) -> _NDArray[_np.intp]:
    """Indices that sort ``a`` (an integer array: no derivative)."""
    return _np.argsort(_primal(a), axis=axis)


def argmax(a: _ArrayLike, axis: int | None = None) -> _np.intp | _NDArray[_np.intp]:
    """Index of the largest element (an integer: no derivative)."""
    return _np.argmax(_primal(a), axis=axis)


def argmin(a: _ArrayLike, axis: int | None = None) -> _np.intp | _NDArray[_np.intp]:
    """Index of the smallest element (an integer: no derivative)."""
    return _np.argmin(_primal(a), axis=axis)


def _integer_valued(name, doc):
    fun = getattr(_np, name)

    def wrapper(*args: _Any, **kwargs: _Any) -> _Any:  # NumPy's signature, on the values
        return fun(*[_primal(a) for a in args], **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = name
    wrapper.__doc__ = f"numpy.{name} on the values: {doc} (no derivative)."
    return wrapper


any = _integer_valued("any", "whether any element is true")
all = _integer_valued("all", "whether all elements are true")
nonzero = _integer_valued("nonzero", "indices of the nonzero elements")
flatnonzero = _integer_valued("flatnonzero", "flat indices of the nonzero elements")
searchsorted = _integer_valued("searchsorted", "insertion indices keeping order")
lexsort = _integer_valued("lexsort", "indices sorting by several keys")
argpartition = _integer_valued("argpartition", "indices that partition the array")
isclose = _integer_valued("isclose", "elementwise closeness (booleans)")
allclose = _integer_valued("allclose", "whether all elements are close")
array_equal = _integer_valued("array_equal", "whether shapes and elements are equal")
count_nonzero = _integer_valued("count_nonzero", "the number of nonzero elements")
isin = _integer_valued("isin", "membership of each element (booleans)")
unravel_index, ravel_multi_index = _np.unravel_index, _np.ravel_multi_index
triu_indices, tril_indices, diag_indices, ix_ = (
    _np.triu_indices,
    _np.tril_indices,
    _np.diag_indices,
    _np.ix_,
)
intp, integer, floating, int8, uint8 = _np.intp, _np.integer, _np.floating, _np.int8, _np.uint8
int16, uint16, uint32, uint64, complex128 = (
    _np.int16,
    _np.uint16,
    _np.uint32,
    _np.uint64,
    _np.complex128,
)
number, generic = _np.number, _np.generic
finfo, iinfo, errstate, dtype, result_type = (
    _np.finfo,
    _np.iinfo,
    _np.errstate,
    _np.dtype,
    _np.result_type,
)


def shape(a: _ArrayLike) -> tuple[int, ...]:
    """The shape of ``a`` (array, traced value or scalar)."""
    return tuple(getattr(a, "shape", _np.shape(a)))


def ndim(a: _ArrayLike) -> int:
    """The number of dimensions of ``a``."""
    return len(shape(a))


def size(a: _ArrayLike) -> int:
    """The number of elements of ``a``."""
    return int(_np.prod(shape(a)))


def diag(v: _ArrayLike, k: int = 0) -> _Array:
    """A diagonal matrix from a vector, or the ``k``-th diagonal of a matrix (differentiable)."""
    nd = ndim(v)
    if nd == 1:
        n = shape(v)[0] + (k if k > 0 else -k)
        rows = _np.arange(shape(v)[0]) + (0 if k >= 0 else -k)
        cols = rows + k
        z = _np.zeros((n, n), dtype=_float_dtype(v))
        return _rs.index_update(z, v, (rows, cols), "set")
    if nd == 2:
        m, n = shape(v)
        i = _np.arange(_builtins.max(0, -k), _builtins.min(m, n - k))
        return _rs.getitem(v, (i, i + k))
    raise ValueError(f"diag expects a 1-D or 2-D array, got {nd} dimensions")


def trace(a: _ArrayLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> _Array:
    """Sum along a diagonal (``offset`` above the main one) of the planes ``(axis1, axis2)``.

    Examples
    --------
    >>> trace(_np.arange(9.0).reshape(3, 3), offset=1)
    np.float64(6.0)
    """
    return sum(diagonal(a, offset, axis1, axis2), axis=-1)


def _float_dtype(v):
    dt = getattr(v, "dtype", _np.dtype(float))
    return dt if dt.kind == "f" else _np.dtype(float)


def _has_tracer(obj):
    if isinstance(obj, _Tracer):
        return True
    if isinstance(obj, list | tuple):
        return any(_has_tracer(o) for o in obj)
    return False


def array(object: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """An array from nested sequences; sequences holding traced values are stacked (traced)."""
    if _has_tracer(object):
        if isinstance(object, _Tracer):
            return object if dtype is None else object.astype(dtype)
        return stack([array(o, dtype) for o in object])
    return _np.array(object, dtype=dtype)


def asarray(a: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """``a`` as an array (traced values are returned as they are)."""
    return array(a, dtype) if _has_tracer(a) else _np.asarray(a, dtype=dtype)


def zeros_like(a: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """Zeros shaped like ``a`` (a constant: no derivative flows through it)."""
    return _np.zeros(shape(a), dtype=dtype or _float_dtype(a))


def empty_like(a: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """An array shaped like ``a`` (zeros here, so it is never uninitialized; a constant)."""
    return zeros_like(a, dtype)


def ascontiguousarray(a: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """``a`` as a C-contiguous array (traced values are returned as they are)."""
    return array(a, dtype) if _has_tracer(a) else _np.ascontiguousarray(a, dtype=dtype)


def asfortranarray(a: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """``a`` as a Fortran-ordered array (traced values are returned as they are)."""
    return array(a, dtype) if _has_tracer(a) else _np.asfortranarray(a, dtype=dtype)


def ones_like(a: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """Ones shaped like ``a`` (a constant)."""
    return _np.ones(shape(a), dtype=dtype or _float_dtype(a))


def full_like(a: _ArrayLike, fill_value: _ArrayLike, dtype: _DTypeLike = None) -> _Array:
    """An array shaped like ``a`` filled with ``fill_value`` (a constant)."""
    return _np.full(shape(a), fill_value, dtype=dtype or _float_dtype(a))


zeros, ones, full, eye = _np.zeros, _np.ones, _np.full, _np.eye
arange, empty = _np.arange, _np.empty
linspace = _rx.linspace

_docs.apply(globals())

_public = [n for n in dir() if not n.startswith("_") and n != "linalg"]
__all__ = [*sorted(_public), "linalg"]
