"""scikit-learn's estimator checks for the PCA family, kernel PCA and the SVMs."""

import warnings

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml._core import ConvergenceWarning
from m4ml.models import PCA, SVC, SVR, IncrementalPCA, KernelPCA, LinearSVC, TruncatedSVD

ESTIMATORS = [
    PCA(),
    PCA(2, svd_solver="randomized", random_state=0),
    SVC(),
    SVC(kernel="precomputed"),
    SVC(probability=True, random_state=0),
    SVR(),
    KernelPCA(2, kernel="rbf"),
    KernelPCA(fit_inverse_transform=True),
    LinearSVC(),
    IncrementalPCA(),
    TruncatedSVD(random_state=0),
]

# check name -> why it is expected to fail (one line each; see docs/models_pca_svm.md)
_WEIGHTS = (
    "the dual stops at a KKT violation of tol=1e-3: a weight-2 sample (one multiplier, bound 2C) "
    "and a repeated one (two multipliers, bound C each) reach different points of that "
    "tolerance band, so decision values agree to ~tol, not 1e-7 (scikit-learn xfails it too)"
)
EXPECTED_FAILURES = {
    "SVC": {"check_sample_weight_equivalence_on_dense_data": _WEIGHTS},
    "SVR": {"check_sample_weight_equivalence_on_dense_data": _WEIGHTS},
    "LinearSVC": {
        "check_sample_weight_equivalence_on_dense_data": (
            "the same objective, minimized to the default tol=1e-4 relative gradient: the two "
            "fits agree to ~1e-4, not 1e-7 (they agree to 1e-9 at tol=1e-10)"
        )
    },
}
_PROBA_CLASS_WEIGHT = (
    "probability=True predicts argmax of the Platt probabilities, whose sigmoid is fitted to "
    "the true labels and so undoes the shift class_weight gives the decision values (by design: "
    "predict and predict_proba never disagree)"
)


def _expected(estimator):
    failures = dict(EXPECTED_FAILURES.get(type(estimator).__name__, {}))
    if getattr(estimator, "probability", False):
        failures["check_class_weight_classifiers"] = _PROBA_CLASS_WEIGHT
    return failures


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
