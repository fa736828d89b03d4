"""Taylor-mode propagation agrees with nested JVPs on every primitive that has a Taylor rule,
and unsupported primitives fall back to nested JVPs transparently."""

import math

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import jvp, taylor
from m4ml.autodiff.taylor_mode import Unsupported, taylor_coefficients

A = np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]])

FUNCS = {
    "poly": lambda x: x**3 - 2.0 * x + 1.0,
    "exp": lambda x: mnp.exp(x * 0.5) * x,
    "expm1": lambda x: mnp.expm1(x),
    "log": lambda x: mnp.log(x + 3.0),
    "log1p": lambda x: mnp.log1p(x * x),
    "sqrt": lambda x: mnp.sqrt(x + 2.0),
    "sin_cos": lambda x: mnp.sin(x) * mnp.cos(2.0 * x),
    "tanh": lambda x: mnp.tanh(x),
    "divide": lambda x: x / (x * x + 1.0),
    "divide_const": lambda x: (x - 1.0) / 3.0 + 2.0 / (x + 4.0),
    "power": lambda x: (x + 3.0) ** 2.5 + x**2,
    "square": lambda x: mnp.square(mnp.sin(x)),
    "matmul": lambda x: A @ mnp.tanh(x),
    "einsum": lambda x: mnp.einsum("i,i->", x, mnp.exp(x)),
    "einsum_linear": lambda x: mnp.einsum("ij,j->i", A, x),
    "reductions": lambda x: mnp.sum(x**2) * mnp.mean(mnp.exp(x)),
    "shape": lambda x: mnp.reshape(mnp.concatenate([x, x[::-1] * 2.0]), (2, 3)).T[1:],
    "where": lambda x: mnp.where(x > 0, mnp.exp(x), -x),
    "cumsum": lambda x: mnp.cumsum(mnp.sin(x)),
    "at": lambda x: mnp.at(x)[1].set(x[0] ** 2),
}


def _nested(f, x, v, order):
    coeffs, g = [], f
    for k in range(order + 1):
        coeffs.append(np.asarray(g(x)) / math.factorial(k))
        g = (lambda h: lambda y: jvp(h, (y,), (v,))[1])(g)
    return np.stack(coeffs)


@pytest.mark.parametrize("name", sorted(FUNCS))
def test_taylor_mode_equals_nested_jvp(name):
    x, v = np.array([0.3, -0.4, 0.8]), np.array([1.0, 0.5, -2.0])
    series = taylor_coefficients(FUNCS[name], x, v, 4)
    ours = np.stack([np.zeros_like(series[0]) if c is None else c for c in series])
    np.testing.assert_allclose(ours, _nested(FUNCS[name], x, v, 4), rtol=1e-10, atol=1e-12)


def test_unsupported_primitive_falls_back():
    f = lambda x: mnp.logsumexp(x) * mnp.max(x)  # noqa: E731
    x, v = np.array([0.3, -0.4, 0.8]), np.array([1.0, 0.5, -2.0])
    with pytest.raises(Unsupported, match="logsumexp"):
        taylor_coefficients(f, x, v, 3)
    np.testing.assert_allclose(taylor(f, x, v, 3), _nested(f, x, v, 3), rtol=1e-10, atol=1e-12)


def test_power_at_zero_base_falls_back():
    x, v = np.array([0.0, 1.0]), np.array([1.0, 1.0])
    f = lambda a: (a + 0.0) ** 3.0  # noqa: E731
    np.testing.assert_allclose(taylor(f, x, v, 3), _nested(f, x, v, 3), atol=1e-12)


def test_high_order_closed_form():
    c = taylor(mnp.exp, 0.0, 1.0, 12)
    np.testing.assert_allclose(c, [1 / math.factorial(k) for k in range(13)], rtol=1e-12)
    c = taylor(mnp.sin, 0.0, 1.0, 9)
    expected = [0, 1, 0, -1 / 6, 0, 1 / 120, 0, -1 / 5040, 0, 1 / 362880]
    np.testing.assert_allclose(c, expected, atol=1e-15)
