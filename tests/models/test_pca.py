"""PCA against scikit-learn's full solver: spectra, subspaces, transforms, PPCA score."""

import functools

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_wine
from sklearn.decomposition import PCA as SkPCA

from m4ml.models import PCA
from m4ml.models.pca import minka_log_evidence, scatter_matrix, top_eigh


def planted(n=20000, d=200, r=10, seed=0, offset=5.0):
    rng = np.random.default_rng(seed)
    signal = rng.normal(size=(n, r)) @ (rng.normal(size=(r, d)) * np.linspace(10, 1, r)[:, None])
    return signal + rng.normal(size=(n, d)) + offset


def max_principal_angle(A, B):
    """Largest principal angle between the row spaces of A and B (orthonormal rows).

    Through its sine, the norm of A's component outside B's span (arccos of a cosine near 1
    cannot resolve angles below about 1e-8).
    """
    if A.shape[0] == 0:
        return 0.0
    return float(np.arcsin(min(1.0, np.linalg.norm(A - (A @ B.T) @ B, 2))))


def assert_matches(ours, ref, X):
    lam = ref.explained_variance_
    floor = 1e-12 * lam[0]
    assert ours.n_components_ == ref.n_components_
    np.testing.assert_array_less(np.abs(ours.explained_variance_ - lam), 1e-10 * lam + floor)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-10, atol=1e-14
    )
    sv = ref.singular_values_
    np.testing.assert_array_less(np.abs(ours.singular_values_ - sv), 1e-10 * sv + 1e-6 * sv[0])
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-13, atol=1e-13)
    # the subspace of well-separated eigenvalues (skip those within 1e-6 of a neighbour)
    keep = lam > floor
    assert max_principal_angle(ours.components_[keep], ref.components_[keep]) < 1e-8
    Z, Zr = ours.transform(X), ref.transform(X)
    scale = np.abs(Zr).max()
    sep = np.r_[np.inf, np.diff(-lam)] > 1e-6 * lam[0]
    sep &= np.r_[np.diff(-lam), np.inf] > 1e-6 * lam[0]
    cols = keep & sep
    np.testing.assert_allclose(Z[:, cols], Zr[:, cols], atol=1e-8 * scale)


DATA = {
    "digits": lambda: load_digits().data,
    "wine": lambda: load_wine().data,
}


@functools.cache
def sklearn_reference(name, n_components):
    X = DATA[name]()
    ref = SkPCA(n_components, svd_solver="full").fit(X)
    scores = ref.score_samples(X) if ref.noise_variance_ > 1e-8 else None
    return X, ref, scores


@pytest.mark.parametrize("name", sorted(DATA))
@pytest.mark.parametrize("n_components", [None, 2, 5, 0.9, "mle"])
@pytest.mark.parametrize("solver", ["auto", "full"])
def test_matches_sklearn_full(name, n_components, solver):
    X, ref, scores = sklearn_reference(name, n_components)
    ours = PCA(n_components, svd_solver=solver).fit(X)
    assert_matches(ours, ref, X)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-9, atol=1e-14)
    if scores is not None:
        np.testing.assert_allclose(ours.score_samples(X), scores, rtol=1e-9)
        np.testing.assert_allclose(ours.score(X), scores.mean(), rtol=1e-10)


@pytest.mark.slow
def test_planted_rank_ten_20000x200():
    X = planted()
    ref = SkPCA(10, svd_solver="full").fit(X)
    for solver in ("auto", "full", "covariance_eigh", "randomized"):
        ours = PCA(10, svd_solver=solver, random_state=0).fit(X)
        assert_matches(ours, ref, X)
        np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-9)
        np.testing.assert_allclose(ours.score(X), ref.score(X), rtol=1e-10)
    assert PCA(10).fit(X)._fit_svd_solver == "covariance_eigh"


@pytest.mark.parametrize("solver", ["covariance_eigh", "randomized", "full"])
def test_every_solver_agrees_on_gapped_data(solver):
    X = planted(n=3000, d=40, r=4, seed=3)
    ref = PCA(4, svd_solver="full").fit(X)
    ours = PCA(4, svd_solver=solver, random_state=1, iterated_power=7).fit(X)
    assert_matches(ours, ref, X)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-9)


def test_auto_falls_back_to_svd_for_tiny_eigenvalues():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(500, 6)) * np.array([1, 1, 1, 1, 1, 1e-7])
    pca = PCA(6).fit(X)
    assert pca._fit_svd_solver == "full"
    assert PCA(5).fit(X)._fit_svd_solver == "covariance_eigh"
    ref = SkPCA(6, svd_solver="full").fit(X)
    np.testing.assert_allclose(pca.explained_variance_, ref.explained_variance_, rtol=1e-10)


