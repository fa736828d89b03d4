"""Tests for m4ml.linalg.pinv (pinv, matrix_rank, cond)."""

import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.pinv import cond, matrix_rank, pinv
from tests.helpers import SIZES, hilbert, well_conditioned


def penrose(A, X, tol):
    """The four Penrose conditions for X = pinv(A)."""
    nrm = max(np.linalg.norm(A, 2), 1e-300)
    np.testing.assert_allclose(A @ X @ A, A, atol=tol * nrm)
    np.testing.assert_allclose(X @ A @ X, X, atol=tol * max(np.linalg.norm(X, 2), 1e-300))
    np.testing.assert_allclose(A @ X, (A @ X).T, atol=tol)
    np.testing.assert_allclose(X @ A, (X @ A).T, atol=tol)


@pytest.mark.parametrize("n", SIZES)
def test_pinv_matches_numpy_and_inverse(n, rng):
    A = well_conditioned(n, rng)
    X = pinv(A)
    np.testing.assert_allclose(X, np.linalg.pinv(A), rtol=0, atol=1e-10 * np.abs(X).max())
    np.testing.assert_allclose(X @ A, np.eye(n), atol=1e-11)


@pytest.mark.parametrize(("m", "n"), [(7, 3), (3, 7), (100, 40), (40, 100)])
def test_pinv_rectangular(m, n, rng):
    A = well_conditioned(n, rng, m)
    X = pinv(A)
    assert X.shape == (n, m)
    np.testing.assert_allclose(X, np.linalg.pinv(A), atol=1e-12)
    penrose(A, X, 1e-12)


def test_pinv_rank_deficient_and_rtol(rng):
    A = rng.standard_normal((30, 4)) @ rng.standard_normal((4, 20))
    # rtol=None: the cutoff max(m, n) * eps, above the rounding noise of the zero singular
    # values (numpy's bare default 1e-15 is not, for NumPy as for m4ml)
    X = pinv(A, rtol=None)
    np.testing.assert_allclose(X, np.linalg.pinv(A, rtol=None), atol=1e-10 * np.abs(X).max())
    penrose(A, X, 1e-10)
    B = np.diag([1.0, 1e-3, 1e-9])
    np.testing.assert_allclose(pinv(B), np.diag([1.0, 1e3, 1e9]), rtol=1e-12)
    np.testing.assert_allclose(pinv(B, rtol=1e-6), np.diag([1.0, 1e3, 0.0]), rtol=1e-12)
    np.testing.assert_allclose(pinv(B, rtol=1e-6), np.linalg.pinv(B, rtol=1e-6), rtol=1e-12)


def test_pinv_zero_empty_and_stack(rng):
    np.testing.assert_array_equal(pinv(np.zeros((3, 2))), np.zeros((2, 3)))
    assert pinv(np.zeros((0, 3))).shape == (3, 0)
    A = rng.standard_normal((2, 3, 5, 4))
    np.testing.assert_allclose(pinv(A), np.linalg.pinv(A), atol=1e-12)
    rt = np.array([0.0, 0.9])
    S = np.stack([np.diag([1.0, 0.5]), np.diag([1.0, 0.5])])
    np.testing.assert_allclose(pinv(S, rtol=rt), [np.diag([1.0, 2.0]), np.diag([1.0, 0.0])])


def test_pinv_hilbert_solves_least_squares():
    H = hilbert(10)
    b = np.ones(10)
    x = pinv(H) @ b
    # Backward-stable: residual small relative to ||H|| ||x||, as numpy's.
    ref = np.linalg.pinv(H) @ b
    assert np.linalg.norm(H @ x - b) <= 1e3 * max(np.linalg.norm(H @ ref - b), 1e-12)


@pytest.mark.parametrize(
    ("A", "expected"),
    [
        (np.eye(5), 5),
        (np.zeros((3, 4)), 0),
        (np.ones((4, 6)), 1),
        (np.diag([1.0, 1e-20, 1.0]), 2),
        (hilbert(12), None),
    ],
)
def test_matrix_rank_matches_numpy(A, expected):
    r = matrix_rank(A)
    assert r == np.linalg.matrix_rank(A)
    if expected is not None:
        assert r == expected
    assert isinstance(r, int)


