"""Label handling: target types, unique labels, encoding, binarization."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import label_binarize as sk_label_binarize
from sklearn.utils.multiclass import type_of_target as sk_type_of_target
from sklearn.utils.multiclass import unique_labels as sk_unique_labels

from m4ml.pipeline.metrics import _labels as L

TARGETS = [
    [0, 1, 1],
    [1.0, 2.0],
    [0.5, 1],
    ["a", "b"],
    ["a", "b", "c"],
    np.array(["x", "y", "z"], dtype=object),
    [True, False],
    [[1], [2], [3]],
    [[0, 1], [1, 0]],
    [[0, 2], [1, 0]],
    [[0.5, 2.0], [1.0, 0.0]],
    [-3, 7, 7, 100],
    [[[1]]],
    np.array([1.0, 2.5], dtype=object),
    np.array([1, 2], dtype=object),
]


@pytest.mark.parametrize("y", TARGETS, ids=range(len(TARGETS)))
def test_type_of_target_matches_sklearn(y):
    assert L.type_of_target(y) == sk_type_of_target(y)


def test_type_of_target_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        L.type_of_target([0.0, np.nan])


@pytest.mark.parametrize(
    "ys",
    [([3, 1], [2, 1]), (["b", "a"], ["c"]), ([1.0, 0.0],), ([-(2**40), 2**40], [0])],
)
def test_unique_labels_matches_sklearn(ys):
    np.testing.assert_array_equal(L.unique_labels(*ys), sk_unique_labels(*ys))


def test_unique_labels_rejects_mixed_kinds():
    with pytest.raises(ValueError, match="Mix of label input types"):
        L.unique_labels(["a"], [1])


@pytest.mark.parametrize(
    "y",
    [
        np.array([5, 3, 5, 9], dtype=np.int8),
        np.array([-128, 127, 0], dtype=np.int8),
        np.array([2**62, -(2**62), 0]),
        np.array([True, False, True]),
        np.array([2.5, -1.0, 2.5]),
        np.array(["b", "a", "b"]),
        np.array([3, 1, 2], dtype=np.uint16),
        np.array([2**64 - 1, 2**64 - 3], dtype=np.uint64),
    ],
)
def test_unique_inverse_roundtrip(y):
    classes, codes = L.unique_inverse(y)
    np.testing.assert_array_equal(classes, np.unique(y))
    np.testing.assert_array_equal(classes[codes], y)
    assert classes.dtype == y.dtype


def test_unique_inverse_bad_labels():
    with pytest.raises(ValueError, match="cannot be ordered"):
        L.unique_inverse(np.array(["a", None, 1], dtype=object))
    with pytest.raises(ValueError, match="NaN"):
        L.unique_inverse(np.array([1.0, np.nan]))


def test_label_binarize_matches_sklearn():
    y = ["b", "a", "c", "a", "zzz"]
    classes = ["a", "b", "c", "d"]
    np.testing.assert_array_equal(
        L.label_binarize(y[:4], classes), sk_label_binarize(y[:4], classes=classes)
    )
    # an unknown label gives an all-zero row; unsorted classes keep their column order
    np.testing.assert_array_equal(L.label_binarize(y, classes)[-1], [0, 0, 0, 0])
    np.testing.assert_array_equal(L.label_binarize(["c", "a"], ["c", "a"]), [[1, 0], [0, 1]])


def test_check_targets_and_pos_label():
    y_type, classes, t, p, w = L.check_targets(["a", "c"], ["b", "a"], [1, 2])
    assert y_type == "multiclass"
    np.testing.assert_array_equal(classes[t], ["a", "c"])
    np.testing.assert_array_equal(classes[p], ["b", "a"])
    np.testing.assert_array_equal(w, [1.0, 2.0])
    assert L.check_pos_label(None, np.array([-1, 1])) == 1
    assert L.check_pos_label("x", np.array(["x", "y"])) == "x"
    with pytest.raises(ValueError, match="pos_label is not specified"):
        L.check_pos_label(None, np.array([1, 2]))
    with pytest.raises(ValueError, match="non-negative"):
        L.check_sample_weight([-1.0, 1.0], 2)
    with pytest.raises(ValueError, match="1-D"):
        L.column_or_1d(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="could not be converted"):
        L.as_label_array([[1, 2], [3]])
    with pytest.raises(ValueError, match="scalar"):
        L.as_label_array(3)


def test_sparse_multilabel_indicators():
    import scipy.sparse as sp
    import sklearn.metrics as skm

    from m4ml.pipeline import metrics as mm

    T = sp.csr_matrix([[0, 1, 1], [1, 0, 1], [0, 0, 1]])
    P = sp.csr_matrix([[0, 1, 0], [1, 0, 1], [1, 0, 1]])
    assert mm.accuracy_score(T, P) == skm.accuracy_score(T, P)
    assert mm.f1_score(T, P, average="samples") == pytest.approx(
        skm.f1_score(T, P, average="samples"), abs=1e-12
    )


def test_pandas_series_of_strings():
    pd = pytest.importorskip("pandas")
    arr = L.as_label_array(pd.Series(["a", "b"], dtype=object))
    assert arr.dtype.kind == "U"
    assert L.type_of_target(pd.Series(["a", "b", "c"])) == "multiclass"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-(2**31), 2**31), min_size=1, max_size=50))
def test_unique_inverse_property(values):
    y = np.array(values)
    classes, codes = L.unique_inverse(y)
    np.testing.assert_array_equal(classes, np.unique(y))
    np.testing.assert_array_equal(classes[codes], y)
