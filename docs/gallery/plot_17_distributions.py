r"""
Distributions: densities and the normal approximation
=====================================================

The Binomial(:math:`n`, :math:`p`) mass function approaches the normal density with mean
:math:`np` and variance :math:`np(1-p)` as :math:`n` grows (de Moivre–Laplace).
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.probability import Binomial, Normal

fig, axes = plt.subplots(1, 3, figsize=(10, 3))
for ax, n in zip(axes, [5, 20, 100]):
    k = np.arange(n + 1)
    p = 0.3
    ax.bar(k, Binomial(n, p).pmf(k), color="C0", alpha=0.6, label="Binomial")
    x = np.linspace(0, n, 400)
    ax.plot(x, Normal(n * p, np.sqrt(n * p * (1 - p))).pdf(x), "C1", label="Normal")
    ax.set_title(f"n = {n}")
axes[0].legend()
print("P(X <= 30) for Binomial(100, 0.3):", Binomial(100, 0.3).cdf(30))
