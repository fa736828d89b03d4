"""Tests for m4ml.linalg.eig (general real eigenproblem: eig, eigvals) and its balancing."""

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linear_sum_assignment

from m4ml._core import LinAlgError
from m4ml.linalg.balance import _balance
from m4ml.linalg.eig import EigResult, eig, eigvals
from tests.helpers import SIZES, hilbert, spd, well_conditioned

VALUES = 1e-10  # eigenvalue agreement, relative to ||A||_2
RESIDUAL = 1e-12  # ||A V - V diag(w)||_F <= RESIDUAL * ||A||_F


def match_error(w, w_ref):
    """Largest |w_i - w_ref_pi(i)| over the best one-to-one matching of the two sets."""
    w = np.asarray(w, dtype=complex).ravel()
    w_ref = np.asarray(w_ref, dtype=complex).ravel()
    assert w.shape == w_ref.shape
    if w.size == 0:
        return 0.0
    cost = np.abs(w[:, None] - w_ref[None, :])
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].max())


def check_pairs(w):
    """Complex eigenvalues come in adjacent conjugate pairs, positive imaginary part first."""
    w = np.asarray(w)
    if not np.iscomplexobj(w):
        return
    k = 0
    while k < w.size:
        if w[k].imag == 0:
            k += 1
            continue
        assert w[k].imag > 0
        assert w[k + 1] == np.conj(w[k])
        k += 2


def check_eig(A, w, V, residual=RESIDUAL):
    n = A.shape[-1]
    assert w.shape == A.shape[:-1]
    assert V.shape == A.shape
    scale = max(np.linalg.norm(A), np.finfo(float).tiny)
    assert np.linalg.norm(A @ V - V * w[..., None, :]) <= residual * scale
    if n:
        np.testing.assert_allclose(np.linalg.norm(V, axis=-2), 1.0, rtol=0, atol=1e-13)
        # Convention: the largest-modulus entry of each column is real and positive (with a
        # near-tie, one of the tied entries).
        mags = np.abs(V)
        tied = mags >= mags.max(axis=-2, keepdims=True) * (1 - 1e-12)
        real_pos = (np.imag(V) == 0) & (np.real(V) > 0)
        assert np.all(np.any(tied & real_pos, axis=-2))


CASES = [(n, "well_conditioned") for n in SIZES] + [
    (n, "gaussian")
    for n in SIZES
    if n <= 100  # n = 300 once is enough for the time budget
]


@pytest.mark.parametrize("n,kind", CASES)
def test_against_numpy(n, kind, rng):
    A = well_conditioned(n, rng) if kind == "well_conditioned" else rng.standard_normal((n, n))
    w, V = eig(A)
    check_eig(A, w, V)
    check_pairs(w)
    w_ref = np.linalg.eigvals(A)
    assert w.dtype == w_ref.dtype
    norm = np.linalg.norm(A, 2)
    assert match_error(w, w_ref) <= VALUES * norm
    assert match_error(eigvals(A), w_ref) <= VALUES * norm
    # Vectors agree with numpy's up to a complex phase, for these simple eigenvalues.
    if n <= 100:
        _, V_ref = np.linalg.eig(A)
        for j in range(n):
            i = int(np.argmin(np.abs(w_ref - w[j])))
            overlap = abs(np.vdot(V_ref[:, i], V[:, j]))
            assert overlap == pytest.approx(1.0, abs=1e-8)


def test_result_type_and_small_cases():
    res = eig([[3.0]])
    assert isinstance(res, EigResult)
    assert res.eigenvalues.tolist() == [3.0]
    assert res.eigenvectors.tolist() == [[1.0]]
    w, V = eig(np.zeros((0, 0)))
    assert w.shape == (0,) and V.shape == (0, 0) and w.dtype == np.float64
    assert eigvals(np.zeros((0, 0))).shape == (0,)
    w, V = eig(np.zeros((3, 0, 0)))
    assert w.shape == (3, 0) and V.shape == (3, 0, 0)
    assert eigvals([[1, 2], [3, 4]]).dtype == np.float64  # integers are promoted


