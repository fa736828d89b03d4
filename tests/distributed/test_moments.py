import numpy as np
import pytest

pytest.importorskip("dask")

from m4ml import distributed as md
from m4ml import stats
from tests.distributed.conftest import chunked

REL = 1e-12


@pytest.mark.parametrize(("ours", "ref"), [(md.mean, stats.mean), (md.var, stats.var)])
@pytest.mark.parametrize("axis", [0, None])
def test_location_and_spread_match_stats(data, ours, ref, axis):
    X, _ = data
    got = ours(chunked(X), axis=axis)
    np.testing.assert_allclose(got, ref(X, axis=axis), rtol=REL, atol=0)
    assert isinstance(got, float if axis is None else np.ndarray)


@pytest.mark.parametrize("ddof", [0, 1])
def test_std_matches_stats(data, ddof):
    X, _ = data
    np.testing.assert_allclose(
        md.std(chunked(X), axis=0, ddof=ddof), stats.std(X, axis=0, ddof=ddof), rtol=REL
    )


def test_one_dimensional_input(data):
    x = data[0][:, 1]
    assert md.mean(chunked(x)) == pytest.approx(stats.mean(x), rel=REL)
    assert md.var(chunked(x), ddof=1) == pytest.approx(stats.var(x, ddof=1), rel=REL)


def test_large_offset_keeps_its_digits():
    # NIST NumAcc4-like: 1e7 + 0.1k; the one-pass formula loses every digit here
    x = 1e7 + 0.1 * np.tile([1.0, 2.0, 3.0], 400)
    assert md.var(chunked(x, (1, 0, 599, 600)), ddof=1) == pytest.approx(
        stats.var(x, ddof=1), rel=1e-9
    )


def _scaled(c):
    s = np.sqrt(np.diag(c))
    return c / np.outer(s, s)


def test_cov_matches_stats(data):
    X, _ = data
    ref = stats.cov(X, rowvar=False)
    got = md.cov(chunked(X))
    # relative to the scale of each entry, sqrt(C_jj C_kk)
    s = np.sqrt(np.diag(ref))
    np.testing.assert_allclose(got / np.outer(s, s), ref / np.outer(s, s), rtol=0, atol=REL)
    np.testing.assert_allclose(np.diag(got), np.diag(ref), rtol=REL)
    np.testing.assert_allclose(md.cov(X.T, rowvar=True, ddof=0), stats.cov(X.T, ddof=0), rtol=1e-9)


def test_cov_single_variable_is_zero_dimensional(data):
    x = data[0][:, 0]
    got = md.cov(chunked(x))
    assert got.shape == ()
    assert got == pytest.approx(stats.var(x, ddof=1), rel=REL)


def test_corrcoef_matches_stats(data):
    X, _ = data
    np.testing.assert_allclose(
        md.corrcoef(chunked(X)), stats.corrcoef(X, rowvar=False), rtol=0, atol=REL
    )


def test_numpy_input_needs_no_dask_path(data):
    X, _ = data
    np.testing.assert_allclose(md.mean(X, axis=0), stats.mean(X, axis=0), rtol=REL)


def test_merge_is_exact_on_integers():
    x = np.arange(10.0)[:, None]
    m = md.merge_moments(md.chunk_moments(x[:3]), md.chunk_moments(x[3:]))
    assert m.n == 10
    assert m.mean.tolist() == [4.5]
    assert m.m2.tolist() == [82.5]
    empty = md.chunk_moments(x[:0])
    assert md.merge_moments(empty, m) is m
    assert md.merge_moments(m, empty) is m


@pytest.mark.parametrize("func", [md.mean, md.var, md.std, md.cov, md.corrcoef])
def test_nan_in_one_chunk_raises_like_numpy_path(data, func):
    X = data[0].copy()
    X[60, 2] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        func(chunked(X))
    with pytest.raises(ValueError, match="contains NaN"):
        stats.mean(X)


def test_infinity_is_rejected(data):
    X = data[0].copy()
    X[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        md.mean(chunked(X), axis=0)


def test_bad_arguments(data):
    X, _ = data
    with pytest.raises(ValueError, match="ddof"):
        md.var(chunked(X), axis=0, ddof=101)
    with pytest.raises(ValueError, match="axis"):
        md.mean(chunked(X), axis=1)
    with pytest.raises(ValueError, match="no observations"):
        md.mean(np.zeros((0, 3)), axis=0)
    with pytest.raises(ValueError, match="constant"):
        md.corrcoef(np.ones((5, 2)))
    with pytest.raises(TypeError, match=r"real numbers|numeric"):
        md.mean([["a", "b"]])
