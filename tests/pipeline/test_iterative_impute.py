"""IterativeImputer (and its Bayesian ridge regressor) against scikit-learn; edge cases."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn import datasets
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer as SkIterativeImputer
from sklearn.linear_model import BayesianRidge, Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml._core import ConvergenceWarning
from m4ml.pipeline.iterative_impute import IterativeImputer, _EvidenceRidge


def _correlated(rng, n, d=5, p=0.2):
    X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
    X[rng.random(X.shape) < p] = np.nan
    return X


def _both(kw, X, Y=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, ref = IterativeImputer(**kw).fit(X), SkIterativeImputer(**kw).fit(X)
        Y = X if Y is None else Y
        return ours, ref, ours.transform(Y), ref.transform(Y)


@pytest.mark.parametrize(
    ("n", "d"), [(50, 4), (5, 8), (200, 12), (1, 3), (30, 1)], ids=lambda v: str(v)
)
def test_bayesian_ridge_matches_sklearn(n, d, rng):
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + rng.normal(size=n)
    ours, ref = _EvidenceRidge().fit(X, y), BayesianRidge().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-12)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"imputation_order": "descending"},
        {"imputation_order": "roman", "initial_strategy": "median"},
        {"imputation_order": "arabic", "max_iter": 3},
        {"skip_complete": True, "min_value": -1.0, "max_value": 2.0},
        {"max_iter": 0},
    ],
)
def test_default_estimator_matches_sklearn_bayesian_ridge(kw, rng):
    X, Y = _correlated(rng, 200), _correlated(rng, 40)
    X[:, 2] = np.abs(X[:, 2])  # a complete column
    X[~np.isfinite(X[:, 2]), 2] = 1.0
    ours, ref, got, expected = _both(kw, X, Y)
    assert ours.n_iter_ == ref.n_iter_
    if ours.n_iter_:
        assert ours.n_features_with_missing_ == ref.n_features_with_missing_
    # same model, same updates: differences are rounding in the SVD (documented tolerance)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("alpha", [0.1, 10.0])
def test_ridge_estimator_matches_sklearn_exactly(alpha, rng):
    X, Y = _correlated(rng, 150), _correlated(rng, 30)
    kw = {"estimator": Ridge(alpha=alpha), "max_iter": 15, "tol": 1e-6}
    ours, ref, got, expected = _both(kw, X, Y)
    assert ours.n_iter_ == ref.n_iter_
    assert [t.feat_idx for t in ours.imputation_sequence_] == [
        t.feat_idx for t in ref.imputation_sequence_
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_wine])
def test_datasets_match_sklearn(loader, rng):
    X = loader(return_X_y=True)[0].copy()
    X[rng.random(X.shape) < 0.1] = np.nan
    _, _, got, expected = _both({"max_iter": 5}, X)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


def test_penguins_names_indicator_and_empty_feature():
    df = pd.read_csv("tests/data/penguins.csv", na_values="NA").select_dtypes("number")
    df["empty"] = np.nan
    kw = {"add_indicator": True, "estimator": Ridge(alpha=1.0)}
    ours, ref, got, expected = _both(kw, df)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-9)
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())
    out = IterativeImputer(keep_empty_features=True).set_output(transform="pandas")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        frame = out.fit_transform(df)
    assert list(frame.columns) == list(df.columns)
    assert (frame["empty"] == 0).all() and not frame.isna().any().any()


def test_random_order_and_nearest_features_are_reproducible(rng):
    X = _correlated(rng, 80, d=6)
    kw = {"imputation_order": "random", "n_nearest_features": 3, "random_state": 7}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        a = IterativeImputer(**kw).fit_transform(X)
        b = IterativeImputer(**kw).fit_transform(X)
        gen = IterativeImputer(**{**kw, "random_state": np.random.default_rng(7)})
        c = gen.fit_transform(X)
        seq = IterativeImputer(**kw).fit(X).imputation_sequence_
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert all(len(t.neighbor_feat_idx) == 3 and t.feat_idx not in t.neighbor_feat_idx for t in seq)
    assert not np.isnan(a).any()


def test_recovers_exact_linear_relation():
    x = np.linspace(-3, 3, 40)
    X = np.column_stack([x, 2 * x + 1])
    truth = X.copy()
    X[::5, 1] = np.nan
    out = IterativeImputer(estimator=Ridge(alpha=1e-10), max_iter=30, tol=1e-10).fit_transform(X)
    np.testing.assert_allclose(out, truth, atol=1e-6)


def test_convergence_warning_names_rounds(rng):
    X = _correlated(rng, 60)
    with pytest.warns(ConvergenceWarning, match="after 1 rounds"):
        IterativeImputer(max_iter=1).fit(X)


def test_errors(rng):
    X = _correlated(rng, 20, d=3)
    with pytest.raises(ValueError, match="min_value >= max_value"):
        IterativeImputer(min_value=2.0, max_value=1.0).fit(X)
    with pytest.raises(ValueError, match="should be of shape"):
        IterativeImputer(min_value=[0.0, 1.0]).fit(X)
    with pytest.raises(ValueError, match="imputation_order"):
        IterativeImputer(imputation_order="sideways").fit(X)
    with pytest.raises(ValueError, match="features"):
        IterativeImputer(max_iter=2, tol=1.0).fit(X).transform(np.ones((2, 4)))
    with pytest.raises(ValueError, match="inf"):
        IterativeImputer().fit([[1.0, np.inf], [2.0, 3.0]])


def test_single_feature_and_no_missing_return_initial_imputation():
    X = np.array([[1.0], [np.nan], [3.0]])
    imp = IterativeImputer().fit(X)
    assert imp.n_iter_ == 0
    np.testing.assert_array_equal(imp.transform(X), [[1.0], [2.0], [3.0]])
    full = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(IterativeImputer().fit_transform(full), full)


@parametrize_with_checks(
    [IterativeImputer(max_iter=3)],
)
def test_sklearn_conformance(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
