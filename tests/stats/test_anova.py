"""Tests of m4ml.stats.anova.f_oneway: NIST StRD ANOVA certification and scipy.stats."""

import numpy as np
import pytest
import scipy.stats as ss
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.stats.anova import f_oneway
from tests.stats.nist import ANOVA, lre, read_anova

BARS = {
    "SiRstv": 12,
    "SmLs01": 12,
    "SmLs02": 12,
    "SmLs03": 12,
    "SmLs04": 8.5,
    "SmLs05": 8.5,
    "SmLs06": 8.5,
    "AtmWtAg": 8.5,
    "SmLs07": 2.5,
    "SmLs08": 2.5,
    "SmLs09": 2.5,
}


@pytest.mark.parametrize("name", ANOVA)
def test_nist_anova_lre(name):
    groups, cert = read_anova(name)
    res = f_oneway(*groups)
    assert res.df == (cert["df_between"], cert["df_within"])
    computed = {
        "F": res.statistic,
        "ss_between": res.ss_between,
        "ss_within": res.ss_within,
        "ms_between": res.ms_between,
        "ms_within": res.ms_within,
        "r_squared": res.r_squared,
        "resid_sd": res.residual_std,
    }
    for key, value in computed.items():
        assert lre(value, cert[key]) >= BARS[name], key


def test_matches_scipy(rng):
    groups = [rng.standard_normal((n, 3)) + shift for n, shift in ((10, 0), (7, 0.5), (12, 1))]
    ours, ref = f_oneway(*groups), ss.f_oneway(*groups)
    np.testing.assert_allclose(ours.statistic, ref.statistic, rtol=1e-10)
    np.testing.assert_allclose(ours.pvalue, ref.pvalue, rtol=1e-10)
    flat = [g[:, 1] for g in groups]
    one = f_oneway(*flat)
    assert one.statistic == pytest.approx(ss.f_oneway(*flat).statistic, rel=1e-10)
    assert one.pvalue == pytest.approx(ss.f_oneway(*flat).pvalue, rel=1e-10)


def test_far_tail_pvalue(rng):
    groups = [rng.standard_normal(50) + s for s in (0.0, 2.0, 4.0)]
    ours, ref = f_oneway(*groups), ss.f_oneway(*groups)
    assert ref.pvalue < 1e-40
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)


def test_table_identities(rng):
    groups = [rng.standard_normal(n) for n in (5, 8, 6)]
    res = f_oneway(*groups)
    y = np.concatenate(groups)
    ss_total = np.sum((y - y.mean()) ** 2)
    assert res.ss_between + res.ss_within == pytest.approx(ss_total, rel=1e-12)
    assert res.r_squared == pytest.approx(res.ss_between / ss_total, rel=1e-12)
    assert res.statistic == pytest.approx(res.ms_between / res.ms_within, rel=1e-14)


def test_two_groups_is_squared_t(rng):
    a, b = rng.standard_normal(9), rng.standard_normal(11) + 0.4
    res, t = f_oneway(a, b), ss.ttest_ind(a, b)
    assert res.statistic == pytest.approx(t.statistic**2, rel=1e-12)
    assert res.pvalue == pytest.approx(t.pvalue, rel=1e-10)


def test_constant_groups_with_different_means():
    res = f_oneway([1.0, 1.0, 1.0], [2.0, 2.0])
    assert res.statistic == np.inf and res.pvalue == 0.0


def test_bad_input():
    with pytest.raises(ValueError, match="at least two samples"):
        f_oneway([1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        f_oneway([1.0, 2.0], [])
    with pytest.raises(ValueError, match="more observations"):
        f_oneway([1.0], [2.0])
    with pytest.raises(ValueError, match="all observations are equal"):
        f_oneway([3.0, 3.0], [3.0, 3.0])
    with pytest.raises(ValueError, match="NaN"):
        f_oneway([1.0, np.nan], [2.0, 3.0])
    with pytest.raises(ValueError, match="defines no confidence interval"):
        f_oneway([1.0, 2.0], [2.0, 4.0]).confidence_interval()


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.float64, st.integers(2, 8), elements=st.floats(-50, 50)),
    arrays(np.float64, st.integers(2, 8), elements=st.floats(-50, 50)),
    st.floats(-1e6, 1e6),
)
@example(a=np.array([0.0, 1.0]), b=np.array([8.0672777e-290, 0.0]), shift=1.0)  # seed 102
def test_shift_invariance(a, b, shift):
    y = np.concatenate([a, b])
    if np.ptp(y) < 1e-2 or np.ptp(a) + np.ptp(b) < 1e-2:
        return
    base, moved = f_oneway(a, b), f_oneway(a + shift, b + shift)
    assert moved.statistic == pytest.approx(base.statistic, rel=1e-6, abs=1e-9)
    assert 0.0 <= base.r_squared <= 1.0


@pytest.mark.parametrize(
    "a,b",
    [([0.0, 1.0], [8.0672777e-290, 0.0]), ([0.0, 1.0, 2.0], [1e-130, 0.0]),
     ([1e-150, 0.0, 3e-151], [1.0, 1.0, 1.5e-150])],
)  # fmt: skip
def test_group_far_smaller_than_the_others_matches_scipy(a, b):
    # regression (explore profile, seed 102): central_sums rescaled the tiny group's squares
    # (they would underflow) and its sum of squares entered SS_W in the wrong units: F 0.288, not 1
    res, ref = f_oneway(a, b), ss.f_oneway(a, b)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
