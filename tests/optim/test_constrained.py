import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import NonlinearConstraint, minimize

import m4ml.numpy as mnp
from m4ml.optim import FiniteDifferenceWarning
from m4ml.optim.constrained import minimize_constrained

pytestmark = pytest.mark.filterwarnings("ignore:delta_grad == 0.0:UserWarning")


METHODS = pytest.mark.parametrize("method", ["sqp", "augmented-lagrangian"])


def _trust_constr(f, x0, cons, bounds=None):
    """scipy's trust-constr with tight tolerances, constraints in scipy's dict format."""
    nl = []
    for c in cons:
        ub = 0.0 if c["type"] == "eq" else np.inf
        nl.append(NonlinearConstraint(lambda x, c=c: np.atleast_1d(c["fun"](x)), 0.0, ub))
    return minimize(
        lambda x: float(f(x)),
        x0,
        method="trust-constr",
        constraints=nl,
        bounds=bounds,
        options={"gtol": 1e-12, "xtol": 1e-15, "maxiter": 20000},
    )


def _hs071(x):
    return x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2]


HS071_CONS = [
    {"type": "ineq", "fun": lambda x: x[0] * x[1] * x[2] * x[3] - 25.0},
    {"type": "eq", "fun": lambda x: mnp.sum(x**2) - 40.0},
]


@METHODS
def test_hs071_known_optimum(method):
    res = minimize_constrained(
        _hs071, [1.0, 5.0, 5.0, 1.0], constraints=HS071_CONS, bounds=[(1, 5)] * 4, method=method
    )
    assert res.success, res.message
    assert res.fun == pytest.approx(17.0140172891, rel=1e-9)
    np.testing.assert_allclose(res.x, [1.0, 4.74299963, 3.82114998, 1.37940829], atol=1e-7)
    assert max(res.kkt.values()) < 1e-7
    ref = _trust_constr(_hs071, [1.0, 5.0, 5.0, 1.0], HS071_CONS, bounds=[(1, 5)] * 4)
    assert res.fun == pytest.approx(ref.fun, rel=1e-7)
    # x0 sits on its lower bound 1 with a positive multiplier
    assert res.bound_multipliers[0] > 0 and res.bound_multipliers.shape == (8,)


@METHODS
def test_rosenbrock_on_disk_and_multiplier_sign(method):
    def rosen(x):
        return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2

    disk = {"type": "ineq", "fun": lambda x: 1 - x[0] ** 2 - x[1] ** 2}
    res = minimize_constrained(rosen, [0.0, 0.0], constraints=[disk], method=method)
    ref = _trust_constr(rosen, [0.0, 0.0], [disk])
    assert res.fun == pytest.approx(ref.fun, rel=1e-7)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-6)
    mu = res.multipliers[0][0]
    assert mu > 0  # active inequality
    # grad f = mu grad c at the solution
    np.testing.assert_allclose(res.jac, mu * (-2 * res.x), atol=1e-7)
    assert max(res.kkt.values()) < 1e-7


@METHODS
def test_inactive_constraint_has_zero_multiplier(method):
    res = minimize_constrained(
        lambda x: mnp.sum((x - 0.2) ** 2),
        [2.0, 2.0],
        constraints={"type": "ineq", "fun": lambda x: 1 - x[0] ** 2 - x[1] ** 2},
        method=method,
    )
    np.testing.assert_allclose(res.x, [0.2, 0.2], atol=1e-8)
    assert abs(res.multipliers[0][0]) < 1e-8


@METHODS
@pytest.mark.parametrize("seed", range(8))
def test_random_convex_qps_against_slsqp(seed, method):
    rng = np.random.default_rng(seed)
    n, me, mi = int(rng.integers(2, 9)), int(rng.integers(0, 3)), int(rng.integers(1, 6))
    M = rng.standard_normal((n, n))
    P = M @ M.T + 0.1 * np.eye(n)
    q = rng.standard_normal(n)
    x_feas = rng.standard_normal(n)
    A = rng.standard_normal((me, n))
    b = A @ x_feas
    G = rng.standard_normal((mi, n))
    h = G @ x_feas + rng.uniform(0.0, 1.0, mi)  # G x <= h feasible at x_feas

    def f(x):
        return 0.5 * mnp.dot(x, mnp.dot(P, x)) + mnp.dot(q, x)

    cons = [{"type": "ineq", "fun": lambda x: h - mnp.dot(G, x), "jac": lambda x: -G}]
    if me:
        cons.append({"type": "eq", "fun": lambda x: mnp.dot(A, x) - b})
    tol = 1e-9 if method == "sqp" else 1e-8
    res = minimize_constrained(f, np.zeros(n), constraints=cons, tol=tol, method=method)
    ref = minimize(
        lambda x: 0.5 * x @ P @ x + q @ x,
        np.zeros(n),
        jac=lambda x: P @ x + q,
        method="SLSQP",
        constraints=[{"type": c["type"], "fun": c["fun"]} for c in cons],
        options={"ftol": 1e-15, "maxiter": 1000},
    )
    if method == "sqp":
        assert res.success, res.message
        assert max(res.kkt.values()) < 1e-7
    else:  # the inner L-BFGS solves may stall at the rounding of L_rho (status 2)
        assert res.status in (0, 2), res.message
        assert max(res.kkt.values()) < 1e-6
    assert res.fun == pytest.approx(ref.fun, rel=1e-7, abs=1e-9)
    assert np.all(res.multipliers[0] >= -1e-9)


