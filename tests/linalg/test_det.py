import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.det import SlogdetResult, det, slogdet
from tests.helpers import SIZES, hilbert, well_conditioned


@pytest.mark.parametrize("n", SIZES)
def test_matches_numpy(n, rng):
    A = well_conditioned(n, rng)
    np.testing.assert_allclose(det(A), np.linalg.det(A), rtol=1e-10)
    sign, logabs = slogdet(A)
    ref = np.linalg.slogdet(A)
    assert sign == ref.sign
    np.testing.assert_allclose(logabs, ref.logabsdet, rtol=1e-10, atol=1e-12)


def test_slogdet_result_fields(rng):
    res = slogdet(well_conditioned(4, rng))
    assert isinstance(res, SlogdetResult)
    assert res._fields == ("sign", "logabsdet")


def exact_hilbert_logdet(n):
    """log det H_n from the closed form det H_n = c_n^4 / c_{2n}, c_k = prod_{i<k} i!."""

    def c(k):
        return sum(math.lgamma(i + 1) for i in range(1, k))

    return 4 * c(n) - c(2 * n)


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert_no_worse_than_numpy(n):
    A = hilbert(n)
    exact = exact_hilbert_logdet(n)
    res = slogdet(A)
    assert res.sign == 1.0
    err_numpy = abs(np.linalg.slogdet(A).logabsdet - exact)
    assert abs(res.logabsdet - exact) <= 10 * err_numpy + 1e-9
    assert abs(np.log(det(A)) - exact) <= 10 * err_numpy + 1e-9


def test_singular_zero_and_rank_deficient():
    assert det(np.zeros((3, 3))) == 0.0
    S = np.array([[1.0, 2.0], [2.0, 4.0]])
    d = det(S)
    assert d == 0.0 and not np.signbit(d)
    res = slogdet(S)
    assert res.sign == 0.0 and not np.signbit(res.sign) and res.logabsdet == -np.inf
    R = np.arange(9.0).reshape(3, 3)  # rank 2; rounding may leave a tiny pivot
    assert abs(det(R)) <= 1e-12 * np.abs(R).max() ** 3


def test_small_cases_and_permutation_sign():
    assert det([[3.0]]) == 3.0
    assert det(np.zeros((0, 0))) == 1.0
    assert tuple(slogdet(np.zeros((0, 0)))) == (1.0, 0.0)
    assert det([[0.0, 1.0], [1.0, 0.0]]) == -1.0
    P = np.eye(5)[[1, 2, 0, 4, 3]]  # 3-cycle (even) times a swap (odd): odd
    assert det(P) == -1.0
    np.testing.assert_allclose(det(np.diag([2.0, -3.0, 0.5])), -3.0, rtol=1e-15)
    T = np.triu(np.arange(1.0, 17.0).reshape(4, 4))
    np.testing.assert_allclose(det(T), 1.0 * 6.0 * 11.0 * 16.0, rtol=1e-14)


def test_overflow_goes_to_slogdet():
    A = 10.0 * np.eye(400)
    assert det(A) == np.inf  # the product overflows, as in numpy
    res = slogdet(A)
    np.testing.assert_allclose(res.logabsdet, 400 * np.log(10.0), rtol=1e-14)
    assert res.sign == 1.0


def test_entries_near_overflow_are_rescaled():
    A = np.array([[1e308, 1e308], [-1e308, 1e308]])  # elimination overflows; det is 2e616
    res = slogdet(A)
    assert res.sign == 1.0
    np.testing.assert_allclose(res.logabsdet, np.log(2.0) + 2 * np.log(1e308), rtol=1e-15)
    assert det(A) == np.inf  # the determinant itself is out of range, as in numpy
    np.testing.assert_allclose(det(A * 1e-160), 2e296, rtol=1e-14)
    S = np.stack([A, 2 * np.eye(2)])
    np.testing.assert_allclose(slogdet(S).logabsdet[1], np.log(4.0), rtol=1e-15)


def test_stacks(rng):
    A = rng.standard_normal((2, 3, 5, 5))
    d = det(A)
    assert d.shape == (2, 3)
    np.testing.assert_allclose(d, np.linalg.det(A), rtol=1e-10)
    res = slogdet(A)
    ref = np.linalg.slogdet(A)
    np.testing.assert_array_equal(res.sign, ref.sign)
    np.testing.assert_allclose(res.logabsdet, ref.logabsdet, rtol=1e-10)
    assert det(np.zeros((4, 0, 0))).tolist() == [1.0] * 4


