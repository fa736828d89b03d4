"""derivative (Richardson), jacobian_fd, gradient_fd, hessian_fd against closed forms."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.calculus.differentiation import derivative, gradient_fd, hessian_fd, jacobian_fd

# f, its n-th derivative, points (inside the domain)
FUNCTIONS = [
    ("exp", np.exp, lambda x, n: np.exp(x), [-3.0, 0.0, 0.7, 4.0]),
    ("sin", np.sin, lambda x, n: np.sin(x + n * np.pi / 2), [-2.0, 0.0, 1.0, 20.0]),
    (
        "log",
        np.log,
        lambda x, n: (-1) ** (n - 1) * math.factorial(n - 1) / x**n,
        [0.3, 1.0, 5.0, 100.0],
    ),
    (
        "x^5 - 2x^3",
        lambda x: x**5 - 2 * x**3,
        lambda x, n: [5 * x**4 - 6 * x**2, 20 * x**3 - 12 * x, 60 * x**2 - 12, 120 * x][n - 1],
        [-1.5, 0.0, 0.5, 2.0],
    ),
    (
        "1/(1+x^2)",
        lambda x: 1 / (1 + x * x),
        lambda x, n: [
            -2 * x / (1 + x * x) ** 2,
            (6 * x * x - 2) / (1 + x * x) ** 3,
            24 * x * (1 - x * x) / (1 + x * x) ** 4,
            24 * (5 * x**4 - 10 * x * x + 1) / (1 + x * x) ** 5,
        ][n - 1],
        [-2.0, 0.1, 1.0, 3.0],
    ),
]
# documented relative accuracy (central, one-sided) for n = 1..4
ACCURACY = {1: (1e-12, 1e-10), 2: (1e-10, 1e-7), 3: (1e-8, 1e-5), 4: (1e-6, 1e-3)}


@pytest.mark.parametrize("method", ["central", "forward", "backward"])
@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize(("name", "f", "d", "points"), FUNCTIONS, ids=[c[0] for c in FUNCTIONS])
def test_closed_forms_and_error_bound(name, f, d, points, n, method):
    x = np.array(points)
    res = derivative(f, x, n=n, method=method)
    exact = np.asarray(d(x, n), dtype=float)
    true_err = np.abs(res.df - exact)
    assert np.all(true_err <= res.error)  # the estimate bounds the true error
    scale = np.maximum(np.abs(exact), np.abs(f(x)))
    scale = np.maximum(scale, 1.0)
    rel = ACCURACY[n][0 if method == "central" else 1]
    assert np.all(true_err <= rel * scale)
    assert res.df.shape == x.shape and res.nfev > 0


def test_scalar_input_gives_floats_and_success():
    res = derivative(np.cos, 0.5)
    assert isinstance(res.df, float) and isinstance(res.error, float)
    assert res.success is True
    assert res.df == pytest.approx(-np.sin(0.5), abs=1e-13)


def test_step_args_and_scalar_only_function():
    res = derivative(lambda x, a: math.exp(a * x), 0.2, args=(3.0,), step=0.1)
    assert res.df == pytest.approx(3 * math.exp(0.6), rel=1e-12)


def test_one_sided_at_domain_edge():
    # sqrt is defined only for x >= 0: forward differences at x = 1e-3 never leave it
    res = derivative(np.sqrt, 1e-3, method="forward", step=1e-4)
    assert res.df == pytest.approx(0.5 / np.sqrt(1e-3), rel=1e-8)
    assert abs(res.df - 0.5 / np.sqrt(1e-3)) <= res.error


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=1, max_size=5), st.floats(-2, 2), st.integers(1, 4))
def test_polynomial_derivatives(coefs, x, n):
    p = np.polynomial.Polynomial(coefs)
    res = derivative(p, x, n=n)
    exact = p.deriv(n)(x)
    assert abs(res.df - exact) <= max(res.error, 1e-12)
    assert abs(res.df - exact) <= 1e-6 * (1 + np.abs(coefs).sum())


def _f(v):
    return np.array([v[0] ** 2 * v[1], np.sin(v[1]) * np.exp(v[2]), v @ v])


def _jac(v):
    x, y, z = v
    return np.array(
        [[2 * x * y, x * x, 0], [0, np.cos(y) * np.exp(z), np.sin(y) * np.exp(z)], 2 * v]
    )


@pytest.mark.parametrize(
    ("method", "tol"), [("central", 1e-10), ("forward", 1e-8), ("backward", 1e-8)]
)
def test_jacobian_fd(method, tol):
    v = np.array([0.7, -1.2, 0.3])
    np.testing.assert_allclose(jacobian_fd(_f, v, method=method), _jac(v), atol=tol)


def test_jacobian_shapes_and_gradient():
    X = np.arange(6.0).reshape(2, 3) / 5
    J = jacobian_fd(lambda m: m.sum(axis=0) ** 2, X)
    assert J.shape == (3, 2, 3)
    expected = np.zeros((3, 2, 3))
    for j in range(3):
        expected[j, :, j] = 2 * X[:, j].sum()
    np.testing.assert_allclose(J, expected, atol=1e-10)
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = np.array([0.5, -1.5])
    g = gradient_fd(lambda v: 0.5 * v @ A @ v + np.log(1 + v @ v), x)
    np.testing.assert_allclose(g, A @ x + 2 * x / (1 + x @ x), atol=1e-10)


def test_hessian_fd():
    def f(v):
        return v[0] ** 2 * v[1] + np.exp(v[1] * v[2]) + np.sin(v[0])

    v = np.array([0.4, -0.3, 0.8])
    x, y, z = v
    e = np.exp(y * z)
    H = np.array(
        [
            [2 * y - np.sin(x), 2 * x, 0],
            [2 * x, z * z * e, e + y * z * e],
            [0, e + y * z * e, y * y * e],
        ]
    )
    Hfd = hessian_fd(f, v)
    np.testing.assert_allclose(Hfd, H, atol=1e-8)
    np.testing.assert_array_equal(Hfd, Hfd.T)


def test_bad_input():
    with pytest.raises(ValueError, match="n must be 1, 2, 3 or 4"):
        derivative(np.exp, 0.0, n=5)
    with pytest.raises(TypeError, match="integer"):
        derivative(np.exp, 0.0, n=1.5)
    with pytest.raises(ValueError, match="method"):
        derivative(np.exp, 0.0, method="centered")
    with pytest.raises(ValueError, match="step must be positive"):
        derivative(np.exp, 0.0, step=-1.0)
    with pytest.raises(ValueError, match="NaN"):
        derivative(np.exp, np.nan)
    with pytest.raises(ValueError, match="every step"):
        derivative(lambda x: np.full_like(x, np.nan), 1.0)
    with pytest.raises(TypeError, match="callable"):
        derivative(3.0, 1.0)
    with pytest.raises(ValueError, match="scalar-valued"):
        gradient_fd(lambda v: v, [1.0, 2.0])
    with pytest.raises(ValueError, match="scalar-valued"):
        hessian_fd(lambda v: v, [1.0, 2.0])
    with pytest.raises(ValueError, match="at least one"):
        jacobian_fd(np.sin, [])
    with pytest.raises(ValueError, match="domain"):
        gradient_fd(lambda v: np.log(v).sum() if v.min() > 0 else np.nan, [0.0, 1.0])