@pytest.mark.parametrize("n", SIZES)
def test_matrix_rank_sizes(n, rng):
    A = well_conditioned(n, rng)
    assert matrix_rank(A) == n == np.linalg.matrix_rank(A)
    r = max(n // 2, 1)
    B = A[:, :r] @ rng.standard_normal((r, n))
    assert matrix_rank(B) == r == np.linalg.matrix_rank(B)


def test_matrix_rank_tol_rtol_stack_and_vectors(rng):
    A = rng.standard_normal((40, 5)) @ rng.standard_normal((5, 30))
    assert matrix_rank(A) == 5
    D = np.diag([10.0, 1.0, 0.1])
    assert matrix_rank(D, tol=0.5) == 2
    assert matrix_rank(D, rtol=0.05) == 2
    assert matrix_rank(D, rtol=0.001) == 3
    stack = np.stack([np.eye(3), np.diag([1.0, 1.0, 0.0])])
    np.testing.assert_array_equal(matrix_rank(stack), [3, 2])
    np.testing.assert_array_equal(matrix_rank(np.zeros((2, 0, 3))), [0, 0])
    assert matrix_rank([0.0, 0.0]) == 0 and matrix_rank([0.0, 2.0]) == 1 and matrix_rank(3.0) == 1


@pytest.mark.parametrize("n", SIZES)
def test_cond_two_norm_matches_numpy(n, rng):
    A = well_conditioned(n, rng)
    np.testing.assert_allclose(cond(A), np.linalg.cond(A), rtol=1e-10)
    np.testing.assert_allclose(cond(A, 2), np.linalg.cond(A, 2), rtol=1e-10)
    np.testing.assert_allclose(cond(A, -2), np.linalg.cond(A, -2), rtol=1e-10)


def test_cond_rectangular_singular_stack(rng):
    A = well_conditioned(4, rng, 9)
    np.testing.assert_allclose(cond(A), np.linalg.cond(A), rtol=1e-10)
    assert cond(np.diag([1.0, 0.0])) == np.inf
    assert cond(np.zeros((3, 3))) == np.inf
    assert cond(np.zeros((3, 3)), -2) == np.inf == np.linalg.cond(np.zeros((3, 3)), -2)
    assert cond(np.diag([1.0, 0.0]), -2) == 0.0 == np.linalg.cond(np.diag([1.0, 0.0]), -2)
    S = rng.standard_normal((2, 3, 4, 4))
    np.testing.assert_allclose(cond(S), np.linalg.cond(S), rtol=1e-10)
    np.testing.assert_allclose(cond(hilbert(8)), np.linalg.cond(hilbert(8)), rtol=1e-6)


@pytest.mark.parametrize("p", [1, -1, np.inf, -np.inf, "fro", "nuc"])
def test_cond_other_norms(p, rng):
    A = well_conditioned(6, rng)
    np.testing.assert_allclose(cond(A, p), np.linalg.cond(A, p), rtol=1e-10)
    S = np.stack([A, np.diag([1.0, 2.0, 0.0, 1.0, 1.0, 1.0])])
    r = cond(S, p)
    np.testing.assert_allclose(r[0], np.linalg.cond(A, p), rtol=1e-10)
    assert r[1] == np.inf


@pytest.mark.parametrize("p", [1, -1, np.inf, -np.inf, "fro", "nuc"])
def test_cond_other_norms_logic_with_reference_norm(p, rng, monkeypatch):
    """The inverse-based path, with numpy's matrix norm standing in for m4ml.linalg.vectors."""
    fake = types.ModuleType("m4ml.linalg.vectors")
    fake.norm = lambda x, ord=None: np.linalg.norm(x, ord)
    monkeypatch.setitem(sys.modules, "m4ml.linalg.vectors", fake)
    A = well_conditioned(5, rng)
    np.testing.assert_allclose(cond(A, p), np.linalg.cond(A, p), rtol=1e-10)
    r = cond(np.stack([A, np.zeros((5, 5))]), p)
    np.testing.assert_allclose(r, [np.linalg.cond(A, p), np.inf], rtol=1e-10)
    assert cond(np.diag([1.0, 0.0]), p) == np.inf


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: pinv([[np.nan, 1.0]]), ValueError, "NaN or infinity"),
        (lambda: pinv(np.eye(2) * 1j), TypeError, "complex"),
        (lambda: pinv([1.0, 2.0]), LinAlgError, "at least 2-D"),
        (lambda: pinv(np.eye(2), rtol=-1.0), ValueError, "non-negative"),
        (lambda: pinv(np.eye(2), rtol=np.nan), ValueError, "NaN or infinity"),
        (lambda: matrix_rank(np.eye(2), tol=1.0, rtol=1.0), ValueError, "both be set"),
        (lambda: matrix_rank(np.eye(2), tol=-1.0), ValueError, "non-negative"),
        (lambda: matrix_rank([[np.inf]]), ValueError, "NaN or infinity"),
        (lambda: cond(np.zeros((0, 0))), LinAlgError, "empty"),
        (lambda: cond(np.eye(2), 3), ValueError, "invalid norm order"),
        (lambda: cond(np.eye(2), "max"), ValueError, "invalid norm order"),
        (lambda: cond(np.eye(2), True), ValueError, "invalid norm order"),
        (lambda: cond(np.ones((3, 2)), 1), LinAlgError, "square"),
        (lambda: cond([1.0, 2.0]), LinAlgError, "at least 2-D"),
        (lambda: cond([[1.0, np.nan], [0.0, 1.0]]), ValueError, "NaN or infinity"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# no subnormals: the pseudo-inverse of [[5e-324]] is not a float (pinv raises, tested above)
finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=finite))
def test_property_penrose_conditions(A):
    X = pinv(A, rtol=None)
    assert X.shape == A.shape[::-1]
    s = np.linalg.svd(A, compute_uv=False)
    keep = s > max(A.shape) * np.finfo(float).eps * s[0]
    # Conditions hold to a tolerance set by the smallest kept singular value.
    kappa = s[0] / s[keep][-1] if keep.any() else 1.0
    penrose(A, X, 1e-11 * kappa)
    assert matrix_rank(A) == np.linalg.matrix_rank(A) or np.any(
        np.abs(s - max(A.shape) * np.finfo(float).eps * s[0]) < 1e-10 * s[0]
    )


