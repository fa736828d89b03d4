r"""
Linear systems: LU with partial pivoting
========================================

Gaussian elimination with row exchanges factors :math:`PA = LU`; then :math:`Ax = b` is two
triangular solves, and :math:`\det A = \pm\prod_i U_{ii}`.
"""

import numpy as np

from m4ml import linalg as la

A = np.array([[2.0, 1.0, 1.0], [4.0, -6.0, 0.0], [-2.0, 7.0, 2.0]])
b = np.array([5.0, -2.0, 9.0])
P, L, U = la.lu(A)
print("L =\n", L)
print("U =\n", U)
print("P L U == A:", np.allclose(P @ L @ U, A))
x = la.solve(A, b)
print("x =", x, " residual:", la.norm(A @ x - b))
print("det A =", la.det(A), "= product of U's diagonal up to sign:", np.prod(np.diag(U)))
