import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.preprocessing as skp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_iris
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.encode import OneHotEncoder, OrdinalEncoder

PENGUINS = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"


def _same_categories(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype.kind == b.dtype.kind
        assert pd.Series(a).equals(pd.Series(b)) or [str(v) for v in a] == [str(v) for v in b]


@parametrize_with_checks([OneHotEncoder(), OrdinalEncoder()])
def test_sklearn_conformance(estimator, check):
    check(estimator)


def test_penguins_matches_sklearn():
    df = pd.read_csv(PENGUINS)  # 'NA' cells become NaN, categorical columns are object
    for params in ({}, {"drop": "first"}, {"drop": "if_binary"}):
        ours = OneHotEncoder(**params).fit(df)
        ref = skp.OneHotEncoder(sparse_output=False, **params).fit(df)
        _same_categories(ours.categories_, ref.categories_)
        np.testing.assert_array_equal(ours.transform(df), ref.transform(df))
        np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())
    ours, ref = OrdinalEncoder().fit(df), skp.OrdinalEncoder().fit(df)
    np.testing.assert_array_equal(ours.transform(df), ref.transform(df))
    codes = ours.transform(df)
    back = ours.inverse_transform(codes)
    assert pd.DataFrame(back, columns=df.columns).astype(str).equals(df.astype(str))


def test_iris_numeric_matches_sklearn():
    X = load_iris().data
    np.testing.assert_array_equal(
        OneHotEncoder().fit_transform(X), skp.OneHotEncoder(sparse_output=False).fit_transform(X)
    )
    np.testing.assert_array_equal(
        OrdinalEncoder().fit_transform(X), skp.OrdinalEncoder().fit_transform(X)
    )


def test_random_mixed_object_input_with_missing(rng):
    n = 300
    X = np.empty((n, 3), dtype=object)
    X[:, 0] = rng.choice(["a", "b", "c", None], n)
    X[:, 1] = rng.integers(0, 5, n)
    X[:, 2] = rng.choice(np.array(["u", "v", np.nan], dtype=object), n)
    for params in ({}, {"drop": "first"}):
        ours = OneHotEncoder(**params).fit(X)
        ref = skp.OneHotEncoder(sparse_output=False, **params).fit(X)
        _same_categories(ours.categories_, ref.categories_)
        np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
        np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())
    np.testing.assert_array_equal(
        OrdinalEncoder().fit_transform(X), skp.OrdinalEncoder().fit_transform(X)
    )


def test_unknown_categories():
    enc = OneHotEncoder().fit([["a"], ["b"]])
    with pytest.raises(ValueError, match="unknown categories"):
        enc.transform([["z"]])
    ignore = OneHotEncoder(handle_unknown="ignore").fit([["a"], ["b"]])
    np.testing.assert_array_equal(ignore.transform([["z"], ["b"]]), [[0, 0], [0, 1]])
    assert ignore.inverse_transform([[0, 0]])[0, 0] is None
    dropped = OneHotEncoder(handle_unknown="ignore", drop="first").fit([["a"], ["b"]])
    with pytest.warns(UserWarning, match="unknown categories"):
        np.testing.assert_array_equal(dropped.transform([["z"]]), [[0]])
    warn = OneHotEncoder(handle_unknown="warn").fit([[1], [2]])
    with pytest.warns(UserWarning, match=r"columns \[0\]"):
        assert warn.transform([[3]]).sum() == 0
    ordinal = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    ordinal.fit([["a"], ["b"]])
    np.testing.assert_array_equal(ordinal.transform([["b"], ["q"]]), [[1], [-1]])
    assert ordinal.inverse_transform([[-1]])[0, 0] is None
    with pytest.raises(ValueError, match="unknown categories"):
        OrdinalEncoder().fit([["a"]]).transform([["b"]])


