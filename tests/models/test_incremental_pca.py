"""IncrementalPCA and TruncatedSVD against scikit-learn."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_wine
from sklearn.decomposition import IncrementalPCA as SkIPCA
from sklearn.decomposition import TruncatedSVD as SkTSVD

from m4ml.models import PCA, IncrementalPCA, TruncatedSVD

DATA = {"wine": load_wine().data, "digits": load_digits().data}


@pytest.mark.parametrize("name", sorted(DATA))
def test_incremental_matches_sklearn(name):
    X = DATA[name]
    ours = IncrementalPCA(5, batch_size=50).fit(X)
    ref = SkIPCA(5, batch_size=50).fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-10
    )
    np.testing.assert_allclose(ours.components_, ref.components_, atol=1e-10)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-9)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-9)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-10)


def test_partial_fit_equals_fit_and_one_batch_equals_pca():
    X = DATA["wine"]
    a = IncrementalPCA(3, batch_size=40).fit(X)
    b = IncrementalPCA(3)
    for start in range(0, X.shape[0], 40):
        b.partial_fit(X[start : start + 40])
    np.testing.assert_allclose(a.components_, b.components_, atol=1e-12)
    one = IncrementalPCA(3, batch_size=len(X)).fit(X)
    p = PCA(3, svd_solver="full").fit(X)
    np.testing.assert_allclose(one.explained_variance_, p.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(one.components_, p.components_, atol=1e-10)


@pytest.mark.parametrize("algorithm", ["randomized", "arpack"])
def test_truncated_svd_matches_sklearn(algorithm):
    X = DATA["wine"]
    ours = TruncatedSVD(3, algorithm=algorithm, n_iter=10, random_state=0).fit(X)
    ref = SkTSVD(3, algorithm="arpack").fit(X)
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-9
    )
    np.testing.assert_allclose(np.abs(ours.transform(X)), np.abs(ref.transform(X)), atol=1e-8)
    # no centring: the reconstruction of a rank-k matrix is exact
    rng = np.random.default_rng(0)
    low = rng.normal(size=(30, 3)) @ rng.normal(size=(3, 8)) + 5.0
    t = TruncatedSVD(4, algorithm=algorithm, random_state=0)
    np.testing.assert_allclose(t.inverse_transform(t.fit_transform(low)), low, atol=1e-9)


def test_errors():
    X = DATA["wine"]
    with pytest.raises(ValueError, match="n_components"):
        IncrementalPCA(20).fit(X)
    with pytest.raises(ValueError, match="batch"):
        IncrementalPCA(5).partial_fit(X[:3])
    with pytest.raises(ValueError, match="algorithm"):
        TruncatedSVD(2, algorithm="lanczos").fit(X)
    with pytest.raises(ValueError, match="n_components"):
        TruncatedSVD(20).fit(X)
