r"""m4ml.probability: sample spaces and Bayes, distributions, Markov chains, information theory.

Everything is written here on NumPy arrays (``scipy.special`` supplies only the classical
special functions); names and conventions follow ``scipy.stats``. Guides: docs/probability.md
and docs/distributions.md.

Finite probability spaces (:mod:`~m4ml.probability.spaces`, ``bayes_theorem``)
    ProbabilitySpace (events as sets or predicates, exact Fractions when equally likely),
    bayes, BayesResult
Distributions (``continuous``, ``discrete``, ``multivariate``), frozen, scipy.stats-like
    Bernoulli, Binomial, Poisson, Geometric, Categorical, Multinomial, Uniform, Normal,
    Exponential, Gamma, Beta, StudentT, ChiSquared, Laplace, InverseGamma,
    MultivariateNormal, Dirichlet
Information theory (:mod:`~m4ml.probability.information`, ``information_joint``)
    entropy, cross_entropy, kl_divergence, js_divergence, joint_entropy,
    conditional_entropy, mutual_information, mutual_information_from_samples, perplexity
Markov chains (:mod:`~m4ml.probability.markov`)
    MarkovChain

``kl_divergence`` is one function for both meanings: given two probability *arrays* it
computes :math:`\sum_i p_i \log(p_i / q_i)` along an axis; given two distribution *objects* of
the same family it returns their closed-form divergence from :mod:`m4ml.probability.kl`.

Examples
--------
>>> from m4ml.probability import MarkovChain, entropy, kl_divergence
>>> float(entropy([0.5, 0.25, 0.25], base=2))
1.5
>>> round(float(kl_divergence([0.5, 0.5], [0.9, 0.1])), 6)
0.510826
>>> MarkovChain([[0.0, 1.0], [0.5, 0.5]]).stationary_distribution().round(6)
array([0.333333, 0.666667])
"""

from m4ml.probability.bayes_theorem import BayesResult, bayes
from m4ml.probability.categorical import Categorical, Multinomial
from m4ml.probability.continuous import (
    Beta,
    ChiSquared,
    Exponential,
    Gamma,
    InverseGamma,
    Laplace,
    Normal,
    StudentT,
    Uniform,
)
from m4ml.probability.discrete import Bernoulli, Binomial, Geometric, Poisson
from m4ml.probability.information import (
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    perplexity,
)
from m4ml.probability.information_joint import (
    conditional_entropy,
    joint_entropy,
    mutual_information,
    mutual_information_from_samples,
)
from m4ml.probability.markov import MarkovChain
from m4ml.probability.multivariate import Dirichlet, MultivariateNormal
from m4ml.probability.spaces import ProbabilitySpace

#: the distribution classes, discrete then continuous then multivariate
DISTRIBUTIONS = (
    "Bernoulli",
    "Binomial",
    "Poisson",
    "Geometric",
    "Categorical",
    "Multinomial",
    "Uniform",
    "Normal",
    "Exponential",
    "Gamma",
    "Beta",
    "StudentT",
    "ChiSquared",
    "Laplace",
    "InverseGamma",
    "MultivariateNormal",
    "Dirichlet",
)

__all__ = [
    "BayesResult",
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "ChiSquared",
    "Dirichlet",
    "Exponential",
    "Gamma",
    "Geometric",
    "InverseGamma",
    "Laplace",
    "MarkovChain",
    "Multinomial",
    "MultivariateNormal",
    "Normal",
    "Poisson",
    "ProbabilitySpace",
    "StudentT",
    "Uniform",
    "bayes",
    "conditional_entropy",
    "cross_entropy",
    "entropy",
    "joint_entropy",
    "js_divergence",
    "kl_divergence",
    "mutual_information",
    "mutual_information_from_samples",
    "perplexity",
]
