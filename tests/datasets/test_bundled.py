"""The bundled tables: the penguins package data and scikit-learn's loaders by name."""

from pathlib import Path

import numpy as np
import pytest

from m4ml import datasets

pd = pytest.importorskip("pandas")

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "penguins.csv"


def test_penguins_frame_matches_the_reference_csv():
    ours = datasets.load_penguins()
    ref = pd.read_csv(REFERENCE)
    pd.testing.assert_frame_equal(ours, ref)
    assert ours.isna().sum().to_dict()["sex"] == 11


def test_penguins_arrays_match_the_frame():
    frame = datasets.load_penguins(as_frame=True)
    cols = datasets.load_penguins(as_frame=False)
    assert list(cols) == list(frame.columns)
    for name, values in cols.items():
        if values.dtype == object:
            expected = frame[name].astype(object).where(frame[name].notna(), None).tolist()
            assert values.tolist() == expected
        else:
            np.testing.assert_array_equal(values, frame[name].to_numpy(dtype=float))


def test_penguins_rejects_a_non_bool():
    with pytest.raises(TypeError, match="as_frame"):
        datasets.load_penguins(as_frame="yes")


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "diabetes"])
def test_sklearn_loaders_return_sklearns_data(name):
    import sklearn.datasets as skd

    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    X_ref, y_ref = getattr(skd, f"load_{name}")(return_X_y=True)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    assert name in datasets.DATASETS
    frame = getattr(datasets, f"load_{name}")(as_frame=True).frame
    assert frame.shape[0] == X.shape[0]


def test_loaders_take_keywords_only():
    with pytest.raises(TypeError):
        datasets.load_iris(True)
