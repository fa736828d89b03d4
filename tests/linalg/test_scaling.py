"""Badly scaled input for the SVD, bidiagonalization, eigh and pinv (issue 9).

Matrices mix O(1) entries with entries, rows and columns scaled anywhere in 1e-160 ... 1e150, so
that squares of entries fall into the subnormal range or overflow unless every Householder
reflector, Givens rotation and norm is scaled (as LAPACK's dlarfg/dnrm2/dlartg are). Each
factorization must keep a backward error and a loss of orthogonality below 1e-12. Norms are
measured with scaling here too (``tests.linalg._scaled.nrm``), so the test itself does not
underflow. The nonsymmetric eigenproblem (hessenberg, schur, eig) is in test_scaling_eig.py.
"""

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given, settings

from m4ml._core import LinAlgError
from m4ml.linalg import eigh, pinv, svd
from m4ml.linalg.bidiagonal import bidiagonalize
from tests.linalg._scaled import BAR, mixed_matrices, orth, rel


@settings(max_examples=60, deadline=None)
@given(mixed_matrices())
def test_svd_and_bidiagonalize_badly_scaled(a):
    U, S, Vh = svd(a, full_matrices=False)
    assert rel((U * S) @ Vh - a, a) <= BAR
    assert orth(U) <= BAR and orth(Vh.T) <= BAR
    assert np.all(np.diff(S) <= 0) and np.all(S >= 0)
    np.testing.assert_allclose(S, np.linalg.svd(a, compute_uv=False), rtol=0, atol=1e-13 * S[0])
    t = a if a.shape[0] >= a.shape[1] else a.T
    d, e, Q, P = bidiagonalize(t)
    B = np.diag(d) + np.diag(e, 1)
    assert rel(Q @ B @ P.T - t, t) <= BAR
    assert orth(Q) <= BAR and orth(P) <= BAR


@settings(max_examples=60, deadline=None)
@given(mixed_matrices(symmetric=True))
def test_eigh_badly_scaled(a):
    w, V = eigh(a)
    assert rel(a @ V - V * w, a) <= BAR
    assert orth(V) <= BAR
    np.testing.assert_allclose(w, _bisection_eigvalsh(a), rtol=0, atol=1e-13 * np.abs(w).max())


def _bisection_eigvalsh(a):
    """Reference eigenvalues: LAPACK's reduction (dsytrd) and bisection (dstebz).

    The most robust LAPACK route on this strategy: numpy.linalg.eigvalsh (dsterf) lost 5.6e-4
    of the norm on one matrix (tests/linalg/test_explore_findings.py) and numpy.linalg.eigh
    (dsyevd) did not converge on another (EIGH_LAPACK_FAILS below).
    """
    k = np.frexp(np.abs(a).max())[1]  # on a scaled to unit size (exact), undone after
    _, d, e, _, info = scipy.linalg.lapack.dsytrd(np.ldexp(a, -k), lower=1)
    assert info == 0
    return np.ldexp(scipy.linalg.eigvalsh_tridiagonal(d, e, lapack_driver="stebz"), k)


# explore seeds 202 and 203: numpy.linalg.eigh raises "Eigenvalues did not converge" (dsyevd)
EIGH_LAPACK_FAILS = [
    [
        -6.57961314e-161,
        -1.44712549e-160,
        7.71297978e149,
        -7.91790968e-161,
        1.04686784e-155,
        7.28540366e-101,
    ],
    [
        -1.44712549e-160,
        -7.21124233e-161,
        -2.18543308e149,
        2.26688532e-160,
        1.03185859e-155,
        -1.84466467e-101,
    ],
    [
        7.71297978e149,
        -2.18543308e149,
        6.42226110e149,
        -4.41120975e-161,
        -2.02733732e-156,
        4.86189904e-102,
    ],
    [
        -7.91790968e-161,
        2.26688532e-160,
        -4.41120975e-161,
        1.83913272e-160,
        -1.37967905e-155,
        1.44035737e-100,
    ],
    [
        1.04686784e-155,
        1.03185859e-155,
        -2.02733732e-156,
        -1.37967905e-155,
        -7.51685360e-157,
        7.21790141e-101,
    ],
    [
        7.28540366e-101,
        -1.84466467e-101,
        4.86189904e-102,
        1.44035737e-100,
        7.21790141e-101,
        2.40418185e-101,
    ],
]

