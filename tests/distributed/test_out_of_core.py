"""Out of core: 1.5 GB generated chunk by chunk on 2 workers capped at 600 MB each."""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from m4ml import distributed as md  # noqa: E402


def _peak_rss():
    """Peak resident memory of this (worker) process's own address space, in bytes.

    Linux's VmHWM, not ``getrusage().ru_maxrss``: the latter survives ``exec`` and so
    reports the peak of the process the worker was forked from (a pytest-xdist worker that
    had grown to 760 MB made the workers look that big).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.mark.slow
def test_mean_cov_pca_and_regression_out_of_core():
    import dask
    import dask.array as da

    n, p, limit = 3_750_000, 50, 600e6  # 1.5 GB of float64, never materialized in one process
    # A worker that has imported dask, distributed, scikit-learn and SciPy already holds about
    # 330 MB. Under a 400 MB cap it sits above the default pause threshold (80%) and waits
    # forever for memory it cannot free, and with pausing off the nanny restarted both
    # workers (95% of the cap) during the TSQR pass; so the cap is 600 MB, the data still 1.25
    # times what the two workers may hold together. No pausing or spilling (nothing is held
    # to spill); the terminate threshold stays on: that is the "worker killed" ruled out here.
    no_pause = {f"distributed.worker.memory.{k}": False for k in ("target", "spill", "pause")}
    with (
        dask.config.set(no_pause),
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            memory_limit=limit,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        workers = set(client.scheduler_info()["workers"])
        X = da.random.default_rng(0).normal(size=(n, p), chunks=(10_000, p))
        y = X[:, :3].sum(axis=1) + 1.0
        assert X.nbytes >= 1.5e9 > 2 * limit
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
        # no worker was killed and restarted by its nanny (a restart changes the address),
        # and none came near its cap
        assert set(client.scheduler_info()["workers"]) == workers
        peaks = client.run(_peak_rss)
        assert max(peaks.values()) < limit, peaks
        print("peak RSS per worker (MB):", sorted(round(v / 1e6) for v in peaks.values()))
