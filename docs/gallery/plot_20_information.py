r"""
Information theory: entropy and KL divergence
=============================================

:math:`H(p) = -\sum p_i \log p_i` is largest for the uniform distribution; the KL divergence
:math:`D(p\,\|\,q) = \sum p_i \log(p_i/q_i)` is non-negative and not symmetric.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.probability import entropy, kl_divergence

p = np.linspace(0.001, 0.999, 300)
fig, ax = plt.subplots()
ax.plot(p, [entropy([t, 1 - t], base=2) for t in p])
ax.set_xlabel("P(heads)")
ax.set_ylabel("entropy (bits)")
a, b = np.array([0.5, 0.4, 0.1]), np.array([0.3, 0.3, 0.4])
print("D(a||b) =", kl_divergence(a, b), " D(b||a) =", kl_divergence(b, a))
