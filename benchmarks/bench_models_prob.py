"""Naive Bayes, k-means and Gaussian mixtures (m4ml.models) vs scikit-learn, identical data.

The issue's targets (one BLAS thread): GaussianNB fit+predict <= 1.0x, GaussianMixture (full,
same initial parameters, same lower bound) <= 1.0x, KMeans (Lloyd, same initial centers) <= 2x.
Both sides run a fixed number of iterations (tol=0) from the same start, so they do the same work.
"""

import warnings

import numpy as np

from benchmarks.workload import Workload


def _nb_data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200_000)
    X = rng.standard_normal((200_000, 50)) + 0.2 * y[:, None]
    return X[:160_000], y[:160_000], X[160_000:]


def _m4ml_gnb(X, y, T):
    from m4ml.models import GaussianNB

    return GaussianNB().fit(X, y).predict(T)


def _sk_gnb(X, y, T):
    from sklearn.naive_bayes import GaussianNB

    return GaussianNB().fit(X, y).predict(T)


def _blobs(n, d, k, seed):
    rng = np.random.default_rng(seed)
    centers = 3.0 * rng.standard_normal((k, d))
    labels = rng.integers(0, k, n)
    mixing = rng.standard_normal((k, d, d)) / np.sqrt(d)
    X = centers[labels] + np.einsum("nd,nde->ne", rng.standard_normal((n, d)), mixing[labels])
    return X


def _gmm_data():
    from sklearn.mixture import GaussianMixture

    X = _blobs(50_000, 10, 5, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = GaussianMixture(5, max_iter=1, random_state=0).fit(X)
    init = {
        "weights_init": start.weights_,
        "means_init": start.means_,
        "precisions_init": start.precisions_,
    }
    return X, init


def _gmm(cls):
    def run(X, init):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cls(5, covariance_type="full", tol=0.0, max_iter=20, **init).fit(X).lower_bound_

    return run


def _m4ml_gmm(X, init):
    from m4ml.models import GaussianMixture

    return _gmm(GaussianMixture)(X, init)


def _sk_gmm(X, init):
    from sklearn.mixture import GaussianMixture

    return _gmm(GaussianMixture)(X, init)


def _km_data():
    X = _blobs(100_000, 10, 8, 2)
    return X, X[np.random.default_rng(3).choice(len(X), 8, replace=False)].copy()


def _m4ml_km(X, init):
    from m4ml.models import KMeans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return KMeans(8, init=init, n_init=1, tol=0.0, max_iter=30).fit(X).inertia_


def _sk_km(X, init):
    from sklearn.cluster import KMeans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return KMeans(8, init=init, n_init=1, tol=0.0, max_iter=30).fit(X).inertia_


WORKLOADS = [
    Workload(
        name="GaussianNB fit 160000x50 + predict 40000x50, 3 classes",
        group="models",
        setup=_nb_data,
        m4ml=_m4ml_gnb,
        reference=_sk_gnb,
        reference_name="sklearn.naive_bayes.GaussianNB",
        target=1.0,
    ),
    Workload(
        name="GaussianMixture full 50000x10, K=5, same init, 20 EM iterations",
        group="models",
        setup=_gmm_data,
        m4ml=_m4ml_gmm,
        reference=_sk_gmm,
        reference_name="sklearn.mixture.GaussianMixture",
        target=1.0,
        repeats=5,
    ),
    Workload(
        name="KMeans lloyd 100000x10, K=8, same init centers, 30 iterations",
        group="models",
        setup=_km_data,
        m4ml=_m4ml_km,
        reference=_sk_km,
        reference_name="sklearn.cluster.KMeans",
        target=2.0,
        repeats=5,
    ),
]
