"""Tests for m4ml.linalg.svd (svd, svdvals) and its stages (bidiagonal, bdsvd)."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.bdsvd import bdsvd
from m4ml.linalg.bidiagonal import bidiagonalize
from m4ml.linalg.svd import SVDResult, svd, svdvals
from tests.helpers import SIZES, hilbert, well_conditioned

EPS = np.finfo(float).eps


def check_svd(A, U, S, Vh, back=1e-12, orth=1e-12):
    """Backward error, orthonormality, ordering and non-negativity of a reduced SVD."""
    k = S.shape[-1]
    nrm = max(np.linalg.norm(A), 1e-300)
    assert np.linalg.norm((U[:, :k] * S) @ Vh[:k] - A) <= back * nrm
    assert np.linalg.norm(U.T @ U - np.eye(U.shape[1])) <= orth * max(1, U.shape[1]) ** 0.5
    assert np.linalg.norm(Vh @ Vh.T - np.eye(Vh.shape[0])) <= orth * max(1, Vh.shape[0]) ** 0.5
    assert np.all(S >= 0)
    assert np.all(np.diff(S) <= 0)


def assert_vectors_match(U, Uref, S):
    """Columns equal up to sign, for well-separated singular values."""
    sign = np.sign(np.sum(U * Uref, axis=0))
    np.testing.assert_allclose(U * sign, Uref, atol=1e-8)


@pytest.mark.parametrize("n", SIZES)
def test_svd_matches_numpy_square(n, rng):
    A = well_conditioned(n, rng)
    U, S, Vh = svd(A)
    Ur, Sr, Vhr = np.linalg.svd(A)
    np.testing.assert_allclose(S, Sr, rtol=1e-10)
    check_svd(A, U, S, Vh)
    if n <= 100:  # linspace(1, 10) spacing keeps vectors well determined
        assert_vectors_match(U, Ur, S)
        assert_vectors_match(Vh.T, Vhr.T, S)


@pytest.mark.parametrize(
    ("m", "n"), [(7, 3), (3, 7), (50, 40), (120, 40), (40, 120), (300, 100), (1, 5), (200, 20)]
)
def test_svd_rectangular(m, n, rng):
    A = well_conditioned(n, rng, m)
    U, S, Vh = svd(A, full_matrices=False)
    assert U.shape == (m, min(m, n)) and Vh.shape == (min(m, n), n)
    np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False), rtol=1e-10)
    check_svd(A, U, S, Vh)


@pytest.mark.parametrize(("m", "n"), [(6, 4), (4, 6), (5, 5), (50, 20)])
def test_full_matrices(m, n, rng):
    A = rng.standard_normal((m, n))
    U, S, Vh = svd(A, full_matrices=True)
    assert U.shape == (m, m) and Vh.shape == (n, n)
    np.testing.assert_allclose(U.T @ U, np.eye(m), atol=1e-13)
    np.testing.assert_allclose(Vh @ Vh.T, np.eye(n), atol=1e-13)
    Sig = np.zeros((m, n))
    Sig[np.arange(S.size), np.arange(S.size)] = S
    np.testing.assert_allclose(U @ Sig @ Vh, A, atol=1e-13 * np.linalg.norm(A))


def test_result_type_and_compute_uv(rng):
    A = rng.standard_normal((4, 3))
    res = svd(A)
    assert isinstance(res, SVDResult)
    assert res.S is res[1]
    s = svd(A, compute_uv=False)
    np.testing.assert_allclose(s, res.S, rtol=1e-14)


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert(n):
    H = hilbert(n)
    U, S, Vh = svd(H)
    Sr = np.linalg.svd(H, compute_uv=False)
    np.testing.assert_allclose(S, Sr, rtol=0, atol=10 * n * EPS * Sr[0])
    np.testing.assert_allclose(svdvals(H), Sr, rtol=0, atol=10 * n * EPS * Sr[0])
    check_svd(H, U, S, Vh)


def test_rank_deficient(rng):
    A = rng.standard_normal((80, 6)) @ rng.standard_normal((6, 50))
    U, S, Vh = svd(A)
    check_svd(A, U, S, Vh)
    assert np.all(S[6:] <= 50 * 80 * EPS * S[0])
    np.testing.assert_allclose(S[:6], np.linalg.svd(A, compute_uv=False)[:6], rtol=1e-10)


def test_repeated_singular_values_orthogonal_matrix(rng):
    Q, _ = np.linalg.qr(rng.standard_normal((60, 60)))
    U, S, Vh = svd(Q)
    np.testing.assert_allclose(S, np.ones(60), atol=1e-13)
    check_svd(Q, U, S, Vh)


def test_clustered_singular_values(rng):
    u, _ = np.linalg.qr(rng.standard_normal((70, 70)))
    v, _ = np.linalg.qr(rng.standard_normal((70, 70)))
    s = np.repeat([5.0, 1.0, 1e-3], [20, 30, 20]) * (1 + 1e-12 * rng.standard_normal(70))
    A = (u * s) @ v.T
    U, S, Vh = svd(A)
    check_svd(A, U, S, Vh)
    np.testing.assert_allclose(S, np.sort(s)[::-1], atol=1e-13 * 5)


def test_zero_diagonal_triangular_and_tiny():
    check_svd(np.zeros((4, 3)), *svd(np.zeros((4, 3))))
    assert np.all(svd(np.zeros((4, 3))).S == 0)
    D = np.diag([3.0, -1.0, 0.0, 2.0])
    U, S, Vh = svd(D)
    np.testing.assert_array_equal(S, [3.0, 2.0, 1.0, 0.0])
    check_svd(D, U, S, Vh)
    T = np.triu(np.ones((30, 30)))
    U, S, Vh = svd(T)
    np.testing.assert_allclose(S, np.linalg.svd(T, compute_uv=False), rtol=1e-12)
    check_svd(T, U, S, Vh)
    one = svd([[-2.5]])
    assert one.S[0] == 2.5 and one.U[0, 0] * one.Vh[0, 0] == -1.0
    tiny = 1e-300 * np.arange(1.0, 7.0).reshape(3, 2)
    np.testing.assert_allclose(svdvals(tiny), 1e-300 * svdvals(np.arange(1.0, 7.0).reshape(3, 2)))
    huge = 1e300 * np.arange(1.0, 7.0).reshape(3, 2)
    assert np.all(np.isfinite(svd(huge).S))


def test_empty_like_numpy():
    for shape in [(0, 0), (0, 3), (3, 0)]:
        U, S, Vh = svd(np.zeros(shape), full_matrices=False)
        Ur, Sr, Vhr = np.linalg.svd(np.zeros(shape), full_matrices=False)
        assert U.shape == Ur.shape and S.shape == Sr.shape and Vh.shape == Vhr.shape
        U, S, Vh = svd(np.zeros(shape))  # full_matrices=True by default, as numpy
        Ur, Sr, Vhr = np.linalg.svd(np.zeros(shape))
        assert U.shape == Ur.shape and S.shape == Sr.shape and Vh.shape == Vhr.shape
    U, S, Vh = svd(np.zeros((2, 0)), full_matrices=True)
    assert U.shape == (2, 2) and Vh.shape == (0, 0)


@pytest.mark.parametrize(
    "shape", [(2, 3, 6, 4), (40, 3, 3), (5, 4, 9), (6, 1, 1), (3, 40, 35), (3, 35, 40), (2, 0, 3)]
)
@pytest.mark.parametrize("full", [False, True])
def test_stack_shapes_paths(shape, full, rng):
    # Small matrices go through the batched Jacobi, larger ones through the per-matrix loop.
    A = rng.standard_normal(shape)
    if A.size:
        A[0] = 0.0
        A[-1, ..., -1] = A[-1, ..., 0]  # rank deficient
    U, S, Vh = svd(A, full_matrices=full)
    Ur, Sr, Vhr = np.linalg.svd(A, full_matrices=full)
    assert U.shape == Ur.shape and S.shape == Sr.shape and Vh.shape == Vhr.shape
    np.testing.assert_allclose(S, Sr, rtol=0, atol=1e-13 * max(1.0, np.abs(Sr).max(initial=0)))
    k = S.shape[-1]
    np.testing.assert_allclose((U[..., :k] * S[..., None, :]) @ Vh[..., :k, :], A, atol=1e-13)
    eye_u, eye_v = np.eye(U.shape[-1]), np.eye(Vh.shape[-2])
    np.testing.assert_allclose(
        np.swapaxes(U, -1, -2) @ U, np.broadcast_to(eye_u, (*shape[:-2], *eye_u.shape)), atol=1e-13
    )
    np.testing.assert_allclose(
        Vh @ np.swapaxes(Vh, -1, -2),
        np.broadcast_to(eye_v, (*shape[:-2], *eye_v.shape)),
        atol=1e-13,
    )
    np.testing.assert_allclose(
        svdvals(A), Sr, rtol=0, atol=1e-13 * max(1.0, np.abs(Sr).max(initial=0))
    )


def test_stacks(rng):
    A = rng.standard_normal((2, 3, 6, 4))
    assert svd(A).U.shape == (2, 3, 6, 6)  # numpy's default full_matrices=True
    U, S, Vh = svd(A, full_matrices=False)
    assert U.shape == (2, 3, 6, 4) and S.shape == (2, 3, 4) and Vh.shape == (2, 3, 4, 4)
    np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False), rtol=1e-12)
    np.testing.assert_allclose((U * S[..., None, :]) @ Vh, A, atol=1e-13)
    assert svdvals(np.zeros((0, 3, 3))).shape == (0, 3)


@pytest.mark.parametrize("n", [1, 5, 100, 300])
def test_svdvals(n, rng):
    A = rng.standard_normal((n + 3, n))
    np.testing.assert_allclose(svdvals(A), np.linalg.svd(A, compute_uv=False), rtol=1e-10)
    np.testing.assert_allclose(svdvals(A.T), np.linalg.svd(A, compute_uv=False), rtol=1e-10)


def test_integer_and_list_input():
    np.testing.assert_allclose(svdvals([[3, 0], [4, 5]]) ** 2, [45.0, 5.0])


@pytest.mark.parametrize(
    ("bad", "exc", "match"),
    [
        ([[1.0, np.nan], [0.0, 1.0]], ValueError, "NaN or infinity"),
        ([[1.0, np.inf], [0.0, 1.0]], ValueError, "NaN or infinity"),
        (np.eye(2) * 1j, TypeError, "complex"),
        ([1.0, 2.0], LinAlgError, "at least 2-D"),
        (5.0, LinAlgError, "at least 2-D"),
        ([["a", "b"]], TypeError, "real numbers"),
    ],
)
def test_bad_input(bad, exc, match):
    with pytest.raises(exc, match=match):
        svd(bad)
    with pytest.raises(exc, match=match):
        svdvals(bad)


# -- the stages -------------------------------------------------------------------------------


@pytest.mark.parametrize(("m", "n"), [(1, 1), (5, 3), (40, 40), (100, 70)])
def test_bidiagonalize(m, n, rng):
    A = rng.standard_normal((m, n))
    a = A.copy()
    d, e, Q, P = bidiagonalize(a)
    np.testing.assert_array_equal(a, A)  # the input is not modified
    B = np.diag(d) + np.diag(e, 1)
    np.testing.assert_allclose(Q @ B @ P.T, A, atol=1e-13 * np.linalg.norm(A))
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-13)
    np.testing.assert_allclose(P.T @ P, np.eye(n), atol=1e-13)


@pytest.mark.parametrize(
    "case", ["random", "zeros_in_d", "zeros_in_e", "ones", "graded", "identity", "tiny_tail"]
)
def test_bdsvd_hard_bidiagonals(case, rng):
    n = 120
    d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
    if case == "zeros_in_d":
        d[::3] = 0
    elif case == "zeros_in_e":
        e[::4] = 0
    elif case == "ones":
        d, e = np.ones(n), np.ones(n - 1)
    elif case == "graded":
        d, e = 2.0 ** -np.arange(n), 2.0 ** -np.arange(n - 1) * 0.5
    elif case == "identity":
        d, e = np.ones(n), np.zeros(n - 1)
    elif case == "tiny_tail":
        d[60:] *= 1e-14
        e[60:] *= 1e-14
    B = np.diag(d) + np.diag(e, 1)
    U, s, W = bdsvd(d, e)
    ref = np.linalg.svd(B, compute_uv=False)
    nb = ref[0]
    np.testing.assert_allclose(s, ref, rtol=0, atol=50 * n * EPS * nb)
    np.testing.assert_allclose(bdsvd(d, e, compute_uv=False), ref, rtol=0, atol=50 * n * EPS * nb)
    assert np.linalg.norm((U * s) @ W.T - B) <= 1e-12 * nb * n**0.5
    assert np.linalg.norm(U.T @ U - np.eye(n)) <= 1e-12 * n**0.5
    assert np.linalg.norm(W.T @ W - np.eye(n)) <= 1e-12 * n**0.5


# -- properties -------------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 7), st.integers(1, 7)), elements=finite))
def test_property_factorization(A):
    U, S, Vh = svd(A)
    check_svd(A, U, S, Vh, back=1e-12, orth=1e-12)
    nrm = max(np.linalg.norm(A, 2), 1.0)
    np.testing.assert_allclose(S, np.linalg.svd(A, compute_uv=False), rtol=0, atol=1e-13 * nrm)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=finite))
@example(np.array([[1e-162, 3e-162], [2e-162, 0.0]]))  # squares underflow: sqrt(14) * 1e-162
@example(np.array([[1.0, 1e-162], [0.0, 1e-300]]))
def test_property_transpose_and_frobenius(A):
    s = svdvals(A)
    np.testing.assert_allclose(svdvals(A.T), s, rtol=0, atol=1e-12 * max(s[0], 1.0))
    # ||A||_F = sqrt(sum s_i^2), both sides computed scaled by max|.|: entries like 1e-162
    # would underflow when squared (the check itself must not lose them)
    np.testing.assert_allclose(_frobenius(s), _frobenius(A), rtol=1e-12, atol=0)


def _frobenius(x):
    """Frobenius norm of ``x / max|x|`` times ``max|x|``: no underflow or overflow of squares."""
    big = float(np.abs(x).max()) if x.size else 0.0
    return 0.0 if big == 0.0 else big * float(np.sqrt(np.sum((x / big) ** 2)))


# -- numpy.linalg's signature ---------------------------------------------------------------


def test_full_matrices_default_is_numpys(rng):
    A = rng.standard_normal((5, 3))
    U, _, Vh = svd(A)
    Ur, _, Vhr = np.linalg.svd(A)
    assert U.shape == Ur.shape == (5, 5) and Vh.shape == Vhr.shape == (3, 3)
    np.testing.assert_allclose(U.T @ U, np.eye(5), atol=1e-14)


@pytest.mark.parametrize("shape", [(4, 4), (3, 6, 6), (1, 1), (40, 40)])
def test_hermitian_matches_numpy(shape, rng):
    A = rng.standard_normal(shape)
    A = A + np.swapaxes(A, -1, -2)
    U, S, Vh = svd(A, hermitian=True)
    Sr = np.linalg.svd(A, compute_uv=False, hermitian=True)
    np.testing.assert_allclose(S, Sr, rtol=0, atol=1e-13 * np.abs(Sr).max())
    np.testing.assert_allclose((U * S[..., None, :]) @ Vh, A, atol=1e-12)
    np.testing.assert_allclose(svd(A, compute_uv=False, hermitian=True), Sr, atol=1e-12)
    # only the lower triangle is read, as numpy's eigh-based path
    B = np.tril(A) + 5.0 * np.triu(rng.standard_normal(shape), 1)
    np.testing.assert_allclose(
        svd(B, compute_uv=False, hermitian=True),
        np.linalg.svd(B, compute_uv=False, hermitian=True),
        atol=1e-12,
    )
    with pytest.raises(ValueError, match="square"):
        svd(np.ones((2, 3)), hermitian=True)


def test_float32_in_float32_out(rng):
    A = rng.standard_normal((6, 4)).astype(np.float32)
    U, S, Vh = svd(A)
    ref = np.linalg.svd(A)
    assert U.dtype == S.dtype == Vh.dtype == ref.S.dtype == np.float32
    assert svdvals(A).dtype == np.float32
    np.testing.assert_allclose(S, ref.S, rtol=1e-5)
    assert svd(A.astype(np.float64)).S.dtype == np.float64


# -- the textbook bidiagonal QR kernel, and the divide and conquer held against it -------------


def _hard_bidiagonal(case, n, rng):
    d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
    if case == "zeros_in_d":
        d[::3] = 0.0
    elif case == "zeros_in_e":
        e[::4] = 0.0
    elif case == "ones":
        d, e = np.ones(n), np.ones(n - 1)
    elif case == "graded":
        d, e = 2.0 ** -np.arange(n), 0.5 * 2.0 ** -np.arange(n - 1)
    elif case == "last_zero":
        d[-1] = 0.0
    return d, e


CASES = ["random", "zeros_in_d", "zeros_in_e", "ones", "graded", "last_zero"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("n", [1, 2, 3, 9, 40])
def test_textbook_bidiagonal_qr_against_numpy(case, n, rng):
    from m4ml.linalg.bdsvd import _bidiagonal_qr

    d, e = _hard_bidiagonal(case, n, rng)
    B = np.diag(d) + np.diag(e, 1)
    U, s, W = _bidiagonal_qr(d, e)
    nb = max(np.abs(B).max(), 1e-300)
    np.testing.assert_allclose(
        s, np.linalg.svd(B, compute_uv=False), rtol=0, atol=20 * n * EPS * nb
    )
    assert np.linalg.norm((U * s) @ W.T - B) <= 1e-13 * nb * n
    assert np.linalg.norm(U.T @ U - np.eye(n)) <= 1e-13 * n
    assert np.linalg.norm(W.T @ W - np.eye(n)) <= 1e-13 * n


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("n", [17, 60, 150])
def test_bdsvd_divide_and_conquer_against_textbook_kernel(case, n, rng):
    from m4ml.linalg.bdsvd import _bidiagonal_qr

    d, e = _hard_bidiagonal(case, n, rng)
    U0, s0, W0 = _bidiagonal_qr(d, e)
    U, s, W = bdsvd(d, e)
    nb = max(np.abs(d).max(), np.abs(e).max())
    np.testing.assert_allclose(s, s0, rtol=0, atol=20 * n * EPS * nb)
    gaps = np.minimum(np.abs(np.diff(s0, prepend=np.inf)), np.abs(np.diff(s0, append=-np.inf)))
    sep = gaps > 1e-3 * nb
    sign = np.sign(np.sum(W * W0, axis=0))
    np.testing.assert_allclose((W * sign)[:, sep], W0[:, sep], atol=1e-9)
    sep &= s0 > 1e-8 * nb  # u and w of a zero singular value have independent signs
    np.testing.assert_allclose((U * sign)[:, sep], U0[:, sep], atol=1e-9)


# explore seed 202: the bidiagonal QR kernel (n <= 16) stalled on a diagonal entry of 1e-283
# next to O(1) ones ("did not converge in 120 steps"); a zero shift now resolves it
STALLED = [
    [
        [4.83923603e-134, 1.0, 1.0, 2.88778213e-126],
        [0.0, 1.0, 0.0, 0.0],
        [0.0] * 4,
        [0.0, 0.0, 0.0, 5.46960512e-80],
    ],
    [
        [4.83923602962258e-134, 1.0, 0.015625, 2.8877821275381063e-126, 2.0, 0.0],
        [0.0, 0.0, 2.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 5.46960511881653e-80, 0.0, 0.0],
    ]
    + [[0.0] * 6] * 3,
]


@pytest.mark.parametrize("A", STALLED, ids=["4x4", "6x6"])
def test_bidiagonal_qr_does_not_stall_on_a_tiny_diagonal_entry(A):
    A = np.array(A)
    for M in (A, A.T):
        U, S, Vh = svd(M)
        check_svd(M, U, S, Vh, back=1e-15 * 4, orth=1e-15 * 4)
        ref = np.linalg.svd(M, compute_uv=False)
        np.testing.assert_allclose(S, ref, rtol=0, atol=4 * EPS * ref[0])
        np.testing.assert_allclose(svdvals(M), S, rtol=0, atol=4 * EPS * ref[0])
