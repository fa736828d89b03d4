"""Adjusted Rand index and silhouette against scikit-learn."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.pipeline import metrics as mm


@pytest.mark.parametrize("n", [2, 10, 300])
@pytest.mark.parametrize("k", [1, 2, 5, 40])
def test_ari_matches_sklearn(rng, n, k):
    a, b = rng.integers(0, k, n), rng.integers(0, k, n)
    assert mm.adjusted_rand_score(a, b) == pytest.approx(skm.adjusted_rand_score(a, b), abs=1e-12)
    b2 = np.where(rng.random(n) < 0.8, a, b)  # correlated partitions
    assert mm.adjusted_rand_score(a, b2) == pytest.approx(skm.adjusted_rand_score(a, b2), abs=1e-12)


def test_ari_labels_and_edges():
    assert mm.adjusted_rand_score(["x", "x", "y"], [5, 5, 9]) == 1.0
    assert mm.adjusted_rand_score([], []) == skm.adjusted_rand_score([], [])
    assert mm.adjusted_rand_score([0, 0, 0], [0, 1, 2]) == skm.adjusted_rand_score(
        [0, 0, 0], [0, 1, 2]
    )
    with pytest.raises(ValueError, match="Inconsistent"):
        mm.adjusted_rand_score([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="1-D"):
        mm.adjusted_rand_score([[0, 1]], [[0, 1]])


@pytest.mark.parametrize("dataset", ["iris", "wine", "digits"])
def test_silhouette_on_datasets(dataset):
    from sklearn import datasets

    X, y = getattr(datasets, f"load_{dataset}")(return_X_y=True)
    if dataset == "digits":
        X, y = X[:600], y[:600]
    got = mm.silhouette_samples(X, y)
    want = skm.silhouette_samples(X, y)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-10)
    assert mm.silhouette_score(X, y) == pytest.approx(skm.silhouette_score(X, y), abs=1e-12)


def test_silhouette_random_and_precomputed(rng):
    X = rng.normal(size=(120, 5))
    y = np.array(["a", "b", "c"])[rng.integers(0, 3, 120)]
    y[0] = "singleton"
    np.testing.assert_allclose(
        mm.silhouette_samples(X, y), skm.silhouette_samples(X, y), rtol=0, atol=1e-12
    )
    assert mm.silhouette_samples(X, y)[0] == 0.0
    D = skm.pairwise_distances(X)
    assert mm.silhouette_score(D, y, metric="precomputed") == pytest.approx(
        skm.silhouette_score(D, y, metric="precomputed"), abs=1e-12
    )
    # a legacy RandomState draws the same subset as scikit-learn
    got = mm.silhouette_score(X, y, sample_size=50, random_state=np.random.RandomState(3))
    want = skm.silhouette_score(X, y, sample_size=50, random_state=3)
    assert got == pytest.approx(want, abs=1e-12)
    a = mm.silhouette_score(X, y, sample_size=60, random_state=7)
    assert a == mm.silhouette_score(X, y, sample_size=60, random_state=7)
    assert -1 <= a <= 1


@pytest.mark.parametrize("k", [33, 150])
def test_silhouette_many_clusters(rng, k):
    """More than 32 clusters take the segment-sum path instead of the one-hot product."""
    X = rng.normal(size=(400, 4))
    y = rng.integers(0, k, 400)
    np.testing.assert_allclose(
        mm.silhouette_samples(X, y), skm.silhouette_samples(X, y), rtol=0, atol=1e-12
    )


def test_silhouette_chunking(monkeypatch, rng):
    from m4ml.pipeline.metrics import clustering

    X = rng.normal(size=(90, 3))
    y = rng.integers(0, 4, 90)
    whole = mm.silhouette_samples(X, y)
    monkeypatch.setattr(clustering, "_CHUNK_BYTES", 8 * 90 * 7)  # 7 rows per chunk
    np.testing.assert_allclose(mm.silhouette_samples(X, y), whole, rtol=0, atol=1e-13)


def test_silhouette_errors():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="Number of labels is 1"):
        mm.silhouette_score(X, [0, 0, 0, 0])
    with pytest.raises(ValueError, match="Number of labels is 4"):
        mm.silhouette_score(X, [0, 1, 2, 3])
    with pytest.raises(ValueError, match="Inconsistent"):
        mm.silhouette_score(X, [0, 1, 1])
    with pytest.raises(ValueError, match="diagonal"):
        mm.silhouette_score(np.ones((4, 4)), [0, 0, 1, 1], metric="precomputed")
    with pytest.raises(ValueError, match="metric"):
        mm.silhouette_score(X, [0, 0, 1, 1], metric="cosine")
    with pytest.raises(ValueError, match="NaN"):
        mm.silhouette_score([[0.0], [np.nan], [1.0], [2.0]], [0, 0, 1, 1])
    with pytest.raises(ValueError, match="sample_size"):
        mm.silhouette_score(X, [0, 0, 1, 1], sample_size=10)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=2, max_size=30), st.permutations(range(5)))
def test_ari_invariant_to_renaming(labels, perm):
    a = np.array(labels)
    renamed = np.array(perm)[a]
    assert mm.adjusted_rand_score(a, renamed) == 1.0
    b = np.roll(a, 1)
    assert mm.adjusted_rand_score(a, b) == pytest.approx(mm.adjusted_rand_score(b, a))
