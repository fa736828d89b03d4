"""Tests for m4ml.linalg.eigh: eigh and eigvalsh against numpy.linalg."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.eigh import EighResult, eigh, eigvalsh
from tests.helpers import SIZES, hilbert, spd, well_conditioned


def _sym(n, rng):
    a = well_conditioned(n, rng)
    return (a + a.T) / 2


def _check_pairs(A, w, V, tol=1e-12):
    """Residual, orthogonality and ordering of an eigen-decomposition of symmetric A."""
    n = A.shape[-1]
    norm = max(np.linalg.norm(A, 2), np.finfo(float).tiny) if n else 1.0
    assert np.all(np.diff(w) >= 0)
    assert np.linalg.norm(A @ V - V * w, 2) <= tol * norm * max(n, 1) ** 0.5
    assert np.linalg.norm(V.T @ V - np.eye(n), 2) <= tol * max(n, 1) ** 0.5


def _check_values(w, ref, norm, rtol=1e-10):
    np.testing.assert_allclose(w, ref, rtol=rtol, atol=1e-12 * norm)


@pytest.mark.parametrize("n", SIZES)
def test_eigh_matches_numpy(n, rng):
    A = _sym(n, rng)
    w, V = eigh(A)
    ref_w, ref_V = np.linalg.eigh(A)
    norm = np.linalg.norm(A, 2)
    _check_values(w, ref_w, norm)
    _check_pairs(A, w, V)
    # eigenvalues are distinct here, so vectors agree with numpy's up to sign
    signs = np.sign(np.sum(V * ref_V, axis=0))
    np.testing.assert_allclose(V * signs, ref_V, atol=1e-8)
    assert np.linalg.norm(A - (V * w) @ V.T, 2) <= 1e-12 * norm * n**0.5


@pytest.mark.parametrize("n", SIZES)
def test_eigvalsh_matches_numpy(n, rng):
    A = spd(n, rng) - 5.0 * np.eye(n)  # eigenvalues of both signs, some near 0
    _check_values(eigvalsh(A), np.linalg.eigvalsh(A), np.linalg.norm(A, 2))


def test_input_not_modified(rng):
    A = rng.standard_normal((12, 12))
    before = A.copy()
    eigh(A)
    eigvalsh(A, UPLO="U")
    np.testing.assert_array_equal(A, before)


def test_result_is_named_tuple(rng):
    A = _sym(4, rng)
    res = eigh(A)
    assert isinstance(res, EighResult)
    assert res.eigenvalues is res[0] and res.eigenvectors is res[1]
    assert res.eigenvalues.shape == (4,) and res.eigenvectors.shape == (4, 4)


def test_uplo_reads_only_named_triangle(rng):
    A = _sym(6, rng)
    junk_upper = A + np.triu(rng.standard_normal((6, 6)), 1)
    junk_lower = A + np.tril(rng.standard_normal((6, 6)), -1)
    ref = np.linalg.eigvalsh(A)
    _check_values(eigh(junk_upper, UPLO="L").eigenvalues, ref, 10.0)
    _check_values(eigh(junk_lower, UPLO="U").eigenvalues, ref, 10.0)
    _check_values(eigvalsh(junk_lower, UPLO="u"), ref, 10.0)
    B = rng.standard_normal((5, 5))
    for uplo in "LU":
        _check_values(eigvalsh(B, UPLO=uplo), np.linalg.eigvalsh(B, UPLO=uplo), 10.0)


def test_stack(rng):
    A = np.stack([[_sym(5, rng) for _ in range(3)] for _ in range(2)])
    w, V = eigh(A)
    assert w.shape == (2, 3, 5) and V.shape == (2, 3, 5, 5)
    _check_values(w, np.linalg.eigvalsh(A), 10.0)
    _check_values(eigvalsh(A), np.linalg.eigvalsh(A), 10.0)
    for i in range(2):
        for j in range(3):
            _check_pairs(A[i, j], w[i, j], V[i, j])


def test_stack_of_larger_matrices(rng):
    A = np.stack([_sym(20, rng), _sym(20, rng) * 1e-3])
    w, V = eigh(A, UPLO="U")
    _check_values(w, np.linalg.eigvalsh(A), 10.0)
    for i in range(2):
        _check_pairs(A[i], w[i], V[i])


@pytest.mark.parametrize("n", [2, 3, 7, 16])
def test_many_small_matrices_each_scaled_on_its_own(n, rng):
    A = rng.standard_normal((300, n, n))
    A = A + np.swapaxes(A, -1, -2)
    A *= 10.0 ** rng.integers(-200, 200, 300)[:, None, None]  # wildly different scales
    A[0] = 0.0
    A[1] = np.eye(n)
    w, V = eigh(A)
    ref = np.linalg.eigvalsh(A)
    norms = np.abs(ref).max(axis=1, keepdims=True)
    assert np.all(np.abs(w - ref) <= 1e-14 * n * norms)
    np.testing.assert_array_equal(eigvalsh(A), w)
    R = A @ V - V * w[:, None, :]
    assert np.all(np.abs(R).max(axis=(1, 2)) <= 1e-14 * n * norms[:, 0])
    O = np.swapaxes(V, -1, -2) @ V - np.eye(n)
    assert np.abs(O).max() <= 1e-14 * n


def test_empty_and_one_by_one():
    w, V = eigh(np.zeros((0, 0)))
    assert w.shape == (0,) and V.shape == (0, 0)
    assert eigvalsh(np.zeros((3, 0, 0))).shape == (3, 0)
    assert eigh(np.zeros((0, 4, 4))).eigenvectors.shape == (0, 4, 4)
    w, V = eigh([[-7.5]])
    assert w.tolist() == [-7.5] and abs(V[0, 0]) == 1.0


def test_zero_matrix():
    w, V = eigh(np.zeros((7, 7)))
    assert np.all(w == 0.0)
    np.testing.assert_allclose(V.T @ V, np.eye(7), atol=1e-15)


def test_identity_and_multiple_eigenvalue(rng):
    w, V = eigh(np.eye(40))
    np.testing.assert_allclose(w, 1.0, rtol=1e-14)
    _check_pairs(np.eye(40), w, V)
    q, _ = np.linalg.qr(rng.standard_normal((120, 120)))
    lam = np.concatenate([np.full(50, 2.0), np.linspace(-3.0, 5.0, 70)])
    A = (q * lam) @ q.T
    w, V = eigh(A)
    _check_values(w, np.sort(lam), 5.0)
    _check_pairs(A, w, V)


def test_wilkinson_and_glued(rng):
    m = 10
    W = (
        np.diag(np.abs(np.arange(-m, m + 1.0)))
        + np.diag(np.ones(2 * m), 1)
        + np.diag(np.ones(2 * m), -1)
    )
    w, V = eigh(W)  # W21+: pairs of eigenvalues agreeing to ~1e-14
    _check_values(w, np.linalg.eigvalsh(W), 11.0)
    _check_pairs(W, w, V)
    # six copies glued by 1e-8: tight clusters of six
    k = 6
    G = np.kron(np.eye(k), W)
    for i in range(1, k):
        G[21 * i - 1, 21 * i] = G[21 * i, 21 * i - 1] = 1e-8
    w, V = eigh(G)
    _check_values(w, np.linalg.eigvalsh(G), 11.0)
    _check_pairs(G, w, V)


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert(n):
    H = hilbert(n)
    w, V = eigh(H)
    norm = np.linalg.norm(H, 2)
    _check_values(w, np.linalg.eigvalsh(H), norm, rtol=1e-6)  # tiny eigenvalues: atol rules
    _check_pairs(H, w, V)


def test_diagonal_triangular_tridiagonal_rank_deficient(rng):
    D = np.diag(rng.permutation(np.arange(-10.0, 10.0)))
    w, V = eigh(D)
    assert w.tolist() == sorted(np.diag(D).tolist())
    _check_pairs(D, w, V)
    T = np.diag(rng.standard_normal(30)) + np.diag(rng.standard_normal(29), 1)
    T = T + np.triu(T, 1).T
    _check_values(eigh(T).eigenvalues, np.linalg.eigvalsh(T), 10.0)
    L = np.tril(rng.standard_normal((9, 9)))  # triangular: only the lower triangle is read
    _check_values(eigvalsh(L), np.linalg.eigvalsh(L), 10.0)
    X = rng.standard_normal((60, 5))
    R = X @ X.T  # rank 5
    w, V = eigh(R)
    norm = np.linalg.norm(R, 2)
    _check_values(w, np.linalg.eigvalsh(R), norm)
    assert np.all(np.abs(w[:55]) <= 1e-12 * norm)
    _check_pairs(R, w, V)


@pytest.mark.parametrize("scale", [1e150, 1e-150, 1e300, 1e-300])
def test_extreme_scaling(scale, rng):
    A = _sym(20, rng)
    w, V = eigh(A * scale)
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(V))
    np.testing.assert_allclose(w / scale, np.linalg.eigvalsh(A), rtol=1e-12, atol=1e-13)
    _check_pairs(A, w / scale, V)


def test_mixed_huge_and_tiny_entries(rng):
    A = np.array([[1e150, 1e-150, 0.0], [1e-150, 1.0, 1e-150], [0.0, 1e-150, 1e-150]])
    w, V = eigh(A)
    np.testing.assert_allclose(w, [1e-150, 1.0, 1e150], rtol=1e-12)
    np.testing.assert_allclose(np.abs(V), np.eye(3)[:, ::-1], atol=1e-15)
    B = _sym(30, rng)
    B[0, :] *= 1e140
    B[:, 0] *= 1e140
    w = eigvalsh(B)
    ref = np.linalg.eigvalsh(B)
    assert np.all(np.isfinite(w))
    np.testing.assert_allclose(w, ref, rtol=1e-10, atol=1e-12 * np.abs(ref).max())


@pytest.mark.parametrize("n", [18, 40])
def test_tiny_entries_next_to_a_large_one(n):
    # columns of norm ~1e-155: their squared norms underflow unless rescaled
    A = np.full((n, n), 1.04483887e-155)
    A[0, 0] = 16.0
    B = A.copy()
    B[0, 0], B[4, 1], B[1, 4] = 1e-155, 16.0, 16.0
    for M in (A, B):
        w, V = eigh(M)
        _check_pairs(M, w, V)
        _check_values(w, np.linalg.eigvalsh(M), 16.0)


def test_tiny_entries_weyl_bound():
    # E = all entries 1e-160 perturbs the eigenvalues of the 0/1 matrix S (+-1 and 0) by at
    # most ||E||_2 <= 28e-160 (Weyl). (numpy.linalg.eigvalsh with OpenBLAS returned +-1.0002
    # on this matrix when it was found by a hypothesis search.)
    M = np.full((28, 28), 1e-160)
    M[0, 0] = M[3, 0] = 0.0
    M[22, 3] = 1.0
    w, V = eigh(M)
    expected = np.zeros(28)
    expected[[0, -1]] = [-1.0, 1.0]
    np.testing.assert_allclose(w, expected, rtol=0, atol=1e-15)
    A = np.tril(M) + np.tril(M, -1).T
    _check_pairs(A, w, V)


def test_bad_input():
    with pytest.raises(ValueError, match="NaN or infinity"):
        eigh([[1.0, np.nan], [np.nan, 1.0]])
    with pytest.raises(ValueError, match="NaN or infinity"):
        eigvalsh([[np.inf]])
    with pytest.raises(TypeError, match="complex"):
        eigh(np.eye(2) * 1j)
    with pytest.raises(LinAlgError, match="square"):
        eigh(np.ones((2, 3)))
    with pytest.raises(LinAlgError, match="at least 2-D"):
        eigvalsh([1.0, 2.0])
    with pytest.raises(ValueError, match="UPLO"):
        eigh(np.eye(2), UPLO="X")
    with pytest.raises(ValueError, match="UPLO"):
        eigvalsh(np.eye(2), UPLO=None)
    with pytest.raises(TypeError, match="real numbers"):
        eigh([["a", "b"], ["c", "d"]])


_entries = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12).flatmap(lambda n: arrays(np.float64, (n, n), elements=_entries)))
def test_property_spectral_decomposition(M):
    A = (M + M.T) / 2
    w, V = eigh(A)
    norm = max(np.linalg.norm(A, 2), 1e-300)
    assert np.linalg.norm(A - (V * w) @ V.T, 2) <= 1e-12 * norm * len(A)
    assert np.linalg.norm(V.T @ V - np.eye(len(A)), 2) <= 1e-12 * len(A)
    np.testing.assert_allclose(eigvalsh(A), w, rtol=0, atol=1e-12 * norm * len(A))
    np.testing.assert_allclose(w.sum(), np.trace(A), atol=1e-11 * norm * len(A))


def test_float32_in_float32_out():
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]], dtype=np.float32)
    w, V = eigh(A)
    ref = np.linalg.eigh(A)
    assert w.dtype == V.dtype == ref.eigenvalues.dtype == np.float32
    assert eigvalsh(A).dtype == np.float32
    np.testing.assert_allclose(w, ref.eigenvalues, rtol=1e-5)


@pytest.mark.parametrize("shape", [(5, 32, 32), (3, 20, 20), (2, 2, 17, 17)])
def test_stacks_up_to_32_take_the_batched_jacobi(shape, rng):
    A = rng.standard_normal(shape)
    A = A + np.swapaxes(A, -1, -2)
    w, V = eigh(A)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(A), rtol=0, atol=1e-12 * np.abs(w).max())
    np.testing.assert_allclose(A @ V, V * w[..., None, :], atol=1e-12 * np.abs(w).max())
    eye = np.broadcast_to(np.eye(shape[-1]), A.shape)
    np.testing.assert_allclose(np.swapaxes(V, -1, -2) @ V, eye, atol=1e-13)
    np.testing.assert_array_equal(eigvalsh(A), w)
