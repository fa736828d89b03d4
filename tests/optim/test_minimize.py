"""Tests for m4ml.optim.minimize: every gradient method against SciPy, the dispatcher, bounds,
callbacks, history and errors (reference: scipy.optimize.minimize). Tests of one second-order
method are in test_minimize_newton.py, Nelder-Mead in test_minimize_nelder_mead.py."""

import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given, settings
from hypothesis import strategies as st

import m4ml.numpy as mnp
from m4ml.optim._result import OptimizeResult
from m4ml.optim.minimize import minimize
from tests.optim._quadratic import quad

ROSEN_X0 = np.array([-1.2, 1.0])
SMOOTH = ["cg", "bfgs", "lbfgs", "newton", "trust-ncg", "projected-lbfgs"]


@pytest.mark.parametrize("method", SMOOTH)
def test_rosenbrock_matches_scipy(method):
    ref = so.minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, method="BFGS", tol=1e-10)
    r = minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, hess=so.rosen_hess, method=method,
                 tol=1e-9)  # fmt: skip
    assert isinstance(r, OptimizeResult)
    assert r.success and r.status == 0 and "successfully" in r.message
    np.testing.assert_allclose(r.x, ref.x, atol=1e-7)
    assert r.fun < 1e-14
    np.testing.assert_allclose(r.jac, so.rosen_der(r.x), rtol=1e-12, atol=1e-15)
    assert r.nfev >= r.nit >= 1 and r.njev >= 1
    if method in ("newton", "trust-ncg"):
        assert r.nhev >= 1


@pytest.mark.parametrize("method", ["gd", "momentum", "nesterov", *SMOOTH])
def test_quadratic_solution(method):
    A, b, xs = quad(1, n=6, cond=5.0)
    opts = {"learning_rate": 0.1} if method in ("momentum", "nesterov") else None
    # steepest descent's Armijo test compares f values: its decrease near the solution,
    # |g|^2 / L, must stay above f's rounding, so its gradient tolerance is looser
    tol = 1e-7 if method == "gd" else 1e-10
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(6), jac=lambda x: A @ x - b,
                 hess=lambda x: A, method=method, tol=tol, options=opts)  # fmt: skip
    assert r.success
    np.testing.assert_allclose(r.x, xs, atol=10 * tol)


def test_cg_matches_scipy_cg():
    ref = so.minimize(so.rosen, np.full(4, 2.0), jac=so.rosen_der, method="CG", tol=1e-10)
    r = minimize(so.rosen, np.full(4, 2.0), jac=so.rosen_der, method="cg", tol=1e-10)
    np.testing.assert_allclose(r.x, ref.x, atol=1e-7)


def test_momentum_and_nesterov_follow_their_recurrences():
    A, b, _ = quad(3, n=3)
    lr, mu = 0.05, 0.8
    grad = lambda x: A @ x - b  # noqa: E731
    for method, ahead in (("momentum", False), ("nesterov", True)):
        r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.ones(3), jac=grad, method=method,
                     max_iter=20, tol=1e-300, options={"learning_rate": lr, "momentum": mu,
                                                       "history_x": True})  # fmt: skip
        x, v = np.ones(3), np.zeros(3)
        for k in range(20):
            v = mu * v - lr * grad(x + mu * v if ahead else x)
            x = x + v
            np.testing.assert_allclose(r.history["x"][k + 1], x, rtol=1e-14, atol=1e-15)
        assert r.status == 1 and not r.success


def test_momentum_divergence_is_an_error():
    with pytest.raises(FloatingPointError, match="learning_rate"):
        minimize(lambda x: 1e3 * x @ x, [1.0], jac=lambda x: 2e3 * x, method="momentum",
                 options={"learning_rate": 10.0})  # fmt: skip


def test_jac_true_and_args_and_finite_differences():
    A, b, xs = quad(4)

    def fg(x, A, b):
        return 0.5 * x @ A @ x - b @ x, A @ x - b

    r = minimize(fg, np.zeros(5), args=(A, b), jac=True, method="bfgs", tol=1e-10)
    np.testing.assert_allclose(r.x, xs, atol=1e-9)
    assert r.nfev == r.njev
    for jac in ("3-point", "2-point", None):
        r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(5), jac=jac, method="lbfgs",
                     tol=1e-6)  # fmt: skip
        np.testing.assert_allclose(r.x, xs, atol=1e-5)
        if jac is not None:  # differences cost function evaluations (None may use autodiff)
            assert r.nfev > r.njev


def test_default_method_choice():
    r = minimize(so.rosen, ROSEN_X0, jac=so.rosen_der)
    assert r.success
    r = minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, bounds=[(-2, 0.5), (None, None)])
    np.testing.assert_allclose(r.x, [0.5, 0.25], atol=1e-6)