@METHODS
def test_equality_only_matches_closed_form(method):
    # min ||x||^2 s.t. sum x = 1: x = 1/n, lambda = 2/n
    res = minimize_constrained(
        lambda x: mnp.sum(x**2),
        np.zeros(5),
        constraints=[{"type": "eq", "fun": lambda x: mnp.sum(x) - 1.0}],
        method=method,
    )
    np.testing.assert_allclose(res.x, np.full(5, 0.2), atol=1e-10)
    np.testing.assert_allclose(res.multipliers[0], [0.4], atol=1e-9)


@METHODS
def test_user_jacobians_and_untraceable_functions(method):
    def f(x):
        return float(np.sum((x - 1.0) ** 2))  # plain NumPy + float(): not traceable

    con = {"type": "ineq", "fun": lambda x: np.array([1.0 - x[0] - x[1]])}
    with pytest.warns(FiniteDifferenceWarning) as rec:
        res = minimize_constrained(f, [0.0, 0.0], constraints=[con], method=method)
    # one warning for fun and one for the constraint, each naming what could not be traced
    messages = sorted(str(w.message)[:60] for w in rec)
    assert len(messages) == 2 and "constraints[0]['fun']" in messages[0]
    np.testing.assert_allclose(res.x, [0.5, 0.5], atol=1e-6)
    res2 = minimize_constrained(
        f,
        [0.0, 0.0],
        jac=lambda x: 2 * (x - 1.0),
        constraints=[{**con, "jac": lambda x: np.array([[-1.0, -1.0]])}],
        method=method,
    )
    np.testing.assert_allclose(res2.x, [0.5, 0.5], atol=1e-9)
    assert res2.multipliers[0][0] == pytest.approx(1.0, abs=1e-8)


@METHODS
def test_infeasible_problem_is_reported(method):
    res = minimize_constrained(
        lambda x: mnp.sum(x**2),
        [0.0, 0.0],
        constraints=[
            {"type": "ineq", "fun": lambda x: 1.0 - x[0] ** 2 - x[1] ** 2},
            {"type": "ineq", "fun": lambda x: x[0] + x[1] - 3.0},
        ],
        method=method,
    )
    assert not res.success and res.status == 4
    assert "infeasible" in res.message
    if method == "sqp":  # the point of least l1 violation
        np.testing.assert_allclose(res.x, [np.sqrt(0.5)] * 2, atol=1e-3)  # at a kink: slow
    assert res.kkt["feasibility"] > 0.1


@METHODS
def test_bounds_only_and_callback(method):
    res = minimize_constrained(
        lambda x: mnp.sum((x - 3.0) ** 2),
        [0.0, 0.0],
        bounds=[(None, 1.0), (-1.0, 2.0)],
        method=method,
    )
    np.testing.assert_allclose(res.x, [1.0, 2.0], atol=1e-9)
    np.testing.assert_allclose(res.bound_multipliers, [0.0, 4.0, 2.0], atol=1e-8)
    stopped = minimize_constrained(
        lambda x: mnp.sum((x - 3.0) ** 2),
        [0.0],
        bounds=[(0, 1)],
        callback=lambda x: True,
        method=method,
    )
    assert stopped.status == 3 and not stopped.success


@pytest.mark.parametrize(
    ("cons", "err", "match"),
    [
        ([{"fun": lambda x: x[0]}], ValueError, r"constraints\[0\] must be a dict"),
        ([{"type": "le", "fun": lambda x: x[0]}], ValueError, "must be 'eq' or 'ineq'"),
        ([{"type": "eq", "fun": 3}], TypeError, r"constraints\[0\]\['fun'\] is not callable"),
        ([{"type": "eq", "fun": lambda x: x[0], "jac": 1}], TypeError, "must be callable"),
        ([{"type": "eq", "fun": lambda x: np.nan}], ValueError, "not finite at x0"),
    ],
)
def test_bad_constraints(cons, err, match):
    with pytest.raises(err, match=match):
        minimize_constrained(lambda x: mnp.sum(x**2), [1.0, 1.0], constraints=cons)


