"""Platt scaling, calibration_curve and CalibratedClassifierCV vs scikit-learn."""

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV as SkCalibrated
from sklearn.calibration import _sigmoid_calibration
from sklearn.calibration import calibration_curve as sk_calibration_curve
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.models import CalibratedClassifierCV, calibration_curve, fit_platt, platt_predict


def _platt_gradient(f, y, a, b, w):
    n_pos, n_neg = w[y > 0].sum(), w[y <= 0].sum()
    t = np.where(y > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    p = platt_predict(f, a, b)
    r = w * (t - p)
    return np.array([r @ f, r.sum()])


@pytest.mark.parametrize("n", [10, 300, 5000])
@pytest.mark.parametrize("weighted", [False, True])
def test_fit_platt_is_the_optimum_and_matches_sklearn(rng, n, weighted):
    f = 4.0 * rng.standard_normal(n)
    y = (f + 2.0 * rng.standard_normal(n) > 0.5).astype(int)
    w = rng.uniform(0.2, 2.0, n) if weighted else None
    a, b = fit_platt(f, y, w)
    g = _platt_gradient(f, y, a, b, np.ones(n) if w is None else w)
    assert np.abs(g).max() < 1e-8 * n  # stationary point of the convex objective
    ra, rb = _sigmoid_calibration(f, y, w)  # L-BFGS at gtol 1e-6: agree to its accuracy
    np.testing.assert_allclose([a, b], [ra, rb], rtol=2e-5, atol=2e-5)


def test_fit_platt_separable_and_large_scores():
    f = np.array([-300.0, -200.0, -100.0, 100.0, 200.0, 300.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    a, b = fit_platt(f, y)
    p = platt_predict(f, a, b)
    assert np.isfinite([a, b]).all() and np.all(np.diff(p) > 0)
    # regularized targets keep the fit away from 0 and 1
    assert p[0] > 1e-6 and p[-1] < 1 - 1e-6
    ra, rb = _sigmoid_calibration(f, y)
    np.testing.assert_allclose(platt_predict(f, ra, rb), p, atol=1e-5)


def test_platt_predict_extremes():
    p = platt_predict(np.array([-1e6, 0.0, 1e6]), -1.0, 0.0)
    assert p.tolist() == [0.0, 0.5, 1.0]


def test_fit_platt_errors():
    with pytest.raises(ValueError, match="entries but y"):
        fit_platt([0.0, 1.0], [1])
    with pytest.raises(ValueError, match="NaN"):
        fit_platt([0.0, np.nan], [0, 1])
    with pytest.raises(ValueError, match="non-negative"):
        fit_platt([0.0, 1.0], [0, 1], sample_weight=[1.0, -1.0])


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [1, 5, 13])
def test_calibration_curve_matches_sklearn(rng, strategy, n_bins):
    p = rng.uniform(size=500)
    y = np.where(rng.uniform(size=500) < p**2, "yes", "no")
    ours = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    ref = sk_calibration_curve(y, p, n_bins=n_bins, strategy=strategy, pos_label="yes")
    for a, b in zip(ours, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-14)


def test_calibration_curve_errors():
    with pytest.raises(ValueError, match="outside"):
        calibration_curve([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match="binary"):
        calibration_curve([0, 1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="strategy"):
        calibration_curve([0, 1], [0.1, 0.2], strategy="kmeans")
    with pytest.raises(ValueError, match="n_bins"):
        calibration_curve([0, 1], [0.1, 0.2], n_bins=0)


def _scaled(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("loader", [load_breast_cancer, load_iris], ids=["cancer", "iris"])
@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
@pytest.mark.parametrize("ensemble", [True, False])
def test_calibrated_classifier_matches_sklearn(loader, method, ensemble):
    X, y = _scaled(loader)
    base = LogisticRegression(C=0.05, max_iter=2000)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    ours = CalibratedClassifierCV(base, method=method, cv=cv, ensemble=ensemble).fit(X, y)
    ref = SkCalibrated(base, method=method, cv=cv, ensemble=ensemble).fit(X, y)
    p, q = ours.predict_proba(X), ref.predict_proba(X)
    # isotonic is exact; Platt differs by scikit-learn's L-BFGS tolerance only
    np.testing.assert_allclose(p, q, atol=1e-12 if method == "isotonic" else 1e-4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    assert len(ours.calibrated_classifiers_) == (3 if ensemble else 1)


def test_calibrated_classifier_prefit_and_weights(rng):
    X, y = _scaled(load_breast_cancer)
    base = LogisticRegression(max_iter=2000).fit(X[:300], y[:300])
    cal = CalibratedClassifierCV(base, cv="prefit").fit(X[300:], y[300:])
    a, b = fit_platt(base.decision_function(X[300:]), y[300:])
    np.testing.assert_allclose(
        cal.predict_proba(X[:5])[:, 1], platt_predict(base.decision_function(X[:5]), a, b)
    )
    w = rng.uniform(0.5, 2.0, y.size)
    cv = StratifiedKFold(3, shuffle=True, random_state=1)
    ours = CalibratedClassifierCV(LogisticRegression(max_iter=2000), cv=cv, method="isotonic")
    ref = SkCalibrated(LogisticRegression(max_iter=2000), cv=cv, method="isotonic")
    np.testing.assert_allclose(
        ours.fit(X, y, sample_weight=w).predict_proba(X),
        ref.fit(X, y, sample_weight=w).predict_proba(X),
        atol=1e-6,
    )


def test_calibrated_classifier_errors():
    X, y = _scaled(load_iris)
    with pytest.raises(ValueError, match="method"):
        CalibratedClassifierCV(LogisticRegression(), method="beta").fit(X, y)
    with pytest.raises(ValueError, match="fold cross-validation"):
        CalibratedClassifierCV(LogisticRegression(), cv=60).fit(X, y)
    with pytest.raises(ValueError, match="classes"):
        CalibratedClassifierCV(LogisticRegression()).fit(X, np.zeros(len(X)))


@parametrize_with_checks(
    [CalibratedClassifierCV(), CalibratedClassifierCV(method="isotonic", ensemble=False)]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
