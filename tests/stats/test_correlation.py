"""Tests of m4ml.stats.correlation against numpy.cov/corrcoef and scipy.stats."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.stats.correlation import corrcoef, cov, rankdata, spearman


@pytest.mark.parametrize("rowvar", [True, False])
@pytest.mark.parametrize("ddof", [0, 1, 2])
def test_cov_matches_numpy(rng, rowvar, ddof):
    x = rng.standard_normal((4, 9)) + 100.0
    x = x if rowvar else x.T
    np.testing.assert_allclose(
        cov(x, rowvar=rowvar, ddof=ddof), np.cov(x, rowvar=rowvar, ddof=ddof), rtol=1e-10
    )


def test_cov_with_y_and_single_variable(rng):
    x, y = rng.standard_normal(10), rng.standard_normal(10)
    np.testing.assert_allclose(cov(x, y), np.cov(x, y), rtol=1e-12)
    c = cov(x)
    assert np.ndim(c) == 0
    assert c == pytest.approx(np.var(x, ddof=1), rel=1e-13)


def test_corrcoef_matches_numpy(rng):
    x = rng.standard_normal((3, 20))
    x[1] += 2 * x[0]
    np.testing.assert_allclose(corrcoef(x), np.corrcoef(x), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(corrcoef(x.T, rowvar=False), np.corrcoef(x), rtol=1e-13, atol=1e-15)


def test_corrcoef_large_offset_keeps_digits():
    t = np.arange(10.0)
    x, y = 1e9 + t, 1e9 - 0.5 * t
    np.testing.assert_allclose(corrcoef(x, y), [[1.0, -1.0], [-1.0, 1.0]], atol=1e-12)


def test_rankdata_matches_scipy(rng):
    a = rng.integers(0, 6, size=(4, 15)).astype(float)
    np.testing.assert_array_equal(rankdata(a, axis=-1), ss.rankdata(a, axis=-1))
    np.testing.assert_array_equal(rankdata(a, axis=0), ss.rankdata(a, axis=0))


def test_spearman_matches_scipy(rng):
    x = rng.integers(0, 8, size=30).astype(float)
    y = x + rng.integers(0, 4, size=30)
    assert spearman(x, y) == pytest.approx(ss.spearmanr(x, y).statistic, rel=1e-13)
    m = rng.standard_normal((25, 4))
    np.testing.assert_allclose(spearman(m), ss.spearmanr(m).statistic, rtol=1e-13)
    np.testing.assert_allclose(spearman(m.T, axis=1), ss.spearmanr(m).statistic, rtol=1e-13)


def test_bad_input():
    with pytest.raises(ValueError, match="same number of observations"):
        cov([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        corrcoef([1.0, 2.0, 3.0], [5.0, 5.0, 5.0])
    with pytest.raises(ValueError, match="NaN"):
        cov([1.0, np.nan, 3.0])
    with pytest.raises(ValueError, match="no observations"):
        cov(np.ones((2, 0)))
    with pytest.raises(ValueError, match="ddof"):
        cov([1.0, 2.0], ddof=2)
    with pytest.raises(ValueError, match="same number of observations"):
        spearman([1.0, 2.0, 3.0], [1.0, 2.0])


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, (2, 8), elements=st.floats(-100, 100)))
def test_corrcoef_bounded_symmetric(x):
    if np.ptp(x, axis=1).min() < 1e-3:
        return
    r = corrcoef(x)
    assert np.all(np.abs(r) <= 1.0)
    assert r[0, 1] == r[1, 0]
    assert spearman(x[0], x[1]) == pytest.approx(spearman(x[1], x[0]), abs=1e-12)
