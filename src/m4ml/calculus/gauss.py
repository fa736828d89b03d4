r"""Gaussian quadrature: Gauss–Legendre nodes by Golub–Welsch, and Gauss–Kronrod extensions.

The Gauss–Legendre rule with :math:`n` nodes integrates every polynomial of degree
:math:`\le 2n - 1` exactly over :math:`[-1, 1]`. Its Kronrod extension adds :math:`n + 1`
nodes so that the :math:`2n + 1`-point rule reuses all Gauss evaluations and is exact to degree
:math:`3n + 1`; the difference between the two is the error estimate that drives
:func:`m4ml.calculus.quad.quad`.
"""

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from m4ml._core import check_positive_int
from m4ml._core.hints import FloatArray
from m4ml.linalg.solve import solve
from m4ml.linalg.tridiag_eigen import eigh_tridiagonal

__all__ = ["gauss_legendre", "gauss_legendre_nodes", "kronrod_nodes"]


def _legendre(n, x):
    """``(P_n(x), P_n'(x))`` by the three-term recurrence (vectorized over ``x``)."""
    p_prev, p = np.ones_like(x), x.copy()
    if n == 0:
        return p_prev, np.zeros_like(x)
    for k in range(1, n):
        p_prev, p = p, ((2 * k + 1) * x * p - k * p_prev) / (k + 1)
    dp = n * (x * p - p_prev) / (x * x - 1.0)
    return p, dp


def _legendre_table(n, x):
    """Matrix ``V[k, i] = P_k(x_i)`` for ``k = 0..n``."""
    V = np.empty((n + 1, len(x)))
    V[0] = 1.0
    if n >= 1:
        V[1] = x
    for k in range(1, n):
        V[k + 1] = ((2 * k + 1) * x * V[k] - k * V[k - 1]) / (k + 1)
    return V


@lru_cache(maxsize=64)
def _gauss_rule(n):
    k = np.arange(1, n)
    beta = k / np.sqrt(4.0 * k * k - 1.0)
    x, v = eigh_tridiagonal(np.zeros(n), beta)
    w = 2.0 * v[0] ** 2
    # polish: one Newton step on P_n, then the classical weight formula (full relative accuracy)
    p, dp = _legendre(n, x)
    x = x - p / dp
    _, dp = _legendre(n, x)
    w_formula = 2.0 / ((1.0 - x * x) * dp * dp)
    w = np.where(np.isfinite(w_formula), w_formula, w)
    x = 0.5 * (x - x[::-1])  # exact symmetry about 0
    w = 0.5 * (w + w[::-1])
    x.flags.writeable = False
    w.flags.writeable = False
    return x, w


def gauss_legendre_nodes(n: int) -> tuple[FloatArray, FloatArray]:
    r"""Nodes and weights of the ``n``-point Gauss–Legendre rule on :math:`[-1, 1]`.

    Parameters
    ----------
    n : int
        Number of nodes, ``n >= 1``.

    Returns
    -------
    x, w : ndarray, shape (n,)
        Nodes in ascending order and their (positive) weights, as
        ``numpy.polynomial.legendre.leggauss`` returns them.

    Raises
    ------
    TypeError, ValueError
        If ``n`` is not an integer >= 1.

    Notes
    -----
    Golub–Welsch: the nodes are the eigenvalues of the symmetric tridiagonal Jacobi matrix of the
    Legendre recurrence, with zero diagonal and off-diagonal
    :math:`\beta_k = k / \sqrt{4k^2 - 1}`, and the weights are
    :math:`w_i = \mu_0 v_{0i}^2 = 2 v_{0i}^2` from the first components of the unit
    eigenvectors. The eigenproblem is solved by
    :func:`m4ml.linalg.tridiag_eigen.eigh_tridiagonal` in :math:`O(n^2)`. One Newton step on
    :math:`P_n` then polishes each node, and the weights are recomputed as
    :math:`w_i = 2 / ((1 - x_i^2) P_n'(x_i)^2)`, which keeps full relative accuracy in the
    small weights near :math:`\pm 1`. Results are cached per ``n``.

    References
    ----------
    .. [1] G. H. Golub and J. H. Welsch, "Calculation of Gauss quadrature rules",
       *Math. Comp.* 23 (1969), 221-230.

    Examples
    --------
    >>> from m4ml.calculus.gauss import gauss_legendre_nodes
    >>> x, w = gauss_legendre_nodes(3)
    >>> [round(float(t), 12) for t in x], [round(float(t), 12) for t in w]
    ([-0.774596669241, 0.0, 0.774596669241], [0.555555555556, 0.888888888889, 0.555555555556])
    """
    n = check_positive_int(n, "n")
    x, w = _gauss_rule(n)
    return x.copy(), w.copy()


