import numpy as np
import pytest

pytest.importorskip("dask")

from m4ml import distributed as md
from m4ml import linalg
from tests.distributed.conftest import chunked


def test_r_equals_in_memory_r(data):
    X, _ = data
    R = md.tsqr(chunked(X))
    assert isinstance(R, np.ndarray)
    np.testing.assert_allclose(R, linalg.qr(X).R, rtol=0, atol=1e-12 * np.abs(X).max())


def test_q_is_lazy_orthonormal_and_reconstructs(data):
    X, _ = data
    Q, R = md.tsqr(chunked(X), compute_q=True)
    assert Q.chunks[0] == chunked(X).chunks[0]  # lazy, with A's row chunks
    Qn = Q.compute()
    np.testing.assert_allclose(Qn.T @ Qn, np.eye(4), atol=1e-14)
    np.testing.assert_allclose(Qn @ R, X, rtol=0, atol=1e-12 * np.abs(X).max())
    np.testing.assert_allclose(np.abs(Qn), np.abs(np.linalg.qr(X)[0]), atol=1e-10)


def test_blocks_shorter_than_wide():
    X = np.random.default_rng(0).normal(size=(12, 5))
    R = md.tsqr(chunked(X, (2, 3, 0, 7)))
    np.testing.assert_allclose(R.T @ R, X.T @ X, atol=1e-12)


def test_svd_matches_numpy(data):
    X, _ = data
    U, s, Vh = md.svd(chunked(X))
    ref = np.linalg.svd(X, full_matrices=False)
    np.testing.assert_allclose(s, ref[1], rtol=1e-12)
    np.testing.assert_allclose(np.abs(Vh), np.abs(ref[2]), atol=1e-10)
    np.testing.assert_allclose((U.compute() * s) @ Vh, X, atol=1e-12 * np.abs(X).max())
    np.testing.assert_allclose(md.svd(chunked(X), compute_uv=False), ref[1], rtol=1e-12)


def test_numpy_input(data):
    X, _ = data
    Q, R = md.tsqr(X, compute_q=True)
    np.testing.assert_allclose(Q @ R, X, atol=1e-9)


def test_nan_raises(data):
    X = data[0].copy()
    X[-1, 0] = np.nan
    with pytest.raises(ValueError, match="A contains NaN"):
        md.tsqr(chunked(X))
