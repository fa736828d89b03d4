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
