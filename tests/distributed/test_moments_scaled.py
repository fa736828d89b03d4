"""Moments of tiny and huge data: per-column powers of two carried through the chunk merges.

References are exact rescalings: multiplying data by :math:`2^k` changes no digit, so
``np.std(x * 2**-k) * 2**k`` is the standard deviation of ``x`` to NumPy's accuracy on O(1) data.
"""

import numpy as np
import pytest

pytest.importorskip("dask")

from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml import distributed as md
from m4ml import pipeline, stats
from tests.distributed.conftest import chunked

REL = 1e-12
PINNED = np.array([[0.0], [4.12096503e-162]])  # squared deviations ~4e-324: one subnormal bit


def _sample(rng, rows, k, offset=3.0):
    """``rows`` values of order ``2**k`` (an offset and a spread, exactly scaled)."""
    return np.ldexp(rng.normal(size=rows) + offset, k)


def _ref_std(x, k, ddof=0):
    """np.std of ``x`` through the exact copy ``x * 2**-k`` (O(1) values)."""
    return np.std(np.ldexp(x, -k), axis=0, ddof=ddof)  # in units of 2**k


def test_pinned_subnormal_deviations_standard_scaler():
    ours = md.StandardScaler().fit(chunked(PINNED, (1, 1)))
    ref = pipeline.StandardScaler().fit(PINNED)
    assert ours.scale_[0] == pytest.approx(4.12096503e-162 / 2, rel=1e-15)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-15)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-15)
    z = ours.transform(chunked(PINNED, (1, 1))).compute()
    assert np.var(z) == pytest.approx(1.0, rel=1e-15)
    # NumPy input: the scaler accepts the tiny values (the in-memory one does) and agrees
    np.testing.assert_allclose(md.StandardScaler().fit(PINNED).scale_, ref.scale_, rtol=1e-15)


def test_pinned_subnormal_deviations_std_and_corrcoef():
    assert md.std(chunked(PINNED, (1, 1))) == pytest.approx(4.12096503e-162 / 2, rel=1e-15)
    X = np.column_stack([PINNED[:, 0], [1.0, 3.0]])
    assert md.std(chunked(X, (1, 1)), axis=0)[0] == pytest.approx(2.060482515e-162, rel=1e-15)
    X3 = np.array([[0.0, 0.0], [4.12e-162, 1.0], [1.0e-162, 0.5]])
    np.testing.assert_allclose(
        md.corrcoef(chunked(X3, (1, 1, 1))), stats.corrcoef(X3, rowvar=False), atol=1e-14
    )


@pytest.mark.parametrize("k", [-1000, -700, -540, 510, 1000])
def test_std_and_mean_of_tiny_and_huge_columns(k):
    x = _sample(np.random.default_rng(k % 97), 60, k)
    ref = _ref_std(x, k)
    got = md.std(chunked(x, (1, 0, 20, 39)))
    assert np.ldexp(got, -k) == pytest.approx(ref, rel=REL)
    assert np.ldexp(md.mean(chunked(x, (7, 53))), -k) == pytest.approx(
        np.mean(np.ldexp(x, -k)), rel=REL
    )
    assert got == pytest.approx(stats.std(x), rel=REL)


def test_var_of_large_and_tiny_data_matches_stats_and_scaled_numpy():
    x = _sample(np.random.default_rng(3), 50, 505)  # beyond 2**500, its variance ~2**1010
    got = md.var(chunked(x, (1, 24, 25)), ddof=1)
    assert np.ldexp(got, -1010) == pytest.approx(np.var(np.ldexp(x, -505), ddof=1), rel=REL)
    assert got == pytest.approx(stats.var(x, ddof=1), rel=REL)
    # a subnormal variance (2**-1060) is the correctly rounded one: one rounding, at the end
    t = _sample(np.random.default_rng(3), 50, -530)
    ref = np.ldexp(np.var(np.ldexp(t, 530)), -1060)
    assert abs(md.var(chunked(t, (1, 24, 25))) - ref) <= 2.0**-1074


