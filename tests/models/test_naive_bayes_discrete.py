"""Multinomial, complement, Bernoulli and categorical naive Bayes vs scikit-learn."""

import numpy as np
import pytest
from sklearn import naive_bayes as sk
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml.models import BernoulliNB, CategoricalNB, ComplementNB, MultinomialNB
from tests.models._prob_data import DATASETS

MODELS = {
    "MultinomialNB": (MultinomialNB, sk.MultinomialNB),
    "ComplementNB": (ComplementNB, sk.ComplementNB),
    "BernoulliNB": (BernoulliNB, sk.BernoulliNB),
    "CategoricalNB": (CategoricalNB, sk.CategoricalNB),
}


def _data(name, model):
    X, y = DATASETS[name]()
    X = np.asarray(X, dtype=float)
    if model == "CategoricalNB":  # four quantile codes per feature
        edges = np.quantile(X, [0.25, 0.5, 0.75], axis=0)
        X = (X[:, None, :] > edges[None]).sum(axis=1)
    return X, y


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("name", sorted(DATASETS))
def test_matches_sklearn(model, name):
    ours_cls, ref_cls = MODELS[model]
    X, y = _data(name, model)
    w = np.random.default_rng(2).uniform(0.1, 2.0, len(y))
    kw = {"binarize": float(np.median(X))} if model == "BernoulliNB" else {}
    for params in ({}, {"alpha": 0.3, "fit_prior": False}):
        ours = ours_cls(**kw, **params).fit(X, y, sample_weight=w)
        ref = ref_cls(**kw, **params).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-10)
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("model", sorted(MODELS))
def test_partial_fit_equals_fit(model, rng):
    ours_cls, _ = MODELS[model]
    X = rng.integers(0, 5, (300, 8)).astype(float)
    y = rng.integers(0, 3, 300)
    full = ours_cls().fit(X, y)
    inc = ours_cls()
    for chunk in np.array_split(np.arange(300), 4):
        inc.partial_fit(X[chunk], y[chunk], classes=[0, 1, 2])
    np.testing.assert_allclose(inc.predict_proba(X), full.predict_proba(X), atol=1e-12)


def test_complement_norm_and_class_prior(rng):
    X = rng.integers(0, 6, (200, 10))
    y = rng.integers(0, 4, 200)
    for kw in ({"norm": True}, {"class_prior": [0.1, 0.2, 0.3, 0.4]}):
        np.testing.assert_allclose(
            ComplementNB(**kw).fit(X, y).predict_proba(X),
            sk.ComplementNB(**kw).fit(X, y).predict_proba(X),
            atol=1e-10,
        )
    np.testing.assert_allclose(
        MultinomialNB(class_prior=[0.1, 0.2, 0.3, 0.4]).fit(X, y).predict_proba(X),
        sk.MultinomialNB(class_prior=[0.1, 0.2, 0.3, 0.4]).fit(X, y).predict_proba(X),
        atol=1e-10,
    )


def test_multinomial_thousands_of_features_stay_finite(rng):
    """2,000 count features: per-class likelihoods near 1e-300 and far below."""
    d = 2000
    theta = rng.dirichlet(np.ones(d), size=2)
    X = np.vstack([rng.multinomial(3000, t, size=10) for t in theta]).astype(float)
    y = np.repeat([0, 1], 10)
    clf = MultinomialNB().fit(X, y)
    jll = clf.predict_joint_log_proba(X)
    assert (jll < -700).all()  # exp(jll) underflows to 0: the naive normalization is 0/0
    p = clf.predict_proba(X)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), y)
    Xb = (X > 0).astype(float)
    pb = BernoulliNB().fit(Xb, y).predict_proba(Xb)
    assert np.isfinite(pb).all() and np.allclose(pb.sum(axis=1), 1.0)


def test_categorical_min_categories_and_unseen(rng):
    X = rng.integers(0, 3, (50, 2))
    y = rng.integers(0, 2, 50)
    ours = CategoricalNB(min_categories=[5, 3]).fit(X, y)
    ref = sk.CategoricalNB(min_categories=[5, 3]).fit(X, y)
    np.testing.assert_array_equal(ours.n_categories_, ref.n_categories_)
    T = np.array([[4, 0], [3, 2]])
    np.testing.assert_allclose(ours.predict_proba(T), ref.predict_proba(T), atol=1e-12)
    with pytest.raises(ValueError, match="unseen at fit"):
        ours.predict([[0, 3]])
    np.testing.assert_array_equal(  # truncation to codes, as scikit-learn
        CategoricalNB().fit([[0.5], [1.7]], [0, 1]).category_count_[0], [[1, 0], [0, 1]]
    )
    with pytest.raises(ValueError, match="min_categories"):
        CategoricalNB(min_categories=2.5).fit(X, y)


@pytest.mark.parametrize("model", ["MultinomialNB", "ComplementNB", "CategoricalNB"])
def test_negative_counts_rejected(model):
    with pytest.raises(ValueError, match=f"Negative values in data passed to {model}"):
        MODELS[model][0]().fit([[1, 2], [-1, 0]], [0, 1])


def test_alpha_errors_and_floor():
    X, y = [[1, 2], [3, 0]], [0, 1]
    with pytest.raises(ValueError, match="alpha must be greater than 0"):
        MultinomialNB(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="n_features=2"):
        MultinomialNB(alpha=[1.0, 1.0, 1.0]).fit(X, y)
    with pytest.warns(UserWarning, match="alpha too small"):
        clf = MultinomialNB(alpha=0.0, force_alpha=False).fit(X, y)
    ref = sk.MultinomialNB(alpha=1e-10).fit(X, y)
    np.testing.assert_allclose(clf.feature_log_prob_, ref.feature_log_prob_, rtol=1e-12)
    with pytest.raises(ValueError, match="classes has to be greater than one"):
        BernoulliNB().fit(X, [1, 1])


@parametrize_with_checks([MultinomialNB(), ComplementNB(), BernoulliNB(), CategoricalNB()])
def test_sklearn_compatible(estimator, check):
    check(estimator)
