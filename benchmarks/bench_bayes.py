"""Bayesian inference (m4ml.stats bayes, predictive, credible) vs scipy.stats, identical inputs.

The issue sets no target for these; the ratios are published for information.
"""

import numpy as np
import scipy.stats as ss

from benchmarks.workload import Workload


def _points(high, size=1_000_000, seed=0):
    def setup():
        return (np.random.default_rng(seed).integers(0, high + 1, size).astype(float),)

    return setup


def _m4ml_betabinom(method):
    def run(k):
        from m4ml.stats.predictive import BetaBinomialDistribution

        return getattr(BetaBinomialDistribution(1000, 30.0, 70.0), method)(k)

    return run


def _scipy_betabinom(method):
    def run(k):
        return getattr(ss.betabinom(1000, 30.0, 70.0), method)(k)

    return run


def _m4ml_nbinom(method):
    def run(k):
        from m4ml.stats.predictive import NegativeBinomial

        return getattr(NegativeBinomial(25.5, 0.3), method)(k)

    return run


def _scipy_nbinom(method):
    def run(k):
        return getattr(ss.nbinom(25.5, 0.3), method)(k)

    return run


def _beta_params(size=100_000, seed=1):
    def setup():
        rng = np.random.default_rng(seed)
        return rng.uniform(1.0, 200.0, size), rng.uniform(1.0, 200.0, size)

    return setup


def _m4ml_interval(a, b):
    from m4ml.probability.beta_family import Beta
    from m4ml.stats.credible import credible_interval

    return credible_interval(Beta(a, b), 0.95)


def _scipy_interval(a, b):
    return ss.beta(a, b).interval(0.95)


def _m4ml_hpd(a, b):
    from m4ml.probability.beta_family import Beta
    from m4ml.stats.credible import hpd_interval

    return hpd_interval(Beta(a[:1000], b[:1000]), 0.95)


WORKLOADS = [
    Workload(
        name="beta-binomial pmf, 10^6 points (n=1000)",
        group="stats",
        setup=_points(1000),
        m4ml=_m4ml_betabinom("pmf"),
        reference=_scipy_betabinom("pmf"),
        reference_name="scipy.stats.betabinom.pmf",
    ),
    Workload(
        name="beta-binomial cdf, 10^4 points (n=1000; scipy sums per point)",
        group="stats",
        setup=_points(1000, size=10_000),
        m4ml=_m4ml_betabinom("cdf"),
        reference=_scipy_betabinom("cdf"),
        reference_name="scipy.stats.betabinom.cdf",
        repeats=3,
    ),
    Workload(
        name="negative binomial pmf, 10^6 points",
        group="stats",
        setup=_points(200),
        m4ml=_m4ml_nbinom("pmf"),
        reference=_scipy_nbinom("pmf"),
        reference_name="scipy.stats.nbinom.pmf",
    ),
    Workload(
        name="negative binomial cdf, 10^6 points",
        group="stats",
        setup=_points(200),
        m4ml=_m4ml_nbinom("cdf"),
        reference=_scipy_nbinom("cdf"),
        reference_name="scipy.stats.nbinom.cdf",
    ),
    Workload(
        name="equal-tailed Beta credible intervals, 10^5 posteriors",
        group="stats",
        setup=_beta_params(),
        m4ml=_m4ml_interval,
        reference=_scipy_interval,
        reference_name="scipy.stats.beta.interval",
    ),
    Workload(
        name="HPD Beta intervals (10^3) vs equal-tailed (10^5)",
        group="stats",
        setup=_beta_params(),
        m4ml=_m4ml_hpd,
        reference=_scipy_interval,
        reference_name="scipy.stats.beta.interval (not an HPD)",
        repeats=3,
    ),
]
