"""Elementwise primitives: values equal NumPy's, derivatives pass check_grads in both modes to
order 2 over shapes (), (3,), (2, 3) and broadcasting pairs; conventions at kinks; no NaN from
the untaken branch of where."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, elementwise_grad, grad, jvp

SHAPES = [(), (3,), (2, 3)]

# name -> a map from standard normals into the function's domain
UNARY_DOMAINS = {
    "exp": lambda z: z,
    "expm1": lambda z: z,
    "exp2": lambda z: z,
    "log": lambda z: np.abs(z) + 0.5,
    "log1p": lambda z: np.abs(z) + 0.1,
    "log2": lambda z: np.abs(z) + 0.5,
    "log10": lambda z: np.abs(z) + 0.5,
    "sqrt": lambda z: np.abs(z) + 0.5,
    "cbrt": lambda z: np.abs(z) + 0.5,
    "square": lambda z: z,
    "reciprocal": lambda z: np.abs(z) + 0.5,
    "sin": lambda z: z,
    "cos": lambda z: z,
    "tan": lambda z: 0.3 * np.tanh(z),
    "sinh": lambda z: z,
    "cosh": lambda z: z,
    "tanh": lambda z: z,
    "arcsin": lambda z: 0.8 * np.tanh(z),
    "arccos": lambda z: 0.8 * np.tanh(z),
    "arctan": lambda z: z,
    "arcsinh": lambda z: z,
    "arccosh": lambda z: np.abs(z) + 1.5,
    "arctanh": lambda z: 0.8 * np.tanh(z),
    "abs": lambda z: np.where(np.abs(z) < 0.1, 0.5, z),
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(UNARY_DOMAINS))
def test_unary_values_and_grads(name, shape, rng):
    x = UNARY_DOMAINS[name](rng.standard_normal(shape))
    f = getattr(mnp, name)
    np.testing.assert_allclose(f(x), getattr(np, name)(x), rtol=1e-14)
    check_grads(f, (x,), order=2)


BINARY = {
    "add": lambda z: z,
    "subtract": lambda z: z,
    "multiply": lambda z: z,
    "divide": lambda z: np.abs(z) + 0.5,
    "power": lambda z: np.abs(z) + 0.5,
    "maximum": lambda z: z,
    "minimum": lambda z: z,
    "logaddexp": lambda z: z,
    "arctan2": lambda z: np.abs(z) + 0.5,
    "hypot": lambda z: np.abs(z) + 0.5,
}
PAIRS = [
    ((), ()),
    ((3,), (3,)),
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((3,), (2, 3)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
]


@pytest.mark.parametrize("shapes", PAIRS, ids=str)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_values_and_grads(name, shapes, rng):
    dom = BINARY[name]
    x, y = dom(rng.standard_normal(shapes[0])), dom(rng.standard_normal(shapes[1]))
    f = getattr(mnp, name)
    np.testing.assert_allclose(f(x, y), getattr(np, name)(x, y), rtol=1e-14)
    check_grads(f, (x, y), order=2)


@pytest.mark.parametrize("shapes", PAIRS, ids=str)
def test_operators_match_functions(shapes, rng):
    x = np.abs(rng.standard_normal(shapes[0])) + 0.5
    y = np.abs(rng.standard_normal(shapes[1])) + 0.5
    check_grads(lambda a, b: (a + b) * (a - b) / b**a - (-a) + 2.0 / a, (x, y), order=2)
    check_grads(lambda a, b: np.ones(shapes[0]) * a + b * np.ones(shapes[1]), (x, y), order=1)


def test_where_and_clip(rng):
    x = rng.standard_normal((2, 3))
    y = rng.standard_normal((3,))
    check_grads(lambda a, b: mnp.where(a > 0, a * b, b**2), (x, y), order=2)
    check_grads(lambda a: mnp.clip(a, -0.5, 0.7) * a, (x,), order=2)
    check_grads(lambda a, lo: mnp.clip(a, lo, 0.7), (x, np.full(3, -0.2)), order=1)
    np.testing.assert_array_equal(mnp.clip(x, -0.5, 0.7), np.clip(x, -0.5, 0.7))


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
def test_no_nan_from_untaken_branch():
    """The forward pass may warn (NumPy evaluates both branches); the gradient is clean."""
    x = np.array([-1.0, 0.0, 4.0])
    g = grad(lambda a: mnp.sum(mnp.where(a > 0, mnp.sqrt(a), 0.0)))(x)
    np.testing.assert_allclose(g, [0.0, 0.0, 0.25])
    g = grad(lambda a: mnp.sum(mnp.where(a > 0, mnp.log(a), a)))(x)
    np.testing.assert_allclose(g, [1.0, 1.0, 0.25])
    g = grad(lambda a: mnp.sum(mnp.where(a != 0, 1.0 / a, 0.0)))(x)
    np.testing.assert_allclose(g, [-1.0, 0.0, -1 / 16])
    h = grad(grad(lambda a: mnp.where(a > 0, mnp.sqrt(a), 0.0)))(0.0)
    assert h == 0.0
    _, t = jvp(lambda a: mnp.where(a > 0, mnp.sqrt(a), 0.0), (x,), (np.ones(3),))
    np.testing.assert_allclose(t, [0.0, 0.0, 0.25])


def test_kink_conventions():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(elementwise_grad(mnp.abs)(x), [-1.0, 0.0, 1.0])
    relu = elementwise_grad(lambda a: mnp.maximum(a, 0.0))
    np.testing.assert_array_equal(relu(x), [0.0, 0.5, 1.0])
    gx, gy = grad(lambda a, b: mnp.minimum(a, b), argnums=(0, 1))(1.0, 1.0)
    assert (gx, gy) == (0.5, 0.5)
    np.testing.assert_array_equal(elementwise_grad(lambda a: mnp.clip(a, 0.0, 3.0))(x), [0, 1, 1])
    np.testing.assert_array_equal(elementwise_grad(lambda a: mnp.sign(a) * a)(x), [-1, 0, 1])


def test_power_with_zero_base():
    g = grad(lambda a, b: a**b, argnums=(0, 1))(0.0, 2.0)
    assert g == (0.0, 0.0)
    assert grad(lambda b: 0.0**b + b)(2.0) == 1.0


def test_float32_is_preserved(rng):
    x = rng.standard_normal((2, 3)).astype(np.float32)
    f = lambda a: mnp.sum(mnp.tanh(a) * 2.0 + mnp.exp(a) / 3.0 - mnp.maximum(a, 0.0))  # noqa: E731
    g = grad(f)(x)
    assert g.dtype == np.float32
    g64 = grad(f)(x.astype(np.float64))
    np.testing.assert_allclose(g, g64, rtol=1e-5)


def test_astype_float(rng):
    x = rng.standard_normal(3)
    g = grad(lambda a: mnp.sum(a.astype(np.float32) ** 2))(x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-6)


def test_where_with_a_float_condition(rng):
    x = rng.standard_normal(4)
    mask = np.array([1.0, 0.0, 2.5, 0.0])
    g = grad(lambda a: mnp.sum(mnp.where(mask, a**2, -a)))(x)
    np.testing.assert_allclose(g, np.where(mask, 2 * x, -1.0))
    g = grad(lambda a: mnp.sum(mnp.where(a, a, 0.0)))(np.array([0.0, 2.0]))  # traced condition
    np.testing.assert_allclose(g, [0.0, 1.0])