@pytest.mark.parametrize("theta", [np.pi / 2, 0.3, np.pi - 1e-3])
def test_rotation(theta):
    c, s = np.cos(theta), np.sin(theta)
    A = np.array([[c, -s], [s, c]])
    w, V = eig(A)
    np.testing.assert_allclose(w, [complex(c, s), complex(c, -s)], rtol=0, atol=1e-15)
    check_eig(A, w, V)
    # Pure imaginary pair for the quarter turn: a 4x4 block rotation.
    R = np.kron(np.eye(2), np.array([[0.0, -2.0], [2.0, 0.0]]))
    assert match_error(eigvals(R), [2j, -2j, 2j, -2j]) <= 1e-15


def companion(roots):
    coeffs = np.poly(roots).real
    n = len(roots)
    C = np.zeros((n, n))
    C[0] = -coeffs[1:]
    C[np.arange(1, n), np.arange(n - 1)] = 1.0
    return C


@pytest.mark.parametrize(
    "roots",
    [
        [1.0, 2.0, 3.0, 4.0, 5.0],
        [2.0, -3.0, 1j, -1j],
        [1 + 2j, 1 - 2j, 0.5, -0.25, 3j, -3j],
    ],
)
def test_companion(roots):
    C = companion(roots)
    w, V = eig(C)
    assert match_error(w, roots) <= 1e-10 * np.abs(roots).max()
    check_eig(C, w, V)


def test_triangular_and_diagonal(rng):
    U = np.triu(rng.standard_normal((12, 12)))
    w, V = eig(U)
    np.testing.assert_array_equal(np.sort(w), np.sort(np.diag(U)))  # isolated exactly
    check_eig(U, w, V)
    L = U.T.copy()
    np.testing.assert_array_equal(np.sort(eigvals(L)), np.sort(np.diag(U)))
    D = np.diag([3.0, -1.0, 2.0, 0.0])
    w, V = eig(D)
    np.testing.assert_array_equal(w, [3.0, -1.0, 2.0, 0.0])
    np.testing.assert_array_equal(np.abs(V), np.eye(4))


def test_zero_matrix_and_zero_rows(rng):
    w, V = eig(np.zeros((4, 4)))
    np.testing.assert_array_equal(w, np.zeros(4))
    np.testing.assert_allclose(np.abs(np.linalg.det(V)), 1.0)
    A = rng.standard_normal((6, 6))
    A[[1, 4]] = 0.0
    w, V = eig(A)
    check_eig(A, w, V)
    assert match_error(w, np.linalg.eigvals(A)) <= VALUES * np.linalg.norm(A, 2)
    assert np.sum(np.abs(w) <= 1e-14) >= 2


@pytest.mark.parametrize("n", [2, 3, 4, 5, 8, 31])
def test_cyclic_permutation_needs_exceptional_shifts(n):
    # The standard shifts of a cyclic permutation are useless (every Francis step maps it to
    # itself); only the exceptional shifts break the cycle. Eigenvalues: the n-th roots of 1.
    P = np.roll(np.eye(n), 1, axis=0)
    w, V = eig(P)
    roots = np.exp(2j * np.pi * np.arange(n) / n)
    assert match_error(w, roots) <= 1e-13
    assert match_error(eigvals(P), roots) <= 1e-13
    check_eig(P, w, V)


def test_grcar_and_nilpotent():
    n = 12
    G = np.diag(-np.ones(n - 1), -1) + sum(np.diag(np.ones(n - k), k) for k in range(4))
    w, V = eig(G)
    assert match_error(w, np.linalg.eigvals(G)) <= 1e-10 * np.linalg.norm(G, 2)
    check_eig(G, w, V)
    N = np.diag(np.ones(9), 1)  # nilpotent: one Jordan block, triangular so exact
    assert eigvals(N).tolist() == [0.0] * 10


