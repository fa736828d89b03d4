"""Log loss and Brier score against scikit-learn."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.pipeline import metrics as mm

TOL = 1e-12


def _probs(rng, n, k):
    P = rng.random((n, k)) ** 3
    return P / P.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("k", [2, 3, 6])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("normalize", [True, False])
def test_log_loss_matches_sklearn(rng, k, weighted, normalize):
    y = rng.integers(0, k, 100)
    y[:k] = np.arange(k)
    P = _probs(rng, 100, k)
    P[0] = np.eye(k)[(y[0] + 1) % k]  # a confident mistake: exercises the clipping
    w = rng.random(100) if weighted else None
    assert mm.log_loss(y, P, sample_weight=w, normalize=normalize) == pytest.approx(
        skm.log_loss(y, P, sample_weight=w, normalize=normalize), abs=TOL
    )
    if k == 2:
        assert mm.log_loss(y, P[:, 1], sample_weight=w) == pytest.approx(
            skm.log_loss(y, P[:, 1], sample_weight=w), abs=TOL
        )


def test_log_loss_labels_and_strings(rng):
    y = np.array(["cat", "dog", "cat", "dog"])
    P = _probs(rng, 4, 3)
    labels = ["bird", "cat", "dog"]
    assert mm.log_loss(y, P, labels=labels) == pytest.approx(
        skm.log_loss(y, P, labels=labels), abs=TOL
    )
    assert mm.log_loss(
        ["spam", "ham", "ham", "spam"], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
    ) == pytest.approx(
        skm.log_loss(
            ["spam", "ham", "ham", "spam"], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
        ),
        abs=TOL,
    )
    with pytest.warns(UserWarning, match="ordered lexicographically"):
        mm.log_loss(y, P, labels=["dog", "cat", "bird"])


@pytest.mark.parametrize("weighted", [False, True])
def test_brier_matches_sklearn(rng, weighted):
    y = rng.integers(0, 2, 80)
    p = rng.random(80)
    w = rng.random(80) if weighted else None
    assert mm.brier_score_loss(y, p, sample_weight=w) == pytest.approx(
        skm.brier_score_loss(y, p, sample_weight=w), abs=TOL
    )
    assert mm.brier_score_loss(y, p, sample_weight=w, pos_label=0) == pytest.approx(
        skm.brier_score_loss(y, p, sample_weight=w, pos_label=0), abs=TOL
    )
    assert mm.brier_score_loss(y, p, scale_by_half=False) == pytest.approx(
        skm.brier_score_loss(y, p, scale_by_half=False), abs=TOL
    )
    ys = np.where(y == 1, "pos", "neg")
    assert mm.brier_score_loss(ys, p, pos_label="pos") == pytest.approx(
        skm.brier_score_loss(ys, p, pos_label="pos"), abs=TOL
    )
    y3 = rng.integers(0, 3, 80)
    P = _probs(rng, 80, 3)
    for scale in ("auto", True, False):
        assert mm.brier_score_loss(y3, P, sample_weight=w, scale_by_half=scale) == pytest.approx(
            skm.brier_score_loss(y3, P, sample_weight=w, scale_by_half=scale), abs=TOL
        )
    # numeric labels other than {0, 1}: the greater label is positive, as in scikit-learn
    y27 = np.where(y == 1, 7, 2)
    assert mm.brier_score_loss(y27, p) == pytest.approx(skm.brier_score_loss(y27, p), abs=TOL)


def test_real_probabilities():
    from sklearn.datasets import load_breast_cancer, load_iris
    from sklearn.linear_model import LogisticRegression

    for loader in (load_iris, load_breast_cancer):
        X, y = loader(return_X_y=True)
        X = (X - X.mean(0)) / X.std(0)
        P = LogisticRegression(max_iter=300).fit(X[::2], y[::2]).predict_proba(X[1::2])
        yt = y[1::2]
        assert mm.log_loss(yt, P) == pytest.approx(skm.log_loss(yt, P), abs=TOL)
        assert mm.brier_score_loss(yt, P if P.shape[1] > 2 else P[:, 1]) == pytest.approx(
            skm.brier_score_loss(yt, P if P.shape[1] > 2 else P[:, 1]), abs=TOL
        )


def test_errors():
    with pytest.raises(ValueError, match="greater than 1"):
        mm.log_loss([0, 1], [[0.5, 1.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="lower than 0"):
        mm.brier_score_loss([0, 1], [-0.1, 0.5])
    with pytest.raises(ValueError, match="only one label"):
        mm.log_loss([1, 1], [0.3, 0.8])
    with pytest.raises(ValueError, match="different number of classes"):
        mm.log_loss([0, 1, 2], np.full((3, 2), 0.5))
    with pytest.raises(ValueError, match="not belonging"):
        mm.log_loss([0, 5], [[0.5, 0.5], [0.5, 0.5]], labels=[0, 1])
    with pytest.raises(ValueError, match="Inconsistent"):
        mm.log_loss([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="empty"):
        mm.log_loss([], [])
    with pytest.raises(ValueError, match="NaN"):
        mm.brier_score_loss([0, 1], [np.nan, 0.5])
    with pytest.raises(ValueError, match="should be binary"):
        mm.brier_score_loss([0, 1, 2], [0.2, 0.5, 0.3])
    with pytest.raises(ValueError, match="pos_label"):
        mm.brier_score_loss(["a", "b"], [0.2, 0.5])
    with pytest.raises(ValueError, match="scale_by_half"):
        mm.brier_score_loss([0, 1], [0.2, 0.5], scale_by_half="yes")
    with pytest.warns(UserWarning, match="do not sum to one"):
        mm.log_loss([0, 1, 2], np.full((3, 3), 0.5))


def test_perfect_predictions():
    assert mm.brier_score_loss([0, 1, 1], [0.0, 1.0, 1.0]) == 0.0
    eps = np.finfo(float).eps
    assert mm.log_loss([0, 1], [[1.0, 0.0], [0.0, 1.0]]) == pytest.approx(-np.log(1 - eps))


@settings(max_examples=50, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.lists(st.integers(0, k - 1), min_size=2, max_size=20),
            st.integers(0, 2**32 - 1),
        )
    )
)
def test_log_loss_is_mean_negative_log_likelihood(args):
    k, labels, seed = args
    y = np.array(labels)
    P = np.random.default_rng(seed).dirichlet(np.ones(k), size=len(y))
    got = mm.log_loss(y, P, labels=np.arange(k))
    eps = np.finfo(float).eps
    want = -np.mean(np.log(np.clip(P[np.arange(len(y)), y], eps, 1 - eps)))
    assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
    assert got >= 0
    brier = mm.brier_score_loss(y, P, labels=np.arange(k), scale_by_half=False)
    assert brier == pytest.approx(np.mean(((np.eye(k)[y] - P) ** 2).sum(axis=1)), abs=1e-12)
    assert 0 <= brier <= 2
