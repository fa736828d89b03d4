"""The same code on a dask.distributed LocalCluster of worker processes, and its faults."""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from m4ml import distributed as md  # noqa: E402
from m4ml import models, stats  # noqa: E402
from tests.distributed.conftest import chunked  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of two worker processes (one thread each), shared by this module."""
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.mark.slow
def test_mean_cov_and_regression_on_two_worker_processes(data, client):
    X, y = data
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
    np.testing.assert_array_equal(
        md.quantile(Xd, [0.1, 0.5], exact=True, summary_size=5),
        stats.quantile(X, [0.1, 0.5], axis=0),
    )


def _slow(block):
    """The block itself, after a pause: makes a graph last long enough to be interrupted."""
    import time

    time.sleep(0.25)
    return block


def _kill_one_worker_while(client, run, *args):
    """Run ``run(*args)`` in a thread, SIGKILL one worker process mid-way; return the result.

    The worker's Nanny starts a new worker process, and the scheduler recomputes whatever the
    dead one held. Asserts that the kill happened while the computation was running and that
    a fresh worker replaced the killed one.
    """
    import os
    import signal
    import time
    from concurrent.futures import ThreadPoolExecutor

    pids = client.run(os.getpid)  # address -> pid of each worker process
    victim_address, victim = sorted(pids.items())[0]
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(run, *args)
        deadline = time.monotonic() + 60
        # wait until the victim holds finished chunks, so the kill loses work
        while not client.run(lambda dask_worker: len(dask_worker.data), workers=[victim_address])[
            victim_address
        ]:
            assert time.monotonic() < deadline and not future.done()
            time.sleep(0.05)
        os.kill(victim, signal.SIGKILL)
        assert not future.done(), "the computation ended before the worker was killed"
        result = future.result(timeout=300)
    client.wait_for_workers(len(pids), timeout=60)
    new_pids = set(client.run(os.getpid).values())
    assert victim not in new_pids and len(new_pids) == len(pids)
    return result


@pytest.mark.slow
def test_a_killed_worker_does_not_change_the_result():
    import dask.array as da

    rng = np.random.default_rng(8)
    X = rng.normal(size=(3000, 6)) * [1.0, 5.0, 0.1, 2.0, 1e3, 1.0] + 7.0
    chunks = (1, 0, *([149] * 20), 19)
    with (
        distributed.LocalCluster(
            n_workers=3, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        Xd = da.from_array(X, chunks=(chunks, 6)).map_blocks(_slow, dtype=float)
        undisturbed = (md.cov(Xd), md.tsqr(Xd))
        C = _kill_one_worker_while(client, md.cov, Xd)
        np.testing.assert_array_equal(C, undisturbed[0])  # the same tree of merges: same bits
        R = _kill_one_worker_while(client, md.tsqr, Xd)
        np.testing.assert_array_equal(R, undisturbed[1])
        # and the undisturbed cluster result is the in-memory one
        ref = stats.cov(X, rowvar=False)
        s = np.sqrt(np.diag(ref))
        np.testing.assert_allclose(C / np.outer(s, s), ref / np.outer(s, s), atol=1e-12)


@pytest.mark.slow
def test_nan_in_one_chunk_raises_as_the_numpy_path(data, client):
    X = data[0].copy()
    X[60, 2] = np.nan  # in the chunk of 25 rows
    calls = {
        "mean": md.mean,
        "cov": md.cov,
        "tsqr": md.tsqr,
        "quantile": lambda a: md.quantile(a, 0.5),
        "PCA": lambda a: md.PCA(2).fit(a),
        "LinearRegression": lambda a: md.LinearRegression().fit(a, data[1]),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError, match="contains NaN") as numpy_path:
            call(X)
        with pytest.raises(ValueError, match="contains NaN") as on_cluster:
            call(chunked(X))
        # the same message but for the size of the chunk that held the NaN
        expected = str(numpy_path.value).replace("101 rows", "25 rows")
        assert str(on_cluster.value) == expected, name
