import importlib

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.lu import lu, lu_factor, lu_solve
from tests.helpers import SIZES, hilbert, well_conditioned


def check_plu(A, P, L, U, tol=1e-12):
    m, n = A.shape[-2:]
    k = min(m, n)
    assert P.shape == (*A.shape[:-2], m, m)
    assert L.shape == (*A.shape[:-2], m, k)
    assert U.shape == (*A.shape[:-2], k, n)
    np.testing.assert_array_equal(np.tril(U, -1), 0.0)
    np.testing.assert_array_equal(np.triu(L, 1), 0.0)
    np.testing.assert_array_equal(np.diagonal(L, axis1=-2, axis2=-1), 1.0)
    assert np.abs(L).max(initial=0.0) <= 1.0
    np.testing.assert_array_equal(P.sum(axis=-1), 1.0)
    np.testing.assert_array_equal(P.sum(axis=-2), 1.0)
    scale = max(np.abs(A).max(initial=0.0), 1e-300)
    assert np.abs(P @ L @ U - A).max(initial=0.0) <= tol * scale * max(n, 1)


@pytest.mark.parametrize("n", SIZES)
def test_lu_matches_scipy(n, rng):
    A = well_conditioned(n, rng)
    P, L, U = lu(A)
    Pr, Lr, Ur = sla.lu(A)
    check_plu(A, P, L, U)
    np.testing.assert_array_equal(P, Pr)
    np.testing.assert_allclose(L, Lr, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(U, Ur, rtol=1e-10, atol=1e-12 * np.abs(Ur).max())


@pytest.mark.parametrize(("m", "n"), [(5, 2), (2, 5), (40, 17), (17, 40), (120, 70), (70, 120)])
def test_rectangular(m, n, rng):
    A = rng.standard_normal((m, n))
    P, L, U = lu(A)
    check_plu(A, P, L, U)
    _Pr, Lr, Ur = sla.lu(A)
    np.testing.assert_allclose(L, Lr, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(U, Ur, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", SIZES)
def test_lu_factor_matches_scipy(n, rng):
    A = well_conditioned(n, rng)
    LU, piv = lu_factor(A)
    LUr, pivr = sla.lu_factor(A)
    np.testing.assert_array_equal(piv, pivr)
    np.testing.assert_allclose(LU, LUr, rtol=1e-10, atol=1e-12 * np.abs(LUr).max())
    b = rng.standard_normal(n)
    x = lu_solve((LU, piv), b)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)
    xt = lu_solve((LU, piv), b, trans=1)
    np.testing.assert_allclose(xt, np.linalg.solve(A.T, b), rtol=1e-10, atol=1e-12)
    B = rng.standard_normal((n, 3))
    np.testing.assert_allclose(lu_solve((LU, piv), B), sla.lu_solve((LUr, pivr), B), rtol=1e-10)


@pytest.mark.parametrize("cond", [1e8, 1e14])
def test_ill_conditioned_backward_error_like_scipy(cond, rng):
    n = 150  # several recursion levels, so the leaf-block inverses are exercised
    u, _ = np.linalg.qr(rng.standard_normal((n, n)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (u * np.logspace(0, -np.log10(cond), n)) @ v.T
    P, L, U = lu(A)
    check_plu(A, P, L, U, tol=1e-15)
    Pr, Lr, Ur = sla.lu(A)
    err, err_ref = np.abs(P @ L @ U - A).max(), np.abs(Pr @ Lr @ Ur - A).max()
    assert err <= 4 * err_ref + 1e-16 * np.abs(A).max()


@pytest.mark.parametrize("n", [*range(8, 13), 40])
def test_hilbert_backward_error(n):
    A = hilbert(n)
    P, L, U = lu(A)
    check_plu(A, P, L, U, tol=1e-14)
    if n <= 12:  # beyond, near-ties in the pivot search may legitimately pick other rows
        Pr, _, _ = sla.lu(A)
        np.testing.assert_array_equal(P, Pr)


def test_rank_deficient_zero_and_exact_zero_pivot(rng):
    x = rng.standard_normal((6, 1))
    A = x @ rng.standard_normal((1, 6))  # rank one
    P, L, U = lu(A)
    check_plu(A, P, L, U)
    assert np.abs(np.diag(U)[1:]).max() <= 1e-14 * np.abs(A).max()
    Z = np.zeros((4, 3))
    P, L, U = lu(Z)
    check_plu(Z, P, L, U)
    np.testing.assert_array_equal(U, 0.0)
    S = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]])
    P, L, U = lu(S)
    check_plu(S, P, L, U)
    assert U[2, 2] == 0.0 or abs(U[2, 2]) < 1e-15
    assert np.isfinite(L).all()


def test_triangular_diagonal_one_by_one_and_empty():
    T = np.triu(np.arange(1.0, 10.0).reshape(3, 3))
    P, L, U = lu(T)
    np.testing.assert_array_equal(P, np.eye(3))
    np.testing.assert_array_equal(L, np.eye(3))
    np.testing.assert_array_equal(U, T)
    P, L, U = lu([[5.0]])
    assert (P.item(), L.item(), U.item()) == (1.0, 1.0, 5.0)
    P, L, U = lu(np.zeros((0, 0)))
    assert P.shape == L.shape == U.shape == (0, 0)
    P, L, U = lu(np.zeros((3, 0)))
    assert (P.shape, L.shape, U.shape) == ((3, 3), (3, 0), (0, 0))
    _LU, piv = lu_factor(np.diag([2.0, 3.0]))
    np.testing.assert_array_equal(piv, [0, 1])


def test_stacks(rng):
    A = rng.standard_normal((2, 3, 7, 7))
    P, L, U = lu(A)
    check_plu(A, P, L, U)
    LU, piv = lu_factor(A)
    assert piv.shape == (2, 3, 7)
    np.testing.assert_array_equal(piv[1, 2], sla.lu_factor(A[1, 2])[1])
    b = rng.standard_normal(7)
    x = lu_solve((LU, piv), b)
    assert x.shape == (2, 3, 7)
    np.testing.assert_allclose(x[0, 1], np.linalg.solve(A[0, 1], b), rtol=1e-10)


def test_lu_solve_singular_and_bad_input(rng):
    fac = lu_factor(np.array([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(LinAlgError, match="singular"):
        lu_solve(fac, [1.0, 1.0])
    LU, piv = lu_factor(rng.standard_normal((3, 3)))
    with pytest.raises(TypeError, match="tuple"):
        lu_solve(LU, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="trans must be 0, 1 or 2"):
        lu_solve((LU, piv), np.ones(3), trans=3)
    with pytest.raises(ValueError, match="piv must be integers"):
        lu_solve((LU, piv + 5), np.ones(3))
    with pytest.raises(ValueError, match="piv must be integers"):
        lu_solve((LU, piv.astype(float)), np.ones(3))
    with pytest.raises(ValueError, match="length 2"):
        lu_solve((LU, piv), np.ones(2))
    with pytest.raises(LinAlgError, match="square"):
        lu_solve(lu_factor(np.ones((3, 2))), np.ones(3))


def test_overflowing_elimination_raises():
    A = np.array([[1e308, 1e308], [-1e308, 1e308]])
    with pytest.raises(LinAlgError, match="elimination overflowed"):
        lu(A)
    with pytest.raises(LinAlgError, match="elimination overflowed"):
        lu_factor(A)


@pytest.mark.parametrize(
    ("a", "exc", "match"),
    [
        ([[1.0, np.nan], [0.0, 1.0]], ValueError, "NaN or infinity"),
        ([[1.0, np.inf], [0.0, 1.0]], ValueError, "NaN or infinity"),
        ([[1.0 + 1j, 0.0], [0.0, 1.0]], TypeError, "complex"),
        ([["a", "b"]], TypeError, "real numbers"),
        ([1.0, 2.0], LinAlgError, "2-D"),
    ],
)
def test_bad_input(a, exc, match):
    with pytest.raises(exc, match=match):
        lu(a)
    with pytest.raises(exc, match=match):
        lu_factor(a)


@settings(max_examples=25, deadline=None)
@given(
    st.tuples(st.integers(1, 7), st.integers(1, 7)).flatmap(
        lambda s: arrays(np.float64, s, elements=st.floats(-100, 100))
    )
)
def test_property_plu_reconstructs(A):
    P, L, U = lu(A)
    check_plu(A, P, L, U, tol=1e-14)
    LU, piv = lu_factor(A)
    B = A.copy()
    for i, j in enumerate(piv):
        B[[i, j]] = B[[j, i]]
    k = min(A.shape)
    Lc = np.tril(LU[:, :k], -1) + np.eye(A.shape[0], k)
    assert np.abs(Lc @ np.triu(LU[:k]) - B).max() <= 1e-13 * max(np.abs(A).max(), 1e-300)


@pytest.mark.parametrize("zero_cols", [(3,), (3, 4), (3, 5), (0, 7, 8)])
def test_zero_columns_inside_a_leaf_match_scipy(zero_cols, rng):
    """Columns with nothing below the pivot skip elimination; later columns must not see
    left-over multipliers from before the skip."""
    A = rng.standard_normal((30, 30))
    A[:, list(zero_cols)] = 0.0
    P, L, U = lu(A)
    check_plu(A, P, L, U)
    Pr, Lr, Ur = sla.lu(A)
    np.testing.assert_array_equal(P, Pr)
    np.testing.assert_allclose(L, Lr, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(U, Ur, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("leaves", [1, 2, 4])
def test_block_boundaries_match_scipy(leaves, offset, rng):
    """Orders at and around multiples of the leaf width exercise every split of the recursion."""
    n = leaves * importlib.import_module("m4ml.linalg.lu_recursive")._LEAF + offset
    A = well_conditioned(n, rng)
    P, L, U = lu(A)
    check_plu(A, P, L, U)
    Pr, Lr, Ur = sla.lu(A)
    np.testing.assert_array_equal(P, Pr)
    np.testing.assert_allclose(L, Lr, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(U, Ur, rtol=1e-10, atol=1e-12 * np.abs(Ur).max())


@pytest.mark.parametrize(("m", "n"), [(20, 30), (30, 20), (16, 17), (17, 16), (33, 31), (15, 40)])
def test_leaf_sub_blocks_rectangular_match_scipy(m, n, rng):
    """Panels narrower than a leaf but wider than one sub-block, tall and wide."""
    A = rng.standard_normal((m, n))
    P, L, U = lu(A)
    check_plu(A, P, L, U)
    Pr, Lr, Ur = sla.lu(A)
    np.testing.assert_array_equal(P, Pr)
    np.testing.assert_allclose(L, Lr, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(U, Ur, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("m", "n"), [(1, 1), (7, 7), (33, 33), (65, 65), (100, 100), (90, 40), (40, 90)]
)
def test_recursive_path_matches_textbook_kernel(m, n, rng):
    """The fast recursive LU computes the same pivots and factors as the unblocked kernel."""
    from m4ml.linalg.lu import _lu_unblocked
    from m4ml.linalg.lu_recursive import _getrf

    A = rng.standard_normal((m, n))
    A[:, n // 3] = 0.0  # a zero column: elimination skipped in both
    fast = A.copy()
    perm, piv, _ = _getrf(fast)
    slow = A[None].copy()
    piv0, perm0 = _lu_unblocked(slow)
    np.testing.assert_array_equal(piv, piv0[0])
    np.testing.assert_array_equal(perm, perm0[0])
    np.testing.assert_allclose(fast, slow[0], rtol=1e-10, atol=1e-12 * np.abs(slow).max())


@pytest.mark.parametrize(("m", "n"), [(4, 4), (32, 32), (64, 64), (6, 3), (3, 6)])
def test_stack_is_factored_like_each_matrix(m, n, rng):
    """Stacks take the vectorized textbook kernel; each matrix must match SciPy's."""
    A = rng.standard_normal((40, m, n))
    A[3] = 0.0  # a zero matrix in the stack
    A[5, :, 0] = 0.0  # a zero first column
    LU, piv = lu_factor(A)
    for i in (0, 39):
        if m == n:
            LUr, pivr = sla.lu_factor(A[i])
            np.testing.assert_array_equal(piv[i], pivr)
            np.testing.assert_allclose(LU[i], LUr, rtol=1e-10, atol=1e-12 * np.abs(LUr).max())
    np.testing.assert_array_equal(LU[3], 0.0)
    P, L, U = lu(A)
    check_plu(A, P, L, U)


@pytest.mark.parametrize(("m", "n"), [(9, 9), (16, 16), (17, 17), (40, 40), (12, 7), (7, 12)])
@pytest.mark.parametrize("nb", [1, 3, 16])
def test_blocked_stack_path_matches_textbook_kernel(m, n, nb, rng):
    """The blocked stack LU (panels + matmuls) gives the unblocked kernel's pivots and factors."""
    from m4ml.linalg.lu import _lu_blocked, _lu_unblocked

    A = rng.standard_normal((6, m, n))
    A[2, :, 1] = 0.0
    fast = A.copy()
    piv, perm = _lu_blocked(fast, nb=nb)
    slow = A.copy()
    piv0, perm0 = _lu_unblocked(slow)
    np.testing.assert_array_equal(piv, piv0)
    np.testing.assert_array_equal(perm, perm0)
    np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-12 * np.abs(slow).max())


@pytest.mark.parametrize("n", [1, 5, 40, 300])
def test_vector_substitution_matches_blocked_triangular_solves(n, rng):
    """One right-hand side takes plain substitution; a column matrix the blocked solves."""
    A = well_conditioned(n, rng)
    b = rng.standard_normal(n)
    fac = lu_factor(A)
    x = lu_solve(fac, b)
    X = lu_solve(fac, b[:, None])
    np.testing.assert_allclose(x, X[:, 0], rtol=1e-12, atol=1e-14)
    assert np.abs(A @ x - b).max() <= 1e-13 * n * np.abs(A).max() * np.abs(x).max()
