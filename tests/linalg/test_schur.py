"""Tests for m4ml.linalg.schur (real Schur form by the Francis double-shift QR iteration)."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linear_sum_assignment

from m4ml._core import LinAlgError
from m4ml.linalg.schur import _standardize_2x2, schur
from tests.helpers import SIZES, hilbert, spd, well_conditioned


def schur_eigenvalues(T):
    """Eigenvalues read off a standardized quasi-triangular T."""
    n = T.shape[0]
    w, k = [], 0
    while k < n:
        if k + 1 < n and T[k + 1, k] != 0.0:
            a, b, c = T[k, k], T[k, k + 1], T[k + 1, k]
            w += [complex(a, np.sqrt(-b * c)), complex(a, -np.sqrt(-b * c))]
            k += 2
        else:
            w.append(T[k, k])
            k += 1
    return np.array(w, dtype=complex)


def check_schur(A, T, Z):
    n = A.shape[-1]
    scale = max(np.linalg.norm(A), 1.0)
    assert np.linalg.norm(Z @ T @ Z.T - A) <= 1e-12 * scale
    assert np.linalg.norm(Z.T @ Z - np.eye(n)) <= 1e-12 * max(n, 1)
    assert np.all(np.tril(T, -2) == 0.0)
    sub = np.diag(T, -1)
    assert not np.any((sub[:-1] != 0) & (sub[1:] != 0))  # blocks are at most 2x2
    for k in np.flatnonzero(sub):  # standardized: equal diagonal, b c < 0
        assert T[k, k] == T[k + 1, k + 1]
        assert np.sign(T[k, k + 1]) * np.sign(T[k + 1, k]) < 0


def match_error(w, w_ref):
    cost = np.abs(np.asarray(w)[:, None] - np.asarray(w_ref)[None, :])
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].max(initial=0.0))


@pytest.mark.parametrize("n", SIZES)
def test_against_numpy(n, rng):
    A = well_conditioned(n, rng)
    T, Z = schur(A)
    check_schur(A, T, Z)
    assert match_error(schur_eigenvalues(T), np.linalg.eigvals(A)) <= 1e-10 * 10
    # scipy's real Schur form has the same quasi-triangular shape (up to block order).
    T_ref, _ = scipy.linalg.schur(A)
    assert np.count_nonzero(np.diag(T, -1)) == np.count_nonzero(np.diag(T_ref, -1))


def test_symmetric_gives_diagonal(rng):
    for A in (spd(30, rng), hilbert(10)):
        T, Z = schur(A)
        check_schur(A, T, Z)
        off = T - np.diag(np.diag(T))
        assert np.abs(off).max() <= 1e-12 * np.abs(A).max()
        np.testing.assert_allclose(np.sort(np.diag(T)), np.linalg.eigvalsh(A), atol=1e-13)


def test_special_matrices(rng):
    T, Z = schur(np.zeros((4, 4)))
    np.testing.assert_array_equal(T, np.zeros((4, 4)))
    U = np.triu(rng.standard_normal((5, 5)))
    T, Z = schur(U)
    check_schur(U, T, Z)
    np.testing.assert_array_equal(T, U)  # already triangular: no iteration
    R = np.array([[0.0, -3.0], [3.0, 0.0]])
    T, Z = schur(R)
    np.testing.assert_array_equal(T, R)
    T, Z = schur(np.zeros((0, 0)))
    assert T.shape == Z.shape == (0, 0)
    T, Z = schur([[7.0]])
    assert T.tolist() == [[7.0]] and Z.tolist() == [[1.0]]
    # Repeated eigenvalues (a 4x4 with a double complex pair), and a stack.
    S = well_conditioned(4, rng)
    A = S @ np.kron(np.eye(2), [[1.0, 2.0], [-2.0, 1.0]]) @ np.linalg.inv(S)
    T, Z = schur(A)
    check_schur(A, T, Z)
    assert match_error(schur_eigenvalues(T), [1 + 2j, 1 - 2j] * 2) <= 1e-7
    A = rng.standard_normal((3, 5, 5))
    T, Z = schur(A)
    for k in range(3):
        check_schur(A[k], T[k], Z[k])


@pytest.mark.parametrize(
    "block",
    [
        (1.0, 2.0, 3.0, 4.0),  # real eigenvalues
        (1.0, -2.0, 3.0, 4.0),  # complex pair
        (1.0, 0.0, 3.0, 4.0),  # b = 0: swap
        (2.0, 1.0, -1.0, 2.0),  # already standard
        (1.0, 1e-20, -1e-20, 1.0 + 1e-30),  # nearly a double real eigenvalue
        (5.0, 1.0, 0.0, -1.0),  # already triangular
    ],
)
def test_standardize_2x2(block):
    a, b, c, d = block
    cs, sn, (a2, b2, c2, d2) = _standardize_2x2(a, b, c, d)
    G = np.array([[cs, -sn], [sn, cs]])
    B = np.array([[a, b], [c, d]])
    np.testing.assert_allclose(G.T @ B @ G, [[a2, b2], [c2, d2]], atol=1e-14 * np.abs(B).max())
    assert cs**2 + sn**2 == pytest.approx(1.0, abs=1e-15)
    assert c2 == 0.0 or (a2 == d2 and b2 * c2 < 0)
    np.testing.assert_allclose(
        np.sort_complex(np.linalg.eigvals([[a2, b2], [c2, d2]])),
        np.sort_complex(np.linalg.eigvals(B)),
        atol=1e-14 * np.abs(B).max(),
    )


def test_bad_input():
    with pytest.raises(LinAlgError, match="square"):
        schur(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN or infinity"):
        schur([[np.inf, 0.0], [0.0, 1.0]])
    with pytest.raises(TypeError, match="complex"):
        schur(np.eye(2) + 0j)


@given(
    st.integers(1, 7).flatmap(
        lambda n: arrays(
            np.float64,
            (n, n),
            elements=st.floats(-100, 100, allow_nan=False, allow_subnormal=False),
        )
    )
)
@settings(max_examples=25, deadline=None)
def test_property_schur(A):
    T, Z = schur(A)
    check_schur(A, T, Z)
