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
