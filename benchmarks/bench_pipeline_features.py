"""Encoding, feature construction and feature selection: m4ml.pipeline vs scikit-learn."""

import warnings

import numpy as np

from benchmarks.workload import Workload


def _integers(n, d, k, seed=0):
    def setup():
        return (np.random.default_rng(seed).integers(0, k, (n, d)),)

    return setup


def _strings(n, d, seed=0):
    def setup():
        words = np.array(["cat", "dog", "emu", "fox", "gnu"], dtype=object)
        return (words[np.random.default_rng(seed).integers(0, words.size, (n, d))],)

    return setup


def _gaussian(n, d, classes=None, seed=0, positive=False):
    def setup():
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n, d))
        if classes is None:
            return (X,)
        y = rng.integers(0, classes, n)
        X = X + 0.3 * y[:, None] * (np.arange(d) % 3 == 0)
        return (np.abs(X) if positive else X, y)

    return setup


def _quiet(fn):
    def run(*args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)

    return run


MODULES = {
    "OneHotEncoder": "m4ml.pipeline.encode",
    "OrdinalEncoder": "m4ml.pipeline.encode",
    "PolynomialFeatures": "m4ml.pipeline.features",
    "KBinsDiscretizer": "m4ml.pipeline.discretize",
    "VarianceThreshold": "m4ml.pipeline.select",
}


def _ours(cls, **kw):
    return _sklearn(MODULES[cls], cls, **kw)


def _sklearn(module, cls, **kw):  # also builds ours, from its m4ml module
    def run(X):
        import importlib

        return getattr(importlib.import_module(module), cls)(**kw).fit_transform(X)

    return _quiet(run)


def _score(name, package):
    def run(X, y):
        import importlib

        kw = {"random_state": 0} if name == "mutual_info_classif" else {}
        return getattr(importlib.import_module(package), name)(X, y, **kw)

    return _quiet(run)


def _w(name, setup, ours, ref, ref_name, target=None, repeats=7):
    return Workload(name, "pipeline", setup, ours, ref, ref_name, target, repeats)


WORKLOADS = [
    _w(
        "OneHotEncoder fit_transform 100000x50 ints (6 levels)",
        _integers(100_000, 50, 6),
        _ours("OneHotEncoder"),
        _sklearn("sklearn.preprocessing", "OneHotEncoder", sparse_output=False),
        "sklearn OneHotEncoder(sparse_output=False)",
        target=1.5,
        repeats=5,
    ),
    _w(
        "OneHotEncoder fit_transform 100000x50 strings (5 levels)",
        _strings(100_000, 50),
        _ours("OneHotEncoder"),
        _sklearn("sklearn.preprocessing", "OneHotEncoder", sparse_output=False),
        "sklearn OneHotEncoder(sparse_output=False)",
        target=1.5,
        repeats=5,
    ),
    _w(
        "OrdinalEncoder fit_transform 100000x50 strings",
        _strings(100_000, 50),
        _ours("OrdinalEncoder"),
        _sklearn("sklearn.preprocessing", "OrdinalEncoder"),
        "sklearn OrdinalEncoder",
        repeats=5,
    ),
    _w(
        "PolynomialFeatures(2) fit_transform 100000x50",
        _gaussian(100_000, 50),
        _ours("PolynomialFeatures", degree=2),
        _sklearn("sklearn.preprocessing", "PolynomialFeatures", degree=2),
        "sklearn PolynomialFeatures(degree=2)",
        target=1.5,
        repeats=3,
    ),
    _w(
        "KBinsDiscretizer(quantile, ordinal) fit_transform 100000x50",
        _gaussian(100_000, 50),
        _ours("KBinsDiscretizer", n_bins=8, encode="ordinal"),
        _sklearn("sklearn.preprocessing", "KBinsDiscretizer", n_bins=8, encode="ordinal"),
        "sklearn KBinsDiscretizer(encode='ordinal')",
        repeats=5,
    ),
    _w(
        "VarianceThreshold fit_transform 100000x50",
        _gaussian(100_000, 50),
        _ours("VarianceThreshold", threshold=0.5),
        _sklearn("sklearn.feature_selection", "VarianceThreshold", threshold=0.5),
        "sklearn VarianceThreshold",
    ),
    _w(
        "f_classif 100000x50, 10 classes",
        _gaussian(100_000, 50, classes=10),
        _score("f_classif", "m4ml.pipeline.scores"),
        _score("f_classif", "sklearn.feature_selection"),
        "sklearn f_classif",
    ),
    _w(
        "chi2 100000x50, 10 classes",
        _gaussian(100_000, 50, classes=10, positive=True),
        _score("chi2", "m4ml.pipeline.scores"),
        _score("chi2", "sklearn.feature_selection"),
        "sklearn chi2",
    ),
    _w(
        "mutual_info_classif 5000x10 continuous, 3 classes",
        _gaussian(5000, 10, classes=3),
        _score("mutual_info_classif", "m4ml.pipeline.scores"),
        _score("mutual_info_classif", "sklearn.feature_selection"),
        "sklearn mutual_info_classif",
        repeats=3,
    ),
]
