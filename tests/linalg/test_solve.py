import contextlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError, LinAlgWarning
from m4ml.linalg.solve import inv, solve
from tests.helpers import SIZES, hilbert, well_conditioned


@pytest.mark.parametrize("n", SIZES)
def test_solve_matches_numpy(n, rng):
    A = well_conditioned(n, rng)
    b = rng.standard_normal(n)
    x = solve(A, b)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10, atol=1e-12)
    B = rng.standard_normal((n, 5))
    X = solve(A, B)
    np.testing.assert_allclose(X, np.linalg.solve(A, B), rtol=1e-10, atol=1e-12)
    assert np.abs(A @ X - B).max() <= 1e-12 * np.abs(A).max() * np.abs(X).max() * n


@pytest.mark.parametrize("n", SIZES)
def test_inv_matches_numpy(n, rng):
    A = well_conditioned(n, rng)
    Ai = inv(A)
    np.testing.assert_allclose(Ai, np.linalg.inv(A), rtol=1e-10, atol=1e-12)
    assert np.abs(A @ Ai - np.eye(n)).max() <= 1e-12 * n


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert_small_residual(n):
    A = hilbert(n)
    b = A @ np.ones(n)
    # cond_1(H_12) = 4e16 > 1/eps: solve and inv warn, as SciPy's do (H_11: 1.2e15, no warning)
    with pytest.warns(LinAlgWarning) if n == 12 else contextlib.nullcontext():
        x = solve(A, b)
    assert np.abs(A @ x - b).max() <= 1e-14 * n
    # the forward error is about cond(A) * eps, no worse than numpy's
    err_numpy = np.abs(np.linalg.solve(A, b) - 1.0).max()
    assert np.abs(x - 1.0).max() <= max(10 * err_numpy, 1e-12)
    with pytest.warns(LinAlgWarning) if n == 12 else contextlib.nullcontext():
        Ai = inv(A)
    assert np.abs(A @ Ai - np.eye(n)).max() <= 1e-14 * np.abs(Ai).max()


def test_vector_versus_matrix_rhs_numpy2_semantics(rng):
    A = rng.standard_normal((3, 4, 4)) + 4 * np.eye(4)
    b = rng.standard_normal(4)
    x = solve(A, b)  # b.ndim == 1: one vector for every matrix in the stack
    assert x.shape == (3, 4)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-12)
    B = rng.standard_normal((3, 4, 2))
    np.testing.assert_allclose(solve(A, B), np.linalg.solve(A, B), rtol=1e-12)
    B1 = rng.standard_normal((4, 1))
    assert solve(A, B1).shape == (3, 4, 1)
    Bs = rng.standard_normal((2, 1, 4, 3))  # a stack of right-hand sides for one matrix
    np.testing.assert_allclose(solve(A[0], Bs), np.linalg.solve(A[0], Bs), rtol=1e-12)
    np.testing.assert_allclose(inv(A), np.linalg.inv(A), rtol=1e-12)


def test_small_and_special_matrices(rng):
    np.testing.assert_allclose(solve([[4.0]], [2.0]), [0.5])
    np.testing.assert_allclose(inv([[4.0]]), [[0.25]])
    D = np.diag([2.0, -4.0, 0.5])
    np.testing.assert_allclose(inv(D), np.diag([0.5, -0.25, 2.0]))
    T = np.triu(rng.standard_normal((6, 6))) + 5 * np.eye(6)
    np.testing.assert_allclose(inv(T), np.linalg.inv(T), rtol=1e-12, atol=1e-14)
    assert solve(np.zeros((0, 0)), np.zeros(0)).shape == (0,)
    assert inv(np.zeros((0, 0))).shape == (0, 0)
    P = np.eye(4)[[2, 0, 3, 1]]
    np.testing.assert_array_equal(inv(P), P.T)


@pytest.mark.parametrize("A", [np.zeros((3, 3)), [[1.0, 2.0], [2.0, 4.0]], np.ones((5, 5))])
def test_singular_raises(A):
    n = np.shape(A)[0]
    with pytest.raises(LinAlgError, match="singular"):
        solve(A, np.ones(n))
    with pytest.raises(LinAlgError, match="singular"):
        inv(A)


def test_overflowing_result_raises():
    A = np.diag([1.0, 1e-320])  # nonzero (subnormal) pivot, but 1 / 1e-320 overflows
    with pytest.raises(LinAlgError, match="singular to working precision"):
        inv(A)
    with pytest.raises(LinAlgError, match="singular to working precision"):
        solve(A, [1.0, 1.0])


def test_overflowing_elimination_raises():
    A = np.array([[1e308, 1e308], [-1e308, 1e308]])
    with pytest.raises(LinAlgError, match="elimination overflowed"):
        solve(A, [1.0, 1.0])
    with pytest.raises(LinAlgError, match="elimination overflowed"):
        inv(A)


@pytest.mark.parametrize(
    ("a", "b", "exc", "match"),
    [
        ([[1.0, np.nan], [0.0, 1.0]], [1.0, 1.0], ValueError, "NaN or infinity"),
        ([[1.0, 0.0], [0.0, 1.0]], [np.inf, 1.0], ValueError, "NaN or infinity"),
        ([[1j, 0.0], [0.0, 1.0]], [1.0, 1.0], TypeError, "complex"),
        (np.ones((2, 3)), [1.0, 1.0], LinAlgError, "square"),
        ([1.0, 2.0], [1.0, 1.0], LinAlgError, "2-D"),
        (np.eye(2), [1.0, 1.0, 1.0], ValueError, "length 3"),
        (np.eye(2), np.ones((3, 1)), ValueError, "number of rows"),
        (np.eye(2)[None].repeat(2, 0), np.ones((3, 2, 1)), ValueError, "do not broadcast"),
    ],
)
def test_bad_input(a, b, exc, match):
    with pytest.raises(exc, match=match):
        solve(a, b)


def test_inv_bad_input():
    with pytest.raises(LinAlgError, match="square"):
        inv(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        inv([[np.nan]])


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, n), elements=st.floats(-1, 1)),
            arrays(np.float64, (n,), elements=st.floats(-10, 10)),
        )
    )
)
def test_property_solution_satisfies_system(data):
    M, b = data
    n = len(b)
    A = M + (n + 1) * np.eye(n)  # strictly diagonally dominant: nonsingular
    x = solve(A, b)
    assert np.abs(A @ x - b).max() <= 1e-13 * (1 + np.abs(b).max()) * n
    np.testing.assert_allclose(inv(inv(A)), A, rtol=1e-10, atol=1e-12)