def test_bad_arguments():
    f = lambda x: mnp.sum(x**2)  # noqa: E731
    with pytest.raises(ValueError, match="method must be 'auto', 'sqp' or 'augmented-lagrangian'"):
        minimize_constrained(f, [1.0], method="cobyla")
    with pytest.raises(ValueError, match="tol must be a positive number"):
        minimize_constrained(f, [1.0], tol=-1.0)
    with pytest.raises(ValueError, match="x0 contains NaN"):
        minimize_constrained(f, [np.nan])
    with pytest.raises(ValueError, match="infeasible bounds"):
        minimize_constrained(f, [1.0], bounds=[(2.0, 1.0)])
    with pytest.raises(TypeError, match="fun must be callable"):
        minimize_constrained(None, [1.0])


HOCK_SCHITTKOWSKI = {
    # name: (f, constraints, x0, bounds, f*)
    "hs006": (
        lambda x: (1 - x[0]) ** 2,
        [{"type": "eq", "fun": lambda x: 10 * (x[1] - x[0] ** 2)}],
        [-1.2, 1.0],
        None,
        0.0,
    ),
    "hs035": (
        lambda x: 9 - 8 * x[0] - 6 * x[1] - 4 * x[2] + 2 * x[0] ** 2 + 2 * x[1] ** 2 + x[2] ** 2
        + 2 * x[0] * x[1] + 2 * x[0] * x[2],
        [{"type": "ineq", "fun": lambda x: 3 - x[0] - x[1] - 2 * x[2]}],
        [0.5, 0.5, 0.5],
        [(0, None)] * 3,
        1 / 9,
    ),
    "hs043": (
        lambda x: x[0] ** 2 + x[1] ** 2 + 2 * x[2] ** 2 + x[3] ** 2
        - 5 * x[0] - 5 * x[1] - 21 * x[2] + 7 * x[3],
        [
            {"type": "ineq", "fun": lambda x: 8 - x[0] ** 2 - x[1] ** 2 - x[2] ** 2 - x[3] ** 2
             - x[0] + x[1] - x[2] + x[3]},
            {"type": "ineq", "fun": lambda x: 10 - x[0] ** 2 - 2 * x[1] ** 2 - x[2] ** 2
             - 2 * x[3] ** 2 + x[0] + x[3]},
            {"type": "ineq", "fun": lambda x: 5 - 2 * x[0] ** 2 - x[1] ** 2 - x[2] ** 2
             - 2 * x[0] + x[1] + x[3]},
        ],
        [0.0, 0.0, 0.0, 0.0],
        None,
        -44.0,
    ),
}  # fmt: skip


# hs006 with the augmented Lagrangian is left out: its inner L-BFGS solves stall at a KKT
# residual near 1e-5 (a known weakness, reported); SQP solves it.
HS_CASES = [
    (name, method)
    for name in sorted(HOCK_SCHITTKOWSKI)
    for method in ("sqp", "augmented-lagrangian")
    if (name, method) != ("hs006", "augmented-lagrangian")
]


@pytest.mark.parametrize(("name", "method"), HS_CASES)
def test_hock_schittkowski_problems(name, method):
    f, cons, x0, bounds, fstar = HOCK_SCHITTKOWSKI[name]
    res = minimize_constrained(f, x0, constraints=cons, bounds=bounds, method=method)
    assert res.success, res.message
    assert res.fun == pytest.approx(fstar, rel=1e-7, abs=1e-10)
    assert max(res.kkt.values()) < 1e-7
    ref = _trust_constr(f, x0, cons, bounds=bounds)
    assert res.fun == pytest.approx(ref.fun, rel=1e-7, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(p=arrays(np.float64, 3, elements=st.floats(-3, 3)))
# explore profile, seed 107: a certificate ratio |Pd| / (-q'd) with -q'd tiny overflowed, and
# solve_qp's overflow guard turned that into "rescale the input" (the ratio is just no proof)
@example(p=np.array([8.31891090e-150, 2.00976562e000, 2.00976562e000]))
def test_projection_onto_the_unit_ball_property(p):
    res = minimize_constrained(
        lambda x: mnp.sum((x - p) ** 2),
        np.zeros(3),
        constraints={"type": "ineq", "fun": lambda x: 1.0 - mnp.sum(x**2)},
    )
    norm = np.linalg.norm(p)
    np.testing.assert_allclose(res.x, p / max(1.0, norm), atol=1e-7)
    # the multiplier: 2(x - p) = -2 mu x  =>  mu = norm - 1 outside the ball, 0 inside
    assert res.multipliers[0][0] == pytest.approx(max(norm - 1.0, 0.0), abs=1e-6)
