"""The Tracer base class: operators, array methods and the errors that guard against misuse.

A tracer behaves like a read-only NumPy array whose operations are recorded. It supports the
arithmetic and comparison operators, ``@``, ``len``, iteration, indexing, ``.T``, ``.shape``,
``.ndim``, ``.size``, ``.dtype`` and the methods listed in :data:`METHODS`.

Three things raise instead of silently losing the derivative:

* a NumPy function called on a tracer (``np.sin(x)``) raises :class:`TracerError` naming the
  function and its ``m4ml.numpy`` replacement (``__array__``, ``__array_ufunc__`` and
  ``__array_function__`` all refuse; only the ufuncs behind Python's operators are routed
  to the differentiable primitives, so ``ndarray * tracer`` works);
* in-place assignment ``x[i] = v`` raises and names the functional alternatives
  ``x.at[i].set(v)``, ``x.at[i].add(v)`` and ``m4ml.numpy.where``;
* an unsupported ndarray method raises naming it.
"""

from typing import Any

import numpy as np
from numpy.typing import NDArray

# Filled by m4ml.autodiff.__init__ once every primitive exists (see install()).
_OPS = {}
_UFUNC_OPS = {}


class TracerError(TypeError):
    """A traced value was used in a way that would lose or corrupt its derivative."""

    __module__ = "m4ml.autodiff"  # its public home (tracebacks, reprs, docs, pickle)


def install(ops, ufunc_ops):
    """Bind the operator implementations (called once by the package)."""
    _OPS.update(ops)
    _UFUNC_OPS.update(ufunc_ops)


def _op(name):
    def method(self, *args, **kwargs):
        return _OPS[name](self, *args, **kwargs)

    method.__name__ = name
    return method


def _rop(name):
    def method(self, other):
        return _OPS[name](other, self)

    method.__name__ = "__r" + name + "__"
    return method


class AtIndexer:
    """``x.at[index]``: the target of a functional update (``.set``, ``.add``, ``.get``).

    Public so that :func:`m4ml.numpy.at` can offer the same updates on plain arrays.
    """

    __slots__ = ("_x",)

    def __init__(self, x):
        self._x = x

    def __getitem__(self, index):
        return AtUpdate(self._x, index)


class AtUpdate:
    """``x.at[index]`` bound to an index: ``.set(v)``, ``.add(v)``, ``.get()``."""

    __slots__ = ("_index", "_x")

    def __init__(self, x, index):
        self._x = x
        self._index = index

    def set(self, values):
        """A copy of the array with ``x[index] = values`` (differentiable)."""
        return _OPS["index_update"](self._x, values, self._index, "set")

    def add(self, values):
        """A copy of the array with ``x[index] += values`` (differentiable, repeats add up)."""
        return _OPS["index_update"](self._x, values, self._index, "add")

    def get(self):
        """``x[index]``."""
        return self._x[self._index]


