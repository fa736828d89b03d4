"""Conformal prediction: the finite-sample coverage guarantee, checked over many random splits."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.models import (
    CrossConformalRegressor,
    GaussianNB,
    SplitConformalClassifier,
    SplitConformalRegressor,
    conformal_quantile,
)
from tests.models._prob_data import DATASETS


class _LstSq(RegressorMixin, BaseEstimator):
    """A tiny least-squares line: many refits per test stay fast."""

    def fit(self, X, y):
        A = np.column_stack([np.ones(len(X)), np.asarray(X)])
        self.coef_ = np.linalg.lstsq(A, np.asarray(y), rcond=None)[0]
        self.n_features_in_ = A.shape[1] - 1
        return self

    def predict(self, X):
        return self.coef_[0] + np.asarray(X) @ self.coef_[1:]


def _band(p, m, z=4.0):
    """A z-sigma binomial band for the fraction of m Bernoulli(p) successes."""
    return z * math.sqrt(p * (1 - p) / m)


@pytest.mark.parametrize("n", [1, 9, 24, 100])
@pytest.mark.parametrize("level", [0.5, 0.8, 0.9, 0.95])
def test_conformal_quantile_rank(n, level, rng):
    s = rng.standard_normal(n)
    k = math.ceil((n + 1) * level - 1e-12)
    q = conformal_quantile(s, level)
    assert q == (np.sort(s)[k - 1] if k <= n else math.inf)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=60),
    st.floats(0.05, 0.95),
)
def test_coverage_in_expectation_over_exchangeable_orderings(scores, level):
    """For any n + 1 scores, averaging over which one is the test point gives >= 1 - alpha.

    This is the guarantee itself: under exchangeability the test point is a uniformly random one
    of the n + 1, so P(covered) is exactly this average.
    """
    s = np.array(scores)
    covered = [s[i] <= conformal_quantile(np.delete(s, i), level) for i in range(s.size)]
    assert np.mean(covered) >= level - 1e-12


def _draw(rng, n):
    X = rng.uniform(-2, 2, (n, 1))
    y = 1.5 * X[:, 0] + rng.standard_t(3, n) * (1 + np.abs(X[:, 0]))  # heavy tails, heteroscedastic
    return X, y


@pytest.mark.parametrize("score", ["absolute", "gamma"])
def test_split_regressor_coverage_is_exact_over_random_splits(score):
    """n_cal = 24, level 0.9: coverage is exactly 23/25 = 0.92 for continuous scores.

    The naive quantile (rank ceil(n * level) = 22) would give 22/25 = 0.88: the band separates
    them. Each of the 3,000 draws is a fresh calibration set and one fresh test point.
    """
    rng = np.random.default_rng(7)
    X_tr, y_tr = _draw(rng, 200)
    y_shift = 10.0 if score == "gamma" else 0.0  # gamma needs predictions away from 0
    model = _LstSq().fit(X_tr, y_tr + y_shift)
    scr = SplitConformalRegressor(model, confidence_level=0.9, conformity_score=score, prefit=True)
    m, n_cal, hits = 3000, 24, 0
    for _ in range(m):
        X, y = _draw(rng, n_cal + 1)
        y = y + y_shift
        scr.conformalize(X[:n_cal], y[:n_cal])
        _, ((lo, hi),) = scr.predict_interval(X[n_cal:])
        hits += int(lo <= y[n_cal] <= hi)
    p = 23 / 25
    assert abs(hits / m - p) <= _band(p, m)


@pytest.mark.parametrize("score", ["lac", "aps"])
def test_split_classifier_coverage_over_random_splits(score):
    X_all, y_all = DATASETS["wine"]()
    rng = np.random.default_rng(3)
    m, n_cal, hits, sizes = 1500, 39, 0, []
    level = 0.9
    order = rng.permutation(len(y_all))
    train, pool = order[:60], order[60:]
    model = GaussianNB().fit(X_all[train], y_all[train])
    scc = SplitConformalClassifier(
        model, confidence_level=level, conformity_score=score, prefit=True
    )
    for _ in range(m):
        pick = rng.choice(pool, n_cal + 1, replace=False)
        scc.conformalize(X_all[pick[:n_cal]], y_all[pick[:n_cal]])
        _, sets = scc.predict_set(X_all[pick[n_cal:]])
        hits += int(sets[0, np.searchsorted(scc.classes_, y_all[pick[-1]])])
        sizes.append(sets.sum())
    lo = math.ceil((n_cal + 1) * level) / (n_cal + 1)  # 36/40 = 0.9
    assert hits / m >= lo - _band(lo, m)
    if score == "lac":  # continuous scores: coverage below lo + 1/(n + 1)
        assert hits / m <= lo + 1 / (n_cal + 1) + _band(lo, m)
        assert np.mean(sizes) < 1.5  # informative sets


def _jackknife_plus_reference(X, y, X_test, level, folds):
    """Barber et al.'s interval written out point by point."""
    n = len(y)
    lo, hi = [], []
    models, fold_of = [], np.empty(n, dtype=int)
    for k, test in enumerate(folds):
        train = np.setdiff1d(np.arange(n), test)
        models.append(_LstSq().fit(X[train], y[train]))
        fold_of[test] = k
    R = np.array([abs(y[i] - models[fold_of[i]].predict(X[i : i + 1])[0]) for i in range(n)])
    a = 1 - level
    for x in X_test:
        mus = np.array([models[fold_of[i]].predict(x[None])[0] for i in range(n)])
        lo.append(np.sort(mus - R)[math.floor(a * (n + 1)) - 1])
        hi.append(np.sort(mus + R)[math.ceil((1 - a) * (n + 1)) - 1])
    return np.array(lo), np.array(hi)


