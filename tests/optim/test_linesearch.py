"""Tests for m4ml.optim.linesearch (Armijo backtracking, strong Wolfe)."""

import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.optim.linesearch import armijo_backtracking, strong_wolfe


def rosen_fg(x):
    return float(so.rosen(x)), so.rosen_der(x)


def _wolfe_ok(fg, x, p, r, c1=1e-4, c2=0.9):
    f0, g0 = fg(x)
    d0 = g0 @ p
    f1, g1 = fg(x + r.alpha * p)
    return f1 <= f0 + c1 * r.alpha * d0 + 1e-14 * abs(f0) and abs(g1 @ p) <= c2 * abs(d0)


def test_strong_wolfe_rosenbrock_meets_conditions_and_matches_scipy_point():
    x = np.array([-1.2, 1.0])
    f0, g0 = rosen_fg(x)
    p = -g0
    r = strong_wolfe(rosen_fg, x, p, f0, g0, alpha0=1.0)
    assert r.success and _wolfe_ok(rosen_fg, x, p, r)
    np.testing.assert_allclose(r.x, x + r.alpha * p, rtol=0, atol=0)
    np.testing.assert_allclose(r.fun, so.rosen(r.x), rtol=1e-15)
    # scipy's search also meets the conditions; both decrease f
    a_ref = so.line_search(so.rosen, so.rosen_der, x, p)[0]
    assert so.rosen(x + a_ref * p) < f0 and r.fun < f0


def test_strong_wolfe_cg_constant():
    x = np.array([-1.2, 1.0])
    f0, g0 = rosen_fg(x)
    r = strong_wolfe(rosen_fg, x, -g0, f0, g0, alpha0=1e-3, c2=0.1)
    assert r.success and _wolfe_ok(rosen_fg, x, -g0, r, c2=0.1)


def test_strong_wolfe_expands_short_first_step():
    fg = lambda z: (float(z @ z), 2 * z)  # noqa: E731
    x = np.array([10.0, 0.0])
    f0, g0 = fg(x)
    p = -g0 / np.linalg.norm(g0)  # unit direction: the minimizer is 10 away
    r = strong_wolfe(fg, x, p, f0, g0, alpha0=0.01)
    assert r.success and r.alpha > 1.0 and _wolfe_ok(fg, x, p, r)


def test_strong_wolfe_backtracks_from_nonfinite():
    def fg(z):
        if z[0] > 1.5:
            return np.inf, np.full_like(z, np.nan)
        return float((z[0] - 1) ** 2), np.array([2 * (z[0] - 1)])

    x = np.array([0.0])
    f0, g0 = fg(x)
    r = strong_wolfe(fg, x, np.array([1.0]), f0, g0, alpha0=100.0)
    assert r.success and np.isfinite(r.fun) and r.x[0] <= 1.5 and r.fun < f0


def test_armijo_exact_quadratic_interpolation():
    f = lambda z: float(z @ z)  # noqa: E731
    x = np.array([1.0, 1.0])
    g = 2 * x
    r = armijo_backtracking(f, x, -g, f(x), g)
    assert r.success and r.alpha == pytest.approx(0.5, abs=1e-15) and r.fun == pytest.approx(0)
    assert r.nfev == 2


def test_armijo_nonfinite_halves():
    def f(z):
        return float(z[0] ** 2) if z[0] > -0.5 else np.nan

    x = np.array([1.0])
    r = armijo_backtracking(f, x, np.array([-2.0]), 1.0, np.array([2.0]), alpha0=8.0)
    assert r.success and np.isfinite(r.fun) and r.fun < 1.0


def test_armijo_failure_reports_success_false():
    f = lambda z: 1.0 + 0 * float(z[0])  # noqa: E731  flat: no decrease possible
    r = armijo_backtracking(f, np.array([0.0]), np.array([1.0]), 1.0, np.array([-1.0]),
                            max_iter=5)  # fmt: skip
    assert not r.success and r.alpha < 1 and r.fun == 1.0


@pytest.mark.parametrize("search", ["armijo", "wolfe"])
def test_errors(search):
    x = np.array([1.0])
    g = np.array([2.0])
    fg = lambda z: (float(z @ z), 2 * z)  # noqa: E731
    if search == "armijo":
        with pytest.raises(ValueError, match="descent direction"):
            armijo_backtracking(lambda z: 0.0, x, g, 1.0, g)
        with pytest.raises(ValueError, match="c1"):
            armijo_backtracking(lambda z: 0.0, x, -g, 1.0, g, c1=1.5)
    else:
        with pytest.raises(ValueError, match="descent direction"):
            strong_wolfe(fg, x, g, 1.0, g)
        with pytest.raises(ValueError, match="c2"):
            strong_wolfe(fg, x, -g, 1.0, g, c1=0.5, c2=0.4)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(1, 6),
    alpha0=st.floats(1e-4, 1e3),
    c2=st.sampled_from([0.1, 0.5, 0.9]),
)
def test_strong_wolfe_property_convex_quadratic(seed, n, alpha0, c2):
    rng = np.random.default_rng(seed)
    Q = rng.standard_normal((n, n))
    A = Q @ Q.T + 0.1 * np.eye(n)
    b = rng.standard_normal(n)
    fg = lambda z: (0.5 * float(z @ A @ z) - float(b @ z), A @ z - b)  # noqa: E731
    x = rng.standard_normal(n)
    f0, g0 = fg(x)
    if g0 @ g0 < 1e-12:
        return
    r = strong_wolfe(fg, x, -g0, f0, g0, alpha0=alpha0, c2=c2)
    assert r.success and _wolfe_ok(fg, x, -g0, r, c2=c2)
