"""SimpleImputer and MissingIndicator against scikit-learn, edge cases and properties."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import datasets
from sklearn import impute as ski
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.impute import MissingIndicator, SimpleImputer

STRATEGIES = ["mean", "median", "most_frequent", "constant"]


def _fit_both(kw, X):
    ours = SimpleImputer(**kw).fit(X)
    ref = ski.SimpleImputer(**kw).fit(X)
    with warnings.catch_warnings(record=True) as ours_warn:
        warnings.simplefilter("always")
        got = ours.transform(X)
    with warnings.catch_warnings(record=True) as ref_warn:
        warnings.simplefilter("always")
        expected = ref.transform(X)
    assert len(ours_warn) == len(ref_warn)
    return ours, ref, got, expected


def _assert_numeric_same(ours, ref, got, expected):
    np.testing.assert_allclose(
        ours.statistics_.astype(float), ref.statistics_.astype(float), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(got.astype(float), expected.astype(float), rtol=1e-12, atol=0)
    np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("keep_empty", [False, True])
@pytest.mark.parametrize("add_indicator", [False, True])
def test_matches_sklearn_random(strategy, keep_empty, add_indicator, rng):
    X = np.round(rng.normal(size=(120, 6)), 1)  # rounding creates ties for most_frequent
    X[rng.random(X.shape) < 0.2] = np.nan
    X[:, 4] = np.nan  # all missing
    X[:, 5] = 2.5  # constant, no missing
    kw = {"strategy": strategy, "keep_empty_features": keep_empty, "add_indicator": add_indicator}
    _assert_numeric_same(*_fit_both(kw, X))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 11])
def test_median_even_and_odd_counts(n, rng):
    X = rng.normal(size=(n, 3))
    X[0, 0] = np.nan
    X[-1, 1] = np.nan
    _assert_numeric_same(*_fit_both({"strategy": "median"}, X))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_sentinel_missing_values_on_integers(strategy, rng):
    X = rng.integers(0, 5, size=(80, 4))
    X[rng.random(X.shape) < 0.2] = -1
    kw = {"strategy": strategy, "missing_values": -1}
    ours, ref, got, expected = _fit_both(kw, X)
    _assert_numeric_same(ours, ref, got, expected)
    assert (got != -1).all()


@pytest.mark.parametrize("strategy", STRATEGIES)
@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_wine, datasets.load_digits])
def test_matches_sklearn_on_datasets_with_holes(strategy, loader, rng):
    X = loader(return_X_y=True)[0].copy()
    X[rng.random(X.shape) < 0.1] = np.nan
    _assert_numeric_same(*_fit_both({"strategy": strategy}, X))


def test_penguins_numeric_and_categorical():
    df = pd.read_csv("tests/data/penguins.csv", na_values="NA")
    num = df.select_dtypes("number")
    for strategy in STRATEGIES:
        ours, ref, got, expected = _fit_both({"strategy": strategy}, num)
        _assert_numeric_same(ours, ref, got, expected)
    cat = df.select_dtypes(exclude="number")
    assert cat.isna().any().any()
    for strategy in ["most_frequent", "constant"]:
        ours, ref, got, expected = _fit_both({"strategy": strategy}, cat)
        np.testing.assert_array_equal(ours.statistics_, ref.statistics_)
        np.testing.assert_array_equal(got, expected)
        assert not pd.isna(got).any()


def test_object_columns_none_and_nan_are_missing_ties_to_smallest():
    X = np.array([["b", 1], [None, 2], ["a", np.nan], [np.nan, 2], ["a", None], ["b", 3]], object)
    imp = SimpleImputer(strategy="most_frequent").fit(X)
    assert imp.statistics_.tolist() == ["a", 2]  # "a" and "b" tie: the smallest wins
    assert imp.transform(X)[:, 0].tolist() == ["b", "a", "a", "a", "a", "b"]
    const = SimpleImputer(strategy="constant").fit_transform(X)
    assert const[:, 0].tolist() == ["b", "missing_value", "a", "missing_value", "a", "b"]


def test_string_data_with_string_sentinel():
    X = [["x", "?"], ["?", "y"], ["x", "y"]]
    out = SimpleImputer(strategy="most_frequent", missing_values="?").fit_transform(X)
    assert out.tolist() == [["x", "y"], ["x", "y"], ["x", "y"]]


def test_constant_fill_value_and_callable_strategy():
    X = np.array([[1.0, np.nan], [np.nan, 4.0], [3.0, 8.0]])
    out = SimpleImputer(strategy="constant", fill_value=-9.0).fit_transform(X)
    np.testing.assert_array_equal(out, [[1.0, -9.0], [-9.0, 4.0], [3.0, 8.0]])
    out = SimpleImputer(strategy=np.max).fit_transform(X)
    np.testing.assert_array_equal(out, [[1.0, 8.0], [3.0, 4.0], [3.0, 8.0]])


def test_errors():
    with pytest.raises(ValueError, match="non-numeric"):
        SimpleImputer(strategy="mean").fit([["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match="cannot be cast"):
        SimpleImputer(strategy="constant", fill_value="x").fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="both numerical"):
        SimpleImputer(missing_values="?").fit(np.ones((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        SimpleImputer(missing_values=-1).fit(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="features"):
        SimpleImputer().fit(np.ones((3, 2))).transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match="strategy"):
        SimpleImputer(strategy="mode").fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="0 sample"):
        SimpleImputer().fit(np.empty((0, 2)))
    with pytest.raises(ValueError, match="add_indicator"):
        SimpleImputer().fit(np.ones((2, 2))).inverse_transform(np.ones((2, 2)))


def test_all_missing_column_dropped_with_warning_and_named():
    df = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [np.nan] * 3})
    imp = SimpleImputer().fit(df)
    with pytest.warns(UserWarning, match=r"Skipping features .*'b'"):
        out = imp.transform(df)
    np.testing.assert_array_equal(out, [[1.0], [2.0], [3.0]])
    assert imp.get_feature_names_out().tolist() == ["a"]
    kept = SimpleImputer(keep_empty_features=True).fit(df).transform(df)
    np.testing.assert_array_equal(kept[:, 1], 0.0)


def test_pandas_output_with_indicator():
    df = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 2.0, 3.0]})
    out = SimpleImputer(add_indicator=True).set_output(transform="pandas").fit_transform(df)
    assert list(out.columns) == ["a", "b", "missingindicator_a"]
    assert out["a"].tolist() == [1.0, 2.0, 3.0]
    assert out["missingindicator_a"].tolist() == [0.0, 1.0, 0.0]


def test_inverse_transform_matches_sklearn(rng):
    X = rng.normal(size=(30, 4))
    X[rng.random(X.shape) < 0.3] = np.nan
    X[:, 2] = 1.0
    ours = SimpleImputer(add_indicator=True).fit(X)
    ref = ski.SimpleImputer(add_indicator=True).fit(X)
    back = ours.inverse_transform(ours.transform(X))
    np.testing.assert_array_equal(back, ref.inverse_transform(ref.transform(X)))
    np.testing.assert_array_equal(back, X)


@settings(max_examples=40, deadline=None)
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(1, 10), st.integers(1, 4)),
        elements=st.one_of(st.just(np.nan), st.floats(-100, 100)),
    ),
    strategy=st.sampled_from(STRATEGIES),
)
def test_observed_entries_untouched_and_no_missing_left(X, strategy):
    imp = SimpleImputer(strategy=strategy, keep_empty_features=True, add_indicator=True)
    out = imp.fit_transform(X)
    observed = ~np.isnan(X)
    assert not np.isnan(out).any()
    np.testing.assert_array_equal(out[:, : X.shape[1]][observed], X[observed])
    np.testing.assert_array_equal(imp.inverse_transform(out), X)


# --- MissingIndicator -----------------------------------------------------------------------


@pytest.mark.parametrize("features", ["missing-only", "all"])
def test_indicator_matches_sklearn(features, rng):
    X = rng.normal(size=(40, 5))
    X[rng.random(X.shape) < 0.1] = np.nan
    X[:, 1] = 0.0
    ours = MissingIndicator(features=features).fit(X)
    ref = ski.MissingIndicator(features=features).fit(X)
    np.testing.assert_array_equal(ours.features_, ref.features_)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    np.testing.assert_array_equal(ours.fit_transform(X), ref.fit_transform(X))
    np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())


def test_indicator_new_missing_feature_error_and_opt_out():
    X = np.array([[1.0, np.nan], [2.0, 3.0]])
    Y = np.array([[np.nan, np.nan]])
    with pytest.raises(ValueError, match=r"features \[0\] have missing values in transform"):
        MissingIndicator().fit(X).transform(Y)
    assert MissingIndicator(error_on_new=False).fit(X).transform(Y).tolist() == [[True]]


def test_indicator_sentinel_and_objects():
    X = np.array([["a", "?"], ["?", "b"], [None, "c"]], dtype=object)
    assert MissingIndicator(missing_values="?").fit_transform(X).tolist() == [
        [False, True],
        [True, False],
        [False, False],
    ]
    assert MissingIndicator().fit(X).features_.tolist() == [0]  # None counts as missing


@parametrize_with_checks(
    [
        SimpleImputer(),
        SimpleImputer(strategy="median"),
        SimpleImputer(strategy="most_frequent", add_indicator=True),
        SimpleImputer(strategy="constant"),
        MissingIndicator(),
        MissingIndicator(features="all"),
    ]
)
def test_sklearn_conformance(estimator, check):
    check(estimator)


def test_drops_into_sklearn_column_transformer_and_pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler as SkStandardScaler

    from m4ml.pipeline.scale import StandardScaler

    df = pd.read_csv("tests/data/penguins.csv", na_values="NA")
    num = list(df.select_dtypes("number").columns)
    cat = list(df.select_dtypes(exclude="number").columns)

    def build(imputer, scaler):
        return ColumnTransformer(
            [
                ("num", make_pipeline(imputer(strategy="median"), scaler()), num),
                ("cat", imputer(strategy="most_frequent"), cat),
            ]
        ).set_output(transform="pandas")

    ours = build(SimpleImputer, StandardScaler).fit_transform(df)
    ref = build(ski.SimpleImputer, SkStandardScaler).fit_transform(df)
    assert list(ours.columns) == list(ref.columns)
    np.testing.assert_allclose(
        ours[[f"num__{c}" for c in num]].to_numpy(float),
        ref[[f"num__{c}" for c in num]].to_numpy(float),
        rtol=1e-12,
        atol=1e-12,
    )
    assert (ours[[f"cat__{c}" for c in cat]] == ref[[f"cat__{c}" for c in cat]]).all().all()


def test_copy_false_imputes_in_place():
    X = np.array([[1.0, np.nan], [3.0, 4.0]])
    out = SimpleImputer(copy=False).fit_transform(X)
    assert out is X or np.shares_memory(out, X)
    np.testing.assert_array_equal(X, [[1.0, 4.0], [3.0, 4.0]])
