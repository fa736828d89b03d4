"""Tests for the secular-equation solver of m4ml.linalg.tridiag_secular."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.linalg.tridiag_secular import (
    secular_eigenvectors,
    secular_roots,
    secular_roots_batch,
)


def _solve(d, z, rho):
    return secular_eigenvectors(d, z, rho, *secular_roots(d, z, rho))


@pytest.mark.parametrize("k", [1, 2, 3, 10, 100, 300])
def test_rank_one_update_matches_numpy(k, rng):
    d = np.sort(rng.standard_normal(k))
    z = rng.standard_normal(k)
    z /= np.linalg.norm(z)
    rho = 0.7
    M = np.diag(d) + rho * np.outer(z, z)
    lam, U = _solve(d, z, rho)
    np.testing.assert_allclose(lam, np.linalg.eigvalsh(M), rtol=1e-12, atol=1e-14)
    assert np.linalg.norm(M @ U - U * lam, 2) <= 1e-13 * np.linalg.norm(M, 2) * k**0.5
    assert np.linalg.norm(U.T @ U - np.eye(k), 2) <= 1e-13 * k**0.5


def test_batch_matches_single_problems(rng):
    problems = []
    for k in (1, 2, 7, 40, 3):
        d = np.sort(rng.standard_normal(k))
        problems.append((d, rng.standard_normal(k), float(rng.uniform(0.1, 2.0))))
    for (d, z, rho), (origin, tau) in zip(problems, secular_roots_batch(problems), strict=True):
        ref = np.linalg.eigvalsh(np.diag(d) + rho * np.outer(z, z))
        np.testing.assert_allclose(d[origin] + tau, ref, rtol=1e-13, atol=1e-14)
        o1, t1 = secular_roots(d, z, rho)
        np.testing.assert_array_equal(origin, o1)
        np.testing.assert_allclose(tau, t1, rtol=1e-12, atol=0)


def test_roots_stored_as_offsets_near_poles():
    # a tiny weight puts the root within ~1e-24 of its pole: the offset keeps it resolved
    d = np.array([0.0, 1.0, 2.0])
    z = np.array([1e-12, 1.0, 1.0]) / np.sqrt(2.0)
    origin, tau = secular_roots(d, z, 1.0)
    assert origin[0] == 0 and 0 < tau[0] < 1e-23
    # f(lambda) = 0 evaluated through the offset
    lam0 = tau[0]
    f = 1.0 + z[0] ** 2 / (0.0 - lam0) + np.sum(z[1:] ** 2 / (d[1:] - lam0))
    assert abs(f) < 1e-12
    _lam, U = secular_eigenvectors(d, z, 1.0, origin, tau)
    assert np.linalg.norm(U.T @ U - np.eye(3)) < 1e-14


def test_close_poles_stay_orthogonal():
    d = np.array([1.0, 1.0 + 1e-9, 1.0 + 2e-9, 2.0, 3.0])
    z = np.full(5, 1 / np.sqrt(5.0))
    lam, U = _solve(d, z, 1.0)
    assert np.all(lam[:-1] > d[:-1]) and np.all(lam[:-1] < d[1:])
    assert np.linalg.norm(U.T @ U - np.eye(5)) < 1e-13
    M = np.diag(d) + np.outer(z, z)
    assert np.linalg.norm(M @ U - U * lam) < 1e-13


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.integers(0, 2**32 - 1), st.floats(1e-3, 1e3))
def test_property_interlacing_and_trace(k, seed, rho):
    rng = np.random.default_rng(seed)
    d = np.cumsum(rng.uniform(0.01, 1.0, k))
    z = rng.standard_normal(k)
    z = np.where(np.abs(z) < 1e-3, 1e-3, z)
    lam, U = _solve(d, z, rho)
    assert np.all(lam > d) and np.all(lam[:-1] < d[1:])
    assert lam[-1] <= d[-1] + rho * (z @ z) * (1 + 1e-14)
    np.testing.assert_allclose(lam.sum(), d.sum() + rho * (z @ z), rtol=1e-12)
    assert np.linalg.norm(U.T @ U - np.eye(k)) < 1e-12
