import numpy as np
import pytest

da = pytest.importorskip("dask.array")

from m4ml import distributed as md  # noqa: E402
from m4ml import pipeline  # noqa: E402
from tests.distributed.conftest import chunked  # noqa: E402


@pytest.mark.parametrize("feature_range", [(0, 1), (-2.0, 3.0)])
def test_min_max_scaler_matches_pipeline(data, feature_range):
    X, _ = data
    X = np.column_stack([X, np.full(101, 2.0)])  # a constant column too
    ours = md.MinMaxScaler(feature_range).fit(chunked(X))
    ref = pipeline.MinMaxScaler(feature_range=feature_range).fit(X)
    for name in ("data_min_", "data_max_", "scale_", "min_"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(ref, name))
    Z = ours.transform(chunked(X))
    assert isinstance(Z, da.Array)
    np.testing.assert_array_equal(Z.compute(), ref.transform(X))


def test_min_max_scaler_errors(data):
    X, _ = data
    with pytest.raises(ValueError, match="lo < hi"):
        md.MinMaxScaler((1, 0)).fit(X)
    X = X.copy()
    X[3, 3] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        md.MinMaxScaler().fit(chunked(X))


@pytest.mark.parametrize("keep", [False, True])
def test_mean_imputer_matches_pipeline(data, keep):
    X, _ = data
    X = np.column_stack([X, np.full(101, np.nan)])  # an empty column
    X[::9, 1] = np.nan
    X[50:60, 2] = np.nan
    ours = md.SimpleImputer(keep_empty_features=keep).fit(chunked(X))
    ref = pipeline.SimpleImputer(keep_empty_features=keep).fit(X)
    np.testing.assert_allclose(
        ours.statistics_.astype(float), ref.statistics_.astype(float), rtol=1e-13
    )
    if keep:
        got = ours.transform(chunked(X)).compute()
        np.testing.assert_allclose(got, ref.transform(X), rtol=1e-13)
    else:
        with pytest.warns(UserWarning):
            got = ours.transform(chunked(X[:40], (1, 0, 39))).compute()
        with pytest.warns(UserWarning):
            np.testing.assert_allclose(got, ref.transform(X[:40]), rtol=1e-13)
    assert not np.isnan(got).any()


def test_imputer_errors(data):
    X, _ = data
    with pytest.raises(ValueError, match="strategy"):
        md.SimpleImputer(strategy="median").fit(X)
    X = X.copy()
    X[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        md.SimpleImputer().fit(chunked(X))
