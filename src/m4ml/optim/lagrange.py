r"""Stationary points of the Lagrangian for equality constraints: Newton on the KKT system."""

import warnings
from collections.abc import Callable, Sequence

import numpy as np

import m4ml.numpy as mnp
from m4ml._core import LinAlgError, LinAlgWarning, as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.linalg.eigh import eigvalsh
from m4ml.linalg.lstsq import lstsq
from m4ml.linalg.solve import solve
from m4ml.linalg.svd import svd
from m4ml.optim._result import OptimizeResult

__all__ = ["lagrange"]


def _constraint_function(equality_constraints):
    """One callable x -> (m,) from a callable or a sequence of callables."""
    if callable(equality_constraints):
        return lambda x: mnp.ravel(equality_constraints(x))
    try:
        funcs = list(equality_constraints)
    except TypeError:
        raise TypeError(
            "equality_constraints must be a callable c(x) or a sequence of callables, got "
            f"{type(equality_constraints).__name__}"
        ) from None
    if not funcs:
        raise ValueError("equality_constraints is empty: give at least one constraint")
    for k, c in enumerate(funcs):
        if not callable(c):
            raise TypeError(f"equality_constraints[{k}] is not callable")
    return lambda x: mnp.concatenate([mnp.ravel(c(x)) for c in funcs])


def _classify(H, J, tol=1e-9):
    """Min / max / saddle from the Hessian of the Lagrangian on the constraints' tangent space."""
    m, n = J.shape
    if m >= n:
        return "isolated point"
    _, _, vt = svd(J, full_matrices=True)
    Z = vt[m:].T  # an orthonormal basis of null(J)
    ev = eigvalsh(Z.T @ H @ Z)
    scale = max(1.0, np.abs(ev).max())
    if ev.min() > tol * scale:
        return "minimum"
    if ev.max() < -tol * scale:
        return "maximum"
    if ev.min() < -tol * scale and ev.max() > tol * scale:
        return "saddle"
    return "degenerate"


