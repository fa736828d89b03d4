"""m4ml.distributed.KMeans: Lloyd over chunks equals the in-memory iterates; k-means‖ seeding."""

import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from m4ml import distributed as md  # noqa: E402
from m4ml import models  # noqa: E402
from m4ml._core import ConvergenceWarning  # noqa: E402
from tests.distributed.conftest import chunked  # noqa: E402

CH = (1, 0, 97, 0, 52, 150)  # 300 rows: a one-row chunk and empty ones


@pytest.fixture
def blobs():
    rng = np.random.default_rng(3)
    centers = np.array([[0.0, 0.0, 0.0], [5.0, 5.0, 0.0], [0.0, 6.0, 1.0], [6.0, 0.0, 3.0]])
    X = np.vstack([c + rng.normal(size=(75, 3)) for c in centers])
    return X[rng.permutation(300)] + 100.0, centers + 100.0


def _same(ours, ref, rtol=1e-10):
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=rtol)
    assert ours.n_iter_ == ref.n_iter_
    assert ours.inertia_ == pytest.approx(ref.inertia_, rel=rtol)


def test_lloyd_equals_in_memory_from_same_init(blobs):
    X, centers = blobs
    init = centers + [[0.7, -0.4, 0.2]] * 4
    ours = md.KMeans(4, init=init).fit(chunked(X, CH))
    ref = models.KMeans(4, init=init, n_init=1).fit(X)
    _same(ours, ref)
    assert ours.n_iter_ >= 2
    labels = ours.labels_
    assert isinstance(labels, da.Array)
    np.testing.assert_array_equal(labels.compute(), ref.labels_)
    np.testing.assert_allclose(ours.transform(chunked(X, CH)).compute(), ref.transform(X))
    assert ours.score(chunked(X, CH)) == pytest.approx(ref.score(X), rel=1e-10)


def test_tol_zero_runs_to_no_label_change(blobs):
    X, _ = blobs
    init = X[:4]  # a poor start: several iterations
    ours = md.KMeans(4, init=init, tol=0.0).fit(chunked(X, CH))
    ref = models.KMeans(4, init=init, n_init=1, tol=0.0).fit(X)
    _same(ours, ref)
    assert ours.n_iter_ > 3


@pytest.mark.parametrize("n_far", [1, 2])
def test_empty_cluster_takes_the_farthest_point(blobs, n_far):
    X, centers = blobs
    init = np.vstack([centers[: 4 - n_far], np.full((n_far, 3), 1e6) + np.arange(n_far)[:, None]])
    ours = md.KMeans(4, init=init).fit(chunked(X, CH))
    ref = models.KMeans(4, init=init, n_init=1).fit(X)
    assert np.isfinite(ours.cluster_centers_).all()
    _same(ours, ref)
    assert np.unique(ours.labels_.compute()).size == 4


def test_sample_weight_equals_in_memory(blobs):
    X, centers = blobs
    w = np.random.default_rng(0).uniform(0.0, 3.0, size=X.shape[0])
    init = centers + 0.5
    ours = md.KMeans(4, init=init).fit(chunked(X, CH), sample_weight=chunked(w, CH))
    ref = models.KMeans(4, init=init, n_init=1).fit(X, sample_weight=w)
    _same(ours, ref)


def test_random_init_draws_the_in_memory_rows(blobs):
    X, _ = blobs
    ours = md.KMeans(4, init="random", n_init=3, random_state=5).fit(X)
    ref = models.KMeans(4, init="random", n_init=3, random_state=5).fit(X)
    _same(ours, ref)
    dask_fit = md.KMeans(4, init="random", n_init=3, random_state=5).fit(chunked(X, CH))
    _same(dask_fit, ref)


def test_kmeans_parallel_seeding_finds_the_blobs(blobs):
    X, _ = blobs
    fits = [md.KMeans(4, random_state=s).fit(chunked(X, CH)) for s in range(5)]
    best_ref = models.KMeans(4, n_init=10, random_state=0).fit(X)
    for km in fits:
        # every run separates the four blobs: the inertia of the best in-memory run
        assert km.inertia_ == pytest.approx(best_ref.inertia_, rel=1e-9)
        found = np.sort(km.cluster_centers_[:, 0])
        np.testing.assert_allclose(found, np.sort(best_ref.cluster_centers_[:, 0]), rtol=1e-10)
    again = md.KMeans(4, random_state=2).fit(chunked(X, CH))
    np.testing.assert_array_equal(again.cluster_centers_, fits[2].cluster_centers_)
    import dask

    with dask.config.set(scheduler="synchronous"):  # the draws do not depend on scheduling
        sync = md.KMeans(4, random_state=2).fit(chunked(X, CH))
    np.testing.assert_array_equal(sync.cluster_centers_, fits[2].cluster_centers_)


def test_kmeans_parallel_with_few_distinct_rows():
    X = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 0.0]]), [10, 1, 30], axis=0)
    km = md.KMeans(3, random_state=0).fit(chunked(X, (1, 0, 20, 20)))
    np.testing.assert_allclose(np.sort(km.cluster_centers_[:, 0]), [0.0, 1.0, 5.0])
    assert km.inertia_ == pytest.approx(0.0, abs=1e-20)
    with pytest.warns(ConvergenceWarning, match="distinct clusters"):
        md.KMeans(4, random_state=0).fit(chunked(X, (1, 0, 20, 20)))


def test_errors(blobs):
    X, centers = blobs
    with pytest.raises(ValueError, match="shape of the initial centers"):
        md.KMeans(2, init=centers).fit(chunked(X, CH))
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_clusters=4"):
        md.KMeans(4).fit(chunked(X[:3], (1, 2)))
    with pytest.raises(ValueError, match="algorithm"):
        md.KMeans(4, algorithm="elkan").fit(X)
    with pytest.raises(ValueError, match="init must be"):
        md.KMeans(4, init="k-means++").fit(X)
    with pytest.raises(ValueError, match="oversampling_factor"):
        md.KMeans(4, oversampling_factor=0).fit(X)
    bad = X.copy()
    bad[120, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        md.KMeans(4, init=centers).fit(chunked(bad, CH))
    with pytest.raises(ValueError, match="2D"):
        md.KMeans(4).fit(chunked(X[:, 0], CH))


def test_not_converged_warns(blobs):
    X, _ = blobs
    with pytest.warns(ConvergenceWarning, match="did not converge in 1 iterations"):
        md.KMeans(4, init=X[:4], max_iter=1).fit(chunked(X, CH))


@parametrize_with_checks(
    [md.KMeans(3, random_state=0), md.KMeans(3, init="random", n_init=2, random_state=0)],
    expected_failed_checks=lambda est: {
        "check_sample_weight_equivalence_on_dense_data": "seeding depends on n_samples"
    },
)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
