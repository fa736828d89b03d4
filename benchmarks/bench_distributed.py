"""m4ml.distributed on a Dask array (threaded scheduler) vs the in-memory NumPy path.

A small workload that fits comfortably in memory on the 2-core benchmark machine: 400000 x 20
float64 (64 MB) in 8 row chunks of 50000. The issue's 10^7 x 50 cluster workload (4 GB,
generated chunk by chunk) is not measured here. Skipped without Dask.
"""

import numpy as np

from benchmarks.workload import Workload

N, P, CHUNK = 400_000, 20, 50_000


def _data():
    import dask.array as da

    rng = np.random.default_rng(0)
    X = rng.normal(size=(N, P)) * np.linspace(1.0, 5.0, P) + 3.0
    y = X @ np.linspace(-1.0, 1.0, P) + 0.1 * rng.normal(size=N)
    return da.from_array(X, chunks=(CHUNK, P)), da.from_array(y, chunks=CHUNK), X, y


def _md_cov(Xd, yd, X, y):
    from m4ml.distributed import cov

    return cov(Xd)


def _np_cov(Xd, yd, X, y):
    return np.cov(X, rowvar=False)


def _md_lr(Xd, yd, X, y):
    from m4ml.distributed import LinearRegression

    return LinearRegression().fit(Xd, yd).coef_


def _np_lr(Xd, yd, X, y):
    from sklearn.linear_model import LinearRegression

    return LinearRegression().fit(X, y).coef_


def _md_pca(Xd, yd, X, y):
    from m4ml.distributed import PCA

    return PCA(10).fit(Xd).explained_variance_


def _sk_pca(Xd, yd, X, y):
    from sklearn.decomposition import PCA

    return PCA(10, svd_solver="full").fit(X).explained_variance_


try:
    import dask.array  # noqa: F401
except ImportError:  # pragma: no cover - the optional extra is absent
    WORKLOADS = []
else:
    WORKLOADS = [
        Workload(
            name="distributed cov, Dask 400000x20 in 8 chunks vs in memory",
            group="distributed",
            setup=_data,
            m4ml=_md_cov,
            reference=_np_cov,
            reference_name="numpy.cov (in memory)",
            repeats=3,
        ),
        Workload(
            name="distributed LinearRegression (TSQR), Dask 400000x20 vs in memory",
            group="distributed",
            setup=_data,
            m4ml=_md_lr,
            reference=_np_lr,
            reference_name="sklearn LinearRegression (in memory)",
            repeats=3,
        ),
        Workload(
            name="distributed PCA k=10 (mean + TSQR), Dask 400000x20 vs in memory",
            group="distributed",
            setup=_data,
            m4ml=_md_pca,
            reference=_sk_pca,
            reference_name="sklearn PCA full (in memory)",
            repeats=3,
        ),
    ]


# ---------------------------------------------------------------------------------------------
# The cluster workload, run as a script (not by the runner: one run takes minutes):
#
#     OPENBLAS_NUM_THREADS=1 python -m benchmarks.bench_distributed [--rows 1e6 3e6 1e7]
#
# prints a Markdown table and writes nothing. Each size is generated chunk by chunk by
# dask.array's seeded random generator (never materialized in one process) on a LocalCluster
# of 2 worker processes with one thread each; peak memory per worker is the largest resident
# set size seen by a sampler polling the worker processes every 0.1 s (psutil).

P_CLUSTER, CHUNK_ROWS = 50, 125_000  # 50 MB chunks


