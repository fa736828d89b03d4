import importlib

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.cholesky import cho_solve, cholesky
from tests.helpers import SIZES, hilbert, spd


def check_factor(A, L, tol=1e-12):
    np.testing.assert_array_equal(np.triu(L, 1), 0.0)
    assert (np.diagonal(L, axis1=-2, axis2=-1) > 0).all()
    scale = np.abs(A).max(initial=0.0)
    assert np.abs(L @ np.swapaxes(L, -1, -2) - A).max(initial=0.0) <= tol * scale


@pytest.mark.parametrize("n", SIZES)
def test_matches_numpy(n, rng):
    A = spd(n, rng)
    L = cholesky(A)
    check_factor(A, L)
    np.testing.assert_allclose(L, np.linalg.cholesky(A), rtol=1e-10, atol=1e-12)
    U = cholesky(A, upper=True)
    np.testing.assert_array_equal(U, L.T)
    np.testing.assert_allclose(U, np.linalg.cholesky(A, upper=True), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", SIZES)
def test_cho_solve_matches_scipy(n, rng):
    A = spd(n, rng)
    L = cholesky(A)
    b = rng.standard_normal(n)
    x = cho_solve(L, b)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)
    B = rng.standard_normal((n, 3))
    ref = sla.cho_solve((np.linalg.cholesky(A), True), B)
    np.testing.assert_allclose(cho_solve((L, True), B), ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cho_solve((L.T, False), B), ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert(n):
    A = hilbert(n)
    L = cholesky(A)
    check_factor(A, L, tol=1e-15)
    # forward error grows like cond(A) * eps (1e16 * 1e-16 for n = 12): absolute agreement only
    np.testing.assert_allclose(L, np.linalg.cholesky(A), rtol=0, atol=1e-7)


@pytest.mark.parametrize("n", [8, 10, 12])
def test_hilbert_forward_error_no_worse_than_numpy(n):
    mpmath = pytest.importorskip("mpmath")
    with mpmath.workdps(50):
        H = mpmath.matrix([[mpmath.mpf(1) / (i + j + 1) for j in range(n)] for i in range(n)])
        exact = np.array(mpmath.cholesky(H).tolist(), dtype=float)
    err = np.abs(cholesky(hilbert(n)) - exact).max()
    err_numpy = np.abs(np.linalg.cholesky(hilbert(n)) - exact).max()
    assert err <= 3 * err_numpy + 1e-15


@pytest.mark.parametrize("cond", [1e6, 1e12])
def test_ill_conditioned_large_backward_error(cond, rng):
    n = 200  # several levels of recursion
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (q * np.logspace(0, -np.log10(cond), n)) @ q.T
    A = (A + A.T) / 2
    L = cholesky(A)
    check_factor(A, L, tol=1e-14)


def test_small_special_and_empty(rng):
    np.testing.assert_allclose(cholesky([[9.0]]), [[3.0]])
    np.testing.assert_allclose(cholesky(np.diag([4.0, 1.0, 0.25])), np.diag([2.0, 1.0, 0.5]))
    assert cholesky(np.zeros((0, 0))).shape == (0, 0)
    # only the lower triangle is used once symmetry is established
    A = spd(5, rng)
    np.testing.assert_allclose(cholesky(A), cholesky(np.tril(A) + np.tril(A, -1).T), rtol=1e-14)
    # repeated eigenvalues: a multiple of the identity
    np.testing.assert_allclose(cholesky(7.0 * np.eye(4)), np.sqrt(7.0) * np.eye(4), rtol=1e-15)


def test_stacks(rng):
    A = np.stack([[spd(6, rng) for _ in range(3)] for _ in range(2)])
    L = cholesky(A)
    assert L.shape == (2, 3, 6, 6)
    check_factor(A, L)
    np.testing.assert_allclose(L, np.linalg.cholesky(A), rtol=1e-10, atol=1e-12)
    b = rng.standard_normal(6)
    x = cho_solve(L, b)
    assert x.shape == (2, 3, 6)
    np.testing.assert_allclose(x[1, 2], np.linalg.solve(A[1, 2], b), rtol=1e-10)


@pytest.mark.parametrize(
    ("A", "order"),
    [
        (np.diag([1.0, -1.0, 2.0]), 2),
        (np.zeros((3, 3)), 1),
        ([[1.0, 2.0], [2.0, 1.0]], 2),
        (np.ones((4, 4)), 2),  # positive semidefinite, rank one
    ],
)
def test_not_positive_definite_names_the_minor(A, order):
    with pytest.raises(LinAlgError, match=f"leading minor of order {order} is not positive"):
        cholesky(A)


def test_not_positive_definite_deep_in_recursion(rng):
    A = spd(100, rng)
    A[70:, 70:] -= 20 * np.eye(30)  # the first failure is at or after order 71
    with pytest.raises(LinAlgError, match="leading minor of order") as info:
        cholesky(A)
    order = int(str(info.value).split("order ")[1].split()[0])
    eig_minors = [np.linalg.eigvalsh(A[:k, :k]).min() for k in (order - 1, order)]
    assert eig_minors[0] > 0 >= eig_minors[1]


def test_not_symmetric():
    A = np.array([[2.0, 1.0], [0.0, 2.0]])
    with pytest.raises(LinAlgError, match="not symmetric"):
        cholesky(A)
    B = np.array([[2.0, 1.0], [1.0 + 1e-15, 2.0]])  # rounding-level asymmetry is accepted
    np.testing.assert_allclose(cholesky(B), np.linalg.cholesky(B), rtol=1e-14)


@pytest.mark.parametrize(
    ("a", "exc", "match"),
    [
        ([[1.0, np.nan], [np.nan, 1.0]], ValueError, "NaN or infinity"),
        ([[np.inf, 0.0], [0.0, 1.0]], ValueError, "NaN or infinity"),
        ([[1j, 0.0], [0.0, 1.0]], TypeError, "complex"),
        (np.ones((2, 3)), LinAlgError, "square"),
        ([1.0, 2.0], LinAlgError, "2-D"),
    ],
)
def test_bad_input(a, exc, match):
    with pytest.raises(exc, match=match):
        cholesky(a)


def test_bad_arguments():
    with pytest.raises(TypeError, match="upper must be True or False"):
        cholesky(np.eye(2), upper="no")
    with pytest.raises(TypeError, match="c_and_lower"):
        cho_solve((np.eye(2), 1), [1.0, 1.0])
    with pytest.raises(LinAlgError, match="diagonal entry 1 is zero"):
        cho_solve(np.diag([1.0, 0.0]), [1.0, 1.0])
    with pytest.raises(ValueError, match="length 3"):
        cho_solve(np.eye(2), [1.0, 1.0, 1.0])


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8).flatmap(lambda n: arrays(np.float64, (n, n), elements=st.floats(-10, 10))))
def test_property_gram_matrix(X):
    n = X.shape[0]
    A = X @ X.T + np.eye(n)  # symmetric positive definite
    L = cholesky(A)
    check_factor(A, L, tol=1e-14)
    b = np.arange(1.0, n + 1)
    assert np.abs(A @ cho_solve(L, b) - b).max() <= 1e-10 * (1 + np.abs(A).max())


