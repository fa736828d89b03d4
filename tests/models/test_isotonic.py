"""IsotonicRegression and isotonic_regression vs scikit-learn, the PAVA optimality conditions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.isotonic import IsotonicRegression as SkIso
from sklearn.isotonic import isotonic_regression as sk_isotonic_regression

from m4ml.models import IsotonicRegression, isotonic_regression


@pytest.mark.parametrize("increasing", [True, False, "auto"])
@pytest.mark.parametrize("out_of_bounds", ["nan", "clip"])
def test_matches_sklearn_with_ties_and_weights(rng, increasing, out_of_bounds):
    n = 400
    x = np.round(rng.standard_normal(n), 1)  # many ties
    y = (1 if increasing is not False else -1) * x + rng.standard_normal(n)
    w = rng.uniform(0.0, 2.0, n)
    ours = IsotonicRegression(increasing=increasing, out_of_bounds=out_of_bounds).fit(x, y, w)
    ref = SkIso(increasing=increasing, out_of_bounds=out_of_bounds).fit(x, y, w)
    t = np.linspace(-5, 5, 201)
    np.testing.assert_allclose(ours.predict(t), ref.predict(t), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.X_thresholds_, ref.X_thresholds_)
    np.testing.assert_allclose(ours.y_thresholds_, ref.y_thresholds_, atol=1e-12)
    assert ours.increasing_ == ref.increasing_
    np.testing.assert_allclose(ours.fit_transform(x[:, None], y), ref.fit_transform(x, y))


def test_function_matches_sklearn_and_bounds(rng):
    y = rng.standard_normal(300).cumsum() + rng.standard_normal(300)
    w = rng.uniform(0.5, 1.5, 300)
    for inc in (True, False):
        ours = isotonic_regression(y, sample_weight=w, y_min=-2.0, y_max=3.0, increasing=inc)
        ref = sk_isotonic_regression(y, sample_weight=w, y_min=-2.0, y_max=3.0, increasing=inc)
        np.testing.assert_allclose(ours, ref, atol=1e-12)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=40))
def test_pava_optimality(values):
    """The fit is monotone, each block holds its mean, and it beats random monotone candidates."""
    y = np.array(values)
    fit = isotonic_regression(y)
    assert np.all(np.diff(fit) >= -1e-12)
    for v in np.unique(fit):
        block = fit == v
        assert abs(y[block].mean() - v) <= 1e-9 * (1 + abs(v))
    best = ((fit - y) ** 2).sum()
    cand = np.sort(y)  # a monotone sequence: never better than the projection
    assert best <= ((cand - y) ** 2).sum() + 1e-9
    assert best <= ((np.full_like(y, y.mean()) - y) ** 2).sum() + 1e-9


def test_edge_cases_and_errors():
    one = IsotonicRegression().fit([1.0], [2.0])
    assert one.predict([1.0]).tolist() == [2.0]
    iso = IsotonicRegression().fit([0, 1, 2], [0.0, 1.0, 2.0])
    assert np.isnan(iso.predict([3.0])[0])
    with pytest.raises(ValueError, match="outside the training range"):
        IsotonicRegression(out_of_bounds="raise").fit([0, 1], [0, 1]).predict([2.0])
    with pytest.raises(ValueError, match="1d array or 2d array with 1 feature"):
        IsotonicRegression().fit(np.ones((3, 2)), [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        IsotonicRegression().fit([0, np.nan], [1, 2])
    with pytest.raises(ValueError, match="same number"):
        IsotonicRegression().fit([0, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="out_of_bounds"):
        IsotonicRegression(out_of_bounds="wrap").fit([0, 1], [1, 2])
    with pytest.raises(ValueError, match="1-D"):
        isotonic_regression(np.ones((2, 2)))


def test_clone_and_params():
    # scikit-learn's check suite skips one-feature estimators (as it does its own)
    iso = clone(IsotonicRegression(increasing="auto", y_min=0.0))
    assert iso.get_params()["increasing"] == "auto" and iso.y_min == 0.0
    assert iso.fit([0, 1, 2], [2.0, 1.0, 0.0]).increasing_ is False
    assert iso.get_feature_names_out().tolist() == ["isotonicregression0"]