@pytest.mark.parametrize("k", [2, 3, 4])
def test_defective_jordan_block(k, rng):
    J = 2.0 * np.eye(k) + np.diag(np.ones(k - 1), 1)
    Q, _ = np.linalg.qr(rng.standard_normal((k, k)))
    A = Q @ J @ Q.T
    w = eig(A).eigenvalues
    # A defective eigenvalue of a k x k Jordan block is only determined to ~ eps^(1/k).
    tol = 10.0 * np.finfo(float).eps ** (1.0 / k) * np.linalg.norm(A, 2)
    assert np.abs(w - 2.0).max() <= tol
    assert abs(np.sum(w) - 2.0 * k) <= 1e-12 * k  # the trace is exact to rounding
    assert eig(J).eigenvalues.tolist() == [2.0] * k  # triangular: exact


def test_eigenvectors_of_long_jordan_chains_do_not_overflow():
    # Every back-substitution pivot is zero (replaced by eps * max|T|), so the vector grows by
    # ~1/eps per row: without the column rescaling this overflows to inf/NaN at n = 40.
    J = np.eye(40) + np.diag(np.ones(39), 1)
    w, V = eig(J)
    assert np.all(np.isfinite(V))
    check_eig(J, w, V)
    R = np.array([[0.0, 1.0], [-1.0, 0.0]])  # repeated complex pair +-i in a chain
    C = np.kron(np.eye(20), R) + np.kron(np.diag(np.ones(19), 1), np.eye(2))
    w, V = eig(C)
    assert np.all(np.isfinite(V))
    check_eig(C, w, V)
    assert match_error(w, [1j, -1j] * 20) <= 1e-12  # block triangular: found exactly


@pytest.mark.parametrize("n", [8, 10, 12])
def test_hilbert_symmetric(n):
    H = hilbert(n)
    w, V = eig(H)
    assert w.dtype == np.float64 and V.dtype == np.float64
    ref = np.linalg.eigvalsh(H)
    np.testing.assert_allclose(np.sort(w), ref, rtol=0, atol=1e-14)
    check_eig(H, w, V)


def test_symmetric_real_output(rng):
    S = spd(40, rng)
    w, V = eig(S)
    assert w.dtype == np.float64
    np.testing.assert_allclose(np.sort(w), np.linalg.eigvalsh(S), rtol=1e-12)
    check_eig(S, w, V)
    np.testing.assert_allclose(V.T @ V, np.eye(40), atol=1e-10)  # distinct: orthogonal


def test_repeated_and_clustered(rng):
    Q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    lam = np.array([1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0 + 1e-9, 5.0])
    A = (Q * lam) @ Q.T
    w, V = eig(A)
    np.testing.assert_allclose(np.sort(w), lam, rtol=0, atol=1e-12)
    check_eig(A, w, V)
    # Nonsymmetric: a well-conditioned basis, repeated complex pair.
    S = well_conditioned(6, rng)
    B = np.kron(np.eye(3), np.array([[1.0, -2.0], [2.0, 1.0]]))
    A = S @ B @ np.linalg.inv(S)
    w, V = eig(A)
    assert match_error(w, [1 + 2j, 1 - 2j] * 3) <= 1e-9
    check_eig(A, w, V, residual=1e-11)


def test_badly_scaled_needs_balancing(rng):
    M = rng.standard_normal((8, 8))
    d = 10.0 ** np.linspace(-9, 9, 8)
    A = (d[:, None] * M) / d[None, :]  # similar to M, ||A|| ~ 1e18 ||M||
    w_ref = np.linalg.eigvals(M)
    w, V = eig(A)
    assert match_error(w, w_ref) <= 1e-10 * np.linalg.norm(M, 2)
    assert match_error(eigvals(A), w_ref) <= 1e-10 * np.linalg.norm(M, 2)
    # Residual of each column relative to the scale of A restricted to it.
    r = A @ V - V * w
    assert np.linalg.norm(r) <= 1e-12 * np.linalg.norm(A)