@pytest.mark.parametrize(
    ("a", "exc", "match"),
    [
        ([[1.0, np.nan], [0.0, 1.0]], ValueError, "NaN or infinity"),
        ([[1.0, -np.inf], [0.0, 1.0]], ValueError, "NaN or infinity"),
        ([[1j, 0.0], [0.0, 1.0]], TypeError, "complex"),
        (np.ones((2, 3)), LinAlgError, "square"),
        ([1.0, 2.0], LinAlgError, "2-D"),
    ],
)
def test_bad_input(a, exc, match):
    with pytest.raises(exc, match=match):
        det(a)
    with pytest.raises(exc, match=match):
        slogdet(a)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, n), elements=st.floats(-10, 10)),
            arrays(np.float64, (n, n), elements=st.floats(-10, 10)),
        )
    )
)
def test_property_multiplicative(pair):
    A, B = pair
    lhs, rhs = det(A @ B), det(A) * det(B)
    # Perturbation scale of a determinant: a backward error of eps*|A| changes det A by up to
    # about n * eps * |A|^n (through the adjugate), whatever the conditioning. The Hadamard
    # product of row norms only bounds |det A| itself and is too small for nearly singular A.
    n = A.shape[0]
    norm_a, norm_b = np.linalg.norm(A, 2), np.linalg.norm(B, 2)
    scale = (norm_a * norm_b) ** n
    assert abs(lhs - rhs) <= 1e-12 * max(scale, abs(lhs), abs(rhs)) + 1e-300
    assert abs(det(A.T) - det(A)) <= 1e-13 * max(norm_a**n, abs(det(A))) + 1e-300


@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("leaves", [1, 2, 4])
def test_block_boundaries_match_numpy(leaves, offset, rng):
    """det keeps only the diagonal of U along the recursion: check every split of it."""
    n = leaves * importlib.import_module("m4ml.linalg.lu_recursive")._LEAF + offset
    A = well_conditioned(n, rng)
    np.testing.assert_allclose(det(A), np.linalg.det(A), rtol=1e-10)
    sign, logabs = slogdet(A)
    ref = np.linalg.slogdet(A)
    assert sign == ref.sign
    np.testing.assert_allclose(logabs, ref.logabsdet, rtol=1e-12, atol=1e-12)


def test_entries_near_overflow_deep_in_recursion(rng):
    """An overflow in the trailing Schur complement of a large matrix is caught (it reaches the
    diagonal of U) and the matrix is rescaled exactly."""
    n = 70
    A = well_conditioned(n, rng)
    big = A * 2.0**1020  # |entries| up to ~3e307: the Schur updates overflow
    with pytest.raises(LinAlgError, match="overflowed"):
        importlib.import_module("m4ml.linalg.det")._factor_diagonal(big)
    sign, logabs = slogdet(big)
    ref = np.linalg.slogdet(A)
    assert sign == ref.sign
    np.testing.assert_allclose(logabs, ref.logabsdet + n * 1020 * math.log(2.0), rtol=1e-12)


def test_zero_columns_give_zero(rng):
    A = rng.standard_normal((40, 40))
    A[:, [3, 20, 33]] = 0.0
    assert det(A) == 0.0
    assert slogdet(A) == (0.0, -np.inf)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("n", [1, 3, 40])
def test_non_finite_anywhere_is_rejected(bad, n, rng):
    """Finiteness is checked after the factorization; every position must still be caught,
    also behind a zero column (whose elimination is skipped) and in singular matrices."""
    base = rng.standard_normal((n, n))
    positions = [(0, 0), (0, n - 1), (n - 1, 0), (n - 1, n - 1), (n // 2, n // 3)]
    for zero_col in (None, 0, n // 2):
        for i, j in positions:
            A = base.copy()
            if zero_col is not None:
                A[:, zero_col] = 0.0
            A[i, j] = bad
            with pytest.raises(ValueError, match="NaN or infinity"):
                det(A)
            with pytest.raises(ValueError, match="NaN or infinity"):
                slogdet(A)
