"""The tabular pipeline behind ``m4ml fit``: m4ml's own steps, capped one-hot encoding."""

import numpy as np
import pytest

from m4ml.report.baselines import DummyClassifier, DummyRegressor
from m4ml.report.tabular import OTHER, CategoryCap, TabularClassifier, TabularRegressor

pd = pytest.importorskip("pandas")


def test_category_cap_keeps_frequent_levels_only():
    col = np.array(["a"] * 10 + ["b"] * 6 + ["c"] * 5 + ["d"] * 2 + [f"id{i}" for i in range(50)])
    cap = CategoryCap(max_categories=2, min_frequency=5).fit(col[:, None])
    assert cap.levels_ == [["a", "b"]]
    out = cap.transform(np.array([["a"], ["c"], ["zzz"], ["b"]], dtype=object))
    assert out.ravel().tolist() == ["a", OTHER, OTHER, "b"]
    cap = CategoryCap(max_categories=20, min_frequency=5).fit(col[:, None])
    assert cap.levels_ == [["a", "b", "c"]]


def test_an_id_like_column_cannot_explode_the_encoding():
    n = 500
    frame = pd.DataFrame({"x": np.arange(n, dtype=float), "code": [f"c{i}" for i in range(n)]})
    model = TabularRegressor(DummyRegressor(), ["x"], ["code"], max_categories=20).fit(
        frame, np.arange(n, dtype=float)
    )
    assert model.transform(frame).shape == (n, 2)  # x and the single "(other)" level
    assert model.feature_names_out_.tolist() == ["x", f"code={OTHER}"]


def test_steps_are_m4mls_and_match_by_hand():
    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0, 5.0], "c": ["u", "v", None, "u"]})
    model = TabularClassifier(DummyClassifier(), ["x"], ["c"], min_frequency=1).fit(
        frame, np.array([0, 1, 0, 1])
    )
    for step in model.numeric_steps_ + model.categorical_steps_:
        assert type(step).__module__.startswith("m4ml."), type(step)
    Z = model.transform(frame)
    filled = np.array([1.0, 3.0, 3.0, 5.0])  # median imputation
    np.testing.assert_allclose(Z[:, 0], (filled - filled.mean()) / filled.std())
    np.testing.assert_array_equal(Z[:, 1:], [[1, 0], [0, 1], [1, 0], [1, 0]])  # mode = "u"
    assert model.score(frame, np.array([0, 1, 0, 1])) == 0.5
