"""The gradient-descent training loop: batch, stochastic and mini-batch GD in one function."""

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from m4ml._core import check_positive_int, check_rng
from m4ml._core.hints import ArrayLike, PyTree, Seed
from m4ml.autodiff import tree_map, value_and_grad
from m4ml.optim._optimizer_base import Optimizer


@dataclass
class History:
    """What :func:`fit_gd` records.

    Attributes
    ----------
    loss : list of float
        Training loss per epoch: the size-weighted mean of the mini-batch losses seen during
        the epoch (for full-batch GD, the loss at the parameters before the epoch's step).
    val_loss : list of float
        Validation loss after each epoch (empty without ``validation_data``).
    best_epoch : int or None
        Epoch (0-based) with the lowest validation loss; its parameters are returned when
        early stopping is on.
    stopped_epoch : int or None
        The epoch after which training stopped early (``None`` if it ran to the end).
    n_steps : int
        Optimizer steps taken.
    """

    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None
    n_steps: int = 0


class _Progress:
    """A carriage-return progress bar on stderr (no dependency)."""

    def __init__(self, epochs, stream):
        self.epochs, self.stream, self.t0 = epochs, stream, time.perf_counter()

    def update(self, epoch, loss, val):
        done = (epoch + 1) / self.epochs
        bar = "#" * int(30 * done) + "-" * (30 - int(30 * done))
        extra = f" val_loss {val:.4g}" if val is not None else ""
        elapsed = time.perf_counter() - self.t0
        self.stream.write(
            f"\r[{bar}] epoch {epoch + 1}/{self.epochs} loss {loss:.4g}{extra} {elapsed:.1f}s"
        )
        self.stream.flush()

    def close(self):
        self.stream.write("\n")
        self.stream.flush()


def _take(a, idx):
    return None if a is None else a[idx]


