"""KNNImputer and nan_euclidean_distances against scikit-learn and a brute-force reference."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import datasets
from sklearn import impute as ski
from sklearn.metrics.pairwise import nan_euclidean_distances as sk_nan_euclidean
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.pipeline.knn_impute import KNNImputer, nan_euclidean_distances


def _holes(X, rng, p):
    X = np.array(X, dtype=float)
    X[rng.random(X.shape) < p] = np.nan
    return X


def _brute_force(X_fit, Y, k, weights):
    """Loop-by-loop KNN imputation with distances from coordinate differences."""
    out = Y.copy()
    d = Y.shape[1]
    for i, j in zip(*np.nonzero(np.isnan(Y)), strict=True):
        donors = np.flatnonzero(~np.isnan(X_fit[:, j]))
        if donors.size == 0:
            continue
        dist = np.full(donors.size, np.nan)
        for t, r in enumerate(donors):
            both = ~np.isnan(Y[i]) & ~np.isnan(X_fit[r])
            if both.any():
                dist[t] = np.sqrt(d / both.sum() * np.sum((Y[i, both] - X_fit[r, both]) ** 2))
        if np.isnan(dist).all():
            out[i, j] = X_fit[donors, j].mean()
            continue
        order = np.argsort(dist, kind="stable")[:k]
        dd = dist[order]
        if weights == "uniform":
            w = np.where(np.isnan(dd), 0.0, 1.0)
        elif (dd == 0).any():
            w = (dd == 0).astype(float)
        else:
            w = np.where(np.isnan(dd), 0.0, 1.0 / dd)
        out[i, j] = np.sum(w * X_fit[donors[order], j]) / w.sum()
    return out[:, ~np.isnan(X_fit).all(axis=0)]


def test_nan_euclidean_matches_sklearn(rng):
    X, Y = _holes(rng.normal(size=(30, 7)), rng, 0.3), _holes(rng.normal(size=(20, 7)), rng, 0.3)
    Y[0, :] = np.nan
    ours = nan_euclidean_distances(X, Y)
    ref = sk_nan_euclidean(X, Y)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(ref))
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("n_neighbors", [1, 3, 5, 1000])
def test_uniform_matches_sklearn_exactly(n_neighbors, rng):
    X = _holes(rng.normal(size=(200, 6)), rng, 0.2)
    X[:, 4] = np.nan  # all missing: dropped
    Y = _holes(rng.normal(size=(40, 6)), rng, 0.3)
    ours = KNNImputer(n_neighbors=n_neighbors).fit(X)
    ref = ski.KNNImputer(n_neighbors=n_neighbors).fit(X)
    np.testing.assert_allclose(ours.transform(Y), ref.transform(Y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("n_neighbors", [1, 4])
def test_matches_brute_force_to_1e12(weights, n_neighbors, rng):
    X = _holes(rng.normal(size=(60, 5)), rng, 0.2)
    X[:, 2] = np.nan
    Y = _holes(rng.normal(size=(15, 5)), rng, 0.3)
    Y[1, :] = np.nan  # shares no coordinate with any donor: training mean
    got = KNNImputer(n_neighbors=n_neighbors, weights=weights).fit(X).transform(Y)
    np.testing.assert_allclose(got, _brute_force(X, Y, n_neighbors, weights), rtol=1e-12)


def test_distance_weights_match_sklearn_to_its_rounding(rng):
    X = _holes(rng.normal(size=(200, 6)), rng, 0.2)
    ours = KNNImputer(weights="distance").fit_transform(X)
    ref = ski.KNNImputer(weights="distance").fit_transform(X)
    # scikit-learn weights with the cancellation-prone expanded distances
    np.testing.assert_allclose(ours, ref, rtol=1e-8, atol=1e-9)


def test_exact_duplicate_takes_all_weight():
    X = np.array([[0.0, 1.0], [5.0, 7.0], [0.0, 3.0], [9.0, 9.0]])
    got = KNNImputer(n_neighbors=3, weights="distance").fit(X).transform([[0.0, np.nan]])
    np.testing.assert_allclose(got, [[0.0, 2.0]])


def test_callable_weights_and_chunking(rng, monkeypatch):
    import m4ml.pipeline.knn_impute as mod

    X = _holes(rng.normal(size=(120, 4)), rng, 0.2)
    full = KNNImputer(weights=lambda d: np.exp(-d)).fit_transform(X)
    monkeypatch.setattr(mod, "_CHUNK_ELEMENTS", 500)  # blocks of 4 rows
    chunked = KNNImputer(weights=lambda d: np.exp(-d)).fit_transform(X)
    np.testing.assert_array_equal(full, chunked)
    ref = ski.KNNImputer(weights=lambda d: np.exp(-d)).fit_transform(X)
    np.testing.assert_allclose(full, ref, rtol=1e-8)


@pytest.mark.parametrize("loader", [datasets.load_iris, datasets.load_wine])
def test_datasets_match_sklearn(loader, rng):
    X = _holes(loader(return_X_y=True)[0], rng, 0.1)
    ours = KNNImputer().fit_transform(X)
    np.testing.assert_allclose(ours, ski.KNNImputer().fit_transform(X), rtol=1e-12)


def test_penguins_with_names_indicator_and_empty_feature():
    df = pd.read_csv("tests/data/penguins.csv", na_values="NA").select_dtypes("number")
    df["empty"] = np.nan
    ours = KNNImputer(add_indicator=True).set_output(transform="pandas").fit(df)
    ref = ski.KNNImputer(add_indicator=True).fit(df)
    out = ours.transform(df)
    np.testing.assert_allclose(out.to_numpy(), ref.transform(df), rtol=1e-12)
    assert list(out.columns) == list(ref.get_feature_names_out())
    assert "empty" not in out.columns
    kept = KNNImputer(keep_empty_features=True).fit_transform(df)
    np.testing.assert_array_equal(kept[:, -1], 0.0)


def test_sentinel_missing_values(rng):
    X = rng.integers(0, 9, size=(50, 3)).astype(float)
    X[rng.random(X.shape) < 0.2] = -1
    ours = KNNImputer(missing_values=-1).fit_transform(X)
    np.testing.assert_allclose(ours, ski.KNNImputer(missing_values=-1).fit_transform(X))
    assert (ours != -1).all()


def test_errors():
    with pytest.raises(ValueError, match="n_neighbors"):
        KNNImputer(n_neighbors=0).fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="weights"):
        KNNImputer(weights="gaussian").fit(np.ones((3, 2)))
    with pytest.raises(ValueError, match="features"):
        KNNImputer().fit(np.ones((3, 2))).transform(np.ones((3, 3)))
    with pytest.raises(ValueError, match="inf"):
        KNNImputer().fit([[1.0, np.inf]])
    with pytest.raises(ValueError, match="0 sample"):
        KNNImputer().fit(np.empty((0, 2)))


@settings(max_examples=30, deadline=None)
@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(2, 12), st.integers(1, 4)),
        elements=st.one_of(st.just(np.nan), st.floats(-50, 50)),
    ),
    k=st.integers(1, 4),
)
def test_imputed_values_lie_within_observed_range(X, k):
    out = KNNImputer(n_neighbors=k, keep_empty_features=True).fit_transform(X)
    observed = ~np.isnan(X)
    assert not np.isnan(out).any()
    np.testing.assert_array_equal(out[observed], X[observed])
    for j in np.flatnonzero(observed.any(axis=0)):  # an average of donors: inside their range
        col = X[observed[:, j], j]
        assert np.all(out[:, j] >= col.min() - 1e-9) and np.all(out[:, j] <= col.max() + 1e-9)


@parametrize_with_checks([KNNImputer(), KNNImputer(weights="distance", add_indicator=True)])
def test_sklearn_conformance(estimator, check):
    check(estimator)
