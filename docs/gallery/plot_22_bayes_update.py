r"""
Bayesian updating: Beta prior to posterior
==========================================

A Beta(2, 2) prior on a coin's bias updated by 5, 20 and 100 tosses: the conjugate posterior is
:math:`\mathrm{Beta}(a + h, b + t)`. Reuses ``docs/examples/bayes_update.py``.
"""

from _wrap import run_example

print(run_example("bayes_update"))
