"""nn.train: convergence, early stopping, callbacks, clipping, BatchNorm state, dropout, errors."""

import numpy as np
import pytest

from m4ml import nn
from m4ml.optim import SGD, Adam, cosine_decay, with_clipping


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


def test_train_reduces_loss_and_classifies():
    X, y = _blobs()
    net = nn.Sequential(nn.Dense(16), nn.BatchNorm(), nn.Activation("relu"), nn.Dropout(0.1),
                        nn.Dense(2))  # fmt: skip
    params, state = net.init(0, (2,))
    opt = with_clipping(Adam(cosine_decay(0.05, 200)), max_norm=5.0)
    params, state, hist = nn.train(net, params, state, X, y, optimizer=opt, epochs=20,
                                   batch_size=32, rng=0, progress=False)  # fmt: skip
    assert hist.loss[-1] < 0.5 * hist.loss[0]
    assert hist.n_steps == 20 * 7
    assert not np.allclose(state[1]["running_mean"], 0.0)  # BatchNorm statistics were updated
    logits, _ = net.apply(params, state, X)
    assert (np.argmax(logits, axis=1) == y).mean() > 0.95


def test_early_stopping_returns_best_epoch_and_callbacks_run():
    X, y = _blobs(seed=1)
    net = nn.Sequential(nn.Dense(32), nn.Activation("tanh"), nn.Dense(2))
    params, state = net.init(1, (2,))
    seen = []
    params, state, hist = nn.train(
        net, params, state, X, y, optimizer=SGD(0.5, momentum=0.9), epochs=200,
        batch_size=16, validation_split=0.3, patience=3, rng=1, progress=False,
        callbacks=[lambda e, p, s, h: seen.append(e)],
    )  # fmt: skip
    assert hist.stopped_epoch is not None and hist.stopped_epoch < 199
    assert hist.stopped_epoch - hist.best_epoch == 3
    assert seen == list(range(hist.stopped_epoch + 1))
    assert len(hist.val_loss) == len(hist.loss)
    Xv, yv = X[:60], y[:60]  # validation rows are a subset of X; loss on them is finite
    assert np.isfinite(nn.cross_entropy_loss(net.apply(params, state, Xv)[0], yv))


def test_callback_can_stop_and_mse_loss():
    X = np.linspace(-1, 1, 40)[:, None]
    y = 3 * X
    net = nn.Dense(1)
    params, state = net.init(0, (1,))
    params, _, hist = nn.train(net, params, state, X, y, loss="mse", optimizer=SGD(0.1),
                               epochs=100, batch_size=40, progress=False,
                               callbacks=[lambda e, p, s, h: h.loss[-1] < 1e-3])  # fmt: skip
    assert hist.loss[-1] < 1e-3 and len(hist.loss) < 100


def test_train_errors():
    X, y = _blobs()
    net = nn.Dense(2)
    p, s = net.init(0, (2,))
    with pytest.raises(ValueError, match="lengths"):
        nn.train(net, p, s, X, y[:-1])
    with pytest.raises(ValueError, match="loss"):
        nn.train(net, p, s, X, y, loss="hinge")
    with pytest.raises(TypeError, match="optimizer"):
        nn.train(net, p, s, X, y, optimizer="adam")
    with pytest.raises(ValueError, match="patience"):
        nn.train(net, p, s, X, y, patience=2)
    with pytest.raises(ValueError, match="batch_size"):
        nn.train(net, p, s, X, y, batch_size=0)
    with pytest.raises(ValueError, match="non-finite"):
        nn.train(net, p, s, X * 1e200, y, optimizer=SGD(1e10), epochs=3, progress=False)
