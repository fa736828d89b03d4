"""First-order optimizers over pytrees, functional and stateless (the optax pattern).

>>> opt = Adam(learning_rate=1e-3)            # hyper-parameters only
>>> state = opt.init(params)                  # doctest: +SKIP
>>> params, state = opt.step(params, grads, state)   # doctest: +SKIP

The optimizer object holds no state; ``init`` returns an :class:`OptState` and ``step``
returns new parameters and a new state. The input parameters and gradients are never modified
(a caller may keep old parameters, e.g. for early stopping). The state is *donated*, as with
buffer donation in JAX: its moment buffers are updated in place and handed to the returned
state, and the old state object is marked consumed (stepping it again raises); call
``state.copy()`` first to keep a snapshot. This keeps a step free of large allocations.
Each update follows ``torch.optim`` exactly (same hyper-parameter names, defaults and order
of operations), so the two agree to rounding.

Implementation: the parameter and gradient pytrees are flattened once into contiguous float64
vectors and the update is a handful of NumPy ufunc calls on them, writing into preallocated
buffers; the new parameters are views into one fresh vector.
"""

from collections.abc import Callable

import numpy as np

from m4ml.optim._optimizer_base import Optimizer, OptState, _hyper
from m4ml.optim.adam import Adam, AdamW

__all__ = ["SGD", "AdaGrad", "Adam", "AdamW", "OptState", "Optimizer", "RMSprop"]


class SGD(Optimizer):
    r"""Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay.

    Parameters
    ----------
    learning_rate : float or schedule
        :math:`\eta`.
    momentum : float
        :math:`\mu \in [0, 1)`.
    dampening : float
        :math:`d \in [0, 1]`, scales the gradient entering the momentum buffer.
    weight_decay : float
        :math:`\lambda \ge 0` (L2 penalty added to the gradient).
    nesterov : bool
        Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).

    Raises
    ------
    ValueError
        Out-of-range hyper-parameters.

    Notes
    -----
    PyTorch's conventions (``torch.optim.SGD``): :math:`g \leftarrow g + \lambda\theta`;
    the buffer starts as :math:`b_1 = g_1` (no dampening on the first step) and then
    :math:`b_t = \mu b_{t-1} + (1-d) g_t`; the step direction is :math:`b_t`, or
    :math:`g_t + \mu b_t` with Nesterov; :math:`\theta \leftarrow \theta - \eta\,\cdot`
    direction. (This differs from the Sutskever form :math:`v = \mu v + \eta g` only by where
    :math:`\eta` sits, which matters when :math:`\eta` changes.) Cost: a few passes over
    the parameters.

    References
    ----------
    I. Sutskever et al., "On the importance of initialization and momentum in deep
    learning", ICML 2013.

    Examples
    --------
    >>> opt = SGD(0.1, momentum=0.9)
    >>> p = {"w": np.array([1.0, -2.0])}
    >>> s = opt.init(p)
    >>> p, s = opt.step(p, {"w": np.array([1.0, 1.0])}, s)
    >>> p["w"]
    array([ 0.9, -2.1])
    """

    def __init__(
        self,
        learning_rate: float | Callable[[int], float],
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ):
        super().__init__(learning_rate)
        self.momentum = _hyper(momentum, "momentum", 0.0, 1.0, open_hi=True)
        self.dampening = _hyper(dampening, "dampening", 0.0, 1.0)
        self.weight_decay = _hyper(weight_decay, "weight_decay")
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("nesterov momentum requires momentum > 0 and dampening = 0")
        self._buffers = ("momentum_buffer",) if self.momentum else ()

    def _update(self, p, g, tmp, lr, t, buf):
        if self.weight_decay:
            np.multiply(p, self.weight_decay, out=tmp)
            g += tmp
        if self.momentum:
            b = buf["momentum_buffer"]
            if t == 1:
                b[...] = g
            else:
                b *= self.momentum
                if self.dampening:
                    np.multiply(g, 1.0 - self.dampening, out=tmp)
                    b += tmp
                else:
                    b += g
            if self.nesterov:
                np.multiply(b, self.momentum, out=tmp)
                g += tmp
            else:
                g = b
        np.multiply(g, lr, out=tmp)
        p -= tmp


