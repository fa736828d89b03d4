r"""
Monte Carlo and quasi-Monte Carlo integration
=============================================

The mean of :math:`f` at :math:`n` random points estimates an integral with error
:math:`O(n^{-1/2})` in any dimension; scrambled Sobol points reach nearly :math:`O(n^{-1})` for
smooth integrands. Here :math:`\int_{[0,1]^5} \prod_i \frac{\pi}{2}\sin(\pi x_i)\,dx = 1`.
"""

import numpy as np

from m4ml.calculus import monte_carlo_integrate


def f(x):
    return np.prod(np.pi / 2 * np.sin(np.pi * x), axis=-1)


bounds = [(0.0, 1.0)] * 5
for method in ["random", "sobol"]:
    res = monte_carlo_integrate(f, bounds, n=4096, method=method, rng=0)
    print(f"{method:>6}: {res.integral:.5f} +- {res.standard_error:.1e}")
