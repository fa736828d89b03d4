r"""
Conformal prediction intervals
==============================

Split conformal prediction turns any regressor into intervals with finite-sample coverage
:math:`\ge 1 - \alpha`. Reuses ``docs/examples/conformal_intervals.py``.
"""

from _wrap import run_example

print(run_example("conformal_intervals"))
