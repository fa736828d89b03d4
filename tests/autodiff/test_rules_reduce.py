"""Reductions and cumsum: values equal NumPy's; check_grads both modes, order 2, over axis and
keepdims variants; ties and zeros handled."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad, jacfwd, jacrev

AXES = [None, 0, 1, -1, (0, 1)]
REDUCTIONS = ["sum", "mean", "prod", "max", "min", "var", "std", "logsumexp"]


def _reference(name):
    if name == "logsumexp":
        from scipy.special import logsumexp

        return logsumexp
    return getattr(np, name)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_values_and_grads(name, axis, keepdims, rng):
    x = rng.standard_normal((2, 3))
    f = getattr(mnp, name)
    np.testing.assert_allclose(
        f(x, axis=axis, keepdims=keepdims),
        _reference(name)(x, axis=axis, keepdims=keepdims),
        rtol=1e-13,
    )
    check_grads(lambda a: f(a, axis=axis, keepdims=keepdims), (x,), order=2)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_of_scalar_and_vector(name, rng):
    check_grads(getattr(mnp, name), (rng.standard_normal(4),), order=2)
    if name != "std":  # the std of one number is sqrt(0): no derivative (documented)
        check_grads(lambda a: getattr(mnp, name)(a) * 1.0, (np.array(0.7),), order=2)


def test_var_std_ddof(rng):
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(mnp.var(x, axis=0, ddof=1), np.var(x, axis=0, ddof=1))
    np.testing.assert_allclose(mnp.std(x, ddof=1), np.std(x, ddof=1))
    check_grads(lambda a: mnp.std(a, axis=1, ddof=1), (x,), order=2)


def test_prod_with_zeros():
    for x in (np.array([2.0, 0.0, 3.0]), np.array([0.0, 0.0, 3.0]), np.array([1.5, 2.0, 3.0])):
        g = grad(mnp.prod)(x)
        expected = [np.prod(np.delete(x, i)) for i in range(3)]
        np.testing.assert_allclose(g, expected)
        np.testing.assert_allclose(jacfwd(mnp.prod)(x), expected)
    check_grads(lambda a: mnp.prod(a, axis=0), (np.array([[0.0, 1.0], [2.0, 3.0]]),), order=2)


def test_max_ties_share_the_gradient():
    x = np.array([1.0, 3.0, 3.0, 2.0])
    np.testing.assert_allclose(grad(mnp.max)(x), [0, 0.5, 0.5, 0])
    np.testing.assert_allclose(jacfwd(mnp.max)(x), [0, 0.5, 0.5, 0])
    np.testing.assert_allclose(grad(mnp.min)(x), [1, 0, 0, 0])


def test_logsumexp_is_stable():
    x = np.array([1000.0, 1000.0])
    assert mnp.logsumexp(x) == pytest.approx(1000.0 + np.log(2.0))
    np.testing.assert_allclose(grad(mnp.logsumexp)(x), [0.5, 0.5])
    x = np.array([-np.inf, 0.0])
    assert mnp.logsumexp(x) == 0.0


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_cumsum(axis, rng):
    x = rng.standard_normal((2, 3))
    np.testing.assert_allclose(mnp.cumsum(x, axis=axis), np.cumsum(x, axis=axis))
    check_grads(lambda a: mnp.cumsum(a, axis=axis), (x,), order=2)
    np.testing.assert_allclose(jacfwd(mnp.cumsum)(x[0]), jacrev(mnp.cumsum)(x[0]))


def test_mean_of_matrix_grad_closed_form(rng):
    x = rng.standard_normal((4, 5))
    np.testing.assert_allclose(grad(mnp.mean)(x), np.full((4, 5), 1 / 20))
    g = grad(lambda a: mnp.var(a))(x)
    np.testing.assert_allclose(g, 2 * (x - x.mean()) / x.size)
