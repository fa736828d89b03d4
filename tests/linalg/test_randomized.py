"""Tests for m4ml.linalg.randomized.randomized_svd."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.randomized import RandomizedSVDResult, randomized_svd


def planted(m, n, signal, rng, noise=1.0):
    """Rank-len(signal) matrix on random orthonormal factors plus Gaussian noise."""
    k = len(signal)
    U, _ = np.linalg.qr(rng.standard_normal((m, k)))
    V, _ = np.linalg.qr(rng.standard_normal((n, k)))
    return (U * signal) @ V.T + noise * rng.standard_normal((m, n))


def test_exact_low_rank_is_recovered(rng):
    A = planted(400, 120, np.linspace(50, 5, 8), rng, noise=0.0)
    U, s, Vt = randomized_svd(A, 8, rng=0)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False)[:8], rtol=1e-12)
    np.testing.assert_allclose(U @ np.diag(s) @ Vt, A, atol=1e-11 * np.linalg.norm(A))
    np.testing.assert_allclose(U.T @ U, np.eye(8), atol=1e-13)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(8), atol=1e-13)


def test_planted_signal_with_gap_matches_numpy(rng):
    A = planted(5000, 200, np.linspace(5000, 1000, 10), rng)
    U, s, Vt = randomized_svd(A, 10, rng=1)
    Ur, sr, Vtr = np.linalg.svd(A, full_matrices=False)
    np.testing.assert_allclose(s, sr[:10], rtol=1e-6)
    sign = np.sign(np.sum(U * Ur[:, :10], axis=0))
    np.testing.assert_allclose(U * sign, Ur[:, :10], atol=1e-6)
    np.testing.assert_allclose(Vt * sign[:, None], Vtr[:10], atol=1e-6)


def test_power_iterations_improve_accuracy(rng):
    # sigma_j = 1/j: no spectral gap; each power iteration must help.
    n = 150
    U0, _ = np.linalg.qr(rng.standard_normal((600, n)))
    V0, _ = np.linalg.qr(rng.standard_normal((n, n)))
    sig = 1.0 / np.arange(1, n + 1)
    A = (U0 * sig) @ V0.T
    errs = [
        np.max(np.abs(randomized_svd(A, 5, n_iter=q, rng=3).s - sig[:5]) / sig[:5])
        for q in (0, 2, 6)
    ]
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-6


def test_reproducible_with_seed_and_generator(rng):
    A = rng.standard_normal((60, 30))
    a = randomized_svd(A, 3, rng=7)
    b = randomized_svd(A, 3, rng=7)
    np.testing.assert_array_equal(a.s, b.s)
    assert isinstance(a, RandomizedSVDResult)
    g = np.random.default_rng(5)
    c = randomized_svd(A, 3, rng=g)
    assert c.U.shape == (60, 3)


@pytest.mark.parametrize(("m", "n", "k"), [(1, 1, 1), (5, 40, 5), (40, 5, 5), (30, 30, 30)])
def test_full_rank_k_is_exact(m, n, k, rng):
    A = rng.standard_normal((m, n))
    U, s, Vt = randomized_svd(A, k, rng=0)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False)[:k], rtol=1e-10)
    if k == min(m, n):
        np.testing.assert_allclose((U * s) @ Vt, A, atol=1e-12 * np.linalg.norm(A))


def test_zero_matrix():
    U, s, Vt = randomized_svd(np.zeros((20, 10)), 3, rng=0)
    np.testing.assert_array_equal(s, 0.0)
    np.testing.assert_allclose(U.T @ U, np.eye(3), atol=1e-13)
    np.testing.assert_allclose(Vt @ Vt.T, np.eye(3), atol=1e-13)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"k": 0}, ValueError, "k must be >= 1"),
        ({"k": 11}, ValueError, "min\\(m, n\\) = 10"),
        ({"k": 2.5}, TypeError, "k must be an integer"),
        ({"k": 2, "n_iter": -1}, ValueError, "n_iter must be >= 0"),
        ({"k": 2, "n_oversamples": -3}, ValueError, "n_oversamples must be >= 0"),
        ({"k": 2, "rng": 1.5}, TypeError, "rng must be"),
    ],
)
def test_bad_arguments(kwargs, exc, match, rng):
    with pytest.raises(exc, match=match):
        randomized_svd(rng.standard_normal((20, 10)), **kwargs)


@pytest.mark.parametrize(
    ("bad", "exc", "match"),
    [
        ([[1.0, np.nan], [0.0, 1.0]], ValueError, "NaN or infinity"),
        (np.eye(2) * 1j, TypeError, "complex"),
        ([1.0, 2.0], LinAlgError, "at least 2-D"),
        (np.zeros((2, 3, 3)), ValueError, "2-D matrix"),
    ],
)
def test_bad_input(bad, exc, match):
    with pytest.raises(exc, match=match):
        randomized_svd(bad, 1)


finite = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(1, 8)), elements=finite))
def test_property_full_rank_request_reconstructs(A):
    k = min(A.shape)
    U, s, Vt = randomized_svd(A, k, rng=0)
    nrm = max(np.linalg.norm(A), 1.0)
    np.testing.assert_allclose((U * s) @ Vt, A, atol=1e-11 * nrm)
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False), atol=1e-11 * nrm)