@lru_cache(maxsize=16)
def _kronrod_rule(n):
    xg, wg = _gauss_rule(n)
    # Stieltjes polynomial E = P_{n+1} + sum_{j<=n} c_j P_j with int P_n E P_k = 0, k = 0..n
    m = (3 * n + 2) // 2 + 1  # Gauss points that integrate degree 3n + 1 exactly
    xq, wq = _gauss_rule(m)
    V = _legendre_table(n + 1, xq)
    weighted = V[n] * wq  # P_n times the quadrature weight
    A = (V[: n + 1] * weighted) @ V[: n + 1].T  # A[k, j] = int P_n P_k P_j
    rhs = -(V[: n + 1] * weighted) @ V[n + 1]
    c = np.append(solve(A, rhs), 1.0)

    def stieltjes(x):
        return c @ _legendre_table(n + 1, x)

    # the Kronrod nodes interlace the Gauss nodes: bracket each and bisect (vectorized)
    lo = np.concatenate([[-1.0], xg])
    hi = np.concatenate([xg, [1.0]])
    f_lo = stieltjes(lo)
    for _ in range(64):
        mid = 0.5 * (lo + hi)
        f_mid = stieltjes(mid)
        same = np.sign(f_mid) == np.sign(f_lo)
        lo = np.where(same, mid, lo)
        f_lo = np.where(same, f_mid, f_lo)
        hi = np.where(same, hi, mid)
    xk = 0.5 * (lo + hi)
    nodes = np.sort(np.concatenate([xg, xk]))
    nodes = 0.5 * (nodes - nodes[::-1])
    # interpolatory weights: sum_i w_i P_k(x_i) = int P_k = 2 [k == 0], k = 0..2n
    moments = np.zeros(2 * n + 1)
    moments[0] = 2.0
    weights = solve(_legendre_table(2 * n, nodes), moments)
    weights = 0.5 * (weights + weights[::-1])
    gauss_weights = np.zeros(2 * n + 1)
    gauss_weights[1::2] = wg  # Gauss nodes sit at the odd positions
    for arr in (nodes, weights, gauss_weights):
        arr.flags.writeable = False
    return nodes, weights, gauss_weights


