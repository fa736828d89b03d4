"""LinearSVC against LIBLINEAR; the QP teaching solver of the SVM dual against SMO."""

import numpy as np
import pytest
from sklearn import svm as sk_svm
from sklearn.datasets import load_breast_cancer, load_wine, make_moons
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.preprocessing import StandardScaler

from m4ml.models import SVC, LinearSVC, svm_dual_qp

BC = load_breast_cancer(return_X_y=True)
BC = (StandardScaler().fit_transform(BC[0]), BC[1])
WINE = load_wine(return_X_y=True)
WINE = (StandardScaler().fit_transform(WINE[0]), WINE[1])


@pytest.mark.parametrize("data", ["bc", "wine"])
@pytest.mark.parametrize("class_weight", [None, "balanced"])
def test_primal_newton_matches_liblinear(data, class_weight):
    X, y = BC if data == "bc" else WINE
    ours = LinearSVC(tol=1e-10, class_weight=class_weight).fit(X, y)
    ref = sk_svm.LinearSVC(tol=1e-10, max_iter=100000, class_weight=class_weight).fit(X, y)
    scale = np.abs(ref.coef_).max()
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6 * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-6 * scale)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.decision_function(X).shape == ref.decision_function(X).shape


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
def test_dual_coordinate_descent_matches_liblinear(loss):
    X, y = WINE[0][:, :5], (WINE[1] == 0).astype(int)
    ours = LinearSVC(loss=loss, dual=True, tol=1e-6, max_iter=20000, random_state=0).fit(X, y)
    ref = sk_svm.LinearSVC(loss=loss, dual=True, tol=1e-9, max_iter=100000).fit(X, y)
    scale = np.abs(ref.coef_).max()
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4 * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4 * scale)


def test_primal_and_dual_agree():
    X, y = WINE[0], (WINE[1] == 1).astype(int)
    p = LinearSVC(dual=False, tol=1e-12).fit(X, y)
    d = LinearSVC(dual=True, tol=1e-7, max_iter=50000, random_state=0).fit(X, y)
    np.testing.assert_allclose(d.coef_, p.coef_, atol=1e-5 * np.abs(p.coef_).max())


def test_linear_svc_errors():
    X, y = WINE
    with pytest.raises(ValueError, match="hinge"):
        LinearSVC(loss="hinge", dual=False).fit(X, y)
    with pytest.raises(ValueError, match="penalty"):
        LinearSVC(penalty="l1").fit(X, y)
    with pytest.raises(ValueError, match="C must"):
        LinearSVC(C=-1.0).fit(X, y)


def test_qp_and_smo_agree_on_the_dual():
    """The interior-point QP and SMO reach the same optimum: objective, support set, KKT."""
    X, y = make_moons(80, noise=0.2, random_state=0)
    K = rbf_kernel(X, gamma=1.0)
    yy = np.where(y == 0, 1.0, -1.0)  # LIBSVM's convention: the first class is +1
    qp = svm_dual_qp(K, yy, 1.0)
    smo = SVC(gamma=1.0, tol=1e-10).fit(X, y)
    assert qp.qp.status == "optimal"
    np.testing.assert_allclose(qp.objective, smo._dual_objective[0], rtol=1e-8)
    np.testing.assert_array_equal(qp.support, np.sort(smo.support_))
    alpha_smo = np.zeros(len(y))
    alpha_smo[smo.support_] = np.abs(smo.dual_coef_[0])
    np.testing.assert_allclose(qp.alpha, alpha_smo, atol=1e-6)
    np.testing.assert_allclose(qp.rho, -smo._intercept[0], atol=1e-6)
    # KKT: y_i f(x_i) >= 1 at alpha = 0, = 1 when free, <= 1 at alpha = C
    f = K @ (qp.alpha * yy) - qp.rho
    margin = yy * f
    at0, atC = qp.alpha < 1e-7, qp.alpha > 1 - 1e-7
    free = ~at0 & ~atC
    assert np.all(margin[at0] >= 1 - 1e-6)
    np.testing.assert_allclose(margin[free], 1.0, atol=1e-6)
    assert np.all(margin[atC] <= 1 + 1e-6)


def test_qp_errors():
    with pytest.raises(ValueError, match="labels"):
        svm_dual_qp(np.eye(2), np.array([0.0, 1.0]), 1.0)
    with pytest.raises(ValueError, match="shape"):
        svm_dual_qp(np.eye(3), np.array([-1.0, 1.0]), 1.0)
