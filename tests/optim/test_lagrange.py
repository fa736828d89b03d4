import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import NonlinearConstraint, brentq, minimize

import m4ml.numpy as mnp
from m4ml._core import LinAlgError
from m4ml.optim.lagrange import lagrange


def test_max_xy_on_a_line():
    res = lagrange(lambda v: v[0] * v[1], lambda v: v[0] + v[1] - 10.0, [1.0, 2.0])
    np.testing.assert_allclose(res.x, [5.0, 5.0], rtol=1e-14)
    np.testing.assert_allclose(res.multipliers, [5.0], rtol=1e-14)  # grad f = lambda grad c
    assert res.fun == pytest.approx(25.0, rel=1e-14)
    assert res.classification == "maximum"
    assert res.success and res.status == 0 and res.nit <= 3
    assert res.kkt["stationarity"] <= 1e-10 and res.kkt["feasibility"] <= 1e-10


def test_multiplier_is_the_sensitivity():
    # d f*/d b for max xy s.t. x + y = b is b/2 = lambda
    vals = [lagrange(lambda v: v[0] * v[1], lambda v, b=b: v[0] + v[1] - b, [1.0, 2.0]).fun
            for b in (10.0 - 1e-4, 10.0 + 1e-4)]  # fmt: skip
    assert (vals[1] - vals[0]) / 2e-4 == pytest.approx(5.0, rel=1e-8)


def test_closest_point_on_a_plane(rng):
    a = rng.standard_normal(4)
    d = 1.7
    p = rng.standard_normal(4)
    res = lagrange(lambda x: mnp.sum((x - p) ** 2), lambda x: mnp.dot(a, x) - d, np.zeros(4))
    expected = p - (a @ p - d) / (a @ a) * a
    np.testing.assert_allclose(res.x, expected, atol=1e-13)
    # grad f = 2 (x - p) = lambda a
    assert res.multipliers[0] == pytest.approx(-2 * (a @ p - d) / (a @ a), rel=1e-12)
    assert res.fun == pytest.approx((a @ p - d) ** 2 / (a @ a), rel=1e-12)
    assert res.classification == "minimum"


def test_entropy_maximization_gives_gibbs_distribution():
    xs = np.arange(1.0, 7.0)  # a die with mean 4.5 (Jaynes' dice problem)
    mu = 4.5
    res = lagrange(
        lambda p: mnp.sum(p * mnp.log(p)),  # minimize the negative entropy
        [lambda p: mnp.sum(p) - 1.0, lambda p: mnp.dot(p, xs) - mu],
        np.full(6, 1 / 6),
    )
    beta = brentq(lambda b: np.exp(b * xs) @ xs / np.exp(b * xs).sum() - mu, -10, 10)
    gibbs = np.exp(beta * xs) / np.exp(beta * xs).sum()
    np.testing.assert_allclose(res.x, gibbs, atol=1e-13)
    # log p_i + 1 = lambda_1 + lambda_2 x_i: lambda_2 = beta, lambda_1 = 1 - log Z
    assert res.multipliers[1] == pytest.approx(beta, rel=1e-11)
    assert res.multipliers[0] == pytest.approx(1 - np.log(np.exp(beta * xs).sum()), rel=1e-11)
    assert res.classification == "minimum"


def test_several_nonlinear_constraints_against_scipy():
    def f(x):
        return x[0] ** 2 + 2 * x[1] ** 2 + 3 * x[2] ** 2 + x[0] * x[2]

    cons = [lambda x: x[0] ** 2 + x[1] ** 2 + x[2] ** 2 - 4.0, lambda x: x[0] + x[1] - 1.0]
    res = lagrange(f, cons, [1.5, -0.5, -0.5])
    assert res.classification == "minimum"
    ref = minimize(
        lambda x: float(f(x)),
        [1.5, -0.5, -0.5],
        method="trust-constr",
        constraints=[NonlinearConstraint(lambda x: np.array([c(x) for c in cons]), 0.0, 0.0)],
        options={"gtol": 1e-12, "xtol": 1e-14, "maxiter": 5000},
    )
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)
    assert res.fun == pytest.approx(ref.fun, rel=1e-9)
    assert max(res.kkt.values()) <= 1e-10
    # the multipliers satisfy grad f = J^T lambda at x
    x = res.x
    J = np.array([2 * x, [1.0, 1.0, 0.0]])
    g = np.array([2 * x[0] + x[2], 4 * x[1], 6 * x[2] + x[0]])
    np.testing.assert_allclose(J.T @ res.multipliers, g, atol=1e-10)
    # from another start Newton finds another stationary point: the constrained maximum
    other = lagrange(f, cons, [1.0, 0.5, 1.0])
    assert other.classification == "maximum" and other.fun > res.fun
    assert max(other.kkt.values()) <= 1e-10


