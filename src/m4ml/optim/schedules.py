"""Learning-rate schedules: callables ``step -> learning rate``.

A schedule is evaluated at the number of optimizer steps already taken (0 for the first step),
so ``schedule(k)`` is the rate of step ``k + 1``, the convention of optax and of a PyTorch
``lr_scheduler`` stepped once per optimizer step. Every optimizer in
:mod:`m4ml.optim.optimizers` accepts a float or a schedule as its ``learning_rate``. Schedules
accept an int or an integer array (vectorized) and are plain, picklable objects.
"""

import numbers
from collections.abc import Callable

import numpy as np


def _real(value, name, *, positive=False, nonneg=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    if nonneg and not value >= 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return float(value)


def _int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _steps(step):
    t = np.asarray(step)
    if t.dtype.kind not in "iu" or (t.size and t.min() < 0):
        raise ValueError(f"step must be a non-negative integer (or integer array), got {step!r}")
    return t


def _out(v):
    return float(v) if np.ndim(v) == 0 else v


class Schedule:
    """Base class: subclasses implement ``_rate(t)`` on an integer array ``t``."""

    def __call__(self, step):
        return _out(self._rate(_steps(step)))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class constant(Schedule):
    r"""The constant schedule :math:`\eta_t = \eta`.

    Parameters
    ----------
    value : float
        The learning rate (> 0).

    Raises
    ------
    ValueError
        Non-positive or non-finite ``value``.

    Notes
    -----
    What a float learning rate means; present so code can treat every rate as a schedule.

    References
    ----------
    optax, ``constant_schedule``.

    Examples
    --------
    >>> constant(0.1)(7)
    0.1
    """

    def __init__(self, value: float):
        self.value = _real(value, "value", positive=True)

    def _rate(self, t):
        return np.full(t.shape, self.value)


class step_decay(Schedule):
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps (PyTorch's ``StepLR``).

    Parameters
    ----------
    init_value : float
        :math:`\eta_0 > 0`.
    step_size : int
        Steps between decays.
    gamma : float
        Decay factor, > 0 (usually < 1).

    Raises
    ------
    ValueError
        Bad values.

    Notes
    -----
    :math:`\eta_t = \eta_0\,\gamma^{\lfloor t / s\rfloor}`.

    References
    ----------
    PyTorch, ``torch.optim.lr_scheduler.StepLR``.

    Examples
    --------
    >>> s = step_decay(1.0, step_size=10, gamma=0.5)
    >>> s(9), s(10), s(25)
    (1.0, 0.5, 0.25)
    """

    def __init__(self, init_value: float, step_size: int, gamma: float = 0.1):
        self.init_value = _real(init_value, "init_value", positive=True)
        self.step_size = _int(step_size, "step_size")
        self.gamma = _real(gamma, "gamma", positive=True)

    def _rate(self, t):
        return self.init_value * self.gamma ** (t // self.step_size)


class exponential_decay(Schedule):
    r"""Exponential decay :math:`\eta_t = \eta_0\, r^{t / T}` (optionally staircase).

    Parameters
    ----------
    init_value : float
        :math:`\eta_0 > 0`.
    decay_rate : float
        :math:`r > 0`: the factor applied every ``transition_steps`` steps.
    transition_steps : int
        :math:`T`; with ``T = 1`` this is PyTorch's ``ExponentialLR(gamma=r)``.
    staircase : bool
        Use :math:`\lfloor t/T \rfloor` instead of :math:`t/T` (piecewise constant).

    Raises
    ------
    ValueError
        Bad values.

    Notes
    -----
    The continuous-time analogue is :math:`\eta(t) = \eta_0 e^{-kt}` with
    :math:`k = -\ln r / T`.

    References
    ----------
    optax, ``exponential_decay``; PyTorch, ``ExponentialLR``.

    Examples
    --------
    >>> exponential_decay(1.0, 0.5, transition_steps=2)(4)
    0.25
    """

    def __init__(
        self,
        init_value: float,
        decay_rate: float,
        transition_steps: int = 1,
        staircase: bool = False,
    ):
        self.init_value = _real(init_value, "init_value", positive=True)
        self.decay_rate = _real(decay_rate, "decay_rate", positive=True)
        self.transition_steps = _int(transition_steps, "transition_steps")
        self.staircase = bool(staircase)

    def _rate(self, t):
        e = t // self.transition_steps if self.staircase else t / self.transition_steps
        return self.init_value * self.decay_rate**e


class cosine_decay(Schedule):
    r"""Cosine annealing from :math:`\eta_0` to :math:`\alpha\eta_0` over ``decay_steps``.

    Parameters
    ----------
    init_value : float
        :math:`\eta_0 > 0`.
    decay_steps : int
        :math:`T`; the rate stays at :math:`\alpha\eta_0` after it.
    alpha : float
        Final fraction in [0, 1].

    Raises
    ------
    ValueError
        Bad values.

    Notes
    -----
    :math:`\eta_t = \eta_0\big[(1-\alpha)\tfrac12(1 + \cos(\pi\min(t,T)/T)) + \alpha\big]`;
    for :math:`t \le T` this is PyTorch's ``CosineAnnealingLR(T_max=T, eta_min=alpha*eta_0)``
    in closed form (SGDR without restarts).

    References
    ----------
    I. Loshchilov & F. Hutter, "SGDR: stochastic gradient descent with warm restarts",
    ICLR 2017.

    Examples
    --------
    >>> s = cosine_decay(1.0, decay_steps=10, alpha=0.1)
    >>> s(0), round(s(5), 12), s(10), s(20)
    (1.0, 0.55, 0.1, 0.1)
    """

    def __init__(self, init_value: float, decay_steps: int, alpha: float = 0.0):
        self.init_value = _real(init_value, "init_value", positive=True)
        self.decay_steps = _int(decay_steps, "decay_steps")
        self.alpha = _real(alpha, "alpha", nonneg=True)
        if self.alpha > 1:
            raise ValueError(f"alpha must lie in [0, 1], got {alpha!r}")

    def _rate(self, t):
        frac = np.minimum(t, self.decay_steps) / self.decay_steps
        cos = 0.5 * (1.0 + np.cos(np.pi * frac))
        return self.init_value * ((1.0 - self.alpha) * cos + self.alpha)


class warmup(Schedule):
    r"""Linear warm-up from ``init_value`` to the start of another schedule, then that schedule.

    Parameters
    ----------
    warmup_steps : int
        :math:`W`, the length of the ramp.
    schedule : float or callable
        The schedule that follows (a float means :class:`constant`); it is evaluated at
        :math:`t - W`, so it starts fresh after the ramp.
    init_value : float
        The rate at step 0 (>= 0).

    Raises
    ------
    ValueError
        Bad values.

    Notes
    -----
    With :math:`\eta^* = s(0)`: :math:`\eta_t = \eta_{init} + (\eta^* - \eta_{init})\,t/W` for
    :math:`t < W`, and :math:`\eta_t = s(t - W)` afterwards. Warm-up keeps adaptive methods
    from taking large steps while their moment estimates are still noisy. With a constant
    ``schedule`` it equals PyTorch's ``LinearLR(start_factor=init/eta*, total_iters=W)``.

    References
    ----------
    P. Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour" (2017).

    Examples
    --------
    >>> s = warmup(4, cosine_decay(1.0, 10))
    >>> s(0), s(2), s(4)
    (0.0, 0.5, 1.0)
    """

    def __init__(
        self, warmup_steps: int, schedule: float | Callable[[int], float], init_value: float = 0.0
    ):
        self.warmup_steps = _int(warmup_steps, "warmup_steps")
        self.schedule = as_schedule(schedule)
        self.init_value = _real(init_value, "init_value", nonneg=True)

    def _rate(self, t):
        peak = float(self.schedule(0))
        ramp = self.init_value + (peak - self.init_value) * t / self.warmup_steps
        after = np.asarray(self.schedule(np.maximum(t - self.warmup_steps, 0)), dtype=float)
        return np.where(t < self.warmup_steps, ramp, after)


def as_schedule(learning_rate: float | Callable[[int], float]) -> Callable[[int], float]:
    """Return ``learning_rate`` as a schedule (a float becomes :class:`constant`).

    Parameters
    ----------
    learning_rate : float or callable
        A positive float, or a callable ``step -> rate``.

    Returns
    -------
    callable

    Raises
    ------
    ValueError
        A non-positive or non-finite float; TypeError for anything else.

    Examples
    --------
    >>> as_schedule(0.5)(3)
    0.5
    """
    if callable(learning_rate):
        return learning_rate
    if isinstance(learning_rate, numbers.Real) and not isinstance(learning_rate, bool):
        return constant(learning_rate)
    raise TypeError(
        f"learning_rate must be a float or a schedule (callable step -> rate), got "
        f"{type(learning_rate).__name__}"
    )
