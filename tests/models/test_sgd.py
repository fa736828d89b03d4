"""SGDClassifier / SGDRegressor: agreement in accuracy with scikit-learn's SGD, convergence to
the minimizer the objective defines, partial_fit, the L1 truncation and errors."""

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk

from m4ml._core import ConvergenceWarning
from m4ml.models import LogisticRegression, Ridge, SGDClassifier, SGDRegressor
from tests.models._data import classification, regression, standardized


@pytest.mark.parametrize(
    ("name", "penalty"),
    [("iris", "l2"), ("breast_cancer", "l2"), ("penguins", "l2"), ("iris", "elasticnet")],
)
@pytest.mark.parametrize("loss", ["hinge", "log_loss", "modified_huber"])
def test_classifier_accuracy_like_sklearn(name, loss, penalty):
    X, y = classification(name)
    X = standardized(X)
    ours_acc, ref_acc = [], []
    for seed in range(3):  # SGD is noisy: compare the accuracy averaged over seeds
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ours = SGDClassifier(loss=loss, penalty=penalty, random_state=seed).fit(X, y)
            ref = sk.SGDClassifier(loss=loss, penalty=penalty, random_state=seed).fit(X, y)
        assert ours.coef_.shape == ref.coef_.shape
        ours_acc.append(ours.score(X, y))
        ref_acc.append(ref.score(X, y))
    assert np.mean(ours_acc) >= np.mean(ref_acc) - 0.08


def test_regressor_converges_to_ridge(rng):
    X = rng.normal(size=(400, 3))
    y = X @ [1.0, -2.0, 0.5] + 3.0 + 0.1 * rng.normal(size=400)
    alpha = 1e-3
    sgd = SGDRegressor(alpha=alpha, learning_rate="invscaling", eta0=0.02, power_t=0.5,
                       max_iter=300, tol=None, random_state=0).fit(X, y)  # fmt: skip
    # E = mean 0.5 r^2 + alpha/2 |w|^2  <=>  ridge with penalty n * alpha
    ridge = Ridge(alpha=alpha * len(y)).fit(X, y)
    np.testing.assert_allclose(sgd.coef_, ridge.coef_, atol=5e-3)
    assert sgd.intercept_[0] == pytest.approx(ridge.intercept_, abs=5e-3)


def test_log_loss_approaches_logistic_regression(rng):
    X, y = classification("breast_cancer")
    X = standardized(X)
    alpha = 1e-2
    sgd = SGDClassifier(loss="log_loss", alpha=alpha, learning_rate="invscaling", eta0=0.05,
                        power_t=0.5, max_iter=200, tol=None, random_state=0).fit(X, y)  # fmt: skip
    ref = sk.SGDClassifier(
        loss="log_loss", alpha=alpha, learning_rate="invscaling", eta0=0.05, power_t=0.5,
        max_iter=200, tol=None, random_state=0,
    ).fit(X, y)  # fmt: skip
    lr = LogisticRegression(C=1.0 / (alpha * len(y)), tol=1e-10, max_iter=1000).fit(X, y)
    # the same objective: both SGDs approach its minimizer at the same (slow) pace
    ours_err = np.abs(sgd.coef_ - lr.coef_).max()
    ref_err = np.abs(ref.coef_ - lr.coef_).max()
    assert ours_err < 0.3 * np.abs(lr.coef_).max()
    assert ours_err < 1.2 * ref_err


def test_l1_truncation_gives_exact_zeros(rng):
    X = rng.normal(size=(300, 8))
    y = X[:, 0] - 2 * X[:, 1] + 0.1 * rng.normal(size=300)
    reg = SGDRegressor(penalty="l1", alpha=0.05, random_state=0, max_iter=50).fit(X, y)
    assert np.all(reg.coef_[2:] == 0.0) and np.all(reg.coef_[:2] != 0.0)
    ridge_like = SGDRegressor(penalty="l2", alpha=0.05, random_state=0, max_iter=50).fit(X, y)
    assert not np.any(ridge_like.coef_ == 0.0)


def test_partial_fit_is_one_epoch_of_fit():
    X, y = classification("iris")
    X = standardized(X)
    kw = {"random_state": 3, "learning_rate": "constant", "eta0": 0.05}
    one = SGDClassifier(max_iter=1, tol=None, **kw).fit(X, y)
    stream = SGDClassifier(**kw).partial_fit(X, y, classes=np.unique(y))
    np.testing.assert_array_equal(stream.coef_, one.coef_)
    np.testing.assert_array_equal(stream.intercept_, one.intercept_)
    before = stream.coef_.copy()
    stream.partial_fit(X[:10], y[:10])
    assert not np.array_equal(before, stream.coef_)
    Xr, yr = regression("diabetes")
    Xr = standardized(Xr)
    reg = SGDRegressor(random_state=0)
    for chunk in np.array_split(np.arange(len(yr)), 5):
        reg.partial_fit(Xr[chunk], yr[chunk])
    assert reg.coef_.shape == (Xr.shape[1],) and reg.intercept_.shape == (1,)


def test_probabilities_and_errors():
    X, y = classification("iris")
    X = standardized(X)
    clf = SGDClassifier(loss="log_loss", random_state=0).fit(X, y)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert (clf.classes_[P.argmax(axis=1)] == clf.predict(X)).mean() > 0.95
    with pytest.raises(AttributeError, match="probability"):
        SGDClassifier(loss="hinge").fit(X, y).predict_proba(X)
    with pytest.raises(ValueError, match="classes"):
        SGDClassifier().partial_fit(X, y)
    with pytest.raises(ValueError, match="not in classes_"):
        SGDClassifier().partial_fit(X, y, classes=[0, 1]).partial_fit(X, y)
    with pytest.warns(ConvergenceWarning, match="in 1 iterations"):
        SGDClassifier(max_iter=1, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="eta0"):
        SGDRegressor(learning_rate="constant", eta0=0.0).fit(X, y)
    with pytest.raises(ValueError, match="loss"):
        SGDRegressor(loss="hinge").fit(X, y)
