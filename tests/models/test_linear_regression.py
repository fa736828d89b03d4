"""LinearRegression and its summary(): statsmodels OLS/WLS, NIST StRD certified values, sklearn."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.linear_model import LinearRegression as SkLinearRegression

from m4ml.datasets import load_nist
from m4ml.models import LinearRegression
from tests.linalg.nist import NAMES, load, lre
from tests.models._data import REGRESSION_SETS, regression


def _statsmodels(X, y, fit_intercept, sw):
    A = sm.add_constant(X, has_constant="add") if fit_intercept else X
    return (sm.OLS(y, A) if sw is None else sm.WLS(y, A, weights=sw)).fit()


@pytest.mark.parametrize("name", ["diabetes", "penguins", "iris", "wine"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_summary_matches_statsmodels(name, fit_intercept, weighted, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size) if weighted else None
    s = LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw).summary()
    ref = _statsmodels(X, y, fit_intercept, sw)
    for attr in ("params", "bse", "tvalues"):
        np.testing.assert_allclose(getattr(s, attr), getattr(ref, attr), rtol=1e-8, err_msg=attr)
    # p-values: relative 1e-8 where they are representable, absolute below
    np.testing.assert_allclose(s.pvalues, ref.pvalues, rtol=1e-8, atol=1e-300)
    np.testing.assert_allclose(s.conf_int(0.1), ref.conf_int(0.1), rtol=1e-8)
    for attr in ("rsquared", "rsquared_adj", "fvalue", "df_resid", "df_model", "scale", "ssr",
                 "llf", "aic", "bic", "ess", "centered_tss", "uncentered_tss"):  # fmt: skip
        np.testing.assert_allclose(getattr(s, attr), getattr(ref, attr), rtol=1e-8, err_msg=attr)
    np.testing.assert_allclose(s.f_pvalue, ref.f_pvalue, rtol=1e-7, atol=1e-300)
    cov = ref.cov_params()
    np.testing.assert_allclose(s.cov_params(), cov, rtol=1e-7, atol=1e-10 * np.abs(cov).max())
    assert s.resid_std == pytest.approx(np.sqrt(ref.scale), rel=1e-12)


def _certified_r2(name):
    return load_nist(name).certified["r_squared"]


@pytest.mark.parametrize("name", NAMES)
def test_nist_certified_values(name):
    p = load(name)
    no_int = name.startswith("NoInt")
    X = p.A if no_int else p.A[:, 1:]  # the ones column is the intercept
    s = LinearRegression(fit_intercept=not no_int).fit(X, p.y).summary()
    need = 6.0 if name == "Filip" else 7.0
    assert lre(s.params, p.beta).min() >= need
    assert lre(s.rsquared, _certified_r2(name)).min() >= need
    exact = p.beta_sd == 0
    if exact.all():  # Wampler1/2: an exact polynomial, sd and residual sd certified as 0
        scale = np.abs(p.y).max()
        assert s.resid_std < 1e-8 * scale
        assert np.all(s.bse < 1e-8 * np.maximum(np.abs(p.beta), 1.0))
    else:
        assert lre(s.bse, p.beta_sd).min() >= need
        assert lre(s.resid_std, p.residual_sd).min() >= need


@pytest.mark.parametrize("name", REGRESSION_SETS)
def test_matches_sklearn(name, rng):
    X, y = regression(name)
    sw = rng.uniform(0.5, 2.0, size=y.size)
    for kw in ({}, {"sample_weight": sw}):
        ours = LinearRegression().fit(X, y, **kw)
        ref = SkLinearRegression().fit(X, y, **kw)
        scale = np.abs(ref.coef_).max()
        np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-6, atol=1e-9 * scale)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-9 * scale)
        assert ours.rank_ == ref.rank_
        np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-9, atol=1e-9)


def test_uncentred_data_intercept_is_exact():
    """Anchors' bug: a slope fitted without centring or an intercept column. Offsets of 1e6
    in x and y must not change the slope."""
    x = np.linspace(0.0, 1.0, 50)
    y = 3.0 * x + np.sin(7 * x)
    base = LinearRegression().fit(x[:, None], y)
    shifted = LinearRegression().fit(x[:, None] + 1e6, y + 1e6)
    assert shifted.coef_[0] == pytest.approx(base.coef_[0], rel=1e-8)
    expected = base.intercept_ + 1e6 - 1e6 * base.coef_[0]
    assert shifted.intercept_ == pytest.approx(expected, rel=1e-9)


def test_multioutput_dataframe_and_rank_deficiency(rng):
    X = rng.normal(size=(30, 3))
    Y = np.column_stack([X @ [1.0, 2.0, 3.0] + 1.0, X @ [-1.0, 0.0, 0.5]])
    reg = LinearRegression().fit(pd.DataFrame(X, columns=["a", "b", "c"]), Y)
    assert reg.coef_.shape == (2, 3) and reg.intercept_.shape == (2,)
    np.testing.assert_allclose(reg.coef_[0], [1.0, 2.0, 3.0], atol=1e-12)
    with pytest.raises(ValueError, match="single target"):
        reg.summary()
    one = LinearRegression().fit(pd.DataFrame(X, columns=["a", "b", "c"]), Y[:, 0]).summary()
    assert one.param_names == ["const", "a", "b", "c"]
    assert "const" in str(one) and "R-squared" in str(one)
    # a duplicated column: minimum-norm solution, as sklearn; summary uses the pseudo-inverse
    Xd = np.column_stack([X, X[:, 0]])
    reg = LinearRegression().fit(Xd, Y[:, 0])
    ref = SkLinearRegression().fit(Xd, Y[:, 0])
    np.testing.assert_allclose(reg.coef_, ref.coef_, atol=1e-10)
    assert reg.rank_ == 3
    s = reg.summary()
    ref_sm = sm.OLS(Y[:, 0], sm.add_constant(Xd)).fit()
    assert s.df_resid == ref_sm.df_resid
    np.testing.assert_allclose(s.bse, ref_sm.bse, rtol=1e-6, atol=1e-12)


def test_errors():
    reg = LinearRegression()
    with pytest.raises(ValueError, match=r"NaN|infinity"):
        reg.fit([[1.0], [np.nan]], [1.0, 2.0])
    with pytest.raises(ValueError, match="sample_weight"):
        reg.fit([[1.0], [2.0]], [1.0, 2.0], sample_weight=[1.0, -1.0])
    reg.fit([[1.0], [2.0], [3.0]], [1.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="features"):
        reg.predict([[1.0, 2.0]])
    with pytest.raises(ValueError, match="alpha"):
        reg.summary().conf_int(1.5)
    with pytest.raises(ValueError, match="names"):
        reg.summary(feature_names=["a", "b"])