def test_uncentred_data_regression():
    """Regression: PCA must centre. Data far from the origin gives the same components."""
    X = planted(n=2000, d=10, r=3, seed=2, offset=0.0)
    a = PCA(3).fit(X)
    b = PCA(3).fit(X + 1e6)
    np.testing.assert_allclose(b.explained_variance_, a.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(b.transform(X + 1e6), a.transform(X), atol=1e-6)
    # the transform of the training data is centred
    np.testing.assert_allclose(b.transform(X + 1e6).mean(axis=0), 0, atol=1e-6)


def test_scatter_matrix_shortcut_and_centred_path():
    rng = np.random.default_rng(0)
    for offset in (0.1, 1e6):
        X = rng.normal(size=(300, 4)) + offset
        Xc = X - X.mean(0)
        np.testing.assert_allclose(scatter_matrix(X, X.mean(0)), Xc.T @ Xc, rtol=1e-9, atol=1e-8)


def test_top_eigh_and_its_fallback():
    rng = np.random.default_rng(1)
    Q = np.linalg.qr(rng.normal(size=(60, 60)))[0]
    lam = np.r_[np.linspace(100, 50, 5), np.linspace(1, 0.5, 55)]
    C = (Q * lam) @ Q.T
    w, V = top_eigh(C, 5)
    np.testing.assert_allclose(w, lam[:5], rtol=1e-12)
    assert max_principal_angle(V.T, Q[:, :5].T) < 1e-10
    flat = (Q * np.linspace(1.0, 0.999, 60)) @ Q.T  # no gap: must give up, not return junk
    assert top_eigh(flat, 5) is None


def test_minka_matches_sklearn_choice():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3)) @ rng.normal(size=(3, 12)) + 0.1 * rng.normal(size=(400, 12))
    ref = SkPCA("mle", svd_solver="full").fit(X)
    assert PCA("mle").fit(X).n_components_ == ref.n_components_ == 3
    ev = SkPCA(svd_solver="full").fit(X).explained_variance_
    assert np.argmax(minka_log_evidence(ev, 400)) == 3


def test_whiten_inverse_transform_and_covariance():
    X = load_wine().data
    ours = PCA(4, whiten=True).fit(X)
    ref = SkPCA(4, whiten=True, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-9)
    np.testing.assert_allclose(np.cov(ours.transform(X).T), np.eye(4), atol=1e-10)
    np.testing.assert_allclose(
        ours.inverse_transform(ours.transform(X)),
        ref.inverse_transform(ref.transform(X)),
        rtol=1e-9,
    )
    plain = PCA(4).fit(X)
    plain_ref = SkPCA(4, svd_solver="full").fit(X)
    np.testing.assert_allclose(plain.get_covariance(), plain_ref.get_covariance(), rtol=1e-9)
    np.testing.assert_allclose(
        plain.get_precision(), plain_ref.get_precision(), rtol=1e-7, atol=1e-12
    )
    np.testing.assert_allclose(
        plain.get_precision() @ plain.get_covariance(), np.eye(13), atol=1e-8
    )


def test_full_rank_reconstruction_is_exact():
    X = load_wine().data
    pca = PCA().fit(X)
    np.testing.assert_allclose(pca.inverse_transform(pca.transform(X)), X, rtol=1e-10, atol=1e-9)
    assert pca.noise_variance_ == 0.0


def test_sign_convention_largest_entry_positive():
    comps = PCA(5).fit(load_digits().data).components_
    rows = np.arange(5)
    assert np.all(comps[rows, np.abs(comps).argmax(axis=1)] > 0)


def test_errors():
    X = np.random.default_rng(0).normal(size=(10, 4))
    with pytest.raises(ValueError, match="n_components"):
        PCA(5).fit(X)
    with pytest.raises(ValueError, match="strictly between"):
        PCA(1.5).fit(X)
    with pytest.raises(ValueError, match="svd_solver"):
        PCA(2, svd_solver="lapack").fit(X)
    with pytest.raises(ValueError, match="n_samples >= n_features"):
        PCA("mle").fit(X[:3])
    with pytest.raises(ValueError, match="at least 2 samples"):
        PCA().fit(X[:1])
    with pytest.raises(ValueError, match="NaN"):
        PCA().fit(np.where(X > 1, np.nan, X))
    pca = PCA(2).fit(X)
    with pytest.raises(ValueError, match="features"):
        pca.transform(X[:, :3])
    with pytest.raises(ValueError, match="n_components_"):
        pca.inverse_transform(np.zeros((2, 3)))