def test_callback_and_history():
    seen = []
    r = minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, method="bfgs", callback=seen.append,
                 options={"history_x": True})  # fmt: skip
    assert len(seen) == r.nit == len(r.history["fun"]) - 1
    np.testing.assert_allclose(seen[-1], r.x)
    np.testing.assert_allclose(r.history["x"][0], ROSEN_X0)
    assert r.history["fun"][0] == pytest.approx(24.2) and r.history["fun"][-1] == r.fun
    assert np.all(np.diff(r.history["fun"]) <= 0)  # line-search methods decrease f
    r = minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, method="lbfgs", callback=lambda x: True)
    assert r.status == 3 and r.nit == 1 and not r.success and "callback" in r.message


@pytest.mark.parametrize("method", ["gd", "cg", "bfgs", "lbfgs", "newton", "trust-ncg",
                                    "projected-lbfgs"])  # fmt: skip
def test_max_iter_reached(method):
    r = minimize(so.rosen, ROSEN_X0, jac=so.rosen_der, hess=so.rosen_hess, method=method,
                 max_iter=3)  # fmt: skip
    assert not r.success and r.status == 1 and r.nit == 3
    assert "Maximum number of iterations" in r.message


def test_nan_from_fun_backtracks_and_nan_at_x0_raises():
    def f(x):  # undefined (NaN) left of x0 = 0.1 / 4: log barrier
        return float(x[0] - np.log(x[0])) if x[0] > 0 else np.nan

    def g(x):
        return np.array([1 - 1 / x[0]]) if x[0] > 0 else np.array([np.nan])

    for method in ("bfgs", "lbfgs", "gd", "cg", "trust-ncg", "newton"):
        r = minimize(f, [5.0], jac=g, hess=lambda x: np.array([[1 / x[0] ** 2]]), method=method,
                     tol=1e-9)  # fmt: skip
        assert r.success and r.x[0] == pytest.approx(1.0, abs=1e-8)
    with pytest.raises(ValueError, match="x0"):
        minimize(f, [-1.0], jac=g)


@pytest.mark.parametrize("seed", range(5))
def test_bounds_respected_exactly_and_match_scipy(seed):
    A, b, _ = quad(seed, n=8, cond=50.0)
    rng = np.random.default_rng(seed)
    lo, hi = -rng.uniform(0, 0.5, 8), rng.uniform(0, 0.5, 8)
    lo[0] = hi[0] = 0.2  # a fixed variable
    bounds = list(zip(lo, hi, strict=True))
    fun = lambda x: 0.5 * x @ A @ x - b @ x  # noqa: E731
    jac = lambda x: A @ x - b  # noqa: E731
    seen = []
    r = minimize(fun, np.full(8, 3.0), jac=jac, bounds=bounds, tol=1e-9, callback=seen.append)
    ref = so.minimize(fun, np.full(8, 3.0), jac=jac, bounds=bounds, method="L-BFGS-B",
                      options={"gtol": 1e-12, "ftol": 1e-15})  # fmt: skip
    assert r.success
    for x in [*seen, r.x]:
        assert np.all(x >= lo) and np.all(x <= hi)
    np.testing.assert_allclose(r.x, ref.x, atol=1e-8)
    assert r.fun <= ref.fun + 1e-12
    # KKT: the gradient is zero on free variables and points outward on active ones
    g = jac(r.x)
    free = (r.x > lo) & (r.x < hi)
    assert np.max(np.abs(g[free]), initial=0) <= 1e-8
    assert np.all(g[(r.x == lo) & ~free & (lo < hi)] >= -1e-9)
    assert np.all(g[(r.x == hi) & ~free & (lo < hi)] <= 1e-9)


def test_bounds_object_and_one_sided():
    r = minimize(so.rosen, [3.0, 3.0], jac=so.rosen_der,
                 bounds=so.Bounds([1.5, -np.inf], [np.inf, np.inf]))  # fmt: skip
    assert r.success and r.x[0] == 1.5
    np.testing.assert_allclose(r.x, [1.5, 2.25], atol=1e-6)


