"""All continuous univariate distributions of :mod:`m4ml.probability` in one namespace.

They live in files split along the special function their cdf needs:

* :mod:`~m4ml.probability.normal` — :class:`Normal` (``ndtr``/``ndtri``);
* :mod:`~m4ml.probability.continuous_basic` — :class:`Uniform`, :class:`Exponential`,
  :class:`Laplace` (elementary functions);
* :mod:`~m4ml.probability.gamma_family` — :class:`Gamma`, :class:`ChiSquared`,
  :class:`InverseGamma` (regularized incomplete gamma);
* :mod:`~m4ml.probability.beta_family` — :class:`Beta`, :class:`StudentT` (regularized
  incomplete beta).

Examples
--------
>>> from m4ml.probability.continuous import Gamma, Normal
>>> print(f"{Normal().cdf(1.96):.4f} {Gamma(1.0, 2.0).mean():.1f}")
0.9750 0.5
"""

from m4ml.probability.beta_family import Beta, StudentT
from m4ml.probability.continuous_basic import Exponential, Laplace, Uniform
from m4ml.probability.gamma_family import ChiSquared, Gamma, InverseGamma
from m4ml.probability.normal import Normal

__all__ = [
    "Beta",
    "ChiSquared",
    "Exponential",
    "Gamma",
    "InverseGamma",
    "Laplace",
    "Normal",
    "StudentT",
    "Uniform",
]
