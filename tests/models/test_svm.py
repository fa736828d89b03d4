"""SVC and SVR against LIBSVM (scikit-learn) at tol=1e-8: dual objective, support set, decisions."""

import functools

import numpy as np
import pytest
from sklearn import svm as sk_svm
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_wine,
    make_circles,
    make_moons,
)
from sklearn.metrics.pairwise import pairwise_kernels as sk_kernels
from sklearn.preprocessing import StandardScaler

from m4ml.models import SVC, SVR
from m4ml.models.svc import couple_pairwise, ovr_from_ovo


@functools.cache
def dataset(name):
    X, y = {
        "breast_cancer": lambda: load_breast_cancer(return_X_y=True),
        "wine": lambda: load_wine(return_X_y=True),
        "digits": lambda: load_digits(return_X_y=True),
        "moons": lambda: make_moons(300, noise=0.2, random_state=0),
        "circles": lambda: make_circles(300, noise=0.1, factor=0.5, random_state=0),
    }[name]()
    return StandardScaler().fit_transform(X), y


def libsvm_dual_objective(ref, X, y, pair_classes):
    """0.5 a'Qa - sum(a) of a binary LIBSVM solution, from its dual_coef_ (= y * alpha)."""
    K = (
        sk_kernels(
            X[ref.support_],
            metric=ref.kernel,
            filter_params=True,
            gamma=ref._gamma,
            degree=ref.degree,
            coef0=ref.coef0,
        )
        if ref.kernel != "precomputed"
        else None
    )
    c = ref.dual_coef_[0]
    return 0.5 * c @ K @ c - np.abs(c).sum()


def compare(name, kernel, C=1.0, **kw):
    X, y = dataset(name)
    ours = SVC(C=C, kernel=kernel, tol=1e-8, **kw).fit(X, y)
    ref = sk_svm.SVC(C=C, kernel=kernel, tol=1e-8, **kw).fit(X, y)
    np.testing.assert_array_equal(ours.support_, ref.support_)
    np.testing.assert_array_equal(ours.n_support_, ref.n_support_)
    np.testing.assert_allclose(ours.dual_coef_, ref.dual_coef_, atol=1e-3 * C)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    d_ours, d_ref = ours.decision_function(X), ref.decision_function(X)
    assert d_ours.shape == d_ref.shape
    np.testing.assert_allclose(d_ours, d_ref, atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    if len(ours.classes_) == 2:
        ref_obj = libsvm_dual_objective(ref, X, y, None)
        assert abs(ours._dual_objective[0] - ref_obj) <= 1e-6 * abs(ref_obj)
    return ours, ref


@pytest.mark.parametrize("name", ["breast_cancer", "wine", "moons", "circles"])
@pytest.mark.parametrize("kernel", ["rbf", "linear", "poly"])
def test_svc_matches_libsvm(name, kernel):
    compare(name, kernel)


@pytest.mark.slow
@pytest.mark.parametrize("kernel", ["rbf", "linear"])
def test_svc_digits_matches_libsvm(kernel):
    compare("digits", kernel)


def test_ovr_and_ovo_shapes_and_values():
    X, y = dataset("wine")
    for shape in ("ovr", "ovo"):
        ours = SVC(tol=1e-8, decision_function_shape=shape).fit(X, y)
        ref = sk_svm.SVC(tol=1e-8, decision_function_shape=shape).fit(X, y)
        np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)
    ours = SVC(tol=1e-8, break_ties=True).fit(X, y)
    ref = sk_svm.SVC(tol=1e-8, break_ties=True).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_class_and_sample_weights_match_libsvm():
    X, y = dataset("moons")
    w = np.random.default_rng(0).uniform(0.5, 2.0, size=y.size)
    for kw in ({"class_weight": {0: 3.0, 1: 0.5}}, {"class_weight": "balanced"}):
        ours = SVC(tol=1e-8, **kw).fit(X, y, sample_weight=w)
        ref = sk_svm.SVC(tol=1e-8, **kw).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)


@pytest.mark.parametrize("name", ["breast_cancer", "wine", "moons", "circles", "digits"])
def test_probability_predict_is_argmax_of_proba(name):
    X, y = dataset(name)
    if name == "digits":
        X, y = X[:400], y[:400]
    clf = SVC(probability=True, random_state=0).fit(X, y)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    assert P.min() >= 0
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[P.argmax(axis=1)])
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), P, rtol=1e-12)
    assert (clf.predict(X) == y).mean() > 0.9


def test_predict_proba_absent_without_probability():
    clf = SVC().fit(*dataset("moons"))
    assert not hasattr(clf, "predict_proba")


