"""m4ml.nn layers against PyTorch in float64: outputs and parameter/input gradients to 1e-10."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml import nn
from m4ml.autodiff import grad

torch = pytest.importorskip("torch")
F = torch.nn.functional
TOL = 1e-10


def _t(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=True)


def _check(layer, params, x, torch_fn, *, train=False, state=None, cot_seed=1):
    """Compare y = layer(x) and the gradients of sum(c * y) w.r.t. params and x."""
    state = {} if state is None else state
    y, _ = layer.apply(params, state, x, train=train)
    cot = np.random.default_rng(cot_seed).normal(size=y.shape)

    def f(p, xx):
        out, _ = layer.apply(p, state, xx, train=train)
        return mnp.sum(out * cot)

    gp = grad(f, argnums=0)(params, x)
    gx = grad(f, argnums=1)(params, x)
    tp = {k: _t(v) for k, v in params.items()}
    tx = _t(x)
    ty = torch_fn(tp, tx)
    (ty * torch.tensor(cot)).sum().backward()
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=0, atol=TOL)
    for k in params:
        np.testing.assert_allclose(gp[k], tp[k].grad.numpy(), rtol=0, atol=TOL)


def test_dense():
    layer = nn.Dense(7)
    params, _ = layer.init(0, (5,))
    params["b"] = np.random.default_rng(2).normal(size=7)
    x = np.random.default_rng(1).normal(size=(4, 5))
    _check(layer, params, x, lambda p, t: t @ p["W"] + p["b"])


@pytest.mark.parametrize(
    ("stride", "padding", "kernel"), [(1, 0, 3), (2, 1, 3), ((1, 2), (2, 0), (3, 2))]
)
def test_conv2d(stride, padding, kernel):
    layer = nn.Conv2D(4, kernel, stride=stride, padding=padding)
    params, _ = layer.init(0, (3, 9, 8))
    params["b"] = np.random.default_rng(3).normal(size=4)
    x = np.random.default_rng(1).normal(size=(2, 3, 9, 8))
    _check(layer, params, x,
           lambda p, t: F.conv2d(t, p["W"], p["b"], stride=stride, padding=padding))  # fmt: skip
    assert layer.apply(params, {}, x)[0].shape[1:] == layer.output_shape((3, 9, 8))


@pytest.mark.parametrize(("size", "stride", "padding"), [(2, None, 0), (3, 2, 1), ((2, 3), 1, 0)])
def test_pooling(size, stride, padding):
    x = np.random.default_rng(4).normal(size=(2, 3, 7, 8))
    mp = nn.MaxPool2D(size, stride=stride, padding=padding)
    _check(mp, {}, x, lambda p, t: F.max_pool2d(t, size, stride=stride, padding=padding))
    ap = nn.AvgPool2D(size, stride=stride, padding=padding)
    _check(ap, {}, x, lambda p, t: F.avg_pool2d(t, size, stride=stride, padding=padding))
    assert mp.apply({}, {}, x)[0].shape[1:] == mp.output_shape((3, 7, 8))


@pytest.mark.parametrize("shape", [(6, 5), (4, 3, 5, 5)])
def test_batchnorm_train_and_eval(shape):
    bn = nn.BatchNorm(momentum=0.2)
    params, state = bn.init(None, shape[1:])
    rng = np.random.default_rng(5)
    params = {"gamma": rng.normal(size=shape[1]), "beta": rng.normal(size=shape[1])}
    x = rng.normal(size=shape) * 3 + 1
    tbn = torch.nn.BatchNorm1d(shape[1]) if len(shape) == 2 else torch.nn.BatchNorm2d(shape[1])
    tbn = tbn.double()
    tbn.momentum = 0.2

    def torch_fn(p, t):
        return F.batch_norm(t, tbn.running_mean, tbn.running_var, p["gamma"], p["beta"],
                            training=True, momentum=0.2, eps=1e-5)  # fmt: skip

    _check(bn, params, x, torch_fn, train=True, state=state)
    _, new_state = bn.apply(params, state, x, train=True)
    np.testing.assert_allclose(new_state["running_mean"], tbn.running_mean.numpy(), atol=TOL)
    np.testing.assert_allclose(new_state["running_var"], tbn.running_var.numpy(), atol=TOL)
    rm, rv = tbn.running_mean.clone(), tbn.running_var.clone()
    _check(bn, params, x, lambda p, t: F.batch_norm(t, rm, rv, p["gamma"], p["beta"],
                                                    training=False, eps=1e-5),
           state=new_state)  # fmt: skip


def test_layernorm():
    ln = nn.LayerNorm()
    rng = np.random.default_rng(6)
    params = {"gamma": rng.normal(size=(3, 4)), "beta": rng.normal(size=(3, 4))}
    x = rng.normal(size=(5, 3, 4))
    _check(ln, params, x, lambda p, t: F.layer_norm(t, (3, 4), p["gamma"], p["beta"], 1e-5))


def test_dropout_eval_is_identity_like_torch():
    x = np.random.default_rng(7).normal(size=(3, 4))
    _check(nn.Dropout(0.5), {}, x, lambda p, t: F.dropout(t, 0.5, training=False))


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(nn.relu, F.relu), (lambda x: nn.leaky_relu(x, 0.1), lambda t: F.leaky_relu(t, 0.1)),
     (nn.gelu, F.gelu), (lambda x: nn.gelu(x, approximate=True),
                         lambda t: F.gelu(t, approximate="tanh")),
     (nn.tanh, torch.tanh), (nn.sigmoid, torch.sigmoid),
     (nn.softmax, lambda t: F.softmax(t, -1)), (nn.log_softmax, lambda t: F.log_softmax(t, -1))],
)  # fmt: skip
def test_activations(ours, theirs):
    _check(nn.Activation(ours), {}, np.random.default_rng(8).normal(size=(4, 6)) * 3,
           lambda p, t: theirs(t))  # fmt: skip
