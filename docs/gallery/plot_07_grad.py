r"""
Automatic differentiation: ``grad``
===================================

Reverse mode traces the function once and runs the chain rule backwards; ``grad`` of
:math:`\tanh` matches :math:`1 - \tanh^2 x`, and ``grad(grad(f))`` gives the second derivative.
"""

import matplotlib.pyplot as plt
import numpy as np

import m4ml.numpy as mnp
from m4ml.autodiff import elementwise_grad

x = np.linspace(-4, 4, 200)
d1 = elementwise_grad(mnp.tanh)
d2 = elementwise_grad(d1)
print("max |grad tanh - (1 - tanh^2)|:", np.max(np.abs(d1(x) - (1 - np.tanh(x) ** 2))))
fig, ax = plt.subplots()
ax.plot(x, np.tanh(x), label="tanh")
ax.plot(x, d1(x), label="first derivative")
ax.plot(x, d2(x), label="second derivative")
ax.legend()
