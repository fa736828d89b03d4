"""Tests for m4ml.linalg.tridiag_eigen.eigh_tridiagonal against scipy.linalg.eigh_tridiagonal."""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.linalg.sym_jacobi import _jacobi
from m4ml.linalg.tridiag_eigen import EighResult, eigh_tridiagonal
from tests.helpers import SIZES

EPS = np.finfo(float).eps


def _dense(d, e):
    return np.diag(d) + np.diag(e, 1) + np.diag(e, -1)


def _check(d, e, rtol=1e-10):
    T = _dense(d, e)
    n = len(d)
    norm = max(np.linalg.norm(T, 2), 1e-300)
    w, V = eigh_tridiagonal(d, e)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(T), rtol=rtol, atol=1e-12 * norm)
    assert np.all(np.diff(w) >= 0)
    assert np.linalg.norm(T @ V - V * w, 2) <= 1e-12 * norm * n**0.5
    assert np.linalg.norm(V.T @ V - np.eye(n), 2) <= 1e-12 * n**0.5
    np.testing.assert_array_equal(eigh_tridiagonal(d, e, eigvals_only=True), w)
    return w, V


@pytest.mark.parametrize("n", SIZES)
def test_matches_scipy(n, rng):
    d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
    w, V = _check(d, e)
    ref_w, ref_V = scipy.linalg.eigh_tridiagonal(d, e)
    np.testing.assert_allclose(w, ref_w, rtol=1e-10, atol=1e-12 * np.abs(ref_w).max())
    signs = np.sign(np.sum(V * ref_V, axis=0))
    np.testing.assert_allclose(V * signs, ref_V, atol=1e-7)


def test_input_not_modified(rng):
    d, e = rng.standard_normal(40), rng.standard_normal(39)
    d0, e0 = d.copy(), e.copy()
    eigh_tridiagonal(d, e)
    eigh_tridiagonal(d, e, eigvals_only=True)
    np.testing.assert_array_equal(d, d0)
    np.testing.assert_array_equal(e, e0)


def test_returns_named_tuple_and_unpacks(rng):
    res = eigh_tridiagonal([1.0, 2.0], [0.5])
    assert isinstance(res, EighResult)
    w, v = res
    assert w.shape == (2,) and v.shape == (2, 2)


@pytest.mark.parametrize("m", [10, 25, 50])
def test_wilkinson(m):
    d = np.abs(np.arange(-m, m + 1.0))
    _check(d, np.ones(2 * m))


def test_glued_wilkinson():
    m, k = 10, 8
    d = np.tile(np.abs(np.arange(-m, m + 1.0)), k)
    e = np.ones(len(d) - 1)
    e[20::21] = 1e-10
    _check(d, e)


def test_splitting_and_zero_offdiagonal(rng):
    d = rng.standard_normal(80)
    e = rng.standard_normal(79)
    e[[10, 37, 38, 60]] = 0.0
    _check(d, e)
    w, V = eigh_tridiagonal(d, np.zeros(79))
    np.testing.assert_array_equal(w, np.sort(d))
    np.testing.assert_array_equal(np.abs(V).sum(axis=0), np.ones(80))


def test_constant_and_repeated(rng):
    _check(np.full(70, 3.0), np.full(69, 1e-300))
    _check(np.full(64, 2.0), np.full(63, -1.0))  # 1-D Laplacian: closed-form eigenvalues
    w = eigh_tridiagonal(np.full(64, 2.0), np.full(63, -1.0), eigvals_only=True)
    exact = 2.0 - 2.0 * np.cos(np.arange(1, 65) * np.pi / 65)
    np.testing.assert_allclose(w, exact, rtol=1e-12, atol=1e-14)


def test_graded_and_extreme_scaling(rng):
    d = 10.0 ** np.linspace(-8, 8, 50)
    e = 10.0 ** np.linspace(-8, 8, 49) * 0.3
    _check(d, e)
    d, e = rng.standard_normal(40), rng.standard_normal(39)
    for scale in (1e-300, 1e300):
        w, V = eigh_tridiagonal(d * scale, e * scale)
        np.testing.assert_allclose(w / scale, np.linalg.eigvalsh(_dense(d, e)), atol=1e-13)
        assert np.all(np.isfinite(V))


def test_small_and_empty():
    w, V = eigh_tridiagonal([], [])
    assert w.shape == (0,) and V.shape == (0, 0)
    assert eigh_tridiagonal([4.0], [], eigvals_only=True).tolist() == [4.0]
    w, V = eigh_tridiagonal([0.0, 0.0], [0.0])
    assert w.tolist() == [0.0, 0.0]
    np.testing.assert_array_equal(V, np.eye(2))


