r"""
Jacobians and Hessians
======================

The Hessian of the Rosenbrock function
:math:`f(x, y) = (1 - x)^2 + 100(y - x^2)^2` at its minimum :math:`(1, 1)` is
:math:`\begin{pmatrix} 802 & -400 \\ -400 & 200 \end{pmatrix}`; ``hessian`` computes it exactly
(forward over reverse), the finite-difference Hessian approximately.
"""

import numpy as np

from m4ml.autodiff import hessian, jacobian
from m4ml.calculus import hessian_fd


def rosen(z):
    return (1 - z[0]) ** 2 + 100 * (z[1] - z[0] ** 2) ** 2


z = np.array([1.0, 1.0])
print("autodiff Hessian:\n", hessian(rosen)(z))
print("finite differences:\n", hessian_fd(rosen, z))
print("Jacobian of z -> (z0 z1, sin z0):\n", jacobian(lambda v: v[0] * v[1] * np.ones(1))(z))
