"""Tests for m4ml.linalg.qr (blocked Householder QR and the Gram–Schmidt teaching versions)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.qr import QRResult, qr
from tests.helpers import SIZES, hilbert, well_conditioned

BACKWARD = 1e-12
ORTHO = 1e-12


def check_qr(A, Q, R, mode="reduced"):
    m, n = A.shape[-2:]
    k = min(m, n)
    cols = m if mode == "complete" else k
    assert Q.shape == (*A.shape[:-2], m, cols)
    assert R.shape == (*A.shape[:-2], cols, n)
    scale = max(np.linalg.norm(A), 1.0)
    assert np.linalg.norm(A - Q @ R) <= BACKWARD * scale
    assert np.linalg.norm(np.swapaxes(Q, -1, -2) @ Q - np.eye(cols)) <= ORTHO
    assert np.all(np.tril(R, -1) == 0.0)
    diag = np.diagonal(R, axis1=-2, axis2=-1)
    assert np.all(diag >= 0.0)


def signs_like(R, R_ref):
    """Flip the rows of R_ref so that its diagonal signs match R's (non-negative) convention."""
    d = np.sign(np.diagonal(R_ref, axis1=-2, axis2=-1))
    d[d == 0] = 1.0
    return d


@pytest.mark.parametrize("n", SIZES)
def test_square_against_numpy(n, rng):
    A = well_conditioned(n, rng)
    Q, R = qr(A)
    check_qr(A, Q, R)
    Qn, Rn = np.linalg.qr(A)
    d = signs_like(R, Rn)
    np.testing.assert_allclose(R, d[:, None] * Rn, rtol=1e-10, atol=1e-10 * np.abs(Rn).max())
    np.testing.assert_allclose(Q, Qn * d, rtol=0, atol=1e-10)


@pytest.mark.parametrize("m,n", [(5, 3), (3, 5), (200, 40), (40, 200), (301, 77), (77, 301)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_rectangular(m, n, mode, rng):
    A = well_conditioned(n, rng, m=m)
    Q, R = qr(A, mode=mode)
    check_qr(A, Q, R, mode)
    Rn = np.linalg.qr(A, mode="r")
    d = signs_like(R, Rn)
    k = min(m, n)
    np.testing.assert_allclose(R[:k], d[:, None] * Rn, atol=1e-10 * np.abs(Rn).max())


@pytest.mark.parametrize("shape", [(300, 300), (400, 100), (100, 400), (7, 7)])
def test_mode_r_matches_reduced(shape, rng):
    A = rng.standard_normal(shape)
    R = qr(A, mode="r")
    assert isinstance(R, np.ndarray)
    np.testing.assert_allclose(R, qr(A).R, rtol=0, atol=1e-13 * np.abs(R).max())


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (100, 100), (300, 77), (2, 4, 6, 5), (0, 3)])
def test_raw_mode_matches_numpy(shape, rng):
    A = rng.standard_normal(shape)
    h, tau = qr(A, mode="raw")
    hn, taun = np.linalg.qr(A, mode="raw")
    assert h.shape == hn.shape and tau.shape == taun.shape
    np.testing.assert_allclose(h, hn, rtol=0, atol=1e-12 * max(np.abs(hn).max(initial=0), 1))
    np.testing.assert_allclose(tau, taun, rtol=0, atol=1e-12)
    if A.ndim == 2 and A.size:  # |diag| of the raw R equals the (non-negative) R of mode "r"
        k = min(shape)
        np.testing.assert_allclose(np.abs(np.diag(h[:k, :k])), np.diag(qr(A, mode="r")))


def test_returns_named_tuple(rng):
    res = qr(rng.standard_normal((4, 3)))
    assert isinstance(res, QRResult)
    assert res.Q is res[0] and res.R is res[1]


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert(n):
    A = hilbert(n)
    Q, R = qr(A)
    check_qr(A, Q, R)
    # R is determined up to signs; |diag(R)| agrees with LAPACK to high relative accuracy
    np.testing.assert_allclose(
        np.diag(R), np.abs(np.diag(np.linalg.qr(A, mode="r"))), rtol=1e-4, atol=1e-15
    )


def test_rank_deficient(rng):
    B = rng.standard_normal((50, 5))
    A = B @ rng.standard_normal((5, 30))  # rank 5
    Q, R = qr(A)
    check_qr(A, Q, R)
    assert np.all(np.abs(np.diag(R)[5:]) <= 1e-12 * np.abs(R).max())


def test_zero_matrix_and_zero_columns(rng):
    for A in (np.zeros((6, 4)), np.zeros((3, 5))):
        Q, R = qr(A)
        check_qr(A, Q, R)
        assert np.all(R == 0.0)
        np.testing.assert_array_equal(Q, np.eye(*Q.shape))
    A = rng.standard_normal((6, 4))
    A[:, 1] = 0.0
    Q, R = qr(A)
    check_qr(A, Q, R)
    assert R[1, 1] == 0.0


