import numpy as np
import pytest

da = pytest.importorskip("dask.array")

from m4ml import distributed as md  # noqa: E402
from m4ml import models  # noqa: E402
from tests.distributed.conftest import chunked  # noqa: E402

REL = 1e-10


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_linear_regression_matches_models(data, fit_intercept):
    X, y = data
    ours = md.LinearRegression(fit_intercept=fit_intercept).fit(chunked(X), chunked(y))
    ref = models.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=REL)
    # the intercept cancels terms of size |mean(X)| |w| (~2e4 here): relative to that scale
    scale = np.abs(X.mean(axis=0)) @ np.abs(ref.coef_) + abs(ref.intercept_)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-13 * scale)
    pred = ours.predict(chunked(X))
    assert isinstance(pred, da.Array)
    np.testing.assert_allclose(pred.compute(), ref.predict(X), rtol=1e-10)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10)


def test_linear_regression_multi_target(data):
    X, y = data
    Y = np.column_stack([y, -y + X[:, 0]])
    ours = md.LinearRegression().fit(chunked(X), chunked(Y))
    ref = models.LinearRegression().fit(X, Y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=REL)
    scale = (np.abs(X.mean(axis=0)) @ np.abs(ref.coef_.T) + np.abs(ref.intercept_)).max()
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-13 * scale)
    assert ours.predict(chunked(X)).compute().shape == (101, 2)


@pytest.mark.parametrize("alpha", [0.0, 0.5, 1e3])
def test_ridge_matches_models(data, alpha):
    X, y = data
    ours = md.Ridge(alpha=alpha).fit(chunked(X), y)  # NumPy y next to Dask X
    ref = models.Ridge(alpha=alpha).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=REL)
    scale = np.abs(X.mean(axis=0)) @ np.abs(ref.coef_) + abs(ref.intercept_)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=0, atol=1e-13 * scale)


def test_ridge_rejects_negative_alpha(data):
    X, y = data
    with pytest.raises(ValueError, match="alpha"):
        md.Ridge(alpha=-1.0).fit(X, y)


def test_mismatched_lengths(data):
    X, y = data
    with pytest.raises(ValueError, match="same number of rows"):
        md.LinearRegression().fit(chunked(X), y[:-1])


def test_nan_in_target_raises(data):
    X, y = data
    y = y.copy()
    y[40] = np.nan
    with pytest.raises(ValueError, match="y contains NaN"):
        md.LinearRegression().fit(chunked(X), chunked(y))


@pytest.mark.parametrize("k", [1, 3, 4])
def test_pca_matches_models_up_to_sign(data, k):
    X, _ = data
    ours = md.PCA(n_components=k).fit(chunked(X))
    ref = models.PCA(n_components=k, svd_solver="full").fit(X)
    # same sign convention, so equal; allow a flip per component all the same
    signs = np.sign(np.sum(ours.components_ * ref.components_, axis=1))
    np.testing.assert_allclose(ours.components_ * signs[:, None], ref.components_, atol=1e-10)
    for name in ("explained_variance_", "explained_variance_ratio_", "singular_values_", "mean_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=REL)
    assert ours.noise_variance_ == pytest.approx(ref.noise_variance_, rel=REL)
    Z = ours.transform(chunked(X))
    assert isinstance(Z, da.Array)
    np.testing.assert_allclose(Z.compute() * signs, ref.transform(X), atol=1e-9)
    back = ours.inverse_transform(Z).compute()
    np.testing.assert_allclose(back, ref.inverse_transform(ref.transform(X)), atol=1e-8)


def test_pca_bad_n_components(data):
    X, _ = data
    with pytest.raises(ValueError, match="n_components"):
        md.PCA(n_components=5).fit(chunked(X))
    with pytest.raises(ValueError, match="at least 2 samples"):
        md.PCA().fit(X[:1])


def test_dask_dataframe_input(data):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(y=y)
    ddf = dd.from_pandas(frame, npartitions=3)
    ours = md.LinearRegression().fit(ddf[["a", "b", "c", "d"]], ddf["y"])
    ref = models.LinearRegression().fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=REL)
    pred = ours.predict(ddf[["a", "b", "c", "d"]])
    assert isinstance(pred, da.Array)
    np.testing.assert_allclose(pred.compute(), ref.predict(X), rtol=1e-10)
    np.testing.assert_allclose(md.mean(ddf, axis=0)[:4], X.mean(axis=0), rtol=1e-12)
