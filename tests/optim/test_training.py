"""fit_gd: batch GD equals plain GD, reproducible SGD, early stopping, callbacks, errors."""

import io

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.optim import training
from m4ml.optim.losses_classification import binary_cross_entropy
from m4ml.optim.optimizers import SGD, Adam
from m4ml.optim.training import History, fit_gd


def _linear(rng, n=40, d=3):
    X = rng.standard_normal((n, d))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + 0.05 * rng.standard_normal(n)
    return X, y


def _mse(p, X, y):
    return mnp.mean((X @ p["w"] + p["b"] - y) ** 2)


P0 = {"w": np.zeros(3), "b": np.zeros(())}


def test_batch_gd_equals_plain_gradient_descent(rng):
    X, y = _linear(rng)
    p, hist = fit_gd(_mse, P0, X, y, SGD(0.1), epochs=30)
    w, b = np.zeros(3), 0.0
    losses = []
    for _ in range(30):
        r = X @ w + b - y
        losses.append(np.mean(r**2))
        w, b = w - 0.1 * 2 * X.T @ r / len(y), b - 0.1 * 2 * np.mean(r)
    np.testing.assert_allclose(p["w"], w, rtol=1e-12)
    np.testing.assert_allclose(p["b"], b, rtol=1e-12)
    np.testing.assert_allclose(hist.loss, losses, rtol=1e-12)
    assert hist.n_steps == 30 and hist.stopped_epoch is None and hist.val_loss == []


def test_stochastic_and_minibatch_are_reproducible_and_converge(rng):
    X, y = _linear(rng)
    a, ha = fit_gd(_mse, P0, X, y, SGD(0.05), batch_size=1, epochs=5, rng=3)
    b, hb = fit_gd(_mse, P0, X, y, SGD(0.05), batch_size=1, epochs=5, rng=3)
    c, _ = fit_gd(_mse, P0, X, y, SGD(0.05), batch_size=1, epochs=5, rng=4)
    np.testing.assert_array_equal(a["w"], b["w"])
    assert ha.loss == hb.loss and ha.n_steps == 200
    assert not np.array_equal(a["w"], c["w"])
    m, hm = fit_gd(_mse, P0, X, y, Adam(0.05), batch_size=7, epochs=60, rng=0)
    assert hm.n_steps == 60 * 6  # 40 samples in batches of 7: five full and one of 5
    np.testing.assert_allclose(m["w"], [1.0, -2.0, 0.5], atol=0.05)
    assert hm.loss[-1] < 0.01 < hm.loss[0]


def test_minibatch_epoch_loss_is_the_weighted_batch_mean(rng):
    X, y = _linear(rng, n=10)
    seen = []

    def vg(p, Xb, yb):
        seen.append(len(Xb))
        return float(len(Xb)), {"w": np.zeros(3), "b": np.zeros(())}

    _, h = fit_gd(_mse, P0, X, y, SGD(0.1), batch_size=4, epochs=1, shuffle=False,
                  value_and_grad_fn=vg)  # fmt: skip
    assert seen == [4, 4, 2]
    assert h.loss == [pytest.approx((16 + 16 + 4) / 10)]


def test_unshuffled_minibatches_follow_the_data_order(rng):
    X, y = _linear(rng, n=6)
    order = []

    def vg(p, Xb, yb):
        order.extend(Xb[:, 0].tolist())
        return 0.0, {"w": np.zeros(3), "b": np.zeros(())}

    fit_gd(_mse, P0, X, y, SGD(0.1), batch_size=4, epochs=2, shuffle=False, value_and_grad_fn=vg)
    np.testing.assert_array_equal(order, np.tile(X[:, 0], 2))


def test_early_stopping_restores_the_best_epoch(rng):
    # overfit a tiny noisy training set; the validation loss turns up and training stops
    Xt, yt = rng.standard_normal((8, 3)), rng.standard_normal(8)
    Xv, yv = rng.standard_normal((50, 3)), rng.standard_normal(50)
    snaps = {}

    def record(epoch, params, history):
        snaps[epoch] = {k: np.array(v) for k, v in params.items()}

    p, h = fit_gd(
        _mse, P0, Xt, yt, SGD(0.05), epochs=500, validation_data=(Xv, yv),
        early_stopping_patience=5, callbacks=[record],
    )  # fmt: skip
    assert h.stopped_epoch is not None and h.stopped_epoch < 499
    assert h.stopped_epoch - h.best_epoch == 5
    assert h.best_epoch == int(np.argmin(h.val_loss))
    np.testing.assert_array_equal(p["w"], snaps[h.best_epoch]["w"])
    assert float(_mse(p, Xv, yv)) == pytest.approx(min(h.val_loss), rel=1e-14)


def test_callback_can_stop_and_logistic_regression_trains(rng):
    X = rng.standard_normal((100, 2))
    y = (X[:, 0] - X[:, 1] > 0).astype(float)

    def loss(p, X, y):
        return binary_cross_entropy(y, X @ p, from_logits=True)

    p, h = fit_gd(loss, np.zeros(2), X, y, Adam(0.1), epochs=100,
                  callbacks=[lambda e, p, h: h.loss[-1] < 0.2])  # fmt: skip
    assert h.stopped_epoch == len(h.loss) - 1 and h.loss[-1] < 0.2
    assert p[0] > 0 > p[1]


def test_progress_bar_writes_to_stderr(rng, monkeypatch):
    X, y = _linear(rng, n=5)
    buf = io.StringIO()
    monkeypatch.setattr(training.sys, "stderr", buf)
    fit_gd(_mse, P0, X, y, SGD(0.1), epochs=3, progress=True)
    out = buf.getvalue()
    assert "epoch 3/3" in out and out.count("\r") == 3 and out.endswith("\n")
    buf2 = io.StringIO()
    monkeypatch.setattr(training.sys, "stderr", buf2)
    fit_gd(_mse, P0, X, y, SGD(0.1), epochs=3)  # StringIO is not a terminal: silent
    assert buf2.getvalue() == ""


def test_unsupervised_loss_without_y(rng):
    X = rng.standard_normal((30, 2)) + np.array([3.0, -1.0])
    p, h = fit_gd(lambda p, X, y: mnp.mean(mnp.sum((X - p) ** 2, axis=1)), np.zeros(2), X,
                  optimizer=SGD(0.25), epochs=50)  # fmt: skip
    np.testing.assert_allclose(p, X.mean(0), atol=1e-8)
    assert isinstance(h, History)


def test_errors(rng):
    X, y = _linear(rng, n=5)
    with pytest.raises(TypeError, match="optimizer"):
        fit_gd(_mse, P0, X, y, "sgd")
    with pytest.raises(ValueError, match="5 samples"):
        fit_gd(_mse, P0, X, y[:3], SGD(0.1))
    with pytest.raises(ValueError, match="batch_size"):
        fit_gd(_mse, P0, X, y, SGD(0.1), batch_size=0)
    with pytest.raises(ValueError, match="validation_data"):
        fit_gd(_mse, P0, X, y, SGD(0.1), early_stopping_patience=3)
    with pytest.raises(ValueError, match="diverged"):
        fit_gd(_mse, P0, X * 1e3, y, SGD(10.0), epochs=50)
    with pytest.raises(TypeError, match="callbacks"):
        fit_gd(_mse, P0, X, y, SGD(0.1), callbacks=[1])
    with pytest.raises(ValueError, match="pair"):
        fit_gd(_mse, P0, X, y, SGD(0.1), validation_data=X)