class _PeakSampler:
    """Largest RSS of each worker process while the ``with`` block runs."""

    def __init__(self, client):
        import os

        self.pids = client.run(os.getpid)

    def __enter__(self):
        import threading

        import psutil

        self.procs = {a: psutil.Process(pid) for a, pid in self.pids.items()}
        self.peak = {a: p.memory_info().rss for a, p in self.procs.items()}
        self._stop = threading.Event()

        def poll():
            while not self._stop.wait(0.1):
                for a, p in self.procs.items():
                    self.peak[a] = max(self.peak[a], p.memory_info().rss)

        self._thread = threading.Thread(target=poll, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _cluster_data(n):
    import dask.array as da

    gen = da.random.default_rng(0)
    X = gen.normal(size=(n, P_CLUSTER), chunks=(CHUNK_ROWS, P_CLUSTER))
    beta = np.linspace(-1.0, 1.0, P_CLUSTER)
    y = X @ beta + 0.1 * gen.normal(size=n, chunks=CHUNK_ROWS)
    return X, y


def _m4ml_jobs(X, y):
    from m4ml import distributed as md

    return {
        "mean + cov (m4ml, 1 pass each)": lambda: (md.mean(X, axis=0), md.cov(X)),
        "PCA(10) (m4ml: mean, TSQR)": lambda: md.PCA(10).fit(X).explained_variance_,
        "LinearRegression (m4ml: TSQR)": lambda: md.LinearRegression().fit(X, y).coef_,
    }


def _dask_ml_jobs(X, y):
    import dask_ml.decomposition
    import dask_ml.linear_model

    return {
        "PCA(10) (dask-ml, svd_solver='tsqr')": lambda: (
            dask_ml.decomposition.PCA(10, svd_solver="tsqr").fit(X).explained_variance_
        ),
        "LinearRegression (dask-ml, default solver)": lambda: (
            dask_ml.linear_model.LinearRegression().fit(X, y).coef_
        ),
    }


def _in_memory_jobs(n):
    """The in-memory m4ml path on one process (NumPy arrays), for the size that fits."""
    from m4ml import models, stats

    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, P_CLUSTER))
    y = X @ np.linspace(-1.0, 1.0, P_CLUSTER) + 0.1 * rng.normal(size=n)
    return {
        "mean + cov (m4ml.stats, in memory)": lambda: (
            stats.mean(X, axis=0),
            stats.cov(X, rowvar=False),
        ),
        "PCA(10) (m4ml.models, in memory)": lambda: models.PCA(10).fit(X).explained_variance_,
        "LinearRegression (m4ml.models, in memory)": lambda: (
            models.LinearRegression().fit(X, y).coef_
        ),
    }


def _time(job, client=None):
    import time

    t0 = time.perf_counter()
    if client is None:
        job()
        return time.perf_counter() - t0, None
    with _PeakSampler(client) as sampler:
        job()
    return time.perf_counter() - t0, sorted(v / 1e6 for v in sampler.peak.values())


def run_cluster(rows, in_memory_rows, dask_ml_rows=()):
    """Time every job at every size; returns rows of (job, n, seconds, peak MB per worker)."""
    import distributed

    out = []
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        for n in rows:
            X, y = _cluster_data(n)
            jobs = _m4ml_jobs(X, y)
            if n in dask_ml_rows:
                jobs.update(_dask_ml_jobs(X, y))
            for name, job in jobs.items():
                try:
                    seconds, peaks = _time(job, client)
                except Exception as exc:  # dask-ml against this scikit-learn
                    seconds, peaks = None, f"failed: {type(exc).__name__}: {exc}"[:160]
                out.append((name, n, seconds, peaks))
                print(out[-1], flush=True)
    if in_memory_rows:
        import resource

        for name, job in _in_memory_jobs(in_memory_rows).items():
            seconds, _ = _time(job)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
            out.append((name, in_memory_rows, seconds, f"process peak {peak:.0f} MB"))
            print(out[-1], flush=True)
    return out


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description="m4ml.distributed on a 2-worker LocalCluster")
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6, 3e6, 1e7])
    parser.add_argument("--in-memory-rows", type=float, default=3e6)
    parser.add_argument("--dask-ml-rows", type=float, nargs="*", default=[1e6])
    args = parser.parse_args(argv)
    rows = [int(r) for r in args.rows]
    dask_ml_rows = {int(r) for r in args.dask_ml_rows}
    results = run_cluster(rows, int(args.in_memory_rows), dask_ml_rows)
    print("\n| job | rows | time | peak RSS per worker (MB) |\n|---|---|---|---|")
    for name, n, seconds, peaks in results:
        t = "—" if seconds is None else f"{seconds:.1f} s"
        p = peaks if isinstance(peaks, str) else " / ".join(f"{v:.0f}" for v in peaks)
        print(f"| {name} | {n:.0e} | {t} | {p} |")


if __name__ == "__main__":
    main()