def test_given_categories_and_drop_array():
    enc = OneHotEncoder(categories=[["b", "a"], [1, 2, 3]]).fit([["a", 1]])
    np.testing.assert_array_equal(
        enc.transform([["a", 3], ["b", 1]]), [[0, 1, 0, 0, 1], [1, 0, 1, 0, 0]]
    )
    ref = skp.OneHotEncoder(categories=[["b", "a"], [1, 2, 3]], sparse_output=False)
    np.testing.assert_array_equal(
        enc.get_feature_names_out(), ref.fit([["a", 1]]).get_feature_names_out()
    )
    with pytest.raises(ValueError, match="Unsorted categories"):
        OneHotEncoder(categories=[[2, 1]]).fit([[1]])
    with pytest.raises(ValueError, match="during fit"):
        OneHotEncoder(categories=[[1, 2]]).fit([[3]])
    X = np.array([["a", 1], ["b", 2]], dtype=object)
    enc = OneHotEncoder(drop=["b", None]).fit(X)
    assert enc.drop_idx_[0] == 1 and enc.drop_idx_[1] is None
    np.testing.assert_array_equal(enc.get_feature_names_out(), ["x0_a", "x1_1", "x1_2"])
    with pytest.raises(ValueError, match="not among"):
        OneHotEncoder(drop=["q", None]).fit(X)


def test_drop_and_inverse_round_trip():
    X = np.array([["a", 1], ["b", 2], ["a", 3]], dtype=object)
    for drop in (None, "first", "if_binary"):
        enc = OneHotEncoder(drop=drop).fit(X)
        ref = skp.OneHotEncoder(drop=drop, sparse_output=False).fit(X)
        assert list(enc.drop_idx_ if drop else []) == list(ref.drop_idx_ if drop else [])
        Z = enc.transform(X)
        np.testing.assert_array_equal(Z, ref.transform(X))
        np.testing.assert_array_equal(enc.inverse_transform(Z), X)


def test_single_category_drop_first_gives_no_columns():
    enc = OneHotEncoder(drop="first").fit([[7, "a"], [7, "b"]])
    np.testing.assert_array_equal(enc.transform([[7, "b"]]), [[1.0]])
    assert enc.inverse_transform([[0.0]]).tolist() == [[7, "a"]]


def test_missing_values_as_categories():
    X = np.array([[1.0], [np.nan], [3.0]])
    enc = OneHotEncoder().fit(X)
    np.testing.assert_array_equal(enc.get_feature_names_out(), ["x0_1.0", "x0_3.0", "x0_nan"])
    assert np.isnan(enc.inverse_transform([[0, 0, 1]])[0, 0])
    ordinal = OrdinalEncoder().fit(X)
    out = ordinal.transform(X)
    assert out[0, 0] == 0 and np.isnan(out[1, 0]) and out[2, 0] == 1
    filled = OrdinalEncoder(encoded_missing_value=-1).fit(X)
    np.testing.assert_array_equal(filled.transform(X).ravel(), [0, -1, 1])
    assert np.isnan(filled.inverse_transform([[-1]])[0, 0])
    with pytest.raises(ValueError, match="already used"):
        OrdinalEncoder(encoded_missing_value=1).fit(X)
    with pytest.raises(ValueError, match="missing values in features"):
        OrdinalEncoder(dtype=np.int64).fit(X)
    # pandas.NA in a string column counts as NaN
    df = pd.DataFrame({"s": pd.array(["x", pd.NA, "y"], dtype="string")})
    enc = OneHotEncoder().fit(df)
    np.testing.assert_array_equal(enc.get_feature_names_out(), ["s_x", "s_y", "s_nan"])
    all_missing = OneHotEncoder().fit(np.array([[None], [None]], dtype=object))
    np.testing.assert_array_equal(all_missing.transform([[None]]), [[1.0]])


