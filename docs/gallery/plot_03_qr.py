r"""
Orthogonalization: Gram–Schmidt and Householder QR
==================================================

Classical Gram–Schmidt loses orthogonality on ill-conditioned columns; the modified version and
Householder QR keep :math:`\lVert Q^\top Q - I\rVert` near machine precision. The plot shows the
loss of orthogonality against the condition number of Hilbert-like matrices.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml import linalg as la

conds, classical, modified, householder = [], [], [], []
for n in range(2, 11):
    A = 1.0 / (np.arange(n)[:, None] + np.arange(n)[None, :] + 1.0)  # Hilbert matrix
    conds.append(la.cond(A))
    for modified_flag, store in [(False, classical), (True, modified)]:
        Q = la.gram_schmidt(A, modified=modified_flag).basis
        store.append(la.norm(Q.T @ Q - np.eye(n)))
    Q = la.qr(A).Q
    householder.append(la.norm(Q.T @ Q - np.eye(n)))

fig, ax = plt.subplots()
ax.loglog(conds, classical, "o-", label="classical Gram–Schmidt")
ax.loglog(conds, modified, "s-", label="modified Gram–Schmidt")
ax.loglog(conds, np.maximum(householder, 1e-17), "^-", label="Householder QR")
ax.set_xlabel("cond(A)")
ax.set_ylabel(r"$\|Q^\top Q - I\|$")
ax.legend()
print(f"Householder loss of orthogonality at cond {conds[-1]:.1e}: {householder[-1]:.1e}")
