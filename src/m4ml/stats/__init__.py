"""m4ml.stats: descriptive statistics, hypothesis tests, confidence intervals, Bayesian inference.

Public names are imported lazily from the module that defines them (PEP 562), so
``import m4ml.stats`` stays cheap.
"""

import importlib

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
    "DegenerateDataWarning": "_results",
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
    # resampling and nonparametric tests
    "ks_1samp": "nonparametric",
    "ks_2samp": "nonparametric",
    "mannwhitneyu": "nonparametric",
    "permutation_test": "resampling",
    "bootstrap_ci": "resampling",
    "BootstrapResult": "resampling",
    # Bayesian inference
    "BetaBinomial": "bayes",
    "GammaPoisson": "bayes",
    "NormalKnownVariance": "bayes",
    "NormalInverseGamma": "bayes",
    "DirichletMultinomial": "bayes",
    "metropolis_hastings": "mcmc",
    "MCMCResult": "mcmc",
    "effective_sample_size": "mcmc",
    "autocorrelation_function": "mcmc",
    "credible_interval": "credible",
    "hpd_interval": "credible",
    "NegativeBinomial": "predictive",
    "BetaBinomialDistribution": "predictive",
    "DirichletMultinomialDistribution": "predictive",
    "NormalInverseGammaDistribution": "bayes_normal",
    # Bayesian linear regression (evidence maximization)
    "bayesian_linear_regression": "bayes_linear",
    "BayesianLinearFit": "bayes_linear",
    "log_evidence": "bayes_linear",
}


__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'm4ml.stats' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