def test_saddle_classification_and_given_multipliers():
    # f = x^2 - y^2 on the line x = 1 is unbounded below... on y = 0 plus z free: saddle
    res = lagrange(
        lambda v: v[0] ** 2 - v[1] ** 2 + v[2] ** 2,
        lambda v: v[2] - 1.0,
        [0.3, 0.2, 0.0],
        multipliers0=[0.0],
    )
    np.testing.assert_allclose(res.x, [0.0, 0.0, 1.0], atol=1e-14)
    assert res.multipliers[0] == pytest.approx(2.0)
    assert res.classification == "saddle"


def test_rank_deficient_jacobian_is_an_error():
    with pytest.raises(LinAlgError, match=r"rank deficient|singular"):
        lagrange(
            lambda v: v[0] ** 2 + v[1] ** 2,
            [lambda v: v[0] + v[1] - 1.0, lambda v: 2 * v[0] + 2 * v[1] - 2.0],
            [0.0, 0.0],
        )
    # the Jacobian vanishes at the only feasible point (0, 0): LICQ fails there
    with pytest.raises(LinAlgError, match="rank deficient"):
        lagrange(lambda v: v[0] + v[1], lambda v: v[0] ** 2 + v[1] ** 2, [0.5, 0.1])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), m=st.integers(1, 3))
def test_quadratic_with_linear_constraints_property(seed, m):
    rng = np.random.default_rng(seed)
    n = 4
    B = rng.standard_normal((n, n))
    Q = B @ B.T + np.eye(n)
    q = rng.standard_normal(n)
    A = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    res = lagrange(
        lambda x: 0.5 * mnp.dot(x, mnp.dot(Q, x)) + mnp.dot(q, x),
        lambda x: mnp.dot(A, x) - b,
        np.zeros(n),
    )
    K = np.block([[Q, A.T], [A, np.zeros((m, m))]])
    sol = np.linalg.solve(K, np.concatenate([-q, b]))
    np.testing.assert_allclose(res.x, sol[:n], atol=1e-9)
    np.testing.assert_allclose(res.multipliers, -sol[n:], atol=1e-9)
    assert res.nit <= 2 and res.classification == "minimum"


def test_bad_input():
    f = lambda v: v[0] * v[1]  # noqa: E731
    c = lambda v: v[0] + v[1] - 1.0  # noqa: E731
    with pytest.raises(TypeError, match="f must be callable"):
        lagrange(1.0, c, [1.0, 1.0])
    with pytest.raises(TypeError, match="must be a callable c"):
        lagrange(f, 3.0, [1.0, 1.0])
    with pytest.raises(TypeError, match=r"equality_constraints\[1\] is not callable"):
        lagrange(f, [c, 2.0], [1.0, 1.0])
    with pytest.raises(ValueError, match="equality_constraints is empty"):
        lagrange(f, [], [1.0, 1.0])
    with pytest.raises(ValueError, match="3 constraints on 2 unknowns"):
        lagrange(f, [c, c, c], [1.0, 1.0])
    with pytest.raises(ValueError, match="x0 contains NaN"):
        lagrange(f, c, [np.nan, 1.0])
    with pytest.raises(ValueError, match="multipliers0 must have 1 entries"):
        lagrange(f, c, [1.0, 1.0], multipliers0=[1.0, 2.0])
    with pytest.raises(ValueError, match="tol must be a positive number"):
        lagrange(f, c, [1.0, 1.0], tol=0.0)
    with pytest.raises(ValueError, match="not finite at x0"):
        lagrange(lambda v: mnp.log(v[0]), c, [0.0, 1.0])
