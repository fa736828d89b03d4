"""NIST StRD one-way analysis of variance: m4ml's f_oneway vs scipy.stats and statsmodels."""

import warnings

import numpy as np

from benchmarks.accuracy import scores
from m4ml.datasets import load_nist
from m4ml.datasets.nist import ANOVA

NAMES = ANOVA
QUANTITIES = ("ss_between", "ss_within", "ms_between", "ms_within", "F", "r_squared")


def _m4ml(groups):
    from m4ml.stats import f_oneway

    r = f_oneway(*groups)
    return {
        "ss_between": r.ss_between,
        "ss_within": r.ss_within,
        "ms_between": r.ms_between,
        "ms_within": r.ms_within,
        "F": r.statistic,
        "r_squared": r.r_squared,
        "residual_sd": r.residual_std,
    }


def _scipy(groups):
    import scipy.stats

    return {"F": scipy.stats.f_oneway(*groups).statistic}


def _statsmodels(groups):
    """The one-way ANOVA as a regression on treatment indicators (statsmodels OLS)."""
    import statsmodels.api as sm

    y = np.concatenate(groups)
    labels = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    X = np.column_stack([np.ones(len(y))] + [labels == k for k in range(1, len(groups))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = sm.OLS(y, X.astype(float)).fit()
        return {
            "ss_between": r.ess,
            "ss_within": r.ssr,
            "ms_between": r.mse_model,
            "ms_within": r.mse_resid,
            "F": r.fvalue,
            "r_squared": r.rsquared,
            "residual_sd": float(np.sqrt(r.mse_resid)),
        }


METHODS = {"m4ml": _m4ml, "scipy.stats.f_oneway": _scipy, "statsmodels OLS": _statsmodels}


def run(name):
    data = load_nist(name)
    return {method: scores(fit(data.groups), data.certified) for method, fit in METHODS.items()}
