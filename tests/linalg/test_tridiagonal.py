"""Tests for the Householder tridiagonalization of m4ml.linalg.tridiagonal."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.tridiagonal import apply_q, tridiagonalize
from tests.helpers import SIZES, well_conditioned


def _check(A):
    n = len(A)
    d, e, refl = tridiagonalize(A)
    T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    Q = apply_q(refl, np.eye(n))
    norm = max(np.linalg.norm(A, 2), 1e-300)
    assert np.linalg.norm(Q @ T @ Q.T - A, 2) <= 1e-12 * norm * max(n, 1) ** 0.5
    assert np.linalg.norm(Q.T @ Q - np.eye(n), 2) <= 1e-12 * max(n, 1) ** 0.5
    return d, e, Q


@pytest.mark.parametrize("n", (*SIZES, 32, 33, 65))
def test_backward_error_and_orthogonality(n, rng):
    A = well_conditioned(n, rng)
    A = A + A.T
    d, e, Q = _check(A)
    np.testing.assert_allclose(
        np.linalg.eigvalsh(np.diag(d) + np.diag(e, 1) + np.diag(e, -1)),
        np.linalg.eigvalsh(A),
        rtol=1e-10,
        atol=1e-12 * np.linalg.norm(A, 2),
    )
    assert Q[0, 0] == 1.0  # the first row and column are untouched


def test_reads_lower_triangle_only(rng):
    A = rng.standard_normal((6, 6))
    S = np.tril(A) + np.tril(A, -1).T
    d1, e1, _ = tridiagonalize(A)
    d2, e2, _ = tridiagonalize(S)
    np.testing.assert_array_equal(d1, d2)
    np.testing.assert_array_equal(e1, e2)


def test_special_matrices(rng):
    _check(np.zeros((5, 5)))
    _check(np.diag(np.arange(40.0)))
    T = np.diag(rng.standard_normal(40)) + np.diag(np.ones(39), 1) + np.diag(np.ones(39), -1)
    d, e, _ = _check(T)
    np.testing.assert_allclose(np.abs(e), 1.0, rtol=1e-14)  # already tridiagonal
    d, e, refl = tridiagonalize(np.zeros((0, 0)))
    assert d.shape == (0,) and e.shape == (0,) and apply_q(refl, np.eye(0)).shape == (0, 0)


def test_underflowing_column_norms():
    A = np.full((20, 20), 1e-155)
    A[3, 2] = A[2, 3] = 16.0
    _check(A)


def test_compute_q_false_gives_same_tridiagonal(rng):
    A = rng.standard_normal((50, 50))
    d1, e1, _ = tridiagonalize(A)
    d2, e2, refl = tridiagonalize(A, compute_q=False)
    np.testing.assert_array_equal(d1, d2)
    np.testing.assert_array_equal(e1, e2)
    assert refl == ()


def test_apply_q_checks_z(rng):
    refl = tridiagonalize(rng.standard_normal((5, 5))).reflectors
    with pytest.raises(ValueError, match="5 rows"):
        apply_q(refl, np.eye(4))
    with pytest.raises(ValueError, match="at least 2 dimension"):
        apply_q(refl, np.ones(5))
    with pytest.raises(ValueError, match="NaN or infinity"):
        apply_q(refl, np.full((5, 2), np.nan))
    Z = rng.standard_normal((5, 3))
    Q = apply_q(refl, np.eye(5))
    np.testing.assert_allclose(apply_q(refl, Z), Q @ Z, atol=1e-14)


def test_bad_input():
    with pytest.raises(LinAlgError, match="square"):
        tridiagonalize(np.ones((3, 4)))
    with pytest.raises(ValueError, match="single matrix"):
        tridiagonalize(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match="NaN or infinity"):
        tridiagonalize([[np.nan]])
    with pytest.raises(TypeError, match="complex"):
        tridiagonalize([[1j]])


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 40).flatmap(lambda n: arrays(np.float64, (n, n), elements=st.floats(-1e3, 1e3)))
)
def test_property_similarity(M):
    _check((M + M.T) / 2)
