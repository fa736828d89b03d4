r"""Per-sample losses for stochastic gradient descent on linear models, with their derivatives.

Each loss is a function of the score :math:`p = w^\top x + b` and the target :math:`y`
(:math:`y \in \{-1, +1\}` for the classification losses). SGD needs only
:math:`\partial\ell/\partial p`: the gradient with respect to :math:`w` is that times
:math:`x` (the chain rule through the linear score).

==============================  ============================================================
loss                            :math:`\ell(p, y)` and :math:`\partial\ell/\partial p`
==============================  ============================================================
hinge                           :math:`(1 - yp)_+`; :math:`-y` if :math:`yp \le 1`
perceptron                      :math:`(-yp)_+`; :math:`-y` if :math:`yp \le 0`
squared_hinge                   :math:`(1 - yp)_+^2`; :math:`-2y(1 - yp)_+`
log_loss                        :math:`\log(1 + e^{-yp})`; :math:`-y/(1 + e^{yp})`
modified_huber                  :math:`(1 - yp)_+^2`, or :math:`-4yp` below :math:`yp = -1`
squared_error                   :math:`\tfrac12(p - y)^2`; :math:`p - y`
huber                           quadratic within :math:`\epsilon`, then linear;
                                :math:`\mathrm{clip}(p - y, \pm\epsilon)`
epsilon_insensitive             :math:`(|y - p| - \epsilon)_+`; :math:`\pm 1` outside the tube
squared_epsilon_insensitive     :math:`(|y - p| - \epsilon)_+^2`; :math:`\pm 2(|y-p| - \epsilon)`
==============================  ============================================================
"""

import math

__all__ = ["CLASSIFICATION_LOSSES", "REGRESSION_LOSSES", "make_loss"]

CLASSIFICATION_LOSSES = ("hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron")
REGRESSION_LOSSES = ("squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive")


def _log1pexp(z):
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def make_loss(name, epsilon=0.1):
    """``(loss(p, y), dloss(p, y))`` as plain Python functions of two floats."""
    if name in ("hinge", "perceptron"):
        margin = 1.0 if name == "hinge" else 0.0
        return (lambda p, y: max(0.0, margin - p * y)), (
            lambda p, y: -y if p * y <= margin else 0.0
        )
    if name == "squared_hinge":
        return (lambda p, y: max(0.0, 1.0 - p * y) ** 2), (
            lambda p, y: -2.0 * y * (1.0 - p * y) if p * y < 1.0 else 0.0
        )
    if name == "log_loss":

        def dlog(p, y):
            z = p * y
            if z > 18.0:
                return -y * math.exp(-z)
            if z < -18.0:
                return -y
            return -y / (math.exp(z) + 1.0)

        return (lambda p, y: _log1pexp(-p * y)), dlog
    if name == "modified_huber":

        def mh(p, y):
            z = p * y
            return max(0.0, 1.0 - z) ** 2 if z >= -1.0 else -4.0 * z

        def dmh(p, y):
            z = p * y
            if z >= 1.0:
                return 0.0
            return -2.0 * (1.0 - z) * y if z >= -1.0 else -4.0 * y

        return mh, dmh
    if name == "squared_error":
        return (lambda p, y: 0.5 * (p - y) ** 2), (lambda p, y: p - y)
    if name == "huber":

        def hub(p, y):
            r = abs(p - y)
            return 0.5 * r * r if r <= epsilon else epsilon * (r - 0.5 * epsilon)

        return hub, (lambda p, y: min(max(p - y, -epsilon), epsilon))
    if name == "epsilon_insensitive":

        def deps(p, y):
            if y - p > epsilon:
                return -1.0
            return 1.0 if p - y > epsilon else 0.0

        return (lambda p, y: max(0.0, abs(y - p) - epsilon)), deps
    if name == "squared_epsilon_insensitive":

        def dseps(p, y):
            z = y - p
            if z > epsilon:
                return -2.0 * (z - epsilon)
            return 2.0 * (-z - epsilon) if z < -epsilon else 0.0

        return (lambda p, y: max(0.0, abs(y - p) - epsilon) ** 2), dseps
    raise ValueError(f"unknown loss {name!r}")
