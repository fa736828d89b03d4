"""Missing data and scaling: m4ml.pipeline vs scikit-learn on identical inputs."""

import warnings

import numpy as np

from benchmarks.workload import Workload


def _data(n, d, missing=0.0, seed=0):
    def setup():
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n, d)) * 3.0 + 1.0
        if missing:
            X[rng.random(X.shape) < missing] = np.nan
        return (X,)

    return setup


def _fit_transform(module, cls, kw=None):
    def run(X):
        import importlib

        est = getattr(importlib.import_module(module), cls)(**(kw or {}))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return est.fit_transform(X)

    return run


def _pair(name, data, ours, ref, ref_name, target, repeats=7):
    return Workload(
        name=name,
        group="pipeline",
        setup=data,
        m4ml=_fit_transform(*ours),
        reference=_fit_transform(*ref),
        reference_name=ref_name,
        target=target,
        repeats=repeats,
    )


WORKLOADS = [
    _pair(
        "StandardScaler fit_transform 100000x50",
        _data(100_000, 50),
        ("m4ml.pipeline.scale", "StandardScaler"),
        ("sklearn.preprocessing", "StandardScaler"),
        "sklearn.preprocessing.StandardScaler",
        1.5,
    ),
    _pair(
        "StandardScaler fit_transform 100000x50, 10% NaN",
        _data(100_000, 50, 0.1),
        ("m4ml.pipeline.scale", "StandardScaler"),
        ("sklearn.preprocessing", "StandardScaler"),
        "sklearn.preprocessing.StandardScaler",
        1.5,
    ),
    _pair(
        "SimpleImputer(median) fit_transform 100000x50, 10% NaN",
        _data(100_000, 50, 0.1),
        ("m4ml.pipeline.impute", "SimpleImputer", {"strategy": "median"}),
        ("sklearn.impute", "SimpleImputer", {"strategy": "median"}),
        "sklearn.impute.SimpleImputer",
        1.5,
        repeats=5,
    ),
    _pair(
        "SimpleImputer(mean) fit_transform 100000x50, 10% NaN",
        _data(100_000, 50, 0.1),
        ("m4ml.pipeline.impute", "SimpleImputer"),
        ("sklearn.impute", "SimpleImputer"),
        "sklearn.impute.SimpleImputer",
        None,
    ),
    _pair(
        "MinMaxScaler fit_transform 100000x50",
        _data(100_000, 50),
        ("m4ml.pipeline.scale", "MinMaxScaler"),
        ("sklearn.preprocessing", "MinMaxScaler"),
        "sklearn.preprocessing.MinMaxScaler",
        None,
    ),
    _pair(
        "RobustScaler fit_transform 100000x50",
        _data(100_000, 50),
        ("m4ml.pipeline.robust_scale", "RobustScaler"),
        ("sklearn.preprocessing", "RobustScaler"),
        "sklearn.preprocessing.RobustScaler",
        None,
        repeats=5,
    ),
    _pair(
        "KNNImputer fit_transform 5000x20, 10% NaN",
        _data(5000, 20, 0.1),
        ("m4ml.pipeline.knn_impute", "KNNImputer"),
        ("sklearn.impute", "KNNImputer"),
        "sklearn.impute.KNNImputer",
        2.0,
        repeats=3,
    ),
]
