"""Input validation shared by every m4ml package.

Every public function converts and checks its array arguments here, up front, so that bad input
fails with a message naming the argument instead of a NaN result or a traceback from deep
inside NumPy.
"""

import functools
import inspect
import numbers

import numpy as np

from m4ml._core.errors import LinAlgError


def check_finite(a, name="input"):
    """Raise ``ValueError`` if the array ``a`` holds NaN or infinity."""
    if a.size and not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or infinity; remove or impute them first")
    return a


def as_float_array(x, name="input", *, min_ndim=0, max_ndim=None, finite=True, copy=False):
    """Convert ``x`` to a float64 ndarray and check it.

    Parameters
    ----------
    x : array_like
        Real numbers (bool and integer input are promoted to float64).
    name : str
        The argument's name, used in error messages.
    min_ndim, max_ndim : int
        Allowed range of dimensions.
    finite : bool
        Reject NaN and infinity (default).
    copy : bool
        Always return a fresh array the caller may overwrite.

    Raises
    ------
    TypeError
        Complex, object, string or otherwise non-numeric input.
    ValueError
        Wrong number of dimensions, or NaN/inf when ``finite``.
    """
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested sequences
        raise ValueError(f"{name} could not be converted to an array: {exc}") from None
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} is complex; m4ml works with real arrays (dtype {arr.dtype})")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    arr = np.array(arr, dtype=np.float64, copy=True) if copy else arr.astype(np.float64, copy=False)
    if arr.ndim < min_ndim:
        raise ValueError(
            f"{name} must have at least {min_ndim} dimension(s), got shape {arr.shape}"
        )
    if max_ndim is not None and arr.ndim > max_ndim:
        raise ValueError(f"{name} must have at most {max_ndim} dimension(s), got shape {arr.shape}")
    if finite:
        check_finite(arr, name)
    return arr


def as_matrix_stack(a, name="A", *, finite=True, copy=False):
    """Convert ``a`` to a float64 array of shape ``(..., m, n)`` (at least two dimensions)."""
    arr = np.asarray(a) if not isinstance(a, np.ndarray) else a
    if np.ndim(arr) < 2:
        raise LinAlgError(
            f"{name} must be a matrix or a stack of matrices (at least 2-D), got shape "
            f"{np.shape(arr)}"
        )
    return as_float_array(arr, name, min_ndim=2, finite=finite, copy=copy)


def as_square_stack(a, name="A", *, finite=True, copy=False):
    """Convert ``a`` to a float64 array of shape ``(..., n, n)``; LinAlgError if not square."""
    arr = as_matrix_stack(a, name, finite=finite, copy=copy)
    if arr.shape[-1] != arr.shape[-2]:
        raise LinAlgError(
            f"{name} must be square in its last two dimensions, got shape {arr.shape}"
        )
    return arr


def check_positive_int(value, name, *, minimum=1):
    """Return ``value`` as an int if it is an integer >= ``minimum``; raise otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def scalar_or_array(a):
    """Return a NumPy float scalar for a 0-d result (as scipy.stats does), the array otherwise."""
    a = np.asarray(a, dtype=np.float64)
    return a[()] if a.ndim == 0 else a


def as_label_array(y, name="y", *, ndim=1):
    """Check an array of class labels: integers, booleans, finite floats or strings.

    Labels are compared and sorted, not computed with, so strings are fine; complex numbers,
    NaN/inf, None and objects that are neither strings nor real numbers are refused with a
    message naming ``name`` (a mix of strings and numbers too: they cannot be sorted together).
    """
    try:
        arr = np.asarray(y)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{name} could not be converted to an array: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array of labels, got shape {arr.shape}")
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} is complex; class labels must be integers, strings or booleans")
    if kind == "f" and arr.size and not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity; class labels must be finite")
    if kind == "O":
        values = arr.ravel().tolist()
        n_strings = sum(isinstance(v, str) for v in values)
        n_reals = sum(
            isinstance(v, bool) or (isinstance(v, numbers.Real) and bool(np.isfinite(v)))
            for v in values
        )
        if n_strings == len(values) or n_reals == len(values):
            return arr
        if any(v is None for v in values):
            raise ValueError(f"{name} contains missing values (None); drop or impute them first")
        if n_strings and n_reals == len(values) - n_strings:
            raise TypeError(f"{name} mixes string and numeric labels; use labels of one type")
        bad = next(v for v in values if not isinstance(v, str | numbers.Real))
        raise TypeError(
            f"{name} holds {type(bad).__name__} values; class labels must be integers, strings "
            "or booleans"
        )
    if kind not in "biufUS":
        raise TypeError(
            f"{name} must hold class labels (integers or strings), got dtype {arr.dtype}"
        )
    return arr


def _to_float32(out):
    """Round the float64 (complex128) arrays and scalars of ``out`` (or of a tuple of them) to
    float32 (complex64)."""
    if isinstance(out, tuple):
        parts = [_to_float32(p) for p in out]
        return type(out)(*parts) if hasattr(out, "_fields") else tuple(parts)
    if isinstance(out, (np.ndarray, np.floating)) and out.dtype == np.float64:
        return out.astype(np.float32)
    if isinstance(out, (np.ndarray, np.complexfloating)) and out.dtype == np.complex128:
        return out.astype(np.complex64)  # eig of float32 input, as numpy
    return out


def keeps_float32(*names):
    """Decorator: float32 in, float32 out, as NumPy's linear algebra does.

    m4ml computes in float64. When every argument named in ``names`` (that is given) is a
    float32 array, the float64 outputs are rounded to float32 (integer outputs such as pivots
    are left alone), matching the dtype NumPy returns; mixed or other input stays float64.
    """

    def decorate(func):
        params = list(inspect.signature(func).parameters)
        where = [(params.index(name), name) for name in names]

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            out = func(*args, **kwargs)
            given = [args[i] if i < len(args) else kwargs.get(n) for i, n in where]
            given = [g for g in given if g is not None]
            if given and all(getattr(g, "dtype", None) == np.float32 for g in given):
                return _to_float32(out)
            return out

        return wrapper

    return decorate


class _OverflowGuard:
    """:func:`overflow_guard`'s context manager and decorator (one object serves as both)."""

    def __init__(self, what):
        self.what = what
        self._state = None

    def __enter__(self):
        self._state = np.errstate(over="raise", invalid="raise")
        self._state.__enter__()
        return self

    def __exit__(self, kind, exc, tb):
        self._state.__exit__(kind, exc, tb)
        if kind is not None and issubclass(kind, FloatingPointError):
            raise ValueError(
                f"{self.what}: the computation leaves the float64 range for input of this "
                f"magnitude ({exc}); rescale the input, e.g. divide it by its largest absolute "
                "value"
            ) from None
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def guarded(*args, **kwargs):
            with _OverflowGuard(self.what):
                return func(*args, **kwargs)

        return guarded


def overflow_guard(what):
    """Turn a floating-point overflow (or an invalid operation it causes) into a ValueError.

    Use as ``with overflow_guard("mse"):`` or as the decorator ``@overflow_guard("mse")``. For
    computations whose result genuinely leaves the float64 range on finite input (the mean
    squared error of values near 1e308 is about 1e616): the user gets one clear error instead of
    a RuntimeWarning and an inf or NaN. Algorithms that can avoid the overflow by scaling (norms,
    moments) should scale instead.
    """
    return _OverflowGuard(what)