@pytest.mark.parametrize("scale", [1e-300, 1.7e-162, 1e150, 1e300])
def test_tiny_and_huge_matrices(scale, rng):
    M = rng.standard_normal((6, 6))
    w_ref = np.linalg.eigvals(M)
    w, V = eig(M * scale)
    assert match_error(w / scale, w_ref) <= 1e-12 * np.linalg.norm(M, 2)
    assert match_error(eigvals(M * scale) / scale, w_ref) <= 1e-12 * np.linalg.norm(M, 2)
    check_eig(M, w / scale, V)


def test_balance_structure(rng):
    A = rng.standard_normal((7, 7))
    A[2, [0, 1, 3, 4, 5, 6]] = 0.0  # row 2: eigenvalue A[2, 2] isolated
    A[[0, 1, 3, 4, 5, 6], 5] = 0.0  # column 5: eigenvalue A[5, 5] isolated
    B = A.copy()
    perm, d, lo, hi = _balance(B)
    np.testing.assert_array_equal(B, (A[perm][:, perm] / d[:, None]) * d[None, :])
    assert np.all(np.log2(d) == np.round(np.log2(d)))  # powers of two
    assert (lo, hi) == (1, 5)
    assert np.all(np.tril(B[:, :lo], -1) == 0) and np.all(np.tril(B[hi + 1 :, hi + 1 :], -1) == 0)
    assert np.all(B[hi + 1 :, : hi + 1] == 0)
    d = 2.0 ** np.arange(-30, 40, 10)
    A = (d[:, None] * rng.standard_normal((7, 7))) / d[None, :]
    B = A.copy()
    perm, d, lo, hi = _balance(B)
    assert (lo, hi) == (0, 6)
    assert np.linalg.norm(B) < 1e-12 * np.linalg.norm(A)  # the scaling is undone


