import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.triangular import solve_triangular
from tests.helpers import SIZES, hilbert, spd


def lower_factor(n, rng):
    """A well-conditioned lower-triangular matrix (Cholesky factor of an SPD matrix)."""
    return np.linalg.cholesky(spd(n, rng))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("trans", [False, True])
def test_matches_scipy(n, lower, trans, rng):
    L = lower_factor(n, rng)
    T = L if lower else L.T
    B = rng.standard_normal((n, 4))
    x = solve_triangular(T, B, lower=lower, trans=trans)
    ref = sla.solve_triangular(T, B, lower=lower, trans=int(trans))
    np.testing.assert_allclose(x, ref, rtol=1e-10, atol=1e-12 * np.abs(ref).max())
    op = T.T if trans else T
    resid = np.abs(op @ x - B).max()
    assert resid <= 1e-12 * np.abs(op).sum(axis=1).max() * np.abs(x).max()


@pytest.mark.parametrize("n", [1, 5, 40, 100])
@pytest.mark.parametrize("lower", [True, False])
def test_unit_diagonal_matches_scipy_and_ignores_diagonal(n, lower, rng):
    L = np.tril(rng.standard_normal((n, n)), -1) / n + np.eye(n)
    T = L if lower else L.T
    garbage = T + np.diag(rng.standard_normal(n)) * 7.0
    b = rng.standard_normal(n)
    x = solve_triangular(garbage, b, lower=lower, unit_diagonal=True)
    ref = sla.solve_triangular(T, b, lower=lower, unit_diagonal=True)
    np.testing.assert_allclose(x, ref, rtol=1e-10, atol=1e-12)


def test_other_triangle_is_not_read(rng):
    L = lower_factor(20, rng)
    junk = L + np.triu(rng.standard_normal((20, 20)), 1) * 100
    b = rng.standard_normal(20)
    np.testing.assert_allclose(
        solve_triangular(junk, b), sla.solve_triangular(L, b, lower=True), rtol=1e-12
    )
    np.testing.assert_allclose(
        solve_triangular(junk.T, b, lower=False), sla.solve_triangular(L.T, b), rtol=1e-12
    )


def test_many_right_hand_sides(rng):
    L = lower_factor(300, rng)
    B = rng.standard_normal((300, 300))
    X = solve_triangular(L, B)
    np.testing.assert_allclose(X, sla.solve_triangular(L, B, lower=True), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert_triangle_backward_error(n):
    T = np.tril(hilbert(n))
    b = np.ones(n)
    x = solve_triangular(T, b)
    resid = np.abs(T @ x - b).max()
    assert resid <= 1e-13 * np.abs(T).sum(axis=1).max() * np.abs(x).max()
    ref = sla.solve_triangular(T, b, lower=True)
    np.testing.assert_allclose(x, ref, rtol=1e-8)


def test_diagonal_1x1_and_empty():
    np.testing.assert_allclose(solve_triangular([[4.0]], [2.0]), [0.5])
    D = np.diag([2.0, -4.0, 0.5])
    np.testing.assert_allclose(solve_triangular(D, [2.0, 2.0, 2.0], lower=False), [1, -0.5, 4])
    assert solve_triangular(np.zeros((0, 0)), np.zeros(0)).shape == (0,)
    assert solve_triangular(np.zeros((0, 0)), np.zeros((0, 3))).shape == (0, 3)


def test_stacks_and_broadcasting(rng):
    T = np.stack([lower_factor(6, rng) for _ in range(3)])
    B = rng.standard_normal((3, 6, 2))
    X = solve_triangular(T, B)
    for i in range(3):
        np.testing.assert_allclose(X[i], sla.solve_triangular(T[i], B[i], lower=True), rtol=1e-12)
    Xb = solve_triangular(T, B[0])  # one matrix of RHS broadcast over the stack
    assert Xb.shape == (3, 6, 2)
    np.testing.assert_allclose(Xb[2], sla.solve_triangular(T[2], B[0], lower=True), rtol=1e-12)
    xv = solve_triangular(T, B[0, :, 0])  # a vector against a stack
    assert xv.shape == (3, 6)
    np.testing.assert_allclose(xv[1], sla.solve_triangular(T[1], B[0, :, 0], lower=True))
    Xs = solve_triangular(T, B, lower=False, trans=True)
    np.testing.assert_allclose(Xs[0], sla.solve_triangular(T[0].T, B[0], lower=True), rtol=1e-12)


def test_zero_diagonal_names_the_index():
    T = np.tril(np.ones((4, 4)))
    T[2, 2] = 0.0
    with pytest.raises(LinAlgError, match="diagonal entry 2 is zero"):
        solve_triangular(T, np.ones(4))


def test_overflow_is_reported_not_returned():
    T = np.array([[1e-300, 0.0], [1.0, 1e-300]])
    with pytest.raises(LinAlgError, match="overflowed"):
        solve_triangular(T, [1e10, 1.0])


@pytest.mark.parametrize(
    ("T", "b", "exc", "match"),
    [
        ([[np.nan, 0.0], [1.0, 1.0]], [1.0, 1.0], ValueError, "NaN or infinity"),
        ([[1.0, 0.0], [1.0, 1.0]], [np.inf, 1.0], ValueError, "NaN or infinity"),
        ([[1j, 0.0], [1.0, 1.0]], [1.0, 1.0], TypeError, "complex"),
        (np.ones((2, 3)), [1.0, 1.0], LinAlgError, "square"),
        ([1.0, 2.0], [1.0, 1.0], LinAlgError, "2-D"),
        (np.eye(2), [1.0, 1.0, 1.0], ValueError, "length 3"),
        (np.eye(2), np.ones((3, 2)), ValueError, "number of rows"),
        (np.eye(2), 1.0, ValueError, "at least 1 dimension"),
        (np.ones((2, 2, 2)), np.ones((3, 2, 1)), ValueError, "do not broadcast"),
    ],
)
def test_bad_input(T, b, exc, match):
    with pytest.raises(exc, match=match):
        solve_triangular(T, b)


def test_bad_flags():
    with pytest.raises(TypeError, match="lower must be True or False"):
        solve_triangular(np.eye(2), [1.0, 1.0], lower="yes")
    with pytest.raises(TypeError, match="trans must be True or False"):
        solve_triangular(np.eye(2), [1.0, 1.0], trans=1)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, n), elements=st.floats(-1, 1)),
            arrays(np.float64, (n,), elements=st.floats(-10, 10)),
            st.booleans(),
        )
    )
)
def test_property_residual(data):
    M, b, lower = data
    n = len(b)
    T = (np.tril(M) if lower else np.triu(M)) / n + np.diag(1.0 + np.abs(np.diag(M)))
    x = solve_triangular(T, b, lower=lower)
    assert np.abs(T @ x - b).max() <= 1e-13 * (1 + np.abs(b).max()) * n
