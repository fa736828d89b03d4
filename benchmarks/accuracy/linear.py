"""NIST StRD linear least squares: m4ml's LinearRegression vs NumPy, statsmodels, scikit-learn."""

import warnings

import numpy as np

from benchmarks.accuracy import scores
from m4ml.datasets import load_nist
from m4ml.datasets.nist import LINEAR

NAMES = LINEAR


def design(data):
    """``(X, fit_intercept)``: the predictors of NIST's model (powers of x for polynomials)."""
    n_params = data.certified["beta"].size
    intercept = "B0" in data.model
    n_slopes = n_params - int(intercept)
    X = data.X
    if X.shape[1] == 1 and n_slopes > 1:  # a polynomial in x: x, x^2, ..., x^k
        X = np.column_stack([X[:, 0] ** j for j in range(1, n_slopes + 1)])
    return X, intercept


def _m4ml(X, y, intercept):
    from m4ml.models import LinearRegression

    s = LinearRegression(fit_intercept=intercept).fit(X, y).summary()
    return {
        "beta": s.params,
        "beta_sd": s.bse,
        "residual_sd": s.resid_std,
        "r_squared": s.rsquared,
        "F": s.fvalue,
    }


def _with_ones(X, intercept):
    return np.column_stack([np.ones(len(X)), X]) if intercept else X


def _numpy(X, y, intercept):
    beta = np.linalg.lstsq(_with_ones(X, intercept), y, rcond=None)[0]
    return {"beta": beta}


def _statsmodels(X, y, intercept):
    import statsmodels.api as sm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = sm.OLS(y, _with_ones(X, intercept)).fit()
        return {
            "beta": r.params,
            "beta_sd": r.bse,
            "residual_sd": float(np.sqrt(r.scale)),
            "r_squared": r.rsquared,
            "F": r.fvalue,
        }


def _sklearn(X, y, intercept):
    from sklearn.linear_model import LinearRegression

    r = LinearRegression(fit_intercept=intercept).fit(X, y)
    beta = np.concatenate(([r.intercept_], r.coef_)) if intercept else r.coef_
    return {"beta": beta}


METHODS = {
    "m4ml": _m4ml,
    "numpy.linalg.lstsq": _numpy,
    "statsmodels OLS": _statsmodels,
    "sklearn LinearRegression": _sklearn,
}


def certified(data):
    cert = dict(data.certified)
    if not np.isfinite(cert.get("F", 0.0)):
        cert.pop("F")  # an exact fit: F is certified as infinite, nothing to score
    return cert


def run(name):
    data = load_nist(name)
    X, intercept = design(data)
    cert = certified(data)
    out = {}
    for method, fit in METHODS.items():
        estimates = fit(X, data.y, intercept)
        out[method] = scores({k: v for k, v in estimates.items() if k in cert}, cert)
    return out