def test_balancing_keeps_eigenvectors():
    # A tiny off-diagonal entry must not make balancing scale a row by ~1e-100 (found by
    # hypothesis: with off-diagonal-only norms the eigenvector for ~1 came out as e_1).
    A = np.array([[1.0, 0.0, 8.4e-201], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    w, V = eig(A)
    check_eig(A, w, V)
    j = int(np.argmin(np.abs(w - 1.0)))
    v = V[:, j] * np.sign(V[0, j])  # equal-size entries: the sign convention is a tie-break
    np.testing.assert_allclose(v, np.array([1.0, -1.0, -1.0]) / np.sqrt(3.0), atol=1e-15)
    # Balancing scales row 1 by ~1e-81 here; the scaling-invariant deflation test must not
    # then treat h[1, 0] as negligible (found by hypothesis).
    A = np.array([[1.0, 1.7e-162], [1.0, 1.7e-162]])
    w, V = eig(A)
    check_eig(A, w, V)
    j = int(np.argmax(w))
    np.testing.assert_allclose(np.abs(V[:, j]), [np.sqrt(0.5)] * 2, atol=1e-15)


def test_stack(rng):
    A = rng.standard_normal((2, 3, 5, 5))
    w, V = eig(A)
    assert w.shape == (2, 3, 5) and V.shape == (2, 3, 5, 5)
    check_eig(A, w, V)
    for idx in np.ndindex(2, 3):
        assert match_error(w[idx], np.linalg.eigvals(A[idx])) <= 1e-12 * 10
    ws = eigvals(A)
    assert ws.shape == (2, 3, 5)
    # A stack in which every eigenvalue is real gives real output.
    S = np.stack([spd(4, rng), np.triu(rng.standard_normal((4, 4)))])
    assert eig(S).eigenvalues.dtype == np.float64


@pytest.mark.parametrize("func", [eig, eigvals])
def test_bad_input(func):
    with pytest.raises(ValueError, match="NaN or infinity"):
        func([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="NaN or infinity"):
        func([[1.0, np.inf], [0.0, 1.0]])
    with pytest.raises(TypeError, match="complex"):
        func(np.eye(2) * 1j)
    with pytest.raises(LinAlgError, match="square"):
        func(np.ones((2, 3)))
    with pytest.raises(LinAlgError, match="at least 2-D"):
        func(np.ones(3))
    with pytest.raises(TypeError, match="real numbers"):
        func(np.array([["a", "b"], ["c", "d"]]))


def test_no_convergence_names_count(monkeypatch, rng):
    # the module, not the function m4ml.linalg.schur that shadows it as an attribute
    schur_module = importlib.import_module("m4ml.linalg.schur")
    monkeypatch.setattr(schur_module, "ITERATIONS_PER_EIGENVALUE", 1)
    A = rng.standard_normal((6, 6))
    with pytest.raises(LinAlgError, match=r"did not converge after 6 iterations"):
        eig(A)
    with pytest.raises(LinAlgError, match=r"did not converge after 6 iterations"):
        eigvals(A)


# Small integers (exact zeros, repeated values, defective structures) mixed with floats in
# [-10, 10]. Magnitudes below 1e-6 are left out: with entries spanning 1e-289 .. 1 balancing
# scales rows by 2**+-500 and even LAPACK (numpy.linalg.eig) returns residuals of order 0.1.
elements = st.one_of(
    st.integers(-3, 3).map(float),
    st.floats(-10, 10, allow_nan=False, allow_subnormal=False).filter(
        lambda x: x == 0 or abs(x) > 1e-6
    ),
)
matrices = st.integers(1, 7).flatmap(lambda n: arrays(np.float64, (n, n), elements=elements))


@given(matrices)
@settings(max_examples=25, deadline=None)
def test_property_residual_and_trace(A):
    w, V = eig(A)
    scale = max(np.linalg.norm(A), 1.0)
    assert np.linalg.norm(A @ V - V * w) <= 1e-9 * scale
    assert abs(np.sum(w) - np.trace(A)) <= 1e-12 * A.shape[0] * scale
    assert abs(np.sum(eigvals(A)) - np.trace(A)) <= 1e-12 * A.shape[0] * scale
    check_pairs(w)


def test_input_unchanged(rng):
    A = rng.standard_normal((7, 7))
    A[3, [0, 1, 2, 4, 5, 6]] = 0.0  # balancing permutes this row away
    A[0, 1:] *= 1e5  # and scales
    before = A.copy()
    eig(A)
    eigvals(A)
    np.testing.assert_array_equal(A, before)


def test_float32_in_float32_out():
    A = np.array([[0.0, -1.0], [1.0, 0.0]], dtype=np.float32)
    w, V = eig(A)
    assert w.dtype == np.linalg.eigvals(A).dtype == np.complex64
    assert V.dtype == np.complex64 and eigvals(A).dtype == np.complex64
    B = np.array([[2.0, 1.0], [0.0, 3.0]], dtype=np.float32)
    assert eig(B).eigenvalues.dtype == np.linalg.eigvals(B).dtype == np.float32


@pytest.mark.parametrize(
    "A",
    [
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]],  # explore seed 204
        [[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0], [0.0] * 4],
        [[0.0, 1e300, 0.0], [0.0, 0.0, 1e-300], [0.0, 0.0, 0.0]],
    ],
)
def test_nilpotent_jordan_chain_keeps_a_nonzero_eigenvector(A):
    # a zero eigenvalue of multiplicity n: every pivot of the back substitution is the floor
    # 1e-292 under right-hand sides up to 1e280; the column rescaling once underflowed to 0,
    # zeroing the eigenvector (0/0 RuntimeWarning in the normalization)
    A = np.array(A)
    w, V = eig(A)
    np.testing.assert_array_equal(w, 0.0)
    np.testing.assert_allclose(np.linalg.norm(V, axis=0), 1.0, rtol=1e-14)
    assert np.abs(A @ V).max() <= 1e-15 * np.abs(A).max()
