r"""
Markov chain Monte Carlo: Metropolis–Hastings
=============================================

A random-walk Metropolis sampler targets a density known up to a constant; here a banana-shaped
two-dimensional density. The effective sample size accounts for the chain's autocorrelation.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.stats import effective_sample_size, metropolis_hastings


def log_density(z):
    x, y = z
    return -0.5 * x**2 - 0.5 * (y - 0.5 * x**2) ** 2 / 0.5


res = metropolis_hastings(log_density, np.zeros(2), 5000, proposal_scale=0.8, rng=0, burn_in=500)
print("acceptance rate:", res.acceptance_rate)
print("effective sample size of x:", effective_sample_size(res.samples[:, 0]))
fig, ax = plt.subplots()
ax.plot(res.samples[:, 0], res.samples[:, 1], ".", ms=1, alpha=0.5)
ax.set_xlabel("x")
ax.set_ylabel("y")