def test_one_by_one_and_negative_diagonal():
    Q, R = qr([[-3.0]])
    assert Q.tolist() == [[-1.0]] and R.tolist() == [[3.0]]
    D = np.diag([-2.0, 3.0, -0.5])
    Q, R = qr(D)
    np.testing.assert_array_equal(R, np.abs(D))
    np.testing.assert_array_equal(Q, np.sign(D))


def test_triangular_input_is_its_own_r(rng):
    U = np.triu(rng.uniform(1.0, 2.0, (8, 8)))
    Q, R = qr(U)
    np.testing.assert_allclose(R, U, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(Q, np.eye(8), atol=1e-14)


def test_extreme_scales(rng):
    A = rng.standard_normal((40, 20))
    for s in (1e-200, 1e200):
        Q, R = qr(A * s)
        assert np.all(np.isfinite(R)) and np.all(np.isfinite(Q))
        np.testing.assert_allclose(R / s, qr(A).R, rtol=1e-12, atol=1e-12 * np.abs(R / s).max())
    with pytest.raises(LinAlgError, match="overflow"):
        qr(np.full((4, 2), 1e308))
    with pytest.raises(LinAlgError, match="overflow"):
        qr(np.full((4, 2), 1e308), mode="raw")
    x = np.zeros((5, 1))
    x[3] = 1e-170  # sum of squares underflows
    Q, R = qr(x)
    assert R[0, 0] == pytest.approx(1e-170, rel=1e-14)
    assert abs(Q[3, 0]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "shape,mode",
    [
        ((0, 0), "reduced"),
        ((3, 0), "reduced"),
        ((3, 0), "complete"),
        ((0, 3), "reduced"),
        ((0, 3), "complete"),
        ((2, 3, 0), "reduced"),
        ((2, 3, 0), "complete"),
        ((3, 0), "r"),
    ],
)
def test_empty_like_numpy(shape, mode):
    A = np.zeros(shape)
    ours, ref = qr(A, mode=mode), np.linalg.qr(A, mode=mode)
    if mode == "r":
        assert ours.shape == ref.shape
    else:
        assert [x.shape for x in ours] == [x.shape for x in ref]
        np.testing.assert_array_equal(
            ours.Q, np.broadcast_to(np.eye(*ours.Q.shape[-2:]), ours.Q.shape)
        )


@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_stack(mode, rng):
    A = rng.standard_normal((2, 3, 7, 5))
    out = qr(A, mode=mode)
    for idx in np.ndindex(2, 3):
        single = qr(A[idx], mode=mode)
        # stacks take the vectorized textbook kernel, single matrices the blocked one
        if mode == "r":
            np.testing.assert_allclose(out[idx], single, rtol=1e-12, atol=1e-14)
        else:
            np.testing.assert_allclose(out.Q[idx], single.Q, rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(out.R[idx], single.R, rtol=1e-12, atol=1e-14)
    if mode != "r":
        check_qr(A, *out, mode)


@pytest.mark.parametrize("method", ["mgs", "cgs"])
@pytest.mark.parametrize("n", SIZES)
def test_gram_schmidt_methods_agree_on_well_conditioned(method, n, rng):
    A = well_conditioned(n, rng, m=n + 3)
    Q, R = qr(A, method=method)
    Qh, Rh = qr(A)
    np.testing.assert_allclose(R, Rh, rtol=0, atol=1e-12 * np.abs(Rh).max())
    np.testing.assert_allclose(Q, Qh, rtol=0, atol=1e-11)
    np.testing.assert_allclose(qr(A, mode="r", method=method), R, rtol=0, atol=0)


def test_gram_schmidt_loss_of_orthogonality_on_hilbert():
    """Householder stays orthogonal; MGS loses ~eps*kappa, CGS ~eps*kappa^2 (far worse)."""
    A = hilbert(10)  # kappa ~ 1.6e13
    loss = {
        meth: np.linalg.norm(qr(A, method=meth).Q.T @ qr(A, method=meth).Q - np.eye(10))
        for meth in ("householder", "mgs", "cgs")
    }
    assert loss["householder"] < 1e-14
    assert 1e-6 < loss["mgs"] < 1.0
    assert loss["cgs"] > 1.0
    assert loss["cgs"] > 10 * loss["mgs"]


@pytest.mark.parametrize("method", ["mgs", "cgs"])
def test_gram_schmidt_methods_reject_wide_and_rank_deficient(method, rng):
    with pytest.raises(LinAlgError, match="m >= n"):
        qr(rng.standard_normal((3, 5)), method=method)
    A = rng.standard_normal((6, 3))
    A[:, 2] = A[:, 0] + A[:, 1]
    with pytest.raises(LinAlgError, match="rank deficient"):
        qr(A, method=method)
    with pytest.raises(LinAlgError, match="rank deficient"):
        qr(np.zeros((4, 2)), method=method)
    with pytest.raises(ValueError, match="complete"):
        qr(rng.standard_normal((5, 3)), mode="complete", method=method)
    with pytest.raises(ValueError, match="raw"):
        qr(rng.standard_normal((5, 3)), mode="raw", method=method)


def test_bad_input():
    with pytest.raises(ValueError, match="NaN or inf"):
        qr([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(ValueError, match="NaN or inf"):
        qr([[1.0, np.inf], [0.0, 1.0]])
    with pytest.raises(TypeError, match="complex"):
        qr(np.eye(2) * 1j)
    with pytest.raises(TypeError, match="real numbers"):
        qr([["a", "b"]])
    with pytest.raises(LinAlgError, match="at least 2-D"):
        qr([1.0, 2.0])
    with pytest.raises(ValueError, match="mode must be one of"):
        qr(np.eye(2), mode="full")
    with pytest.raises(ValueError, match="method must be one of"):
        qr(np.eye(2), method="givens")


def test_input_not_modified(rng):
    A = rng.standard_normal((9, 6))
    A0 = A.copy()
    qr(A)
    qr(A, method="mgs")
    qr(A, method="cgs")
    np.testing.assert_array_equal(A, A0)


def test_integer_and_noncontiguous_input(rng):
    A = np.arange(12).reshape(4, 3) ** 2
    Q, R = qr(A)
    check_qr(A.astype(float), Q, R)
    B = rng.standard_normal((10, 10))[::2, ::3]
    Q, R = qr(B)
    check_qr(B, Q, R)


matrices = st.tuples(st.integers(1, 7), st.integers(1, 7)).flatmap(
    lambda s: arrays(np.float64, s, elements=st.floats(-1e3, 1e3, allow_nan=False))
)


@settings(max_examples=25, deadline=None)
@given(matrices)
def test_property_a_equals_qr(A):
    for mode in ("reduced", "complete"):
        Q, R = qr(A, mode=mode)
        check_qr(A, Q, R, mode)


@settings(max_examples=25, deadline=None)
@given(matrices)
def test_property_r_determines_gram_matrix(A):
    """A^T A = R^T R, and |diag R| matches LAPACK's where A has full column rank."""
    R = qr(A, mode="r")
    scale = max(np.linalg.norm(A) ** 2, 1.0)
    assert np.linalg.norm(A.T @ A - R.T @ R) <= 1e-12 * scale


@pytest.mark.parametrize(("m", "n"), [(1, 1), (5, 5), (40, 40), (70, 33), (33, 70), (100, 100)])
def test_blocked_path_matches_textbook_kernel(m, n, rng):
    """The blocked compact-WY QR agrees with the unblocked textbook kernel (R and Q)."""
    from m4ml.linalg.qr import _form_q_unblocked, _qr_householder, _qr_unblocked

    A = rng.standard_normal((m, n))
    A[:, n // 2] = 0.0
    Q, R = _qr_householder(A, "reduced")
    W = A[None].copy()
    V, tau = _qr_unblocked(W)
    k = min(m, n)
    Q0 = _form_q_unblocked(V, tau, k)[0]
    d = np.where(np.diagonal(W[0, :k, :k]) < 0, -1.0, 1.0)
    np.testing.assert_allclose(R, d[:, None] * W[0, :k], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(Q, Q0 * d, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize(("m", "n"), [(4, 4), (6, 3), (3, 6), (32, 32)])
def test_stack_vectorized_matches_numpy(mode, m, n, rng):
    A = rng.standard_normal((30, m, n))
    A[4] = 0.0
    A[5, :, 0] = 0.0
    A[6, 1:, 0] = 0.0  # already reduced first column
    A[7] *= 1e-160
    A[8] *= 1e150
    out = qr(A, mode=mode)
    ref = np.linalg.qr(A, mode=mode)
    R = out if mode == "r" else out.R
    Rn = ref if mode == "r" else ref.R
    k = min(m, n)
    sign = np.where(np.diagonal(Rn[:, :k, :k], axis1=1, axis2=2) < 0, -1.0, 1.0)
    scale = np.abs(A).max(axis=(1, 2), keepdims=True) + 1e-300
    np.testing.assert_allclose(
        R / scale,
        Rn * np.pad(sign, ((0, 0), (0, Rn.shape[1] - k)), constant_values=1.0)[:, :, None] / scale,
        atol=1e-12,
    )
    if mode != "r":
        Q = out.Q
        np.testing.assert_allclose(
            np.swapaxes(Q, 1, 2) @ Q,
            np.broadcast_to(np.eye(Q.shape[-1]), (30, Q.shape[-1], Q.shape[-1])),
            atol=1e-13,
        )
        np.testing.assert_allclose((Q @ R) / scale, A / scale, atol=1e-13)
