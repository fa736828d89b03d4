r"""
Least squares: fitting a polynomial
===================================

:math:`\min_x \lVert Ax - b\rVert_2` is solved through the SVD (``lstsq``), never by forming the
normal equations :math:`A^\top A x = A^\top b`, whose condition number is squared.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml import linalg as la

rng = np.random.default_rng(1)
t = np.sort(rng.uniform(-1, 1, 40))
y = 1 - 2 * t + 3 * t**3 + 0.2 * rng.standard_normal(t.size)
A = np.vander(t, 4, increasing=True)
coef, residuals, rank, sv = la.lstsq(A, y)
print("coefficients (1, t, t^2, t^3):", coef)
grid = np.linspace(-1, 1, 200)
fig, ax = plt.subplots()
ax.plot(t, y, ".", label="data")
ax.plot(grid, np.vander(grid, 4, increasing=True) @ coef, label="least-squares cubic")
ax.legend()
