r"""
Constrained optimization: a quadratic program and its dual
==========================================================

:math:`\min \tfrac12 x^\top P x + q^\top x` subject to :math:`Gx \le h`. At the solution the KKT
conditions hold: stationarity, primal and dual feasibility, complementary slackness — the
residuals printed below are all near zero.
"""

import numpy as np

from m4ml.optim import solve_qp

P = np.array([[2.0, 0.5], [0.5, 1.0]])
q = np.array([1.0, 1.0])
G = np.array([[-1.0, 0.0], [0.0, -1.0], [1.0, 1.0]])
h = np.array([0.0, 0.0, 1.0])
res = solve_qp(P, q, G, h)
print("x =", res.x)
print(res)
