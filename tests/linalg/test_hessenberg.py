"""Tests for m4ml.linalg.hessenberg (Householder reduction to upper Hessenberg form)."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.hessenberg import hessenberg
from tests.helpers import SIZES, hilbert, well_conditioned


def check_hessenberg(A, H, Q):
    n = A.shape[-1]
    scale = max(np.linalg.norm(A), 1.0)
    assert np.all(np.tril(H, -2) == 0.0)
    assert np.linalg.norm(Q @ H @ np.swapaxes(Q, -1, -2) - A) <= 1e-12 * scale
    assert np.linalg.norm(np.swapaxes(Q, -1, -2) @ Q - np.eye(n)) <= 1e-12 * max(n, 1)


@pytest.mark.parametrize("n", SIZES)
def test_against_scipy(n, rng):
    A = well_conditioned(n, rng)
    H, Q = hessenberg(A, calc_q=True)
    check_hessenberg(A, H, Q)
    np.testing.assert_array_equal(hessenberg(A), H)
    # Unique up to the signs of Q's columns (implicit Q theorem, first column e_1).
    H_ref = scipy.linalg.hessenberg(A)
    np.testing.assert_allclose(np.abs(H), np.abs(H_ref), rtol=0, atol=1e-10 * np.abs(A).max())
    np.testing.assert_allclose(Q[:, 0], np.eye(n)[:, 0], atol=0)


@pytest.mark.parametrize("n", [8, 12])
def test_hilbert_symmetric_gives_tridiagonal(n):
    A = hilbert(n)
    H, Q = hessenberg(A, calc_q=True)
    check_hessenberg(A, H, Q)
    assert np.abs(np.triu(H, 2)).max() <= 1e-14  # symmetric in, tridiagonal out


def test_special_matrices(rng):
    for A in (np.zeros((5, 5)), np.eye(4), np.triu(rng.standard_normal((6, 6)))):
        H, Q = hessenberg(A, calc_q=True)
        check_hessenberg(A, H, Q)
        np.testing.assert_array_equal(H, A)  # nothing to eliminate: unchanged
        np.testing.assert_array_equal(Q, np.eye(A.shape[0]))
    H, Q = hessenberg(np.zeros((0, 0)), calc_q=True)
    assert H.shape == (0, 0) and Q.shape == (0, 0)
    assert hessenberg([[2.0]]).tolist() == [[2.0]]
    # Rank-deficient: one column of zeros below the subdiagonal is skipped.
    A = rng.standard_normal((6, 6))
    A[:, 2] = 0.0
    check_hessenberg(A, *hessenberg(A, calc_q=True))


def test_stack(rng):
    A = rng.standard_normal((2, 3, 6, 6))
    H, Q = hessenberg(A, calc_q=True)
    assert H.shape == Q.shape == A.shape
    check_hessenberg(A, H, Q)
    np.testing.assert_allclose(H[1, 2], hessenberg(A[1, 2]), atol=0)


def test_bad_input():
    with pytest.raises(LinAlgError, match="square"):
        hessenberg(np.ones((3, 4)))
    with pytest.raises(LinAlgError, match="at least 2-D"):
        hessenberg(np.ones(4))
    with pytest.raises(ValueError, match="NaN or infinity"):
        hessenberg([[1.0, np.nan], [2.0, 3.0]])
    with pytest.raises(TypeError, match="complex"):
        hessenberg(np.eye(3, dtype=complex))


@given(
    st.integers(1, 7).flatmap(
        lambda n: arrays(
            np.float64,
            (n, n),
            elements=st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False),
        )
    )
)
@settings(max_examples=25, deadline=None)
def test_property_similarity(A):
    H, Q = hessenberg(A, calc_q=True)
    check_hessenberg(A, H, Q)
    assert np.trace(H) == pytest.approx(np.trace(A), abs=1e-12 * max(np.abs(A).sum(), 1.0))
