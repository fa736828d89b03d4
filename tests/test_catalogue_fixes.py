"""Regressions for the defects the per-callable catalogue baselines found (tests/_baselines.py).

Each call used to leak a RuntimeWarning (ComplexWarning included), return NaN/inf silently or
raise from inside NumPy/matplotlib; now it raises a typed error that names the argument.
"""

import numpy as np
import pytest

import m4ml.optim as mo
import m4ml.pipeline as mp
import m4ml.stats as ms
from m4ml.calculus import dblquad
from m4ml.models import (
    IsotonicRegression,
    LinearSVC,
    LogisticRegression,
    kmeans_plusplus,
    plot_decision_boundary,
    svm_dual_qp,
)
from m4ml.probability import Beta

RNG = np.random.default_rng(0)
X = RNG.normal(size=(30, 3))
Y = (X[:, 0] > 0).astype(int)


def _quad(w):
    return (w * w).sum()


def test_pipeline_targets_and_features_are_checked():
    y_obj = Y.astype(object)
    y_obj[0] = {"a": 1}
    with pytest.raises(TypeError, match="y holds dict"):
        list(mp.StratifiedKFold(3).split(X, y_obj))
    with pytest.raises(TypeError, match="y is complex"):
        list(mp.StratifiedKFold(3).split(X, Y + 1j))
    y_nan = Y.astype(float)
    y_nan[3] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        mp.cross_val_score(LogisticRegression(), X, y_nan, cv=3)
    with pytest.raises(ValueError, match="y contains NaN"):
        mp.GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=3).fit(X, y_nan)
    clf = LogisticRegression().fit(X, Y)
    with pytest.raises(ValueError, match="y contains NaN"):
        mp.permutation_importance(clf, X, y_nan, n_repeats=2, random_state=0)
    with pytest.raises(TypeError, match="X is complex"):
        mp.partial_dependence(clf, X + 1j, [0])
    X_nan = X.copy()
    X_nan[2, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        mp.partial_dependence(clf, X_nan, [0])


def test_landscape_checks_params_and_guards_overflow():
    with pytest.raises(ValueError, match="params has no parameters"):
        mo.hessian_trace(_quad, np.zeros(0), rng=0)
    with pytest.raises(ValueError, match="params leaf contains NaN"):
        mo.hessian_eigenvalues(_quad, np.array([1.0, np.nan]), k=1, rng=0)
    with pytest.raises(TypeError, match="params_a leaf is complex"):
        mo.interpolate_losses(_quad, np.ones(2) + 1j, np.ones(2), [0.0, 1.0])
    with pytest.raises(ValueError, match="alphas contains NaN"):
        mo.loss_slice_2d(_quad, np.ones(2), [0.0, np.nan], [0.0, 1.0], rng=0)
    with pytest.raises(ValueError, match=r"the point theta \+ alpha d: the computation leaves"):
        mo.interpolate_losses(_quad, np.full(2, 1e308), np.full(2, -1e308), [-1.0, 0.0])
    A, B = np.meshgrid(np.linspace(0, 1, 4), np.linspace(0, 1, 3))
    with pytest.raises(ValueError, match="meshgrids of one shape"):
        mo.plot_loss_surface(A, B, np.ones((4, 3)))
    with pytest.raises(ValueError, match="L contains NaN"):
        mo.plot_loss_surface(A, B, np.full(A.shape, np.nan))


def test_line_searches_check_their_start():
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="x contains NaN"):
        mo.armijo_backtracking(lambda w: float(w @ w), np.array([np.nan, 1.0]), -x, 5.0, 2 * x)
    with pytest.raises(TypeError, match="g0 is complex"):
        mo.strong_wolfe(lambda w: (float(w @ w), 2 * w), x, -x, 5.0, 2 * x + 1j)
    with pytest.raises(ValueError, match="one length"):
        mo.armijo_backtracking(lambda w: float(w @ w), x, -x[:1], 5.0, 2 * x)
    with pytest.raises(ValueError, match=r"g0 \. p overflows"):
        big = np.array([1e308, 1e308])
        mo.armijo_backtracking(lambda w: float(w.sum()), big, -big, 1.0, big)


