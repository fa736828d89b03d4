import numpy as np
import pytest

pytest.importorskip("dask")

from m4ml import distributed as md
from m4ml import linalg
from tests.distributed.conftest import CHUNKS, chunked


@pytest.fixture
def A():
    """101 x 12, singular values 10 * 0.6^j, off-centre (a constant added)."""
    rng = np.random.default_rng(5)
    U = np.linalg.qr(rng.normal(size=(101, 12)))[0]
    V = np.linalg.qr(rng.normal(size=(12, 12)))[0]
    return (U * (10.0 * 0.6 ** np.arange(12))) @ V.T + 3.0


def _aligned(got, ref):
    """``got``'s (U, s, Vt) with each triplet's sign matched to ``ref``."""
    U = got.U.compute() if hasattr(got.U, "compute") else got.U
    signs = np.sign(np.sum(U * ref.U, axis=0))
    return U * signs, got.s, got.Vt * signs[:, None]


@pytest.mark.parametrize(("k", "p", "q"), [(4, 10, 4), (3, 0, 0), (6, 2, 1), (12, 10, 2)])
def test_equals_in_memory_from_the_same_test_matrix(A, k, p, q):
    got = md.randomized_svd(chunked(A), k, n_oversamples=p, n_iter=q, rng=11)
    ref = linalg.randomized_svd(A, k, n_oversamples=p, n_iter=q, rng=11)
    U, s, Vt = _aligned(got, ref)
    np.testing.assert_allclose(s, ref.s, rtol=1e-10)
    np.testing.assert_allclose(U, ref.U, rtol=0, atol=1e-10)
    np.testing.assert_allclose(Vt, ref.Vt, rtol=0, atol=1e-10)


def test_u_is_lazy_with_the_row_chunks_and_accurate(A):
    got = md.randomized_svd(chunked(A), 5, rng=np.random.default_rng(0))
    assert got.U.chunks[0] == CHUNKS
    U = got.U.compute()
    np.testing.assert_allclose(U.T @ U, np.eye(5), atol=1e-13)
    np.testing.assert_allclose(got.s, np.linalg.svd(A, compute_uv=False)[:5], rtol=1e-10)


def test_numpy_input_and_generator_seed(A):
    got = md.randomized_svd(A, 3, rng=np.random.default_rng(2))
    ref = linalg.randomized_svd(A, 3, rng=np.random.default_rng(2))
    assert isinstance(got.U, np.ndarray)
    np.testing.assert_allclose(np.abs(got.U), np.abs(ref.U), atol=1e-12)


def test_nan_raises(A):
    A = A.copy()
    A[60, 3] = np.nan
    with pytest.raises(ValueError, match="A contains NaN"):
        md.randomized_svd(chunked(A), 2, rng=0)


def test_bad_arguments(A):
    Ad = chunked(A)
    with pytest.raises(ValueError, match="k must satisfy"):
        md.randomized_svd(Ad, 13)
    with pytest.raises(TypeError, match="k must be an integer"):
        md.randomized_svd(Ad, 2.0)
    with pytest.raises(ValueError, match="n_iter must be >= 0"):
        md.randomized_svd(Ad, 2, n_iter=-1)
    with pytest.raises(ValueError, match="2-D"):
        md.randomized_svd(Ad[:, 0], 1)
