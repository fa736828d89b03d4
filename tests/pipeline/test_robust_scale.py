"""RobustScaler against scikit-learn, edge cases and the round-trip property."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import datasets
from sklearn import preprocessing as skp
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.robust_scale import RobustScaler

KWARGS = [
    {},
    {"quantile_range": (10.0, 90.0)},
    {"quantile_range": (0.0, 100.0)},
    {"quantile_range": (2.5, 97.5), "unit_variance": True},
    {"with_centering": False},
    {"with_scaling": False},
    {"unit_variance": True},
]


def _compare(X, kw):
    ours = RobustScaler(**kw).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's all-NaN slice warning
        ref = skp.RobustScaler(**kw).fit(X)
        expected = ref.transform(X)
    for attr in ("center_", "scale_"):
        a, b = getattr(ours, attr), getattr(ref, attr)
        if b is None:
            assert a is None
        else:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=attr)
    np.testing.assert_allclose(ours.transform(X), expected, rtol=1e-12, atol=1e-12)
    return ours


@pytest.mark.parametrize("kw", KWARGS)
@pytest.mark.parametrize("n", [1, 2, 7, 200])
def test_matches_sklearn_random(kw, n, rng):
    X = rng.standard_t(3, size=(n, 5)) * 10
    _compare(X, kw)


@pytest.mark.parametrize("kw", KWARGS)
def test_matches_sklearn_with_nan_constant_and_empty_columns(kw, rng):
    X = rng.normal(size=(101, 5))
    X[rng.random(X.shape) < 0.2] = np.nan
    X[:, 1] = 3.0
    X[:, 4] = np.nan
    ours = _compare(X, kw)
    np.testing.assert_array_equal(np.isnan(ours.transform(X)), np.isnan(X))


@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_wine, datasets.load_digits])
def test_matches_sklearn_on_datasets(loader):
    X = loader(return_X_y=True)[0]
    _compare(X, {})
    _compare(X, {"quantile_range": (5.0, 95.0), "unit_variance": True})


def test_penguins_numeric_columns():
    X = pd.read_csv("tests/data/penguins.csv", na_values="NA").select_dtypes("number")
    ours = _compare(X, {})
    assert list(ours.get_feature_names_out()) == list(X.columns)


def test_outlier_does_not_move_statistics():
    X = np.arange(1.0, 12.0)[:, None]
    Y = X.copy()
    Y[-1] = 1e9
    a, b = RobustScaler().fit(X), RobustScaler().fit(Y)
    assert a.center_[0] == b.center_[0] == 6.0
    assert a.scale_[0] == b.scale_[0] == 5.0


def test_unit_variance_normal_data(rng):
    X = rng.normal(0, 4.0, size=(200_000, 1))
    assert RobustScaler(unit_variance=True).fit_transform(X).std() == pytest.approx(1.0, rel=0.02)


@pytest.mark.parametrize("bad", [(80.0, 20.0), (-1.0, 50.0), (10.0, 101.0)])
def test_invalid_quantile_range(bad):
    with pytest.raises(ValueError, match="quantile range"):
        RobustScaler(quantile_range=bad).fit(np.ones((3, 1)))


@pytest.mark.parametrize("bad", [(0.0, 75.0), (25.0, 100.0), (30.0, 30.0)])
def test_unit_variance_needs_inner_quantiles(bad):
    with pytest.raises(ValueError, match="unit_variance"):
        RobustScaler(quantile_range=bad, unit_variance=True).fit(np.ones((3, 1)))


def test_wrong_number_of_features():
    with pytest.raises(ValueError, match="features"):
        RobustScaler().fit(np.ones((3, 2))).transform(np.ones((2, 3)))


@settings(max_examples=40, deadline=None)
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(1, 10), st.integers(1, 3)),
        elements=st.floats(-1e6, 1e6, allow_nan=False),
    )
)
def test_inverse_round_trip(X):
    s = RobustScaler().fit(X)
    np.testing.assert_allclose(s.inverse_transform(s.transform(X)), X, rtol=1e-9, atol=1e-6)


@parametrize_with_checks([RobustScaler(), RobustScaler(unit_variance=True)])
def test_sklearn_conformance(estimator, check):
    check(estimator)


def test_float32_input_stays_float32(rng):
    X = rng.normal(size=(30, 2)).astype(np.float32)
    got = RobustScaler().fit_transform(X)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, skp.RobustScaler().fit_transform(X), rtol=1e-5, atol=1e-6)
