"""dual_function, duality_gap, kkt_residuals: closed forms, weak/strong duality, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.optim.duality import (
    dual_function,
    duality_gap,
    kkt_residuals,
    primal_objective,
)
from m4ml.optim.linprog import linprog
from m4ml.optim.qp import solve_qp
from tests.optim._qp_problems import random_qp


def test_dual_of_scalar_qp_closed_form():
    # min x^2 s.t. x >= 1: g(z) = -z^2/4 + z
    g = dual_function([[2.0]], [0.0], G=[[-1.0]], h=[-1.0])
    for z in (0.0, 0.5, 2.0, 3.0):
        assert g([z]) == pytest.approx(-(z**2) / 4 + z, abs=1e-14)


def test_dual_of_equality_qp_closed_form():
    # min 1/2 |x|^2 s.t. a'x = beta: g(y) = -|a|^2 y^2 / 2 - beta y, max at y = -beta/|a|^2
    a, beta = np.array([1.0, 2.0, 2.0]), 3.0
    g = dual_function(np.eye(3), np.zeros(3), A=a[None, :], b=[beta])
    for y in (-1.0, 0.0, 0.7):
        assert g(y=[y]) == pytest.approx(-(a @ a) * y**2 / 2 - beta * y, abs=1e-13)
    assert g(y=[-beta / (a @ a)]) == pytest.approx(beta**2 / (2 * a @ a), abs=1e-14)


def test_lp_dual_is_minus_infinity_off_the_dual_feasible_set():
    # min c'x s.t. x >= 0 written as -x <= 0: g(z) = 0 if z = c else -inf
    c = np.array([1.0, 2.0])
    g = dual_function(None, c, G=-np.eye(2), h=np.zeros(2))
    assert g(c) == 0.0
    assert g(c + np.array([0.1, 0.0])) == -np.inf


def test_singular_p_dual_uses_the_pseudo_inverse():
    # P = diag(2, 0): finite only when the second component of q + G'z vanishes
    P, q = np.diag([2.0, 0.0]), np.array([1.0, -1.0])
    g = dual_function(P, q, G=[[0.0, 1.0]], h=[0.0])
    assert g([1.0]) == pytest.approx(-0.25, abs=1e-14)
    assert g([0.5]) == -np.inf


@pytest.mark.parametrize("seed", range(5))
def test_strong_duality_at_the_qp_solution(seed):
    P, q, G, h, A, b = random_qp(np.random.default_rng(seed), 8, 12, 2)
    res = solve_qp(P, q, G, h, A, b)
    gap = duality_gap(P, q, G, h, A, b, x=res.x, z=res.z, y=res.y)
    assert abs(gap) < 1e-7 * max(1.0, abs(res.fun))
    assert gap == pytest.approx(res.duality_gap, abs=1e-8)
    r = kkt_residuals(P, q, G, h, A, b, x=res.x, z=res.z, y=res.y)
    assert r == res.kkt and r.max < 1e-7


def test_strong_duality_for_an_lp():
    c = np.array([-3.0, -5.0])
    A = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 2.0]])
    b = np.array([4.0, 12.0, 18.0])
    res = linprog(c, A, b)
    G, h = np.vstack([A, -np.eye(2)]), np.concatenate([b, np.zeros(2)])
    z = np.concatenate([-res.ineqlin.marginals, res.lower.marginals])
    g = dual_function(None, c, G, h)
    assert g(z) == pytest.approx(res.fun, abs=1e-7)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 5.0))
def test_weak_duality_property(seed, scale):
    rng = np.random.default_rng(seed)
    P, q, G, h, A, b = random_qp(rng, 4, 6, 1)
    P += np.eye(4)
    g = dual_function(P, q, G, h, A, b)
    z, y = scale * rng.random(6), scale * rng.standard_normal(1)
    # a feasible x: the solution (weak duality holds for every feasible x and z >= 0)
    x = solve_qp(P, q, G, h, A, b).x
    assert g(z, y) <= primal_objective(P, q, x) + 1e-9
    assert duality_gap(P, q, G, h, A, b, x=x, z=z, y=y) >= -1e-9


def test_kkt_residuals_components():
    r = kkt_residuals(np.eye(2), [0.0, 0.0], G=[[1.0, 0.0]], h=[1.0], x=[2.0, 0.0], z=[-0.5])
    assert r.stationarity == pytest.approx(1.5)
    assert r.primal_feasibility == pytest.approx(1.0)
    assert r.dual_feasibility == pytest.approx(0.5)
    assert r.complementarity == pytest.approx(0.5)
    assert r.max == pytest.approx(1.5)


def test_errors():
    with pytest.raises(ValueError, match="symmetric"):
        dual_function([[1.0, 1.0], [0.0, 1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="positive semidefinite"):
        dual_function([[-1.0]], [0.0])
    g = dual_function([[1.0]], [0.0], G=[[1.0]], h=[1.0])
    with pytest.raises(ValueError, match="z >= 0"):
        g([-1.0])
    with pytest.raises(ValueError, match="length 1"):
        g([1.0, 2.0])
    with pytest.raises(ValueError, match="x must have length 2"):
        kkt_residuals(None, [0.0, 0.0], x=[1.0])
    with pytest.raises(ValueError, match="A and b"):
        duality_gap(None, [0.0], A=[[1.0]], x=[0.0])
    with pytest.raises(ValueError, match="x must have length"):
        primal_objective(None, [1.0], [1.0, 2.0])
