r"""
The SVD and the best low-rank approximation
===========================================

By Eckart–Young, truncating :math:`A = U\Sigma V^\top` to its :math:`k` largest singular values
gives the best rank-:math:`k` approximation, with spectral error :math:`\sigma_{k+1}`.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml import linalg as la

x = np.linspace(-1, 1, 80)
A = np.exp(-(x[:, None] ** 2 + 2 * x[None, :] ** 2)) + 0.3 * np.cos(4 * x[:, None] * x[None, :])
U, s, Vt = la.svd(A)
fig, axes = plt.subplots(1, 4, figsize=(10, 2.8))
axes[0].semilogy(s, ".")
axes[0].set_title("singular values")
for ax, k in zip(axes[1:], [1, 3, 6]):
    Ak = (U[:, :k] * s[:k]) @ Vt[:k]
    ax.imshow(Ak, cmap="viridis")
    ax.set_title(f"rank {k}: err {la.norm(A - Ak, 2):.1e}")
    ax.axis("off")
print("sigma_2, sigma_4, sigma_7:", s[1], s[3], s[6])