@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("leaves", [1, 2, 4])
def test_block_boundaries(leaves, offset, rng):
    """Orders at and around multiples of the leaf width exercise every split of the recursion."""
    leaf = importlib.import_module("m4ml.linalg.cholesky")._LEAF
    n = leaves * leaf + offset
    A = spd(n, rng)
    L = cholesky(A)
    check_factor(A, L)
    np.testing.assert_allclose(L, np.linalg.cholesky(A), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", [1, 5, 33, 64, 70])
def test_recursive_path_matches_textbook_kernel(n, rng):
    """The recursive fast path agrees with the unblocked column-by-column kernel."""
    from m4ml.linalg.cholesky import _cholesky_unblocked, _potrf

    X = rng.standard_normal((n + 5, n))
    A = X.T @ X + 0.1 * np.eye(n)
    fast = A.copy()
    _potrf(fast)
    slow = A[None].copy()
    assert _cholesky_unblocked(slow)[0] == 0
    np.testing.assert_allclose(fast, slow[0], rtol=1e-11, atol=1e-13 * np.abs(fast).max())


@pytest.mark.parametrize("n", [2, 4, 32])
def test_stack_vectorized_matches_numpy_and_names_failing_minor(n, rng):
    X = rng.standard_normal((50, n + 3, n))
    A = np.swapaxes(X, -1, -2) @ X + np.eye(n)
    np.testing.assert_allclose(cholesky(A), np.linalg.cholesky(A), rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(
        cholesky(A, upper=True), np.swapaxes(np.linalg.cholesky(A), -1, -2), rtol=1e-11, atol=1e-12
    )
    bad = A.copy()
    bad[7, n - 1, n - 1] = -1e3  # minor of order n fails in matrix 7 only
    with pytest.raises(LinAlgError, match=f"order {n} "):
        cholesky(bad)


@pytest.mark.parametrize("n", [1, 9, 16, 17, 40])
@pytest.mark.parametrize("nb", [1, 3, 16])
def test_blocked_stack_path_matches_textbook_kernel(n, nb, rng):
    from m4ml.linalg.cholesky import _cholesky_blocked, _cholesky_unblocked

    X = rng.standard_normal((5, n + 2, n))
    A = np.swapaxes(X, -1, -2) @ X + 0.5 * np.eye(n)
    A[3, n // 2, n // 2] = -1.0  # matrix 3 fails at the minor of order n // 2 + 1
    fast, slow = A.copy(), A.copy()
    failed = _cholesky_blocked(fast, nb=nb)
    with np.errstate(over="ignore", invalid="ignore"):  # matrix 3 is garbage after it fails
        np.testing.assert_array_equal(failed, _cholesky_unblocked(slow))
    assert failed[3] == n // 2 + 1 and not np.delete(failed, 3).any()
    ok = [0, 1, 2, 4]
    np.testing.assert_allclose(fast[ok], slow[ok], rtol=1e-11, atol=1e-13 * np.abs(slow[ok]).max())
