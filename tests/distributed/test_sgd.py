"""SGDClassifier / LogisticRegression over chunks: the same partial_fit iterates as in memory."""

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


@pytest.fixture(scope="module")
def labelled():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4)) * [1.0, 2.0, 0.5, 1.0] + [1.0, 0.0, 0.0, 2.0]
    y = np.where(X[:, 0] - X[:, 1] + 0.5 * rng.normal(size=300) > 1, "b", "a")
    y3 = np.where(X[:, 2] > 0.4, "c", y)
    return X, y, y3


def _in_memory(est, X, y, epochs, classes, sample_weight=None):
    """``est.partial_fit`` on the blocks of CH, in order, ``epochs`` times."""
    for _ in range(epochs):
        start = 0
        for size in CH:
            if size:
                sl = slice(start, start + size)
                sw = None if sample_weight is None else sample_weight[sl]
                est.partial_fit(X[sl], y[sl], classes=classes, sample_weight=sw)
            start += size
    return est


@pytest.mark.parametrize(
    ("loss", "penalty", "learning_rate"),
    [("hinge", "l2", "optimal"), ("log_loss", "elasticnet", "invscaling"),
     ("modified_huber", "l1", "constant")],
)  # fmt: skip
@pytest.mark.parametrize("multiclass", [False, True])
def test_sgd_equals_partial_fit_in_memory(labelled, loss, penalty, learning_rate, multiclass):
    X, y2, y3 = labelled
    y = y3 if multiclass else y2
    kw = {"loss": loss, "penalty": penalty, "learning_rate": learning_rate, "random_state": 7,
          "eta0": 0.05}  # fmt: skip
    ours = md.SGDClassifier(**kw, max_iter=4, tol=None).fit(chunked(X, CH), chunked(y, CH))
    ref = _in_memory(models.SGDClassifier(**kw), X, y, 4, np.unique(y))
    assert ours.n_iter_ == 4
    np.testing.assert_array_equal(ours.coef_, ref.coef_)  # the exact same iterates
    np.testing.assert_array_equal(ours.intercept_, ref.intercept_)
    assert ours.t_ == ref.t_ == 4 * 300 + 1
    pred = ours.predict(chunked(X, CH))
    assert isinstance(pred, da.Array)
    np.testing.assert_array_equal(pred.compute(), ref.predict(X))
    scores = ours.decision_function(chunked(X, CH)).compute()
    np.testing.assert_allclose(scores, ref.decision_function(X), rtol=1e-12)
    if loss == "hinge":
        assert not hasattr(ours, "predict_proba")
    else:
        np.testing.assert_allclose(
            ours.predict_proba(chunked(X, CH)).compute(), ref.predict_proba(X), rtol=1e-12
        )


def test_sample_and_balanced_class_weights(labelled):
    X, _, y = labelled
    w = np.random.default_rng(1).uniform(0.5, 2.0, size=300)
    kw = {"loss": "log_loss", "random_state": 2}
    ours = md.SGDClassifier(**kw, class_weight="balanced", max_iter=2, tol=None)
    ours.fit(chunked(X, CH), chunked(y, CH), sample_weight=chunked(w, CH))
    classes, counts = np.unique(y, return_counts=True)
    balanced = {c: 300 / (3 * k) for c, k in zip(classes.tolist(), counts)}
    ref = _in_memory(models.SGDClassifier(**kw, class_weight=balanced), X, y, 2, classes, w)
    np.testing.assert_array_equal(ours.coef_, ref.coef_)


def test_stopping_rule_and_partial_fit_stream(labelled):
    X, y, _ = labelled
    clf = md.SGDClassifier(random_state=0, n_iter_no_change=3, tol=1e-3)
    clf.fit(chunked(X, CH), chunked(y, CH))
    assert 4 <= clf.n_iter_ < 1000  # stopped by the loss rule, not by max_iter
    stream = md.SGDClassifier(random_state=0)
    for _ in range(2):
        stream.partial_fit(chunked(X, CH), chunked(y, CH), classes=["a", "b"])
    ref = _in_memory(models.SGDClassifier(random_state=0), X, y, 2, ["a", "b"])
    np.testing.assert_array_equal(stream.coef_, ref.coef_)
    with pytest.warns(ConvergenceWarning, match="did not converge in 2 epochs"):
        md.SGDClassifier(max_iter=2, random_state=0).fit(X, y)


def test_logistic_regression_is_the_log_loss_sgd(labelled):
    X, y, _ = labelled
    ours = md.LogisticRegression(C=0.5, random_state=3, max_iter=5, tol=None)
    ours.fit(chunked(X, CH), chunked(y, CH))
    sgd = models.SGDClassifier(loss="log_loss", alpha=1.0 / (0.5 * 300), random_state=3)
    ref = _in_memory(sgd, X, y, 5, ["a", "b"])
    np.testing.assert_array_equal(ours.coef_, ref.coef_)
    np.testing.assert_array_equal(ours.n_iter_, [5])
    np.testing.assert_allclose(
        ours.predict_proba(chunked(X, CH)).compute(), ref.predict_proba(X), rtol=1e-12
    )


@pytest.mark.slow
def test_logistic_regression_approaches_the_full_batch_fit(labelled):
    """SGD's O(1/t) rate: 100 epochs give the in-memory L-BFGS coefficients to ~1%."""
    X, y, _ = labelled
    full = models.LogisticRegression(C=1.0).fit(X, y)
    ours = md.LogisticRegression(random_state=0, max_iter=100, tol=None)
    ours.fit(chunked(X, CH), chunked(y, CH))
    err = np.abs(ours.coef_ - full.coef_).max() / np.abs(full.coef_).max()
    assert err < 0.02
    np.testing.assert_array_equal(ours.predict(X), full.predict(X))


def test_errors(labelled):
    X, y, _ = labelled
    with pytest.raises(ValueError, match="C must be a positive"):
        md.LogisticRegression(C=0.0).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio"):
        md.LogisticRegression(penalty="elasticnet").fit(X, y)
    with pytest.raises(ValueError, match="same number of rows"):
        md.SGDClassifier().fit(chunked(X, CH), chunked(y[:-1], (1, 0, 97, 0, 52, 149)))
    with pytest.raises(ValueError, match="greater than one"):
        md.SGDClassifier().fit(chunked(X, CH), chunked(np.full(300, "a"), CH))
    with pytest.raises(ValueError, match="classes must be passed"):
        md.SGDClassifier().partial_fit(X, y)
    bad = X.copy()
    bad[150, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        md.SGDClassifier(max_iter=2, tol=None).fit(chunked(bad, CH), chunked(y, CH))
    with pytest.raises(ValueError, match="loss"):
        md.SGDClassifier(loss="nope").fit(X, y)


@parametrize_with_checks(
    [md.SGDClassifier(random_state=0), md.LogisticRegression(random_state=0)],
    expected_failed_checks=lambda est: {
        "check_sample_weight_equivalence_on_dense_data": "a weight scales one SGD step, while "
        "repeated rows take several steps (as the in-memory SGDClassifier)"
    },
)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
