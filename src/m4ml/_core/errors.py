"""Exception and warning types used across m4ml.

Each class sets ``__module__`` to the public package that exports it (``m4ml.linalg`` for
:class:`LinAlgError`), so tracebacks, reprs and the API pages name the path users import, and
pickle (which looks a class up by ``__module__`` and ``__qualname__``) finds it there.
"""

from sklearn.exceptions import ConvergenceWarning as _SklearnConvergenceWarning


class LinAlgError(ValueError):
    """A linear-algebra operation is impossible for this input.

    Raised for a singular matrix, a matrix that is not square where one is required, a matrix
    that is not symmetric positive definite, or an iteration that did not converge. It is a
    subclass of :class:`ValueError`, so ``except ValueError`` catches it too, as with
    ``numpy.linalg.LinAlgError`` callers who test for bad input.
    """

    __module__ = "m4ml.linalg"  # its public home (tracebacks, reprs, docs, pickle)


class ConvergenceWarning(_SklearnConvergenceWarning):
    """An iterative method stopped at its iteration limit before meeting its tolerance.

    A subclass of ``sklearn.exceptions.ConvergenceWarning`` (itself a ``UserWarning``), so a
    warnings filter written for either library catches it.
    """

    __module__ = "m4ml.optim"  # its public home (tracebacks, reprs, docs, pickle)


class LinAlgWarning(RuntimeWarning):
    """A linear-algebra result may be inaccurate: the matrix is ill-conditioned.

    Raised (as a warning) by ``solve``, ``inv`` and ``lstsq`` when the estimated reciprocal
    condition number is below machine epsilon, as SciPy's ``scipy.linalg.LinAlgWarning`` (also
    a ``RuntimeWarning`` subclass). Silence it with ``warnings.simplefilter("ignore",
    LinAlgWarning)`` when an inaccurate answer is acceptable, or turn it into an error with
    ``"error"``.
    """

    __module__ = "m4ml.linalg"  # its public home (tracebacks, reprs, docs, pickle)


class DegenerateDataWarning(RuntimeWarning):
    """The data make a statistic degenerate or undefined (scipy.stats' warning of that name).

    For example all bootstrap resamples giving one value, so that the BCa interval has no
    acceleration to estimate. m4ml's own warning, raised on purpose with an explanation; a
    subclass of ``RuntimeWarning`` as SciPy's is.
    """

    __module__ = "m4ml.stats"  # its public home (tracebacks, reprs, docs, pickle)
