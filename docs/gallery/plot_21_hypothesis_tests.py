r"""
Hypothesis tests and confidence intervals
=========================================

Welch's two-sample :math:`t` test compares two means without assuming equal variances; the
bootstrap (BCa) gives a confidence interval for a statistic with no closed form, here the median.
"""

import numpy as np

from m4ml.stats import bootstrap_ci, mannwhitneyu, ttest_ind

rng = np.random.default_rng(3)
a = rng.normal(0.0, 1.0, 40)
b = rng.normal(0.6, 1.5, 50)
print(ttest_ind(a, b, equal_var=False))
print(mannwhitneyu(a, b))
print(bootstrap_ci(np.median, b, n_resamples=2000, rng=0))