def test_jacobi_leaf_solver(rng):
    M = rng.standard_normal((5, 8, 8))
    A = M + M.transpose(0, 2, 1)
    w, V = _jacobi(A.copy())
    for i in range(5):
        np.testing.assert_allclose(np.sort(w[i]), np.linalg.eigvalsh(A[i]), atol=1e-13)
        np.testing.assert_allclose(A[i] @ V[i], V[i] * w[i], atol=1e-13)
        np.testing.assert_allclose(V[i].T @ V[i], np.eye(8), atol=1e-14)


def test_bad_input():
    with pytest.raises(ValueError, match="length"):
        eigh_tridiagonal([1.0, 2.0, 3.0], [1.0])
    with pytest.raises(ValueError, match="at most 1 dimension"):
        eigh_tridiagonal(np.eye(2), [1.0])
    with pytest.raises(ValueError, match="at least 1 dimension"):
        eigh_tridiagonal(1.0, [])
    with pytest.raises(ValueError, match="NaN or infinity"):
        eigh_tridiagonal([1.0, np.nan], [1.0])
    with pytest.raises(ValueError, match="NaN or infinity"):
        eigh_tridiagonal([1.0, 1.0], [np.inf])
    with pytest.raises(TypeError, match="complex"):
        eigh_tridiagonal([1j, 1.0], [1.0])
    with pytest.raises(TypeError, match="eigvals_only"):
        eigh_tridiagonal([1.0], [], eigvals_only="yes")


_entries = st.floats(-100, 100, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, n, elements=_entries), arrays(np.float64, n - 1, elements=_entries)
        )
    )
)
def test_property_decomposition(de):
    d, e = de
    T = _dense(d, e)
    n = len(d)
    norm = max(np.linalg.norm(T, 2), 1e-300)
    w, V = eigh_tridiagonal(d, e)
    assert np.linalg.norm(T - (V * w) @ V.T, 2) <= 1e-12 * norm * n
    assert np.linalg.norm(V.T @ V - np.eye(n), 2) <= 1e-12 * n
    np.testing.assert_allclose(w.sum(), d.sum(), atol=1e-11 * norm * n)


# -- the textbook kernel, and the fast path held against it ------------------------------------


def _hard_tridiagonal(case, n, rng):
    d, e = rng.standard_normal(n), rng.standard_normal(n - 1)
    if case == "ones":
        d, e = np.full(n, 2.0), np.ones(n - 1)
    elif case == "zeros_in_e":
        e[::3] = 0.0
    elif case == "graded":
        d, e = 2.0 ** -np.arange(n), 0.5 * 2.0 ** -np.arange(n - 1)
    elif case == "wilkinson":
        d, e = np.abs(np.arange(n) - (n - 1) / 2.0), np.ones(n - 1)
    elif case == "clustered":
        d, e = 1.0 + 1e-12 * rng.standard_normal(n), 1e-10 * rng.standard_normal(n - 1)
    return d, e


@pytest.mark.parametrize(
    "case", ["random", "ones", "zeros_in_e", "graded", "wilkinson", "clustered"]
)
@pytest.mark.parametrize("n", [1, 2, 3, 7, 21, 60])
def test_textbook_qr_kernel_against_numpy(case, n, rng):
    from m4ml.linalg.tridiag_eigen import _tridiagonal_qr

    d, e = _hard_tridiagonal(case, n, rng)
    T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    w, Z = _tridiagonal_qr(d, e)
    nt = max(np.abs(T).max(), 1e-300)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(T), rtol=0, atol=20 * n * EPS * nt)
    assert np.linalg.norm(T @ Z - Z * w) <= 1e-13 * nt * n
    assert np.linalg.norm(Z.T @ Z - np.eye(n)) <= 1e-13 * n
    np.testing.assert_array_equal(_tridiagonal_qr(d, e, vectors=False)[0], w)


@pytest.mark.parametrize(
    "case", ["random", "ones", "zeros_in_e", "graded", "wilkinson", "clustered"]
)
@pytest.mark.parametrize("n", [17, 40, 130])
def test_divide_and_conquer_against_textbook_kernel(case, n, rng):
    from m4ml.linalg.tridiag_eigen import _divide_and_conquer, _tridiagonal_qr

    d, e = _hard_tridiagonal(case, n, rng)
    w_ref, Z_ref = _tridiagonal_qr(d, e)
    w, Z = _divide_and_conquer(d, e, True)
    nt = max(np.abs(d).max(), np.abs(e).max())
    np.testing.assert_allclose(w, w_ref, rtol=0, atol=20 * n * EPS * nt)
    # vectors agree (up to sign) wherever the eigenvalue is well separated
    gaps = np.minimum(np.diff(w_ref, prepend=-np.inf), np.diff(w_ref, append=np.inf))
    sep = gaps > 1e-3 * nt
    sign = np.sign(np.sum(Z * Z_ref, axis=0))
    np.testing.assert_allclose((Z * sign)[:, sep], Z_ref[:, sep], atol=1e-9)