def kronrod_nodes(n: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    r"""The :math:`(2n + 1)`-point Gauss–Kronrod extension of the ``n``-point Gauss rule.

    Parameters
    ----------
    n : int
        Gauss order, ``1 <= n <= 40`` (7 and 10 give the classical G7–K15 and G10–K21 pairs).

    Returns
    -------
    x : ndarray, shape (2n + 1,)
        Nodes on :math:`[-1, 1]`, ascending; the Gauss nodes are ``x[1::2]``.
    w_kronrod : ndarray, shape (2n + 1,)
        Kronrod weights (exact to polynomial degree :math:`3n + 1`, or :math:`3n + 2` for odd
        ``n``).
    w_gauss : ndarray, shape (2n + 1,)
        Gauss weights on the same nodes (zero at the Kronrod-only nodes).

    Raises
    ------
    TypeError, ValueError
        If ``n`` is not an integer in ``[1, 40]``.

    Notes
    -----
    The :math:`n + 1` added nodes are the zeros of the Stieltjes polynomial
    :math:`E_{n+1} = P_{n+1} + \sum_{j \le n} c_j P_j`, defined by
    :math:`\int_{-1}^{1} P_n(x) E_{n+1}(x) x^k\,dx = 0` for :math:`k = 0, \dots, n`. In the
    Legendre basis this is an :math:`(n + 1)`-square linear system whose entries
    :math:`\int P_n P_j P_k` are computed exactly by a Gauss rule of sufficient order. The
    zeros interlace the Gauss nodes (Szegő), so each is bracketed and found by bisection; the
    weights solve the moment equations :math:`\sum_i w_i P_k(x_i) = 2\delta_{k0}`,
    :math:`k = 0, \dots, 2n`. Nodes and weights agree with the published tables of Piessens
    et al. to about :math:`10^{-15}`.

    References
    ----------
    .. [1] A. S. Kronrod, *Nodes and Weights of Quadrature Formulas*, Consultants Bureau, 1965.
    .. [2] R. Piessens, E. de Doncker-Kapenga, C. W. Überhuber and D. K. Kahaner,
       *QUADPACK: A Subroutine Package for Automatic Integration*, Springer, 1983.
    .. [3] D. P. Laurie, "Calculation of Gauss-Kronrod quadrature rules", *Math. Comp.* 66
       (1997), 1133-1145 (background; a different algorithm).

    Examples
    --------
    >>> from m4ml.calculus.gauss import kronrod_nodes
    >>> x, wk, wg = kronrod_nodes(10)
    >>> round(float(x[-1]), 14), round(float(wk[-1]), 14)
    (0.99565716302581, 0.01169463886737)
    """
    n = check_positive_int(n, "n")
    if n > 40:
        raise ValueError(f"n must be <= 40 (the moment equations lose accuracy), got {n}")
    x, wk, wg = _kronrod_rule(n)
    return x.copy(), wk.copy(), wg.copy()


def gauss_legendre(
    f: Callable[..., Any], a: float, b: float, n: int = 5, args: tuple[Any, ...] = ()
) -> float:
    r"""Integrate ``f`` from ``a`` to ``b`` with the ``n``-point Gauss–Legendre rule.

    Parameters
    ----------
    f : callable
        Vectorized integrand ``f(x, *args)``: given an array of nodes it returns an array of
        the same shape (as ``scipy.integrate.fixed_quad`` requires).
    a, b : float
        Finite limits of integration (``b < a`` gives the negated integral).
    n : int
        Number of nodes (default 5); exact for polynomials of degree :math:`\le 2n - 1`.
    args : tuple
        Extra arguments passed to ``f``.

    Returns
    -------
    float
        The approximation to :math:`\int_a^b f(x)\,dx`.

    Raises
    ------
    ValueError
        Non-finite limits, a bad ``n``, or ``f`` returning values of the wrong shape or
        non-finite values.

    Notes
    -----
    With :math:`(x_i, w_i)` from :func:`gauss_legendre_nodes`,

    .. math:: \int_a^b f(x)\,dx \approx \frac{b - a}{2} \sum_{i=1}^n w_i\,
              f\!\left(\frac{a + b}{2} + \frac{b - a}{2} x_i\right).

    The error is :math:`\frac{(b-a)^{2n+1} (n!)^4}{(2n+1) [(2n)!]^3} f^{(2n)}(\xi)`: spectral
    convergence for smooth (analytic) integrands, slow for singular ones (use
    :func:`m4ml.calculus.quad.quad`). Cost: ``n`` evaluations of ``f`` in one call.

    References
    ----------
    .. [1] P. J. Davis and P. Rabinowitz, *Methods of Numerical Integration*, 2nd ed.,
       Academic Press, 1984, section 2.7.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.gauss import gauss_legendre
    >>> round(gauss_legendre(np.exp, 0.0, 1.0, n=5), 10), round(float(np.e - 1), 10)
    (1.7182818285, 1.7182818285)
    >>> round(gauss_legendre(lambda x: x**5 - x**2, -1.0, 2.0, n=3), 12)  # exact to degree 5
    7.5
    """
    n = check_positive_int(n, "n")
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)):
        raise ValueError(f"gauss_legendre needs finite limits, got a={a}, b={b}; use quad")
    x, w = _gauss_rule(n)
    half, mid = 0.5 * (b - a), 0.5 * (a + b)
    y = np.asarray(f(mid + half * x, *args), dtype=float)
    if y.shape != x.shape:
        raise ValueError(
            f"f must be vectorized: given {n} nodes it returned shape {y.shape}, expected ({n},)"
        )
    if not np.isfinite(y).all():
        raise ValueError("f returned NaN or infinity at a quadrature node")
    return float(half * (w @ y))
