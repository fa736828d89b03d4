import numpy as np
import pytest
from sklearn import datasets
from sklearn import model_selection as skms
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression, Ridge

from m4ml.pipeline.crossval import check_cv, cross_val_score, cross_validate
from m4ml.pipeline.split import KFold, StratifiedKFold


@pytest.fixture(scope="module")
def iris():
    return datasets.load_iris(return_X_y=True)


def test_cross_val_score_matches_scikit_learn_for_a_classifier(iris):
    X, y = iris
    est = LogisticRegression(max_iter=500)
    np.testing.assert_allclose(
        cross_val_score(est, X, y, cv=5), skms.cross_val_score(est, X, y, cv=5), rtol=1e-12
    )


def test_cross_validate_matches_scikit_learn_for_a_regressor():
    X, y = datasets.load_diabetes(return_X_y=True)
    ours = cross_validate(Ridge(alpha=0.5), X, y, cv=4, return_train_score=True)
    ref = skms.cross_validate(Ridge(alpha=0.5), X, y, cv=4, return_train_score=True)
    np.testing.assert_allclose(ours["test_score"], ref["test_score"], rtol=1e-12)
    np.testing.assert_allclose(ours["train_score"], ref["train_score"], rtol=1e-12)
    assert ours["fit_time"].shape == (4,) and np.all(ours["fit_time"] >= 0)
    assert ours["score_time"].shape == (4,)


def test_integer_cv_is_stratified_for_classifiers_only(iris):
    _, y = iris
    assert isinstance(check_cv(3, y, classifier=True), StratifiedKFold)
    assert isinstance(check_cv(3, y, classifier=False), KFold)
    assert isinstance(check_cv(3, y + 0.5, classifier=True), KFold)  # continuous target
    assert check_cv(None).n_splits == 5


def test_explicit_splits_and_splitter_objects(iris):
    X, y = iris
    splits = list(KFold(3, shuffle=True, random_state=0).split(X))
    est = LogisticRegression(max_iter=500)
    a = cross_val_score(est, X, y, cv=splits)
    b = skms.cross_val_score(est, X, y, cv=splits)
    np.testing.assert_allclose(a, b, rtol=1e-12)
    c = cross_val_score(est, X, y, cv=KFold(3, shuffle=True, random_state=0))
    np.testing.assert_allclose(a, c, rtol=0)


def test_return_estimator_and_indices_and_callable_scoring(iris):
    X, y = iris

    def hit_rate(est, X_, y_):
        return float(np.mean(est.predict(X_) == y_))

    res = cross_validate(
        DummyClassifier(strategy="most_frequent"),
        X,
        y,
        cv=3,
        scoring=hit_rate,
        return_estimator=True,
        return_indices=True,
    )
    assert len(res["estimator"]) == 3 and all(hasattr(e, "classes_") for e in res["estimator"])
    tests = np.concatenate(res["indices"]["test"])
    assert sorted(tests.tolist()) == list(range(len(y)))
    # each fold's score is its own fitted estimator's hit rate on its own test indices
    expected = [
        np.mean(e.predict(X[te]) == y[te])
        for e, te in zip(res["estimator"], res["indices"]["test"])
    ]
    np.testing.assert_allclose(res["test_score"], expected, rtol=1e-12)
    assert max(expected) < 0.35  # stratified folds: the majority class is a third of each


def test_multi_metric_scoring_with_names(iris):
    X, y = iris
    est = LogisticRegression(max_iter=500)
    ours = cross_validate(est, X, y, cv=3, scoring=["accuracy", "f1_macro"])
    ref = skms.cross_validate(est, X, y, cv=3, scoring=["accuracy", "f1_macro"])
    for key in ("test_accuracy", "test_f1_macro"):
        np.testing.assert_allclose(ours[key], ref[key], rtol=1e-12)


class _Picky(ClassifierMixin, BaseEstimator):
    """Fails to fit when the training set contains class 2."""

    def fit(self, X, y):
        if 2 in y:
            raise RuntimeError("class 2 seen")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_failed_fits_warn_and_score_nan_or_raise():
    X = np.zeros((9, 1))
    y = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2])
    splits = [(np.arange(6), np.arange(6, 9)), (np.arange(3, 9), np.arange(3))]
    with pytest.warns(FitFailedWarning, match="1 of 2 fits failed"):
        scores = cross_val_score(_Picky(), X, y, cv=splits)
    assert np.isnan(scores[1]) and scores[0] == 0.0
    with pytest.raises(RuntimeError, match="class 2 seen"):
        cross_val_score(_Picky(), X, y, cv=splits, error_score="raise")
    with pytest.raises(ValueError, match="all 1 fits failed"):
        cross_val_score(_Picky(), X, y, cv=splits[1:])


def test_bad_arguments():
    X, y = np.zeros((6, 1)), np.array([0, 1] * 3)
    with pytest.raises(ValueError, match="inconsistent"):
        cross_val_score(DummyClassifier(), X, y[:5])
    with pytest.raises(ValueError, match="cv must be"):
        cross_val_score(DummyClassifier(), X, y, cv="five")
    with pytest.raises(ValueError, match="error_score"):
        cross_val_score(DummyClassifier(), X, y, cv=2, error_score="ignore")
    with pytest.raises(ValueError, match="single metric"):
        cross_val_score(DummyClassifier(), X, y, cv=2, scoring=["a", "b"])
    with pytest.raises(ValueError, match="0 samples"):
        cross_val_score(DummyClassifier(), np.zeros((0, 1)), np.zeros(0))
    with pytest.raises(TypeError, match="scoring must be"):
        cross_validate(DummyClassifier(), X, y, cv=2, scoring=3)


def test_fit_params_are_split_with_the_rows(iris):
    X, y = iris
    w = np.linspace(0.5, 2.0, len(y))
    est = LogisticRegression(max_iter=500)
    ours = cross_val_score(est, X, y, cv=3, params={"sample_weight": w})
    ref = skms.cross_val_score(est, X, y, cv=3, params={"sample_weight": w})
    np.testing.assert_allclose(ours, ref, rtol=1e-12)


def test_a_metric_undefined_on_a_fold_scores_error_score_with_a_warning():
    X = np.arange(12.0).reshape(-1, 1)
    y = np.array([0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1])
    # the first fold's test rows hold a single class: ROC AUC is undefined there
    splits = [(np.arange(4, 12), np.arange(4)), (np.arange(8), np.arange(8, 12))]
    with pytest.warns(UserWarning, match="scoring 'score' failed"):
        scores = cross_val_score(LogisticRegression(), X, y, cv=splits, scoring="roc_auc")
    assert np.isnan(scores[0]) and 0.0 <= scores[1] <= 1.0
    with pytest.raises(ValueError):
        cross_val_score(
            LogisticRegression(), X, y, cv=splits, scoring="roc_auc", error_score="raise"
        )
