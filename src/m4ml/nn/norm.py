r"""Normalization layers: :class:`BatchNorm` (batch statistics, running averages in ``state``)
and :class:`LayerNorm` (per-example statistics).

Both compute :math:`\hat x = (x - \mu)/\sqrt{\sigma^2 + \epsilon}` with the biased variance and
return :math:`\gamma \hat x + \beta`; they differ in the axes the moments are taken over.
"""

import numpy as np

import m4ml.numpy as mnp
from m4ml._core.hints import ArrayLike, FloatArray, PyTree, Seed
from m4ml.autodiff import primal
from m4ml.nn.layers import Layer, _shape

__all__ = ["BatchNorm", "LayerNorm"]


def _normalize(x, axes, eps):
    mean = mnp.mean(x, axis=axes, keepdims=True)
    centered = x - mean
    var = mnp.mean(centered * centered, axis=axes, keepdims=True)
    return centered / mnp.sqrt(var + eps), mean, var


class BatchNorm(Layer):
    r"""Batch normalization over the batch (and spatial) axes, per channel (axis 1).

    Parameters
    ----------
    momentum : float in [0, 1]
        Weight of the new batch in the running averages (PyTorch's convention).
    eps : float > 0

    Notes
    -----
    Training: :math:`\mu_B, \sigma_B^2` over the batch (and height, width for images),
    :math:`y = \gamma (x - \mu_B)/\sqrt{\sigma_B^2 + \epsilon} + \beta`, and
    ``state`` becomes :math:`r_\mu \leftarrow (1-m) r_\mu + m\mu_B`,
    :math:`r_{\sigma^2} \leftarrow (1-m) r_{\sigma^2} + m\,\sigma_B^2\,n/(n-1)` (the unbiased
    batch variance, as PyTorch). Evaluation uses the running statistics. The running averages
    are not differentiated (they are plain arrays in ``state``).

    Raises
    ------
    ValueError
        Bad hyper-parameters, or a training batch with a single value per channel.

    Examples
    --------
    >>> bn = BatchNorm()
    >>> params, state = bn.init(None, (3,))
    >>> x = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    >>> y, state = bn.apply(params, state, x, train=True)
    >>> np.round(y, 4)
    array([[-1.,  0.,  1.],
           [ 1.,  0., -1.]])
    >>> state["running_mean"]
    array([0.2, 0.2, 0.2])
    """

    def __init__(self, momentum: float = 0.1, eps: float = 1e-5):
        self.momentum = float(momentum)
        self.eps = float(eps)
        if not 0.0 <= self.momentum <= 1.0:
            raise ValueError(f"momentum must be in [0, 1], got {momentum}")
        if not self.eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")

    def init(self, rng: Seed, input_shape: tuple[int, ...]) -> tuple[PyTree, PyTree]:
        c = _shape(input_shape)[0]
        params = {"gamma": np.ones(c), "beta": np.zeros(c)}
        state = {"running_mean": np.zeros(c), "running_var": np.ones(c)}
        return params, state

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        axes = (0, *tuple(range(2, x.ndim)))
        bshape = (1, -1) + (1,) * (x.ndim - 2)
        gamma = mnp.reshape(params["gamma"], bshape)
        beta = mnp.reshape(params["beta"], bshape)
        if train:
            n = x.size // x.shape[1]
            if n < 2:
                raise ValueError("BatchNorm needs more than one value per channel to train")
            xhat, mean, var = _normalize(x, axes, self.eps)
            m = self.momentum
            mean, var = primal(mean).ravel(), primal(var).ravel()
            state = {
                "running_mean": (1 - m) * state["running_mean"] + m * mean,
                "running_var": (1 - m) * state["running_var"] + m * var * n / (n - 1),
            }
            return gamma * xhat + beta, state
        mean = np.reshape(state["running_mean"], bshape)
        var = np.reshape(state["running_var"], bshape)
        return gamma * ((x - mean) / np.sqrt(var + self.eps)) + beta, state


class LayerNorm(Layer):
    r"""Layer normalization over each example's features (all axes but the batch axis).

    Notes
    -----
    :math:`y = \gamma \odot (x - \mu)/\sqrt{\sigma^2 + \epsilon} + \beta`, with
    :math:`\mu, \sigma^2` over the normalized axes of one example and :math:`\gamma, \beta`
    of that per-example shape (PyTorch's ``LayerNorm(input_shape)``); the same at training and
    evaluation.

    Examples
    --------
    >>> ln = LayerNorm()
    >>> params, state = ln.init(None, (2,))
    >>> ln.apply(params, state, np.array([[1.0, 3.0]]))[0].round(4)
    array([[-1.,  1.]])
    """

    def __init__(self, eps: float = 1e-5):
        self.eps = float(eps)
        if not self.eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")

    def init(self, rng: Seed, input_shape: tuple[int, ...]) -> tuple[PyTree, PyTree]:
        shape = _shape(input_shape)
        return {"gamma": np.ones(shape), "beta": np.zeros(shape)}, {}

    def apply(
        self, params: PyTree, state: PyTree, x: ArrayLike, *, train: bool = False, rng: Seed = None
    ) -> tuple[FloatArray, PyTree]:
        axes = tuple(range(1, x.ndim))
        xhat, _, _ = _normalize(x, axes, self.eps)
        return params["gamma"] * xhat + params["beta"], state