def test_chunks_of_very_different_scales():
    rng = np.random.default_rng(5)
    tiny, one = _sample(rng, 30, -664), _sample(rng, 30, 0)  # ~1e-200 and ~1
    x = np.concatenate([tiny, one, tiny])
    got = md.std(chunked(x, (30, 30, 30)))
    assert got == pytest.approx(np.std(x), rel=REL)
    # a chunk of zeros fixes no unit: the tiny chunk's deviations keep their digits
    z = np.concatenate([np.zeros(10), tiny])
    assert md.std(chunked(z, (10, 30))) == pytest.approx(stats.std(z), rel=REL)
    assert np.ldexp(md.std(chunked(z, (10, 30))), 664) == pytest.approx(_ref_std(z, -664))
    # symmetric tiny values: mean exactly 0 and squares that underflow, yet not a zero column
    t = np.array([3e-200, -3e-200, 1e-320, -1e-320])
    assert md.std(chunked(t, (4,))) == pytest.approx(3e-200 / np.sqrt(2.0), rel=REL)
    assert md.std(chunked(t[2:], (2,))) == 1e-320


def test_cov_and_corrcoef_of_columns_far_apart():
    rng = np.random.default_rng(11)
    Z = rng.normal(size=(80, 3)) + np.array([1.0, -2.0, 0.5])
    Z[:, 2] += 0.5 * Z[:, 0]
    k = np.array([-480, 0, 505])  # C_00 ~ 2**-960, C_22 ~ 2**1010: both representable
    X = np.ldexp(Z, k)
    C = md.cov(chunked(X, (1, 0, 40, 39)))
    np.testing.assert_allclose(np.ldexp(C, -(k[:, None] + k[None, :])), np.cov(Z.T), rtol=REL)
    # correlation is scale-free: columns whose own squares under- or overflow are fine
    X = np.ldexp(Z, [-1000, 0, 1000])
    np.testing.assert_allclose(md.corrcoef(chunked(X, (3, 77))), np.corrcoef(Z.T), atol=REL)


def test_overflowing_variance_is_refused_and_the_std_is_finite():
    x = np.array([1e300, -1e300, 3e299, 5.0])
    with pytest.raises(ValueError, match=r"variance overflows float64.*use std"):
        md.var(chunked(x, (1, 3)))
    with pytest.raises(ValueError, match=r"covariance overflows float64.*corrcoef"):
        md.cov(chunked(np.column_stack([x, x[::-1]]), (2, 2)))
    assert np.ldexp(md.std(chunked(x, (1, 3))), -1000) == pytest.approx(_ref_std(x, 1000), rel=REL)
    assert md.mean(chunked(np.array([1e308, 1, 1e308, 2, 3]), (2, 3))) == pytest.approx(4e307)
    # a mean in range whose squared deviations overflow (no RuntimeWarning leaks either)
    h = np.array([1e300, -1e300, 6.0])
    assert md.std(h) == pytest.approx(np.sqrt(2.0 / 3.0) * 1e300, rel=REL)
    assert abs(md.mean(h) - 2.0) <= 1e-15 * 1e300  # a cancelling sum: accurate to eps max|x|
    with pytest.raises(ValueError, match=r"variance of X overflows.*scale the data first"):
        md.StandardScaler().fit(chunked(x[:, None], (1, 3)))


def test_standard_scaler_accepts_huge_columns_with_a_finite_variance():
    rng = np.random.default_rng(2)
    X = np.column_stack([_sample(rng, 40, 508), np.full(40, 1e300), _sample(rng, 40, -1000)])
    ours = md.StandardScaler().fit(chunked(X, (1, 19, 20)))
    np.testing.assert_allclose(np.ldexp(ours.scale_[0], -508), _ref_std(X[:, 0], 508), rtol=REL)
    assert ours.scale_[1] == 1.0 and ours.var_[1] == 0.0 and ours.mean_[1] == 1e300
    np.testing.assert_allclose(np.ldexp(ours.scale_[2], 1000), _ref_std(X[:, 2], -1000), rtol=REL)
    Z = ours.transform(chunked(X, (1, 19, 20))).compute()
    np.testing.assert_allclose(Z.std(axis=0), [1.0, 0.0, 1.0], atol=1e-13)


