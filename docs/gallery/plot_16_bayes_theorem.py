r"""
Bayes' theorem: a diagnostic test
=================================

With prevalence 1%, sensitivity 99% and specificity 95%,
:math:`P(D \mid +) = \frac{P(+\mid D)P(D)}{P(+)}` is only about 17%: most positives are false
positives.
"""

from m4ml.probability import bayes

result = bayes(prior=[0.01, 0.99], likelihood=[0.99, 0.05])
print(result)