class Tracer:
    """An array value being traced by a transform (see :mod:`m4ml.autodiff.core`)."""

    __slots__ = ("_level", "_value")
    __array_priority__ = 1000

    # -- array attributes -------------------------------------------------------------------
    @property
    def shape(self):
        try:
            return self._value.shape
        except AttributeError:
            return np.shape(self._value)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape))

    @property
    def dtype(self):
        v = self._value
        return v.dtype if hasattr(v, "dtype") else np.asarray(v).dtype

    @property
    def T(self):
        return _OPS["transpose"](self)

    @property
    def at(self):
        """Functional updates: ``x.at[idx].set(v)`` and ``x.at[idx].add(v)``."""
        return AtIndexer(self)

    def __len__(self):
        s = self.shape
        if not s:
            raise TypeError("len() of a 0-d traced value")
        return s[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __bool__(self):
        return bool(self._value)

    def __repr__(self):
        return f"{type(self).__name__}(shape={self.shape}, dtype={self.dtype}, level={self._level})"

    # -- operators --------------------------------------------------------------------------
    __add__ = _op("add")
    __radd__ = _rop("add")
    __sub__ = _op("subtract")
    __rsub__ = _rop("subtract")
    __mul__ = _op("multiply")
    __rmul__ = _rop("multiply")
    __truediv__ = _op("divide")
    __rtruediv__ = _rop("divide")
    __pow__ = _op("power")
    __rpow__ = _rop("power")
    __mod__ = _op("mod")
    __rmod__ = _rop("mod")
    __floordiv__ = _op("floor_divide")
    __rfloordiv__ = _rop("floor_divide")
    __matmul__ = _op("matmul")
    __rmatmul__ = _rop("matmul")
    __neg__ = _op("negative")
    __abs__ = _op("abs")
    __getitem__ = _op("getitem")
    __lt__ = _op("less")
    __le__ = _op("less_equal")
    __gt__ = _op("greater")
    __ge__ = _op("greater_equal")
    __eq__ = _op("equal")
    __ne__ = _op("not_equal")
    __hash__ = object.__hash__

    def __pos__(self):
        return self

    # -- methods ----------------------------------------------------------------------------
    sum = _op("sum")
    mean = _op("mean")
    prod = _op("prod")
    max = _op("max")
    min = _op("min")
    var = _op("var")
    std = _op("std")
    cumsum = _op("cumsum")
    dot = _op("dot")
    clip = _op("clip")
    squeeze = _op("squeeze")
    swapaxes = _op("swapaxes")
    ravel = _op("ravel")
    flatten = _op("ravel")

    def reshape(self, *shape, **kwargs):
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = shape[0]
        return _OPS["reshape"](self, shape, **kwargs)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        return _OPS["transpose"](self, axes if axes else None)

    def astype(self, dtype):
        if np.dtype(dtype).kind != "f":
            raise TracerError(
                f"astype({np.dtype(dtype)}) on a traced value would drop its derivative; "
                "only floating dtypes are allowed"
            )
        return _OPS["astype"](self, np.dtype(dtype))

    # -- guards -----------------------------------------------------------------------------
    def __setitem__(self, index, value):
        raise TracerError(
            "in-place assignment x[idx] = v is not supported on traced values (it would break "
            "the recorded computation); use the functional forms x = x.at[idx].set(v), "
            "x = x.at[idx].add(v), or m4ml.numpy.where(mask, v, x)"
        )

    def __array__(self, dtype=None, copy=None):
        raise TracerError(
            "a traced value was converted to a NumPy array (np.asarray/np.array or a NumPy "
            "function), which would silently drop its derivative; use the m4ml.numpy function "
            "instead (import m4ml.numpy as mnp)"
        )

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        op = _UFUNC_OPS.get(ufunc.__name__)
        if method == "__call__" and op is not None and not kwargs:
            return op(*inputs)
        raise TracerError(
            f"numpy.{ufunc.__name__} was called on a traced value, which would silently drop "
            f"its derivative; use m4ml.numpy.{ufunc.__name__} (import m4ml.numpy as mnp)"
        )

    def __array_function__(self, func, types, args, kwargs):
        name = func.__name__
        if name in ("shape", "ndim", "size"):
            return getattr(args[0], name) if isinstance(args[0], Tracer) else func(*args)
        raise TracerError(
            f"numpy.{name} was called on a traced value, which would silently drop its "
            f"derivative; use m4ml.numpy.{name} (import m4ml.numpy as mnp)"
        )

    def __float__(self):
        raise TracerError(
            "float() of a traced value would drop its derivative; keep it as an array "
            "(or use m4ml.autodiff.primal(x) on purpose to read the plain value)"
        )

    __int__ = __float__
    __complex__ = __float__

    def __getattr__(self, name):
        if not name.startswith("__") and hasattr(np.ndarray, name):
            raise TracerError(
                f"ndarray method or attribute '{name}' is not supported on traced values; "
                "use the m4ml.numpy function of that name (import m4ml.numpy as mnp)"
            )
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")


#: What the functions of :mod:`m4ml.numpy` return: a NumPy array or scalar on plain input, and
#: a traced value while a transform (:func:`~m4ml.autodiff.grad`, ...) differentiates through
#: them. (They accept the same: a :class:`Tracer` is array-like, it has ``__array__``.)
Array = NDArray[Any] | np.generic | Tracer
