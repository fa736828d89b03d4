"""m4ml.pipeline.metrics vs scikit-learn.metrics on 10^6 predictions."""

import numpy as np

from benchmarks.workload import Workload

N = 1_000_000


def _binary():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, N)
    score = rng.random(N) + 0.3 * y
    return y, score


def _multiclass():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 10, N)
    pred = np.where(rng.random(N) < 0.7, y, rng.integers(0, 10, N))
    return y, pred


def _m4ml(name, **kwargs):
    def run(*inputs):
        from m4ml.pipeline import metrics

        return getattr(metrics, name)(*inputs, **kwargs)

    return run


def _sklearn(name, **kwargs):
    def run(*inputs):
        from sklearn import metrics

        return getattr(metrics, name)(*inputs, **kwargs)

    return run


WORKLOADS = [
    Workload(
        name="roc_auc_score, 10^6 binary scores",
        group="pipeline",
        setup=_binary,
        m4ml=_m4ml("roc_auc_score"),
        reference=_sklearn("roc_auc_score"),
        reference_name="sklearn.metrics.roc_auc_score",
        target=1.5,
    ),
    Workload(
        name="f1_score macro, 10^6 predictions, 10 classes",
        group="pipeline",
        setup=_multiclass,
        m4ml=_m4ml("f1_score", average="macro"),
        reference=_sklearn("f1_score", average="macro"),
        reference_name="sklearn.metrics.f1_score",
        target=1.5,
    ),
    Workload(
        name="confusion_matrix, 10^6 predictions, 10 classes",
        group="pipeline",
        setup=_multiclass,
        m4ml=_m4ml("confusion_matrix"),
        reference=_sklearn("confusion_matrix"),
        reference_name="sklearn.metrics.confusion_matrix",
        target=1.5,
    ),
]


def _string_labels():
    rng = np.random.default_rng(2)
    names = np.array([f"class_{i}" for i in range(10)])
    y = rng.integers(0, 10, 200_000)
    pred = np.where(rng.random(y.size) < 0.7, y, rng.integers(0, 10, y.size))
    return names[y], names[pred]


def _probabilities():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 10, 200_000)
    P = rng.dirichlet(np.ones(10), size=y.size)
    return y, P


def _clusters():
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 5, 3000)
    X = rng.normal(size=(3000, 10)) + labels[:, None]
    return X, labels


WORKLOADS += [
    Workload(
        name="f1_score macro, 2x10^5 string labels",
        group="pipeline",
        setup=_string_labels,
        m4ml=_m4ml("f1_score", average="macro"),
        reference=_sklearn("f1_score", average="macro"),
        reference_name="sklearn.metrics.f1_score",
        repeats=5,
    ),
    Workload(
        name="classification_report, 2x10^5 string labels",
        group="pipeline",
        setup=_string_labels,
        m4ml=_m4ml("classification_report"),
        reference=_sklearn("classification_report"),
        reference_name="sklearn.metrics.classification_report",
        repeats=3,
    ),
    Workload(
        name="roc_auc_score ovr, 2x10^5 x 10 probabilities",
        group="pipeline",
        setup=_probabilities,
        m4ml=_m4ml("roc_auc_score", multi_class="ovr"),
        reference=_sklearn("roc_auc_score", multi_class="ovr"),
        reference_name="sklearn.metrics.roc_auc_score",
        repeats=3,
    ),
    Workload(
        name="log_loss, 2x10^5 x 10 probabilities",
        group="pipeline",
        setup=_probabilities,
        m4ml=_m4ml("log_loss"),
        reference=_sklearn("log_loss"),
        reference_name="sklearn.metrics.log_loss",
        repeats=5,
    ),
    Workload(
        name="silhouette_score, 3000x10, 5 clusters",
        group="pipeline",
        setup=_clusters,
        m4ml=_m4ml("silhouette_score"),
        reference=_sklearn("silhouette_score"),
        reference_name="sklearn.metrics.silhouette_score",
        repeats=3,
    ),
]
