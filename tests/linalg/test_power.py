"""Tests for m4ml.linalg.power (power iteration and inverse iteration)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.power import PowerIterationResult, inverse_iteration, power_iteration
from tests.helpers import SIZES, hilbert, well_conditioned


def symmetric_with_gap(n, rng, top=20.0):
    """Symmetric, eigenvalues in [1, 10] plus a dominant ``top`` (ratio <= 1/2)."""
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.linspace(1.0, 10.0, n)
    lam[-1] = top
    return (q * lam) @ q.T, q[:, -1]


def check_pair(A, res, tol=1e-10):
    lam, v, n_iter = res
    assert isinstance(lam, float) and n_iter >= 1
    assert v.shape == (A.shape[0],)
    assert np.linalg.norm(v) == pytest.approx(1.0, abs=1e-14)
    assert v[np.argmax(np.abs(v))] > 0  # sign convention
    assert np.linalg.norm(A @ v - lam * v) <= tol * np.linalg.norm(A)


@pytest.mark.parametrize("n", SIZES)
def test_power_symmetric_against_numpy(n, rng):
    A, u = symmetric_with_gap(n, rng)
    res = power_iteration(A, rng=1)
    assert isinstance(res, PowerIterationResult)
    check_pair(A, res)
    ref = np.linalg.eigvalsh(A)[-1]
    assert res.eigenvalue == pytest.approx(ref, rel=1e-10)
    assert abs(abs(res.eigenvector @ u) - 1.0) <= 1e-8


@pytest.mark.parametrize("n", [2, 3, 10, 100])
def test_power_nonsymmetric_negative_dominant(n, rng):
    S = well_conditioned(n, rng)
    lam = np.linspace(1.0, 10.0, n)
    lam[0] = -25.0
    A = S @ np.diag(lam) @ np.linalg.inv(S)
    res = power_iteration(A, rng=2)
    check_pair(A, res)
    assert res.eigenvalue == pytest.approx(-25.0, rel=1e-8)
    u = S[:, 0] / np.linalg.norm(S[:, 0])
    assert abs(abs(res.eigenvector @ u) - 1.0) <= 1e-8


def test_power_hard_cases(rng):
    # Hilbert: dominant eigenvalue well separated, tiny others.
    H = hilbert(10)
    res = power_iteration(H, rng=0)
    assert res.eigenvalue == pytest.approx(np.linalg.eigvalsh(H)[-1], rel=1e-12)
    assert np.all(res.eigenvector > 0)  # Perron vector of a positive matrix
    # 1x1, zero matrix, rank one, diagonal.
    res = power_iteration([[-3.0]], rng=0)
    assert res.eigenvalue == -3.0 and res.eigenvector.tolist() == [1.0] and res.n_iter == 1
    res = power_iteration(np.zeros((4, 4)), rng=0)
    assert res.eigenvalue == 0.0 and res.n_iter == 1
    x = rng.standard_normal(5)
    res = power_iteration(np.outer(x, x), rng=0)
    assert res.eigenvalue == pytest.approx(x @ x, rel=1e-12)
    assert res.n_iter <= 2
    res = power_iteration(np.diag([1.0, -7.0, 3.0]), x0=[1.0, 1.0, 1.0])
    assert res.eigenvalue == pytest.approx(-7.0, rel=1e-10)
    np.testing.assert_allclose(res.eigenvector, [0.0, 1.0, 0.0], atol=1e-9)


def test_power_x0_and_rng_determinism(rng):
    A, _ = symmetric_with_gap(20, rng)
    r1, r2 = power_iteration(A, rng=5), power_iteration(A, rng=5)
    assert r1.n_iter == r2.n_iter and r1.eigenvalue == r2.eigenvalue
    np.testing.assert_array_equal(r1.eigenvector, r2.eigenvector)
    r3 = power_iteration(A, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(r1.eigenvector, r3.eigenvector)
    # Starting at the answer converges at once; scaling x0 changes nothing.
    r4 = power_iteration(A, x0=1e-30 * r1.eigenvector)
    assert r4.n_iter == 1
    assert r4.eigenvalue == pytest.approx(r1.eigenvalue, rel=1e-12)


@pytest.mark.parametrize(
    "A",
    [
        [[0.0, -1.0], [1.0, 0.0]],  # rotation: complex pair +-i
        [[2.0, 0.0], [0.0, -2.0]],  # tie +-2
        [[np.cos(1.0), -np.sin(1.0), 0.0], [np.sin(1.0), np.cos(1.0), 0.0], [0.0, 0.0, 0.5]],
    ],
)
def test_power_tie_does_not_converge(A):
    with pytest.raises(LinAlgError, match="did not converge after 200 iterations"):
        power_iteration(A, max_iter=200, rng=0)


def test_power_max_iter_reached(rng):
    A, _ = symmetric_with_gap(10, rng, top=10.5)
    with pytest.raises(LinAlgError, match="did not converge after 3 iterations"):
        power_iteration(A, max_iter=3, rng=0)
    assert power_iteration(A, rng=0).n_iter > 3


def inverse_half(A, **kw):
    return inverse_iteration(A, 0.5, **kw)


@pytest.mark.parametrize("func", [power_iteration, inverse_half])
def test_bad_input(func):
    A = np.eye(3)
    with pytest.raises(ValueError, match="NaN or infinity"):
        func([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(TypeError, match="complex"):
        func(np.eye(2) * 1j)
    with pytest.raises(LinAlgError, match="square"):
        func(np.ones((2, 3)))
    with pytest.raises(ValueError, match="single square matrix"):
        func(np.ones((2, 3, 3)))
    with pytest.raises(ValueError, match="empty"):
        func(np.zeros((0, 0)))
    with pytest.raises(ValueError, match="nonzero"):
        func(A, x0=np.zeros(3))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        func(A, x0=np.ones(4))
    with pytest.raises(ValueError, match="NaN or infinity"):
        func(A, x0=[1.0, np.inf, 0.0])
    with pytest.raises(ValueError, match="tol must be a positive"):
        func(A, tol=0.0)
    with pytest.raises(ValueError, match="tol must be a positive"):
        func(A, tol=float("nan"))
    with pytest.raises(TypeError, match="tol must be a real number"):
        func(A, tol="small")
    with pytest.raises(ValueError, match="max_iter must be >= 1"):
        func(A, max_iter=0)
    with pytest.raises(TypeError, match="max_iter must be an integer"):
        func(A, max_iter=10.5)
    with pytest.raises(TypeError, match="rng must be"):
        func(A, rng=1.5)


@pytest.mark.parametrize("n", SIZES)
def test_inverse_iteration_against_numpy(n, rng):
    A = well_conditioned(n, rng)
    A = A + A.T  # symmetric: real eigenvalues
    w = np.linalg.eigvalsh(A)
    target = w[n // 2] + 1e-3 * (w[-1] - w[0] + 1.0) / (n + 1)  # nearest to w[n // 2]
    res = inverse_iteration(A, target, rng=0)
    check_pair(A, res)
    assert res.eigenvalue == pytest.approx(w[n // 2], rel=1e-10, abs=1e-12)


def test_inverse_iteration_exact_shift_and_nonsymmetric(rng):
    D = np.diag([1.0, 2.0, 5.0])
    res = inverse_iteration(D, 2.0, rng=0)  # singular A - shift I: perturbed pivot
    assert res.eigenvalue == pytest.approx(2.0, abs=1e-14) and res.n_iter <= 2
    np.testing.assert_allclose(res.eigenvector, [0.0, 1.0, 0.0], atol=1e-12)
    S = well_conditioned(6, rng)
    lam = np.array([-3.0, -1.0, 0.5, 2.0, 4.0, 7.0])
    A = S @ np.diag(lam) @ np.linalg.inv(S)
    for shift, expect in [(0.4, 0.5), (-2.2, -3.0), (6.0, 7.0)]:
        res = inverse_iteration(A, shift, rng=1)
        check_pair(A, res)
        assert res.eigenvalue == pytest.approx(expect, rel=1e-9)


def test_inverse_iteration_failures():
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(LinAlgError, match="did not converge after 50 iterations"):
        inverse_iteration(R, 0.0, max_iter=50, rng=0)  # nearest eigenvalues are +-i
    with pytest.raises(TypeError, match="shift must be a real number"):
        inverse_iteration(np.eye(2), 1j)
    with pytest.raises(ValueError, match="shift must be finite"):
        inverse_iteration(np.eye(2), np.inf)


@given(
    arrays(np.float64, st.integers(1, 6), elements=st.floats(-10, 10, allow_nan=False)),
    st.integers(0, 2**32 - 1),
)
@settings(max_examples=25, deadline=None)
def test_property_dominant_eigenpair(d, seed):
    rng = np.random.default_rng(seed)
    d = d.copy()
    d[0] = 2.0 * np.abs(d).max() + 1.0  # dominant, ratio <= 1/2
    q, _ = np.linalg.qr(rng.standard_normal((d.size, d.size)))
    A = (q * d) @ q.T
    res = power_iteration(A, rng=rng)
    check_pair(A, res)
    assert res.eigenvalue == pytest.approx(d[0], rel=1e-9)


def test_input_unchanged(rng):
    A, _ = symmetric_with_gap(6, rng)
    x0 = rng.standard_normal(6)
    A0, x00 = A.copy(), x0.copy()
    power_iteration(A, x0=x0)
    inverse_iteration(A, 0.5, x0=x0)
    np.testing.assert_array_equal(A, A0)
    np.testing.assert_array_equal(x0, x00)
