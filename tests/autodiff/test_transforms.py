"""Transforms: gradients agree with HIPS autograd on 30+ composite functions; jacfwd == jacrev;
the Hessian is symmetric and its columns equal hvp; any nesting works; an MLP's parameter
gradients match finite differences; argnums/has_aux/pytrees; errors."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import (
    elementwise_grad,
    grad,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    value_and_grad,
    vjp,
)

ag = pytest.importorskip("autograd")
anp = pytest.importorskip("autograd.numpy")


def _softmax(np_, x):
    e = np_.exp(x - np_.max(x))
    return e / np_.sum(e)


# each composite is written once against a namespace (m4ml.numpy or autograd.numpy)
COMPOSITES = {
    "poly": lambda n, x: n.sum(x**3 - 2 * x**2 + x),
    "sin_cos": lambda n, x: n.sum(n.sin(x) * n.cos(2 * x)),
    "exp_log": lambda n, x: n.sum(n.log(1 + n.exp(x))),
    "tanh_chain": lambda n, x: n.sum(n.tanh(n.tanh(x) * 2.0)),
    "softmax_entropy": lambda n, x: -n.sum(_softmax(n, x) * n.log(_softmax(n, x))),
    "sqrt_norm": lambda n, x: n.sqrt(n.sum(x**2) + 1.0),
    "rational": lambda n, x: n.sum(x / (1.0 + x**2)),
    "outer_quad": lambda n, x: n.sum(n.outer(x, x) ** 2),
    "matvec": lambda n, x: n.sum(n.dot(n.reshape(n.arange(16.0), (4, 4)), x) ** 2),
    "cumsum": lambda n, x: n.sum(n.cumsum(x) ** 2),
    "prod": lambda n, x: n.prod(x + 2.0),
    "max": lambda n, x: n.max(x**2),
    "mean_var": lambda n, x: n.mean(x) * n.var(x),
    "std": lambda n, x: n.std(x * 3.0),
    "where": lambda n, x: n.sum(n.where(x > 0, x**2, -x)),
    "abs": lambda n, x: n.sum(n.abs(x) ** 1.5),
    "clip": lambda n, x: n.sum(n.clip(x, -0.5, 0.5) * x),
    "maximum": lambda n, x: n.sum(n.maximum(x, 0.3 * x)),
    "concat": lambda n, x: n.sum(n.concatenate([x, x**2]) ** 2),
    "stack": lambda n, x: n.sum(n.stack([x, n.sin(x)], axis=1) ** 3),
    "index": lambda n, x: x[0] * x[1] + n.sum(x[1:] ** 2) - x[-1],
    "reshape_T": lambda n, x: n.sum(n.reshape(x, (2, 2)).T @ n.reshape(x, (2, 2))),
    "einsum": lambda n, x: n.einsum("i,i->", x, n.exp(x)),
    "logsumexp": lambda n, x: n.log(n.sum(n.exp(x))),
    "logaddexp": lambda n, x: n.sum(n.logaddexp(x, 0.5 * x)),
    "log1p_expm1": lambda n, x: n.sum(n.log1p(x**2) + n.expm1(x)),
    "arctan": lambda n, x: n.sum(n.arctan(x) + n.arcsinh(x)),
    "power": lambda n, x: n.sum((x**2 + 1.0) ** x),
    "sort": lambda n, x: n.sum(n.sort(x) * n.arange(4.0)),
    "det": lambda n, x: n.linalg.det(n.reshape(x, (2, 2)) + 3.0 * n.eye(2)),
    "inv": lambda n, x: n.sum(n.linalg.inv(n.reshape(x, (2, 2)) + 3.0 * n.eye(2))),
    "solve": lambda n, x: n.sum(n.linalg.solve(n.reshape(x, (2, 2)) + 3.0 * n.eye(2), x[:2])),
    "cholesky": lambda n, x: n.sum(n.linalg.cholesky(n.outer(x, x) + n.eye(4))),
    "eigh": lambda n, x: n.sum(n.linalg.eigh(n.outer(x, x) + n.diag(n.arange(4.0)))[0] ** 2),
    "norm": lambda n, x: n.linalg.norm(x) + n.linalg.norm(n.reshape(x, (2, 2))),
    "slogdet": lambda n, x: n.linalg.slogdet(n.reshape(x, (2, 2)) + 3.0 * n.eye(2))[1],
    "tensordot": lambda n, x: n.sum(n.tensordot(n.reshape(x, (2, 2)), n.reshape(x, (2, 2)), 1)),
    "mlp": lambda n, x: n.sum(n.tanh(n.tanh(n.outer(x, x)) @ x)),
}


@pytest.mark.filterwarnings(
    "ignore:Output seems independent of input"
)  # autograd, piecewise linear
@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_gradient_agrees_with_autograd(name):
    x = np.array([0.3, -0.7, 1.1, 0.45])  # away from kinks, where conventions differ
    f = COMPOSITES[name]
    ours = grad(lambda v: f(mnp, v))(x)
    theirs = ag.grad(lambda v: f(anp, v))(x)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    ours_h = hessian(lambda v: f(mnp, v))(x)
    theirs_h = ag.hessian(lambda v: f(anp, v))(x)
    np.testing.assert_allclose(ours_h, theirs_h, rtol=1e-8, atol=1e-10)


VECTOR_FUNS = {
    "elementwise": lambda x: mnp.sin(x) * x,
    "matrix": lambda x: mnp.tanh(mnp.outer(x, x)) @ x,
    "reduce": lambda x: mnp.stack([mnp.sum(x), mnp.prod(x), mnp.max(x)]),
    "softmax": lambda x: mnp.exp(x - mnp.logsumexp(x)),
    "to_matrix": lambda x: mnp.outer(x, mnp.cumsum(x)),
}


@pytest.mark.parametrize("name", sorted(VECTOR_FUNS))
def test_jacfwd_equals_jacrev(name, rng):
    x = rng.standard_normal(4)
    f = VECTOR_FUNS[name]
    jf, jr = jacfwd(f)(x), jacrev(f)(x)
    np.testing.assert_allclose(jf, jr, rtol=1e-12, atol=1e-14)
    assert jacobian is jacrev
    eps = 1e-6
    fd = np.stack([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(4)], axis=-1)
    np.testing.assert_allclose(jf, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["poly", "softmax_entropy", "mlp", "det", "eigh", "power"])
def test_hessian_symmetric_and_equals_hvp_columns(name):
    x = np.array([0.3, -0.7, 1.1, 0.5])
    f = lambda v: COMPOSITES[name](mnp, v)  # noqa: E731
    h = hessian(f)(x)
    np.testing.assert_allclose(h, h.T, rtol=1e-10, atol=1e-12)
    cols = np.stack([hvp(f, x, e) for e in np.eye(4)], axis=1)
    np.testing.assert_allclose(h, cols, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jacrev(jacfwd(f))(x), h, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jacrev(jacrev(f))(x), h, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jacfwd(grad(f))(x), h, rtol=1e-10, atol=1e-12)


def test_nesting():
    f = lambda x: x * mnp.sin(x)  # noqa: E731
    x = 0.7
    d3 = grad(grad(grad(f)))(x)
    assert d3 == pytest.approx(-3 * np.sin(x) - x * np.cos(x), rel=1e-12)
    assert jacfwd(jacfwd(jacfwd(f)))(x) == pytest.approx(d3, rel=1e-12)

    def uses_grad(v):  # a function that itself calls grad
        return mnp.sum(grad(lambda w: mnp.sum(mnp.sin(w) * v))(v) ** 2)

    v = np.array([0.2, 0.9])
    # d/dv sum((cos v * v)^2) with the inner gradient cos(w) * v at w = v
    g = grad(uses_grad)(v)
    expected = 2 * np.cos(v) * v * (np.cos(v) - v * np.sin(v))
    np.testing.assert_allclose(g, expected, rtol=1e-12)
    h = hessian(uses_grad)(v)
    np.testing.assert_allclose(h, h.T, rtol=1e-12)
    # perturbation confusion (Siskind & Pearlmutter): d/dx [x * d/dy (x + y)] = 1
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(2.0) == 1.0
    assert jacfwd(lambda x: x * jacfwd(lambda y: x * y)(1.0))(2.0) == pytest.approx(4.0)


def _mlp_loss(params, X, y):
    h = mnp.tanh(X @ params["W1"] + params["b1"])
    logits = h @ params["W2"] + params["b2"]
    logp = logits - mnp.logsumexp(logits, axis=1, keepdims=True)
    return -mnp.mean(logp[np.arange(len(y)), y])


def test_mlp_parameter_gradients_match_finite_differences(rng):
    X = rng.standard_normal((8, 5))
    y = rng.integers(0, 3, 8)
    params = {
        "W1": rng.standard_normal((5, 4)) * 0.5,
        "b1": rng.standard_normal(4) * 0.1,
        "W2": rng.standard_normal((4, 3)) * 0.5,
        "b2": rng.standard_normal(3) * 0.1,
    }
    g = grad(_mlp_loss)(params, X, y)
    eps = 1e-6
    for key, value in params.items():
        fd = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            up = {k: v.copy() for k, v in params.items()}
            down = {k: v.copy() for k, v in params.items()}
            up[key][idx] += eps
            down[key][idx] -= eps
            fd[idx] = (_mlp_loss(up, X, y) - _mlp_loss(down, X, y)) / (2 * eps)
        np.testing.assert_allclose(g[key], fd, rtol=1e-6, atol=1e-9)


def test_argnums_has_aux_value_and_grad():
    f = lambda x, y: (x**2 * y, {"aux": x + y})  # noqa: E731
    (val, aux), (gx, gy) = value_and_grad(f, argnums=(0, 1), has_aux=True)(3.0, 2.0)
    assert (val, gx, gy) == (18.0, 12.0, 9.0) and aux["aux"] == 5.0
    gy, aux = grad(f, argnums=1, has_aux=True)(3.0, 2.0)
    assert gy == 9.0 and aux["aux"] == 5.0
    assert grad(lambda x, y: x * y, argnums=-1)(3.0, 2.0) == 3.0
    jac, aux = jacrev(lambda x: (x * 2.0, 7), has_aux=True)(np.ones(2))
    np.testing.assert_array_equal(jac, 2 * np.eye(2))
    assert aux == 7
    assert grad(lambda x, k=1.0: k * x)(1.0, k=3.0) == 3.0


def test_vjp_jvp_multiple_arguments(rng):
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    _out, f_vjp = vjp(lambda x, y: mnp.sin(x) * y, a, b)
    ga, gb = f_vjp(np.ones((2, 3)))
    np.testing.assert_allclose(ga, np.cos(a) * b)
    np.testing.assert_allclose(gb, np.sin(a).sum(0))
    _, t = jvp(lambda x, y: mnp.sin(x) * y, (a, b), (np.ones((2, 3)), np.zeros(3)))
    np.testing.assert_allclose(t, np.cos(a) * b)
    np.testing.assert_allclose(elementwise_grad(lambda x: x**3)(b), 3 * b**2)


def test_constant_function_has_zero_gradient():
    np.testing.assert_array_equal(grad(lambda x: 3.0)(np.ones(2)), np.zeros(2))
    np.testing.assert_array_equal(jacfwd(lambda x: np.ones(3))(np.ones(2)), np.zeros((3, 2)))
    np.testing.assert_array_equal(
        jacrev(lambda x: mnp.sum(x) * np.ones(3))(np.ones(2)), np.ones((3, 2))
    )


def test_errors():
    with pytest.raises(ValueError, match="argnums"):
        grad(lambda x: x, argnums=2)(1.0)
    with pytest.raises(TypeError, match="pair"):
        grad(lambda x: x, has_aux=True)(1.0)
    with pytest.raises(TypeError, match="tuples"):
        jvp(lambda x: x, 1.0, 1.0)
    with pytest.raises(ValueError, match="tangent of shape"):
        jvp(lambda x: x, (np.ones(2),), (np.ones(3),))
    with pytest.raises(ValueError, match="cotangent structure"):
        vjp(lambda x: (x, x), 1.0)[1](1.0)


def test_gradient_dtype_follows_the_input():
    x = np.ones(3, dtype=np.float32)
    g = grad(lambda a: mnp.sum(a * np.float64(2.0)))(x)  # float64 constant upcasts the value
    assert g.dtype == np.float32
    np.testing.assert_array_equal(g, 2.0)
    assert grad(lambda a: mnp.sum(a**2))(np.ones(2)).dtype == np.float64


def test_grad_accepts_one_element_outputs_as_autograd_does():
    x = np.array([1.0, 2.0])
    for shape in [(1,), (1, 1)]:
        g = grad(lambda a, s=shape: mnp.reshape(mnp.sum(a**2), s))(x)
        np.testing.assert_allclose(g, 2 * x)
    with pytest.raises(TypeError, match="scalar output"):
        grad(lambda a: a * 2.0)(x)


def test_transforms_keep_the_function_name_and_doc():
    def loss(w):
        """A documented loss."""
        return mnp.sum(w**2)

    for t in (grad, value_and_grad, elementwise_grad, jacfwd, jacrev):
        assert t(loss).__name__ == "loss"
        assert t(loss).__doc__ == "A documented loss."
        assert t(loss).__wrapped__ is loss