def test_complex_input_is_refused_not_truncated():
    with pytest.raises(ValueError, match=r"ranges\[1\] must be a pair"):
        dblquad(lambda y, x: x * y, np.array(0.0 + 1j), 1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="level must be a number"):
        ms.credible_interval(Beta(2.0, 3.0), np.array(0.9 + 0j))
    with pytest.raises(TypeError, match="y is complex"):
        IsotonicRegression().fit(X[:, 0], X[:, 1] + 1j)
    with pytest.raises(TypeError, match="X is complex"):
        kmeans_plusplus(X + 1j, 2, random_state=0)
    with pytest.raises(TypeError, match="K is complex"):
        svm_dual_qp(X @ X.T + 1j, np.where(Y == 1, 1.0, -1.0), 1.0)
    with pytest.raises(TypeError, match="domain_sampler low is complex"):
        mo.is_convex(lambda w: float(w @ w), (np.zeros(2) + 1j, np.ones(2)), rng=0)
    with pytest.raises(TypeError, match="grads"):
        mo.clip_by_value(np.ones(2) + 1j, -1.0, 1.0)


def test_other_fixes():
    with pytest.raises(ValueError, match="grads contain NaN"):
        mo.clip_by_value({"w": np.array([np.nan, 2.0])}, -1.0, 1.0)
    np.testing.assert_array_equal(mo.clip_by_value(np.array([np.inf, -3.0]), -1, 1), [1, -1])
    with pytest.raises(TypeError, match="y must hold real numbers"):
        svm_dual_qp(X @ X.T, None, 1.0)
    with pytest.raises(ValueError, match="eig contains NaN"):
        ms.log_evidence(1.0, 2.0, np.array([1.0, np.nan]), 3.0, 0.5, 30, 2)
    svm = LinearSVC().fit(X[:, :2], Y)
    with pytest.raises(ValueError, match="y has 29 labels for 30 rows"):
        plot_decision_boundary(svm, X[:, :2], Y[:-1])
    with pytest.raises(ValueError, match="X of shape"):
        plot_decision_boundary(svm, np.zeros((0, 2)))
    with pytest.raises(ValueError, match="the posterior update: the computation leaves"):
        ms.NormalInverseGamma(0.0, 1.0, 2.0, 2.0).update(np.array([1e308, -1e308, 5e307]))
    from m4ml.calculus import monte_carlo_integrate

    with pytest.raises(ValueError, match="the volume of the box"):
        monte_carlo_integrate(lambda x: x.sum(axis=-1), [[-1e308, 1e308], [0, 1e308]], rng=0)


def test_simple_imputer_mean_near_overflow_and_underflow():
    X = np.array([[1e308, 1.0], [np.nan, 2.0], [1e308, np.nan]])
    np.testing.assert_allclose(mp.SimpleImputer().fit(X).statistics_, [1e308, 1.5], rtol=1e-15)
    X = np.array([[1e-310, 1.0], [np.nan, 2.0], [3e-310, np.nan]])
    np.testing.assert_allclose(mp.SimpleImputer().fit(X).statistics_, [2e-310, 1.5], rtol=1e-12)


def test_cross_scales_huge_vectors():
    from m4ml.linalg import cross

    a, b = np.array([1.0, -0.5, 0.3]), np.array([0.2, 0.5, -0.3])
    ref = np.cross(a, b)
    # used to overflow in a2*b3 with a RuntimeWarning; the product itself is in range
    np.testing.assert_allclose(cross(a * 1e308, b), ref * 1e308, rtol=1e-14, atol=1e293)
    np.testing.assert_allclose(cross(a, b * 1e308), ref * 1e308, rtol=1e-14, atol=1e293)
    # stacks mixing scaled and unscaled vectors keep each vector's own scale
    got = cross(np.stack([a * 1e308, a]), b)
    np.testing.assert_allclose(got[1], ref, rtol=1e-15)
    np.testing.assert_allclose(got[0], ref * 1e308, rtol=1e-14, atol=1e293)
    np.testing.assert_array_equal(cross(a, b), ref)  # ordinary input: unchanged
    with pytest.raises(ValueError, match=r"cross\(a, b\).*float64 range"):
        cross(a * 1e308, b * 1e10)  # genuinely beyond float64


