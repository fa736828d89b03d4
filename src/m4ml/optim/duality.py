r"""Lagrange duality for convex quadratic and linear programs: the dual function, the duality
gap and the KKT residuals.

The problems are in the standard form used by :func:`m4ml.optim.qp.solve_qp`,

.. math:: \min_x \tfrac12 x^\top P x + q^\top x \quad\text{s.t.}\quad G x \le h,\; A x = b,

with :math:`P` symmetric positive semidefinite (``P=None`` is a linear program). With
multipliers :math:`z \ge 0` for the inequalities and :math:`y` for the equalities the
Lagrangian is :math:`L(x, z, y) = \tfrac12 x^\top P x + q^\top x + z^\top (G x - h) +
y^\top (A x - b)`.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike
from m4ml.linalg.eigh import eigh

__all__ = ["KKTResiduals", "dual_function", "duality_gap", "kkt_residuals", "primal_objective"]


def _problem(P, q, G, h, A, b):
    """Validate and densify (P, q, G, h, A, b); absent blocks become empty arrays."""
    q = as_float_array(q, "q", min_ndim=1, max_ndim=1)
    n = q.shape[0]
    P = np.zeros((n, n)) if P is None else as_float_array(P, "P", min_ndim=2, max_ndim=2)
    if P.shape != (n, n):
        raise ValueError(f"P must have shape ({n}, {n}) to match q, got {P.shape}")
    blocks = []
    for M, v, mname, vname in ((G, h, "G", "h"), (A, b, "A", "b")):
        if (M is None) != (v is None):
            raise ValueError(f"{mname} and {vname} must be given together")
        if M is None:
            blocks += [np.zeros((0, n)), np.zeros(0)]
            continue
        M = as_float_array(M, mname, min_ndim=1, max_ndim=2)
        M = M.reshape(1, -1) if M.ndim == 1 else M
        v = np.atleast_1d(as_float_array(v, vname, max_ndim=1))
        if M.shape[1] != n:
            raise ValueError(f"{mname} must have {n} columns to match q, got shape {M.shape}")
        if v.shape != (M.shape[0],):
            raise ValueError(
                f"{vname} must have length {M.shape[0]} (the rows of {mname}), got {v.shape}"
            )
        blocks += [M, v]
    return P, q, *blocks


def _multipliers(z, y, m, p):
    z = np.zeros(m) if z is None else np.atleast_1d(as_float_array(z, "z", max_ndim=1))
    y = np.zeros(p) if y is None else np.atleast_1d(as_float_array(y, "y", max_ndim=1))
    if z.shape != (m,) or y.shape != (p,):
        raise ValueError(
            f"z must have length {m} and y length {p}, got shapes {z.shape} and {y.shape}"
        )
    return z, y


@overflow_guard("primal_objective")
def primal_objective(P: ArrayLike | None, q: ArrayLike, x: ArrayLike) -> float:
    r"""The quadratic objective :math:`f(x) = \tfrac12 x^\top P x + q^\top x` (``P=None``: LP).

    Parameters
    ----------
    P : array_like, shape (n, n) or None
    q : array_like, shape (n,)
    x : array_like, shape (n,)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Mismatched shapes or non-finite input.

    Examples
    --------
    >>> from m4ml.optim.duality import primal_objective
    >>> primal_objective([[2.0, 0.0], [0.0, 2.0]], [1.0, 1.0], [1.0, -1.0])
    2.0
    """
    P, q, *_ = _problem(P, q, None, None, None, None)
    x = as_float_array(x, "x", min_ndim=1, max_ndim=1)
    if x.shape != q.shape:
        raise ValueError(f"x must have length {q.shape[0]}, got {x.shape}")
    return float(0.5 * x @ (P @ x) + q @ x)


def dual_function(
    P: ArrayLike | None,
    q: ArrayLike,
    G: ArrayLike | None = None,
    h: ArrayLike | None = None,
    A: ArrayLike | None = None,
    b: ArrayLike | None = None,
    *,
    rtol: float = 1e-9,
) -> Callable[[ArrayLike, ArrayLike | None], float]:
    r"""The Lagrange dual function :math:`g(z, y) = \inf_x L(x, z, y)` of a QP or LP.

    Parameters
    ----------
    P : array_like, shape (n, n) or None
        Symmetric positive semidefinite; ``None`` for a linear program.
    q : array_like, shape (n,)
    G, h : array_like, shape (m, n) and (m,), optional
        Inequalities :math:`G x \le h`.
    A, b : array_like, shape (p, n) and (p,), optional
        Equalities :math:`A x = b`.
    rtol : float, default 1e-9
        Relative tolerance deciding whether :math:`r = q + G^\top z + A^\top y` lies in the
        range of :math:`P` (otherwise :math:`g = -\infty`).

    Returns
    -------
    g : callable
        ``g(z=None, y=None) -> float``; ``-inf`` where the infimum is unbounded. Negative
        entries of ``z`` raise ``ValueError`` (the dual is only defined for :math:`z \ge 0`).

    Raises
    ------
    ValueError
        Mismatched shapes, non-finite input or a non-symmetric / indefinite ``P``.

    Notes
    -----
    With :math:`r = q + G^\top z + A^\top y`, :math:`L` is the convex quadratic
    :math:`\tfrac12 x^\top P x + r^\top x - h^\top z - b^\top y`. Its infimum is finite exactly
    when :math:`r \in \operatorname{range}(P)`, and then equals
    :math:`-\tfrac12 r^\top P^{+} r - h^\top z - b^\top y`. For an LP (:math:`P = 0`) this is
    :math:`-h^\top z - b^\top y` on :math:`\{c + G^\top z + A^\top y = 0\}` and :math:`-\infty`
    elsewhere. Weak duality: :math:`g(z, y) \le f(x)` for every feasible :math:`x` and every
    :math:`z \ge 0`; for a feasible convex QP strong duality holds (linear constraints
    satisfy Slater's refined condition), so the maximum of :math:`g` equals the minimum of
    :math:`f`. :math:`P^{+}` comes from one symmetric eigendecomposition
    (:math:`O(n^3)`, done once when ``dual_function`` is called).

    References
    ----------
    .. [1] S. Boyd and L. Vandenberghe, *Convex Optimization*, Cambridge, 2004, ch. 5.

    Examples
    --------
    Minimize :math:`x^2` subject to :math:`x \ge 1` (i.e. :math:`-x \le -1`): the dual is
    :math:`g(z) = -z^2/4 + z`, maximal at :math:`z = 2` with :math:`g = 1 = f^\star`.

    >>> from m4ml.optim.duality import dual_function
    >>> g = dual_function([[2.0]], [0.0], G=[[-1.0]], h=[-1.0])
    >>> g([2.0]), g([1.0])
    (1.0, 0.75)
    """
    P, q, G, h, A, b = _problem(P, q, G, h, A, b)
    n = q.shape[0]
    scale = max(1.0, float(np.abs(P).max(initial=0.0)))
    if np.abs(P - P.T).max(initial=0.0) > 1e-10 * scale:
        raise ValueError("P must be symmetric")
    if n and np.any(P):
        w, V = eigh(P)
        if w[0] < -1e-10 * scale:
            raise ValueError(f"P must be positive semidefinite (smallest eigenvalue {w[0]:.3g})")
    else:
        w, V = np.zeros(n), np.eye(n)
    keep = w > rtol * scale
    m, p = G.shape[0], A.shape[0]

    @overflow_guard("dual_function")
    def g(z=None, y=None):
        z, y = _multipliers(z, y, m, p)
        if np.any(z < 0):
            raise ValueError("the dual function is defined for z >= 0 only")
        r = q + G.T @ z + A.T @ y
        c = V.T @ r
        rscale = max(1.0, float(np.abs(q).max(initial=0.0)), float(np.abs(r).max(initial=0.0)))
        if np.abs(c[~keep]).max(initial=0.0) > 1e3 * rtol * rscale:
            return -np.inf
        return float(-0.5 * np.sum(c[keep] ** 2 / w[keep]) - h @ z - b @ y)

    return g


@overflow_guard("duality_gap")
def duality_gap(
    P: ArrayLike | None,
    q: ArrayLike,
    G: ArrayLike | None = None,
    h: ArrayLike | None = None,
    A: ArrayLike | None = None,
    b: ArrayLike | None = None,
    *,
    x: ArrayLike,
    z: ArrayLike | None = None,
    y: ArrayLike | None = None,
) -> float:
    r"""The duality gap :math:`f(x) - g(z, y)` of a primal point and dual multipliers.

    Parameters
    ----------
    P, q, G, h, A, b : see :func:`dual_function`.
    x : array_like, shape (n,)
        Primal point (should be feasible for weak duality to apply).
    z, y : array_like, optional
        Multipliers of the inequalities (:math:`z \ge 0`) and equalities.

    Returns
    -------
    float
        Non-negative for feasible ``x`` (weak duality), zero at a primal–dual optimum (strong
        duality); ``inf`` when :math:`g(z, y) = -\infty`.

    Raises
    ------
    ValueError
        See :func:`dual_function`.

    Notes
    -----
    For a feasible :math:`x` and :math:`z \ge 0` whose Lagrangian minimizer is :math:`x`
    itself, the gap equals :math:`z^\top (h - G x)`, the complementarity sum that an
    interior-point method drives to zero.

    References
    ----------
    .. [1] S. Boyd and L. Vandenberghe, *Convex Optimization*, Cambridge, 2004, sec. 5.5.

    Examples
    --------
    >>> from m4ml.optim.duality import duality_gap
    >>> duality_gap([[2.0]], [0.0], G=[[-1.0]], h=[-1.0], x=[1.0], z=[2.0])
    0.0
    >>> duality_gap([[2.0]], [0.0], G=[[-1.0]], h=[-1.0], x=[1.5], z=[1.0])
    1.5
    """
    g = dual_function(P, q, G, h, A, b)
    return primal_objective(P, q, x) - g(z, y)


@dataclass(frozen=True)
class KKTResiduals:
    r"""Infinity-norm residuals of the KKT conditions (all zero at an exact optimum).

    Attributes
    ----------
    stationarity : float
        :math:`\|P x + q + G^\top z + A^\top y\|_\infty`.
    primal_feasibility : float
        :math:`\max(\max_i (G x - h)_i^+, \|A x - b\|_\infty)`.
    dual_feasibility : float
        :math:`\max_i (-z_i)^+`.
    complementarity : float
        :math:`\max_i |z_i (h - G x)_i|`.
    """

    stationarity: float
    primal_feasibility: float
    dual_feasibility: float
    complementarity: float

    @property
    def max(self) -> float:
        """The largest of the four residuals."""
        return max(
            self.stationarity,
            self.primal_feasibility,
            self.dual_feasibility,
            self.complementarity,
        )


@overflow_guard("kkt_residuals")
def kkt_residuals(
    P: ArrayLike | None,
    q: ArrayLike,
    G: ArrayLike | None = None,
    h: ArrayLike | None = None,
    A: ArrayLike | None = None,
    b: ArrayLike | None = None,
    *,
    x: ArrayLike,
    z: ArrayLike | None = None,
    y: ArrayLike | None = None,
) -> KKTResiduals:
    r"""Residuals of the KKT optimality conditions of a convex QP or LP at :math:`(x, z, y)`.

    Parameters
    ----------
    P, q, G, h, A, b : see :func:`dual_function`.
    x : array_like, shape (n,)
    z, y : array_like, optional
        Multipliers of :math:`G x \le h` and :math:`A x = b`.

    Returns
    -------
    KKTResiduals

    Raises
    ------
    ValueError
        Mismatched shapes or non-finite input.

    Notes
    -----
    For a convex problem the KKT conditions

    .. math:: P x + q + G^\top z + A^\top y = 0, \quad G x \le h, \quad A x = b, \quad
              z \ge 0, \quad z_i (h - G x)_i = 0

    are necessary and sufficient for optimality of :math:`x` and of the multipliers in the
    dual. Cost: two matrix–vector products with each of :math:`G` and :math:`A`.

    References
    ----------
    .. [1] J. Nocedal and S. J. Wright, *Numerical Optimization*, 2nd ed., Springer, 2006,
       Thm. 12.1 and sec. 16.

    Examples
    --------
    >>> from m4ml.optim.duality import kkt_residuals
    >>> r = kkt_residuals([[2.0]], [0.0], G=[[-1.0]], h=[-1.0], x=[1.0], z=[2.0])
    >>> r.max
    0.0
    """
    P, q, G, h, A, b = _problem(P, q, G, h, A, b)
    x = as_float_array(x, "x", min_ndim=1, max_ndim=1)
    if x.shape != q.shape:
        raise ValueError(f"x must have length {q.shape[0]}, got {x.shape}")
    z, y = _multipliers(z, y, G.shape[0], A.shape[0])
    slack = h - G @ x
    return KKTResiduals(
        stationarity=float(np.abs(P @ x + q + G.T @ z + A.T @ y).max(initial=0.0)),
        primal_feasibility=max(
            float(np.maximum(-slack, 0.0).max(initial=0.0)),
            float(np.abs(A @ x - b).max(initial=0.0)),
        ),
        dual_feasibility=float(np.maximum(-z, 0.0).max(initial=0.0)),
        complementarity=float(np.abs(z * slack).max(initial=0.0)),
    )
