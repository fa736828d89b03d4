"""mnp.linalg.norm: one primitive valued by m4ml.linalg.norm. Values equal numpy.linalg.norm's,
derivatives pass check_grads in both modes to order 2, extreme scales give the true gradient,
and both modes follow the minimum-norm-subgradient convention at non-differentiable points."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad, jacfwd, jacrev, jvp

L = mnp.linalg
RNG = np.random.default_rng(5)
M = RNG.standard_normal((3, 4))
S = RNG.standard_normal((2, 3, 4))

VECTOR = [None, 2, 1, 3, 0.5, -1, np.inf, -np.inf]
MATRIX = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VECTOR, ids=str)
def test_vector_orders(ord):
    x = M[0]
    np.testing.assert_allclose(L.norm(x, ord), np.linalg.norm(x, ord), rtol=1e-14)
    check_grads(lambda a: L.norm(a, ord), (x,), order=2)
    f = lambda a: L.norm(a, ord, axis=1, keepdims=True)  # noqa: E731
    np.testing.assert_allclose(f(M), np.linalg.norm(M, ord, axis=1, keepdims=True), rtol=1e-14)
    check_grads(f, (M,), order=2)
    np.testing.assert_allclose(jacfwd(f)(M), jacrev(f)(M), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("ord", MATRIX, ids=str)
def test_matrix_orders(ord):
    np.testing.assert_allclose(L.norm(M, ord), np.linalg.norm(M, ord), rtol=1e-12)
    check_grads(lambda a: L.norm(a, ord), (M,), order=2, rtol=1e-4, atol=1e-6)
    f = lambda a: L.norm(a, ord, axis=(2, 1))  # noqa: E731
    np.testing.assert_allclose(f(S), np.linalg.norm(S, ord, axis=(2, 1)), rtol=1e-12)
    check_grads(f, (S,), order=1, rtol=1e-4, atol=1e-6)


def test_whole_array_and_keepdims():
    np.testing.assert_allclose(L.norm(S), np.linalg.norm(S), rtol=1e-14)
    np.testing.assert_allclose(
        L.norm(S, keepdims=True), np.linalg.norm(S, keepdims=True), rtol=1e-14
    )
    np.testing.assert_allclose(grad(L.norm)(S), S / np.linalg.norm(S), rtol=1e-14)
    check_grads(lambda a: L.norm(a, keepdims=True), (S,), order=2)


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e-310])
def test_extreme_scales_give_the_true_gradient(scale):
    x = np.array([3.0, 4.0]) * scale
    np.testing.assert_allclose(L.norm(x), 5.0 * scale, rtol=1e-15)
    np.testing.assert_allclose(grad(L.norm)(x), [0.6, 0.8], rtol=1e-15)
    _, t = jvp(L.norm, (x,), (np.array([1.0, 0.0]),))
    np.testing.assert_allclose(t, 0.6, rtol=1e-15)
    np.testing.assert_allclose(
        grad(lambda a: L.norm(a, 3))(x), np.array([9.0, 16.0]) / 91 ** (2 / 3), rtol=1e-14
    )


@pytest.mark.parametrize("ord", [None, 1, 3, np.inf, -np.inf], ids=str)
def test_zero_vector_minimum_norm_subgradient_in_both_modes(ord):
    z = np.zeros(3)
    np.testing.assert_array_equal(grad(lambda a: L.norm(a, ord))(z), np.zeros(3))
    _, t = jvp(lambda a: L.norm(a, ord), (z,), (np.ones(3),))
    assert t == 0.0
    np.testing.assert_array_equal(jacfwd(lambda a: L.norm(a, ord))(z), np.zeros(3))


def test_zero_matrix_and_hessian_at_zero_are_finite():
    np.testing.assert_array_equal(grad(lambda a: L.norm(a, "nuc"))(np.zeros((2, 2))), 0.0)
    np.testing.assert_array_equal(grad(L.norm)(np.zeros((2, 2))), 0.0)
    h = jacfwd(grad(L.norm))(np.zeros(2))
    assert np.all(np.isfinite(h))


def test_ties_share_the_derivative():
    np.testing.assert_allclose(
        grad(lambda a: L.norm(a, np.inf))(np.array([2.0, -2.0])), [0.5, -0.5]
    )


def test_list_of_traced_values_and_float32():
    x = np.array([3.0, 4.0])
    np.testing.assert_allclose(
        grad(lambda a: L.norm([a[0], 2.0 * a[1]]))(x), [3 / np.sqrt(73), 16 / np.sqrt(73)]
    )
    assert L.norm(x.astype(np.float32)).dtype == np.float32


def test_errors():
    with pytest.raises(np.exceptions.AxisError):
        L.norm(M, axis=2)
    with pytest.raises(ValueError, match="duplicate"):
        L.norm(M, axis=(1, 1))
    with pytest.raises(ValueError, match="1-D or 2-D"):
        L.norm(S, ord=2)
    with pytest.raises(ValueError):
        L.norm(M, ord=3)
