r"""The training loop of :mod:`m4ml.nn`: mini-batch gradient descent over a layer's parameters
with any :mod:`m4ml.optim` optimizer, schedule and clipping, a validation split with early
stopping, a history, callbacks and a progress bar on a terminal.

One step on a batch :math:`B` is
:math:`\theta \leftarrow \mathrm{opt}\big(\theta, \nabla_\theta \tfrac{1}{|B|}\sum_{i\in B}
\ell(f_\theta(x_i), y_i)\big)` with the gradient from :func:`m4ml.autodiff.value_and_grad`;
non-trained state (BatchNorm's running statistics) is threaded through, and each batch gets
its own dropout generator.
"""

import sys
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

import m4ml.numpy as mnp
from m4ml._core.hints import ArrayLike, PyTree, Seed
from m4ml._core.random import check_rng
from m4ml.autodiff import value_and_grad
from m4ml.nn.activations import log_softmax
from m4ml.nn.layers import Layer
from m4ml.optim import Adam, History
from m4ml.optim._optimizer_base import Optimizer
from m4ml.optim.training import _Progress

__all__ = ["cross_entropy_loss", "mse_loss", "train"]


def cross_entropy_loss(logits: ArrayLike, y: ArrayLike) -> float:
    r"""Mean softmax cross-entropy :math:`-\frac1n\sum_i \log\mathrm{softmax}(z_i)_{y_i}` for
    integer labels ``y`` (log-softmax, so large logits never overflow).

    Examples
    --------
    >>> round(float(cross_entropy_loss(np.array([[3.0, 3.0]]), np.array([0]))), 12)  # log 2
    0.69314718056
    """
    y = np.asarray(y, dtype=np.intp)
    logp = log_softmax(logits, axis=-1)
    return -mnp.mean(logp[np.arange(y.shape[0]), y])


def mse_loss(pred: ArrayLike, y: ArrayLike) -> float:
    r"""Mean squared error :math:`\frac1n\sum_i \lVert \hat y_i - y_i\rVert^2`.

    Examples
    --------
    >>> float(mse_loss(np.array([[1.0], [3.0]]), np.array([[0.0], [3.0]])))
    0.5
    """
    r = pred - np.reshape(y, np.shape(pred))
    return mnp.mean(mnp.sum(mnp.reshape(r * r, (r.shape[0], -1)), axis=1))


_LOSSES = {"cross_entropy": cross_entropy_loss, "mse": mse_loss}


