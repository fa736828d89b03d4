"""Tests of m4ml.stats.quantiles against numpy.quantile and scipy.stats.iqr."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.stats.quantiles import QUANTILE_METHODS, iqr, median, mode, quantile


@pytest.mark.parametrize("method", QUANTILE_METHODS)
@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10])
def test_quantile_matches_numpy_exactly(rng, method, n):
    x = rng.standard_normal((n, 3))
    x[-1, 0] = x[0, 0]  # a tie
    q = np.unique(np.concatenate([np.linspace(0, 1, 41), np.arange(2 * n + 1) / (2 * n)]))
    np.testing.assert_array_equal(
        quantile(x, q, axis=0, method=method), np.quantile(x, q, axis=0, method=method)
    )


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_quantile_axes_and_scalar_q(rng, axis):
    x = rng.standard_normal((5, 6))
    np.testing.assert_array_equal(quantile(x, 0.3, axis=axis), np.quantile(x, 0.3, axis=axis))
    np.testing.assert_array_equal(median(x, axis=axis), np.median(x, axis=axis))


def test_quantile_2d_q(rng):
    x = rng.standard_normal(11)
    q = np.array([[0.1, 0.2], [0.5, 0.9]])
    np.testing.assert_array_equal(quantile(x, q), np.quantile(x, q))


@pytest.mark.parametrize("method", ["linear", "hazen", "nearest", "weibull"])
def test_iqr_matches_scipy(rng, method):
    x = rng.exponential(size=(25, 3))
    np.testing.assert_allclose(
        iqr(x, axis=0, method=method),
        ss.iqr(x, axis=0, interpolation=method),
        rtol=1e-15,
    )


def test_median_even_and_odd():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5


@pytest.mark.parametrize("axis", [0, 1, None])
def test_mode_matches_scipy(rng, axis):
    x = rng.integers(0, 5, size=(20, 6)).astype(float)
    ours = mode(x, axis=axis)
    ref = ss.mode(x, axis=axis)
    np.testing.assert_array_equal(ours.mode, ref.mode)
    np.testing.assert_array_equal(ours.count, ref.count)


def test_mode_smallest_on_ties():
    m, c = mode([3.0, 3.0, 1.0, 1.0, 2.0])
    assert (m, c) == (1.0, 2.0)


def test_mode_bad_input():
    with pytest.raises(ValueError, match="empty"):
        mode([])
    with pytest.raises(ValueError, match="NaN"):
        mode([1.0, np.nan])


def test_bad_input():

    with pytest.raises(ValueError, match="empty"):
        quantile([], 0.5)
    with pytest.raises(ValueError, match=r"q must hold probabilities in \[0, 1\]"):
        quantile([1.0, 2.0], 1.5)
    with pytest.raises(ValueError, match="method must be one of"):
        quantile([1.0, 2.0], 0.5, method="cubic")
    with pytest.raises(ValueError, match="NaN"):
        median([1.0, np.nan])


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e3, 1e3)),
    st.floats(0, 1),
    st.floats(0, 1),
    st.sampled_from(QUANTILE_METHODS),
)
def test_quantile_monotone_and_bounded(x, q1, q2, method):
    lo, hi = sorted((q1, q2))
    a, b = quantile(x, lo, method=method), quantile(x, hi, method=method)
    assert x.min() <= a <= b <= x.max()
