import numpy as np
import pytest

pytest.importorskip("dask")

from m4ml import distributed as md
from m4ml import stats
from tests.distributed.conftest import chunked


@pytest.fixture
def groups():
    rng = np.random.default_rng(5)
    return [rng.normal(loc, scale, size=n) + 1e3 for loc, scale, n in [(0, 1, 101), (0.4, 2, 60)]]


@pytest.mark.parametrize("equal_var", [True, False])
@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_ttest_ind_matches_stats(groups, equal_var, alternative):
    a, b = groups
    ours = md.ttest_ind(chunked(a), chunked(b, (1, 0, 59)), equal_var, alternative)
    ref = stats.ttest_ind(a, b, equal_var=equal_var, alternative=alternative)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-11)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert ours.df == pytest.approx(ref.df, rel=1e-12)
    np.testing.assert_allclose(ours.confidence_interval(0.9), ref.confidence_interval(0.9))


def test_f_oneway_matches_stats(groups):
    a, b = groups
    c = b[:30] + 0.5
    ours = md.f_oneway(chunked(a), chunked(b, (1, 0, 59)), c)
    ref = stats.f_oneway(a, b, c)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-11)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert ours.df == ref.df
    for name in ("ss_between", "ss_within", "r_squared"):
        assert getattr(ours, name) == pytest.approx(getattr(ref, name), rel=1e-11)


def test_errors(groups):
    a, b = groups
    with pytest.raises(ValueError, match="at least 2"):
        md.ttest_ind(a[:1], b)
    with pytest.raises(ValueError, match="alternative"):
        md.ttest_ind(a, b, alternative="sideways")
    with pytest.raises(ValueError, match="two samples"):
        md.f_oneway(a)
    with pytest.raises(ValueError, match="equal"):
        md.f_oneway(np.ones(3), np.ones(4))
    bad = a.copy()
    bad[70] = np.nan
    with pytest.raises(ValueError, match="a contains NaN"):
        md.ttest_ind(chunked(bad), b)


@pytest.mark.parametrize("scale", [1e-170, 2.0**-1000, 1e150, 1e300])
@pytest.mark.parametrize("equal_var", [True, False])
def test_ttest_ind_on_tiny_and_huge_data(groups, scale, equal_var):
    # the samples' M2 were formed in data units: at 1e-170 they underflowed to 0 and the test
    # raised "zero variance" (m4ml.stats gave t = -2.955); at 1e300 the chunks were refused
    a, b = (g - 1e3 for g in groups)
    ours = md.ttest_ind(chunked(a * scale), chunked(b * scale, (1, 0, 59)), equal_var)
    ref = stats.ttest_ind(a * scale, b * scale, equal_var=equal_var)
    plain = stats.ttest_ind(a, b, equal_var=equal_var)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.statistic == pytest.approx(plain.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    np.testing.assert_allclose(ours.confidence_interval(0.9), ref.confidence_interval(0.9))


@pytest.mark.parametrize("scale", [1e-170, 2.0**-1000, 1e150])
def test_f_oneway_on_tiny_and_huge_data(groups, scale):
    a, b = (g - 1e3 for g in groups)
    c = np.linspace(-1.0, 2.0, 9)
    ours = md.f_oneway(chunked(a * scale), chunked(b * scale, (1, 0, 59)), c * scale)
    ref, plain = stats.f_oneway(a * scale, b * scale, c * scale), stats.f_oneway(a, b, c)
    assert ours.statistic == pytest.approx(plain.statistic, rel=1e-12)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.residual_std == pytest.approx(ref.residual_std, rel=1e-12)
    assert ours.r_squared == pytest.approx(plain.r_squared, rel=1e-12)
    assert ours.ss_within == pytest.approx(ref.ss_within, rel=1e-12, abs=1e-320)


def test_f_oneway_sums_of_squares_beyond_float64_warn_as_in_memory(groups):
    a, b = (g - 1e3 for g in groups)
    with pytest.warns(UserWarning, match="exceed the float64 range"):
        ours = md.f_oneway(chunked(a * 1e300), chunked(b * 1e300, (1, 0, 59)))
    with pytest.warns(UserWarning, match="exceed the float64 range"):
        ref = stats.f_oneway(a * 1e300, b * 1e300)
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.ss_within == np.inf
