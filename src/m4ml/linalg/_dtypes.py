"""The output dtype rule of numpy.linalg: float32 in, float32 out (computed in float64).

Private helper of the decompositions owned by :mod:`m4ml.linalg.svd`, :mod:`m4ml.linalg.eigh`,
:mod:`m4ml.linalg.eig`, :mod:`m4ml.linalg.pinv` and :mod:`m4ml.linalg.norms`: every kernel
works in float64; the public function converts its results back with :func:`cast_like`.
"""

import numpy as np


def single_precision(x):
    """True when ``x`` is float32 data (an array or a NumPy float32 scalar), as NumPy keeps it."""
    return getattr(x, "dtype", None) == np.float32


def cast_like(single, *arrays):
    """Cast the float results to float32 (complex to complex64) when ``single``.

    ``None`` entries and integer arrays pass through. Returns the tuple of arrays (or the one
    array when a single one is given).
    """
    if not single:
        return arrays if len(arrays) != 1 else arrays[0]
    out = []
    for a in arrays:
        if a is None or not isinstance(a, np.ndarray | np.floating | np.complexfloating):
            out.append(a)
        elif np.iscomplexobj(a):
            out.append(np.asarray(a, dtype=np.complex64)[()])
        elif a.dtype.kind == "f":
            out.append(np.asarray(a, dtype=np.float32)[()])
        else:
            out.append(a)
    return tuple(out) if len(out) != 1 else out[0]
