"""Linear models vs scikit-learn on identical data: logistic regression (lbfgs), least
squares, ridge, lasso."""

import warnings

import numpy as np

from benchmarks.workload import Workload


def _logistic_data(n=40000, p=100, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = rng.standard_normal(p) / np.sqrt(p)
    y = (X @ w + 0.5 * rng.standard_normal(n) > 0).astype(int)
    return X, y


def _regression_data(n=20000, p=100, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) + 1.0
    y = X @ rng.standard_normal(p) + rng.standard_normal(n)
    return X, y


def _fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


def _ours_logistic(X, y):
    from m4ml.models import LogisticRegression

    return _fit(LogisticRegression(C=1.0), X, y).coef_


def _sk_logistic(X, y):
    from sklearn.linear_model import LogisticRegression

    return _fit(LogisticRegression(C=1.0), X, y).coef_


def _pair(name):
    def ours(X, y):
        import m4ml.models

        return _fit(getattr(m4ml.models, name)(**KW[name]), X, y).coef_

    def ref(X, y):
        import sklearn.linear_model

        return _fit(getattr(sklearn.linear_model, name)(**KW[name]), X, y).coef_

    return ours, ref


KW = {"LinearRegression": {}, "Ridge": {"alpha": 1.0}, "Lasso": {"alpha": 0.01}}

WORKLOADS = [
    Workload(
        name="LogisticRegression lbfgs 40000x100, C=1",
        group="models",
        setup=_logistic_data,
        m4ml=_ours_logistic,
        reference=_sk_logistic,
        reference_name="sklearn.linear_model.LogisticRegression",
        target=1.2,
        repeats=5,
    ),
    *(
        Workload(
            name=f"{name} 20000x100",
            group="models",
            setup=_regression_data,
            m4ml=_pair(name)[0],
            reference=_pair(name)[1],
            reference_name=f"sklearn.linear_model.{name}",
            repeats=5,
        )
        for name in KW
    ),
]
