"""Wynn's epsilon algorithm: exact on geometric error terms, accelerates alternating series."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.calculus.extrapolation import EpsilonTable, wynn_epsilon


def _full_table(s):
    """Reference: the whole table, column by column; last entry of the highest even column."""
    prev, cur, best, k = np.zeros(len(s) + 1), np.array(s, float), s[-1], 0
    while len(cur) > 1:
        nxt = prev[1 : len(cur)] + 1.0 / np.diff(cur)
        prev, cur, k = cur, nxt, k + 1
        if k % 2 == 0:
            best = cur[-1]
    return best


@settings(max_examples=25, deadline=None)
@given(
    st.floats(-5, 5),
    st.floats(0.5, 3),
    st.floats(0.05, 0.9),
    st.floats(0.5, 3),
    st.floats(-0.9, -0.05),
)
def test_exact_for_two_geometric_terms(limit, c1, r1, c2, r2):
    # S_n = S + c1 r1^n + c2 r2^n: the column epsilon_4 is exact (Shanks e_2)
    s = [limit + c1 * r1**n + c2 * r2**n for n in range(7)]
    if abs(r1 + r2) < 0.05:  # nearly cancelling terms make the table ill-conditioned
        return
    assert wynn_epsilon(s) == pytest.approx(limit, abs=1e-6 * (1 + abs(limit)))


def test_incremental_table_matches_full_table():
    s = [sum((-1) ** k / (k + 1) ** 1.5 for k in range(n)) for n in range(1, 12)]
    table = EpsilonTable()
    for n, value in enumerate(s, start=1):
        estimate = table.append(value)
        if n < 3:
            assert estimate is None
        else:
            assert estimate == pytest.approx(_full_table(s[:n]), rel=1e-12)


def test_leibniz_series_for_pi():
    partial = [sum((-1) ** k / (2 * k + 1) for k in range(n)) for n in range(1, 14)]
    assert abs(4 * partial[-1] - math.pi) > 0.05
    assert 4 * wynn_epsilon(partial) == pytest.approx(math.pi, abs=1e-8)


def test_short_and_converged_sequences():
    assert wynn_epsilon([1.0, 2.0]) is None
    assert wynn_epsilon([3.0, 3.0, 3.0, 3.0]) == 3.0
    assert wynn_epsilon([1.0, 1.5, 1.75, 1.875, 1.9375], max_terms=3) == pytest.approx(2.0)


def test_two_geometric_terms_with_equal_neighbours():
    # S_j = 0.375 + 0.5 (-0.5)^j + 2 (0.25)^j has S_1 == S_2: the rhombus rule divides by
    # their zero difference; Shanks' e_2 is still exactly 0.375 (regression: was 0.4)
    terms = [0.375 + 0.5 * (-0.5) ** j + 2.0 * 0.25**j for j in range(5)]
    assert terms[1] == terms[2]
    assert wynn_epsilon(terms) == pytest.approx(0.375, abs=1e-14)


def test_every_two_term_geometric_sequence_is_summed_exactly():
    rng = np.random.default_rng(7)
    ratios = [-0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75]
    coefficients = [-1.0, 0.0, 0.5, 1.0, 2.0]
    for _ in range(3000):
        l1, l2 = rng.choice(ratios, 2)
        c1, c2 = rng.choice(coefficients, 2)
        n = int(rng.integers(5, 12))
        terms = [0.375 + c1 * l1**j + c2 * l2**j for j in range(n)]
        assert wynn_epsilon(terms) == pytest.approx(0.375, abs=1e-9), (l1, l2, c1, c2, n)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_terms_are_rejected(bad):
    with pytest.raises(ValueError, match="finite"):
        wynn_epsilon([1.0, 0.5, bad, 0.25])


def test_a_converged_column_is_not_extrapolated_from_its_rounding_noise():
    # found by the explore profile (seed 22): e_2 is exact, its entries agree to ~20 ulp, and
    # the next column was built from their rounding differences (-5.62 instead of -4.81)
    limit, c, r1, r2 = -4.8104642524397585, 1.5839623437238879, 0.8439835433088005, -1 / 3
    terms = [limit + c * r1**n + c * r2**n for n in range(7)]
    assert wynn_epsilon(terms) == pytest.approx(limit, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
    exponent=st.integers(-150, 150),
    singular=st.booleans(),
)
def test_small_determinant_agrees_with_linalg_det(n, seed, exponent, singular):
    # Shanks' Hankel determinants of order <= 4 use a Python-float elimination (quad meets them
    # about twice per integral; m4ml.linalg.det's checks cost several bisection steps there)
    from m4ml.calculus.extrapolation import _det_small
    from m4ml.linalg import det

    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n)) * 10.0**exponent
    if singular and n > 1:
        A[-1] = A[0] * 3.0  # exact: a row times a power of two plus itself
    ref = float(det(A))
    assert math.isclose(_det_small(A.tolist()), ref, rel_tol=1e-12, abs_tol=0.0) or (
        singular and abs(_det_small(A.tolist())) <= 1e-12 * np.abs(A).max() ** n
    )


def test_small_determinant_needs_pivoting_and_overflows_to_inf():
    from m4ml.calculus.extrapolation import _det_small

    assert _det_small([[0.0, 1.0], [1.0, 0.0]]) == -1.0  # a zero first pivot
    assert _det_small([[1e-20, 1.0], [1.0, 1.0]]) == pytest.approx(-1.0, rel=1e-15)
    assert _det_small([[1e200, 0.0], [0.0, 1e200]]) == math.inf
    assert _det_small([[0.0, 0.0], [0.0, 1.0]]) == 0.0
