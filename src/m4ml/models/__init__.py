"""m4ml.models: scikit-learn estimators built on m4ml's own mathematics.

Linear and logistic models, naive Bayes, k-means and Gaussian mixtures, calibration and
conformal prediction, PCA and its family, kernels and support vector machines, and the MLP
estimators. Every estimator follows scikit-learn's protocol (``fit``/``predict``/``transform``,
hyper-parameters in ``__init__``, learned attributes with a trailing underscore) and passes its
``check_estimator`` suite; the factorizations, gradients, solvers and densities come from
:mod:`m4ml.linalg`, :mod:`m4ml.autodiff`, :mod:`m4ml.optim` and :mod:`m4ml.probability`.

Public names are imported lazily from the module that defines them (PEP 562), so
``import m4ml.models`` stays cheap.
"""

import importlib

_EXPORTS = {
    # -- linear models (Models I) --
    "LinearRegression": "linear",
    "OLSSummary": "_summary",
    "Ridge": "ridge",
    "RidgeCV": "ridge",
    "BayesianRidge": "ridge",
    "Lasso": "lasso",
    "ElasticNet": "lasso",
    "LassoCV": "lasso",
    "ElasticNetCV": "lasso",
    "LogisticRegression": "logistic",
    "SGDClassifier": "sgd",
    "SGDRegressor": "sgd",
    # -- naive Bayes, clustering and mixtures (Models I) --
    "BernoulliNB": "naive_bayes_discrete",
    "CategoricalNB": "naive_bayes_discrete",
    "ComplementNB": "naive_bayes_discrete",
    "GaussianMixture": "mixture",
    "GaussianNB": "naive_bayes",
    "KMeans": "kmeans",
    "MultinomialNB": "naive_bayes_discrete",
    "kmeans_plusplus": "kmeans",
    # -- calibration and conformal prediction (Models I) --
    "CalibratedClassifierCV": "calibration",
    "CrossConformalRegressor": "conformal_cv",
    "IsotonicRegression": "isotonic",
    "SplitConformalClassifier": "conformal",
    "SplitConformalRegressor": "conformal",
    "calibration_curve": "calibration",
    "conformal_quantile": "conformal",
    "fit_platt": "_platt",
    "isotonic_regression": "isotonic",
    "platt_predict": "_platt",
    # -- kernels, PCA family, SVMs (Models II) --
    "PCA": "pca",
    "KernelPCA": "kernel_pca",
    "IncrementalPCA": "incremental_pca",
    "TruncatedSVD": "incremental_pca",
    "SVC": "svc",
    "SVR": "svr",
    "LinearSVC": "linear_svc",
    "svm_dual_qp": "svm_qp",
    "plot_decision_boundary": "plotting",
    "cosine_similarity": "kernels",
    "euclidean_distances": "kernels",
    "laplacian_kernel": "kernels",
    "linear_kernel": "kernels",
    "manhattan_distances": "kernels",
    "pairwise_kernels": "kernels",
    "polynomial_kernel": "kernels",
    "rbf_kernel": "kernels",
    "sigmoid_kernel": "kernels",
    # -- neural-network estimators (Models III) --
    "MLPClassifier": "mlp",
    "MLPRegressor": "mlp",
    # -- warnings (ConvergenceWarning's home is m4ml.optim; re-exported for estimator users) --
    "ConvergenceWarning": "_base",
    "DataConversionWarning": "_base",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'm4ml.models' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"m4ml.models.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
