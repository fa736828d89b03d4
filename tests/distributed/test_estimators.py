import numpy as np
import pytest

da = pytest.importorskip("dask.array")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from m4ml import distributed as md  # noqa: E402
from m4ml import models, pipeline  # noqa: E402
from tests.distributed.conftest import CHUNKS, chunked  # noqa: E402

REL = 1e-10


def test_standard_scaler_matches_pipeline(data):
    X, _ = data
    ours = md.StandardScaler().fit(chunked(X))
    ref = pipeline.StandardScaler().fit(X)
    for name in ("mean_", "var_", "scale_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=1e-12)
    assert ours.n_samples_seen_ == ref.n_samples_seen_ == 101
    Z = ours.transform(chunked(X))
    assert isinstance(Z, da.Array)
    np.testing.assert_allclose(Z.compute(), ref.transform(X), atol=1e-11)
    np.testing.assert_allclose(ours.inverse_transform(Z).compute(), X, rtol=1e-12)


def test_standard_scaler_constant_column_and_nan():
    X = np.column_stack([np.full(6, 3.0), np.arange(6.0)])
    ours = md.StandardScaler().fit(chunked(X, (1, 0, 5)))
    np.testing.assert_allclose(ours.scale_, pipeline.StandardScaler().fit(X).scale_)
    scaler = md.StandardScaler().fit(chunked(X, (1, 0, 5)))
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN"):
        md.StandardScaler().fit(chunked(X, (1, 0, 5)))
    with pytest.raises(ValueError, match="X contains NaN"):
        scaler.transform(chunked(X, (1, 0, 5))).compute()


@pytest.fixture
def classes(data):
    X, _ = data
    y = np.where(X[:, 0] + 0.3 * X[:, 3] > 5.0, "b", "a")
    y[::7] = "c"
    return X, y


def test_gaussian_nb_matches_models(classes):
    X, y = classes
    ours = md.GaussianNB().fit(chunked(X), chunked(y))
    ref = models.GaussianNB().fit(X, y)
    assert ours.classes_.tolist() == ref.classes_.tolist() == ["a", "b", "c"]
    np.testing.assert_array_equal(ours.class_count_, ref.class_count_)
    for name in ("theta_", "var_", "class_prior_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=REL)
    assert ours.epsilon_ == pytest.approx(ref.epsilon_, rel=REL)
    pred = ours.predict(chunked(X))
    assert isinstance(pred, da.Array)
    np.testing.assert_array_equal(pred.compute(), ref.predict(X))
    np.testing.assert_allclose(
        ours.predict_proba(chunked(X)).compute(), ref.predict_proba(X), atol=1e-9
    )


def test_gaussian_nb_errors(classes):
    X, y = classes
    with pytest.raises(ValueError, match="greater than one"):
        md.GaussianNB().fit(X, np.zeros(101))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        md.GaussianNB().fit(X, y[:-1])
    with pytest.raises(ValueError, match="same number of rows"):
        md.GaussianNB().fit(chunked(X), chunked(y[:-1], (1, 0, 37, 25, 0, 37)))


def test_incremental_equals_partial_fit_in_memory(classes):
    X, y = classes
    ours = md.Incremental(models.GaussianNB()).fit(
        chunked(X), chunked(y), classes=np.array(["a", "b", "c"])
    )
    ref = models.GaussianNB()
    start = 0
    for size in CHUNKS:
        if size:
            ref.partial_fit(
                X[start : start + size], y[start : start + size], classes=["a", "b", "c"]
            )
        start += size
    np.testing.assert_array_equal(ours.estimator_.theta_, ref.theta_)
    np.testing.assert_array_equal(ours.estimator_.var_, ref.var_)
    np.testing.assert_array_equal(ours.predict(chunked(X)).compute(), ref.predict(X))


def test_incremental_transformer_and_errors(data):
    X, _ = data
    inc = md.Incremental(pipeline.StandardScaler()).fit(chunked(X))
    np.testing.assert_allclose(inc.estimator_.mean_, X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(
        inc.transform(chunked(X)).compute(), pipeline.StandardScaler().fit_transform(X), atol=1e-10
    )
    with pytest.raises(TypeError, match="partial_fit"):
        md.Incremental(models.PCA()).fit(X)
    assert not hasattr(inc, "predict")  # the wrapped scaler has none


def test_incremental_infers_the_classes(classes):
    X, y = classes
    ours = md.Incremental(models.GaussianNB()).fit(chunked(X), chunked(y))
    np.testing.assert_array_equal(ours.classes_, ["a", "b", "c"])
    ref = models.GaussianNB().fit(X, y)
    np.testing.assert_allclose(ours.estimator_.theta_, ref.theta_, rtol=1e-10)
    assert ours.score(chunked(X), chunked(y)) == pytest.approx(ref.score(X, y))


def test_multinomial_nb_matches_models():
    rng = np.random.default_rng(8)
    X = rng.poisson(lam=[1.0, 3.0, 0.5, 2.0], size=(101, 4)).astype(float)
    y = np.where(X[:, 1] > 3, 2, np.where(X[:, 0] > 1, 1, 0))
    ours = md.MultinomialNB(alpha=0.5).fit(chunked(X), chunked(y))
    ref = models.MultinomialNB(alpha=0.5).fit(X, y)
    np.testing.assert_array_equal(ours.feature_count_, ref.feature_count_)
    np.testing.assert_array_equal(ours.class_count_, ref.class_count_)
    np.testing.assert_allclose(ours.feature_log_prob_, ref.feature_log_prob_, rtol=1e-14)
    np.testing.assert_allclose(ours.class_log_prior_, ref.class_log_prior_, rtol=1e-14)
    np.testing.assert_array_equal(ours.predict(chunked(X)).compute(), ref.predict(X))
    np.testing.assert_allclose(
        ours.predict_proba(chunked(X)).compute(), ref.predict_proba(X), rtol=1e-12
    )
    with pytest.raises(ValueError, match="Negative values"):
        md.MultinomialNB().fit(-X, y)


@parametrize_with_checks(
    [
        md.GaussianNB(),
        md.MultinomialNB(),
        md.StandardScaler(),
        md.StandardScaler(with_mean=False),
        md.Incremental(models.SGDClassifier(random_state=0)),
        md.Incremental(models.GaussianNB()),
        md.Incremental(pipeline.StandardScaler()),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_naive_bayes_sample_weight_and_priors(classes):
    X, y = classes
    w = np.random.default_rng(2).uniform(0.0, 3.0, size=101)
    ours = md.GaussianNB(priors=[0.2, 0.3, 0.5]).fit(chunked(X), chunked(y), sample_weight=w)
    ref = models.GaussianNB(priors=[0.2, 0.3, 0.5]).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.class_count_, ref.class_count_, rtol=1e-12)
    for name in ("theta_", "var_", "class_prior_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=REL)
    np.testing.assert_allclose(
        ours.predict_proba(chunked(X)).compute(), ref.predict_proba(X), atol=1e-9
    )
    with pytest.raises(ValueError, match="sum of the priors"):
        md.GaussianNB(priors=[0.5, 0.6, 0.1]).fit(X, y)
    counts = np.abs(np.round(X[:, :3]))
    kw = {"alpha": 0.3, "fit_prior": False}
    mnb = md.MultinomialNB(**kw).fit(chunked(counts), chunked(y), sample_weight=chunked(w))
    mref = models.MultinomialNB(**kw).fit(counts, y, sample_weight=w)
    np.testing.assert_allclose(mnb.feature_count_, mref.feature_count_, rtol=1e-12)
    np.testing.assert_allclose(mnb.class_count_, mref.class_count_, rtol=1e-12)
    np.testing.assert_allclose(mnb.class_log_prior_, mref.class_log_prior_, rtol=1e-14)
    np.testing.assert_allclose(mnb.feature_log_prob_, mref.feature_log_prob_, rtol=1e-12)
