r"""Activation functions, written with :mod:`m4ml.numpy` so that :mod:`m4ml.autodiff` differentiates
them (to any order) — there is no hand-written backward pass here.

Each function works elementwise on arrays (``softmax``/``log_softmax`` along ``axis``) and on
traced values inside :func:`m4ml.autodiff.grad`. Only :func:`erf` (for the exact GELU) is a new
primitive, with its derivative rule :math:`\operatorname{erf}'(x) = \tfrac{2}{\sqrt\pi}e^{-x^2}`.
"""

import numpy as np
from scipy.special import erf as _erf

import m4ml.numpy as mnp
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.autodiff import defjvp, defvjp, primitive

__all__ = ["erf", "gelu", "identity", "leaky_relu", "log_softmax", "relu", "sigmoid", "softmax",
           "tanh"]  # fmt: skip

_TWO_OVER_SQRT_PI = 2.0 / np.sqrt(np.pi)


@primitive
def erf(x: ArrayLike) -> FloatArray:
    r"""The error function :math:`\operatorname{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2}dt`.

    A differentiable primitive (value from :func:`scipy.special.erf`, a classical special
    function); its rule is :math:`\operatorname{erf}'(x) = \tfrac{2}{\sqrt\pi} e^{-x^2}`.

    Examples
    --------
    >>> from m4ml.autodiff import grad
    >>> float(grad(erf)(0.0))       # 2 / sqrt(pi)
    1.1283791670955126
    """
    return _erf(x)


def _erf_rule(g, ans, x):
    return g * (_TWO_OVER_SQRT_PI * mnp.exp(-(x * x)))


defvjp(erf, _erf_rule)
defjvp(erf, _erf_rule)


def identity(x: ArrayLike) -> FloatArray:
    """The identity :math:`f(x) = x` (the output activation of a regressor).

    Examples
    --------
    >>> identity(np.array([-1.0, 2.0]))
    array([-1.,  2.])
    """
    return x


def relu(x: ArrayLike) -> FloatArray:
    r"""Rectified linear unit :math:`\max(x, 0)`.

    Notes
    -----
    Written ``where(x > 0, x, 0)``, so the derivative is the indicator :math:`[x > 0]` — zero at
    :math:`x = 0`, as in PyTorch and scikit-learn.

    Examples
    --------
    >>> relu(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.])
    """
    return mnp.where(x > 0, x, 0.0)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> FloatArray:
    r"""Leaky ReLU: :math:`x` for :math:`x > 0`, :math:`\alpha x` otherwise (``negative_slope``).

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]), 0.1)
    array([-0.2,  3. ])
    """
    return mnp.where(x > 0, x, negative_slope * x)


def sigmoid(x: ArrayLike) -> FloatArray:
    r"""Logistic sigmoid :math:`\sigma(x) = 1/(1 + e^{-x})`, overflow-free for any finite x.

    Notes
    -----
    Computed as :math:`\exp(-\log(1 + e^{-x}))` with ``logaddexp``, which never overflows;
    :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`.

    Examples
    --------
    >>> sigmoid(np.array([0.0, 1000.0, -1000.0]))
    array([0.5, 1. , 0. ])
    """
    return mnp.exp(-mnp.logaddexp(0.0, -x))


def tanh(x: ArrayLike) -> FloatArray:
    r"""Hyperbolic tangent :math:`\tanh x = (e^x - e^{-x})/(e^x + e^{-x})`; derivative
    :math:`1 - \tanh^2 x`.

    Examples
    --------
    >>> float(tanh(0.5))
    0.46211715726000974
    """
    return mnp.tanh(x)


def gelu(x: ArrayLike, approximate: bool = False) -> FloatArray:
    r"""Gaussian error linear unit :math:`x\,\Phi(x)`.

    Parameters
    ----------
    x : array_like
    approximate : bool
        Use the tanh approximation
        :math:`\tfrac12 x\,(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715x^3)))` (PyTorch's
        ``approximate="tanh"``) instead of the exact
        :math:`\tfrac12 x\,(1 + \operatorname{erf}(x/\sqrt2))`.

    Examples
    --------
    >>> np.round(gelu(np.array([-1.0, 0.0, 1.0])), 6)
    array([-0.158655,  0.      ,  0.841345])
    """
    if approximate:
        c = np.sqrt(2.0 / np.pi)
        return 0.5 * x * (1.0 + mnp.tanh(c * (x + 0.044715 * x * x * x)))
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def log_softmax(x: ArrayLike, axis: int = -1) -> FloatArray:
    r"""Log-softmax :math:`z_k - \log\sum_j e^{z_j}` along ``axis``, finite for any finite input.

    Notes
    -----
    The log-sum-exp is computed with its maximum subtracted, so logits of size 1e4 (whose
    exponentials overflow) give exact answers.

    Examples
    --------
    >>> log_softmax(np.array([1000.0, 1000.0]))
    array([-0.69314718, -0.69314718])
    """
    return x - mnp.logsumexp(x, axis=axis, keepdims=True)


def softmax(x: ArrayLike, axis: int = -1) -> FloatArray:
    r"""Softmax :math:`e^{z_k}/\sum_j e^{z_j}` along ``axis`` (rows sum to one), overflow-free.

    Examples
    --------
    >>> softmax(np.array([1e4, 0.0]))
    array([1., 0.])
    """
    return mnp.exp(log_softmax(x, axis=axis))
