"""``r_`` and ``c_``: NumPy's index-expression concatenators, accepting traced values.

``r_[a, b, 0:3]`` joins its items along the first axis; ``c_[a, b]`` joins 1-D items as
columns. A leading string ``"axis[,ndmin[,trans1d]]"`` sets the axis, the minimum number of
dimensions and where the original axes of promoted items go, as in NumPy. Without traced
items the call is NumPy's own; with them the items are promoted the same way and joined with
the differentiable ``concatenate``.
"""

import numpy as np

from m4ml.autodiff.core import shape_of
from m4ml.autodiff.rules_shape import concatenate, reshape_p, transpose_p
from m4ml.autodiff.tracer import Tracer


def _promote(item, ndmin, trans1d):
    s = tuple(shape_of(item))
    k = len(s)
    if k >= ndmin:
        return item
    x = reshape_p(item, (1,) * (ndmin - k) + s)
    if trans1d != -1:
        k2, k1 = ndmin - k, trans1d
        if k1 < 0:
            k1 += k2 + 1
        axes = list(range(ndmin))
        x = transpose_p(x, tuple(axes[:k1] + axes[k2:] + axes[k1:k2]))
    return x


class AxisConcatenator:
    """Translate ``obj[items]`` into a concatenation (the class behind ``r_`` and ``c_``).

    Examples
    --------
    >>> import numpy as np
    >>> r_[np.array([1.0, 2.0]), 0.0, 1:3]
    array([1., 2., 0., 1., 2.])
    >>> c_[np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    array([[1., 3.],
           [2., 4.]])
    """

    def __init__(self, axis=0, ndmin=1, trans1d=-1, reference=None):
        self.axis, self.ndmin, self.trans1d = axis, ndmin, trans1d
        self.reference = reference

    def __getitem__(self, key):
        items = key if isinstance(key, tuple) else (key,)
        if not any(isinstance(i, Tracer) for i in items):
            return self.reference[key]
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        if isinstance(items[0], str):
            spec = items[0].split(",")
            if spec[0] in ("r", "c"):
                raise ValueError("r_/c_ matrix mode ('r', 'c') is not supported on traced values")
            vals = [int(v) for v in spec]
            axis = vals[0]
            ndmin = vals[1] if len(vals) > 1 else ndmin
            trans1d = vals[2] if len(vals) > 2 else trans1d
            items = items[1:]
        parts = []
        for item in items:
            if isinstance(item, slice):
                v = np.r_[item]
                part = np.array(v, ndmin=ndmin)
                if trans1d != -1 and v.ndim < ndmin:
                    part = part.swapaxes(-1, trans1d)
            elif isinstance(item, Tracer):
                part = _promote(item, ndmin, trans1d)
            else:
                arr = np.asarray(item, dtype=float) if np.ndim(item) == 0 else np.asarray(item)
                part = np.asarray(_promote(arr, ndmin, trans1d))
            parts.append(part)
        return concatenate(parts, axis=axis)

    def __len__(self):
        return 0


r_ = AxisConcatenator(0, 1, -1, np.r_)
c_ = AxisConcatenator(-1, 2, 0, np.c_)
