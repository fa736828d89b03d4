r"""
The central limit theorem
=========================

Means of :math:`n` draws from a skewed exponential distribution become normal with standard
deviation :math:`\sigma/\sqrt n`.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.probability import Exponential, Normal

dist = Exponential(1.0)
fig, ax = plt.subplots()
for n in [1, 5, 50]:
    means = dist.rvs(size=(20000, n), random_state=0).mean(axis=1)
    ax.hist(means, bins=80, density=True, histtype="step", label=f"n = {n}")
x = np.linspace(0.4, 1.6, 200)
ax.plot(x, Normal(1.0, 1.0 / np.sqrt(50)).pdf(x), "k--", label="normal limit, n = 50")
ax.set_xlim(0, 3)
ax.legend()
