"""KernelPCA against scikit-learn (dense ARPACK-free reference) up to the sign of each component."""

import numpy as np
import pytest
from sklearn.datasets import load_wine, make_circles
from sklearn.decomposition import KernelPCA as SkKernelPCA
from sklearn.preprocessing import StandardScaler

from m4ml.models import KernelPCA
from m4ml.models._lanczos import lanczos_top

WINE = StandardScaler().fit_transform(load_wine().data)
CIRCLES = make_circles(400, noise=0.05, factor=0.3, random_state=0)[0]
KERNELS = [
    ("rbf", {"gamma": 2.0}),
    ("poly", {"degree": 3, "gamma": 0.5}),
    ("sigmoid", {"gamma": 0.01, "coef0": 0.5}),
    ("cosine", {}),
]


def aligned(A, B):
    """B with each column's sign chosen to match A."""
    return B * np.sign(np.sum(A * B, axis=0))


@pytest.mark.parametrize(("kernel", "kw"), KERNELS, ids=[k for k, _ in KERNELS])
@pytest.mark.parametrize("solver", ["dense", "auto", "randomized"])
@pytest.mark.parametrize("data", ["circles", "wine"])
def test_matches_sklearn(kernel, kw, solver, data):
    X = CIRCLES if data == "circles" else WINE
    ours = KernelPCA(4, kernel=kernel, eigen_solver=solver, random_state=0, **kw).fit(X)
    ref = SkKernelPCA(4, kernel=kernel, eigen_solver="dense", **kw).fit(X)
    if solver == "randomized" and data == "wine" and kernel == "rbf":
        pytest.skip("wine's rbf spectrum has no gap after 4 components: randomized is approximate")
    if solver == "randomized" and kernel == "sigmoid":
        pytest.skip("the sigmoid kernel is not PSD; the randomized solver assumes it is")
    lam = ref.eigenvalues_
    np.testing.assert_allclose(ours.eigenvalues_, lam, rtol=1e-9, atol=1e-12 * lam[0])
    keep = lam > 1e-6 * lam[0]  # components of (numerically) zero eigenvalues are arbitrary
    Z, Zr = ours.transform(X)[:, keep], ref.transform(X)[:, keep]
    np.testing.assert_allclose(Z, aligned(Z, Zr), atol=1e-8 * np.abs(Zr).max())
    F, Fr = ours.fit_transform(X)[:, keep], ref.fit_transform(X)[:, keep]
    np.testing.assert_allclose(F, aligned(F, Fr), atol=1e-8 * np.abs(Zr).max())


def test_inverse_transform_matches_sklearn():
    ours = KernelPCA(2, kernel="rbf", gamma=2.0, fit_inverse_transform=True, alpha=0.1)
    ref = SkKernelPCA(2, kernel="rbf", gamma=2.0, fit_inverse_transform=True, alpha=0.1)
    Z, Zr = ours.fit_transform(CIRCLES), ref.fit_transform(CIRCLES)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Zr), atol=1e-9)


def test_linear_kernel_equals_pca_scores():
    from m4ml.models import PCA

    Z = KernelPCA(3, kernel="linear").fit(WINE).transform(WINE)
    P = PCA(3).fit(WINE).transform(WINE)
    np.testing.assert_allclose(np.abs(Z), np.abs(P), atol=1e-9)


def test_centring_in_feature_space():
    """The centred Gram matrix has zero row sums: training scores have zero mean."""
    Z = KernelPCA(5, kernel="rbf", gamma=1.0).fit_transform(CIRCLES)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)


def test_precomputed_kernel():
    from sklearn.metrics.pairwise import rbf_kernel

    K = rbf_kernel(CIRCLES, gamma=2.0)
    a = KernelPCA(3, kernel="precomputed").fit(K)
    b = KernelPCA(3, kernel="rbf", gamma=2.0).fit(CIRCLES)
    np.testing.assert_allclose(a.eigenvalues_, b.eigenvalues_, rtol=1e-10)
    np.testing.assert_allclose(np.abs(a.transform(K[:5])), np.abs(b.transform(CIRCLES[:5])))


def test_lanczos_top_against_numpy():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(300, 300))
    A = A @ A.T
    w, V = lanczos_top(A, 3)
    ref_w, ref_V = np.linalg.eigh(A)
    np.testing.assert_allclose(w, ref_w[::-1][:3], rtol=1e-12)
    np.testing.assert_allclose(np.abs(V.T @ ref_V[:, ::-1][:, :3]), np.eye(3), atol=1e-9)


def test_errors():
    with pytest.raises(ValueError, match="eigen_solver"):
        KernelPCA(eigen_solver="arpackish").fit(WINE)
    with pytest.raises(ValueError, match="n_components"):
        KernelPCA(0).fit(WINE)
    with pytest.raises(ValueError, match="fit_inverse_transform"):
        KernelPCA(2).fit(WINE).inverse_transform(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="NaN"):
        KernelPCA(2).fit(np.where(WINE > 2, np.nan, WINE))
