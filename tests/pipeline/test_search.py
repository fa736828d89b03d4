import numpy as np
import pytest
from sklearn import datasets
from sklearn import model_selection as skms
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.svm import SVC

from m4ml.pipeline.search import (
    GridSearchCV,
    RandomizedSearchCV,
    _rank,
    parameter_grid,
    parameter_sample,
)


def test_parameter_grid_matches_scikit_learn_order():
    grid = [{"kernel": ["linear"], "C": [1, 10]}, {"kernel": ["rbf"], "C": [1], "gamma": [0.1, 1]}]
    assert parameter_grid(grid) == list(skms.ParameterGrid(grid))


def test_grid_search_matches_scikit_learn_cv_results():
    X, y = datasets.load_iris(return_X_y=True)
    grid = {"C": [0.01, 0.1, 1.0, 10.0]}
    est = LogisticRegression(max_iter=1000)
    ours = GridSearchCV(est, grid, cv=5, return_train_score=True).fit(X, y)
    ref = skms.GridSearchCV(est, grid, cv=5, return_train_score=True).fit(X, y)
    for key in ("mean_test_score", "std_test_score", "split3_test_score", "mean_train_score"):
        np.testing.assert_allclose(ours.cv_results_[key], ref.cv_results_[key], rtol=1e-12)
    np.testing.assert_array_equal(
        ours.cv_results_["rank_test_score"], ref.cv_results_["rank_test_score"]
    )
    assert ours.best_params_ == ref.best_params_
    assert ours.best_index_ == ref.best_index_
    assert ours.best_score_ == pytest.approx(ref.best_score_, rel=1e-12)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-12)
    np.testing.assert_array_equal(ours.classes_, [0, 1, 2])
    assert ours.n_splits_ == 5 and ours.refit_time_ >= 0


def test_grid_search_with_list_of_grids_and_masked_params():
    X, y = datasets.load_iris(return_X_y=True)
    grid = [{"kernel": ["linear"], "C": [1.0]}, {"kernel": ["rbf"], "C": [1.0], "gamma": [0.1]}]
    ours = GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    ref = skms.GridSearchCV(SVC(), grid, cv=3).fit(X, y)
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"]
    )
    gamma = ours.cv_results_["param_gamma"]
    assert gamma.mask.tolist() == [True, False] and gamma[1] == 0.1


def test_rank_handles_ties_and_nan():
    np.testing.assert_array_equal(_rank(np.array([0.5, 0.9, 0.5, np.nan, 0.9])), [3, 1, 3, 5, 1])


def test_randomized_search_is_reproducible_and_uses_distributions():
    stats = pytest.importorskip("scipy.stats")
    X, y = datasets.load_diabetes(return_X_y=True)
    dist = {"alpha": stats.loguniform(1e-3, 1e2)}
    a = RandomizedSearchCV(Ridge(), dist, n_iter=5, cv=3, random_state=7).fit(X, y)
    b = RandomizedSearchCV(Ridge(), dist, n_iter=5, cv=3, random_state=7).fit(X, y)
    alphas = [p["alpha"] for p in a.cv_results_["params"]]
    assert alphas == [p["alpha"] for p in b.cv_results_["params"]]
    assert all(1e-3 <= v <= 1e2 for v in alphas) and len(set(alphas)) == 5
    # the best candidate is the argmax of the mean test score
    assert a.best_score_ == pytest.approx(max(a.cv_results_["mean_test_score"]))


def test_parameter_sample_from_lists_draws_without_replacement():
    grid = {"a": [1, 2, 3], "b": ["x", "y"]}
    draws = parameter_sample(grid, 10, 0)
    assert len(draws) == 6
    assert sorted((d["a"], d["b"]) for d in draws) == sorted(
        (d["a"], d["b"]) for d in parameter_grid(grid)
    )


def test_multimetric_search_refits_on_the_named_metric():
    X, y = datasets.load_iris(return_X_y=True)
    grid = {"C": [0.01, 1.0]}
    est = LogisticRegression(max_iter=1000)
    ours = GridSearchCV(est, grid, scoring=["accuracy", "f1_macro"], refit="f1_macro", cv=3)
    ref = skms.GridSearchCV(est, grid, scoring=["accuracy", "f1_macro"], refit="f1_macro", cv=3)
    ours.fit(X, y)
    ref.fit(X, y)
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_f1_macro"], ref.cv_results_["mean_test_f1_macro"], rtol=1e-12
    )
    assert ours.best_params_ == ref.best_params_
    with pytest.raises(ValueError, match="refit must be False or the name"):
        GridSearchCV(est, grid, scoring=["accuracy", "f1_macro"], cv=3).fit(X, y)


def test_search_errors():
    X, y = np.zeros((6, 1)), np.array([0, 1] * 3)
    with pytest.raises(TypeError, match="list of candidate values"):
        GridSearchCV(Ridge(), {"alpha": 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="is empty"):
        GridSearchCV(Ridge(), {"alpha": []}).fit(X, y)
    with pytest.raises(ValueError, match="n_iter must be at least 1"):
        RandomizedSearchCV(Ridge(), {"alpha": [1.0]}, n_iter=0).fit(X, y)
    with pytest.raises(TypeError, match="rvs method"):
        RandomizedSearchCV(Ridge(), {"alpha": 3.0, "fit_intercept": [True]}, cv=2).fit(X, y)
    unfitted = GridSearchCV(Ridge(), {"alpha": [1.0]})
    with pytest.raises(Exception, match="not fitted"):
        unfitted.predict(X)
    no_refit = GridSearchCV(Ridge(), {"alpha": [1.0]}, refit=False, cv=2).fit(X, y)
    with pytest.raises(AttributeError, match="refit=True"):
        no_refit.predict(X)
    assert no_refit.best_params_ == {"alpha": 1.0}
