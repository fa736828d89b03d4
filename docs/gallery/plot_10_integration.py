r"""
Integration: trapezoid, Simpson and Gauss–Legendre
==================================================

On :math:`\int_0^\pi \sin x\,dx = 2`, the composite trapezoid rule converges as :math:`h^2`,
Simpson's as :math:`h^4`, and :math:`n`-point Gauss–Legendre exponentially; ``quad`` adapts its
subintervals to reach a requested tolerance.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.calculus import gauss_legendre, quad, simpson, trapezoid

ns = np.array([3, 5, 9, 17, 33, 65, 129])
err_t, err_s, err_g = [], [], []
for n in ns:
    x = np.linspace(0, np.pi, n)
    err_t.append(abs(trapezoid(np.sin(x), x=x) - 2))
    err_s.append(abs(simpson(np.sin(x), x=x) - 2))
    err_g.append(abs(gauss_legendre(np.sin, 0, np.pi, n=min(n, 20)) - 2))
value, error = quad(np.sin, 0, np.pi)
print("quad:", value, "estimated error:", error)
fig, ax = plt.subplots()
ax.loglog(ns, err_t, "o-", label="trapezoid")
ax.loglog(ns, err_s, "s-", label="Simpson")
ax.loglog(ns, np.maximum(err_g, 1e-17), "^-", label="Gauss–Legendre")
ax.set_xlabel("number of points")
ax.set_ylabel("error")
ax.legend()
