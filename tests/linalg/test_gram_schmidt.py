"""Tests for m4ml.linalg.gram_schmidt (re-orthogonalized Gram–Schmidt with dependency dropping)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.linalg.gram_schmidt import GramSchmidtResult, gram_schmidt
from tests.helpers import SIZES, hilbert, well_conditioned


def assert_orthonormal(B, tol=1e-12):
    assert np.linalg.norm(B.T @ B - np.eye(B.shape[1])) <= tol


def assert_same_span(B, A, tol=1e-10):
    """Every column of A lies in span(B) (relative residual below tol)."""
    resid = A - B @ (B.T @ A)
    assert np.linalg.norm(resid) <= tol * max(np.linalg.norm(A), 1e-300)


@pytest.mark.parametrize("modified", [True, False])
@pytest.mark.parametrize("n", SIZES)
def test_matches_qr_on_well_conditioned(modified, n, rng):
    A = well_conditioned(n, rng, m=n + 2)
    basis, dropped = gram_schmidt(A, modified=modified)
    assert basis.shape == (n + 2, n) and dropped.size == 0
    assert_orthonormal(basis)
    Qn, Rn = np.linalg.qr(A)
    d = np.sign(np.diag(Rn))
    np.testing.assert_allclose(basis, Qn * d, rtol=0, atol=1e-11)


@pytest.mark.parametrize("modified", [True, False])
@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert_stays_orthonormal(modified, n):
    """Twice is enough: even classical GS gives an orthonormal basis of the Hilbert columns."""
    A = hilbert(n)
    basis, dropped = gram_schmidt(A, modified=modified)
    assert_orthonormal(basis)
    assert_same_span(basis, A, tol=1e-12)
    # numerical rank of Hilbert(n) at tolerance n*eps is at least 10 for these n
    assert basis.shape[1] + dropped.size == n
    assert basis.shape[1] >= min(n, 10)


@pytest.mark.parametrize("modified", [True, False])
def test_drops_dependent_columns(modified, rng):
    A = rng.standard_normal((8, 6))
    A[:, 2] = A[:, 0] - 2 * A[:, 1]
    A[:, 4] = 0.0
    A[:, 5] = 3 * A[:, 3]
    result = gram_schmidt(A, modified=modified)
    assert isinstance(result, GramSchmidtResult)
    np.testing.assert_array_equal(result.dropped, [2, 4, 5])
    assert result.basis.shape == (8, 3)
    assert_orthonormal(result.basis)
    assert_same_span(result.basis, A)


def test_more_vectors_than_dimension(rng):
    A = rng.standard_normal((3, 7))
    basis, dropped = gram_schmidt(A)
    assert basis.shape == (3, 3)
    np.testing.assert_array_equal(dropped, [3, 4, 5, 6])
    assert_orthonormal(basis)


def test_tolerance_controls_dropping(rng):
    A = rng.standard_normal((6, 3))
    A[:, 2] = A[:, 0] + 1e-8 * rng.standard_normal(6)
    assert gram_schmidt(A).dropped.size == 0
    np.testing.assert_array_equal(gram_schmidt(A, tol=1e-6).dropped, [2])
    np.testing.assert_array_equal(gram_schmidt(A, tol=0).dropped, [])


def test_zero_and_empty_inputs():
    basis, dropped = gram_schmidt(np.zeros((4, 3)))
    assert basis.shape == (4, 0)
    np.testing.assert_array_equal(dropped, [0, 1, 2])
    basis, dropped = gram_schmidt(np.zeros((4, 0)))
    assert basis.shape == (4, 0) and dropped.size == 0
    basis, dropped = gram_schmidt(np.zeros((0, 2)))
    assert basis.shape == (0, 0)
    np.testing.assert_array_equal(dropped, [0, 1])


def test_single_vector_and_diagonal():
    basis, dropped = gram_schmidt([[3.0], [4.0]])
    np.testing.assert_allclose(basis, [[0.6], [0.8]], rtol=1e-15)
    assert dropped.size == 0
    basis, _ = gram_schmidt(np.diag([2.0, -5.0, 0.5]))
    np.testing.assert_array_equal(basis, np.diag([1.0, -1.0, 1.0]))


def test_input_not_modified(rng):
    A = rng.standard_normal((5, 4))
    A0 = A.copy()
    gram_schmidt(A)
    gram_schmidt(A, modified=False)
    np.testing.assert_array_equal(A, A0)


def test_bad_input():
    with pytest.raises(ValueError, match="NaN or inf"):
        gram_schmidt([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(TypeError, match="complex"):
        gram_schmidt(np.eye(2) * 1j)
    with pytest.raises(ValueError, match="at least 2 dimension"):
        gram_schmidt([1.0, 2.0])
    with pytest.raises(ValueError, match="at most 2 dimension"):
        gram_schmidt(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="tol must be a finite number"):
        gram_schmidt(np.eye(2), tol=-1.0)
    with pytest.raises(ValueError, match="tol must be a finite number"):
        gram_schmidt(np.eye(2), tol=np.inf)
    with pytest.raises(TypeError, match="tol must be a real number"):
        gram_schmidt(np.eye(2), tol="small")


matrices = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: arrays(np.float64, s, elements=st.floats(-100, 100, allow_nan=False))
)


@settings(max_examples=25, deadline=None)
@given(matrices, st.booleans())
def test_property_orthonormal_basis_of_the_span(A, modified):
    basis, dropped = gram_schmidt(A, modified=modified)
    assert basis.shape[1] + dropped.size == A.shape[1]
    assert basis.shape[1] <= min(A.shape)
    assert_orthonormal(basis)
    assert_same_span(basis, A, tol=1e-9)
    # the kept count equals the numerical rank (up to borderline singular values)
    s = np.linalg.svd(A, compute_uv=False)
    clear_rank = int(np.sum(s > 1e-8 * max(s[0], 1e-300)))
    assert basis.shape[1] >= clear_rank


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 1e160, 1e300])
def test_scale_invariant(scale, rng):
    A = rng.standard_normal((7, 4))
    ref = gram_schmidt(A).basis
    for modified in (True, False):
        np.testing.assert_allclose(
            gram_schmidt(A * scale, modified=modified).basis, ref, atol=1e-14
        )
    from m4ml.linalg.qr import qr

    for method in ("mgs", "cgs"):
        Q, R = qr(A * scale, method=method)
        np.testing.assert_allclose(Q, ref, atol=1e-14)
        np.testing.assert_allclose(R / scale, qr(A).R, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("modified", [True, False])
def test_subnormal_input(modified):
    basis, dropped = gram_schmidt([[5e-324], [0.0]], modified=modified)
    assert basis.tolist() == [[1.0], [0.0]] and dropped.size == 0
    basis, dropped = gram_schmidt([[-1e-310, 0.0], [0.0, 3e-320]], modified=modified)
    np.testing.assert_array_equal(basis, [[-1.0, 0.0], [0.0, 1.0]])
