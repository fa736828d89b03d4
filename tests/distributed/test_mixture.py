"""m4ml.distributed.GaussianMixture: EM over chunks visits the in-memory iterates."""

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
TYPES = ("full", "tied", "diag", "spherical")


@pytest.fixture(scope="module")
def three():
    rng = np.random.default_rng(1)
    X = np.vstack(
        [
            rng.normal([-3.0, 0.0, 1.0], 1.0, (150, 3)),
            rng.normal([3.0, 2.0, 0.0], [0.5, 1.0, 2.0], (100, 3)),
            rng.normal([0.0, 5.0, 0.0], 0.7, (50, 3)),
        ]
    )
    return X[rng.permutation(300)]


def _start(X, covariance_type):
    """Rough parameters after two EM steps in memory: the shared initial values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = models.GaussianMixture(3, covariance_type=covariance_type, random_state=0,
                                    max_iter=2).fit(X)  # fmt: skip
    return {"weights_init": gm.weights_, "means_init": gm.means_, "precisions_init": gm.precisions_}


def _assert_same(ours, ref, rtol=1e-12):
    assert ours.n_iter_ == ref.n_iter_
    assert ours.converged_ == ref.converged_
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        a, b = getattr(ours, name), getattr(ref, name)
        np.testing.assert_allclose(a, b, rtol=0, atol=rtol * np.abs(b).max(), err_msg=name)
    np.testing.assert_allclose(ours.lower_bounds_, ref.lower_bounds_, rtol=rtol)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_em_over_chunks_equals_in_memory_from_same_start(three, covariance_type):
    X = three
    kw = {"covariance_type": covariance_type, "tol": 1e-10, "max_iter": 200}
    kw.update(_start(X, covariance_type))
    ours = md.GaussianMixture(3, **kw).fit(chunked(X, CH))
    ref = models.GaussianMixture(3, **kw).fit(X)
    _assert_same(ours, ref)
    assert ours.n_iter_ > 3
    assert np.all(np.diff(ours.lower_bounds_) >= -1e-12)  # EM never lowers the likelihood
    labels = ours.predict(chunked(X, CH))
    assert isinstance(labels, da.Array)
    np.testing.assert_array_equal(labels.compute(), ref.predict(X))
    np.testing.assert_allclose(
        ours.predict_proba(chunked(X, CH)).compute(), ref.predict_proba(X), atol=1e-10
    )
    np.testing.assert_allclose(ours.score_samples(chunked(X, CH)).compute(),
                               ref.score_samples(X), rtol=1e-10)  # fmt: skip
    assert ours.score(chunked(X, CH)) == pytest.approx(ref.score(X), rel=1e-10)
    assert ours.bic(chunked(X, CH)) == pytest.approx(ref.bic(X), rel=1e-10)
    assert ours.aic(X) == pytest.approx(ref.aic(X), rel=1e-10)


@pytest.mark.parametrize("init_params", ["kmeans", "k-means++", "random", "random_from_data"])
def test_numpy_input_is_the_in_memory_fit(three, init_params):
    kw = {"init_params": init_params, "random_state": 3, "n_init": 2, "tol": 1e-8}
    ours = md.GaussianMixture(3, **kw).fit(three)
    ref = models.GaussianMixture(3, **kw).fit(three)
    # every iterate within 2.3e-16 relative (one block: the in-memory M-step's operations)
    _assert_same(ours, ref)


@pytest.mark.parametrize("init_params", ["kmeans", "k-means++", "random", "random_from_data"])
def test_dask_initializations_find_the_mixture(three, init_params):
    ours = md.GaussianMixture(3, init_params=init_params, random_state=0, tol=1e-8, n_init=3)
    ours.fit(chunked(three, CH))
    ref = models.GaussianMixture(3, n_init=5, random_state=0, tol=1e-8).fit(three)
    assert ours.lower_bound_ == pytest.approx(ref.lower_bound_, rel=1e-6)
    order = np.argsort(ours.means_[:, 0])
    np.testing.assert_allclose(ours.means_[order], ref.means_[np.argsort(ref.means_[:, 0])],
                               atol=1e-4)  # fmt: skip


@pytest.mark.filterwarnings("ignore::m4ml._core.ConvergenceWarning")
@pytest.mark.parametrize("covariance_type", TYPES)
def test_random_from_data_draws_the_in_memory_rows(three, covariance_type):
    """Same rows, same start; the first bound, at covariance reg_covar * I, is ~1e6 in size
    (both sides now centre every covariance: measured 1.9e-15 apart, 1e-7 before)."""
    kw = {"init_params": "random_from_data", "random_state": 4, "tol": 1e-9,
          "covariance_type": covariance_type}  # fmt: skip
    ours = md.GaussianMixture(3, **kw).fit(chunked(three, CH))
    ref = models.GaussianMixture(3, **kw).fit(three)
    # tied agreed only to 7.4e-9 (test_one_point_starts_are_reg_covar_exactly): now exactly;
    # the later iterates within 8.7e-16 relative
    _assert_same(ours, ref)
    assert ours.lower_bounds_[0] == ref.lower_bounds_[0]


@pytest.mark.parametrize("covariance_type", TYPES)
def test_one_point_starts_are_reg_covar_exactly(three, covariance_type):
    """One-point components (k-means++, random_from_data): mean the point, covariance
    reg_covar * I, as in memory. The tied M-step used sum_k (M_k + N_k delta_k xbar_k^T), the
    old X^T X - sum_k N_k' mu_k' mu_k'^T with mu_k' = N_k xbar_k / (N_k + 10 eps), whose
    first-order term 10 eps sum_k xbar_k xbar_k^T / 3 (1.8e-14) moved reg_covar = 1e-6 by
    1.8e-8 relative and the first lower bound (~6e6, Mahalanobis terms ~|x|^2 / 1e-6) by 7.4e-9."""
    from m4ml.distributed import _mixture_stats as ms
    from m4ml.models.mixture_gaussian import estimate_gaussian_parameters

    points = three[[5, 77, 201]] - three.mean(axis=0)
    zeros = np.zeros((3, 3, 3) if covariance_type in ("full", "tied") else (3, 3))
    _, means, cov, _ = ms.m_step((np.ones(3), points, zeros), 1e-6, covariance_type)
    np.testing.assert_array_equal(means, points)
    expected = {"full": np.stack([1e-6 * np.eye(3)] * 3), "tied": 1e-6 * np.eye(3),
                "diag": np.full((3, 3), 1e-6), "spherical": np.full(3, 1e-6)}  # fmt: skip
    np.testing.assert_array_equal(cov, expected[covariance_type])
    # one block: the in-memory M-step operation for operation
    resp = np.random.default_rng(0).dirichlet(np.ones(3), three.shape[0])
    nk, means, cov, _ = ms.m_step(ms.stats_chunk(three, resp, covariance_type), 1e-6,
                                  covariance_type)  # fmt: skip
    ref = estimate_gaussian_parameters(three, resp, 1e-6, covariance_type)
    for a, b in zip((nk, means, cov), ref, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("covariance_type", ["tied", "diag", "spherical"])
def test_far_from_the_origin_keeps_its_digits(three, covariance_type):
    """Centred merges: the covariances of X + 1e6 are those of X (the shift only moves means)."""
    kw = {"covariance_type": covariance_type, "tol": 1e-10}
    kw.update(_start(three, covariance_type))
    near = md.GaussianMixture(3, **kw).fit(chunked(three, CH))
    kw["means_init"] = kw["means_init"] + 1e6
    far = md.GaussianMixture(3, **kw).fit(chunked(three + 1e6, CH))
    assert far.n_iter_ == near.n_iter_
    np.testing.assert_allclose(far.covariances_, near.covariances_, rtol=1e-7)
    np.testing.assert_allclose(far.means_ - 1e6, near.means_, atol=1e-8)


def test_warm_start_continues(three):
    gm = md.GaussianMixture(3, warm_start=True, max_iter=3, random_state=0, tol=0.0)
    with pytest.warns(ConvergenceWarning, match="did not converge in 3 iterations"):
        gm.fit(chunked(three, CH))
    first = gm.lower_bound_
    with pytest.warns(ConvergenceWarning):
        gm.fit(chunked(three, CH))
    assert gm.lower_bounds_[0] >= first - 1e-12


def test_errors(three):
    with pytest.raises(ValueError, match="covariance_type"):
        md.GaussianMixture(2, covariance_type="banded").fit(three)
    with pytest.raises(ValueError, match="n_components"):
        md.GaussianMixture(4).fit(chunked(three[:3], (1, 0, 2)))
    with pytest.raises(ValueError, match="means_init"):
        md.GaussianMixture(2, means_init=np.zeros((3, 3))).fit(chunked(three, CH))
    bad = three.copy()
    bad[200, 2] = np.inf
    with pytest.raises(ValueError, match="X contains infinity"):
        md.GaussianMixture(2, random_state=0).fit(chunked(bad, CH))
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        md.GaussianMixture(2, reg_covar=0.0, covariance_type="full", random_state=0).fit(
            chunked(np.repeat(three[:2], 5, axis=0), (1, 0, 9))
        )
    gm = md.GaussianMixture(2, random_state=0).fit(three)
    with pytest.raises(ValueError, match="features"):
        gm.score_samples(three[:, :2])
    X, labels = gm.sample(7)
    assert X.shape == (7, 3) and labels.shape == (7,)


@parametrize_with_checks(
    [md.GaussianMixture(2, random_state=0), md.GaussianMixture(2, covariance_type="diag")]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
