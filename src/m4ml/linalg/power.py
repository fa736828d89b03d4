"""Power iteration and inverse iteration: one eigenpair by repeated matrix-vector products."""

import math
import numbers
from typing import NamedTuple

import numpy as np

from m4ml._core import (
    LinAlgError,
    as_float_array,
    as_square_stack,
    check_positive_int,
    check_rng,
    overflow_guard,
)
from m4ml._core.hints import ArrayLike, Seed

_EPS = float(np.finfo(np.float64).eps)


class PowerIterationResult(NamedTuple):
    """Result of :func:`power_iteration` and :func:`inverse_iteration`.

    Attributes
    ----------
    eigenvalue : float
        The Rayleigh quotient :math:`x^T A x` of the final unit vector.
    eigenvector : ndarray, shape (n,)
        Unit 2-norm; its entry of largest magnitude is positive.
    n_iter : int
        Number of iterations (matrix-vector products or solves) performed.
    """

    eigenvalue: float
    eigenvector: np.ndarray
    n_iter: int


def _check_inputs(A, x0, tol, max_iter, rng):
    """Validate the common arguments; return ``(A, x, tol, max_iter, ||A||_F)``."""
    A = as_square_stack(A, "A")
    if A.ndim != 2:
        raise ValueError(f"A must be a single square matrix (2-D), got shape {A.shape}")
    n = A.shape[0]
    if n == 0:
        raise ValueError("A is empty (0x0): it has no eigenpair")
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real):
        raise TypeError(f"tol must be a real number, got {type(tol).__name__}")
    if not (math.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive finite number, got {tol}")
    max_iter = check_positive_int(max_iter, "max_iter")
    if x0 is None:
        x = check_rng(rng).standard_normal(n)
    else:
        x = as_float_array(x0, "x0", min_ndim=1, max_ndim=1, copy=True)
        if x.shape != (n,):
            raise ValueError(f"x0 must have shape ({n},) to match A, got {x.shape}")
        if not x.any():
            raise ValueError("x0 must be nonzero: the iteration cannot leave the zero vector")
    scale = float(np.abs(A).max())
    anorm = scale * math.sqrt(float(np.sum((A / scale) ** 2))) if scale > 0 else 0.0
    return A, _unit(x), float(tol), max_iter, anorm


def _scaled(A, anorm):
    """``(A / 2**e, ||A||_F / 2**e, e)`` with ``2**e`` bringing a large ``A`` to ``[0.5, 1)``.

    Eigenvectors are unchanged and eigenvalues scale by ``2**-e`` exactly (a power of two),
    so the iteration runs on the scaled matrix without overflow in its products and solves.
    Matrices with entries of at most 1 are left alone (``e = 0``).
    """
    e = max(math.frexp(float(np.abs(A).max()))[1], 0)
    if e == 0:
        return A, anorm, 0
    A = np.ldexp(A, -e)  # ||A||_F itself may be beyond float64: recompute it scaled
    return A, math.sqrt(float(np.sum(A * A))), e


def _unscale(lam, e, who):
    """The eigenvalue ``lam * 2**e`` of the original matrix, refused beyond float64."""
    try:
        return math.ldexp(lam, e)
    except OverflowError:
        raise ValueError(
            f"{who}: the eigenvalue ({lam!r} * 2**{e}) of A is beyond the float64 range; "
            "rescale A, e.g. divide it by its largest absolute value"
        ) from None


def _unit(x):
    """``x / ||x||`` computed without overflow or underflow."""
    m = float(np.abs(x).max())
    x = x / m
    return x / math.sqrt(float(x @ x))


def _fix_sign(x):
    """Flip ``x`` so that its entry of largest magnitude (the first, on ties) is positive."""
    return -x if x[int(np.argmax(np.abs(x)))] < 0 else x


def _rayleigh(A, x, anorm, tol):
    """Rayleigh quotient of the unit vector ``x``, and whether the residual test passes."""
    y = A @ x
    lam = float(x @ y)
    r = y - lam * x
    return lam, math.sqrt(float(r @ r)) <= tol * anorm


@overflow_guard("power_iteration")
def power_iteration(
    A: ArrayLike,
    x0: ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    rng: Seed = None,
) -> PowerIterationResult:
    """Dominant eigenpair (largest :math:`|\\lambda|`) of a square matrix by power iteration.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Real square matrix, ``n >= 1``.
    x0 : array_like, shape (n,), optional
        Nonzero starting vector. Default: a standard normal vector drawn from ``rng``.
    tol : float, default 1e-10
        Stop when :math:`\\lVert A x - \\lambda x \\rVert_2 \\le \\mathrm{tol}\\,
        \\lVert A \\rVert_F` for the unit vector :math:`x`.
    max_iter : int, default 1000
        Maximum number of matrix-vector products.
    rng : None, int or numpy.random.Generator
        Source of the random start when ``x0`` is None.

    Returns
    -------
    PowerIterationResult
        ``(eigenvalue, eigenvector, n_iter)``: the Rayleigh quotient, the unit eigenvector with
        its largest-magnitude entry positive, and the number of products used.

    Raises
    ------
    LinAlgError
        "did not converge after N iterations": the tolerance was not met within ``max_iter``,
        which is what happens when the two largest :math:`|\\lambda|` tie (a rotation, a pair
        :math:`\\pm\\lambda`, a complex-conjugate pair) or are very close. Also for a
        non-square ``A``.
    ValueError
        NaN/inf, a stack or a 0x0 matrix, a zero or mis-shaped ``x0``, ``tol <= 0``,
        ``max_iter < 1``.
    TypeError
        Complex or non-numeric input, or non-numeric ``tol``/``max_iter``.

    Notes
    -----
    The iteration

    .. math:: x_{k+1} = \\frac{A x_k}{\\lVert A x_k \\rVert}, \\qquad
              \\lambda_k = x_k^T A x_k

    amplifies the component of :math:`x_0` along the eigenvector of the dominant eigenvalue
    :math:`\\lambda_1` by :math:`|\\lambda_1 / \\lambda_2|` per step relative to the others, so
    the angle to it falls like :math:`|\\lambda_2/\\lambda_1|^k` (for symmetric :math:`A`
    the Rayleigh quotient converges twice as fast). The stopping test is a backward error:
    :math:`(\\lambda, x)` is an exact eigenpair of :math:`A + E` with :math:`E = -r x^T`,
    :math:`\\lVert E \\rVert_2 = \\lVert r \\rVert`, :math:`r = A x - \\lambda x`. Each step
    costs one matrix-vector product, :math:`2n^2` flops. Convergence needs a single real
    dominant eigenvalue and a start with a component along its eigenvector (a random start has
    one with probability 1; a hand-picked ``x0`` without one, such as :math:`e_2` for a
    diagonal matrix, may converge to another eigenpair). For all eigenvalues use
    :func:`m4ml.linalg.eig.eig`.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., 2013, Section 7.3.1.
    R. von Mises and H. Pollaczek-Geiringer, "Praktische Verfahren der Gleichungsauflösung",
    ZAMM 9 (1929), 58-77.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.power import power_iteration
    >>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> lam, v, n_iter = power_iteration(A, rng=0)
    >>> round(lam, 8)
    3.61803399
    >>> np.round(v, 6)
    array([0.525731, 0.850651])
    >>> bool(np.allclose(A @ v, lam * v))
    True
    """
    A, x, tol, max_iter, anorm = _check_inputs(A, x0, tol, max_iter, rng)
    A, anorm, e = _scaled(A, anorm)
    for k in range(1, max_iter + 1):
        y = A @ x
        lam = float(x @ y)
        r = y - lam * x
        if math.sqrt(float(r @ r)) <= tol * anorm:
            return PowerIterationResult(_unscale(lam, e, "power_iteration"), _fix_sign(x), k)
        x = _unit(y)  # y != 0 here: y == 0 would have given r == 0 above
    raise LinAlgError(
        f"power iteration did not converge after {max_iter} iterations (residual above "
        f"tol={tol:g} * ||A||). The two largest |eigenvalues| may be equal or very close "
        "(e.g. a rotation, a pair +-lambda or a complex pair): use eig, or raise max_iter"
    )


def inverse_iteration(
    A: ArrayLike,
    shift: float,
    x0: ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 100,
    rng: Seed = None,
) -> PowerIterationResult:
    """Eigenpair with the eigenvalue nearest ``shift``, by inverse iteration.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Real square matrix, ``n >= 1``.
    shift : float
        Target :math:`\\sigma`; the iteration finds the eigenvalue closest to it.
    x0 : array_like, shape (n,), optional
        Nonzero starting vector. Default: a standard normal vector drawn from ``rng``.
    tol : float, default 1e-10
        Stop when :math:`\\lVert A x - \\lambda x\\rVert_2 \\le \\mathrm{tol}\\,\\lVert A\\rVert_F`.
    max_iter : int, default 100
        Maximum number of solves.
    rng : None, int or numpy.random.Generator
        Source of the random start when ``x0`` is None.

    Returns
    -------
    PowerIterationResult
        ``(eigenvalue, eigenvector, n_iter)`` as for :func:`power_iteration`.

    Raises
    ------
    LinAlgError
        "did not converge after N iterations" (two eigenvalues equally near ``shift``, or
        the nearest is one of a complex pair), or ``A`` not square.
    ValueError
        As for :func:`power_iteration`, and for a non-finite ``shift``.
    TypeError
        Complex or non-numeric ``A``, ``shift``, ``tol`` or ``max_iter``.

    Notes
    -----
    Power iteration on :math:`(A - \\sigma I)^{-1}`, whose dominant eigenvalue is
    :math:`1/(\\lambda_j - \\sigma)` for the :math:`\\lambda_j` nearest :math:`\\sigma`:

    .. math:: (A - \\sigma I)\\, y_{k+1} = x_k, \\qquad x_{k+1} = y_{k+1} / \\lVert
              y_{k+1}\\rVert, \\qquad \\lambda_{k+1} = x_{k+1}^T A x_{k+1}.

    The error falls like :math:`|(\\lambda_j - \\sigma)/(\\lambda_i - \\sigma)|^k`
    (:math:`\\lambda_i` the next nearest), so a good shift converges in a few steps. The LU
    factorization of :math:`A - \\sigma I` (:func:`m4ml.linalg.lu.lu_factor`,
    :math:`\\tfrac23 n^3` flops) is computed once; each step is two triangular solves,
    :math:`2n^2` flops. A shift equal to an eigenvalue makes :math:`A - \\sigma I` singular;
    a zero pivot is then replaced by :math:`\\varepsilon \\lVert A \\rVert_F`, and the
    huge but accurately directed solution is exactly what the method needs (Wilkinson).

    References
    ----------
    J. H. Wilkinson, *The Algebraic Eigenvalue Problem*, Oxford, 1965, Chapter 9.
    I. C. F. Ipsen, "Computing an eigenvector with inverse iteration", SIAM Review 39 (1997).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.linalg.power import inverse_iteration
    >>> A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    >>> lam, v, n_iter = inverse_iteration(A, shift=1.0, rng=0)
    >>> round(lam, 8)
    1.26794919
    >>> bool(np.allclose(A @ v, lam * v))
    True
    """
    from m4ml.linalg.lu import lu_factor, lu_solve

    if isinstance(shift, bool) or not isinstance(shift, numbers.Real):
        raise TypeError(f"shift must be a real number, got {type(shift).__name__}")
    if not math.isfinite(shift):
        raise ValueError(f"shift must be finite, got {shift}")
    A, x, tol, max_iter, anorm = _check_inputs(A, x0, tol, max_iter, rng)
    A, anorm, e = _scaled(A, anorm)
    n = A.shape[0]
    lu, piv = lu_factor(A - math.ldexp(float(shift), -e) * np.eye(n))
    diag = lu.diagonal().copy()
    tiny = _EPS * anorm if anorm > 0 else _EPS
    small = np.abs(diag) < tiny
    if small.any():  # shift (numerically) equal to an eigenvalue: perturb the zero pivots
        diag[small] = np.where(diag[small] < 0, -tiny, tiny)
        lu[np.arange(n), np.arange(n)] = diag
    for k in range(1, max_iter + 1):
        x = _unit(lu_solve((lu, piv), x))
        lam, ok = _rayleigh(A, x, anorm, tol)
        if ok:
            return PowerIterationResult(_unscale(lam, e, "inverse_iteration"), _fix_sign(x), k)
    raise LinAlgError(
        f"inverse iteration did not converge after {max_iter} iterations (residual above "
        f"tol={tol:g} * ||A||). Two eigenvalues may be equally near shift={shift:g}, or the "
        "nearest may be complex: move the shift, use eig, or raise max_iter"
    )
