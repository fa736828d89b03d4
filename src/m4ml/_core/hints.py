"""Type aliases used in m4ml's public signatures.

The API pages show these names, so they are few and say what a caller may pass:

- ``ArrayLike``: anything :func:`numpy.asarray` accepts (lists, scalars, arrays, pandas objects).
- ``FloatArray``: a float64 NumPy array, what m4ml returns for numeric results (the linear
  algebra functions return float32 for float32 input, as NumPy does).
- ``Seed``: the ``rng``/``random_state`` argument (``None``, a non-negative int seed, or a
  :class:`numpy.random.Generator`), normalised by :func:`m4ml._core.check_rng`.
"""

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
Seed = int | np.random.Generator | None

__all__ = ["ArrayLike", "FloatArray", "NDArray", "Seed"]
