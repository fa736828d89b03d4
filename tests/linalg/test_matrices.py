import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.matrices import matrix_power, trace, transpose
from tests.helpers import SIZES, hilbert, well_conditioned


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 2), (4, 2, 5), (2, 3, 0, 4)])
def test_transpose_matches_numpy(shape, rng):
    A = rng.standard_normal(shape)
    At = transpose(A)
    np.testing.assert_array_equal(At, np.linalg.matrix_transpose(A))
    assert A.size == 0 or np.shares_memory(At, A)  # a view, no copy
    np.testing.assert_array_equal(transpose(At), A)


def test_transpose_converts_integers():
    At = transpose([[1, 2], [3, 4]])
    assert At.dtype == np.float64
    np.testing.assert_array_equal(At, [[1.0, 3.0], [2.0, 4.0]])


@pytest.mark.parametrize("n", SIZES)
def test_trace_matches_numpy(n, rng):
    A = well_conditioned(n, rng)
    np.testing.assert_allclose(trace(A), np.linalg.trace(A), rtol=1e-12)
    if n <= 100:  # the trace is the sum of the eigenvalues
        eig_sum = np.linalg.eigvals(A).real.sum()
        np.testing.assert_allclose(trace(A), eig_sum, rtol=1e-9, atol=1e-9)


def test_trace_offsets_stacks_and_rectangles(rng):
    A = rng.standard_normal((3, 4, 6))
    for k in (-5, -1, 0, 2, 5, 9):
        np.testing.assert_allclose(trace(A, offset=k), np.linalg.trace(A, offset=k), rtol=1e-12)
    assert trace(np.zeros((0, 0))) == 0.0
    assert trace([[7.0]]) == 7.0
    assert trace(A, offset=np.int64(1)).shape == (3,)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 10, 17, 64])
def test_matrix_power_matches_numpy(n, rng):
    A = well_conditioned(6, rng) / 5
    np.testing.assert_allclose(
        matrix_power(A, n), np.linalg.matrix_power(A, n), rtol=1e-10, atol=1e-12
    )


@pytest.mark.parametrize("n", [-1, -2, -7])
def test_negative_powers(n, rng):
    A = well_conditioned(5, rng)
    ref = np.linalg.matrix_power(A, n)
    np.testing.assert_allclose(matrix_power(A, n), ref, rtol=1e-10, atol=1e-14)


def test_special_matrices():
    F = np.array([[1, 1], [1, 0]])
    fib = matrix_power(F, 30)
    assert fib[0, 1] == 832040.0  # exact: Fibonacci numbers stay below 2^53
    N = np.triu(np.ones((4, 4)), 1)  # nilpotent
    np.testing.assert_array_equal(matrix_power(N, 4), np.zeros((4, 4)))
    np.testing.assert_array_equal(matrix_power(np.diag([2.0, 3.0]), 5), np.diag([32.0, 243.0]))
    np.testing.assert_array_equal(matrix_power(np.zeros((3, 3)), 0), np.eye(3))
    assert matrix_power(np.zeros((0, 0)), 3).shape == (0, 0)
    np.testing.assert_allclose(matrix_power([[2.0]], -3), [[0.125]])
    H = hilbert(8)
    np.testing.assert_allclose(matrix_power(H, 3), H @ H @ H, rtol=1e-13)


def test_stacks(rng):
    A = rng.standard_normal((2, 3, 4, 4)) / 3
    np.testing.assert_allclose(matrix_power(A, 5), np.linalg.matrix_power(A, 5), rtol=1e-10)
    I = matrix_power(A, 0)
    assert I.shape == A.shape
    np.testing.assert_array_equal(I[1, 2], np.eye(4))
    B = A + 3 * np.eye(4)
    np.testing.assert_allclose(matrix_power(B, -2), np.linalg.matrix_power(B, -2), rtol=1e-10)


def test_errors():
    with pytest.raises(TypeError, match="exponent n must be an integer"):
        matrix_power(np.eye(2), 1.5)
    with pytest.raises(TypeError, match="exponent n must be an integer"):
        matrix_power(np.eye(2), True)
    with pytest.raises(LinAlgError, match="square"):
        matrix_power(np.ones((2, 3)), 2)
    with pytest.raises(LinAlgError, match="singular"):
        matrix_power([[1.0, 2.0], [2.0, 4.0]], -1)
    with pytest.raises(OverflowError, match="overflowed"):
        matrix_power(1e10 * np.ones((2, 2)), 40)
    with pytest.raises(ValueError, match="NaN or infinity"):
        matrix_power([[np.nan]], 2)
    with pytest.raises(TypeError, match="complex"):
        trace([[1j]])
    with pytest.raises(LinAlgError, match="2-D"):
        trace([1.0, 2.0])
    with pytest.raises(TypeError, match="offset must be an integer"):
        trace(np.eye(2), offset=0.5)
    with pytest.raises(LinAlgError, match="2-D"):
        transpose([1.0, 2.0])
    with pytest.raises(ValueError, match="NaN or infinity"):
        transpose([[np.inf]])


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, n), elements=st.floats(-2, 2)),
            arrays(np.float64, (n, n), elements=st.floats(-2, 2)),
            st.integers(0, 6),
            st.integers(0, 6),
        )
    )
)
def test_property_identities(data):
    A, B, p, q = data
    # trace is cyclic, transpose reverses products, powers add exponents
    np.testing.assert_allclose(trace(A @ B), trace(B @ A), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(transpose(A @ B), transpose(B) @ transpose(A), atol=1e-12)
    lhs = matrix_power(A, p) @ matrix_power(A, q)
    scale = max(1.0, np.abs(A).sum(axis=1).max()) ** (p + q)
    np.testing.assert_allclose(lhs, matrix_power(A, p + q), rtol=0, atol=1e-12 * scale)
