import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.preprocessing as skp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.discretize import KBinsDiscretizer
from m4ml.pipeline.features import FunctionTransformer, PolynomialFeatures

PENGUINS = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"
DATASETS = [load_iris, load_wine, load_breast_cancer, load_digits]


@parametrize_with_checks(
    [
        PolynomialFeatures(),
        PolynomialFeatures(degree=(2, 3), interaction_only=True, include_bias=False),
        FunctionTransformer(),
        FunctionTransformer(np.exp, np.log, validate=True, feature_names_out="one-to-one"),
        KBinsDiscretizer(),
        KBinsDiscretizer(n_bins=3, encode="ordinal", strategy="uniform"),
    ]
)
def test_sklearn_conformance(estimator, check):
    check(estimator)


# ---------------------------------------------------------------- PolynomialFeatures


@pytest.mark.parametrize("load", DATASETS, ids=lambda f: f.__name__)
def test_polynomial_matches_sklearn_on_datasets(load):
    X = load(return_X_y=True)[0][:, :12]
    for params in ({}, {"degree": 3, "interaction_only": True}, {"degree": (2, 2)}):
        ours = PolynomialFeatures(**params).fit(X)
        ref = skp.PolynomialFeatures(**params).fit(X)
        np.testing.assert_array_equal(ours.powers_, ref.powers_)
        np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12, atol=0)
        np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())
        assert ours.n_output_features_ == ref.n_output_features_


@pytest.mark.parametrize("degree", [0, 1, 2, 3, 4, (0, 2), (1, 3), (3, 3), (2, 4)])
@pytest.mark.parametrize("interaction_only", [False, True])
@pytest.mark.parametrize("include_bias", [True, False])
def test_polynomial_every_option_is_bit_identical(rng, degree, interaction_only, include_bias):
    X = rng.standard_normal((9, 4))
    kw = {"interaction_only": interaction_only, "include_bias": include_bias}
    if degree == 0 and not include_bias:
        with pytest.raises(ValueError, match="empty output"):
            PolynomialFeatures(degree, **kw).fit(X)
        return
    ours = PolynomialFeatures(degree, **kw).fit(X)
    ref = skp.PolynomialFeatures(degree, **kw).fit(X)
    np.testing.assert_array_equal(ours.powers_, ref.powers_)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))  # same products, same order
    np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())


def test_polynomial_names_order_dtype_and_errors():
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 5.0]})
    poly = PolynomialFeatures(3).set_output(transform="pandas").fit(df)
    out = poly.transform(df)
    assert list(out.columns)[-4:] == ["a^3", "a^2 b", "a b^2", "b^3"]
    assert out["a^2 b"].tolist() == [3.0, 20.0]
    f = PolynomialFeatures(order="F").fit(df).transform(df.to_numpy(dtype=np.float32))
    assert f.flags.f_contiguous and f.dtype == np.float32
    for bad in (-1, (3, 2), 2.5, (1, 2, 3), True):
        with pytest.raises(ValueError, match="degree"):
            PolynomialFeatures(bad).fit(df)
    with pytest.raises(ValueError, match="order"):
        PolynomialFeatures(order="K").fit(df)
    with pytest.raises(ValueError, match="features"):
        PolynomialFeatures().fit(df).transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        PolynomialFeatures().fit([[np.nan, 1.0]])
    with pytest.raises(ValueError, match="0 sample"):
        PolynomialFeatures().fit(np.empty((0, 2)))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(0, 3))
def test_polynomial_columns_are_the_monomials_of_powers(seed, p, degree):
    X = np.random.default_rng(seed).uniform(-2, 2, (5, p))
    poly = PolynomialFeatures(degree).fit(X)
    expected = np.prod(X[:, None, :] ** poly.powers_[None, :, :], axis=2)
    np.testing.assert_allclose(poly.transform(X), expected, rtol=1e-12, atol=1e-14)
    from math import comb

    assert poly.n_output_features_ == comb(p + degree, degree)


# ---------------------------------------------------------------- FunctionTransformer


def test_function_transformer_matches_sklearn():
    X = load_iris(return_X_y=True)[0]
    ours = FunctionTransformer(np.log1p, np.expm1, feature_names_out="one-to-one").fit(X)
    ref = skp.FunctionTransformer(np.log1p, np.expm1, feature_names_out="one-to-one").fit(X)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-12)
    np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())

    def shift(A, by):
        return A + by

    moved = FunctionTransformer(
        shift, kw_args={"by": 3.0}, inverse_func=shift, inv_kw_args={"by": -3.0}
    )
    np.testing.assert_array_equal(moved.fit_transform(X), X + 3.0)
    np.testing.assert_allclose(moved.inverse_transform(X + 3.0), X, rtol=1e-12, atol=1e-14)