def test_errors():
    f = lambda x: float(x @ x)  # noqa: E731
    with pytest.raises(ValueError, match="unknown method"):
        minimize(f, [1.0], method="powell")
    with pytest.raises(ValueError, match="no true L-BFGS-B"):
        minimize(f, [1.0], method="L-BFGS-B")
    with pytest.raises(ValueError, match="does not handle general constraints"):
        minimize(f, [1.0], method="bfgs", constraints=[{"type": "eq", "fun": lambda x: x[0]}])
    with pytest.raises(ValueError, match="does not handle bounds"):
        minimize(f, [1.0], method="bfgs", bounds=[(0, 1)])
    with pytest.raises(ValueError, match="infeasible bounds"):
        minimize(f, [1.0], bounds=[(2, 1)])
    with pytest.raises(ValueError, match="one \\(low, high\\) pair"):
        minimize(f, [1.0, 2.0], bounds=[(0, 1)])
    with pytest.raises(ValueError, match="tol"):
        minimize(f, [1.0], tol=-1.0)
    with pytest.raises(ValueError, match="unknown option"):
        minimize(f, [1.0], method="bfgs", jac=lambda x: 2 * x, options={"memory": 3})
    with pytest.raises(ValueError, match="max_iter"):
        minimize(f, [1.0], max_iter=-2)
    with pytest.raises(TypeError, match="callable"):
        minimize("f", [1.0])
    with pytest.raises(ValueError, match="scalar"):
        minimize(lambda x: x, [1.0, 2.0], jac=lambda x: np.ones(2))
    with pytest.raises(ValueError, match="x0 contains NaN"):
        minimize(f, [np.nan])
    with pytest.raises(ValueError, match="jac must be"):
        minimize(f, [1.0], jac="cs")
    with pytest.raises(ValueError, match="gradient has 1 entries"):
        minimize(f, [1.0, 2.0], jac=lambda x: np.ones(1))
    with pytest.raises(ValueError, match="hess must return"):
        minimize(f, [1.0, 2.0], jac=lambda x: 2 * x, hess=lambda x: np.eye(3), method="newton")


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(1, 6),
    method=st.sampled_from(["cg", "bfgs", "lbfgs", "newton", "trust-ncg", "projected-lbfgs"]),
)
def test_property_convex_quadratic_gradient_vanishes(seed, n, method):
    A, b, xs = quad(seed, n=n, cond=20.0)
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(n), jac=lambda x: A @ x - b,
                 hess=lambda x: A, method=method, tol=1e-10)  # fmt: skip
    assert r.success and np.max(np.abs(A @ r.x - b)) <= 1e-10
    np.testing.assert_allclose(r.x, xs, atol=1e-9)


def test_gradient_and_hessian_from_autodiff():

    def rosen(x):
        return mnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    ref = so.minimize(so.rosen, np.full(4, 0.5), jac=so.rosen_der, method="BFGS", tol=1e-10)
    for method in ("lbfgs", "newton", "trust-ncg"):
        r = minimize(rosen, np.full(4, 0.5), method=method, tol=1e-9)
        assert r.success and r.nfev == r.njev  # no finite differences were needed
        np.testing.assert_allclose(r.x, ref.x, atol=1e-8)
        np.testing.assert_allclose(r.jac, so.rosen_der(r.x), atol=1e-9)


@pytest.mark.parametrize("method", ["gd", "momentum", "nesterov", *SMOOTH])
def test_callback_once_per_iteration(method):
    A, b, _ = quad(5, n=3)
    seen = []
    opts = {"learning_rate": 0.1} if method in ("momentum", "nesterov") else None
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(3), jac=lambda x: A @ x - b,
                 hess=lambda x: A, method=method, callback=seen.append, options=opts)  # fmt: skip
    assert r.success and len(seen) == r.nit == len(r.history["fun"]) - 1 >= 1
    np.testing.assert_array_equal(seen[-1], r.x)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 8))
def test_property_bounded_quadratic_kkt(seed, n):
    A, b, _ = quad(seed, n=n, cond=30.0)
    rng = np.random.default_rng(seed)
    lo = rng.uniform(-1, 0.5, n)
    hi = lo + rng.uniform(0, 1, n)
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, rng.uniform(-3, 3, n),
                 jac=lambda x: A @ x - b, bounds=list(zip(lo, hi, strict=True)),
                 tol=1e-9)  # fmt: skip
    assert r.success and np.all(r.x >= lo) and np.all(r.x <= hi)
    g = A @ r.x - b
    pg = r.x - np.clip(r.x - g, lo, hi)  # projected gradient: zero exactly at a KKT point
    assert np.max(np.abs(pg)) <= 1e-8


@pytest.mark.parametrize("method", ["gd", "momentum", "nesterov", *SMOOTH])
def test_edge_cases_start_at_minimum_and_scalar_x0(method):
    r = minimize(lambda x: float((x[0] - 2.0) ** 2), 2.0, jac=lambda x: 2 * (x - 2.0),
                 hess=lambda x: np.array([[2.0]]), method=method)  # fmt: skip
    assert r.success and r.nit == 0 and r.x.shape == (1,) and r.fun == 0.0
    assert len(r.history["fun"]) == 1
    opts = {"learning_rate": 0.1} if method in ("momentum", "nesterov") else None
    r = minimize(lambda x: float(np.cosh(x[0] - 3.0)), 0.0, jac=lambda x: np.sinh(x - 3.0),
                 hess=lambda x: np.array([[np.cosh(x[0] - 3.0)]]), method=method, tol=1e-7,
                 options=opts)  # fmt: skip
    assert r.success and r.x[0] == pytest.approx(3.0, abs=1e-6) and r.fun == pytest.approx(1.0)


