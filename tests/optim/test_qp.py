"""solve_qp: reference QPs (scipy SLSQP, closed forms), certificates, edge cases, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from m4ml.optim.duality import dual_function
from m4ml.optim.qp import solve_qp
from tests.optim._qp_problems import random_qp

KKT_TOL = 1e-7


def _slsqp(P, q, G, h, A, b):
    cons = [{"type": "ineq", "fun": lambda x: h - G @ x, "jac": lambda x: -G}]
    if A.shape[0]:
        cons.append({"type": "eq", "fun": lambda x: A @ x - b, "jac": lambda x: A})
    res = minimize(
        lambda x: 0.5 * x @ P @ x + q @ x,
        np.zeros(q.shape[0]),
        jac=lambda x: P @ x + q,
        method="SLSQP",
        constraints=cons,
        options={"ftol": 1e-14, "maxiter": 2000},
    )
    return res


SIZES = [(2, 3, 0), (5, 8, 0), (5, 8, 2), (10, 20, 0), (10, 20, 4), (30, 60, 5), (60, 40, 10)]


@pytest.mark.parametrize("seed", range(30))
def test_random_qps_agree_with_slsqp(seed):
    rng = np.random.default_rng(seed)
    n, m, p = SIZES[seed % len(SIZES)]
    rank = n if seed % 3 else max(1, n // 2)  # every third P is singular
    P, q, G, h, A, b = random_qp(rng, n, m, p, rank=rank)
    if rank < n:  # keep a singular-P problem bounded: box the variables
        G = np.vstack([G, np.eye(n), -np.eye(n)])
        h = np.concatenate([h, np.full(2 * n, 5.0)])
    res = solve_qp(P, q, G, h, A, b)
    ref = _slsqp(P, q, G, h, A, b)
    assert res.status == "optimal" and res.success
    # SLSQP at ftol=1e-14 may end with "positive directional derivative" at the optimum
    assert ref.status in (0, 8) and np.max(G @ ref.x - h) < 1e-8
    assert abs(res.fun - ref.fun) <= 1e-7 * max(1.0, abs(ref.fun))
    assert res.kkt.max < KKT_TOL
    assert abs(res.duality_gap) <= 1e-7 * max(1.0, abs(res.fun))
    assert np.all(res.z >= 0)
    np.testing.assert_allclose(res.s, h - G @ res.x, atol=1e-9)


def test_200_variables_400_inequalities_matches_slsqp():
    P, q, G, h, A, b = random_qp(np.random.default_rng(7), 200, 400)
    P += 0.1 * np.eye(200)
    res = solve_qp(P, q, G, h)
    ref = _slsqp(P, q, G, h, A, b)
    assert res.status == "optimal"
    assert abs(res.fun - ref.fun) <= 1e-7 * abs(ref.fun)
    assert res.kkt.max < KKT_TOL


def test_closed_form_projection_onto_halfspace():
    # min 1/2 |x - c|^2 s.t. a'x <= beta: x = c - max(0, a'c - beta) a / |a|^2
    c, a, beta = np.array([3.0, 1.0, -2.0]), np.array([1.0, 2.0, 2.0]), 0.5
    res = solve_qp(np.eye(3), -c, a[None, :], [beta])
    lam = (a @ c - beta) / (a @ a)
    np.testing.assert_allclose(res.x, c - lam * a, atol=1e-9)
    np.testing.assert_allclose(res.z, [lam], atol=1e-8)


def test_equality_only_is_one_kkt_solve():
    rng = np.random.default_rng(3)
    P, q, _, _, A, b = random_qp(rng, 6, 0, 2)
    res = solve_qp(P, q, A=A, b=b)
    K = np.block([[P, A.T], [A, np.zeros((2, 2))]])
    sol = np.linalg.solve(K, np.concatenate([-q, b]))
    assert res.status == "optimal" and res.nit == 0
    np.testing.assert_allclose(res.x, sol[:6], atol=1e-10)
    np.testing.assert_allclose(res.y, sol[6:], atol=1e-10)


def test_unconstrained_qp():
    P = np.array([[4.0, 1.0], [1.0, 3.0]])
    res = solve_qp(P, [1.0, 2.0])
    np.testing.assert_allclose(res.x, np.linalg.solve(P, [-1.0, -2.0]), atol=1e-12)


def test_redundant_equality_rows():
    rng = np.random.default_rng(4)
    P, q, G, h, A, b = random_qp(rng, 8, 10, 3)
    A2 = np.vstack([A, A[0] + 2 * A[1], A[2]])
    b2 = np.concatenate([b, [b[0] + 2 * b[1], b[2]]])
    res, ref = solve_qp(P, q, G, h, A2, b2), solve_qp(P, q, G, h, A, b)
    assert res.status == ref.status == "optimal"
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)
    assert res.kkt.max < KKT_TOL


def test_equality_only_with_redundant_rows_and_singular_p():
    # min x1^2 s.t. x1 + x2 = 1 (twice), x2 - x3 = 0: x = (0, 1, 1)
    P = np.diag([2.0, 0.0, 0.0])
    A = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 1.0, -1.0]])
    res = solve_qp(P, np.zeros(3), A=A, b=[1.0, 1.0, 0.0])
    assert res.status == "optimal"
    np.testing.assert_allclose(res.x, [0.0, 1.0, 1.0], atol=1e-9)


def test_infeasible_inequalities_give_farkas_certificate():
    G = np.array([[1.0, 0.0], [-1.0, 0.0]])  # x1 <= -1 and x1 >= 1
    h = np.array([-1.0, -1.0])
    res = solve_qp(np.eye(2), np.zeros(2), G, h)
    assert res.status == "infeasible" and res.x is None and not res.success
    z, _ = res.certificate
    assert np.all(z >= 0)
    np.testing.assert_allclose(G.T @ z, 0.0, atol=1e-8)
    assert h @ z == pytest.approx(-1.0)


def test_infeasible_mixed_constraints():
    # x1 + x2 = 4 with x1 <= 1, x2 <= 1 (LP and QP)
    G, h = np.eye(2), np.ones(2)
    A, b = np.ones((1, 2)), np.array([4.0])
    for P in (np.eye(2), None):
        res = solve_qp(P, [1.0, 0.0], G, h, A, b)
        assert res.status == "infeasible"
        z, y = res.certificate
        assert np.abs(G.T @ z + A.T @ y).max() < 1e-6
        assert h @ z + b @ y == pytest.approx(-1.0)


def test_inconsistent_equalities():
    res = solve_qp(np.eye(2), np.zeros(2), A=[[1.0, 1.0], [1.0, 1.0]], b=[1.0, 2.0])
    assert res.status == "infeasible"
    _, y = res.certificate
    np.testing.assert_allclose(np.array([[1.0, 1.0], [1.0, 1.0]]).T @ y, 0.0, atol=1e-10)
    assert np.array([1.0, 2.0]) @ y < 0


def test_unbounded_lp_and_singular_qp():
    # min -x1 + x2^2 s.t. x2 <= 1: unbounded along d = (1, 0)
    res = solve_qp(np.diag([0.0, 2.0]), [-1.0, 0.0], [[0.0, 1.0]], [1.0])
    assert res.status == "unbounded" and res.x is None
    d = res.certificate
    assert d[0] > 0 and abs(d[1]) < 1e-6
    # LP: min -x1 - x2 s.t. x1 - x2 <= 1, x >= 0
    G = np.array([[1.0, -1.0], [-1.0, 0.0], [0.0, -1.0]])
    res = solve_qp(None, [-1.0, -1.0], G, [1.0, 0.0, 0.0])
    assert res.status == "unbounded"
    assert np.all(G @ res.certificate <= 1e-6) and np.array([-1.0, -1.0]) @ res.certificate < 0


def test_unbounded_equality_only():
    res = solve_qp(np.diag([1.0, 0.0]), [0.0, 1.0], A=[[1.0, 0.0]], b=[2.0])
    assert res.status == "unbounded"
    np.testing.assert_allclose(res.certificate[0], 0.0, atol=1e-12)


def test_max_iter_is_reported():
    P, q, G, h, _, _ = random_qp(np.random.default_rng(5), 10, 20)
    res = solve_qp(P, q, G, h, max_iter=2)
    assert res.status == "max_iter" and not res.success and res.nit == 2
    assert "2 iterations" in res.message


def test_degenerate_lp_as_qp():
    # vertex (1, 1) is over-determined by three active constraints
    G = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    h = np.array([1.0, 1.0, 2.0, 0.0, 0.0])
    res = solve_qp(None, [-1.0, -1.0], G, h)
    assert res.status == "optimal"
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-8)
    assert res.fun == pytest.approx(-2.0, abs=1e-8)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 8))
def test_strong_duality_property(seed, n, m):
    P, q, G, h, _, _ = random_qp(np.random.default_rng(seed), n, m)
    P += 0.5 * np.eye(n)
    res = solve_qp(P, q, G, h)
    g = dual_function(P, q, G, h)
    assert res.status == "optimal"
    assert g(res.z) == pytest.approx(res.fun, rel=1e-7, abs=1e-7)
    assert g(res.z + 0.1) <= res.fun + 1e-9  # weak duality at another dual point


def test_errors():
    with pytest.raises(ValueError, match="symmetric"):
        solve_qp([[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="positive semidefinite"):
        solve_qp([[1.0, 0.0], [0.0, -1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="G and h must be given together"):
        solve_qp(np.eye(2), [0.0, 0.0], G=np.eye(2))
    with pytest.raises(ValueError, match="columns"):
        solve_qp(np.eye(2), [0.0, 0.0], G=np.eye(3), h=np.ones(3))
    with pytest.raises(ValueError, match="length 2"):
        solve_qp(np.eye(2), [0.0, 0.0], G=np.eye(2), h=np.ones(3))
    with pytest.raises(ValueError, match="P must have shape"):
        solve_qp(np.eye(3), [0.0, 0.0])
    with pytest.raises(ValueError, match="NaN"):
        solve_qp(np.eye(2), [np.nan, 0.0])
    with pytest.raises(ValueError, match="tol"):
        solve_qp(np.eye(2), [0.0, 0.0], tol=-1.0)
    with pytest.raises(ValueError, match="no variables"):
        solve_qp(None, np.zeros(0))
    with pytest.raises(TypeError, match="max_iter"):
        solve_qp(np.eye(2), [0.0, 0.0], max_iter=2.5)


@pytest.mark.parametrize("seed", range(8))
def test_random_infeasible_problems_have_certificates(seed):
    rng = np.random.default_rng(seed)
    n = (3, 10, 30, 80)[seed % 4]
    P, q, G, h, _, _ = random_qp(rng, n, 2 * n)
    g = rng.standard_normal(n)  # g'x <= 1 and g'x >= 2 contradict each other
    G, h = np.vstack([G, g, -g]), np.concatenate([h, [1.0, -2.0]])
    res = solve_qp(P if seed % 2 else None, q, G, h)
    assert res.status == "infeasible"
    z, _ = res.certificate
    assert np.all(z >= 0) and h @ z == pytest.approx(-1.0)
    assert np.abs(G.T @ z).max() < 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_ill_conditioned_p_with_equalities(seed):
    # eigenvalues of P from 1e-8 to 1: the KKT residuals stay small relative to the data
    rng = np.random.default_rng(seed)
    n = 30
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    P = (U * np.logspace(-8, 0, n)) @ U.T
    P = (P + P.T) / 2
    _, q, G, h, A, b = random_qp(rng, n, n, n // 2)
    res = solve_qp(P, q, G, h, A, b)
    ref = _slsqp(P, q, G, h, A, b)
    assert res.status == "optimal"
    assert res.fun <= ref.fun + 1e-7 * max(1.0, abs(ref.fun))
    assert res.kkt.stationarity < 1e-7 and res.kkt.primal_feasibility < 1e-7
    assert res.kkt.complementarity < 1e-7 * max(1.0, abs(res.fun))


def test_one_variable_qp_with_feasible_unconstrained_minimizer():
    # regression (issue 9): Mehrotra's steps jumped between the faces x = 0.0595 and
    # x = 0.898 forever (status max_iter, x = 0.889) because the gap grew by dx' P dx
    P = np.array([[1.0486]])
    q = np.array([-0.1849])
    G = np.array([[1.369], [9.76e-4], [-1.624]])
    h = np.array([1.229, 1.004, -0.0967])
    res = solve_qp(P, q, G, h)
    assert res.status == "optimal"
    np.testing.assert_allclose(res.x, [0.1849 / 1.0486], rtol=1e-8)
    np.testing.assert_allclose(res.z, 0.0, atol=1e-8)


@pytest.mark.parametrize("seed", [0, 1])
def test_small_random_qps_with_badly_scaled_rows_converge(seed):
    # regression: rows scaled over five decades made the gap stall at ~100 while the
    # iterates cycled; every such small QP must now converge and satisfy the KKT conditions
    rng = np.random.default_rng(seed)
    for _ in range(200):
        n, m = rng.integers(1, 4), rng.integers(1, 5)
        M = rng.standard_normal((n, n))
        P = M @ M.T + 0.1 * np.eye(n)
        q = rng.standard_normal(n)
        G = rng.standard_normal((m, n)) * 10.0 ** rng.uniform(-4, 1, (m, 1))
        h = G @ rng.standard_normal(n) + rng.random(m) * 10.0 ** rng.uniform(-3, 1, m)
        res = solve_qp(P, q, G, h)
        assert res.status == "optimal"
        assert res.kkt.max < 1e-6
