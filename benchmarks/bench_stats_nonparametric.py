"""Nonparametric tests and resampling: m4ml.stats vs scipy.stats on identical inputs.

The issue sets no target for these; the ratios are published (target None). Workloads:
KS and Mann-Whitney on 10^5 observations (statistic plus asymptotic or exact p-value), the
exact two-sample KS lattice count for 2000 x 1500, the exact one-sample distribution for
n = 1000, a 9999-permutation test and a 9999-resample BCa bootstrap of a mean.
"""

import numpy as np

from benchmarks.workload import Workload


def _normal_cdf(x):
    from scipy.special import ndtr

    return ndtr(x)


def _two_samples(n1, n2, seed=0):
    def setup():
        rng = np.random.default_rng(seed)
        return rng.standard_normal(n1), rng.standard_normal(n2) + 0.05

    return setup


def _one_sample(n, seed=1):
    def setup():
        return (np.random.default_rng(seed).standard_normal(n),)

    return setup


def _mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _m4ml(name):
    def call(*args, **kwargs):
        import m4ml.stats.nonparametric as nonparametric
        import m4ml.stats.resampling as resampling

        module = resampling if name in ("permutation_test", "bootstrap_ci") else nonparametric
        return getattr(module, name)(*args, **kwargs)

    return call


def _scipy(name):
    def call(*args, **kwargs):
        import scipy.stats

        return getattr(scipy.stats, name)(*args, **kwargs)

    return call


WORKLOADS = [
    Workload(
        name="ks_1samp n=1e5 (exact two-sided)",
        group="stats",
        setup=_one_sample(100_000),
        m4ml=lambda x: _m4ml("ks_1samp")(x, _normal_cdf),
        reference=lambda x: _scipy("ks_1samp")(x, _normal_cdf),
        reference_name="scipy.stats.ks_1samp",
        repeats=5,
    ),
    Workload(
        name="ks_1samp n=1000, D in the Durbin-matrix range",
        group="stats",
        setup=lambda: (np.linspace(0.001, 0.999, 1000) ** 1.02,),
        m4ml=lambda x: _m4ml("ks_1samp")(x, lambda t: np.clip(t, 0, 1)),
        reference=lambda x: _scipy("ks_1samp")(x, lambda t: np.clip(t, 0, 1)),
        reference_name="scipy.stats.ks_1samp",
    ),
    Workload(
        name="ks_2samp exact 2000 x 1500",
        group="stats",
        setup=_two_samples(2000, 1500),
        m4ml=lambda x, y: _m4ml("ks_2samp")(x, y, method="exact"),
        reference=lambda x, y: _scipy("ks_2samp")(x, y, method="exact"),
        reference_name="scipy.stats.ks_2samp",
        repeats=3,
    ),
    Workload(
        name="ks_2samp asymp 1e5 x 1e5",
        group="stats",
        setup=_two_samples(100_000, 100_000),
        m4ml=lambda x, y: _m4ml("ks_2samp")(x, y, method="asymp"),
        reference=lambda x, y: _scipy("ks_2samp")(x, y, method="asymp"),
        reference_name="scipy.stats.ks_2samp",
        repeats=5,
    ),
    Workload(
        name="mannwhitneyu asymptotic 1e5 x 1e5",
        group="stats",
        setup=_two_samples(100_000, 100_000),
        m4ml=lambda x, y: _m4ml("mannwhitneyu")(x, y),
        reference=lambda x, y: _scipy("mannwhitneyu")(x, y),
        reference_name="scipy.stats.mannwhitneyu",
        repeats=5,
    ),
    Workload(
        name="mannwhitneyu exact 8 x 60",
        group="stats",
        setup=_two_samples(8, 60),
        m4ml=lambda x, y: _m4ml("mannwhitneyu")(x, y, method="exact"),
        reference=lambda x, y: _scipy("mannwhitneyu")(x, y, method="exact"),
        reference_name="scipy.stats.mannwhitneyu",
    ),
    Workload(
        name="permutation_test 9999, 2 x 200",
        group="stats",
        setup=_two_samples(200, 200),
        m4ml=lambda x, y: _m4ml("permutation_test")((x, y), _mean_diff, rng=0),
        reference=lambda x, y: _scipy("permutation_test")((x, y), _mean_diff, rng=0),
        reference_name="scipy.stats.permutation_test",
        repeats=5,
    ),
    Workload(
        name="bootstrap BCa 9999 of a mean, n=500",
        group="stats",
        setup=_one_sample(500),
        m4ml=lambda x: _m4ml("bootstrap_ci")(np.mean, x, rng=0),
        reference=lambda x: _scipy("bootstrap")((x,), np.mean, rng=0),
        reference_name="scipy.stats.bootstrap",
        repeats=5,
    ),
]
