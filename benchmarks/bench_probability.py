"""m4ml.probability vs scipy / scikit-learn / numpy: information theory on 10^6 probabilities,
and a Markov chain's stationary distribution vs numpy.linalg.solve of the same linear system."""

import numpy as np

from benchmarks.workload import Workload

N = 1_000_000


def _pair():
    rng = np.random.default_rng(0)
    p, q = rng.random(N), rng.random(N)
    return p / p.sum(), q / q.sum()


def _close_pair():
    rng = np.random.default_rng(1)
    p = rng.random(N)
    q = p * (1.0 + 0.01 * rng.standard_normal(N))
    return p / p.sum(), q / q.sum()


def _labels():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 20, N)
    return x, (x + rng.integers(0, 5, N)) % 20


def _chain():
    P = np.random.default_rng(3).random((1000, 1000))
    return (P / P.sum(axis=1, keepdims=True),)


def _m4ml_stationary(P):
    from m4ml.probability import MarkovChain

    return MarkovChain(P).stationary_distribution()


def _numpy_stationary(P):
    n = P.shape[0]
    return np.linalg.solve(np.eye(n) - P.T + 1.0, np.ones(n))


def _m4ml(name):
    def run(*inputs):
        import m4ml.probability

        return getattr(m4ml.probability, name)(*inputs)

    return run


def _scipy_entropy(*inputs):
    import scipy.stats

    return scipy.stats.entropy(*inputs)


def _scipy_js_squared(p, q):
    from scipy.spatial.distance import jensenshannon

    return jensenshannon(p, q) ** 2


def _sklearn_mi(x, y):
    from sklearn.metrics import mutual_info_score

    return mutual_info_score(x, y)


WORKLOADS = [
    Workload(
        name="entropy, 10^6 probabilities",
        group="probability",
        setup=lambda: _pair()[:1],
        m4ml=_m4ml("entropy"),
        reference=_scipy_entropy,
        reference_name="scipy.stats.entropy",
    ),
    Workload(
        name="kl_divergence, 10^6 probabilities",
        group="probability",
        setup=_pair,
        m4ml=_m4ml("kl_divergence"),
        reference=_scipy_entropy,
        reference_name="scipy.stats.entropy(p, q)",
    ),
    Workload(
        name="kl_divergence, 10^6 probabilities, q within 1% of p",
        group="probability",
        setup=_close_pair,
        m4ml=_m4ml("kl_divergence"),
        reference=_scipy_entropy,
        reference_name="scipy.stats.entropy(p, q)",
    ),
    Workload(
        name="js_divergence, 10^6 probabilities",
        group="probability",
        setup=_pair,
        m4ml=_m4ml("js_divergence"),
        reference=_scipy_js_squared,
        reference_name="scipy.spatial.distance.jensenshannon ** 2",
    ),
    Workload(
        name="mutual information from 10^6 paired labels, 20 x 20",
        group="probability",
        setup=_labels,
        m4ml=_m4ml("mutual_information_from_samples"),
        reference=_sklearn_mi,
        reference_name="sklearn.metrics.mutual_info_score",
        repeats=5,
    ),
    Workload(
        name="MarkovChain(P).stationary_distribution(), 1000 states",
        group="probability",
        setup=_chain,
        m4ml=_m4ml_stationary,
        reference=_numpy_stationary,
        reference_name="numpy.linalg.solve of (I - P^T + 1 1^T) pi = 1",
        repeats=5,
    ),
]
