"""m4ml.nn: neural networks as pure functions over parameter pytrees.

Layers
    Dense, Conv2D, MaxPool2D, AvgPool2D, Flatten, Dropout, BatchNorm, LayerNorm, Activation,
    Sequential — each with ``init(rng, input_shape) -> (params, state)`` and
    ``apply(params, state, x, *, train=False, rng=None) -> (y, new_state)``
Activations
    relu, leaky_relu, gelu, tanh, sigmoid, softmax, log_softmax, identity, erf
Initializers
    glorot_uniform, glorot_normal, he_uniform, he_normal, zeros, compute_fans
Training
    train (mini-batches, any m4ml.optim optimizer/schedule/clipping, validation split, early
    stopping, history, callbacks, progress bar), cross_entropy_loss, mse_loss

Gradients come from :mod:`m4ml.autodiff` only; there is no hand-written backward pass.
"""

from m4ml.nn.activations import (
    erf,
    gelu,
    identity,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    tanh,
)
from m4ml.nn.conv import AvgPool2D, Conv2D, MaxPool2D
from m4ml.nn.initializers import (
    compute_fans,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    zeros,
)
from m4ml.nn.layers import Activation, Dense, Dropout, Flatten, Layer, Sequential
from m4ml.nn.norm import BatchNorm, LayerNorm
from m4ml.nn.train import cross_entropy_loss, mse_loss, train

__all__ = [
    "Activation",
    "AvgPool2D",
    "BatchNorm",
    "Conv2D",
    "Dense",
    "Dropout",
    "Flatten",
    "Layer",
    "LayerNorm",
    "MaxPool2D",
    "Sequential",
    "compute_fans",
    "cross_entropy_loss",
    "erf",
    "gelu",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "leaky_relu",
    "log_softmax",
    "mse_loss",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
    "train",
    "zeros",
]
