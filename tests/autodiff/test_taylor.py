"""taylor / taylor_polynomial: coefficients equal repeated derivatives / k!, closed forms, and
the remainder shrinks as O(h^(K+1))."""

import math

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import grad, taylor, taylor_polynomial


def test_coefficients_equal_repeated_derivatives():
    f = lambda x: mnp.sin(x) * mnp.exp(0.5 * x)  # noqa: E731
    x0 = 0.3
    c = taylor(f, x0, 1.0, 4)
    d = f
    for k in range(5):
        assert c[k] == pytest.approx(float(d(x0)) / math.factorial(k), rel=1e-12)
        d = grad(d)


def test_closed_forms():
    np.testing.assert_allclose(
        taylor(mnp.exp, 0.0, 1.0, 5), [1 / math.factorial(k) for k in range(6)]
    )
    np.testing.assert_allclose(
        taylor(mnp.log1p, 0.0, 1.0, 4), [0, 1, -1 / 2, 1 / 3, -1 / 4], atol=1e-15
    )
    # along a direction: f(x + t v) with f = sum(x^3)
    x, v = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    c = taylor(lambda a: mnp.sum(a**3), x, v, 4)
    np.testing.assert_allclose(
        c, [9.0, np.sum(3 * x**2 * v), np.sum(3 * x * v**2), np.sum(v**3), 0.0]
    )


def test_vector_output_shape():
    c = taylor(
        lambda a: mnp.stack([mnp.sin(a[0]), a[0] * a[1]]),
        np.array([0.0, 1.0]),
        np.array([1.0, 1.0]),
        3,
    )
    assert c.shape == (4, 2)
    np.testing.assert_allclose(c[:, 0], [0, 1, 0, -1 / 6], atol=1e-15)
    np.testing.assert_allclose(c[:, 1], [0, 1, 1, 0], atol=1e-15)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_remainder_is_order_h_to_the_k_plus_1(order):
    f = lambda x: mnp.exp(mnp.sin(x))  # noqa: E731
    x0 = 0.4
    p = taylor_polynomial(f, x0, order)
    hs = np.array([0.1, 0.05, 0.025])
    err = np.abs(f(x0 + hs) - p(x0 + hs))
    rates = np.log2(err[:-1] / err[1:])
    np.testing.assert_allclose(rates, order + 1, atol=0.35)


def test_polynomial_around_an_array_point(rng):
    f = lambda a: mnp.sum(mnp.tanh(a) * a)  # noqa: E731
    x0 = rng.standard_normal(3)
    p = taylor_polynomial(f, x0, 3)
    d = 1e-2 * rng.standard_normal(3)
    assert abs(p(x0 + d) - f(x0 + d)) < 1e-7
    assert p(x0) == pytest.approx(f(x0))


def test_errors():
    with pytest.raises(ValueError, match="order must be >= 0"):
        taylor(mnp.sin, 0.0, 1.0, -1)
    with pytest.raises(TypeError, match="order must be an integer"):
        taylor(mnp.sin, 0.0, 1.0, 2.0)
    with pytest.raises(ValueError, match="same shape"):
        taylor(mnp.sin, np.zeros(2), np.ones(3), 2)
    with pytest.raises(TypeError, match="floating-point"):
        taylor(mnp.sin, np.arange(2), np.ones(2), 2)
