"""Tests of m4ml.stats.pearson.pearsonr against scipy.stats.pearsonr."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.stats.pearson import pearsonr

ALTS = ("two-sided", "less", "greater")
RTOL = 1e-10


def assert_result(ours, ref):
    np.testing.assert_allclose(ours.statistic, ref.statistic, rtol=RTOL)
    np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=RTOL)


def assert_ci(ours, ref, level):
    a, b = ours.confidence_interval(level), ref.confidence_interval(level)
    np.testing.assert_allclose(a.low, b.low, rtol=RTOL)
    np.testing.assert_allclose(a.high, b.high, rtol=RTOL)


@pytest.mark.parametrize("alternative", ALTS)
@pytest.mark.parametrize("n", [3, 4, 10, 60])
def test_pearsonr(rng, alternative, n):
    x = rng.standard_normal(n)
    y = 0.5 * x + rng.standard_normal(n)
    ours, ref = pearsonr(x, y, alternative=alternative), ss.pearsonr(x, y, alternative=alternative)
    assert_result(ours, ref)
    assert ours.df == n - 2
    assert_ci(ours, ref, level=0.95)


def test_pearsonr_axis_and_two_points(rng):
    x, y = rng.standard_normal((8, 3)), rng.standard_normal((8, 3))
    ours, ref = pearsonr(x, y, axis=0), ss.pearsonr(x, y, axis=0)
    assert_result(ours, ref)
    r2 = pearsonr([1.0, 2.0], [3.0, 1.0])
    assert (r2.statistic, r2.pvalue) == (-1.0, 1.0)


def test_far_tail_pvalue(rng):
    x = rng.standard_normal(300)
    y = x + 0.1 * rng.standard_normal(300)
    ours, ref = pearsonr(x, y), ss.pearsonr(x, y)
    assert ref.pvalue < 1e-100
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-9)


def test_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        pearsonr([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        pearsonr([1.0, 1.0, 1.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="at least 2"):
        pearsonr([1.0], [2.0])
    with pytest.raises(ValueError, match="NaN"):
        pearsonr([1.0, np.nan, 3.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="alternative"):
        pearsonr([1.0, 2.0, 3.0], [1.0, 2.0, 4.0], alternative="up")


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.float64, 6, elements=st.floats(-100, 100)),
    arrays(np.float64, 6, elements=st.floats(-100, 100)),
    st.floats(0.1, 10),
    st.floats(-1e3, 1e3),
)
def test_invariant_to_affine_maps(x, y, scale, shift):
    if np.ptp(x) < 1e-2 or np.ptp(y) < 1e-2:
        return
    base = pearsonr(x, y)
    moved = pearsonr(scale * x + shift, y)
    flipped = pearsonr(-x, y)
    assert moved.statistic == pytest.approx(base.statistic, abs=1e-9)
    assert flipped.statistic == pytest.approx(-base.statistic, abs=1e-12)
    # near |r| = 1 the p-value is ~0 and its last bits follow the rounding of r
    assert flipped.pvalue == pytest.approx(base.pvalue, rel=1e-9, abs=1e-12)
