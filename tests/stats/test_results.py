"""Tests of the shared result objects (src/m4ml/stats/_results.py) and the lazy namespace."""

import numpy as np
import pytest

import m4ml.stats
from m4ml.stats._results import ConfidenceInterval, TestResult, check_alternative


def test_result_unpacks_as_statistic_pvalue():
    res = TestResult(1.5, 0.2, df=3.0, alternative="less", name="demo", extra=np.arange(3))
    stat, p = res
    assert (stat, p) == (1.5, 0.2)
    assert res[0] == 1.5 and res[-1] == 0.2 and len(res) == 2
    assert res.df == 3.0 and res.alternative == "less"
    np.testing.assert_array_equal(res.extra, [0, 1, 2])
    assert "demoResult(statistic=1.5, pvalue=0.2, df=3" in repr(res)


def test_confidence_interval_calls_the_test_formula():
    res = TestResult(0.0, 1.0, ci=lambda level: (-level, level), name="demo")
    ci = res.confidence_interval(0.9)
    assert isinstance(ci, ConfidenceInterval)
    assert ci == (-0.9, 0.9) and ci.low == -0.9 and ci.high == 0.9
    assert res.confidence_interval() == (-0.95, 0.95)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.1, 1.5])
def test_confidence_level_outside_unit_interval(level):
    res = TestResult(0.0, 1.0, ci=lambda c: (0, c))
    with pytest.raises(ValueError, match="confidence_level"):
        res.confidence_interval(level)


def test_confidence_level_not_a_number():
    with pytest.raises(TypeError, match="confidence_level"):
        TestResult(0.0, 1.0, ci=lambda c: (0, c)).confidence_interval("high")


def test_no_interval_defined():
    with pytest.raises(ValueError, match="defines no confidence interval"):
        TestResult(0.0, 1.0, name="chisquare").confidence_interval()


def test_check_alternative():
    assert check_alternative("greater") == "greater"
    with pytest.raises(ValueError, match="alternative must be one of"):
        check_alternative("bigger")


def test_lazy_namespace():
    assert m4ml.stats.TestResult is TestResult
    assert "ttest_ind" in dir(m4ml.stats)
    with pytest.raises(AttributeError, match="no attribute"):
        m4ml.stats.not_a_function


MINE = (
    "descriptive",
    "quantiles",
    "correlation",
    "parametric",
    "pearson",
    "anova",
    "counts",
    "intervals",
)


def test_every_export_of_stats1_resolves():
    from m4ml.stats import _EXPORTS

    names = [name for name, module in _EXPORTS.items() if module in (*MINE, "_results")]
    assert len(names) == 29  # DegenerateDataWarning joined the result types
    for name in names:
        assert name in m4ml.stats.__all__
        assert callable(getattr(m4ml.stats, name))


def test_star_import_works():
    namespace = {}
    exec("from m4ml.stats import *", namespace)
    assert "ttest_ind" in namespace and "describe" in namespace