def test_pandas_output_and_names():
    df = pd.DataFrame({"colour": ["r", "g", "r"], "size": [1, 2, 2]})
    out = OneHotEncoder().set_output(transform="pandas").fit_transform(df)
    assert list(out.columns) == ["colour_g", "colour_r", "size_1", "size_2"]
    np.testing.assert_array_equal(out.to_numpy(), [[0, 1, 1, 0], [1, 0, 0, 1], [0, 1, 0, 1]])
    ordinal = OrdinalEncoder().set_output(transform="pandas").fit_transform(df)
    assert list(ordinal.columns) == ["colour", "size"]
    combined = OneHotEncoder(feature_name_combiner=lambda f, c: f"{f}={c}").fit(df)
    assert combined.get_feature_names_out()[0] == "colour=g"


def test_bad_input_errors():
    with pytest.raises(TypeError, match="only strings or only numbers"):
        OneHotEncoder().fit(np.array([["a"], [1]], dtype=object))
    with pytest.raises(ValueError, match="sparse_output=True"):
        OneHotEncoder(sparse_output=True).fit([[1]])
    with pytest.raises(ValueError, match="handle_unknown"):
        OneHotEncoder(handle_unknown="maybe").fit([[1]])
    with pytest.raises(ValueError, match="0 sample"):
        OneHotEncoder().fit(np.empty((0, 2)))
    with pytest.raises(ValueError, match="2D"):
        OneHotEncoder().fit(np.array(["a", "b"]))
    enc = OneHotEncoder().fit([[1, 2]])
    with pytest.raises(ValueError, match="features"):
        enc.transform([[1]])
    with pytest.raises(ValueError, match="columns"):
        enc.inverse_transform([[1.0]])
    with pytest.raises(ValueError, match="all zeros"):
        enc.inverse_transform([[0.0, 1.0]])
    with pytest.raises(TypeError, match="unknown_value should be an integer"):
        OrdinalEncoder(handle_unknown="use_encoded_value").fit([["a"]])
    with pytest.raises(TypeError, match="only be set"):
        OrdinalEncoder(unknown_value=3).fit([["a"]])
    with pytest.raises(ValueError, match="already used"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=1).fit([["a"], ["b"]])
    with pytest.raises(ValueError, match="float dtype"):
        OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=np.nan, dtype=np.int64
        ).fit([["a"]])
    with pytest.raises(ValueError, match="encode no category"):
        OrdinalEncoder().fit([["a"], ["b"]]).inverse_transform([[5.0]])


def test_dtype_and_labels_as_strings():
    enc = OneHotEncoder(dtype=np.int8).fit(np.array([["x"], ["y"]]))
    out = enc.transform(np.array([["y"]]))
    assert out.dtype == np.int8 and out.tolist() == [[0, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(
            OrdinalEncoder(dtype=np.int32).fit_transform([["b"], ["a"]]), [[1], [0]]
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(-3, 3)), min_size=1, max_size=30
    ),
    st.sampled_from([None, "first", "if_binary"]),
)
def test_inverse_of_transform_is_identity(rows, drop):
    X = np.array(rows, dtype=object)
    enc = OneHotEncoder(drop=drop).fit(X)
    Z = enc.transform(X)
    assert (Z.sum(axis=1) <= X.shape[1]).all()
    np.testing.assert_array_equal(enc.inverse_transform(Z), X)
    ordinal = OrdinalEncoder().fit(X)
    np.testing.assert_array_equal(ordinal.inverse_transform(ordinal.transform(X)), X)


def test_drops_into_sklearn_column_transformer_and_pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    df = pd.read_csv(PENGUINS)
    cats, nums = ["island", "sex"], ["bill_length_mm", "flipper_length_mm"]

    def build(onehot):
        return ColumnTransformer(
            [
                ("cat", onehot, cats),
                ("num", make_pipeline(SimpleImputer(), skp.StandardScaler()), nums),
            ]
        ).set_output(transform="pandas")

    ours = build(OneHotEncoder(handle_unknown="ignore")).fit_transform(df)
    ref = build(skp.OneHotEncoder(handle_unknown="ignore", sparse_output=False)).fit_transform(df)
    assert list(ours.columns) == list(ref.columns)
    assert "cat__sex_nan" in ours.columns
    np.testing.assert_allclose(ours.to_numpy(), ref.to_numpy(), rtol=1e-12, atol=0)
