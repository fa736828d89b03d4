"""Pairwise distances and kernels against sklearn.metrics.pairwise and exact references."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.metrics import pairwise as skp

from m4ml.models import _pairwise
from m4ml.models.kernels import (
    cosine_similarity,
    euclidean_distances,
    laplacian_kernel,
    linear_kernel,
    manhattan_distances,
    pairwise_kernels,
    polynomial_kernel,
    rbf_kernel,
    sigmoid_kernel,
)

PAIRS = [
    (linear_kernel, skp.linear_kernel, {}),
    (polynomial_kernel, skp.polynomial_kernel, {"degree": 3, "gamma": 0.3, "coef0": 0.5}),
    (polynomial_kernel, skp.polynomial_kernel, {}),
    (rbf_kernel, skp.rbf_kernel, {"gamma": 0.2}),
    (rbf_kernel, skp.rbf_kernel, {}),
    (laplacian_kernel, skp.laplacian_kernel, {"gamma": 0.1}),
    (sigmoid_kernel, skp.sigmoid_kernel, {"gamma": 0.05, "coef0": -0.3}),
    (cosine_similarity, skp.cosine_similarity, {}),
]


@pytest.mark.parametrize(("ours", "theirs", "kw"), PAIRS, ids=lambda p: getattr(p, "__name__", ""))
@pytest.mark.parametrize("with_y", [False, True])
def test_kernels_match_sklearn(rng, ours, theirs, kw, with_y):
    X = rng.normal(size=(37, 5))
    Y = rng.normal(size=(23, 5)) if with_y else None
    np.testing.assert_allclose(ours(X, Y, **kw), theirs(X, Y, **kw), rtol=1e-12, atol=1e-12)


def test_euclidean_matches_exact_reference(rng):
    X, Y = rng.normal(size=(50, 7)), rng.normal(size=(40, 7))
    np.testing.assert_allclose(euclidean_distances(X, Y), cdist(X, Y), rtol=1e-13)
    np.testing.assert_allclose(
        euclidean_distances(X, Y, squared=True), cdist(X, Y, "sqeuclidean"), rtol=1e-12
    )
    np.testing.assert_allclose(manhattan_distances(X, Y), cdist(X, Y, "cityblock"), rtol=1e-13)
    np.testing.assert_allclose(
        euclidean_distances(X, Y), skp.euclidean_distances(X, Y), rtol=1e-10, atol=1e-12
    )


def test_euclidean_precomputed_norms(rng):
    X, Y = rng.normal(size=(30, 4)), rng.normal(size=(20, 4))
    xx, yy = (X**2).sum(1), (Y**2).sum(1)
    ref = cdist(X, Y)
    np.testing.assert_allclose(euclidean_distances(X, Y, X_norm_squared=xx), ref, rtol=1e-12)
    np.testing.assert_allclose(euclidean_distances(X, Y, Y_norm_squared=yy), ref, rtol=1e-12)
    D = euclidean_distances(X, Y_norm_squared=xx[:, None], X_norm_squared=xx)
    np.testing.assert_allclose(D, cdist(X, X), rtol=1e-12, atol=1e-15)
    assert np.array_equal(D, D.T) and not np.diag(D).any()


def test_cancellation_far_from_origin():
    """Nearby points at 1e8 from the origin: the naive formula loses every digit."""
    rng = np.random.default_rng(0)
    X = 1e8 + rng.normal(scale=1e-3, size=(60, 3))
    ref = cdist(X, X)
    D = euclidean_distances(X)
    np.testing.assert_allclose(D, ref, rtol=1e-12, atol=0)
    # precomputed norms disable the shift; the exact recomputation still rescues every entry
    D2 = euclidean_distances(X, X, X_norm_squared=(X**2).sum(1), Y_norm_squared=(X**2).sum(1))
    np.testing.assert_allclose(D2, ref, rtol=1e-12, atol=0)


def test_rbf_gram_stays_psd_under_cancellation():
    """Regression: an RBF Gram matrix of offset data must stay symmetric PSD with unit diagonal."""
    rng = np.random.default_rng(1)
    X = 1e6 + rng.normal(scale=1e-4, size=(80, 2))
    K = rbf_kernel(X, gamma=1e7)
    assert np.array_equal(K, K.T)
    assert np.all(np.diag(K) == 1.0)
    assert np.linalg.eigvalsh(K).min() > -1e-10
    ref = np.exp(-1e7 * cdist(X, X, "sqeuclidean"))
    np.testing.assert_allclose(K, ref, rtol=1e-9, atol=1e-14)
    # the textbook formula without the fixes goes wrong on the same data
    sq = (X**2).sum(1)
    with np.errstate(over="ignore"):
        naive = np.exp(-1e7 * (sq[:, None] + sq[None, :] - 2 * X @ X.T))
    assert not np.isfinite(naive).all() or np.abs(naive - ref).max() > 1e-2


def test_chunked_equals_one_chunk(rng, monkeypatch):
    X, Y = rng.normal(size=(45, 6)), rng.normal(size=(31, 6))
    full_xy, full_xx = euclidean_distances(X, Y), euclidean_distances(X)
    full_l1 = manhattan_distances(X, Y)
    monkeypatch.setattr(_pairwise, "_WORKING_MEMORY", 8 * 6 * 7)  # a few rows per block
    monkeypatch.setattr(_pairwise, "_CHUNK", 100)
    np.testing.assert_allclose(euclidean_distances(X, Y), full_xy, rtol=1e-13)
    Dxx = euclidean_distances(X)
    np.testing.assert_allclose(Dxx, full_xx, rtol=1e-13, atol=1e-15)
    assert np.array_equal(Dxx, Dxx.T) and not np.diag(Dxx).any()
    np.testing.assert_allclose(manhattan_distances(X, Y), full_l1, rtol=1e-13)


def test_symmetric_results_are_exactly_symmetric(rng):
    X = rng.normal(size=(70, 9))
    for K in (euclidean_distances(X), rbf_kernel(X), laplacian_kernel(X), linear_kernel(X)):
        assert np.array_equal(K, K.T)


@pytest.mark.parametrize(
    ("metric", "kw"),
    [
        ("linear", {}),
        ("poly", {"degree": 2, "gamma": 0.5, "coef0": 1.0}),
        ("polynomial", {"degree": 4}),
        ("rbf", {"gamma": 0.7}),
        ("laplacian", {}),
        ("sigmoid", {"coef0": 0.0}),
        ("cosine", {}),
    ],
)
def test_pairwise_kernels_dispatch(rng, metric, kw):
    X, Y = rng.normal(size=(12, 3)), rng.normal(size=(8, 3))
    np.testing.assert_allclose(
        pairwise_kernels(X, Y, metric=metric, **kw),
        skp.pairwise_kernels(X, Y, metric=metric, **kw),
        rtol=1e-12,
        atol=1e-14,
    )


def test_pairwise_kernels_precomputed_callable_and_filter(rng):
    X, Y = rng.normal(size=(6, 3)), rng.normal(size=(4, 3))
    K = rng.normal(size=(6, 4))
    np.testing.assert_array_equal(pairwise_kernels(K, metric="precomputed"), K)

    def dot(a, b, scale=1.0):
        return scale * float(a @ b)

    np.testing.assert_allclose(pairwise_kernels(X, Y, metric=dot, scale=2.0), 2 * X @ Y.T)
    filtered = pairwise_kernels(X, Y, "rbf", filter_params=True, gamma=0.3, degree=3, coef0=1)
    np.testing.assert_allclose(filtered, skp.rbf_kernel(X, Y, gamma=0.3), rtol=1e-12)
    with pytest.raises(ValueError, match="degree"):
        pairwise_kernels(X, Y, "rbf", degree=3)
    with pytest.raises(ValueError, match="Unknown kernel"):
        pairwise_kernels(X, Y, "chi3")


def test_cosine_zero_rows_and_huge_values():
    X = np.array([[0.0, 0.0], [1e300, 1e300], [1e-300, 0.0]])
    K = cosine_similarity(X)
    np.testing.assert_allclose(K, [[0, 0, 0], [0, 1, 2**-0.5], [0, 2**-0.5, 1]], rtol=1e-15)


def test_empty_and_single_row(rng):
    X = rng.normal(size=(1, 3))
    assert euclidean_distances(X).tolist() == [[0.0]]
    assert euclidean_distances(np.empty((0, 3)), X).shape == (0, 1)
    assert rbf_kernel(X, np.empty((0, 3))).shape == (1, 0)


@pytest.mark.parametrize(
    "func", [euclidean_distances, manhattan_distances, linear_kernel, rbf_kernel, cosine_similarity]
)
def test_bad_input(func):
    with pytest.raises(ValueError, match="NaN"):
        func([[np.nan, 1.0]])
    with pytest.raises(ValueError, match="Incompatible dimension"):
        func([[1.0, 2.0]], [[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="dimension"):
        func([1.0, 2.0])
    with pytest.raises(ValueError, match="0 features"):
        func(np.empty((3, 0)))
    with pytest.raises(TypeError, match="complex"):
        func([[1j, 2.0]])


def test_bad_parameters():
    X = [[1.0, 2.0]]
    with pytest.raises(ValueError, match="gamma"):
        rbf_kernel(X, gamma=-1.0)
    with pytest.raises(TypeError, match="gamma"):
        rbf_kernel(X, gamma="scale")
    with pytest.raises(ValueError, match="coef0"):
        polynomial_kernel(X, coef0=np.inf)
    with pytest.raises(ValueError, match="X_norm_squared"):
        euclidean_distances(X, X_norm_squared=[1.0, 2.0])
