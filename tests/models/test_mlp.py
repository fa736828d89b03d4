"""MLPClassifier / MLPRegressor against scikit-learn: loss curves, accuracy, conformance."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from m4ml._core.errors import ConvergenceWarning
from m4ml.models import MLPClassifier, MLPRegressor


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkConvergenceWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def _digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def _continue_both(sk_cls, m_cls, X, y, epochs, copy_t=False, **kw):
    """The issue's reference run: sklearn warm_start max_iter=1, copy weights, continue both.

    ``copy_t`` also copies ``t_`` (samples seen), which the invscaling schedule reads.
    """
    sk = sk_cls(warm_start=True, max_iter=1, **kw).fit(X, y)
    m = m_cls(warm_start=True, max_iter=epochs, **kw)
    if copy_t:
        m.t_ = sk.t_
    m.coefs_ = [c.copy() for c in sk.coefs_]
    m.intercepts_ = [c.copy() for c in sk.intercepts_]
    sk.set_params(max_iter=epochs)
    sk.fit(X, y)
    m.fit(X, y)
    return sk, m


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("binary", [False, True])
def test_warm_start_loss_curve_matches_sklearn(solver, binary):
    X, y = _digits()
    if binary:
        y = (y > 4).astype(int)
    kw = {
        "hidden_layer_sizes": (32, 16),
        "solver": solver,
        "alpha": 1e-3,
        "shuffle": False,
        "learning_rate_init": 0.01,
        "batch_size": 100,
        "tol": 0.0,
        "activation": "tanh",
    }
    sk, m = _continue_both(SkMLPClassifier, MLPClassifier, X, y, 12, **kw)
    np.testing.assert_allclose(m.loss_curve_, sk.loss_curve_[1:], rtol=0, atol=1e-8)
    for a, b in zip(m.coefs_, sk.coefs_):
        np.testing.assert_allclose(a, b, atol=1e-8)
    np.testing.assert_allclose(m.predict_proba(X), sk.predict_proba(X), atol=1e-8)


@pytest.mark.parametrize("learning_rate", ["invscaling", "adaptive"])
def test_sgd_schedules_and_regressor_match_sklearn(learning_rate):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 5))
    y = np.sin(X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=150)
    kw = {
        "hidden_layer_sizes": (20,),
        "solver": "sgd",
        "alpha": 1e-2,
        "shuffle": False,
        "learning_rate": learning_rate,
        "learning_rate_init": 0.01,
        "batch_size": 32,
        "n_iter_no_change": 2,
        "tol": 1e-2,
        "nesterovs_momentum": False,
    }
    sk, m = _continue_both(SkMLPRegressor, MLPRegressor, X, y, 25, copy_t=True, **kw)
    assert len(m.loss_curve_) == len(sk.loss_curve_) - 1 > 3
    np.testing.assert_allclose(m.loss_curve_, sk.loss_curve_[1:], rtol=0, atol=1e-8)
    np.testing.assert_allclose(m.predict(X), sk.predict(X), atol=1e-7)


def test_same_random_state_gives_sklearns_initial_weights():
    X, y = _digits()
    kw = {"hidden_layer_sizes": (20,), "max_iter": 3, "random_state": 3}
    sk = SkMLPClassifier(**kw).fit(X, y)
    m = MLPClassifier(**kw).fit(X, y)
    np.testing.assert_allclose(m.loss_curve_, sk.loss_curve_, atol=1e-8)


def _accuracy(loader, **kw):
    X, y = loader(return_X_y=True)
    idx = np.random.default_rng(0).permutation(len(y))
    X, y = X[idx], y[idx]
    cut = int(0.7 * len(y))
    scaler = StandardScaler().fit(X[:cut])
    Xtr, Xte = scaler.transform(X[:cut]), scaler.transform(X[cut:])
    a = SkMLPClassifier(**kw).fit(Xtr, y[:cut]).score(Xte, y[cut:])
    b = MLPClassifier(**kw).fit(Xtr, y[:cut]).score(Xte, y[cut:])
    return a, b


@pytest.mark.slow
@pytest.mark.parametrize("loader", [load_digits, load_breast_cancer, load_wine])
@pytest.mark.parametrize("seed", [0, 1])
def test_accuracy_within_one_point_of_sklearn(loader, seed):
    a, b = _accuracy(loader, hidden_layer_sizes=(64,), max_iter=100, random_state=seed)
    assert abs(a - b) <= 0.01, (a, b)
    assert b > 0.9


def test_lbfgs_solves_xor_and_regression():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] * 5)
    y = np.array([0, 1, 1, 0] * 5)
    clf = MLPClassifier((8,), activation="tanh", solver="lbfgs", random_state=1).fit(X, y)
    assert (clf.predict(X) == y).all()
    assert clf.loss_ < 0.05 and clf.n_iter_ >= 1
    reg = MLPRegressor((10,), solver="lbfgs", activation="tanh", random_state=0, max_iter=500)
    Xr = np.linspace(-2, 2, 60)[:, None]
    assert reg.fit(Xr, np.sin(Xr).ravel()).score(Xr, np.sin(Xr).ravel()) > 0.99


def test_early_stopping_records_validation_curves_and_restores_best():
    X, y = _digits()
    m = MLPClassifier((32,), early_stopping=True, max_iter=60, random_state=0, n_iter_no_change=3)
    m.fit(X, y)
    assert len(m.validation_scores_) == len(m.loss_curve_) == len(m.validation_loss_curve_)
    assert m.best_validation_score_ == max(m.validation_scores_)
    assert m.n_iter_ < 60  # stopped early
    assert m.best_loss_ is None
    assert m.validation_loss_curve_[-1] < m.validation_loss_curve_[0]


def test_callbacks_run_every_epoch_and_can_stop():
    X, y = _digits()
    seen = []

    def cb(est):
        seen.append(est.loss_curve_[-1])
        return len(seen) == 4

    m = MLPClassifier((16,), max_iter=50, random_state=0, callbacks=cb).fit(X, y)
    assert m.n_iter_ == 4 and seen == m.loss_curve_
    with pytest.raises(TypeError, match="callbacks"):
        MLPClassifier(callbacks=[3]).fit(X, y)


def test_partial_fit_continues_the_optimizer_state():
    X, y = _digits()
    full = MLPClassifier((16,), max_iter=3, shuffle=False, random_state=0, tol=0).fit(X, y)
    inc = MLPClassifier((16,), shuffle=False, random_state=0)
    for _ in range(3):
        inc.partial_fit(X, y, classes=np.arange(10))
    np.testing.assert_allclose(inc.loss_curve_, full.loss_curve_, atol=1e-12)
    with pytest.raises(ValueError, match="classes"):
        MLPClassifier().partial_fit(X, y)
    with pytest.raises(AttributeError, match="stochastic"):
        MLPClassifier(solver="lbfgs").partial_fit(X, y, classes=np.arange(10))


def test_optimizer_state_is_per_layer_and_fresh_at_each_fit():
    # anchor bug: one optimizer buffer shared across layers (shapes would clash or mix)
    X, y = _digits()
    m = MLPClassifier((16, 12), max_iter=2, random_state=0).fit(X, y)
    shapes = [v.shape for v in m._optimizer.ms]
    assert shapes == [(64, 16), (16, 12), (12, 10), (16,), (12,), (10,)]
    first = m._optimizer
    m.set_params(warm_start=True).fit(X, y)
    assert m._optimizer is not first and m._optimizer.t == 2 * 9  # 9 batches per epoch


def test_large_logits_do_not_overflow():
    X, y = _digits()
    m = MLPClassifier((8,), max_iter=1, random_state=0).fit(X, y)
    m.coefs_[-1] = m.coefs_[-1] * 1e6
    p = m.predict_proba(X)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert np.isfinite(m.predict_log_proba(X)).all()


def test_bad_parameters_and_warm_start_shapes():
    X, y = _digits()
    for kw, name in [
        ({"activation": "softsign"}, "activation"),
        ({"solver": "x"}, "solver"),
        ({"alpha": -1.0}, "alpha"),
        ({"hidden_layer_sizes": (0,)}, "hidden"),
        ({"batch_size": 0}, "batch_size"),
        ({"max_iter": 0}, "max_iter"),
        ({"learning_rate": "fast"}, "learning_rate"),
    ]:
        with pytest.raises(ValueError, match=name):
            MLPClassifier(**kw).fit(X, y)
    m = MLPClassifier((8,), warm_start=True)
    m.coefs_ = [np.zeros((64, 9)), np.zeros((9, 10))]
    m.intercepts_ = [np.zeros(9), np.zeros(10)]
    with pytest.raises(ValueError, match="warm start"):
        m.fit(X, y)
    with pytest.raises(ValueError):
        MLPClassifier().fit(np.full((4, 2), np.nan), [0, 1, 0, 1])


@parametrize_with_checks(
    [
        MLPClassifier((16,), learning_rate_init=0.01, max_iter=100, random_state=0),
        MLPRegressor((16,), learning_rate_init=0.01, max_iter=200, random_state=0),
        MLPClassifier((5,), solver="lbfgs", max_iter=50, random_state=0),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
