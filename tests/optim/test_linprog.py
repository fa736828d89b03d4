"""linprog: interior point and simplex against scipy.optimize.linprog (HiGHS), duals, edge cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog as scipy_linprog

from m4ml.optim.duality import kkt_residuals
from m4ml.optim.linprog import linprog

METHODS = ("interior-point", "simplex")


def _random_lp(rng, n, m, p):
    """A feasible, bounded LP with mixed bounds (boxes, free, one-sided)."""
    A_ub = rng.standard_normal((m, n))
    x0 = rng.random(n)
    b_ub = A_ub @ x0 + rng.random(m)
    A_eq = rng.standard_normal((p, n))
    b_eq = A_eq @ x0
    c = rng.standard_normal(n)
    kinds = [(0.0, 2.0), (0.0, None), (None, 3.0), (-1.0, 1.5), (None, None)]
    bounds = [kinds[j % 5] for j in range(n)]
    # free and one-sided variables are kept bounded by |x_j| <= 10 written as rows
    A_ub = np.vstack([A_ub, np.eye(n), -np.eye(n)])
    b_ub = np.concatenate([b_ub, np.full(2 * n, 10.0)])
    return c, A_ub, b_ub, A_eq, b_eq, bounds


def _as_qp_rows(A_ub, b_ub, bounds, n):
    lo = np.array([-np.inf if lo is None else lo for lo, _ in bounds])
    hi = np.array([np.inf if hi is None else hi for _, hi in bounds])
    low, up = np.isfinite(lo), np.isfinite(hi)
    G = np.vstack([A_ub, -np.eye(n)[low], np.eye(n)[up]])
    return G, np.concatenate([b_ub, -lo[low], hi[up]]), low, up


SIZES = [(3, 2, 0), (5, 6, 1), (10, 8, 3), (20, 15, 5), (50, 30, 10), (100, 60, 20), (200, 80, 30)]


@pytest.mark.parametrize("seed", range(30))
def test_random_lps_agree_with_highs(seed):
    rng = np.random.default_rng(seed)
    n, m, p = SIZES[seed % len(SIZES)]
    c, A_ub, b_ub, A_eq, b_eq, bounds = _random_lp(rng, n, m, p)
    ref = scipy_linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds, method="highs")
    assert ref.status == 0
    methods = METHODS if n <= 50 else ("interior-point",)
    for method in methods:
        res = linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds, method=method)
        assert res.status == 0 and res.success, method
        assert abs(res.fun - ref.fun) <= 1e-7 * max(1.0, abs(ref.fun)), method
        # the marginals are the KKT multipliers: check the KKT conditions in G-form
        G, h, low, up = _as_qp_rows(A_ub, b_ub, bounds, n)
        z = -np.concatenate([res.ineqlin.marginals, -res.lower.marginals[low]])
        z = np.concatenate([z, -res.upper.marginals[up]])
        kkt = kkt_residuals(None, c, G, h, A_eq, b_eq, x=res.x, z=z, y=-res.eqlin.marginals)
        assert kkt.max < 1e-7, (method, kkt)
        assert res.kkt == kkt
        atol = 1e-6 * max(1.0, np.abs(ref.ineqlin.marginals).max())
        np.testing.assert_allclose(res.ineqlin.marginals, ref.ineqlin.marginals, atol=atol)
        np.testing.assert_allclose(res.eqlin.marginals, ref.eqlin.marginals, atol=atol)
        np.testing.assert_allclose(res.lower.marginals, ref.lower.marginals, atol=atol)
        np.testing.assert_allclose(res.upper.marginals, ref.upper.marginals, atol=atol)
        np.testing.assert_allclose(res.slack, b_ub - A_ub @ res.x, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_textbook_lp(method):
    # max 3x + 5y s.t. x <= 4, 2y <= 12, 3x + 2y <= 18 (Hillier & Lieberman): x = (2, 6), 36
    res = linprog([-3.0, -5.0], [[1.0, 0.0], [0.0, 2.0], [3.0, 2.0]], [4.0, 12.0, 18.0],
                  method=method)  # fmt: skip
    np.testing.assert_allclose(res.x, [2.0, 6.0], atol=1e-8)
    assert res.fun == pytest.approx(-36.0, abs=1e-8)
    # shadow prices of the textbook: 0, 3/2, 1 (sign: d fun / d b_ub)
    np.testing.assert_allclose(res.ineqlin.marginals, [0.0, -1.5, -1.0], atol=1e-7)


@pytest.mark.parametrize("method", METHODS)
def test_beale_cycling_example_terminates(method):
    # Beale's (1955) degenerate LP on which the textbook most-negative rule cycles
    c = [-0.75, 20.0, -0.5, 6.0]
    A = [[0.25, -8.0, -1.0, 9.0], [0.5, -12.0, -0.5, 3.0], [0.0, 0.0, 1.0, 0.0]]
    res = linprog(c, A, [0.0, 0.0, 1.0], method=method)
    assert res.status == 0
    assert res.fun == pytest.approx(-1.25, abs=1e-8)


@pytest.mark.parametrize("method", METHODS)
def test_degenerate_vertex(method):
    A = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    res = linprog([-1.0, -1.0], A, [1.0, 1.0, 2.0], method=method)
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-8)
    assert res.fun == pytest.approx(-2.0, abs=1e-8)


@pytest.mark.parametrize("method", METHODS)
def test_infeasible(method):
    res = linprog([1.0, 1.0], [[1.0, 1.0]], [-1.0], method=method)  # x >= 0, x1 + x2 <= -1
    assert res.status == 2 and not res.success and res.x is None
    assert "infeasible" in res.message
    res = linprog([1.0], A_eq=[[1.0]], b_eq=[5.0], bounds=(0, 1), method=method)
    assert res.status == 2


@pytest.mark.parametrize("method", METHODS)
def test_unbounded(method):
    res = linprog([-1.0, -1.0], [[1.0, -1.0]], [1.0], method=method)
    assert res.status == 3 and res.x is None and "unbounded" in res.message
    res = linprog([1.0, 0.0], A_eq=[[0.0, 1.0]], b_eq=[1.0], bounds=None, method=method)
    assert res.status == 3


@pytest.mark.parametrize("method", METHODS)
def test_free_variables_and_redundant_equalities(method):
    # min x1 + 2 x2 + 3 x3, x free; x1 + x2 + x3 = 1 (twice), x1 - x2 = 0, x3 >= 0 via row
    A_eq = [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [1.0, -1.0, 0.0]]
    b_eq = [1.0, 1.0, 2.0, 0.0]
    res = linprog([1.0, 2.0, 3.0], [[0.0, 0.0, -1.0]], [0.0], A_eq, b_eq, bounds=None,
                  method=method)  # fmt: skip
    ref = scipy_linprog([1.0, 2.0, 3.0], [[0.0, 0.0, -1.0]], [0.0], A_eq, b_eq, bounds=None)
    assert res.status == 0
    np.testing.assert_allclose(res.x, ref.x, atol=1e-8)
    assert res.fun == pytest.approx(ref.fun, abs=1e-8)


@pytest.mark.parametrize("method", METHODS)
def test_bounds_forms(method):
    c = np.array([1.0, -1.0, 1.0])
    for bounds, x in [
        ((0, 1), [0.0, 1.0, 0.0]),
        ([(1, 2), (None, 3), (-np.inf, np.inf)], [1.0, 3.0, -4.0]),
        ([(1, 2), (-2, 3), (-4, None)], [1.0, 3.0, -4.0]),
    ]:
        A_ub = [[0.0, 0.0, -1.0]]
        res = linprog(c, A_ub, [4.0], bounds=bounds, method=method)
        np.testing.assert_allclose(res.x, x, atol=1e-8)
    # a fixed variable
    res = linprog([1.0, 1.0], bounds=[(2, 2), (0, None)], method=method)
    np.testing.assert_allclose(res.x, [2.0, 0.0], atol=1e-8)


def test_errors():
    with pytest.raises(ValueError, match="bounds of variable 1"):
        linprog([1.0, 1.0], bounds=[(0, 1), (2, 1)])
    with pytest.raises(ValueError, match="pairs"):
        linprog([1.0, 1.0], bounds=[(0, 1), (0, 1), (0, 1)])
    with pytest.raises(ValueError, match="method"):
        linprog([1.0], method="revised")
    with pytest.raises(ValueError, match="A_ub and b_ub"):
        linprog([1.0], A_ub=[[1.0]])
    with pytest.raises(ValueError, match="shape"):
        linprog([1.0, 2.0], A_ub=[[1.0, 1.0]], b_ub=[1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        linprog([np.nan, 1.0])
    with pytest.raises(ValueError, match="empty"):
        linprog([])
    with pytest.raises(ValueError, match="numbers or None"):
        linprog([1.0], bounds=("a", 1))
    with pytest.raises(ValueError, match="finite numbers"):
        linprog([1.0], bounds=(np.inf, None))
    with pytest.raises(TypeError, match="maxiter"):
        linprog([1.0], maxiter=1.5)


def test_iteration_limit():
    c, A_ub, b_ub, A_eq, b_eq, bounds = _random_lp(np.random.default_rng(1), 10, 8, 2)
    for method in METHODS:
        res = linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds, method=method, maxiter=1)
        assert res.status == 1 and not res.success


@pytest.mark.parametrize("seed", range(8))
def test_random_degenerate_lps(seed):
    # half of the rows pass through one point x0, and c makes that vertex optimal: a
    # primal-degenerate optimum (more active constraints than variables)
    rng = np.random.default_rng(seed)
    n = (4, 10, 25)[seed % 3]
    A = rng.standard_normal((3 * n, n))
    x0 = rng.random(n)
    b = A @ x0
    b[::2] += rng.random(b[::2].shape)
    c = -(A[1::2].T @ rng.random(A[1::2].shape[0]))
    ref = scipy_linprog(c, A, b, bounds=(None, None), method="highs")
    for method in METHODS:
        res = linprog(c, A, b, bounds=(None, None), method=method)
        assert res.status == ref.status == 0
        assert abs(res.fun - ref.fun) <= 1e-7 * max(1.0, abs(ref.fun))
        np.testing.assert_allclose(res.x, x0, atol=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_badly_scaled_lps_with_many_equalities(seed):
    rng = np.random.default_rng(100 + seed)
    n, scale = (20, 80)[seed % 2], (1e-3, 1e3, 1e5)[seed % 3]
    p = n - 5 if seed % 2 else n // 2
    A_ub = rng.standard_normal((n, n)) * scale
    x0 = rng.random(n)
    b_ub = A_ub @ x0 + rng.random(n) * scale
    A_eq = rng.standard_normal((p, n))
    c = rng.standard_normal(n) * scale
    ref = scipy_linprog(c, A_ub, b_ub, A_eq, A_eq @ x0, bounds=(0, 5), method="highs")
    res = linprog(c, A_ub, b_ub, A_eq, A_eq @ x0, bounds=(0, 5))
    assert res.status == ref.status == 0
    assert abs(res.fun - ref.fun) <= 1e-7 * max(1.0, abs(ref.fun))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(0, 6), st.integers(0, 2))
def test_methods_agree_property(seed, n, m, p):
    # random small LPs, feasible or not, bounded or not: both methods give the same status,
    # and the same optimal value when there is one
    rng = np.random.default_rng(seed)
    c = rng.standard_normal(n)
    A_ub, b_ub = rng.standard_normal((m, n)), rng.standard_normal(m)
    A_eq, b_eq = rng.standard_normal((p, n)), rng.standard_normal(p)
    bounds = [(-2.0, None), (None, 1.0), (0.0, 3.0), (None, None)][seed % 4]
    ip = linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds)
    sx = linprog(c, A_ub, b_ub, A_eq, b_eq, bounds=bounds, method="simplex")
    assert ip.status == sx.status
    if sx.status == 0:
        assert ip.fun == pytest.approx(sx.fun, rel=1e-7, abs=1e-7)
