r"""
Calibration: reliability diagrams
=================================

Naive Bayes is over-confident; Platt scaling and isotonic regression fitted on held-out data
bring its probabilities onto the diagonal. Reuses ``docs/examples/calibration_plot.py``.
"""

from _wrap import run_example

print(run_example("calibration_plot"))