def lagrange(
    f: Callable[[FloatArray], float],
    equality_constraints: Callable[[FloatArray], ArrayLike]
    | Sequence[Callable[[FloatArray], float]],
    x0: ArrayLike,
    *,
    multipliers0: ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> OptimizeResult:
    r"""Find a stationary point of the Lagrangian of :math:`f` under equality constraints.

    Solves the first-order (KKT) conditions of :math:`\operatorname{extremize} f(x)` subject to
    :math:`c(x) = 0` by Newton's method, with exact derivatives from :mod:`m4ml.autodiff`.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for a 1-D array ``x``, written with :mod:`m4ml.numpy`.
    equality_constraints : callable or sequence of callables
        ``c(x) -> (m,)`` (or a list of scalar functions :math:`c_i(x)`), the constraints
        :math:`c(x) = 0`.
    x0 : array_like, shape (n,)
        Starting point.
    multipliers0 : array_like, shape (m,), optional
        Starting multipliers; default the least-squares estimate
        :math:`\arg\min_\lambda \|\nabla f(x_0) - J(x_0)^\top\lambda\|`.
    tol : float, default 1e-10
        Stop when both :math:`\|\nabla f - J^\top\lambda\|_\infty` and
        :math:`\|c(x)\|_\infty` are :math:`\le` ``tol``.
    max_iter : int, default 100

    Returns
    -------
    OptimizeResult
        ``x``, ``multipliers`` (:math:`\lambda`), ``fun`` (:math:`f(x)`), ``jac``
        (:math:`\nabla f(x)`), ``constraints`` (:math:`c(x)`), ``kkt`` (a dict with
        ``"stationarity"`` :math:`\|\nabla f - J^\top\lambda\|_\infty` and ``"feasibility"``
        :math:`\|c\|_\infty`), ``classification`` (``"minimum"``, ``"maximum"``, ``"saddle"``,
        ``"degenerate"`` or ``"isolated point"``, from the Hessian of the Lagrangian on the
        tangent space of the constraints), ``nit``, ``nfev``, ``success``, ``status``
        (0 converged, 1 iteration limit, 2 no progress), ``message``.

    Raises
    ------
    LinAlgError
        The constraint Jacobian is rank deficient at the point found (the linear independence
        constraint qualification fails, so the multipliers are not unique); the iteration
        failed while the multipliers diverged (:math:`\|\lambda\|_\infty \ge 10^3(1 +
        \|\nabla f\|_\infty)`, the signature of a solution where :math:`J` loses rank); or
        the KKT matrix is singular during the iteration.
    ValueError
        Bad ``x0``/``multipliers0``/``tol``, no constraints, more constraints than unknowns, or
        ``f``/``c`` not finite at ``x0``.
    TypeError
        ``f`` or a constraint is not callable.

    Notes
    -----
    Sign convention: :math:`\mathcal L(x, \lambda) = f(x) - \lambda^\top c(x)`, so a
    stationary point satisfies the textbook :math:`\nabla f = \sum_i \lambda_i \nabla c_i`
    (:math:`\lambda_i` is the rate of change of the optimal :math:`f` as the constraint
    :math:`c_i(x) = 0` is relaxed to :math:`c_i(x) = \epsilon`). Newton's method on
    :math:`F(x, \lambda) = (\nabla f - J^\top\lambda,\ c) = 0` solves, each iteration,

    .. math:: \begin{pmatrix} \nabla^2_{xx}\mathcal L & J^\top \\ J & 0 \end{pmatrix}
              \begin{pmatrix} \Delta x \\ -\Delta\lambda \end{pmatrix}
              = -\begin{pmatrix} \nabla f - J^\top\lambda \\ c \end{pmatrix},
              \qquad \nabla^2_{xx}\mathcal L = \nabla^2 f - \sum_i \lambda_i \nabla^2 c_i,

    (an LU solve of size :math:`n + m`), and backtracks on the merit function
    :math:`\phi = \tfrac12\|F\|^2`, for which the Newton step is always a descent direction
    (:math:`\nabla\phi^\top d = -\|F\|^2`). Because it solves :math:`F = 0`, the method finds
    maxima and saddle points of the constrained problem as readily as minima; the result says
    which by the inertia of :math:`Z^\top \nabla^2_{xx}\mathcal L\, Z` (:math:`Z` a basis of
    :math:`\operatorname{null} J`). Convergence is quadratic near a point where :math:`J` has
    full row rank and the reduced Hessian is nonsingular.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
       sec. 12.3 and 18.1.
    .. [2] M. P. Deisenroth, A. A. Faisal and C. S. Ong, *Mathematics for Machine Learning*,
       Cambridge University Press, 2020, sec. 7.2.

    Examples
    --------
    Maximize :math:`xy` on the line :math:`x + y = 10`:

    >>> import numpy as np
    >>> res = lagrange(lambda v: v[0] * v[1], lambda v: v[0] + v[1] - 10.0, [1.0, 2.0])
    >>> res.x.tolist(), res.multipliers.tolist(), res.fun, res.classification
    ([5.0, 5.0], [5.0], 25.0, 'maximum')
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    from m4ml.autodiff import hessian, jacobian, value_and_grad

    c_fun = _constraint_function(equality_constraints)
    x = as_float_array(x0, "x0", copy=True).reshape(-1)
    if x.size == 0:
        raise ValueError("x0 must have at least one entry")
    if not (np.isscalar(tol) and np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number, got {tol!r}")
    max_iter = check_positive_int(max_iter, "max_iter")
    fg = value_and_grad(f)
    jac_c = jacobian(c_fun)
    nfev = 0

    def residual(x, lam):
        nonlocal nfev
        nfev += 1
        fx, g = fg(x)
        c = np.asarray(c_fun(x), dtype=float)
        J = np.asarray(jac_c(x), dtype=float).reshape(c.size, x.size)
        return float(fx), np.asarray(g, dtype=float), c, J, np.concatenate([g - J.T @ lam, c])

    c0 = np.asarray(c_fun(x), dtype=float)
    m, n = c0.size, x.size
    if m > n:
        raise ValueError(f"{m} constraints on {n} unknowns: at most n constraints are allowed")
    if multipliers0 is None:
        lam = np.zeros(m)
    else:
        lam = as_float_array(multipliers0, "multipliers0", copy=True).reshape(-1)
        if lam.size != m:
            raise ValueError(f"multipliers0 must have {m} entries, got {lam.size}")
    with np.errstate(all="ignore"):  # a non-finite start is reported just below
        fx, g, c, J, F = residual(x, lam)
    if not (np.isfinite(fx) and np.isfinite(F).all() and np.isfinite(J).all()):
        raise ValueError("f, its gradient or the constraints are not finite at x0")
    if multipliers0 is None:
        lam = lstsq(J.T, g)[0]
        F = np.concatenate([g - J.T @ lam, c])

    def hess_lagrangian(x, lam):
        return np.asarray(hessian(lambda z: f(z) - mnp.sum(lam * c_fun(z)))(x), dtype=float)

    status, nit = 1, 0
    for it in range(max_iter + 1):
        nit = it
        if np.abs(F[:n]).max() <= tol and np.abs(F[n:]).max() <= tol:
            status = 0
            break
        if it == max_iter:
            break
        H = hess_lagrangian(x, lam)
        K = np.block([[H, J.T], [J, np.zeros((m, m))]])
        try:
            with warnings.catch_warnings():  # numerically singular counts as singular here
                warnings.simplefilter("error", LinAlgWarning)
                step = solve(K, -F)
        except (LinAlgError, LinAlgWarning):
            raise LinAlgError(
                f"the KKT matrix is singular at iteration {it} (x = {x.tolist()}): the "
                "constraint Jacobian is rank deficient or the Hessian of the Lagrangian is "
                "singular on the constraints' tangent space; try another x0"
            ) from None
        dx, dlam = step[:n], -step[n:]
        phi = 0.5 * (F @ F)
        t = 1.0
        for _ in range(40):  # backtracking on the merit function
            with np.errstate(all="ignore"):  # a trial point outside f's domain is rejected
                trial = residual(x + t * dx, lam + t * dlam)
            F_new = trial[4]
            finite = np.isfinite(F_new).all() and np.isfinite(trial[3]).all()
            if finite and 0.5 * (F_new @ F_new) <= (1.0 - 2e-4 * t) * phi:
                break
            t *= 0.5
        else:
            status = 2
            break
        x, lam = x + t * dx, lam + t * dlam
        fx, g, c, J, F = trial
    sv = svd(J, full_matrices=False, compute_uv=False)
    if sv.min() <= 1e-10 * max(1.0, sv.max()):
        raise LinAlgError(
            f"the constraint Jacobian is rank deficient at x = {x.tolist()} (singular values "
            f"{sv.tolist()}): the constraints are dependent there, the multipliers are not "
            "unique, and the Lagrange conditions need not hold (LICQ fails)"
        )
    big = np.abs(lam).max(initial=0.0) >= 1e3 * (1.0 + np.abs(g).max())
    if status != 0 and big:
        raise LinAlgError(
            f"no convergence in {nit} iterations while the multipliers diverge (|lambda| = "
            f"{np.abs(lam).max():.3g}) and the constraint Jacobian's smallest singular value "
            f"falls ({sv.min():.3g}): the Jacobian is rank deficient at the solution (LICQ "
            "fails), where no Lagrange multipliers exist"
        )
    messages = {
        0: "Converged: the KKT residuals are below tol.",
        1: f"The iteration limit ({max_iter}) was reached before the KKT residuals fell below tol.",
        2: "The line search on the KKT residual could not make progress (a stationary point of "
        "the residual that is not a solution, or rounding).",
    }
    return OptimizeResult(
        x=x,
        multipliers=lam,
        fun=fx,
        jac=g,
        constraints=c,
        kkt={
            "stationarity": float(np.abs(F[:n]).max()),
            "feasibility": float(np.abs(F[n:]).max()),
        },
        classification=_classify(hess_lagrangian(x, lam), J),
        nit=nit,
        nfev=nfev,
        success=status == 0,
        status=status,
        message=messages[status],
    )