def test_function_transformer_pandas_and_names():
    df = pd.read_csv(PENGUINS)
    ident = FunctionTransformer()
    assert ident.fit_transform(df) is df
    np.testing.assert_array_equal(ident.feature_names_in_, df.columns)
    assert not hasattr(ident, "get_feature_names_out")

    def doubled(self, names):
        return [f"2*{n}" for n in names]

    num = df[["bill_length_mm", "body_mass_g"]]
    ft = FunctionTransformer(lambda X: 2 * X, feature_names_out=doubled)
    out = ft.set_output(transform="pandas").fit_transform(num.to_numpy())
    assert list(out.columns) == ["2*x0", "2*x1"]
    np.testing.assert_array_equal(out.to_numpy(), 2 * num.to_numpy())
    with pytest.warns(UserWarning, match="set_output"):
        FunctionTransformer(np.asarray).set_output(transform="pandas").fit_transform(num)


def test_function_transformer_checks_and_errors():
    X = np.linspace(0.1, 3, 30).reshape(-1, 3)
    with pytest.warns(UserWarning, match="not strictly inverse"):
        FunctionTransformer(np.sqrt, np.log).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FunctionTransformer(np.sqrt, np.square).fit(X)
        FunctionTransformer(np.sqrt, np.log, check_inverse=False).fit(X)
    with pytest.raises(ValueError, match="numerical"):
        FunctionTransformer(str.upper, str.lower).fit(np.array([["a"]], dtype=object))
    with pytest.raises(ValueError, match="feature_names_out"):
        FunctionTransformer(feature_names_out="same").fit(X)
    strict = FunctionTransformer(np.sqrt, validate=True).fit(X)
    with pytest.raises(ValueError, match="features"):
        strict.transform(X[:, :2])
    np.testing.assert_array_equal(FunctionTransformer(np.sqrt).transform(X), np.sqrt(X))


# ---------------------------------------------------------------- KBinsDiscretizer


def _ref_kbins(**kw):
    if kw.get("encode", "onehot-dense") == "onehot-dense":
        kw["encode"] = "onehot-dense"
    return skp.KBinsDiscretizer(**kw)


@pytest.mark.parametrize("load", DATASETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_kbins_matches_sklearn_on_datasets(load, strategy):
    X = load(return_X_y=True)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant digits pixels, merged quantile bins
        for encode in ("ordinal", "onehot-dense"):
            ours = KBinsDiscretizer(4, encode=encode, strategy=strategy).fit(X)
            ref = _ref_kbins(n_bins=4, encode=encode, strategy=strategy).fit(X)
            np.testing.assert_array_equal(ours.n_bins_, ref.n_bins_)
            for a, b in zip(ours.bin_edges_, ref.bin_edges_):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
            Z = ours.transform(X)
            np.testing.assert_array_equal(Z, ref.transform(X))
            np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())
            finite = np.array([np.isfinite(e).all() for e in ours.bin_edges_])
            np.testing.assert_allclose(
                ours.inverse_transform(Z)[:, finite],
                ref.inverse_transform(Z)[:, finite],
                rtol=1e-12,
            )


@pytest.mark.parametrize("method", ["linear", "inverted_cdf", "hazen", "median_unbiased"])
def test_kbins_quantile_methods_and_per_feature_bins(rng, method):
    X = rng.gamma(2.0, size=(301, 3))
    kw = {"n_bins": [2, 5, 9], "encode": "ordinal", "quantile_method": method}
    ours, ref = KBinsDiscretizer(**kw).fit(X), _ref_kbins(**kw).fit(X)
    for a, b in zip(ours.bin_edges_, ref.bin_edges_):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    Xt = rng.gamma(2.0, size=(50, 3)) * 1.5  # values beyond the training range go to end bins
    np.testing.assert_array_equal(ours.transform(Xt), ref.transform(Xt))


def test_kbins_penguins_and_pandas_names():
    df = pd.read_csv(PENGUINS).dropna()
    num = df[["bill_length_mm", "flipper_length_mm"]]
    kb = KBinsDiscretizer(3).set_output(transform="pandas").fit(num)
    out = kb.transform(num)
    ref = skp.KBinsDiscretizer(3, encode="onehot-dense").fit(num)
    assert list(out.columns) == list(ref.get_feature_names_out())
    assert out.columns[0] == "bill_length_mm_0.0"
    np.testing.assert_array_equal(out.to_numpy(), ref.transform(num))


