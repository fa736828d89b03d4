"""Sobol and Halton sequences against scipy.stats.qmc."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import qmc

from m4ml.calculus.low_discrepancy import SOBOL_MAX_DIM, halton, sobol


@pytest.mark.parametrize("d", [1, 2, 3, 10, SOBOL_MAX_DIM])
def test_sobol_matches_scipy_unscrambled(d):
    np.testing.assert_array_equal(sobol(512, d), qmc.Sobol(d, scramble=False).random(512))


def test_sobol_skip_matches_fast_forward():
    ref = qmc.Sobol(12, scramble=False)
    ref.fast_forward(777)
    np.testing.assert_array_equal(sobol(33, 12, skip=777), ref.random(33))


@pytest.mark.parametrize("d", [1, 2, 7, 30])
def test_halton_matches_scipy_unscrambled(d):
    np.testing.assert_allclose(
        halton(300, d, skip=5), qmc.Halton(d, scramble=False).random(305)[5:], atol=1e-15
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10), st.integers(1, 8), st.integers(0, 2**31))
def test_scrambled_sobol_is_a_net(m, d, seed):
    # every coordinate of 2^m points puts exactly one point in each interval [k, k+1) / 2^m
    x = sobol(2**m, d, scramble=True, rng=seed)
    assert x.min() >= 0 and x.max() < 1
    cells = np.floor(x * 2**m).astype(int)
    for j in range(d):
        assert sorted(cells[:, j]) == list(range(2**m))


def test_scrambling_is_random_but_reproducible_and_low_discrepancy():
    a = halton(1024, 4, scramble=True, rng=3)
    b = halton(1024, 4, scramble=True, rng=3)
    c = halton(1024, 4, scramble=True, rng=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert 0 <= a.min() and a.max() < 1
    uniform = np.random.default_rng(0).random((1024, 4))
    for pts in (a, sobol(1024, 4, scramble=True, rng=1)):
        assert qmc.discrepancy(pts) < 0.2 * qmc.discrepancy(uniform)


def test_bad_input():
    with pytest.raises(ValueError, match=f"<= {SOBOL_MAX_DIM}"):
        sobol(8, SOBOL_MAX_DIM + 1)
    with pytest.raises(ValueError, match=">= 1"):
        halton(0, 2)
    with pytest.raises(TypeError, match="integer"):
        sobol(8.0, 2)
    with pytest.raises(ValueError, match=">= 0"):
        halton(4, 2, skip=-1)
    with pytest.raises(TypeError, match="rng"):
        sobol(4, 2, scramble=True, rng="seed")
