"""LogisticRegression against scikit-learn (same penalty scaling, tight tolerances), its loss
against m4ml.autodiff, and the L1 optimality conditions."""

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning

import m4ml.numpy as mnp
from m4ml._core import ConvergenceWarning
from m4ml.autodiff import grad
from m4ml.models import LogisticRegression
from m4ml.models._logistic_loss import LogisticLoss
from tests.models._data import CLASSIFICATION_SETS, classification, standardized


def _data(name):
    X, y = classification(name)
    X = standardized(X)
    if name == "digits":  # a deterministic subset keeps the suite fast
        X, y = X[::3], y[::3]
    return X, y


def _close(ours, ref, rtol=1e-5):
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * np.abs(ref).max())


@pytest.mark.parametrize("name", CLASSIFICATION_SETS)
@pytest.mark.parametrize("solver", ["lbfgs", "newton-cg"])
def test_l2_matches_sklearn(name, solver, rng):
    X, y = _data(name)
    sw = rng.uniform(0.5, 2.0, size=y.size)
    for C, kw in ((1.0, {}), (0.1, {"sample_weight": sw})):
        ours = LogisticRegression(C=C, solver=solver, tol=1e-10, max_iter=5000).fit(X, y, **kw)
        ref = sk.LogisticRegression(C=C, solver=solver, tol=1e-10, max_iter=5000).fit(X, y, **kw)
        assert ours.coef_.shape == ref.coef_.shape
        _close(ours.coef_, ref.coef_)
        _close(ours.intercept_, ref.intercept_)
        np.testing.assert_array_equal(ours.classes_, ref.classes_)
        _close(ours.predict_proba(X), ref.predict_proba(X))
        assert (ours.predict(X) == ref.predict(X)).mean() > 0.99


@pytest.mark.parametrize("name", ["iris", "wine", "penguins"])
@pytest.mark.parametrize(("penalty", "l1_ratio"), [("l1", 1.0), ("elasticnet", 0.5)])
def test_l1_and_elasticnet_match_sklearn_saga(name, penalty, l1_ratio):
    X, y = _data(name)
    ours = LogisticRegression(
        penalty=penalty, l1_ratio=l1_ratio, solver="saga", tol=1e-10, max_iter=20000
    ).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkConvergenceWarning)
        ref = sk.LogisticRegression(
            l1_ratio=l1_ratio, solver="saga", tol=1e-10, max_iter=20000
        ).fit(X, y)
    _close(ours.coef_, ref.coef_)
    _close(ours.intercept_, ref.intercept_)


def test_l1_is_really_l1():
    """Anchors' bug: an 'L1' penalty that is really L2. L1 gives exact zeros, and at the
    optimum |dF/dw_j| <= 1/(C S) on the zeros and = sign(w_j)/(C S) elsewhere."""
    X, y = _data("breast_cancer")
    C = 0.05
    clf = LogisticRegression(penalty="l1", solver="saga", C=C, tol=1e-12, max_iter=50000).fit(X, y)
    w = clf.coef_.ravel()
    zero = w == 0
    assert 0 < zero.sum() < w.size
    loss = LogisticLoss(X, y, 2, np.ones(y.size), True, l2=0.0)
    g = loss.loss_grad(np.concatenate([w, clf.intercept_]))[1]
    lam = 1.0 / (C * y.size)
    assert np.all(np.abs(g[:-1][zero]) <= lam * (1 + 1e-6))
    np.testing.assert_allclose(g[:-1][~zero], -lam * np.sign(w[~zero]), rtol=1e-5, atol=1e-10)
    assert abs(g[-1]) < 1e-9  # the intercept is not penalized
    l2 = LogisticRegression(C=C, tol=1e-10).fit(X, y)
    assert not np.any(l2.coef_ == 0.0)


def test_unpenalized_and_class_weight(rng):
    X = rng.normal(size=(300, 3))
    y = (X @ [1.0, -1.0, 0.5] + rng.normal(size=300) > 0.3).astype(int)
    ours = LogisticRegression(penalty=None, tol=1e-10, max_iter=1000).fit(X, y)
    ref = sk.LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, y)
    _close(ours.coef_, ref.coef_)
    for cw in ("balanced", {0: 3.0, 1: 0.5}):
        ours = LogisticRegression(class_weight=cw, tol=1e-10).fit(X, y)
        ref = sk.LogisticRegression(class_weight=cw, tol=1e-10).fit(X, y)
        _close(ours.coef_, ref.coef_)
        _close(ours.intercept_, ref.intercept_)


def test_string_labels_no_intercept_and_warm_start():
    X, y = _data("iris")
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = LogisticRegression(fit_intercept=False, tol=1e-10, max_iter=1000).fit(X, labels)
    ref = sk.LogisticRegression(fit_intercept=False, tol=1e-10, max_iter=1000).fit(X, labels)
    _close(clf.coef_, ref.coef_)
    assert clf.predict(X[:1])[0] == "setosa"
    np.testing.assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X))
    warm = LogisticRegression(warm_start=True, tol=1e-8).fit(X, y)
    again = warm.fit(X, y).n_iter_[0]
    assert again <= 2


def test_loss_gradient_and_hessian_against_autodiff(rng):
    X = rng.normal(size=(40, 3))
    y = rng.integers(0, 3, size=40)
    sw = rng.uniform(0.5, 2.0, size=40)
    for k in (2, 3):
        yk = y % k
        loss = LogisticLoss(X, yk, k, sw, True, l2=0.3)
        theta = rng.normal(size=loss.size)
        K = loss.K
        onehot = np.eye(k)[yk] if K > 1 else None

        def f(t, K=K, onehot=onehot, yk=yk):
            W = mnp.reshape(t[: K * 3], (K, 3))
            Z = mnp.matmul(X, mnp.transpose(W)) + t[K * 3 :]
            reg = 0.15 * mnp.sum(W * W)
            if K == 1:
                z = Z[:, 0]
                return mnp.sum(sw * (mnp.logaddexp(0.0, z) - yk * z)) / sw.sum() + reg
            lse = mnp.log(mnp.sum(mnp.exp(Z), axis=1))
            return mnp.sum(sw * (lse - mnp.sum(Z * onehot, axis=1))) / sw.sum() + reg

        value, g = loss.loss_grad(theta)
        assert value == pytest.approx(float(f(theta)), rel=1e-12)
        np.testing.assert_allclose(g, grad(f)(theta), rtol=1e-10, atol=1e-12)
        v = rng.normal(size=loss.size)
        hv = loss.hessp_at(theta)(v)
        hv_ad = grad(lambda t, v=v, f=f: mnp.dot(grad(f)(t), v))(theta)
        np.testing.assert_allclose(hv, hv_ad, rtol=1e-8)


def test_convergence_warning_names_iterations_and_errors():
    X, y = _data("digits")
    with pytest.warns(ConvergenceWarning, match="in 3 iterations"):
        clf = LogisticRegression(max_iter=3).fit(X, y)
    assert clf.n_iter_.tolist() == [3]
    with pytest.raises(ValueError, match="saga"):
        LogisticRegression(penalty="l1").fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio"):
        LogisticRegression(penalty="elasticnet", solver="saga").fit(X, y)
    with pytest.raises(ValueError, match="classes"):
        LogisticRegression().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="continuous"):
        LogisticRegression().fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="C"):
        LogisticRegression(C=-1.0).fit(X, y)
    clf = LogisticRegression().fit(X[:, :5], y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X)
