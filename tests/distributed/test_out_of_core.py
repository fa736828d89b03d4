"""Out of core: 960 MB generated chunk by chunk on 2 workers capped at 400 MB each (~110 s)."""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from m4ml import distributed as md  # noqa: E402


@pytest.mark.slow
def test_mean_cov_pca_and_regression_out_of_core():
    import dask.array as da

    n, p = 2_400_000, 50  # 960 MB of float64, never materialized in one process
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            memory_limit="400MB",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        workers = set(client.scheduler_info()["workers"])
        X = da.random.default_rng(0).normal(size=(n, p), chunks=(25_000, p))
        y = X[:, :3].sum(axis=1) + 1.0
        assert X.nbytes > 2 * 400e6
        # standard normal data: mean 0 +- 4/sqrt(n), covariance I +- 5/sqrt(n)
        assert np.abs(md.mean(X, axis=0)).max() < 4 / np.sqrt(n)
        C = md.cov(X)
        assert np.abs(C - np.eye(p)).max() < 5 / np.sqrt(n)
        reg = md.LinearRegression().fit(X, y)  # exact linear target: coefficients exact
        np.testing.assert_allclose(reg.coef_, [1.0] * 3 + [0.0] * (p - 3), atol=1e-12)
        assert reg.intercept_ == pytest.approx(1.0, abs=1e-12)
        ev = md.PCA(5).fit(X).explained_variance_
        # TSQR path against the covariance path (eigenvalues of the merged covariance)
        np.testing.assert_allclose(ev, np.linalg.eigvalsh(C)[::-1][:5], rtol=1e-10)
        # no worker was killed and restarted by its nanny (a restart changes the address)
        assert set(client.scheduler_info()["workers"]) == workers
