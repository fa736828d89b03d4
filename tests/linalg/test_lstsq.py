"""Tests for m4ml.linalg.lstsq (equilibrated, column-pivoted Householder least squares)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.lstsq import lstsq
from tests.helpers import SIZES, hilbert, well_conditioned


def rel(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300)


@pytest.mark.parametrize("n", SIZES)
def test_overdetermined_against_numpy(n, rng):
    A = well_conditioned(n, rng, m=n + 7)
    b = rng.standard_normal(n + 7)
    x, res, rank, _ = lstsq(A, b)
    xn, resn, rankn, _ = np.linalg.lstsq(A, b, rcond=None)
    assert x.shape == (n,) and res.shape == (1,)
    assert rank == rankn == n
    assert rel(x, xn) <= 1e-10
    np.testing.assert_allclose(res, resn, rtol=1e-10)
    # the residual is orthogonal to the columns (normal equations), to rounding
    assert np.linalg.norm(A.T @ (b - A @ x)) <= 1e-12 * np.linalg.norm(A) * np.linalg.norm(b)


@pytest.mark.parametrize("n", SIZES)
def test_square_and_multiple_rhs(n, rng):
    A = well_conditioned(n, rng)
    B = rng.standard_normal((n, 3))
    x, res, rank, _ = lstsq(A, B)
    assert x.shape == (n, 3) and res.shape == (0,) and rank == n
    assert rel(x, np.linalg.solve(A, B)) <= 1e-10


@pytest.mark.parametrize("n", SIZES)
def test_singular_values_from_svdvals(n, rng):
    A = well_conditioned(n, rng, m=n + 2)
    s = lstsq(A, np.ones(n + 2))[3]
    np.testing.assert_allclose(s, np.linalg.svd(A, compute_uv=False), rtol=1e-10)


@pytest.mark.parametrize("m,n", [(1, 3), (3, 10), (40, 100)])
def test_underdetermined_minimum_norm(m, n, rng):
    A = well_conditioned(n, rng, m=m)
    b = rng.standard_normal((m, 2))
    x, res, rank, _ = lstsq(A, b)
    xn = np.linalg.lstsq(A, b, rcond=None)[0]
    assert rank == m and res.shape == (0,)
    assert rel(x, xn) <= 1e-10
    assert np.linalg.norm(A @ x - b) <= 1e-12 * np.linalg.norm(b) * 10


@pytest.mark.parametrize("m,n,r", [(30, 10, 4), (10, 10, 7), (8, 20, 3), (50, 5, 1)])
def test_rank_deficient_matches_numpy_minimum_norm(m, n, r, rng):
    A = well_conditioned(r, rng, m=m) @ well_conditioned(n, rng, m=r)
    b = rng.standard_normal(m)
    x, res, rank, _ = lstsq(A, b)
    xn, _, rankn, _ = np.linalg.lstsq(A, b, rcond=None)
    assert rank == rankn == r
    assert res.shape == (0,)
    assert rel(x, xn) <= 1e-9


def test_zero_column_gets_zero_and_matches_numpy(rng):
    A = rng.standard_normal((12, 4))
    A[:, 2] = 0.0
    b = rng.standard_normal(12)
    x, _, rank, _ = lstsq(A, b)
    xn = np.linalg.lstsq(A, b, rcond=None)[0]
    assert rank == 3 and x[2] == 0.0
    assert rel(x, xn) <= 1e-12


def test_zero_matrix_and_zero_rhs():
    x, res, rank, _ = lstsq(np.zeros((4, 3)), np.ones(4))
    assert rank == 0 and res.shape == (0,)
    np.testing.assert_array_equal(x, np.zeros(3))
    x, res, rank, _ = lstsq(np.eye(3)[:, :2] * 5, np.zeros(3))
    np.testing.assert_array_equal(x, np.zeros(2))
    np.testing.assert_array_equal(res, [0.0])


def test_badly_scaled_columns_are_equilibrated(rng):
    """Columns scaled by 1e-9 .. 1e9: equilibration recovers x to full relative accuracy."""
    A0 = well_conditioned(6, rng, m=30)
    scales = 10.0 ** np.array([-9, -5, 0, 3, 6, 9])
    A = A0 / scales
    x_true = rng.standard_normal(6) * scales
    b = A @ x_true
    x, _, rank, _ = lstsq(A, b)
    assert rank == 6
    np.testing.assert_allclose(x, x_true, rtol=1e-12)


@pytest.mark.parametrize("n", range(8, 13))
def test_hilbert_consistent_system(n):
    H = hilbert(n)
    x_true = np.ones(n)
    b = H @ x_true
    x, _, rank, _ = lstsq(H, b)
    assert np.linalg.norm(H @ x - b) <= 1e-14 * np.linalg.norm(b) * n
    if n <= 10:  # kappa <= 1.6e13: still full rank and a few digits of x are right
        assert rank == n
        assert rel(x, x_true) <= 1e-2


def test_one_by_one_and_diagonal():
    x, res, rank, _ = lstsq([[4.0]], [2.0])
    assert x.tolist() == [0.5] and rank == 1 and res.shape == (0,)
    D = np.diag([2.0, -4.0, 0.5, 0.0])
    x, _, rank, _ = lstsq(D, [1.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(x, [0.5, -0.25, 2.0, 0.0], rtol=1e-15)
    assert rank == 3


def test_triangular(rng):
    U = np.triu(rng.uniform(1.0, 2.0, (6, 6)))
    b = rng.standard_normal(6)
    x = lstsq(U, b)[0]
    assert rel(x, np.linalg.solve(U, b)) <= 1e-12


def test_rtol_controls_rank(rng):
    A = well_conditioned(5, rng, m=20)
    A[:, 4] = A[:, 3] + 1e-9 * rng.standard_normal(20)
    b = rng.standard_normal(20)
    assert lstsq(A, b)[2] == 5
    x, res, rank, _ = lstsq(A, b, rtol=1e-6)
    assert rank == 4 and res.shape == (0,)
    xn = np.linalg.lstsq(A, b, rcond=1e-6)[0]
    assert rel(x, xn) <= 1e-6  # both are minimum-norm solutions of rank-4 truncations
    assert lstsq(A, b, rtol=0)[2] == 5


@pytest.mark.parametrize(
    "shape_a,shape_b",
    [((0, 3), (0,)), ((3, 0), (3,)), ((3, 0), (3, 2)), ((0, 0), (0,)), ((3, 2), (3, 0))],
)
def test_empty_like_numpy(shape_a, shape_b):
    A, b = np.ones(shape_a), np.ones(shape_b)
    ours, ref = lstsq(A, b), np.linalg.lstsq(A, b, rcond=None)
    for o, r in zip(ours[:3], ref[:3], strict=True):
        np.testing.assert_array_equal(o, r)
    assert ours[3].shape == ref[3].shape
    np.testing.assert_allclose(ours[3], ref[3], rtol=1e-14, atol=1e-14)


def test_input_not_modified(rng):
    A, b = rng.standard_normal((8, 3)), rng.standard_normal(8)
    A0, b0 = A.copy(), b.copy()
    lstsq(A, b)
    np.testing.assert_array_equal(A, A0)
    np.testing.assert_array_equal(b, b0)


def test_bad_input(rng):
    A, b = rng.standard_normal((4, 2)), rng.standard_normal(4)
    with pytest.raises(ValueError, match="NaN or inf"):
        lstsq(np.where(A > 0, np.nan, A), b)
    with pytest.raises(ValueError, match="NaN or inf"):
        lstsq(A, np.full(4, np.inf))
    with pytest.raises(TypeError, match="complex"):
        lstsq(A * 1j, b)
    with pytest.raises(LinAlgError, match="at least 2-D"):
        lstsq(b, b)
    with pytest.raises(LinAlgError, match="2-D matrix"):
        lstsq(np.ones((2, 4, 2)), b)
    with pytest.raises(LinAlgError, match="incompatible shapes"):
        lstsq(A, np.ones(3))
    with pytest.raises(ValueError, match="at most 2 dimension"):
        lstsq(A, np.ones((4, 1, 1)))
    with pytest.raises(ValueError, match="rtol must be a finite number"):
        lstsq(A, b, rtol=-1.0)
    with pytest.raises(TypeError, match="rtol must be a real number"):
        lstsq(A, b, rtol="auto")
    with pytest.raises(LinAlgError, match="overflows"):
        lstsq([[5e-324], [5e-324]], [1.0, 1.0])


# entries in [-100, 100], tiny ones flushed to zero (exact zeros make rank-deficient cases;
# a 1e-300 entry would make x overflow in the test's own norms)
entries = st.floats(-100, 100).map(lambda v: v if abs(v) > 1e-6 else 0.0)
problems = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda s: st.tuples(
        arrays(np.float64, s, elements=entries), arrays(np.float64, s[0], elements=entries)
    )
)


@settings(max_examples=25, deadline=None)
@given(problems)
def test_property_least_squares_optimality(problem):
    """Residual no worse than numpy's, up to rounding in evaluating A x.

    (The rank is that of the column-scaled matrix, so a tiny but independent column counts and
    x may be huge; the tolerance scales with ||A|| ||x||, the rounding error of A @ x.)
    """
    A, b = problem
    x, _, rank, _ = lstsq(A, b)
    xn = np.linalg.lstsq(A, b, rcond=None)[0]
    size = max(np.linalg.norm(xn), np.linalg.norm(x), 1.0)
    scale = np.linalg.norm(A) * size + np.linalg.norm(b) + 1.0
    assert np.linalg.norm(A @ x - b) <= np.linalg.norm(A @ xn - b) + 1e-8 * scale
    assert 0 <= rank <= min(A.shape)
    if rank == A.shape[1]:
        assert np.linalg.norm(A.T @ (A @ x - b)) <= 1e-8 * scale * max(np.linalg.norm(A), 1.0)


def test_multiple_rhs_equal_single_solves(rng):
    A = well_conditioned(6, rng, m=25) * 10.0 ** np.arange(6)
    B = rng.standard_normal((25, 3))
    X, res, _, _ = lstsq(A, B)
    for j in range(3):
        x, r, _, _ = lstsq(A, B[:, j])
        np.testing.assert_allclose(X[:, j], x, rtol=1e-14)
        np.testing.assert_allclose(res[j : j + 1], r, rtol=1e-14)


def test_doubled_precision_residual_is_exact_to_rounding(rng):
    from fractions import Fraction

    from m4ml.linalg.refine import _Doubled

    A = rng.standard_normal((7, 5))
    z = rng.standard_normal(5)
    b = A @ z  # the exact residual b - A z is tiny: plain float64 gets it wrong
    r = rng.standard_normal(7) * 1e-17
    D = _Doubled(A)
    f, g = D.residual(z, b, r), D.gradient(r)
    for i in range(7):
        exact = (
            Fraction(b[i])
            - Fraction(r[i])
            - sum(Fraction(A[i, j]) * Fraction(z[j]) for j in range(5))
        )
        assert abs(Fraction(f[i]) - exact) <= abs(exact) * Fraction(2.3e-16) + Fraction(1e-30)
    for j in range(5):
        exact = -sum(Fraction(A[i, j]) * Fraction(r[i]) for i in range(7))
        assert abs(Fraction(g[j]) - exact) <= abs(exact) * Fraction(2.3e-16) + Fraction(1e-45)


def test_refinement_recovers_large_residual_solution():
    """Polynomial fit with a residual 1e6 times the fitted values (Wampler-like, exact data)."""
    t = np.arange(21.0)
    A = t[:, None] ** np.arange(6)  # exact integers
    x_true = np.ones(6)
    # an integer residual vector orthogonal to the columns of A: 6th differences kill degree<=5
    w = np.zeros(21)
    w[:7] = [1, -6, 15, -20, 15, -6, 1]
    noise = np.zeros(21)
    for shift in range(0, 14, 7):
        noise += np.roll(w, shift)
    b = A @ x_true + 1e12 * noise  # exactly representable (integers < 2**53)
    assert np.all(A.T @ noise == 0)
    x = lstsq(A, b)[0]
    np.testing.assert_allclose(x, x_true, rtol=1e-13)


def test_rcond_has_numpys_meaning(rng):
    """rcond=None is the default cut-off, rcond=-1 is eps, a value is rtol (issue 11)."""
    A = rng.standard_normal((8, 5))
    A[:, 4] = A[:, 3] + 1e-12 * rng.standard_normal(8)  # nearly dependent: rank 4 or 5
    b = rng.standard_normal(8)
    assert lstsq(A, b, rcond=None)[2] == lstsq(A, b)[2] == 5
    assert lstsq(A, b, rcond=1e-6)[2] == lstsq(A, b, rtol=1e-6)[2] == 4
    assert lstsq(A, b, -1)[2] == 5  # eps: the 1e-12 direction is kept
    np.testing.assert_allclose(lstsq(A, b, -1)[0], lstsq(A, b, rtol=np.finfo(float).eps)[0])
    with pytest.raises(ValueError, match="not both"):
        lstsq(A, b, rcond=1e-6, rtol=1e-6)
    with pytest.raises(TypeError, match="rcond must be a real number"):
        lstsq(A, b, rcond="warn")


def test_float32_in_float32_out(rng):
    A = rng.standard_normal((20, 4)).astype(np.float32)
    b = rng.standard_normal(20).astype(np.float32)
    x, res, _, s = lstsq(A, b)
    xn, resn, _, sn = np.linalg.lstsq(A, b, rcond=None)
    assert x.dtype == res.dtype == s.dtype == np.float32 == xn.dtype == sn.dtype == resn.dtype
    np.testing.assert_allclose(x, xn, rtol=1e-4, atol=1e-5)
    assert lstsq(A, b.astype(np.float64))[0].dtype == np.float64  # mixed: float64, as NumPy
    assert lstsq(A.astype(np.int32), b.astype(np.int32))[0].dtype == np.float64


class _Tagged(np.ndarray):
    """A minimal ndarray subclass (np.matrix would raise a PendingDeprecationWarning)."""


def test_ndarray_subclass_of_b_is_kept():
    A = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    b = np.array([1.0, 2.0, 2.0]).view(_Tagged)
    x = lstsq(A, b)[0]
    xn = np.linalg.lstsq(A, b, rcond=None)[0]
    assert type(x) is type(xn) is _Tagged
    np.testing.assert_allclose(x, xn, rtol=1e-13)


def test_warns_when_full_rank_factor_is_numerically_singular():
    """Forcing full rank (rtol=0) on an ill-conditioned problem must not be silent."""
    from m4ml.linalg import LinAlgWarning

    t = np.linspace(0.0, 1.0, 40)
    A = np.vander(t, 25, increasing=True)  # kappa of the scaled matrix ~ 1e17
    with pytest.warns(LinAlgWarning, match="least-squares"):
        lstsq(A, np.ones(40), rtol=0.0)


def test_well_conditioned_tall_problem_skips_pivoting_and_matches_numpy(rng):
    A = rng.standard_normal((300, 30))
    B = rng.standard_normal((300, 3))
    x, res, rank, s = lstsq(A, B)
    xn, resn, rankn, sn = np.linalg.lstsq(A, B, rcond=None)
    assert rank == rankn == 30
    np.testing.assert_allclose(x, xn, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res, resn, rtol=1e-12)
    np.testing.assert_allclose(s, sn, rtol=1e-12)