def test_power_and_inverse_iteration_scale_huge_matrices():
    from m4ml.linalg import inverse_iteration, power_iteration

    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    lams = np.linalg.eigvalsh(A)
    s = 3e307  # matmul and the LU overflowed (RuntimeWarning); ||A||_F was inf
    lam, v, _ = inverse_iteration(A * s, shift=1.0 * s, rng=0)
    assert lam / s == pytest.approx(lams[0], rel=1e-12)
    np.testing.assert_allclose(A @ v, lams[0] * v, atol=1e-9)
    lam, v, k = power_iteration(A * s, rng=0)
    assert lam / s == pytest.approx(lams[2], rel=1e-12)
    assert k > 1  # an infinite ||A||_F used to pass the residual test at once
    with pytest.raises(ValueError, match=r"eigenvalue .* beyond the float64 range"):
        power_iteration(A * 4e307, rng=0)  # lambda_max = 1.9e308
    with pytest.raises(ValueError, match=r"eigenvalue .* beyond the float64 range"):
        inverse_iteration(A * 4e307, shift=1.7e308, rng=0)


def test_solve_qp_refuses_an_optimum_beyond_float64():
    P = np.diag([2.0, 1.0, 3.0, 1.5])
    G = np.array([[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [-1.0, 0.0, 0.0, 0.0]])
    h = np.array([2.0, 2.0, 1.0])
    q = np.array([-0.5, -1.0, 0.25, -0.25]) * 1e308
    # P is definite: the optimum exists (value about -1e615) - it used to say "unbounded"
    with pytest.raises(ValueError, match=r"q: the optimum value .* beyond the float64"):
        mo.solve_qp(P, q, G, h)
    with pytest.raises(ValueError, match="float64 range"):
        mo.solve_qp(P, q)  # the equality-only path (its KKT solve overflows: the guard)
    # a genuine recession direction (P singular along it) is still "unbounded"
    res = mo.solve_qp(np.diag([1.0, 0.0]), [0.0, -1.0], G=[[1.0, 0.0]], h=[1.0])
    assert res.status == "unbounded"
    d = res.certificate
    assert abs(d[0]) < 1e-8 and d[1] > 0
    # moderate q with the same data is solved as before
    assert mo.solve_qp(P, q / 1e308, G, h).status == "optimal"


def test_distributed_simple_imputer_scales_and_refuses_no_rows():
    da = pytest.importorskip("dask.array")
    from sklearn.impute import SimpleImputer as SkImputer

    from m4ml.distributed import SimpleImputer

    X = np.array([[1e308, 1.0], [1.7e308, np.nan], [np.nan, 3.0], [1.5e308, 5.0]])
    for data in (X, da.from_array(X, chunks=(1, 2)), da.from_array(X, chunks=(3, 1))):
        # the sum used to overflow to inf with a RuntimeWarning
        got = SimpleImputer().fit(data).statistics_
        np.testing.assert_allclose(got, [1.4e308, 3.0], rtol=1e-15)
    Y = RNG.normal(size=(53, 3))
    Y[RNG.random(Y.shape) < 0.3] = np.nan
    ref = SkImputer().fit(Y).statistics_
    got = SimpleImputer().fit(da.from_array(Y, chunks=(10, 2))).statistics_
    np.testing.assert_allclose(got, ref, rtol=1e-14)
    with pytest.raises(ValueError, match="X has no rows"):  # used to fit NaN statistics
        SimpleImputer().fit(np.empty((0, 2)))
    with pytest.raises(ValueError, match="X has no rows"):
        SimpleImputer().fit(da.from_array(np.empty((0, 2)), chunks=(5, 2)))