EIGH_LAPACK_FAILS_203 = [
    [
        -6.19921749e-161,
        -4.70787059e-101,
        -7.15510407e-161,
        6.92325098e-102,
        1.88980021e149,
        -3.58947885e-101,
    ],
    [
        -4.70787059e-101,
        -1.18527185e-100,
        1.76060746e-160,
        -1.25728404e-100,
        9.84836467e148,
        3.56354936e-101,
    ],
    [
        -7.15510407e-161,
        1.76060746e-160,
        -1.05142204e-160,
        1.34679387e-100,
        -3.47019661e147,
        -2.06874406e-100,
    ],
    [
        6.92325098e-102,
        -1.25728404e-100,
        1.34679387e-100,
        -9.09029377e-101,
        -1.15151178e149,
        4.52453199e-101,
    ],
    [
        1.88980021e149,
        9.84836467e148,
        -3.47019661e147,
        -1.15151178e149,
        6.52447556e149,
        -3.03321704e-101,
    ],
    [
        -3.58947885e-101,
        3.56354936e-101,
        -2.06874406e-100,
        4.52453199e-101,
        -3.03321704e-101,
        -3.46379604e-101,
    ],
]


@pytest.mark.parametrize("a", [EIGH_LAPACK_FAILS, EIGH_LAPACK_FAILS_203], ids=["202", "203"])
def test_eigh_where_lapack_does_not_converge(a):
    a = np.array(a)
    w, V = eigh(a)
    assert rel(a @ V - V * w, a) <= 1e-15 * 6 and orth(V) <= 1e-15 * 6
    np.testing.assert_allclose(w, _bisection_eigvalsh(a), rtol=0, atol=1e-14 * np.abs(w).max())
    # the extreme eigenvalues to the last bits: those of the matrix without its entries below
    # 1e-90 (Weyl: dropping them moves every eigenvalue by less than 1e-89)
    big = np.where(np.abs(a) >= 1e-90, a, 0.0)
    np.testing.assert_allclose(w[[0, -1]], _bisection_eigvalsh(big)[[0, -1]], rtol=1e-15)


@settings(max_examples=60, deadline=None)
@given(mixed_matrices())
def test_pinv_badly_scaled(a):
    try:
        X = pinv(a, rtol=None)
    except LinAlgError as exc:  # only when the pseudo-inverse is not representable
        assert "overflows" in str(exc)
        return
    s = np.linalg.svd(a, compute_uv=False)
    keep = s > max(a.shape) * np.finfo(float).eps * s[0]
    kappa = s[0] / s[keep][-1]
    assert rel(a @ X @ a - a, a) <= BAR * kappa
    assert rel(X @ a @ X - X, X) <= BAR * kappa


# -- regressions ------------------------------------------------------------------------------


@pytest.mark.parametrize("t", [1e-159, 1e-160, 1e-170, 3e-155])
def test_svd_tiny_column_regression(t):
    # sqrt(alpha^2 + sigma) unscaled gave sigma_1 = 0.99999986 and ||U^T U - I|| = 3e-7
    a = np.array([[t, 1.0], [t, t]])
    U, S, Vh = svd(a)
    ref = np.linalg.svd(a, compute_uv=False)
    # sigma_1 to the last bits; sigma_2 ~ t only to absolute accuracy eps * sigma_1 (the
    # bidiagonal leaves are not solved to high relative accuracy; LAPACK's dbdsdc is)
    np.testing.assert_allclose(S[0], ref[0], rtol=1e-15)
    np.testing.assert_allclose(S, ref, rtol=0, atol=1e-15)
    assert orth(U) <= 1e-15 * 4 and orth(Vh.T) <= 1e-15 * 4
    assert rel((U * S) @ Vh - a, a) <= 1e-15 * 4


def test_pinv_subnormal_raises_clearly():
    with pytest.raises(LinAlgError, match="overflows float64"):
        pinv(np.array([[2.2e-311]]))
    # a normal-range tiny value is fine
    np.testing.assert_allclose(pinv(np.array([[1e-300]])), [[1e300]], rtol=1e-15)


@pytest.mark.parametrize(
    ("bad", "exc", "match"),
    [
        (np.ones((2, 3)), ValueError, "tall"),
        (np.ones(3), LinAlgError, "2-D"),
        (np.ones((2, 2, 2)), LinAlgError, "single 2-D"),
        ([[1.0, np.nan], [0.0, 1.0]], ValueError, "NaN"),
        ([[1j, 0], [0, 1]], TypeError, "complex"),
        ([["a"]], TypeError, "real numbers"),
    ],
)
def test_bidiagonalize_validates(bad, exc, match):
    with pytest.raises(exc, match=match):
        bidiagonalize(bad)
