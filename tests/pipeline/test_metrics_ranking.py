"""ROC / PR curves, ROC AUC and average precision against scikit-learn."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from m4ml.pipeline import metrics as mm
from m4ml.pipeline.metrics import UndefinedMetricWarning

TOL = 1e-12


def _same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=0, atol=TOL, equal_nan=True)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def real_scores():
    """Held-out probabilities of logistic regression on the bundled datasets (test-only)."""
    from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    out = {}
    for name, loader in [
        ("iris", load_iris),
        ("wine", load_wine),
        ("cancer", load_breast_cancer),
        ("digits", load_digits),
    ]:
        X, y = loader(return_X_y=True)
        X = StandardScaler().fit_transform(X)
        clf = LogisticRegression(max_iter=200, C=0.05).fit(X[::2], y[::2])
        out[name] = (y[1::2], clf.predict_proba(X[1::2]), clf.decision_function(X[1::2]))
    return out


@pytest.mark.parametrize("n", [3, 40, 500])
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("drop", [False, True])
def test_curves_match_sklearn(rng, n, ties, weighted, drop):
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    s = rng.normal(size=n) + y
    if ties:
        s = np.round(s, 1)
    w = rng.random(n) if weighted else None
    if weighted:
        w[::7] = 0.0
    for got, want in zip(
        mm.roc_curve(y, s, sample_weight=w, drop_intermediate=drop),
        skm.roc_curve(y, s, sample_weight=w, drop_intermediate=drop),
    ):
        _same(got, want)
    for got, want in zip(
        mm.precision_recall_curve(y, s, sample_weight=w, drop_intermediate=drop),
        skm.precision_recall_curve(y, s, sample_weight=w, drop_intermediate=drop),
    ):
        _same(got, want)
    assert mm.roc_auc_score(y, s, sample_weight=w) == pytest.approx(
        skm.roc_auc_score(y, s, sample_weight=w), abs=TOL
    )
    for max_fpr in (0.1, 0.5):
        assert mm.roc_auc_score(y, s, sample_weight=w, max_fpr=max_fpr) == pytest.approx(
            skm.roc_auc_score(y, s, sample_weight=w, max_fpr=max_fpr), abs=TOL
        )
    assert mm.average_precision_score(y, s, sample_weight=w) == pytest.approx(
        skm.average_precision_score(y, s, sample_weight=w), abs=TOL
    )


def test_string_labels_and_pos_label(rng):
    y = np.where(rng.random(50) < 0.4, "yes", "no")
    s = rng.random(50)
    for got, want in zip(mm.roc_curve(y, s, pos_label="yes"), skm.roc_curve(y, s, pos_label="yes")):
        _same(got, want)
    assert mm.roc_auc_score(y, s) == pytest.approx(skm.roc_auc_score(y, s), abs=TOL)
    assert mm.average_precision_score(y, s, pos_label="no") == pytest.approx(
        skm.average_precision_score(y, s, pos_label="no"), abs=TOL
    )
    with pytest.raises(ValueError, match="pos_label"):
        mm.roc_curve(y, s)
    with pytest.raises(ValueError, match="not a valid label"):
        mm.average_precision_score(y, s)
    # one class of a multiclass target against the rest
    y3 = rng.integers(0, 3, 50)
    for got, want in zip(mm.roc_curve(y3, s, pos_label=2), skm.roc_curve(y3, s, pos_label=2)):
        _same(got, want)


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", None])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_ovr_and_multilabel(rng, average, weighted):
    n, k = 120, 4
    y = rng.integers(0, k, n)
    P = rng.random((n, k)) + np.eye(k)[y]
    P /= P.sum(axis=1, keepdims=True)
    w = rng.random(n) if weighted else None
    _same(
        mm.roc_auc_score(y, P, multi_class="ovr", average=average, sample_weight=w),
        skm.roc_auc_score(y, P, multi_class="ovr", average=average, sample_weight=w),
    )
    _same(
        mm.average_precision_score(y, P, average=average, sample_weight=w),
        skm.average_precision_score(y, P, average=average, sample_weight=w),
    )
    Y = (rng.random((n, 3)) < 0.4).astype(int)
    S = rng.random((n, 3)) + Y
    for avg in (average, "samples"):
        _same(
            _quiet(mm.roc_auc_score, Y, S, average=avg, sample_weight=w),
            _quiet(skm.roc_auc_score, Y, S, average=avg, sample_weight=w),
        )
        _same(
            _quiet(mm.average_precision_score, Y, S, average=avg, sample_weight=w),
            _quiet(skm.average_precision_score, Y, S, average=avg, sample_weight=w),
        )


@pytest.mark.parametrize("average", ["macro", "weighted"])
def test_multiclass_ovo(rng, average):
    y = np.array(["a", "b", "c", "d"])[rng.integers(0, 4, 150)]
    P = rng.random((150, 4)) ** 2
    P /= P.sum(axis=1, keepdims=True)
    assert mm.roc_auc_score(y, P, multi_class="ovo", average=average) == pytest.approx(
        skm.roc_auc_score(y, P, multi_class="ovo", average=average), abs=TOL
    )
    # a class missing from y_true but present in labels
    y3 = np.where(y == "d", "c", y)
    labels = ["a", "b", "c", "d"]
    assert mm.roc_auc_score(
        y3, P, multi_class="ovo", average=average, labels=labels
    ) == pytest.approx(
        skm.roc_auc_score(y3, P, multi_class="ovo", average=average, labels=labels), abs=TOL
    )


def test_multiclass_labels_parameter(rng):
    y = np.array(["b", "c", "a", "c", "b", "a", "c"])
    P = rng.random((7, 3))
    P /= P.sum(axis=1, keepdims=True)
    labels = ["a", "b", "c"]
    assert mm.roc_auc_score(y, P, multi_class="ovr", labels=labels) == pytest.approx(
        skm.roc_auc_score(y, P, multi_class="ovr", labels=labels), abs=TOL
    )
    with pytest.raises(ValueError, match="ordered"):
        mm.roc_auc_score(y, P, multi_class="ovr", labels=["c", "b", "a"])
    with pytest.raises(ValueError, match="not in parameter 'labels'"):
        mm.roc_auc_score(y, P, multi_class="ovr", labels=["a", "b", "d"])
    with pytest.raises(ValueError, match="Number of given labels"):
        mm.roc_auc_score(y, P, multi_class="ovr", labels=["a", "b", "c", "d"])


@pytest.mark.parametrize("dataset", ["iris", "wine", "cancer", "digits"])
def test_real_scores(real_scores, dataset):
    y, P, D = real_scores[dataset]
    if P.shape[1] == 2:
        for s in (P[:, 1], D):
            assert mm.roc_auc_score(y, s) == pytest.approx(skm.roc_auc_score(y, s), abs=TOL)
            assert mm.average_precision_score(y, s) == pytest.approx(
                skm.average_precision_score(y, s), abs=TOL
            )
            for got, want in zip(mm.roc_curve(y, s), skm.roc_curve(y, s)):
                _same(got, want)
    else:
        for average in ("macro", "weighted"):
            assert mm.roc_auc_score(y, P, multi_class="ovr", average=average) == pytest.approx(
                skm.roc_auc_score(y, P, multi_class="ovr", average=average), abs=TOL
            )
        assert mm.average_precision_score(y, P) == pytest.approx(
            skm.average_precision_score(y, P), abs=TOL
        )


def test_errors_and_undefined_cases(rng):
    for fn in (mm.roc_auc_score, mm.roc_curve, mm.average_precision_score):
        with pytest.raises(ValueError, match="empty"):
            fn([], [])
    with pytest.raises(ValueError, match="zero for every sample"):
        mm.roc_curve([0, 1], [0.3, 0.4], sample_weight=[0, 0])
    with pytest.raises(ValueError, match="Only one class"):
        mm.roc_auc_score([1, 1, 1], [0.2, 0.5, 0.9])
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        mm.roc_auc_score([0, 1, 1], [0.2, 0.5])
    with pytest.raises(ValueError, match="must be 1-D"):
        mm.roc_auc_score([0, 1, 1], [[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]])
    with pytest.raises(ValueError, match="multi_class='ovr'"):
        mm.roc_auc_score([0, 1, 2], np.eye(3))
    with pytest.raises(NotImplementedError, match="ovo"):
        mm.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ovo", average=None)
    with pytest.raises(ValueError, match="sample_weight"):
        mm.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ovo", sample_weight=[1, 1, 1])
    with pytest.raises(ValueError, match="multi_class"):
        mm.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ova")
    with pytest.raises(ValueError, match="sum up to 1"):
        mm.roc_auc_score([0, 1, 2], 2 * np.eye(3), multi_class="ovr")
    with pytest.raises(ValueError, match="n_samples, n_classes"):
        mm.roc_auc_score([0, 1, 2], [0.1, 0.5, 0.3], multi_class="ovr")
    with pytest.raises(ValueError, match="columns"):
        mm.roc_auc_score([0, 1, 2], np.full((3, 4), 0.25), multi_class="ovr")
    with pytest.raises(ValueError, match="max_fpr"):
        mm.roc_auc_score([0, 1], [0.1, 0.9], max_fpr=0)
    with pytest.raises(ValueError, match="NaN"):
        mm.roc_curve([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="pos_label is fixed to 1"):
        mm.average_precision_score([0, 1, 2], np.eye(3), pos_label=2)
    with pytest.raises(ValueError, match="shape"):
        mm.average_precision_score([0, 1, 2], np.eye(3)[:, :2])
    with pytest.raises(ValueError, match="average"):
        mm.roc_auc_score([0, 1, 2], np.eye(3), multi_class="ovr", average="samples")
    with pytest.warns(UndefinedMetricWarning, match="No positive samples"):
        fpr, tpr, _ = mm.roc_curve([0, 0], [0.1, 0.9])
    assert np.isnan(tpr).all() and fpr[-1] == 1.0
    with pytest.warns(UserWarning, match="No positive class"):
        p, r, _ = mm.precision_recall_curve([0, 0], [0.1, 0.9])
    np.testing.assert_array_equal(r, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(p, [0.0, 0.0, 1.0])


def test_perfect_and_reversed_ranking():
    y = [0, 0, 1, 1]
    assert mm.roc_auc_score(y, [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert mm.roc_auc_score(y, [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert mm.roc_auc_score(y, [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert mm.average_precision_score(y, [0.1, 0.2, 0.8, 0.9]) == 1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 6)), min_size=2, max_size=40))
def test_auc_is_pairwise_ranking_probability(pairs):
    """AUC = P(s+ > s-) + P(s+ = s-)/2 over all positive/negative pairs."""
    y = np.array([p[0] for p in pairs], dtype=int)
    s = np.array([p[1] for p in pairs], dtype=float)
    assume(y.min() != y.max())
    pos, neg = s[y == 1], s[y == 0]
    diff = pos[:, None] - neg[None, :]
    expected = ((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size
    assert mm.roc_auc_score(y, s) == pytest.approx(expected, abs=1e-12)
    # invariant under a strictly increasing transform of the scores
    assert mm.roc_auc_score(y, np.exp(s)) == pytest.approx(expected, abs=1e-12)