def fit_gd(
    loss_fn: Callable[..., Any],
    params: PyTree,
    X: ArrayLike,
    y: ArrayLike | None = None,
    optimizer: Optimizer | None = None,
    *,
    batch_size: int | None = None,
    epochs: int = 100,
    shuffle: bool = True,
    rng: Seed = None,
    callbacks: Sequence[Callable[[int, PyTree, History], bool | None]] = (),
    validation_data: tuple[ArrayLike, ArrayLike] | None = None,
    early_stopping_patience: int | None = None,
    progress: bool | None = None,
    value_and_grad_fn: Callable[..., Any] | None = None,
) -> tuple[PyTree, History]:
    r"""Train ``params`` by (batch, stochastic or mini-batch) gradient descent.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(params, X_batch, y_batch) -> scalar``, written with :mod:`m4ml.numpy` so it
        can be differentiated (``y_batch`` is ``None`` when ``y`` is).
    params : pytree
        Initial parameters.
    X : array_like, shape (n, ...)
        Inputs; the first axis indexes samples.
    y : array_like, shape (n, ...), optional
        Targets.
    optimizer : Optimizer
        An :mod:`m4ml.optim.optimizers` optimizer (possibly wrapped by
        :func:`~m4ml.optim.clipping.with_clipping`).
    batch_size : None, int
        ``None``: full-batch GD (one step per epoch); ``1``: stochastic GD; ``k``: mini-batch
        GD (the last batch of an epoch may be smaller).
    epochs : int
        Passes over the data.
    shuffle : bool
        Reshuffle the samples every epoch (mini-batch / stochastic only).
    rng : None, int or numpy.random.Generator
        The shuffling's randomness; the same seed gives the same run.
    callbacks : sequence of callables
        Each ``cb(epoch, params, history)`` runs after every epoch; returning ``True`` stops
        training.
    validation_data : tuple (X_val, y_val), optional
        Evaluated with ``loss_fn`` after every epoch.
    early_stopping_patience : int, optional
        Stop when the validation loss has not improved for this many epochs and return the
        parameters of the best epoch (needs ``validation_data``).
    progress : bool, optional
        Show a progress bar on stderr; by default only when stderr is a terminal.
    value_and_grad_fn : callable, optional
        ``value_and_grad_fn(params, X_batch, y_batch) -> (loss, grads)``, a user-supplied
        gradient; by default :func:`m4ml.autodiff.value_and_grad` of ``loss_fn``.

    Returns
    -------
    params : pytree
        The trained parameters (the best epoch's with early stopping).
    history : History
        Loss per epoch, validation loss, best and stopping epochs, step count.

    Raises
    ------
    ValueError
        ``X``/``y`` lengths differ, bad ``batch_size``, early stopping without validation
        data, or a non-finite loss (divergence; lower the learning rate).
    TypeError
        ``optimizer`` is not an m4ml optimizer.

    Notes
    -----
    One step is :math:`\theta \leftarrow \mathrm{opt}(\theta, \nabla_\theta
    \tfrac{1}{|B|}\sum_{i\in B}\ell_i)` for a batch :math:`B` (as long as ``loss_fn``
    averages). With :math:`|B| = n` this is gradient descent on the empirical risk; with
    :math:`|B| < n` each step uses an unbiased but noisy gradient estimate, cheaper per step
    and often faster per pass over the data, at the price of a noise floor unless the rate
    decays (Robbins–Monro: :math:`\sum\eta_t = \infty`, :math:`\sum\eta_t^2 < \infty`).
    Cost: ``epochs * ceil(n / batch_size)`` gradient evaluations.

    References
    ----------
    L. Bottou, F. E. Curtis & J. Nocedal, "Optimization methods for large-scale machine
    learning", SIAM Review 60 (2018).

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> from m4ml.optim.optimizers import SGD
    >>> X = np.linspace(-1, 1, 20)[:, None]
    >>> y = 3.0 * X[:, 0] + 1.0
    >>> def loss(p, X, y):
    ...     return mnp.mean((X @ p["w"] + p["b"] - y) ** 2)
    >>> p, hist = fit_gd(loss, {"w": np.zeros(1), "b": 0.0}, X, y, SGD(0.5), epochs=200)
    >>> np.round(p["w"], 6), round(float(p["b"]), 6)
    (array([3.]), 1.0)
    >>> len(hist.loss)
    200
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an m4ml optimizer (e.g. SGD(0.1)), got {type(optimizer).__name__}"
        )
    X = np.asarray(X)
    if X.ndim == 0:
        raise ValueError("X must have a first axis indexing the samples")
    n = X.shape[0]
    if y is not None:
        y = np.asarray(y)
        if y.ndim == 0 or y.shape[0] != n:
            raise ValueError(f"X has {n} samples but y has shape {y.shape}")
    if n == 0:
        raise ValueError("X has no samples")
    epochs = check_positive_int(epochs, "epochs")
    if batch_size is not None:
        batch_size = min(check_positive_int(batch_size, "batch_size"), n)
    if early_stopping_patience is not None:
        early_stopping_patience = check_positive_int(
            early_stopping_patience, "early_stopping_patience"
        )
        if validation_data is None:
            raise ValueError("early stopping needs validation_data=(X_val, y_val)")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (X_val, y_val)")
        Xv, yv = validation_data
        Xv = np.asarray(Xv)
        yv = None if yv is None else np.asarray(yv)
    for cb in callbacks:
        if not callable(cb):
            raise TypeError(f"callbacks must be callables, got {type(cb).__name__}")
    gen = check_rng(rng)
    vg = value_and_grad_fn if value_and_grad_fn is not None else value_and_grad(loss_fn)
    if progress is None:
        progress = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    bar = _Progress(epochs, sys.stderr) if progress else None

    history = History()
    state = optimizer.init(params)
    best_val, best_params, waited = np.inf, params, 0
    try:
        for epoch in range(epochs):
            if batch_size is None or batch_size == n:
                batches = [slice(None)]
                sizes = [n]
            else:
                order = gen.permutation(n) if shuffle else np.arange(n)
                batches = [order[i : i + batch_size] for i in range(0, n, batch_size)]
                sizes = [len(b) for b in batches]
            total = 0.0
            for idx, size in zip(batches, sizes):
                with np.errstate(over="ignore", invalid="ignore"):  # reported just below
                    value, grads = vg(params, X[idx], _take(y, idx))
                value = float(value)
                if not np.isfinite(value):
                    raise ValueError(
                        f"the loss became {value} at epoch {epoch} (step {history.n_steps}); "
                        "the iteration diverged: lower the learning rate"
                    )
                params, state = optimizer.step(params, grads, state)
                history.n_steps += 1
                total += value * size
            history.loss.append(total / n)
            val = None
            if validation_data is not None:
                val = float(loss_fn(params, Xv, yv))
                history.val_loss.append(val)
                if val < best_val:
                    best_val, best_params, waited = val, params, 0
                    history.best_epoch = epoch
                else:
                    waited += 1
            if bar is not None:
                bar.update(epoch, history.loss[-1], val)
            stop = any(bool(cb(epoch, params, history)) for cb in callbacks)
            if early_stopping_patience is not None and waited >= early_stopping_patience:
                stop = True
            if stop:
                history.stopped_epoch = epoch
                break
    finally:
        if bar is not None:
            bar.close()
    if early_stopping_patience is not None:
        params = tree_map(np.copy, best_params)
    return params, history
