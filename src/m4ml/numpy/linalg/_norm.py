"""The differentiable norm: ``mnp.linalg.norm`` (rules in :mod:`m4ml.autodiff.rules_norm`)."""

from typing import Literal

import numpy as _np

from m4ml._core.hints import ArrayLike
from m4ml.autodiff import rules_norm as _rn
from m4ml.autodiff.core import shape_of as _shape
from m4ml.autodiff.rules_arrange import normalize_axis as _axis
from m4ml.autodiff.rules_shape import pack_sequence as _pack
from m4ml.autodiff.tracer import Array


def norm(
    x: ArrayLike,
    ord: float | Literal["fro", "nuc"] | None = None,
    axis: int | tuple[int, int] | None = None,
    keepdims: bool = False,
) -> Array:
    """Vector or matrix norm (as :func:`numpy.linalg.norm`), one differentiable primitive.

    Parameters
    ----------
    x : array_like, traced value, or a list of traced values
    ord : None, number, "fro" or "nuc"
        Vector orders: None/2, 1, inf, -inf, 0, any other p; matrix orders: None/"fro", "nuc",
        1, -1, 2, -2, inf, -inf.
    axis : None, int or pair of int
        Vector norm along one axis or matrix norm over two (the whole array by default).
    keepdims : bool

    Returns
    -------
    ndarray or traced value

    Raises
    ------
    ValueError
        An unsupported order, repeated axes, or ``ord`` given for an input of more than two
        dimensions without ``axis``.
    AxisError
        An axis out of range.

    Notes
    -----
    The value is :func:`m4ml.linalg.norm` (scaled, so entries of :math:`10^{\\pm 200}` neither
    overflow nor underflow); the derivative is :math:`\\langle D(x), dx\\rangle`, e.g.
    :math:`\\nabla\\lVert x\\rVert_2 = x/\\lVert x\\rVert_2` (see
    :mod:`m4ml.autodiff.rules_norm`). At a non-differentiable point both modes return the
    minimum-norm subgradient: 0 for a norm at :math:`x = 0`, as PyTorch does.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.autodiff import grad
    >>> grad(norm)(np.array([3.0, 4.0]))
    array([0.6, 0.8])
    >>> grad(norm)(np.array([3e200, 4e200]))
    array([0.6, 0.8])
    >>> grad(norm)(np.zeros(2))
    array([0., 0.])
    """
    x = _pack(x)
    nd = len(_shape(x))
    if axis is None:
        if ord is None:
            return _rn.norm_p(x, ord=None, axes=tuple(range(nd)), kind="flat", keepdims=keepdims)
        if nd not in (1, 2):
            raise ValueError("norm with an ord needs a 1-D or 2-D input or an explicit axis")
        axis = tuple(range(nd))
    axes = (axis,) if isinstance(axis, int | _np.integer) else tuple(axis)
    axes = tuple(_axis(a, nd) for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"norm: duplicate axes in {axis}")
    if len(axes) not in (1, 2):
        raise ValueError(f"norm: axis must name 1 or 2 axes, got {axis}")
    kind = "vector" if len(axes) == 1 else "matrix"
    return _rn.norm_p(x, ord=ord, axes=axes, kind=kind, keepdims=keepdims)
