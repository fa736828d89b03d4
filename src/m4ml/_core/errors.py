"""Exception and warning types used across m4ml."""

from sklearn.exceptions import ConvergenceWarning as _SklearnConvergenceWarning


class LinAlgError(ValueError):
    """A linear-algebra operation is impossible for this input.

    Raised for a singular matrix, a matrix that is not square where one is required, a matrix
    that is not symmetric positive definite, or an iteration that did not converge. It is a
    subclass of :class:`ValueError`, so ``except ValueError`` catches it too, as with
    ``numpy.linalg.LinAlgError`` callers who test for bad input.
    """


class ConvergenceWarning(_SklearnConvergenceWarning):
    """An iterative method stopped at its iteration limit before meeting its tolerance.

    A subclass of ``sklearn.exceptions.ConvergenceWarning`` (itself a ``UserWarning``), so a
    warnings filter written for either library catches it.
    """