# -- numpy.linalg's signature: rcond, hermitian, rtol keyword ---------------------------------


def test_pinv_rcond_and_rtol_follow_numpy(rng):
    B = np.diag([1.0, 1e-3, 1e-9, 1e-15 / 2])
    for kwargs in [{}, {"rcond": 1e-6}, {"rcond": None}, {"rtol": 1e-6}, {"rtol": None}]:
        np.testing.assert_allclose(pinv(B, **kwargs), np.linalg.pinv(B, **kwargs), rtol=1e-12)
    np.testing.assert_allclose(pinv(B, 1e-6), np.linalg.pinv(B, 1e-6), rtol=1e-12)  # positional
    # rcond=-1 keeps every nonzero singular value (numpy would turn an exact 0 into inf)
    C = np.diag([1.0, 1e-10, 0.0])
    np.testing.assert_allclose(pinv(C, rcond=-1), np.diag([1.0, 1e10, 0.0]), rtol=1e-14)
    with pytest.raises(ValueError, match="both"):
        pinv(B, rcond=1e-3, rtol=1e-3)


def test_pinv_and_matrix_rank_hermitian(rng):
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    A = (Q * np.array([3.0, -2.0, 1.0, -0.5, 0.0, 0.0])) @ Q.T
    np.testing.assert_allclose(
        pinv(A, hermitian=True), np.linalg.pinv(A, hermitian=True), atol=1e-12
    )
    np.testing.assert_allclose(pinv(A, hermitian=True), pinv(A), atol=1e-12)
    assert matrix_rank(A, hermitian=True) == np.linalg.matrix_rank(A, hermitian=True) == 4
    assert matrix_rank(A, None, True) == 4  # numpy's positional order
    with pytest.raises(ValueError, match="square"):
        pinv(np.ones((2, 3)), hermitian=True)


def test_pinv_float32():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], dtype=np.float32)
    X = pinv(A)
    assert X.dtype == np.linalg.pinv(A).dtype == np.float32
    np.testing.assert_allclose(X, np.linalg.pinv(A), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("p", [None, 1, "fro", -2])
def test_cond_float32(p):
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    r, ref = cond(x, p), np.linalg.cond(x, p)
    assert r.dtype == ref.dtype == np.float32
    np.testing.assert_allclose(r, ref, rtol=1e-5)
    assert cond(np.stack([x, x]), p).dtype == np.float32
