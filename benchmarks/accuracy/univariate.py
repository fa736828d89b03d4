"""NIST StRD univariate summary statistics: mean, standard deviation, lag-1 autocorrelation."""

import numpy as np

from benchmarks.accuracy import scores
from m4ml.datasets import load_nist
from m4ml.datasets.nist import UNIVARIATE

NAMES = UNIVARIATE


def _m4ml(y):
    from m4ml.stats import autocorrelation, mean, std

    return {"mean": mean(y), "std": std(y, ddof=1), "r1": autocorrelation(y)}


def _numpy(y):
    return {"mean": np.mean(y), "std": np.std(y, ddof=1)}


def _scipy(y):
    import scipy.stats

    d = scipy.stats.describe(y)
    return {"mean": d.mean, "std": np.sqrt(d.variance)}


def _statsmodels(y):
    from statsmodels.tsa.stattools import acf

    return {"r1": acf(y, nlags=1, fft=False)[1]}


METHODS = {
    "m4ml": _m4ml,
    "numpy": _numpy,
    "scipy.stats.describe": _scipy,
    "statsmodels acf": _statsmodels,
}


def run(name):
    data = load_nist(name)
    return {method: scores(fit(data.y), data.certified) for method, fit in METHODS.items()}
