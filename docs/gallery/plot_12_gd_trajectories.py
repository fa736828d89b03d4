r"""
Gradient descent, momentum, RMSprop and Adam on Rosenbrock
==========================================================

Every method starts at :math:`(-1.5, 2)` and takes 3000 steps on
:math:`f(x, y) = (1 - x)^2 + 100(y - x^2)^2`, with gradients from ``m4ml.autodiff``. This reuses
``docs/examples/gd_trajectories.py`` (the figure of the optimization guide).
"""

from _wrap import run_example

run_example("gd_trajectories")