def test_empty_x0_is_an_error():
    with pytest.raises(ValueError, match="at least one entry"):
        minimize(lambda x: 0.0, [])


def test_constraints_are_routed_to_the_constrained_solver():
    # minimize x0 + x1 on the unit circle: x = -(1, 1)/sqrt(2), multiplier 1/sqrt(2)
    import m4ml.numpy as mnp

    res = minimize(
        lambda x: x[0] + x[1],
        [0.5, -0.5],
        constraints=[{"type": "eq", "fun": lambda x: mnp.sum(x * x) - 1.0}],
    )
    assert res.success
    np.testing.assert_allclose(res.x, -np.ones(2) / np.sqrt(2), atol=1e-7)
    assert "multipliers" in res


def test_untraceable_objective_warns_once_and_says_why():
    # regression (issue 9): an objective written with np.sin fell back to finite
    # differences silently (708 evaluations instead of 8)
    from m4ml.optim import FiniteDifferenceWarning

    def f(x):
        return float(np.sin(x[0]) + (x[1] - 1.0) ** 2)

    with pytest.warns(FiniteDifferenceWarning, match="could not differentiate fun") as rec:
        r = minimize(f, [0.0, 0.0], method="bfgs")
    assert len([w for w in rec if w.category is FiniteDifferenceWarning]) == 1
    assert "finite differences" in str(rec[0].message)
    np.testing.assert_allclose(r.x, [-np.pi / 2, 1.0], atol=1e-5)


def test_traceable_objective_does_not_warn():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = minimize(lambda x: mnp.sin(x[0]) + (x[1] - 1.0) ** 2, [0.0, 0.0], method="bfgs")
    assert r.nfev == r.njev and r.nfev < 40


def test_constraints_reject_hess_hessp_and_unknown_options():
    # regression (issue 9): with constraints these were silently ignored
    f = lambda x: x @ x  # noqa: E731
    con = [{"type": "eq", "fun": lambda x: x[0] + x[1] - 1.0}]
    with pytest.raises(ValueError, match="hess and hessp"):
        minimize(f, [0.0, 0.0], constraints=con, hess=lambda x: 2 * np.eye(2))
    with pytest.raises(ValueError, match="hess and hessp"):
        minimize(f, [0.0, 0.0], constraints=con, hessp=lambda x, p: 2 * p)
    with pytest.raises(ValueError, match="not used with general constraints"):
        minimize(f, [0.0, 0.0], constraints=con, options={"gtol": 1e-3})
    # options["maxiter"] is honoured (scipy's name for max_iter)
    r = minimize(f, [0.0, 0.0], constraints=con, options={"maxiter": 1})
    assert r.nit <= 1
    r = minimize(f, [0.0, 0.0], constraints=con)
    np.testing.assert_allclose(r.x, [0.5, 0.5], atol=1e-8)


@pytest.mark.parametrize("name,canonical", [("CG", "cg"), ("BFGS", "bfgs"),
                                            ("Newton-CG", "newton-cg"),
                                            ("trust-ncg", "trust-ncg"),
                                            ("TRUST-NCG", "trust-ncg"),
                                            ("Nelder-Mead", "nelder-mead")])  # fmt: skip
def test_scipy_method_names_case_insensitive(name, canonical):
    kw = {"jac": so.rosen_der, "hess": so.rosen_hess, "tol": 1e-8}
    if canonical == "nelder-mead":
        kw = {"options": {"xatol": 1e-10, "fatol": 1e-12, "maxfev": 10000}}
    r1 = minimize(so.rosen, ROSEN_X0, method=name, **kw)
    r2 = minimize(so.rosen, ROSEN_X0, method=canonical, **kw)
    assert r1.success
    np.testing.assert_array_equal(r1.x, r2.x)
    np.testing.assert_allclose(r1.x, [1.0, 1.0], atol=1e-6)


def test_lbfgs_b_is_a_deprecated_alias_and_scipy_name_refused():
    f = lambda x: (x[0] - 2.0) ** 2 + x[1] ** 2  # noqa: E731
    with pytest.warns(DeprecationWarning, match="projected-lbfgs"):
        r = minimize(f, [0.0, 0.0], method="lbfgs-b", bounds=[(None, 1.0), (None, None)])
    ref = minimize(f, [0.0, 0.0], method="projected-lbfgs", bounds=[(None, 1.0), (None, None)])
    np.testing.assert_array_equal(r.x, ref.x)
    np.testing.assert_allclose(r.x, [1.0, 0.0], atol=1e-8)
    with pytest.raises(ValueError, match="projected-lbfgs"):
        minimize(f, [0.0, 0.0], method="L-BFGS-B", bounds=[(None, 1.0), (None, None)])
