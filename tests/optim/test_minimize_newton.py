"""The second-order methods of m4ml.optim.minimize: Newton, Newton-CG and trust-ncg
(reference: scipy.optimize.minimize; methods in m4ml.optim.methods_newton)."""

import numpy as np
import pytest
import scipy.optimize as so

import m4ml.numpy as mnp
from m4ml.optim.minimize import minimize
from tests.optim._quadratic import quad


def test_newton_exact_on_quadratic_in_one_step():
    A, b, xs = quad(2)
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.ones(5), jac=lambda x: A @ x - b,
                 hess=lambda x: A, method="newton", tol=1e-12)  # fmt: skip
    assert r.nit == 1 and r.nhev == 1
    np.testing.assert_allclose(r.x, xs, rtol=1e-12, atol=1e-13)


def test_newton_modifies_indefinite_hessian():
    # f = x^4/4 - x^2/2 + y^2: the Hessian at (0.1, 1) is indefinite; Newton must still descend
    f = lambda z: z[0] ** 4 / 4 - z[0] ** 2 / 2 + z[1] ** 2  # noqa: E731
    g = lambda z: np.array([z[0] ** 3 - z[0], 2 * z[1]])  # noqa: E731
    h = lambda z: np.diag([3 * z[0] ** 2 - 1, 2.0])  # noqa: E731
    r = minimize(f, [0.1, 1.0], jac=g, hess=h, method="newton", tol=1e-12)
    assert r.success and np.all(np.diff(r.history["fun"]) <= 0)
    np.testing.assert_allclose(np.abs(r.x), [1.0, 0.0], atol=1e-8)
    np.testing.assert_allclose(r.fun, -0.25, rtol=1e-12)


def test_trust_ncg_with_hessp_matches_scipy():
    ref = so.minimize(so.rosen, np.full(6, 0.5), jac=so.rosen_der, hessp=so.rosen_hess_prod,
                      method="trust-ncg", tol=1e-10)  # fmt: skip
    r = minimize(so.rosen, np.full(6, 0.5), jac=so.rosen_der, hessp=so.rosen_hess_prod,
                 method="trust-ncg", tol=1e-10)  # fmt: skip
    assert r.success and r.nhev > 0
    np.testing.assert_allclose(r.x, ref.x, atol=1e-8)


def test_trust_ncg_uses_autodiff_hvp_for_many_variables():

    def rosen(x):
        return mnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    x0 = np.full(60, 0.5)
    ref = so.minimize(so.rosen, x0, jac=so.rosen_der, hessp=so.rosen_hess_prod,
                      method="trust-ncg", tol=1e-10)  # fmt: skip
    r = minimize(rosen, x0, method="trust-ncg", tol=1e-8)
    assert r.success and r.nhev > r.nit  # one product per CG step, not one matrix per step
    np.testing.assert_allclose(r.x, ref.x, atol=1e-7)


def test_newton_hessian_from_gradient_differences():
    # no hess and a function autodiff cannot trace (math.exp): the Hessian comes from central
    # differences of the gradient, each costing 2n gradient evaluations
    import math

    f = lambda x: math.exp(x[0] - 1.0) - x[0] + (x[1] + 2.0) ** 2 + x[0] * x[1] / 10  # noqa: E731
    g = lambda x: np.array([math.exp(x[0] - 1.0) - 1 + x[1] / 10, 2 * (x[1] + 2.0) + x[0] / 10])  # noqa: E731
    ref = so.minimize(f, [0.0, 0.0], jac=g, method="BFGS", tol=1e-11)
    for method in ("newton", "trust-ncg"):
        r = minimize(f, [0.0, 0.0], jac=g, method=method, tol=1e-9)
        assert r.success and r.nhev >= 1 and r.njev >= r.nit + 2 * 2 * r.nhev
        np.testing.assert_allclose(r.x, ref.x, atol=1e-8)


@pytest.mark.parametrize("seed,n", [(815020182, 5), (166879142, 3), (102092473, 5)])
def test_trust_ncg_reaches_tight_gradient_on_convex_quadratics(seed, n):
    # regression (issue 9): near the solution f - f_new is at f's rounding level, so the
    # agreement ratio was noise and the radius shrank to nothing at |g| ~ 1e-8 (status 2);
    # the decrease is now measured by the trapezoid rule on the gradients there
    A, b, xs = quad(seed, n=n, cond=20.0)
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, np.zeros(n), jac=lambda x: A @ x - b,
                 hess=lambda x: A, method="trust-ncg", tol=1e-10)  # fmt: skip
    assert r.success and np.max(np.abs(A @ r.x - b)) <= 1e-10
    np.testing.assert_allclose(r.x, xs, atol=1e-9)


@pytest.mark.parametrize("hessp", [False, True])
def test_newton_cg_matches_scipy(hessp):
    x0 = np.full(6, 0.5)
    kw = {"hessp": so.rosen_hess_prod} if hessp else {"hess": so.rosen_hess}
    ref = so.minimize(so.rosen, x0, jac=so.rosen_der, method="Newton-CG", tol=1e-12, **kw)
    r = minimize(so.rosen, x0, jac=so.rosen_der, method="Newton-CG", tol=1e-9, **kw)
    assert r.success and r.nhev > 0
    np.testing.assert_allclose(r.x, ref.x, atol=1e-8)
    np.testing.assert_allclose(r.x, 1.0, atol=1e-8)


def test_newton_cg_negative_curvature_still_descends():
    f = lambda z: z[0] ** 4 / 4 - z[0] ** 2 / 2 + z[1] ** 2  # noqa: E731
    g = lambda z: np.array([z[0] ** 3 - z[0], 2 * z[1]])  # noqa: E731
    h = lambda z: np.diag([3 * z[0] ** 2 - 1, 2.0])  # noqa: E731
    r = minimize(f, [0.1, 1.0], jac=g, hess=h, method="newton-cg", tol=1e-10)
    assert r.success and np.all(np.diff(r.history["fun"]) <= 0)
    np.testing.assert_allclose(np.abs(r.x), [1.0, 0.0], atol=1e-8)
