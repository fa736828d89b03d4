"""LU, Cholesky and QR on matrices mixing O(1) entries with entries from 1e-160 to 1e150.

Issue 9: a factorization that squares or multiplies without scaling silently loses accuracy
when some entries are tiny (squares in the subnormal range) or huge (squares overflow). The
normwise backward error and the orthogonality of Q must stay at the 1e-12 bars throughout.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.linalg import cholesky, lu, qr, solve

_SCALED = st.builds(
    lambda sign, exponent, mantissa: sign * mantissa * 10.0**exponent,
    st.sampled_from([-1.0, 1.0]),
    st.integers(-160, 150),
    st.floats(1.0, 9.99),
)
_ENTRY = st.one_of(st.floats(-10.0, 10.0), _SCALED, st.just(0.0))


def _matrices(min_side=1, max_side=7, square=False):
    shapes = st.integers(min_side, max_side).flatmap(
        lambda m: st.just((m, m)) if square else st.tuples(st.just(m), st.integers(1, max_side))
    )
    return shapes.flatmap(lambda s: arrays(np.float64, s, elements=_ENTRY))


def _fro(x):
    """Frobenius norm without overflow or underflow (scaled by the largest entry)."""
    s = np.abs(x).max(initial=0.0)
    return 0.0 if s == 0 else s * np.sqrt(((x / s) ** 2).sum())


@settings(max_examples=60, deadline=None)
@given(_matrices())
def test_lu_backward_error(A):
    P, L, U = lu(A)
    assert np.abs(L).max() <= 1.0
    assert _fro(P @ L @ U - A) <= 1e-12 * _fro(A)


@settings(max_examples=60, deadline=None)
@given(_matrices())
def test_qr_backward_error_and_orthogonality(A):
    Q, R = qr(A)
    k = min(A.shape)
    assert _fro(Q.T @ Q - np.eye(k)) <= 1e-12
    assert _fro(Q @ R - A) <= 1e-12 * _fro(A)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-80, 75), min_size=n, max_size=n),
            st.integers(0, 2**32 - 1),
        )
    )
)
def test_cholesky_of_diagonally_scaled_spd(args):
    """A = D M D with M well conditioned and d_i = 10^e_i, e_i in [-80, 75]: entries of A
    range over 1e-160 ... 1e150 (and their products in the factorization do not overflow)."""
    exponents, seed = args
    n = len(exponents)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n + 3, n))
    M = X.T @ X + n * np.eye(n)
    d = 10.0 ** np.array(exponents, dtype=float)
    A = d[:, None] * M * d[None, :]
    L = cholesky(A)
    assert _fro(L @ L.T - A) <= 1e-12 * _fro(A)
    # and relative to each entry's own scale where it is a normal number: D^-1 L = chol(M)
    ok = np.abs(d) > 1e-150
    Ls = L[ok] / d[ok, None]
    np.testing.assert_allclose(Ls, np.linalg.cholesky(M)[ok], rtol=1e-10, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(-150, 140), st.integers(0, 2**32 - 1))
def test_solve_is_scale_invariant(n, exponent, seed):
    """solve(c A, c b) = solve(A, b) for c = 10^e: the scaling does not reach the answer."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) + n * np.eye(n)
    b = rng.standard_normal(n)
    c = 10.0**exponent
    np.testing.assert_allclose(solve(c * A, c * b), solve(A, b), rtol=1e-12, atol=1e-13)
