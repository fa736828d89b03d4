"""Probability distributions: m4ml.probability vs scipy.stats on the same arrays and seeds."""

import numpy as np

from benchmarks.workload import Workload

N = 1_000_000
D = 50


def _points(kind):
    def setup():
        rng = np.random.default_rng(0)
        if kind == "real":
            return (rng.standard_normal(N) * 3.0,)
        if kind == "positive":
            return (rng.gamma(2.5, 1.0, N),)
        return (rng.uniform(0.0, 1.0, N),)

    return setup


def _m4ml(cls_name, method, *params):
    def run(x):
        from m4ml.probability import continuous

        return getattr(getattr(continuous, cls_name)(*params), method)(x)

    return run


def _scipy(dist_name, method, *params, **kwargs):
    def run(x):
        import scipy.stats

        return getattr(getattr(scipy.stats, dist_name), method)(x, *params, **kwargs)

    return run


CASES = [
    ("Normal", "norm", "real", (0.5, 2.0), (), {"loc": 0.5, "scale": 2.0}),
    ("Gamma", "gamma", "positive", (2.5, 2.0), (2.5,), {"scale": 0.5}),
    ("Beta", "beta", "unit", (2.0, 3.5), (2.0, 3.5), {}),
    ("StudentT", "t", "real", (4.0, 0.5, 2.0), (4.0,), {"loc": 0.5, "scale": 2.0}),
]

WORKLOADS = [
    Workload(
        name=f"{cls}.{method} 1e6 points",
        group="probability",
        setup=_points(kind),
        m4ml=_m4ml(cls, method, *params),
        reference=_scipy(ref, method, *ref_args, **ref_kwargs),
        reference_name=f"scipy.stats.{ref}.{method}",
        target=1.5,
    )
    for cls, ref, kind, params, ref_args, ref_kwargs in CASES
    for method in ("logpdf", "cdf")
]


def _seed():
    return (12345,)


def _m4ml_normal_sample(seed):
    from m4ml.probability.normal import Normal

    return Normal(0.5, 2.0).sample(N, rng=np.random.default_rng(seed))


def _scipy_normal_sample(seed):
    import scipy.stats

    return scipy.stats.norm(0.5, 2.0).rvs(N, random_state=np.random.default_rng(seed))


def _mvn_setup():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((D, D))
    return rng.standard_normal(D), a @ a.T / D + np.eye(D), 777


def _m4ml_mvn_sample(mean, cov, seed):
    from m4ml.probability.multivariate import MultivariateNormal

    return MultivariateNormal(mean, cov).sample(N, rng=np.random.default_rng(seed))


def _scipy_mvn_sample(mean, cov, seed):
    import scipy.stats

    rng = np.random.default_rng(seed)
    return scipy.stats.multivariate_normal(mean, cov).rvs(N, random_state=rng)


WORKLOADS += [
    Workload(
        name="Normal.sample 1e6 draws",
        group="probability",
        setup=_seed,
        m4ml=_m4ml_normal_sample,
        reference=_scipy_normal_sample,
        reference_name="scipy.stats.norm.rvs",
        target=1.5,
    ),
    Workload(
        name=f"MultivariateNormal.sample 1e6 draws, d={D}",
        group="probability",
        setup=_mvn_setup,
        m4ml=_m4ml_mvn_sample,
        reference=_scipy_mvn_sample,
        reference_name="scipy.stats.multivariate_normal.rvs",
        target=1.5,
        repeats=3,
    ),
]
