r"""
Lasso and elastic-net regularization paths
==========================================

As the penalty :math:`\alpha` decreases, coordinates leave zero one by one: the
:math:`\ell_1` penalty gives exact zeros (sparsity). Reuses ``docs/examples/lasso_path.py``.
"""

from _wrap import run_example

print(run_example("lasso_path"))
