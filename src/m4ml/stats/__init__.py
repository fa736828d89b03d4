"""m4ml.stats: descriptive statistics, hypothesis tests, confidence intervals, Bayesian inference.

Public names are imported lazily from the module that defines them (PEP 562), so
``import m4ml.stats`` is cheap and a name whose module is missing fails only when used, with
an ``AttributeError`` naming the module.
"""

import importlib
import importlib.util

_EXPORTS = {
    # descriptive statistics
    "mean": "descriptive",
    "median": "quantiles",
    "mode": "quantiles",
    "var": "descriptive",
    "std": "descriptive",
    "quantile": "quantiles",
    "iqr": "quantiles",
    "skewness": "descriptive",
    "kurtosis": "descriptive",
    "cov": "correlation",
    "corrcoef": "correlation",
    "spearman": "correlation",
    "rankdata": "correlation",
    "autocorrelation": "descriptive",
    "describe": "descriptive",
    # result objects
    "TestResult": "_results",
    "ConfidenceInterval": "_results",
    # parametric tests
    "ztest": "parametric",
    "ttest_1samp": "parametric",
    "ttest_ind": "parametric",
    "ttest_rel": "parametric",
    "f_oneway": "anova",
    "pearsonr": "pearson",
    "binomtest": "counts",
    "chisquare": "counts",
    "chi2_contingency": "counts",
    # intervals
    "mean_ci": "intervals",
    "proportion_ci": "intervals",
    # resampling and nonparametric tests (engineer STATS2)
    "ks_1samp": "nonparametric",
    "ks_2samp": "nonparametric",
    "mannwhitneyu": "nonparametric",
    "permutation_test": "resampling",
    "bootstrap_ci": "resampling",
    # Bayesian inference (engineer BAYES)
    "BetaBinomial": "bayes",
    "GammaPoisson": "bayes",
    "NormalKnownVariance": "bayes",
    "NormalInverseGamma": "bayes",
    "DirichletMultinomial": "bayes",
    "metropolis_hastings": "mcmc",
}


def _available(module_name):
    return importlib.util.find_spec(f"{__name__}.{module_name}") is not None


# names whose module is present (so ``from m4ml.stats import *`` never fails)
__all__ = sorted(name for name, module in _EXPORTS.items() if _available(module))


def __getattr__(name):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'm4ml.stats' has no attribute {name!r}")
    try:
        module = importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{module_name}":
            raise
        raise AttributeError(
            f"m4ml.stats.{name} lives in m4ml.stats.{module_name}, which is not available yet"
        ) from None
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
