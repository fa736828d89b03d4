"""least_squares and curve_fit against scipy.optimize (same problems, same options)."""

import warnings

import numpy as np
import pytest
import scipy.optimize as so

import m4ml.numpy as mnp
from m4ml.optim import FiniteDifferenceWarning
from m4ml.optim.curve_fit import OptimizeWarning, curve_fit
from m4ml.optim.least_squares import least_squares

T = np.linspace(0.0, 4.0, 25)
RNG = np.random.default_rng(7)
Y = 2.5 * np.exp(-1.3 * T) + 0.5 + 0.02 * RNG.standard_normal(T.size)
Y_OUT = Y.copy()
Y_OUT[[3, 11, 19]] += [1.5, -1.0, 2.0]  # outliers for the robust losses
TIGHT = {"ftol": 1e-14, "xtol": 1e-14, "gtol": 1e-14}


def model_m(p, t=T):
    return p[0] * mnp.exp(-p[1] * t) + p[2]


def model_np(p, t=T):
    return p[0] * np.exp(-p[1] * t) + p[2]


def rosen_res(x):
    return mnp.stack([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])


def rosen_res_np(x):
    return np.array([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])


@pytest.mark.parametrize("method", ["trf", "lm"])
def test_exponential_fit_matches_scipy(method):
    ref = so.least_squares(lambda p: model_np(p) - Y, [1.0, 1.0, 0.0], method=method, **TIGHT)
    res = least_squares(lambda p: model_m(p) - Y, [1.0, 1.0, 0.0], method=method, **TIGHT)
    assert res.success and res.status in (1, 2, 3, 4)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-9)
    np.testing.assert_allclose(res.cost, ref.cost, rtol=1e-12)
    np.testing.assert_allclose(res.fun, ref.fun, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(res.jac, ref.jac, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(res.grad, res.jac.T @ res.fun, atol=1e-14)
    assert res.optimality < 1e-8 and res.njev >= 1 and res.nfev >= 1
    np.testing.assert_array_equal(res.active_mask, 0)


@pytest.mark.parametrize("method", ["trf", "lm"])
def test_rosenbrock_residuals(method):
    ref = so.least_squares(rosen_res_np, [2.0, 2.0], method=method)
    res = least_squares(rosen_res, [2.0, 2.0], method=method)
    assert res.success
    np.testing.assert_allclose(res.x, ref.x, atol=1e-7)
    np.testing.assert_allclose(res.x, [1.0, 1.0], atol=1e-7)


def test_bounds_match_scipy_and_set_active_mask():
    # scipy's documentation example: Rosenbrock with x1 >= 1.5
    bounds = ([-np.inf, 1.5], np.inf)
    ref = so.least_squares(rosen_res_np, [2.0, 2.0], bounds=bounds, **TIGHT)
    res = least_squares(rosen_res, [2.0, 2.0], bounds=bounds, **TIGHT)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-8)
    np.testing.assert_allclose(res.cost, ref.cost, rtol=1e-10)
    assert res.active_mask.tolist() == ref.active_mask.tolist() == [0, -1]
    # an upper bound on the amplitude and a box on everything
    for lb, ub in [([0, 0, 0], [2.0, 5, 5]), ([-1, 1.35, 0.45], [10, 10, 10])]:
        ref = so.least_squares(lambda p: model_np(p) - Y, [1.0, 1.4, 0.5], bounds=(lb, ub), **TIGHT)
        res = least_squares(lambda p: model_m(p) - Y, [1.0, 1.4, 0.5], bounds=(lb, ub), **TIGHT)
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(res.cost, ref.cost, rtol=1e-10)
        assert res.active_mask.tolist() == ref.active_mask.tolist()
        assert np.all(res.x >= lb) and np.all(res.x <= ub)


@pytest.mark.parametrize("loss", ["soft_l1", "huber", "cauchy", "arctan"])
@pytest.mark.parametrize("f_scale", [0.1, 1.0])
def test_robust_losses_match_scipy(loss, f_scale):
    kw = dict(TIGHT, loss=loss, f_scale=f_scale)
    ref = so.least_squares(lambda p: model_np(p) - Y_OUT, [1.0, 1.0, 0.0], **kw)
    res = least_squares(lambda p: model_m(p) - Y_OUT, [1.0, 1.0, 0.0], **kw)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(res.cost, ref.cost, rtol=1e-10)
    np.testing.assert_allclose(res.grad, ref.grad, atol=1e-7)
    # the robust fit is closer to the clean curve than ordinary least squares
    ols = least_squares(lambda p: model_m(p) - Y_OUT, [1.0, 1.0, 0.0], **TIGHT)
    if f_scale == 0.1:
        assert np.abs(res.x - [2.5, 1.3, 0.5]).max() < np.abs(ols.x - [2.5, 1.3, 0.5]).max()


def test_jacobian_options_agree():
    def jac(p):
        e = np.exp(-p[1] * T)
        return np.column_stack([e, -p[0] * T * e, np.ones_like(T)])

    x = {}
    for j in (jac, "2-point", "3-point", None):
        res = least_squares(lambda p: model_m(p) - Y, [1.0, 1.0, 0.0], jac=j, **TIGHT)
        x[str(j)] = res.x
    ref = x[str(None)]
    for v in x.values():
        np.testing.assert_allclose(v, ref, rtol=1e-6)


def test_untraceable_residuals_warn_and_use_differences():
    with pytest.warns(FiniteDifferenceWarning, match="could not differentiate"):
        res = least_squares(lambda p: model_np(p) - Y, [1.0, 1.0, 0.0], **TIGHT)
    ref = so.least_squares(lambda p: model_np(p) - Y, [1.0, 1.0, 0.0], **TIGHT)
    np.testing.assert_allclose(res.x, ref.x, rtol=1e-8)


def test_x_scale_and_max_nfev():
    ref = least_squares(lambda p: model_m(p) - Y, [1.0, 1.0, 0.0], **TIGHT)
    for xs in ([1.0, 0.1, 10.0], "jac"):
        res = least_squares(lambda p: model_m(p) - Y, [1.0, 1.0, 0.0], x_scale=xs, **TIGHT)
        np.testing.assert_allclose(res.x, ref.x, rtol=1e-8)
    res = least_squares(lambda p: model_m(p) - Y, [1.0, 1.0, 0.0], max_nfev=2)
    assert res.status == 0 and not res.success and res.nfev <= 3
    assert "maximum number of function evaluations" in res.message.lower()


def test_errors():
    f = lambda p: model_m(p) - Y  # noqa: E731
    with pytest.raises(ValueError, match="does not handle bounds"):
        least_squares(f, [1.0, 1.0, 0.0], method="lm", bounds=(0, 10))
    with pytest.raises(ValueError, match="only loss='linear'"):
        least_squares(f, [1.0, 1.0, 0.0], method="lm", loss="huber")
    with pytest.raises(ValueError, match="at least as many residuals"):
        least_squares(lambda p: mnp.stack([p[0] - p[1]]), [1.0, 2.0], method="lm")
    with pytest.raises(ValueError, match="loss must be"):
        least_squares(f, [1.0, 1.0, 0.0], loss="l1")
    with pytest.raises(ValueError, match="method must be"):
        least_squares(f, [1.0, 1.0, 0.0], method="dogbox")
    with pytest.raises(ValueError, match="infeasible"):
        least_squares(f, [1.0, 1.0, 0.0], bounds=(2.0, 3.0))
    with pytest.raises(ValueError, match="strictly less"):
        least_squares(f, [1.0, 1.0, 0.0], bounds=(1.0, 1.0))
    with pytest.raises(ValueError, match="f_scale"):
        least_squares(f, [1.0, 1.0, 0.0], f_scale=0.0)
    with pytest.raises(ValueError, match="x_scale"):
        least_squares(f, [1.0, 1.0, 0.0], x_scale=-1.0)
    with pytest.raises(ValueError, match="max_nfev"):
        least_squares(f, [1.0, 1.0, 0.0], max_nfev=0)
    with pytest.raises(ValueError, match="ftol"):
        least_squares(f, [1.0, 1.0, 0.0], ftol=-1.0)
    with pytest.raises(ValueError, match="at least one of"):
        least_squares(f, [1.0, 1.0, 0.0], ftol=None, xtol=None, gtol=None)
    with pytest.raises(ValueError, match="not finite at x0"):
        least_squares(lambda p: mnp.log(p) - 1.0, [-1.0])
    with pytest.raises(ValueError, match="x0 contains NaN"):
        least_squares(f, [np.nan, 1.0, 0.0])
    with pytest.raises(ValueError, match="Jacobian must have shape"):
        least_squares(f, [1.0, 1.0, 0.0], jac=lambda p: np.ones((2, 2)))
    with pytest.raises(TypeError, match="callable"):
        least_squares("f", [1.0])


def _cf_model(x, a, k, c):
    return a * mnp.exp(-k * x) + c


def _cf_model_np(x, a, k, c):
    return a * np.exp(-k * x) + c


@pytest.mark.parametrize("kind", ["none", "vector", "absolute", "matrix", "bounds"])
def test_curve_fit_matches_scipy(kind):
    sig = 0.02 * (1.0 + T)
    kw = {}
    if kind in ("vector", "absolute"):
        kw = {"sigma": sig, "absolute_sigma": kind == "absolute"}
    elif kind == "matrix":
        C = np.diag(sig**2) + 1e-5 * np.exp(-np.abs(T[:, None] - T[None, :]))
        kw = {"sigma": C}
    elif kind == "bounds":
        kw = {"bounds": ([0.0, 0.0, 0.0], [2.0, 5.0, 5.0])}
    p0 = [1.0, 1.0, 0.0] if kind != "bounds" else [1.0, 1.0, 0.1]
    ref_p, ref_c = so.curve_fit(_cf_model_np, T, Y, p0=p0, **kw, **TIGHT)
    popt, pcov = curve_fit(_cf_model, T, Y, p0=p0, **kw, **TIGHT)
    np.testing.assert_allclose(popt, ref_p, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(pcov, ref_c, rtol=1e-6, atol=1e-14)


def test_curve_fit_default_p0_user_jacobian_and_failures():
    ref_p, ref_c = so.curve_fit(_cf_model_np, T, Y, p0=[1.0, 1.0, 1.0], **TIGHT)
    popt, pcov = curve_fit(_cf_model, T, Y, **TIGHT)  # p0: three ones, from the signature
    np.testing.assert_allclose(popt, ref_p, rtol=1e-8)
    np.testing.assert_allclose(pcov, ref_c, rtol=1e-6)

    def jac(x, a, k, c):
        e = np.exp(-k * x)
        return np.column_stack([e, -a * x * e, np.ones_like(x)])

    popt2, pcov2 = curve_fit(_cf_model_np, T, Y, jac=jac, **TIGHT)
    np.testing.assert_allclose(popt2, ref_p, rtol=1e-8)
    np.testing.assert_allclose(pcov2, ref_c, rtol=1e-6)
    with pytest.raises(RuntimeError, match="Optimal parameters not found"):
        curve_fit(_cf_model, T, Y, max_nfev=2)
    with pytest.warns(OptimizeWarning, match="could not be estimated"):
        _, pc = curve_fit(_cf_model, T[:3], Y[:3])
    assert np.all(np.isinf(pc))
    with pytest.raises(ValueError, match="sigma must have shape"):
        curve_fit(_cf_model, T, Y, sigma=np.ones(3))
    with pytest.raises(ValueError, match="give p0"):
        curve_fit(lambda x, *p: x, T, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve_fit(_cf_model, T, Y)  # traceable: no warning
