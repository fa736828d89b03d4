r"""
Eigenvalues: the power method and the symmetric eigensolver
===========================================================

Repeated multiplication :math:`x_{k+1} = Ax_k/\lVert Ax_k\rVert` converges to the dominant
eigenvector at the rate :math:`|\lambda_2/\lambda_1|^k`; ``eigh`` returns the whole spectrum.
"""

import numpy as np

from m4ml import linalg as la

rng = np.random.default_rng(0)
B = rng.standard_normal((6, 6))
A = B @ B.T
w, V = la.eigh(A)
print("eigenvalues:", w)
result = la.power_iteration(A, rng=0)
print("power iteration:", result.eigenvalue, "after", result.n_iter, "iterations")
print("A V == V diag(w):", np.allclose(A @ V, V * w))
