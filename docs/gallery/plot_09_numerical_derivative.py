r"""
Numerical differentiation: the step-size trade-off
==================================================

A forward difference has truncation error :math:`O(h)` and rounding error
:math:`O(\varepsilon/h)`, so its total error is smallest near :math:`h \approx \sqrt\varepsilon`;
the central difference (error :math:`O(h^2)`) is best near :math:`\varepsilon^{1/3}`.
``derivative`` extrapolates over a sequence of steps and reports an error estimate.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.calculus import derivative

h = np.logspace(-15, -1, 60)
x0 = 1.0
forward = np.abs((np.exp(x0 + h) - np.exp(x0)) / h - np.exp(x0))
central = np.abs((np.exp(x0 + h) - np.exp(x0 - h)) / (2 * h) - np.exp(x0))
res = derivative(np.exp, x0)
print("derivative(exp, 1):", res.df, "error estimate:", res.error)
print("actual error:", abs(res.df - np.e))
fig, ax = plt.subplots()
ax.loglog(h, np.maximum(forward, 1e-17), label="forward difference")
ax.loglog(h, np.maximum(central, 1e-17), label="central difference")
ax.set_xlabel("step h")
ax.set_ylabel("absolute error")
ax.legend()