def train(
    model: Layer,
    params: PyTree,
    state: PyTree,
    X: ArrayLike,
    y: ArrayLike,
    *,
    loss: Literal["cross_entropy", "mse"] | Callable[..., Any] = "cross_entropy",
    optimizer: Optimizer | None = None,
    epochs: int = 10,
    batch_size: int = 32,
    shuffle: bool = True,
    validation_split: float = 0.0,
    validation_data: tuple[ArrayLike, ArrayLike] | None = None,
    patience: int | None = None,
    callbacks: Sequence[Callable[[int, PyTree, PyTree, History], bool | None]] = (),
    rng: Seed = None,
    progress: bool | None = None,
) -> tuple[PyTree, PyTree, History]:
    r"""Train ``model`` (an :mod:`m4ml.nn` layer) on ``(X, y)`` by mini-batch gradient descent.

    Parameters
    ----------
    model : m4ml.nn.Layer
        Usually a :class:`~m4ml.nn.Sequential`.
    params, state : pytree
        From ``model.init``.
    X, y : array_like
        Inputs ``(n, ...)`` and targets (labels for ``"cross_entropy"``).
    loss : {"cross_entropy", "mse"} or callable
        ``loss(outputs, y_batch) -> scalar``, written with :mod:`m4ml.numpy`.
    optimizer : m4ml.optim.Optimizer, optional
        Any m4ml optimizer, with a schedule as its learning rate and
        :class:`~m4ml.optim.with_clipping` for clipping (default ``Adam(1e-3)``).
    epochs, batch_size : int
    shuffle : bool
    validation_split : float in [0, 1)
        Fraction of the (shuffled) data held out for validation, unless ``validation_data``.
    validation_data : tuple (X_val, y_val), optional
    patience : int, optional
        Early stopping: stop when the validation loss has not improved for ``patience`` epochs
        and return the best epoch's parameters and state.
    callbacks : sequence of callables
        ``cb(epoch, params, state, history)`` after every epoch; returning ``True`` stops.
    rng : None, int or Generator
        Shuffling, the validation split and dropout masks.
    progress : bool, optional
        A progress bar on stderr; by default only when stderr is a terminal.

    Returns
    -------
    params, state : pytree
    history : m4ml.optim.History
        ``loss`` and ``val_loss`` per epoch, ``best_epoch``, ``stopped_epoch``, ``n_steps``.

    Raises
    ------
    ValueError
        Mismatched lengths, bad sizes or fractions, ``patience`` without validation data, an
        unknown loss, or a non-finite loss (divergence: lower the learning rate).
    TypeError
        ``optimizer`` is not an m4ml optimizer.

    Examples
    --------
    >>> from m4ml import nn
    >>> from m4ml.optim import Adam
    >>> X = np.random.default_rng(0).normal(size=(64, 2)); y = (X[:, 0] > 0).astype(int)
    >>> net = nn.Sequential(nn.Dense(8), nn.Activation("relu"), nn.Dense(2))
    >>> params, state = net.init(0, (2,))
    >>> params, state, hist = train(net, params, state, X, y, optimizer=Adam(0.05),
    ...                             epochs=30, batch_size=16, rng=0, progress=False)
    >>> bool(hist.loss[-1] < 0.3 * hist.loss[0])
    True
    """
    loss_fn = _LOSSES.get(loss) if isinstance(loss, str) else loss
    if not callable(loss_fn):
        raise ValueError(f"loss must be one of {sorted(_LOSSES)} or a callable, got {loss!r}")
    optimizer = Adam(1e-3) if optimizer is None else optimizer
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an m4ml.optim optimizer, got {optimizer!r}")
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y have different lengths: {X.shape[0]} and {y.shape[0]}")
    for name, v in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if not 0.0 <= float(validation_split) < 1.0:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split}")
    rng = check_rng(rng)
    if validation_data is None and validation_split > 0:
        idx = rng.permutation(X.shape[0])
        n_val = max(1, round(validation_split * X.shape[0]))
        validation_data = (X[idx[:n_val]], y[idx[:n_val]])
        X, y = X[idx[n_val:]], y[idx[n_val:]]
    if patience is not None and validation_data is None:
        raise ValueError("patience (early stopping) needs validation_data or validation_split")

    def objective(p, s, xb, yb, r):
        out, new_s = model.apply(p, s, xb, train=True, rng=r)
        return loss_fn(out, yb), new_s

    step = value_and_grad(objective, has_aux=True)
    opt_state = optimizer.init(params)
    history, best = History(), (np.inf, params, state)
    bar = (
        _Progress(epochs, sys.stderr)
        if (progress is None and sys.stderr.isatty()) or progress
        else None
    )
    n = X.shape[0]
    for epoch in range(epochs):
        order = rng.permutation(n) if shuffle else np.arange(n)
        total = 0.0
        for lo in range(0, n, batch_size):
            b = order[lo : lo + batch_size]
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                (value, state), grads = step(params, state, X[b], y[b], rng.spawn(1)[0])
            if not np.isfinite(value):
                raise ValueError(
                    f"the loss became non-finite at epoch {epoch}; lower the learning rate"
                )
            params, opt_state = optimizer.step(params, grads, opt_state)
            total += float(value) * b.size
            history.n_steps += 1
        history.loss.append(total / n)
        val = None
        if validation_data is not None:
            out, _ = model.apply(params, state, np.asarray(validation_data[0], dtype=np.float64))
            val = float(loss_fn(out, np.asarray(validation_data[1])))
            history.val_loss.append(val)
            if val < best[0]:
                best, history.best_epoch = (val, params, state), epoch
        if bar is not None:
            bar.update(epoch, history.loss[-1], val)
        stop = any(cb(epoch, params, state, history) is True for cb in callbacks)
        if patience is not None and epoch - history.best_epoch >= patience:
            stop = True
        if stop:
            history.stopped_epoch = epoch
            break
    if bar is not None:
        bar.close()
    if patience is not None:
        params, state = best[1], best[2]
    return params, state, history
