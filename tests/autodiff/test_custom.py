"""Custom primitives: declared rules are used in both modes, to higher order, with batching;
missing rules raise naming the primitive."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, defjvp, defvjp, grad, hessian, jacfwd, jacrev, primitive


@primitive
def softplus(x):
    return np.logaddexp(0.0, x)


def _sigmoid(x):
    return 1.0 / (1.0 + mnp.exp(-x))


defvjp(softplus, lambda g, ans, x: g * _sigmoid(x))
defjvp(softplus, lambda t, ans, x: t * _sigmoid(x))


@primitive(name="scaled_sum")
def scaled_sum(x, w, axis=-1):
    return np.sum(x * w, axis=axis)


def _expand(g, axis):
    return mnp.expand_dims(g, axis)


defvjp(
    scaled_sum,
    lambda g, ans, x, w, axis=-1: _expand(g, axis) * w,
    lambda g, ans, x, w, axis=-1: _expand(g, axis) * x,
)
defjvp(
    scaled_sum,
    lambda t, ans, x, w, axis=-1: mnp.sum(t * w, axis=axis),
    lambda t, ans, x, w, axis=-1: mnp.sum(x * t, axis=axis),
)


def test_custom_rules_both_modes_order_2(rng):
    x = rng.standard_normal((2, 3))
    check_grads(softplus, (x,), order=2)
    check_grads(lambda a, b: scaled_sum(a, b), (x, rng.standard_normal(3)), order=2)
    np.testing.assert_allclose(jacfwd(softplus)(x[0]), jacrev(softplus)(x[0]), rtol=1e-14)
    h = hessian(lambda a: mnp.sum(softplus(a)))(x[0])
    s = 1 / (1 + np.exp(-x[0]))
    np.testing.assert_allclose(h, np.diag(s * (1 - s)), rtol=1e-12)


def test_missing_rules_raise():
    @primitive
    def no_rules(x):
        return x * 2

    with pytest.raises(NotImplementedError, match="VJP rule of m4ml primitive 'no_rules'"):
        grad(lambda a: no_rules(a))(1.0)
    with pytest.raises(NotImplementedError, match="JVP rule of m4ml primitive 'no_rules'"):
        jacfwd(no_rules)(np.ones(2))
    with pytest.raises(TypeError, match=r"made by m4ml\.autodiff\.primitive"):
        defvjp(np.sin, lambda g, ans, x: g)
    with pytest.raises(TypeError, match=r"made by m4ml\.autodiff\.primitive"):
        defjvp(np.sin, lambda g, ans, x: g)


def test_primitive_on_plain_arrays_is_the_function():
    x = np.array([0.0, 1.0])
    np.testing.assert_array_equal(softplus(x), np.logaddexp(0.0, x))
    assert "softplus" in repr(softplus)
