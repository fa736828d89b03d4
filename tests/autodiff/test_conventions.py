"""Issue 11's wrong values and issue 9's convention: each a regression test in both modes.

* ``x ** 0.0`` is constant, so its derivative at 0 is 0 (it was NaN);
* ``std`` identically 0 (a scalar, an axis of length 1) has derivative 0 (it was NaN); at a
  genuine kink (equal samples) both modes give the minimum-norm subgradient 0;
* away from those points the derivatives are the usual ones (finite differences)."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad, hessian, jacfwd, jvp


def test_power_zero_exponent():
    assert grad(lambda x: x**0.0)(0.0) == 0.0
    assert jvp(lambda x: x**0.0, (0.0,), (1.0,))[1] == 0.0
    assert grad(grad(lambda x: x**0.0))(0.0) == 0.0
    np.testing.assert_array_equal(grad(lambda y: mnp.sum(np.zeros(2) ** y))(0.0), 0.0)
    assert grad(lambda x: x**0.0)(2.0) == 0.0
    check_grads(lambda x: x**2.0 + x**0.0, (np.array([0.7, -1.3]),), order=2)


@pytest.mark.parametrize(
    "f, x",
    [
        (mnp.std, np.array(1.5)),
        (lambda a: mnp.sum(mnp.std(a, axis=0)), np.array([[1.0, 2.0, 3.0]])),
        (lambda a: mnp.sum(mnp.std(a, axis=1, keepdims=True)), np.ones((2, 1))),
    ],
    ids=["scalar", "axis_of_length_one", "keepdims"],
)
def test_std_identically_zero_has_zero_derivative(f, x):
    np.testing.assert_array_equal(grad(f)(x), np.zeros_like(x))
    np.testing.assert_array_equal(jacfwd(f)(x), np.zeros_like(x))
    np.testing.assert_array_equal(hessian(f)(x), np.zeros(x.shape + x.shape))
    assert not np.isnan(grad(lambda a: mnp.var(a, axis=0).sum())(np.ones((1, 3)))).any()


def test_std_of_equal_samples_is_the_minimum_norm_subgradient_in_both_modes():
    x = np.full(4, 2.0)
    np.testing.assert_array_equal(grad(mnp.std)(x), 0.0)
    assert jvp(mnp.std, (x,), (np.arange(4.0),))[1] == 0.0


def test_std_elsewhere_is_the_usual_derivative():
    x = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(grad(mnp.std)(x), (x - x.mean()) / (3 * x.std()), rtol=1e-14)
    check_grads(lambda a: mnp.std(a, axis=1, ddof=1), (np.random.default_rng(0).random((2, 4)),))
