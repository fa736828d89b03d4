"""The chunked models on a dask.distributed LocalCluster of two worker processes."""

import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from m4ml import distributed as md  # noqa: E402
from m4ml import models  # noqa: E402
from tests.distributed.conftest import chunked  # noqa: E402

CH = (1, 0, 97, 0, 52, 150)


@pytest.mark.slow
def test_models_on_two_worker_processes():
    rng = np.random.default_rng(5)
    centers = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    X = np.vstack([c + rng.normal(size=(100, 2)) for c in centers])[rng.permutation(300)]
    y = np.where(X[:, 0] > X[:, 1], 1, 0)
    init = centers + 0.5
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        Xd, yd = chunked(X, CH), chunked(y, CH)
        km = md.KMeans(3, init=init).fit(Xd)
        ref = models.KMeans(3, init=init, n_init=1).fit(X)
        np.testing.assert_allclose(km.cluster_centers_, ref.cluster_centers_, rtol=1e-10)
        assert km.n_iter_ == ref.n_iter_
        seeded = md.KMeans(3, random_state=0).fit(Xd)  # k-means‖ draws on the workers
        assert seeded.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)

        start = {"means_init": ref.cluster_centers_, "weights_init": [1 / 3] * 3,
                 "precisions_init": np.stack([np.eye(2)] * 3), "tol": 1e-9}  # fmt: skip
        gm = md.GaussianMixture(3, **start).fit(Xd)
        gref = models.GaussianMixture(3, **start).fit(X)
        np.testing.assert_allclose(gm.means_, gref.means_, rtol=1e-10)
        np.testing.assert_allclose(gm.lower_bounds_, gref.lower_bounds_, rtol=1e-10)
        np.testing.assert_array_equal(gm.predict(Xd).compute(), gref.predict(X))

        # partial_fit chain: the estimator is pickled from worker to worker
        sgd = md.SGDClassifier(random_state=0, max_iter=3, tol=None).fit(Xd, yd)
        sref = models.SGDClassifier(random_state=0)
        for _ in range(3):
            start_row = 0
            for size in CH:
                if size:
                    rows = slice(start_row, start_row + size)
                    sref.partial_fit(X[rows], y[rows], classes=[0, 1])
                start_row += size
        np.testing.assert_array_equal(sgd.coef_, sref.coef_)
