"""Property tests (hypothesis): identities that hold for every input.

jacfwd == jacrev; the Hessian is symmetric; <grad f, v> equals the JVP along v; VJPs are linear
in the cotangent; second derivatives from any mode combination agree."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import m4ml.numpy as mnp
from m4ml.autodiff import grad, hessian, jacfwd, jacrev, jvp, vjp

floats = st.floats(-2.0, 2.0, allow_nan=False, width=64)
vectors = st.integers(1, 4).flatmap(lambda n: arrays(np.float64, (n,), elements=floats))


def _f(x):
    A = np.linspace(-1.0, 1.0, x.size * x.size).reshape(x.size, x.size)
    return mnp.tanh(A @ x) * x + mnp.logaddexp(x, 0.3) - mnp.cumsum(mnp.sin(x))


def _scalar(x):
    return mnp.logsumexp(_f(x)) + mnp.sum(x**2) * mnp.max(mnp.cos(x))


@settings(max_examples=25, deadline=None)
@given(vectors)
def test_jacfwd_equals_jacrev(x):
    np.testing.assert_allclose(jacfwd(_f)(x), jacrev(_f)(x), rtol=1e-12, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(vectors)
def test_hessian_is_symmetric_and_modes_agree(x):
    h = hessian(_scalar)(x)
    np.testing.assert_allclose(h, h.T, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(jacrev(jacrev(_scalar))(x), h, rtol=1e-10, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(vectors, st.data())
def test_gradient_dot_direction_equals_jvp(x, data):
    v = data.draw(arrays(np.float64, x.shape, elements=floats))
    _, t = jvp(_scalar, (x,), (v,))
    np.testing.assert_allclose(grad(_scalar)(x) @ v, t, rtol=1e-10, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(vectors, st.data(), floats, floats)
def test_vjp_is_linear_in_the_cotangent(x, data, a, b):
    u = data.draw(arrays(np.float64, x.shape, elements=floats))
    w = data.draw(arrays(np.float64, x.shape, elements=floats))
    _, f_vjp = vjp(_f, x)
    lhs = f_vjp(a * u + b * w)[0]
    rhs = a * f_vjp(u)[0] + b * f_vjp(w)[0]
    np.testing.assert_allclose(lhs, rhs, rtol=1e-10, atol=1e-10)