def test_jackknife_plus_matches_its_definition(rng):
    X, y = _draw(rng, 40)
    Xt, _ = _draw(rng, 7)
    ccr = CrossConformalRegressor(_LstSq(), confidence_level=0.8, cv="jackknife").fit(X, y)
    _, bounds = ccr.predict_interval(Xt)
    lo, hi = _jackknife_plus_reference(X, y, Xt, 0.8, [np.array([i]) for i in range(40)])
    np.testing.assert_allclose(bounds[:, 0], lo, rtol=1e-12)
    np.testing.assert_allclose(bounds[:, 1], hi, rtol=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize(("method", "cv"), [("plus", "jackknife"), ("plus", 5), ("minmax", 5)])
def test_cross_conformal_coverage_over_random_draws(method, cv):
    rng = np.random.default_rng(11)
    m, n, level, hits = 600, 30, 0.8, 0
    for _ in range(m):
        X, y = _draw(rng, n + 1)
        ccr = CrossConformalRegressor(
            _LstSq(), confidence_level=level, method=method, cv=cv, random_state=rng
        )
        _, (b,) = ccr.fit_conformalize(X[:n], y[:n]).predict_interval(X[n:])
        hits += int(b[0] <= y[n] <= b[1])
    guaranteed = 1 - 2 * (1 - level) if method == "plus" else level
    assert hits / m >= guaranteed - _band(guaranteed, m)
    assert hits / m >= level - 0.06  # in practice close to the nominal level


def test_default_estimators_dataframes_and_pipelines():
    X, y = DATASETS["penguins"]()
    Xn = X.drop(columns="body_mass_g")
    target = X["body_mass_g"].to_numpy()
    scr = SplitConformalRegressor().fit(Xn.iloc[:200], target[:200])
    scr.conformalize(Xn.iloc[200:], target[200:])
    pred, bounds = scr.predict_interval(Xn.iloc[:5])
    np.testing.assert_allclose(pred, (bounds[:, 0] + bounds[:, 1]) / 2)
    np.testing.assert_allclose(
        bounds[:, 1] - bounds[:, 0], 2 * conformal_quantile(scr.conformity_scores_, 0.9)
    )
    pipe = make_pipeline(StandardScaler(), SkLinearRegression())
    ccr = CrossConformalRegressor(pipe, cv=5, random_state=0).fit(Xn, target)
    assert ccr.predict_interval(Xn.iloc[:3])[1].shape == (3, 2)
    scc = SplitConformalClassifier(conformity_score="aps").fit(X.iloc[::2], y[::2])
    _, sets = scc.conformalize(X.iloc[1::2], y[1::2]).predict_set(X.iloc[:4])
    assert sets.shape == (4, 3) and sets.any(axis=1).all()
    assert isinstance(pd.DataFrame(X).shape, tuple)


def test_too_few_calibration_points_give_the_trivial_interval(rng):
    X, y = _draw(rng, 30)
    scr = SplitConformalRegressor(_LstSq(), confidence_level=0.95).fit(X[:20], y[:20])
    _, b = scr.conformalize(X[20:25], y[20:25]).predict_interval(X[25:])
    assert np.isinf(b).all()
    _, b2 = scr.predict_interval(X[25:], confidence_level=0.5)
    assert np.isfinite(b2).all()


def test_errors(rng):
    X, y = _draw(rng, 30)
    with pytest.raises(ValueError, match="confidence_level"):
        SplitConformalRegressor(_LstSq(), confidence_level=1.0).fit(X, y).conformalize(X, y)
    with pytest.raises(ValueError, match="call fit before conformalize"):
        SplitConformalRegressor(_LstSq()).conformalize(X, y)
    with pytest.raises(ValueError, match="conformity_score"):
        SplitConformalRegressor(_LstSq(), conformity_score="cqr").fit(X, y).conformalize(X, y)
    with pytest.raises(ValueError, match="method"):
        CrossConformalRegressor(_LstSq(), method="after").fit(X, y)
    with pytest.raises(ValueError, match="cv"):
        CrossConformalRegressor(_LstSq(), cv=1).fit(X, y)
    with pytest.raises(ValueError, match="scores is empty"):
        conformal_quantile([], 0.9)
    Xc, yc = rng.standard_normal((40, 2)), np.repeat([0, 1], 20)
    scc = SplitConformalClassifier(GaussianNB()).fit(Xc, yc)
    with pytest.raises(ValueError, match="never saw"):
        scc.conformalize(Xc, yc + 5)
    with pytest.raises(ValueError, match="conformity_score"):
        SplitConformalClassifier(GaussianNB(), conformity_score="raps").fit(Xc, yc).conformalize(
            Xc, yc
        )


@parametrize_with_checks(
    [SplitConformalRegressor(), SplitConformalClassifier(), CrossConformalRegressor(cv=3)]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
