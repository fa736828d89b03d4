"""Type aliases used in m4ml's public signatures.

The API pages show these names, so they are few and say what a caller may pass:

- ``ArrayLike``: anything :func:`numpy.asarray` accepts (lists, scalars, arrays, pandas objects).
- ``FloatArray``: a float64 NumPy array, what m4ml returns for numeric results (the linear
  algebra functions return float32 for float32 input, as NumPy does, and so do the pipeline's
  scalers and discretizer, as scikit-learn's do).
- ``Seed``: the ``rng``/``random_state`` argument (``None``, a non-negative int seed, or a
  :class:`numpy.random.Generator`), normalised by :func:`m4ml._core.check_rng`.
- ``PyTree``: a nested structure of dicts, lists and tuples with arrays at the leaves (the
  parameters and state of :mod:`m4ml.nn` layers); any value is a pytree, so this is ``Any``
  under a name that says what is meant.
- ``HasBounds``: an object with ``lb`` and ``ub`` attributes (such as SciPy's ``Bounds``),
  accepted wherever the optimizers take ``bounds``.
- ``Estimator``: anything with scikit-learn's ``fit`` (an m4ml or scikit-learn estimator, or
  your own), as the pipeline's searches, cross-validation and inspection tools take it.
- ``Splitter``: a cross-validation splitter, an object with ``split(X, y, groups)`` yielding
  ``(train, test)`` index arrays and ``get_n_splits(X, y, groups)``.
"""

from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
Seed = int | np.random.Generator | None
PyTree = Any


class HasBounds(Protocol):
    """Lower and upper bounds as attributes (SciPy's ``Bounds`` is one)."""

    lb: ArrayLike
    ub: ArrayLike


class Estimator(Protocol):
    """An object with scikit-learn's ``fit`` (m4ml's estimators, scikit-learn's, your own)."""

    def fit(self, X: Any, /, *args: Any, **kwargs: Any) -> Any: ...


class Splitter(Protocol):
    """A cross-validation splitter (m4ml's ``KFold``, ..., or scikit-learn's)."""

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[NDArray[np.intp], NDArray[np.intp]]]: ...

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int: ...


__all__ = [
    "ArrayLike",
    "Estimator",
    "FloatArray",
    "HasBounds",
    "NDArray",
    "PyTree",
    "Seed",
    "Splitter",
]
