"""The same code on a dask.distributed LocalCluster of two worker processes."""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from m4ml import distributed as md  # noqa: E402
from m4ml import models, stats  # noqa: E402
from tests.distributed.conftest import chunked  # noqa: E402


@pytest.mark.slow
def test_mean_cov_and_regression_on_two_worker_processes(data):
    X, y = data
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        Xd, yd = chunked(X), chunked(y)
        np.testing.assert_allclose(md.mean(Xd, axis=0), stats.mean(X, axis=0), rtol=1e-12)
        ref = stats.cov(X, rowvar=False)
        s = np.sqrt(np.diag(ref))
        np.testing.assert_allclose(md.cov(Xd) / np.outer(s, s), ref / np.outer(s, s), atol=1e-12)
        reg = md.LinearRegression().fit(Xd, yd)
        np.testing.assert_allclose(reg.coef_, models.LinearRegression().fit(X, y).coef_, rtol=1e-10)
        pred = reg.predict(Xd).compute()
        np.testing.assert_allclose(pred, reg.predict(X), rtol=1e-12)
        bad = X.copy()
        bad[50, 1] = np.nan
        with pytest.raises(ValueError, match="contains NaN"):
            md.mean(chunked(bad))
