"""m4ml.nn without torch: finite-difference gradients, shapes, errors and the anchors' bugs."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml import nn
from m4ml.autodiff import check_grads, grad
from m4ml.autodiff.pytree import ravel_pytree


def _fd_check(layer, input_shape, batch=2, seed=0, train=False, state=None):
    params, st = layer.init(seed, input_shape)
    state = st if state is None else state
    x = np.random.default_rng(seed + 1).normal(size=(batch, *input_shape))
    flat, unravel = ravel_pytree(params)
    cot = np.random.default_rng(seed + 2).normal(size=layer.apply(params, state, x)[0].shape)

    def f(theta, xx):
        return mnp.sum(layer.apply(unravel(theta), state, xx, train=train)[0] * cot)

    g = grad(f)(flat, x)
    eps = 1e-6
    fd = np.array([(f(flat + eps * e, x) - f(flat - eps * e, x)) / (2 * eps)
                   for e in np.eye(flat.size)])  # fmt: skip
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7)
    gx = grad(f, argnums=1)(flat, x)
    i = (0,) * x.ndim
    e = np.zeros_like(x)
    e[i] = eps
    np.testing.assert_allclose(gx[i], (f(flat, x + e) - f(flat, x - e)) / (2 * eps), rtol=1e-6)


@pytest.mark.parametrize(
    ("layer", "shape"),
    [(nn.Dense(3), (4,)), (nn.Conv2D(2, 3, stride=2, padding=1), (2, 5, 5)),
     (nn.Sequential(nn.Conv2D(2, 2), nn.MaxPool2D(2), nn.Flatten(), nn.Dense(3)), (1, 5, 5)),
     (nn.Sequential(nn.Dense(4), nn.LayerNorm(), nn.Activation("gelu")), (3,)),
     (nn.Sequential(nn.AvgPool2D(2, padding=1), nn.Flatten()), (2, 4, 4))],
)  # fmt: skip
def test_gradients_match_finite_differences(layer, shape):
    _fd_check(layer, shape)


def test_batchnorm_training_gradient_matches_finite_differences():
    _fd_check(nn.BatchNorm(), (3,), batch=5, train=True)


def test_check_grads_second_order_through_mlp():
    net = nn.Sequential(nn.Dense(5), nn.Activation("tanh"), nn.Dense(2))
    params, state = net.init(0, (3,))
    flat, unravel = ravel_pytree(params)
    x = np.random.default_rng(0).normal(size=(4, 3))
    check_grads(lambda t: mnp.sum(net.apply(unravel(t), state, x)[0] ** 2), (flat,), order=2)


def test_initializer_variances():
    for init, var in [(nn.glorot_uniform, 2 / 700), (nn.glorot_normal, 2 / 700),
                      (nn.he_uniform, 2 / 300), (nn.he_normal, 2 / 300)]:  # fmt: skip
        W = init(0, (300, 400))
        assert abs(W.var() / var - 1) < 0.02, init.__name__
    assert nn.compute_fans((8, 3, 5, 5)) == (75, 200)
    with pytest.raises(ValueError, match="two axes"):
        nn.he_normal(0, (5,))


def test_dropout_train_masks_and_eval_is_identity():
    # anchor bug: dropout left active at predict time
    x = np.ones((200, 50))
    d = nn.Dropout(0.3)
    assert d.apply({}, {}, x)[0] is x
    y, _ = d.apply({}, {}, x, train=True, rng=0)
    assert set(np.unique(y)) == {0.0, 1 / 0.7}
    assert abs((y == 0).mean() - 0.3) < 0.02
    np.testing.assert_array_equal(y, d.apply({}, {}, x, train=True, rng=0)[0])
    with pytest.raises(ValueError, match="rng"):
        d.apply({}, {}, x, train=True)
    with pytest.raises(ValueError, match="rate"):
        nn.Dropout(1.0)
    net = nn.Sequential(nn.Dense(4), nn.Dropout(0.9))
    p, s = net.init(0, (3,))
    xx = np.ones((2, 3))
    np.testing.assert_array_equal(net.apply(p, s, xx)[0], net.apply(p, s, xx)[0])


def test_softmax_and_log_softmax_do_not_overflow():
    z = np.array([[1e4, 0.0, -1e4], [710.0, 710.0, 0.0]])
    p = nn.softmax(z)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(nn.log_softmax(z)[1, :2], np.log(0.5))
    g = grad(lambda v: mnp.sum(nn.log_softmax(v)[:, 0]))(z)
    assert np.isfinite(g).all()
    assert np.isfinite(nn.sigmoid(np.array([-1e4, 1e4]))).all()


def test_gradient_is_not_accumulated_across_calls():
    # anchor bug: running backward twice adds the gradients up
    net = nn.Sequential(nn.Dense(3), nn.Activation("relu"), nn.Dense(1))
    params, state = net.init(0, (2,))
    x = np.random.default_rng(0).normal(size=(5, 2))
    g = grad(lambda p: mnp.sum(net.apply(p, state, x)[0]))
    a, b = g(params), g(params)
    np.testing.assert_array_equal(ravel_pytree(a)[0], ravel_pytree(b)[0])


def test_batchnorm_state_is_pure_and_eval_uses_running_stats():
    bn = nn.BatchNorm()
    params, state = bn.init(None, (2,))
    x = np.array([[0.0, 1.0], [2.0, 5.0]])
    _y, new = bn.apply(params, state, x, train=True)
    np.testing.assert_array_equal(state["running_mean"], [0.0, 0.0])  # not modified in place
    np.testing.assert_allclose(new["running_mean"], [0.1, 0.3])
    _y_eval, same = bn.apply(params, new, x)
    assert same is new
    with pytest.raises(ValueError, match="more than one"):
        bn.apply(params, state, x[:1], train=True)


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(ValueError, match="units"):
        nn.Dense(0)
    with pytest.raises(ValueError, match="input_shape"):
        nn.Conv2D(2, 3).init(0, (5, 5))
    with pytest.raises(ValueError, match="larger than"):
        nn.Conv2D(2, 7).init(0, (1, 5, 5))
    with pytest.raises(TypeError, match="kernel_size"):
        nn.Conv2D(2, "a")
    with pytest.raises(ValueError, match="unknown activation"):
        nn.Activation("swish")
    with pytest.raises(ValueError, match="padding"):
        nn.MaxPool2D(2, padding=2)
    with pytest.raises(TypeError, match="layers"):
        nn.Sequential(nn.Dense(2), "relu")
    with pytest.raises(ValueError, match="one entry per layer"):
        nn.Sequential(nn.Dense(2)).apply([], [], np.ones((1, 2)))
    with pytest.raises(ValueError, match="batch, channels"):
        nn.MaxPool2D(2).apply({}, {}, np.ones((4, 4)))
