"""GaussianNB vs scikit-learn on real data; Chan's update; log-space stability; errors."""

import numpy as np
import pandas as pd
import pytest
from sklearn import naive_bayes as sk
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.models import GaussianNB
from tests.models._prob_data import DATASETS


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn(name, weighted):
    X, y = DATASETS[name]()
    w = np.random.default_rng(1).uniform(0.1, 2.0, len(y)) if weighted else None
    ours = GaussianNB().fit(X, y, sample_weight=w)
    ref = sk.GaussianNB().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.theta_, ref.theta_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-10)
    np.testing.assert_allclose(ours.class_prior_, ref.class_prior_, rtol=1e-14)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, y) == pytest.approx(ref.score(X, y))


def test_priors_and_var_smoothing():
    X, y = DATASETS["wine"]()
    ours = GaussianNB(priors=[0.2, 0.3, 0.5], var_smoothing=1e-3).fit(X, y)
    ref = sk.GaussianNB(priors=[0.2, 0.3, 0.5], var_smoothing=1e-3).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-10)
    assert ours.epsilon_ == pytest.approx(ref.epsilon_, rel=1e-12)


def test_partial_fit_in_batches_equals_fit(rng):
    X = rng.standard_normal((600, 5)) * [1, 10, 100, 0.1, 1] + [0, 1e3, -5, 0, 2]
    y = rng.integers(0, 3, 600)
    w = rng.uniform(0.5, 2.0, 600)
    full = GaussianNB().fit(X, y, sample_weight=w)
    inc = GaussianNB()
    for chunk in np.array_split(np.arange(600), 7):
        inc.partial_fit(X[chunk], y[chunk], classes=[0, 1, 2], sample_weight=w[chunk])
    np.testing.assert_allclose(inc.theta_, full.theta_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(inc.var_, full.var_, rtol=1e-10)
    np.testing.assert_allclose(inc.class_count_, full.class_count_, rtol=1e-13)
    np.testing.assert_allclose(inc.epsilon_, full.epsilon_, rtol=1e-10)
    # a batch without some classes, then one with all: Chan's update with n_a = 0
    a = GaussianNB().partial_fit(X[y == 0], y[y == 0], classes=[0, 1, 2]).partial_fit(X, y)
    b = GaussianNB().fit(np.vstack([X[y == 0], X]), np.r_[y[y == 0], y])
    np.testing.assert_allclose(a.var_, b.var_, rtol=1e-10)


def test_thousands_of_features_do_not_underflow(rng):
    """2,000 features: each class likelihood is ~1e-3000, far below the smallest float."""
    d = 2000
    X = rng.standard_normal((60, d)) + np.repeat([0.0, 0.3, 0.6], 20)[:, None]
    y = np.repeat([0, 1, 2], 20)
    clf = GaussianNB().fit(X, y)
    jll = clf.predict_joint_log_proba(X[:5] * 3)
    assert (jll < -1000).all()  # exp(jll) == 0.0 in float64: the naive product underflows
    p = clf.predict_proba(X[:5] * 3)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(p, sk.GaussianNB().fit(X, y).predict_proba(X[:5] * 3), atol=1e-10)


def test_dataframe_and_string_labels():
    X, y = DATASETS["penguins"]()
    clf = GaussianNB().fit(X, y)
    assert list(clf.feature_names_in_) == list(X.columns)
    assert set(clf.predict(X)) <= {"Adelie", "Chinstrap", "Gentoo"}
    with pytest.raises(ValueError, match="feature names"):
        clf.predict(X.rename(columns={"body_mass_g": "mass"}))


def test_errors(rng):
    X = rng.standard_normal((10, 3))
    y = np.array([0, 1] * 5)
    with pytest.raises(ValueError, match="classes has to be greater than one"):
        GaussianNB().fit(X, np.zeros(10))
    with pytest.raises(ValueError, match=r"NaN|infinity"):
        GaussianNB().fit(np.where(X > 1, np.nan, X), y)
    with pytest.raises(ValueError, match="Number of priors"):
        GaussianNB(priors=[1.0]).fit(X, y)
    with pytest.raises(ValueError, match="sum of the priors"):
        GaussianNB(priors=[0.6, 0.6]).fit(X, y)
    with pytest.raises(ValueError, match="non-negative"):
        GaussianNB(priors=[1.5, -0.5]).fit(X, y)
    with pytest.raises(ValueError, match="var_smoothing"):
        GaussianNB(var_smoothing=-1.0).fit(X, y)
    clf = GaussianNB().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :2])
    with pytest.raises(ValueError, match="classes must be passed"):
        GaussianNB().partial_fit(X, y)
    with pytest.raises(ValueError, match="do not exist in the initial classes"):
        clf.partial_fit(X, y + 5)
    assert isinstance(pd.DataFrame(X).shape, tuple)


@parametrize_with_checks([GaussianNB()])
def test_sklearn_compatible(estimator, check):
    check(estimator)