def test_partial_fit_continues_a_distributed_fit():
    rng = np.random.default_rng(4)
    X = np.column_stack([_sample(rng, 30, -900), rng.normal(size=30), np.zeros(30)])
    X[20:, 2] = _sample(rng, 10, -700)
    est = md.StandardScaler().fit(chunked(X[:20], (5, 15))).estimator_
    est.partial_fit(X[20:])
    ref = pipeline.StandardScaler().fit(X[:20]).partial_fit(X[20:])
    for name in ("mean_", "var_", "scale_"):
        np.testing.assert_allclose(getattr(est, name), getattr(ref, name), rtol=REL)


def test_scaled_moments_merge_with_moments_in_data_units():
    x = np.arange(10.0)[:, None]
    plain = md.Moments(3, np.array([1.0]), np.array([2.0]))  # positional, as before
    m = md.merge_moments(plain, md.chunk_moments(x[3:] * 2.0**-600, scaled=True))
    # in the unit 1 the tiny rows are 0 to 1e-180: mean 3/10, M2 = 2 + (3 * 7 / 10) * 1**2
    assert m.n == 10 and m.scale.tolist() == [1.0]
    assert m.mean[0] == pytest.approx(0.3, rel=1e-15) and m.m2[0] == pytest.approx(4.1, rel=1e-15)
    tiny = md.merge_moments(md.chunk_moments(x[:3] * 2.0**-600, scaled=True), m)
    assert tiny.n == 13 and tiny.scale.tolist() == [1.0]
    s = md.chunk_moments(x * 2.0**-600, scaled=True)
    assert s.mean * s.scale == pytest.approx(4.5 * 2.0**-600, rel=1e-15)
    assert s.m2 * s.scale**2 == pytest.approx(82.5 * 2.0**-1200, rel=1e-15)
    # without scaled the old refusal and data units stay (the models rely on them)
    assert md.chunk_moments(x).scale == 1.0
    with pytest.raises(ValueError, match="squares overflow"):
        md.chunk_moments(x * 1e300)


@st.composite
def _chunked_column(draw, top):
    """A column in chunks of 0..6 rows, each of order ``2**e`` (-1020 <= e <= top) about an
    offset 0, 3 or 30 spreads, or all zeros; returns it, the chunks and the largest ``e``."""
    sizes = draw(st.lists(st.integers(0, 6), min_size=1, max_size=6).filter(lambda s: sum(s) > 1))
    p = len(sizes)
    exps = draw(st.lists(st.integers(-1020, top), min_size=p, max_size=p))
    offsets = draw(st.lists(st.sampled_from([0.0, 3.0, 30.0, None]), min_size=p, max_size=p))
    if all(o is None for s, o in zip(sizes, offsets, strict=True) if s):
        offsets[next(i for i, s in enumerate(sizes) if s)] = 3.0
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    parts = [
        np.zeros(s) if o is None else _sample(rng, s, e, o)
        for s, e, o in zip(sizes, exps, offsets, strict=True)
    ]
    k = max(e for s, e, o in zip(sizes, exps, offsets, strict=True) if s and o is not None)
    return np.concatenate(parts), tuple(sizes), k


@settings(max_examples=40, deadline=None)
@given(case=_chunked_column(top=1000))
def test_property_std_over_chunkings_and_scales(case):
    x, sizes, k = case
    got = md.std(chunked(x, sizes))
    ref = _ref_std(x, k)  # the largest chunk's unit: smaller chunks lose only digits below it
    assert np.ldexp(got, -k) == pytest.approx(ref, rel=REL)
    if k <= 480:  # beyond, var_ (~2**(2k) 1e3) may leave float64: the scaler refuses it
        scaler = md.StandardScaler().fit(chunked(x[:, None], sizes))
        assert np.ldexp(scaler.scale_[0], -k) == pytest.approx(ref, rel=REL)


@settings(max_examples=40, deadline=None)
@given(case=_chunked_column(top=480), ddof=st.integers(0, 1))
def test_property_matches_in_memory_scaler_and_stats(case, ddof):
    x, sizes, _ = case
    assert md.std(chunked(x, sizes), ddof=ddof) == pytest.approx(stats.std(x, ddof=ddof), rel=REL)
    ours = md.StandardScaler().fit(chunked(x[:, None], sizes))
    ref = pipeline.StandardScaler().fit(x[:, None])
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=REL)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=REL)
