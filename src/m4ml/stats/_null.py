r"""Null distributions of the test statistics, and p-values from them (private).

The t, normal, chi-squared, beta and binomial distributions are the frozen distribution
objects of :mod:`m4ml.probability`. The F distribution is not among them, so its tails are
written here from the regularized incomplete beta function:

for :math:`F = (U/d_1)/(V/d_2)` with independent :math:`U \sim \chi^2_{d_1}`,
:math:`V \sim \chi^2_{d_2}`, the ratio :math:`X = d_1F/(d_1F + d_2) = U/(U+V)` is
:math:`\mathrm{Beta}(d_1/2, d_2/2)`, hence

.. math:: P(F > f) = 1 - I_{x}(d_1/2, d_2/2) = I_{1-x}(d_2/2, d_1/2),
          \qquad x = \frac{d_1 f}{d_1 f + d_2},\; 1 - x = \frac{d_2}{d_1 f + d_2}.

Both :math:`x` and :math:`1-x` are formed without a subtraction, so each tail is computed
directly (``betaincc`` on :math:`x` where :math:`x < 1/2`, ``betainc`` on :math:`1-x`
otherwise) and keeps full relative precision far in the tail.
"""

import numpy as np
from scipy.special import betainc, betaincc

from m4ml.probability.beta_family import Beta, StudentT
from m4ml.probability.discrete import Binomial
from m4ml.probability.gamma_family import ChiSquared
from m4ml.probability.normal import Normal

__all__ = ["Beta", "Binomial", "ChiSquared", "FDist", "Normal", "StudentT", "pvalue"]


class FDist:
    """Fisher's F distribution with ``d1`` and ``d2`` degrees of freedom: ``cdf`` and ``sf``."""

    def __init__(self, d1, d2):
        self.d1 = np.asarray(d1, dtype=float)
        self.d2 = np.asarray(d2, dtype=float)

    def _tails(self, f):
        f = np.asarray(f, dtype=float)
        d1f = self.d1 * f
        den = d1f + self.d2
        x, y = d1f / den, self.d2 / den  # x ~ Beta(d1/2, d2/2), y = 1 - x
        a, b = self.d1 / 2.0, self.d2 / 2.0
        small = x < 0.5
        cdf = np.where(small, betainc(a, b, x), betaincc(b, a, y))
        sf = np.where(small, betaincc(a, b, x), betainc(b, a, y))
        return cdf, sf

    def cdf(self, f):
        """:math:`P(F \\le f)`."""
        return self._tails(f)[0]

    def sf(self, f):
        """:math:`P(F > f)`."""
        return self._tails(f)[1]


def pvalue(dist, statistic, alternative):
    """p-value of ``statistic`` under ``dist`` for ``alternative``.

    ``"less"``: :math:`P(T \\le t)`; ``"greater"``: :math:`P(T \\ge t)`; ``"two-sided"``:
    twice the smaller tail, capped at 1 (for a symmetric null, :math:`P(|T| \\ge |t|)`).
    """
    if alternative == "less":
        p = dist.cdf(statistic)
    elif alternative == "greater":
        p = dist.sf(statistic)
    else:
        p = np.minimum(1.0, 2.0 * np.minimum(dist.cdf(statistic), dist.sf(statistic)))
    p = np.asarray(p, dtype=float)
    return p[()] if p.ndim == 0 else p
