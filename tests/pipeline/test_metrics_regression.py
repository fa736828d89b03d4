"""Regression metrics against scikit-learn, including multioutput and weights."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml.pipeline import metrics as mm
from m4ml.pipeline.metrics import UndefinedMetricWarning

TOL = 1e-12
NAMES = [
    "mean_squared_error",
    "root_mean_squared_error",
    "mean_absolute_error",
    "r2_score",
    "explained_variance_score",
]


def _same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=TOL, equal_nan=True)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("outputs", [0, 1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_match_sklearn(rng, name, outputs, weighted):
    shape = (50,) if outputs == 0 else (50, outputs)
    t = rng.normal(size=shape) * 3 + 1
    p = t + rng.normal(size=shape)
    w = rng.random(50) if weighted else None
    options = ["raw_values", "uniform_average"]
    if name in ("r2_score", "explained_variance_score"):
        options.append("variance_weighted")
    if outputs == 3:
        options.append(rng.random(3))
    for multioutput in options:
        got = getattr(mm, name)(t, p, sample_weight=w, multioutput=multioutput)
        want = getattr(skm, name)(t, p, sample_weight=w, multioutput=multioutput)
        _same(got, want)
        if not (isinstance(multioutput, str) and multioutput == "raw_values"):
            assert isinstance(got, float)


@pytest.mark.parametrize("name", ["r2_score", "explained_variance_score"])
@pytest.mark.parametrize("force_finite", [True, False])
def test_constant_targets(name, force_finite):
    t = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0]])
    for p in (t.copy(), t + np.array([[0.5, 0.0]]), t + np.array([[0.0, 1.0]])):
        for multioutput in ("raw_values", "uniform_average", "variance_weighted"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                want = getattr(skm, name)(t, p, multioutput=multioutput, force_finite=force_finite)
            got = getattr(mm, name)(t, p, multioutput=multioutput, force_finite=force_finite)
            _same(got, want)


def test_real_data_regression():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge

    X, y = load_diabetes(return_X_y=True)
    pred = Ridge(alpha=1.0).fit(X[::2], y[::2]).predict(X[1::2])
    for name in NAMES:
        _same(getattr(mm, name)(y[1::2], pred), getattr(skm, name)(y[1::2], pred))


def test_errors_and_edge_cases():
    with pytest.raises(ValueError, match="Inconsistent"):
        mm.mean_squared_error([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="different number of output"):
        mm.r2_score(np.ones((3, 2)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="multioutput"):
        mm.mean_absolute_error([1.0, 2.0], [1.0, 2.0], multioutput="variance_weighted")
    with pytest.raises(ValueError, match="only in multi-output"):
        mm.mean_squared_error([1.0, 2.0], [1.0, 2.0], multioutput=[1.0])
    with pytest.raises(ValueError, match="equally many custom weights"):
        mm.mean_squared_error(np.ones((3, 2)), np.ones((3, 2)), multioutput=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="NaN"):
        mm.mean_squared_error([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        mm.r2_score([], [])
    with pytest.raises(ValueError, match="sums to zero"):
        mm.mean_squared_error([1.0, 2.0], [1.0, 2.0], sample_weight=[0.0, 0.0])
    with pytest.raises(TypeError, match="real numbers"):
        mm.mean_absolute_error(["a", "b"], [1.0, 2.0])
    with pytest.warns(UndefinedMetricWarning, match="less than two samples"):
        assert np.isnan(mm.r2_score([1.0], [2.0]))
    assert mm.r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 1.0


finite = st.integers(-1000, 1000).map(float)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(2, 30), elements=finite), st.floats(-100, 100))
@example(np.full(26, 274.0), -46.04265724722594)  # constant y: the bias's "variance" was 5e-29
def test_identities(y, shift):
    p = y + shift
    # RMSE^2 = MSE, MAE of a constant shift, explained variance ignores a constant bias
    assert mm.root_mean_squared_error(y, p) ** 2 == pytest.approx(
        mm.mean_squared_error(y, p), rel=1e-9, abs=1e-9
    )
    assert mm.mean_absolute_error(y, p) == pytest.approx(abs(shift), rel=1e-9, abs=1e-9)
    assert mm.explained_variance_score(y, p) == pytest.approx(1.0, abs=1e-6)
    # predicting the mean gives R^2 = 0 (unless y is constant, then 1 by convention)
    r2 = mm.r2_score(y, np.full_like(y, y.mean()))
    assert r2 == pytest.approx(0.0 if np.ptp(y) > 0 else 1.0, abs=1e-9)


def test_penguins_regression():
    """Body mass from flipper length (rows with missing values dropped)."""
    from pathlib import Path

    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LinearRegression

    df = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "penguins.csv")
    df = df.dropna(subset=["flipper_length_mm", "body_mass_g", "bill_depth_mm"])
    X = df[["flipper_length_mm"]].to_numpy()
    Y = df[["body_mass_g", "bill_depth_mm"]].to_numpy()
    pred = LinearRegression().fit(X[::2], Y[::2]).predict(X[1::2])
    for name in NAMES:
        for multioutput in ("raw_values", "uniform_average"):
            _same(
                getattr(mm, name)(Y[1::2], pred, multioutput=multioutput),
                getattr(skm, name)(Y[1::2], pred, multioutput=multioutput),
            )


def test_constant_columns_have_exactly_zero_variance():
    # regression (issue 9): the rounded mean of identical values is off by an ulp, so a
    # constant y_true had "variance" 1e-31 and R^2 of a biased prediction was -1.3e33 (not the
    # documented 0), and a constant residual made explained variance 0 instead of 1
    # (scikit-learn computes the same rounding artifacts)
    t = np.full(26, 0.1)
    assert mm.r2_score(t, t + 0.5) == 0.0
    assert mm.r2_score(t, t) == 1.0
    y = np.full(26, 274.0)
    assert mm.explained_variance_score(y, y - 46.04265724722594) == 1.0
    two = np.column_stack([t, np.arange(26.0)])
    raw = mm.r2_score(two, two + np.array([0.5, 0.0]), multioutput="raw_values")
    np.testing.assert_array_equal(raw, [0.0, 1.0])
