r"""The stochastic solvers of the MLP estimators, with scikit-learn's exact update rules.

These differ from :mod:`m4ml.optim`'s torch-convention optimizers in small, visible ways
(where the learning rate multiplies the velocity; Adam's :math:`\epsilon` added to
:math:`\sqrt{v_t}` before the bias-correction factor moves into the step size), so they live
here, next to the estimators whose ``loss_curve_`` must match scikit-learn's to rounding.

SGD (with ``momentum`` :math:`\mu`, learning rate :math:`\eta`):
:math:`v \leftarrow \mu v - \eta g`, then :math:`\theta \leftarrow \theta + v`, or with
Nesterov :math:`\theta \leftarrow \theta + \mu v - \eta g`. Schedules act between epochs:
``invscaling`` sets :math:`\eta = \eta_0/(t+1)^{p}` (:math:`t` = samples seen), ``adaptive``
divides :math:`\eta` by 5 when the loss stalls, stopping once :math:`\eta \le 10^{-6}`.

Adam: :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`, :math:`v \leftarrow \beta_2 v +
(1-\beta_2) g^2`, :math:`\theta \leftarrow \theta - \eta_0\frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}
\frac{m}{\sqrt v + \epsilon}`.
"""

import numpy as np

__all__ = ["MLPSGD", "MLPAdam"]


class MLPSGD:
    """scikit-learn's ``SGDOptimizer``: one velocity per parameter array (never shared)."""

    def __init__(self, params, learning_rate_init, lr_schedule, momentum, nesterov, power_t):
        self.learning_rate_init = self.learning_rate = float(learning_rate_init)
        self.lr_schedule = lr_schedule
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.power_t = float(power_t)
        self.velocities = [np.zeros_like(p) for p in params]

    def update_params(self, params, grads):
        """Update the parameter arrays in place."""
        mu, lr = self.momentum, self.learning_rate
        for p, v, g in zip(params, self.velocities, grads):
            v *= mu
            v -= lr * g
            if self.nesterov:
                p += mu * v - lr * g
            else:
                p += v

    def iteration_ends(self, time_step):
        if self.lr_schedule == "invscaling":
            self.learning_rate = self.learning_rate_init / (time_step + 1) ** self.power_t

    def trigger_stopping(self):
        """Return True to stop; the adaptive schedule first divides the rate by 5."""
        if self.lr_schedule != "adaptive" or self.learning_rate <= 1e-6:
            return True
        self.learning_rate /= 5.0
        return False


class MLPAdam:
    """scikit-learn's ``AdamOptimizer``: first and second moments per parameter array."""

    def __init__(self, params, learning_rate_init, beta_1, beta_2, epsilon):
        self.learning_rate_init = self.learning_rate = float(learning_rate_init)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.t = 0
        self.ms = [np.zeros_like(p) for p in params]
        self.vs = [np.zeros_like(p) for p in params]

    def update_params(self, params, grads):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        self.learning_rate = self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for p, m, v, g in zip(params, self.ms, self.vs, grads):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            p -= self.learning_rate * m / (np.sqrt(v) + self.epsilon)

    def iteration_ends(self, time_step):
        pass

    def trigger_stopping(self):
        return True
