"""scikit-learn's estimator checks for the PCA family, kernel PCA and the SVMs."""

import warnings

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml._core import ConvergenceWarning
from m4ml.models import PCA

ESTIMATORS = [PCA(), PCA(2, svd_solver="randomized", random_state=0)]

# check name -> why it is expected to fail (one line each; see docs/models_pca_svm.md)
EXPECTED_FAILURES = {}


def _expected(estimator):
    return EXPECTED_FAILURES.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected)
def test_sklearn_conformance(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS[:1], ids=lambda e: type(e).__name__)
def test_in_pipeline_and_grid_search(estimator):
    from sklearn.datasets import load_wine
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, _ = load_wine(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), estimator)
    search = GridSearchCV(pipe, {f"{type(estimator).__name__.lower()}__n_components": [2, 3]})
    search.fit(X)
    assert search.best_params_
