"""Adam and AdamW (bias-corrected moment estimates; coupled vs decoupled weight decay).

Part of the optimizers of :mod:`m4ml.optim.optimizers` (import them from there).
"""

from collections.abc import Callable

import numpy as np

from m4ml.optim._optimizer_base import Optimizer, _hyper


class Adam(Optimizer):
    r"""Adam: bias-corrected first and second moment estimates (optionally AMSGrad).

    Parameters
    ----------
    learning_rate : float or schedule
        :math:`\eta` (default 1e-3).
    betas : tuple of float
        :math:`(\beta_1, \beta_2)`, each in [0, 1).
    eps : float
        :math:`\epsilon`, added to :math:`\sqrt{\hat v}`.
    weight_decay : float
        L2 penalty :math:`\lambda` *added to the gradient* (coupled; see :class:`AdamW`).
    amsgrad : bool
        Use the running maximum of :math:`v_t` in the denominator.

    Raises
    ------
    ValueError
        Out-of-range hyper-parameters.

    Notes
    -----
    ``torch.optim.Adam``: :math:`g \leftarrow g + \lambda\theta`,
    :math:`m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t`,
    :math:`v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2`,

    .. math:: \theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t}\,
              \frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t} + \epsilon}

    (:math:`v_t` replaced by :math:`\max_{s\le t} v_s` for AMSGrad). Computed as
    :math:`\theta - c\,m_t/(\sqrt{v_t} + \epsilon\sqrt{1-\beta_2^t})` with
    :math:`c = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)`, the same number in one pass fewer.

    References
    ----------
    D. P. Kingma & J. Ba, "Adam: a method for stochastic optimization", ICLR 2015;
    S. J. Reddi, S. Kale & S. Kumar, "On the convergence of Adam and beyond", ICLR 2018.

    Examples
    --------
    >>> opt = Adam(0.1)
    >>> s = opt.init({"w": np.zeros(2)})
    >>> p, s = opt.step({"w": np.zeros(2)}, {"w": np.array([5.0, -0.01])}, s)
    >>> np.round(p["w"], 6)      # the first Adam step has length ~ learning_rate
    array([-0.1,  0.1])
    """

    _decoupled = False
    _watch = "exp_avg_sq"

    def __init__(
        self,
        learning_rate: float | Callable[[int], float] = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ):
        super().__init__(learning_rate)
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = tuple(_hyper(b, "betas[i]", 0.0, 1.0, open_hi=True) for b in betas)
        self.eps = _hyper(eps, "eps")
        self.weight_decay = _hyper(weight_decay, "weight_decay")
        self.amsgrad = bool(amsgrad)
        self._buffers = ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ())

    def _update(self, p, g, tmp, lr, t, buf):
        b1, b2 = self.betas
        if self.weight_decay:
            if self._decoupled:
                p *= 1.0 - lr * self.weight_decay
            else:
                np.multiply(p, self.weight_decay, out=tmp)
                g += tmp
        m, v = buf["exp_avg"], buf["exp_avg_sq"]
        np.subtract(g, m, out=tmp)  # m += (1 - b1)(g - m), torch's lerp
        tmp *= 1.0 - b1
        m += tmp
        np.multiply(g, g, out=g)
        g *= 1.0 - b2
        v *= b2
        v += g
        if self.amsgrad:
            np.maximum(buf["max_exp_avg_sq"], v, out=buf["max_exp_avg_sq"])
            v = buf["max_exp_avg_sq"]
        bc1, bc2_sqrt = 1.0 - b1**t, np.sqrt(1.0 - b2**t)
        np.sqrt(v, out=tmp)
        tmp += self.eps * bc2_sqrt
        np.divide(m, tmp, out=tmp)
        tmp *= lr * bc2_sqrt / bc1
        p -= tmp


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay.

    Parameters
    ----------
    learning_rate : float or schedule
        :math:`\eta` (default 1e-3).
    betas : tuple of float
        :math:`(\beta_1, \beta_2)`.
    eps : float
        :math:`\epsilon`.
    weight_decay : float
        :math:`\lambda` (default 0.01), applied as :math:`\theta \leftarrow (1 - \eta\lambda)
        \theta` before the Adam step.
    amsgrad : bool
        AMSGrad variant.

    Raises
    ------
    ValueError
        Out-of-range hyper-parameters.

    Notes
    -----
    ``torch.optim.AdamW``. In Adam the L2 gradient :math:`\lambda\theta` is divided by
    :math:`\sqrt{\hat v}` like every gradient, so heavily-updated weights are barely decayed;
    decoupling shrinks every weight by the same factor, which is what "weight decay" means
    for SGD.

    References
    ----------
    I. Loshchilov & F. Hutter, "Decoupled weight decay regularization", ICLR 2019.

    Examples
    --------
    >>> opt = AdamW(0.1, weight_decay=0.5)
    >>> s = opt.init(np.ones(1))
    >>> p, s = opt.step(np.ones(1), np.zeros(1), s)   # zero gradient: pure decay
    >>> p
    array([0.95])
    """

    _decoupled = True

    def __init__(
        self,
        learning_rate: float | Callable[[int], float] = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ):
        super().__init__(learning_rate, betas, eps, weight_decay, amsgrad)