class AdaGrad(Optimizer):
    r"""AdaGrad: per-coordinate rates scaled by the accumulated squared gradients.

    Parameters
    ----------
    learning_rate : float or schedule
        :math:`\eta` (PyTorch's default is 0.01).
    lr_decay : float
        :math:`\gamma \ge 0`; the rate at step :math:`t` is :math:`\eta/(1 + (t-1)\gamma)`.
    weight_decay : float
        L2 penalty :math:`\lambda` added to the gradient.
    initial_accumulator_value : float
        Starting value of the accumulator :math:`G_0 \ge 0`.
    eps : float
        :math:`\epsilon` added to the square root.

    Raises
    ------
    ValueError
        Out-of-range hyper-parameters.

    Notes
    -----
    :math:`G_t = G_{t-1} + g_t^2`, :math:`\theta_t = \theta_{t-1} - \tilde\eta_t\,
    g_t / (\sqrt{G_t} + \epsilon)` (``torch.optim.Adagrad``). Rarely-updated coordinates keep
    large rates, frequent ones are damped; the rates only ever decrease.

    References
    ----------
    J. Duchi, E. Hazan & Y. Singer, "Adaptive subgradient methods for online learning and
    stochastic optimization", JMLR 12 (2011).

    Examples
    --------
    >>> opt = AdaGrad(0.5)
    >>> s = opt.init(np.zeros(2))
    >>> p, s = opt.step(np.zeros(2), np.array([2.0, -0.1]), s)
    >>> np.round(p, 8)
    array([-0.5,  0.5])
    """

    _buffers = ("sum",)
    _watch = "sum"

    def __init__(
        self,
        learning_rate: float | Callable[[int], float] = 0.01,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ):
        super().__init__(learning_rate)
        self.lr_decay = _hyper(lr_decay, "lr_decay")
        self.weight_decay = _hyper(weight_decay, "weight_decay")
        self.initial_accumulator_value = _hyper(
            initial_accumulator_value, "initial_accumulator_value"
        )
        self.eps = _hyper(eps, "eps")

    def _initial(self, name, flat):
        return np.full_like(flat, self.initial_accumulator_value)

    def _update(self, p, g, tmp, lr, t, buf):
        if self.weight_decay:
            np.multiply(p, self.weight_decay, out=tmp)
            g += tmp
        clr = lr / (1.0 + (t - 1) * self.lr_decay)
        s = buf["sum"]
        np.multiply(g, g, out=tmp)
        s += tmp
        np.sqrt(s, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=g)
        g *= clr
        p -= g


class RMSprop(Optimizer):
    r"""RMSprop: divide by a running root-mean-square of the gradients.

    Parameters
    ----------
    learning_rate : float or schedule
        :math:`\eta` (PyTorch's default 0.01).
    alpha : float
        Smoothing constant :math:`\alpha \in [0, 1)`.
    eps : float
        :math:`\epsilon`, added after the square root.
    weight_decay : float
        L2 penalty added to the gradient.
    momentum : float
        :math:`\mu \ge 0`: momentum on the normalized step.
    centered : bool
        Subtract the squared running mean of the gradient (a variance estimate).

    Raises
    ------
    ValueError
        Out-of-range hyper-parameters.

    Notes
    -----
    ``torch.optim.RMSprop``: :math:`v_t = \alpha v_{t-1} + (1-\alpha)g_t^2`; centered:
    :math:`m_t = \alpha m_{t-1} + (1-\alpha)g_t` and :math:`\bar v_t = v_t - m_t^2`;
    :math:`d_t = \sqrt{\bar v_t} + \epsilon`; without momentum
    :math:`\theta \leftarrow \theta - \eta g_t/d_t`, with it :math:`b_t = \mu b_{t-1} +
    g_t/d_t`, :math:`\theta \leftarrow \theta - \eta b_t`.

    References
    ----------
    G. Hinton, N. Srivastava & K. Swersky, *Neural Networks for Machine Learning*, lecture
    6e (2012).

    Examples
    --------
    >>> opt = RMSprop(0.01, alpha=0.9)
    >>> s = opt.init(np.zeros(1))
    >>> p, s = opt.step(np.zeros(1), np.array([3.0]), s)
    >>> np.round(p, 8)
    array([-0.03162278])
    """

    def __init__(
        self,
        learning_rate: float | Callable[[int], float] = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ):
        super().__init__(learning_rate)
        self.alpha = _hyper(alpha, "alpha", 0.0, 1.0, open_hi=True)
        self.eps = _hyper(eps, "eps")
        self.weight_decay = _hyper(weight_decay, "weight_decay")
        self.momentum = _hyper(momentum, "momentum")
        self.centered = bool(centered)
        names = ["square_avg"]
        names += ["grad_avg"] if self.centered else []
        names += ["momentum_buffer"] if self.momentum else []
        self._buffers = tuple(names)
        self._watch = "square_avg"

    def _update(self, p, g, tmp, lr, t, buf):
        a = self.alpha
        if self.weight_decay:
            np.multiply(p, self.weight_decay, out=tmp)
            g += tmp
        v = buf["square_avg"]
        v *= a
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - a
        v += tmp
        if self.centered:
            m = buf["grad_avg"]
            np.subtract(g, m, out=tmp)  # m += (1 - a)(g - m), torch's lerp
            tmp *= 1.0 - a
            m += tmp
            np.multiply(m, m, out=tmp)
            np.subtract(v, tmp, out=tmp)
            np.maximum(tmp, 0.0, out=tmp)  # v - m^2 >= 0 in exact arithmetic; rounding can dip
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(v, out=tmp)
        tmp += self.eps
        np.divide(g, tmp, out=g)
        if self.momentum:
            b = buf["momentum_buffer"]
            b *= self.momentum
            b += g
            g = b
        np.multiply(g, lr, out=tmp)
        p -= tmp
