import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.feature_selection as skfs
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.scores import chi2, f_classif, f_regression, mutual_info_classif
from m4ml.pipeline.select import SelectKBest, VarianceThreshold

PENGUINS = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"
DATASETS = [load_iris, load_wine, load_breast_cancer, load_digits]


@parametrize_with_checks([VarianceThreshold(), SelectKBest(k=2)])
def test_sklearn_conformance(estimator, check):
    check(estimator)


@pytest.mark.parametrize("load", DATASETS, ids=lambda f: f.__name__)
def test_selection_matches_sklearn_on_datasets(load):
    X, y = load(return_X_y=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant/zero features in digits
        for ours_f, ref_f in [(f_classif, skfs.f_classif), (chi2, skfs.chi2)]:
            for k in (1, 3, "all"):
                ours = SelectKBest(ours_f, k=k).fit(X, y)
                ref = skfs.SelectKBest(ref_f, k=k).fit(X, y)
                np.testing.assert_array_equal(ours.get_support(), ref.get_support())
                np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
        for threshold in (0.0, 0.05, float(np.median(X.var(axis=0)))):
            ours = VarianceThreshold(threshold).fit(X)
            ref = skfs.VarianceThreshold(threshold).fit(X)
            np.testing.assert_allclose(ours.variances_, ref.variances_, rtol=1e-12, atol=1e-15)
            np.testing.assert_array_equal(ours.transform(X), ref.transform(X))


def test_regression_and_mutual_info_scores(rng):
    X = rng.standard_normal((150, 8))
    t = X[:, 2] - 2 * X[:, 5] + 0.1 * rng.standard_normal(150)
    sel = SelectKBest(f_regression, k=2).fit(X, t)
    assert sel.get_support(indices=True).tolist() == [2, 5]
    assert sel.pvalues_.shape == (8,)
    y = (X[:, 1] > 0).astype(int)
    mi = SelectKBest(lambda A, b: mutual_info_classif(A, b, random_state=0), k=1).fit(X, y)
    assert mi.get_support(indices=True).tolist() == [1]
    assert mi.pvalues_ is None


def test_ties_and_nan_scores_follow_sklearn():
    scores = np.array([1.0, 3.0, np.nan, 3.0, 2.0, 3.0])

    def score(X, y):
        return scores

    X = np.arange(12.0).reshape(2, 6)
    for k in range(7):
        ours = SelectKBest(score, k=k).fit(X, [0, 1])
        ref = skfs.SelectKBest(score, k=k).fit(X, [0, 1])
        np.testing.assert_array_equal(ours.get_support(), ref.get_support())
    assert SelectKBest(score, k=2).fit(X, [0, 1]).get_support(indices=True).tolist() == [3, 5]


def test_k_edge_cases():
    X, y = load_iris(return_X_y=True)
    with pytest.warns(UserWarning, match="greater than n_features"):
        sel = SelectKBest(k=10).fit(X, y)
    assert sel.get_support().all()
    none = SelectKBest(k=0).fit(X, y)
    with pytest.warns(UserWarning, match="No features were selected"):
        assert none.transform(X).shape == (150, 0)
    for bad in (-1, 2.5, "some", True):
        with pytest.raises(ValueError, match="k must be"):
            SelectKBest(k=bad).fit(X, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        SelectKBest(k=1).fit(X, y[:-1])
    with pytest.raises(TypeError, match="callable"):
        SelectKBest("f_classif").fit(X, y)
    with pytest.raises(ValueError, match="requires y"):
        SelectKBest(k=1).fit(X)


def test_variance_threshold_edge_cases():
    X = np.array([[1.0, np.nan, 0.1, 5.0], [1.0, np.nan, 0.1, 6.0], [1.0, np.nan, 0.1, 7.0]])
    sel = VarianceThreshold().fit(X)
    assert sel.get_support().tolist() == [False, False, False, True]
    assert np.isnan(sel.variances_[1]) and sel.variances_[0] == 0.0
    assert np.var(X[:, 2]) > 0 and sel.variances_[2] == 0.0  # rounding residue vs the range
    assert sel.variances_[3] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="No feature in X meets"):
        VarianceThreshold().fit(np.ones((4, 3)))
    with pytest.raises(ValueError, match="only one sample"):
        VarianceThreshold().fit([[1.0, 2.0]])
    with pytest.raises(ValueError, match="non-negative"):
        VarianceThreshold(-1).fit(X)
    with pytest.raises(ValueError, match="features"):
        sel.transform(X[:, :3])
    Xn = np.array([[0.0, 1.0], [np.nan, 2.0], [2.0, 4.0]])
    np.testing.assert_allclose(
        VarianceThreshold().fit(Xn).variances_, skfs.VarianceThreshold().fit(Xn).variances_
    )


def test_pandas_names_and_inverse():
    df = pd.read_csv(PENGUINS).dropna()
    num = df[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year"]]
    sel = SelectKBest(f_classif, k=2).set_output(transform="pandas").fit(num, df["species"])
    out = sel.transform(num)
    ref = skfs.SelectKBest(skfs.f_classif, k=2).fit(num, df["species"])
    assert list(out.columns) == list(ref.get_feature_names_out())
    np.testing.assert_array_equal(sel.get_feature_names_out(), ref.get_feature_names_out())
    back = sel.inverse_transform(out.to_numpy())
    np.testing.assert_array_equal(back, ref.inverse_transform(out.to_numpy()))
    with pytest.raises(ValueError, match="columns"):
        sel.inverse_transform(np.ones((2, 3)))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6))
def test_inverse_then_transform_is_identity(seed, k):
    r = np.random.default_rng(seed)
    X = r.standard_normal((20, 6))
    y = r.integers(0, 2, 20)
    y[:2] = [0, 1]
    sel = SelectKBest(f_classif, k=k).fit(X, y)
    Z = sel.transform(X)
    assert Z.shape == (20, k)
    np.testing.assert_array_equal(sel.transform(sel.inverse_transform(Z)), Z)
    kept = sel.scores_[sel.get_support()]
    assert kept.min() >= sel.scores_[~sel.get_support()].max(initial=-np.inf)
