r"""
Markov chains: the stationary distribution
==========================================

A stationary distribution solves :math:`\pi P = \pi`; for an irreducible aperiodic chain the
distribution after :math:`k` steps converges to it from any start.
"""

import numpy as np

from m4ml.probability import MarkovChain

P = np.array([[0.9, 0.075, 0.025], [0.15, 0.8, 0.05], [0.25, 0.25, 0.5]])
chain = MarkovChain(P, states=["bull", "bear", "stagnant"])
pi = chain.stationary_distribution()
print("stationary distribution:", pi)
print("pi P - pi:", pi @ P - pi)
print("after 50 steps from 'bull':", np.linalg.matrix_power(P, 50)[0])
