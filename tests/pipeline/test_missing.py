import numpy as np
import pytest

from m4ml.pipeline._missing import is_nan_missing, missing_mask


def test_float_nan_mask():
    X = np.array([[1.0, np.nan], [np.nan, 0.0]])
    np.testing.assert_array_equal(missing_mask(X), [[False, True], [True, False]])


def test_object_array_counts_nan_none_and_pandas_na():
    pd = pytest.importorskip("pandas")
    X = np.array([["a", None], [np.nan, pd.NA], [float("nan"), "b"]], dtype=object)
    np.testing.assert_array_equal(missing_mask(X), [[False, True], [True, True], [True, False]])


def test_sentinel_values():
    np.testing.assert_array_equal(missing_mask(np.array([0, -1, 3]), -1), [False, True, False])
    X = np.array(["x", "?", "y"], dtype=object)
    np.testing.assert_array_equal(missing_mask(X, "?"), [False, True, False])


def test_integer_array_has_no_nan():
    assert not missing_mask(np.arange(4)).any()
    assert missing_mask(np.empty((0, 3), dtype=object)).shape == (0, 3)


def test_is_nan_missing():
    assert is_nan_missing(np.nan) and is_nan_missing(None)
    assert not is_nan_missing(-1) and not is_nan_missing("?")
