"""Normalizer against scikit-learn, zero rows, errors and the unit-norm property."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import datasets
from sklearn import preprocessing as skp
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.normalize import Normalizer

NORMS = ["l1", "l2", "max"]


@pytest.mark.parametrize("norm", NORMS)
def test_matches_sklearn_random(norm, rng):
    X = rng.normal(size=(60, 7))
    X[3] = 0.0
    np.testing.assert_allclose(
        Normalizer(norm=norm).fit_transform(X),
        skp.Normalizer(norm=norm).fit_transform(X),
        rtol=1e-12,
        atol=1e-15,
    )


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_breast_cancer])
def test_matches_sklearn_datasets(norm, loader):
    X = loader(return_X_y=True)[0]
    np.testing.assert_allclose(
        Normalizer(norm=norm).fit_transform(X),
        skp.Normalizer(norm=norm).fit_transform(X),
        rtol=1e-12,
    )


def test_zero_rows_unchanged_and_pandas_names():
    df = pd.DataFrame({"x": [3.0, 0.0], "y": [4.0, 0.0]})
    out = Normalizer().set_output(transform="pandas").fit_transform(df)
    assert list(out.columns) == ["x", "y"]
    np.testing.assert_allclose(out.to_numpy(), [[0.6, 0.8], [0.0, 0.0]])


def test_stateless_transform_without_fit():
    np.testing.assert_allclose(Normalizer("max").transform([[2.0, -4.0]]), [[0.5, -1.0]])


def test_errors():
    with pytest.raises(ValueError, match="norm"):
        Normalizer(norm="l3").fit([[1.0]])
    with pytest.raises(ValueError, match="NaN"):
        Normalizer().fit([[1.0, np.nan]])
    with pytest.raises(ValueError, match="features"):
        Normalizer().fit(np.ones((2, 2))).transform(np.ones((2, 3)))


@settings(max_examples=50, deadline=None)
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(1, 8), st.integers(1, 5)),
        elements=st.floats(-1e3, 1e3, allow_nan=False),
    ),
    norm=st.sampled_from(NORMS),
)
def test_rows_have_unit_norm(X, norm):
    Z = Normalizer(norm=norm).fit_transform(X)
    order = {"l1": 1, "l2": 2, "max": np.inf}[norm]
    norms = np.linalg.norm(Z, ord=order, axis=1)
    # a norm below 10 machine epsilons counts as zero: that row is returned unchanged
    tiny = np.linalg.norm(X, ord=order, axis=1) < 10 * np.finfo(float).eps
    np.testing.assert_allclose(norms[~tiny], 1.0, rtol=1e-12)
    np.testing.assert_array_equal(Z[tiny], X[tiny])


@parametrize_with_checks([Normalizer(), Normalizer(norm="max")])
def test_sklearn_conformance(estimator, check):
    check(estimator)


def test_float32_input_stays_float32(rng):
    X = rng.normal(size=(10, 3)).astype(np.float32)
    got = Normalizer().fit_transform(X)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, skp.Normalizer().fit_transform(X), rtol=1e-6)
