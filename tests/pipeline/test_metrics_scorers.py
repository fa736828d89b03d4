"""Scorers against scikit-learn's scorers of the same names, on fitted estimators."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm

from m4ml.pipeline import metrics as mm


@pytest.fixture(scope="module")
def fitted():
    """Fitted test-only estimators and held-out data: binary, multiclass, regression."""
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.svm import LinearSVC

    def split(X, y):
        X = (X - X.mean(0)) / X.std(0)
        return X[::2], y[::2], X[1::2], y[1::2]

    Xb, yb, Xbt, ybt = split(*load_breast_cancer(return_X_y=True))
    Xm, ym, Xmt, ymt = split(*load_iris(return_X_y=True))
    Xr, yr, Xrt, yrt = split(*load_diabetes(return_X_y=True))
    names = np.array(["malignant", "benign"])
    return {
        "binary": (LogisticRegression(max_iter=300).fit(Xb, yb), Xbt, ybt),
        "binary_str": (LogisticRegression(max_iter=300).fit(Xb, names[yb]), Xbt, names[ybt]),
        "binary_svc": (LinearSVC().fit(Xb, yb), Xbt, ybt),
        "multiclass": (LogisticRegression(max_iter=300).fit(Xm, ym), Xmt, ymt),
        "regression": (LinearRegression().fit(Xr, yr), Xrt, yrt),
        "clusters": (KMeans(3, n_init=3, random_state=0).fit(Xm), Xmt, ymt),
    }


CASES = {
    "binary": [
        "accuracy",
        "balanced_accuracy",
        "matthews_corrcoef",
        "f1",
        "precision",
        "recall",
        "f1_macro",
        "recall_weighted",
        "precision_micro",
        "roc_auc",
        "average_precision",
        "neg_log_loss",
        "neg_brier_score",
    ],
    "binary_svc": ["roc_auc", "average_precision", "f1"],
    "binary_str": ["accuracy", "f1_macro", "roc_auc", "neg_log_loss"],
    "multiclass": [
        "accuracy",
        "f1_macro",
        "f1_micro",
        "f1_weighted",
        "precision_macro",
        "recall_macro",
        "roc_auc_ovr",
        "roc_auc_ovr_weighted",
        "roc_auc_ovo",
        "roc_auc_ovo_weighted",
        "neg_log_loss",
        "neg_brier_score",
        "matthews_corrcoef",
    ],
    "regression": [
        "r2",
        "explained_variance",
        "neg_mean_squared_error",
        "neg_root_mean_squared_error",
        "neg_mean_absolute_error",
    ],
    "clusters": ["adjusted_rand_score"],
}


@pytest.mark.parametrize(("problem", "name"), [(p, n) for p, names in CASES.items() for n in names])
def test_scorers_match_sklearn(fitted, problem, name):
    est, X, y = fitted[problem]
    got = mm.get_scorer(name)(est, X, y)
    want = skm.get_scorer(name)(est, X, y)
    assert got == pytest.approx(want, abs=1e-12)
    w = np.linspace(0.5, 1.5, len(y))
    if "ovo" in name:  # one-vs-one AUC takes no sample weights, in either library
        for get in (mm.get_scorer, skm.get_scorer):
            with pytest.raises(ValueError, match="sample_weight"):
                get(name)(est, X, y, sample_weight=w)
    elif name != "adjusted_rand_score":
        assert mm.get_scorer(name)(est, X, y, sample_weight=w) == pytest.approx(
            skm.get_scorer(name)(est, X, y, sample_weight=w), abs=1e-12
        )


def test_string_binary_needs_pos_label(fitted):
    est, X, y = fitted["binary_str"]
    with pytest.raises(ValueError, match="pos_label"):
        mm.get_scorer("f1")(est, X, y)
    scorer = mm.make_scorer(mm.f1_score, pos_label="malignant")
    want = skm.make_scorer(skm.f1_score, pos_label="malignant")(est, X, y)
    assert scorer(est, X, y) == pytest.approx(want, abs=1e-12)
    # probabilities of the chosen positive class
    ap = mm.make_scorer(
        mm.average_precision_score, response_method="predict_proba", pos_label="malignant"
    )
    want = skm.make_scorer(
        skm.average_precision_score, response_method="predict_proba", pos_label="malignant"
    )(est, X, y)
    assert ap(est, X, y) == pytest.approx(want, abs=1e-12)
    with pytest.raises(ValueError, match="not a valid label"):
        mm.make_scorer(mm.f1_score, pos_label="other")(est, X, y)
    # average_precision's default pos_label=1 is not a class here: both libraries refuse
    with pytest.raises(ValueError, match="pos_label=1"):
        skm.get_scorer("average_precision")(est, X, y)
    with pytest.raises(ValueError, match="pos_label=1"):
        mm.get_scorer("average_precision")(est, X, y)


def test_decision_function_sign_for_first_class(fitted):
    est, X, y = fitted["binary_svc"]
    scorer = mm.make_scorer(mm.roc_auc_score, response_method="decision_function")
    flipped = mm.make_scorer(mm.average_precision_score, response_method="decision_function")
    auc = scorer(est, X, y)
    assert auc == pytest.approx(skm.roc_auc_score(y, est.decision_function(X)), abs=1e-12)
    want = skm.make_scorer(
        skm.average_precision_score, response_method="decision_function", pos_label=0
    )(est, X, y)
    got = mm.make_scorer(
        mm.average_precision_score, response_method="decision_function", pos_label=0
    )(est, X, y)
    assert got == pytest.approx(want, abs=1e-12)
    assert got != pytest.approx(flipped(est, X, y))


def test_make_scorer_sign_and_repr():
    scorer = mm.make_scorer(mm.mean_absolute_error, greater_is_better=False)
    assert repr(scorer) == (
        "make_scorer(mean_absolute_error, greater_is_better=False, response_method='predict')"
    )

    class Constant:
        def predict(self, X):
            return np.zeros(len(X))

    assert scorer(Constant(), np.zeros((3, 1)), [1.0, -2.0, 3.0]) == pytest.approx(-2.0)
    with pytest.raises(AttributeError, match="predict_proba"):
        mm.get_scorer("neg_log_loss")(Constant(), np.zeros((3, 1)), [0, 1, 0])


def test_registry_and_errors():
    names = mm.get_scorer_names()
    assert names == sorted(names)
    assert set(names) <= set(skm.get_scorer_names())
    for name in ("accuracy", "f1_macro", "roc_auc", "neg_log_loss", "neg_mean_squared_error", "r2"):
        assert name in names
    assert mm.get_scorer(None) is None
    assert mm.get_scorer(len) is len
    first, second = mm.get_scorer("f1_macro"), mm.get_scorer("f1_macro")
    assert first is not second and repr(first) == repr(second)
    with pytest.raises(ValueError, match="not a valid scoring value"):
        mm.get_scorer("f2_macro")
    with pytest.raises(TypeError, match="scoring"):
        mm.get_scorer(3)
    with pytest.raises(ValueError, match="response_method"):
        mm.make_scorer(mm.accuracy_score, response_method="transform")
    with pytest.raises(TypeError, match="callable"):
        mm.make_scorer("accuracy")


def test_scorers_drive_sklearn_cross_validation(fitted):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score

    _, X, y = fitted["multiclass"]
    est = LogisticRegression(max_iter=300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = cross_val_score(est, X, y, cv=3, scoring=mm.get_scorer("f1_macro"))
        want = cross_val_score(est, X, y, cv=3, scoring="f1_macro")
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_scorers_in_sklearn_grid_search_multimetric(fitted):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    _, X, y = fitted["multiclass"]
    grid = {"C": [0.01, 1.0]}
    ours = {"f1": mm.get_scorer("f1_macro"), "nll": mm.get_scorer("neg_log_loss")}
    theirs = {"f1": "f1_macro", "nll": "neg_log_loss"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = GridSearchCV(LogisticRegression(max_iter=300), grid, scoring=ours, refit="f1", cv=3)
        b = GridSearchCV(LogisticRegression(max_iter=300), grid, scoring=theirs, refit="f1", cv=3)
        a.fit(X, y)
        b.fit(X, y)
    for key in ("mean_test_f1", "mean_test_nll"):
        np.testing.assert_allclose(a.cv_results_[key], b.cv_results_[key], rtol=0, atol=1e-12)
    assert a.best_params_ == b.best_params_