def test_kbins_edge_cases():
    X = np.column_stack([np.ones(6), [0.0, 0.0, 0.0, 0.0, 1.0, 2.0]])
    with pytest.warns(UserWarning) as record:
        kb = KBinsDiscretizer(4, encode="ordinal").fit(X)
    messages = " ".join(str(w.message) for w in record)
    assert "Feature 0 is constant" in messages and "too small" in messages
    assert kb.n_bins_.tolist() == [1, 2]
    np.testing.assert_array_equal(kb.transform(X)[:, 0], 0.0)
    np.testing.assert_array_equal(kb.inverse_transform(kb.transform(X))[:, 0], 1.0)
    with pytest.raises(ValueError, match="onehot-dense"):
        KBinsDiscretizer(encode="onehot").fit(X)
    with pytest.raises(ValueError, match="strategy"):
        KBinsDiscretizer(strategy="kmeans").fit(X)
    with pytest.raises(ValueError, match="at least 2"):
        KBinsDiscretizer(1).fit(X)
    with pytest.raises(ValueError, match="invalid number of bins at indices"):
        KBinsDiscretizer([2, 1.5]).fit(X)
    with pytest.raises(ValueError, match="shape"):
        KBinsDiscretizer([2, 3, 4]).fit(X)
    with pytest.raises(ValueError, match="NaN"):
        KBinsDiscretizer().fit([[np.nan], [1.0]])
    with pytest.raises(ValueError, match="Expecting"):
        kb.inverse_transform(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="bin indices"):
        kb.inverse_transform([[0.0, 5.0]])


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("encode", ["ordinal", "onehot-dense"])
@pytest.mark.parametrize("scale", [1e-310, 1e-200, 1e-12, 1e300, 1e308])
def test_kbins_keeps_its_bins_at_any_scale(strategy, encode, scale):
    # subnormal data used to lose every quantile bin to the absolute 1e-8 width rule (then
    # one-hot encoding raised IndexError); near 1e308 the range max - min overflows
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 3))
    X /= np.abs(X).max()
    unit = KBinsDiscretizer(4, encode=encode, strategy=strategy).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kb = KBinsDiscretizer(4, encode=encode, strategy=strategy).fit(X * scale)
        codes = kb.transform(X * scale)
        centres = kb.inverse_transform(codes)
    assert kb.n_bins_.tolist() == [4, 4, 4]
    np.testing.assert_array_equal(codes, unit.transform(X))
    rtol = 1e-12 if scale > 1e-300 else 1e-9  # subnormals carry fewer significant bits
    for e, e_unit in zip(kb.bin_edges_, unit.bin_edges_):
        np.testing.assert_allclose(e / scale, e_unit, rtol=rtol)
    assert np.isfinite(centres).all()
    np.testing.assert_allclose(
        centres / scale, unit.inverse_transform(unit.transform(X)), rtol=rtol
    )


def test_kbins_uniform_edges_when_the_range_overflows():
    X = np.array([[-1.5e308], [0.0], [1e308], [1.5e308], [-1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kb = KBinsDiscretizer(4, encode="ordinal", strategy="uniform").fit(X)
        centres = kb.inverse_transform(kb.transform(X))
    np.testing.assert_allclose(kb.bin_edges_[0], np.linspace(-1.5, 1.5, 5) * 1e308, rtol=1e-15)
    np.testing.assert_array_equal(kb.transform(X).ravel(), [0, 2, 3, 3, 0])
    np.testing.assert_allclose(
        centres.ravel(), [-1.125e308, 0.375e308, 1.125e308, 1.125e308, -1.125e308], rtol=1e-15
    )


def test_kbins_subsample_is_reproducible(rng):
    X = rng.standard_normal((500, 2))
    a = KBinsDiscretizer(3, subsample=100, random_state=7).fit(X)
    b = KBinsDiscretizer(3, subsample=100, random_state=np.random.default_rng(7)).fit(X)
    full = KBinsDiscretizer(3, subsample=None).fit(X)
    for ea, eb, ef in zip(a.bin_edges_, b.bin_edges_, full.bin_edges_):
        np.testing.assert_array_equal(ea, eb)
        assert not np.array_equal(ea, ef) and np.allclose(ea[1:-1], ef[1:-1], atol=0.6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 8), st.sampled_from(["uniform", "quantile"]))
def test_kbins_bins_contain_their_values(seed, k, strategy):
    X = np.random.default_rng(seed).standard_normal((40, 2))
    kb = KBinsDiscretizer(k, encode="ordinal", strategy=strategy).fit(X)
    codes = kb.transform(X).astype(int)
    for j, e in enumerate(kb.bin_edges_):
        lower, upper = e[codes[:, j]], e[codes[:, j] + 1]
        assert (lower <= X[:, j]).all() and (X[:, j] <= upper).all()
    # inverse gives centres, and the centres fall back into the same bins
    np.testing.assert_array_equal(kb.transform(kb.inverse_transform(codes)), codes)
    onehot = KBinsDiscretizer(k, strategy=strategy).fit(X)
    np.testing.assert_array_equal(onehot.transform(X).sum(axis=1), 2.0)