def test_intercept_from_free_support_vectors_regression():
    """Regression: the intercept averages the free SVs; one bound SV would bias it.

    On overlapping classes many SVs sit at the bound C with positive slack; their y_i G_i differ
    from rho. LIBSVM's intercept (same rule) is the reference.
    """
    X, y = dataset("moons")
    ours = SVC(C=0.5, tol=1e-10).fit(X, y)
    ref = sk_svm.SVC(C=0.5, tol=1e-10).fit(X, y)
    alpha = np.abs(ours.dual_coef_[0])
    bound = np.isclose(alpha, 0.5)
    assert bound.sum() > 10 and (~bound).sum() > 3
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-7)
    # every free SV sits on the margin: |f(x)| = 1
    f = ours.decision_function(ours.support_vectors_[~bound])
    np.testing.assert_allclose(np.abs(f), 1.0, atol=1e-6)
    # taking the intercept from one bound SV instead would miss the margin
    K = sk_kernels(ours.support_vectors_, metric="rbf", gamma=ours._gamma)
    g = K @ ours.dual_coef_[0]
    i = np.flatnonzero(bound)[0]
    yi = np.sign(ours.dual_coef_[0][i])
    assert abs((yi - g[i]) - ours.intercept_[0]) > 1e-3


def test_all_support_vectors_bound_uses_midpoint():
    X, y = dataset("moons")
    ours = SVC(C=1e-3, tol=1e-10).fit(X, y)
    ref = sk_svm.SVC(C=1e-3, tol=1e-10).fit(X, y)
    assert np.allclose(np.abs(ours.dual_coef_), 1e-3)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-8)


def test_precomputed_and_callable_kernels():
    X, y = dataset("moons")
    K = sk_kernels(X, metric="rbf", gamma=0.5)
    a = SVC(kernel="precomputed", tol=1e-8).fit(K, y)
    b = SVC(kernel="rbf", gamma=0.5, tol=1e-8).fit(X, y)
    np.testing.assert_allclose(a.decision_function(K), b.decision_function(X), atol=1e-6)

    def kern(A, B):
        return A @ B.T

    c = SVC(kernel=kern, tol=1e-8).fit(X, y)
    d = SVC(kernel="linear", tol=1e-8).fit(X, y)
    np.testing.assert_allclose(c.decision_function(X), d.decision_function(X), atol=1e-6)


def test_ovr_helper_and_coupling():
    dec = np.array([[1.0, 2.0, -0.5]])
    scores = ovr_from_ovo(dec, 3)
    assert scores.argmax() == 0
    r = np.array([[0.9, 0.8, 0.3]])  # P(0|0,1), P(0|0,2), P(1|1,2)
    p = couple_pairwise(r, 3)
    np.testing.assert_allclose(p.sum(), 1.0)
    # consistent pairwise probabilities are reproduced exactly
    true = np.array([0.5, 0.3, 0.2])
    r = np.array(
        [
            [
                true[0] / (true[0] + true[1]),
                true[0] / (true[0] + true[2]),
                true[1] / (true[1] + true[2]),
            ]
        ]
    )
    np.testing.assert_allclose(couple_pairwise(r, 3)[0], true, rtol=1e-12)


@pytest.mark.parametrize("kernel", ["rbf", pytest.param("linear", marks=pytest.mark.slow)])
def test_svr_matches_libsvm(kernel):
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std()
    ours = SVR(kernel=kernel, tol=1e-8, epsilon=0.2).fit(X, y)
    ref = sk_svm.SVR(kernel=kernel, tol=1e-8, epsilon=0.2).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), atol=1e-4)
    if kernel == "linear":  # K has rank 10 < n: the multipliers are not unique
        return
    np.testing.assert_array_equal(ours.support_, ref.support_)
    np.testing.assert_allclose(ours.dual_coef_, ref.dual_coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), atol=1e-4)


def test_max_iter_warns_and_sets_status():
    from m4ml._core import ConvergenceWarning

    X, y = dataset("moons")
    with pytest.warns(ConvergenceWarning, match="iterations"):
        clf = SVC(max_iter=5, tol=1e-10).fit(X, y)
    assert clf.fit_status_ == 1


def test_errors():
    X, y = dataset("moons")
    with pytest.raises(ValueError, match="kernel"):
        SVC(kernel="cubic").fit(X, y)
    with pytest.raises(ValueError, match="C must"):
        SVC(C=0.0).fit(X, y)
    with pytest.raises(ValueError, match="gamma"):
        SVC(gamma="wide").fit(X, y)
    with pytest.raises(ValueError, match="classes"):
        SVC().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="break_ties"):
        SVC(break_ties=True, decision_function_shape="ovo").fit(X, y)
    with pytest.raises(ValueError, match="square"):
        SVC(kernel="precomputed").fit(X, y)
    with pytest.raises(ValueError, match="epsilon"):
        SVR(epsilon=-1.0).fit(X, y.astype(float))
    with pytest.raises(ValueError, match="features"):
        SVC().fit(X, y).predict(X[:, :1])
