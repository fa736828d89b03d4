"""Descriptive statistics, t-tests and ANOVA: m4ml.stats vs scipy.stats / NumPy on 10^6 points."""

import numpy as np
import scipy.stats as ss

from benchmarks.workload import Workload

N = 1_000_000


def _one(seed=0):
    def setup():
        return (np.random.default_rng(seed).standard_normal(N) + 3.0,)

    return setup


def _two(n1, n2, seed=1):
    def setup():
        rng = np.random.default_rng(seed)
        return rng.standard_normal(n1), rng.standard_normal(n2) * 2.0 + 0.01

    return setup


def _groups(k, seed=2):
    def setup():
        rng = np.random.default_rng(seed)
        return tuple(rng.standard_normal(N // k) + 0.001 * i for i in range(k))

    return setup


def _ttest_1samp(x):
    from m4ml.stats.parametric import ttest_1samp

    return ttest_1samp(x, 3.0)


def _ttest_ind(equal_var):
    def run(a, b):
        from m4ml.stats.parametric import ttest_ind

        return ttest_ind(a, b, equal_var=equal_var)

    return run


def _ttest_rel(a, b):
    from m4ml.stats.parametric import ttest_rel

    return ttest_rel(a, b)


def _f_oneway(*groups):
    from m4ml.stats.anova import f_oneway

    return f_oneway(*groups)


def _var(x):
    from m4ml.stats.descriptive import var

    return var(x, ddof=1)


def _median(x):
    from m4ml.stats.quantiles import median

    return median(x)


def _quantile(x):
    from m4ml.stats.quantiles import quantile

    return quantile(x, [0.1, 0.5, 0.9])


def _describe(x):
    from m4ml.stats.descriptive import describe

    return describe(x)


WORKLOADS = [
    Workload(
        name="ttest_1samp n=1e6",
        group="stats",
        setup=_one(),
        m4ml=_ttest_1samp,
        reference=lambda x: ss.ttest_1samp(x, 3.0),
        reference_name="scipy.stats.ttest_1samp",
        target=1.5,
    ),
    Workload(
        name="ttest_ind pooled 2 x 5e5",
        group="stats",
        setup=_two(N // 2, N // 2),
        m4ml=_ttest_ind(True),
        reference=lambda a, b: ss.ttest_ind(a, b),
        reference_name="scipy.stats.ttest_ind",
        target=1.5,
    ),
    Workload(
        name="ttest_ind Welch 2 x 5e5",
        group="stats",
        setup=_two(N // 2, N // 2),
        m4ml=_ttest_ind(False),
        reference=lambda a, b: ss.ttest_ind(a, b, equal_var=False),
        reference_name="scipy.stats.ttest_ind(equal_var=False)",
        target=1.5,
    ),
    Workload(
        name="ttest_rel 1e6 pairs",
        group="stats",
        setup=_two(N, N),
        m4ml=_ttest_rel,
        reference=lambda a, b: ss.ttest_rel(a, b),
        reference_name="scipy.stats.ttest_rel",
        target=1.5,
    ),
    Workload(
        name="f_oneway 4 groups x 2.5e5",
        group="stats",
        setup=_groups(4),
        m4ml=_f_oneway,
        reference=lambda *g: ss.f_oneway(*g),
        reference_name="scipy.stats.f_oneway",
        target=1.5,
    ),
    Workload(
        name="var(ddof=1) n=1e6",
        group="stats",
        setup=_one(),
        m4ml=_var,
        reference=lambda x: np.var(x, ddof=1),
        reference_name="numpy.var",
    ),
    Workload(
        name="median n=1e6",
        group="stats",
        setup=_one(),
        m4ml=_median,
        reference=np.median,
        reference_name="numpy.median",
    ),
    Workload(
        name="quantile 3 probs n=1e6",
        group="stats",
        setup=_one(),
        m4ml=_quantile,
        reference=lambda x: np.quantile(x, [0.1, 0.5, 0.9]),
        reference_name="numpy.quantile",
    ),
    Workload(
        name="describe n=1e6",
        group="stats",
        setup=_one(),
        m4ml=_describe,
        reference=ss.describe,
        reference_name="scipy.stats.describe",
    ),
]
