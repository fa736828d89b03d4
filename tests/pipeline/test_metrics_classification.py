"""Classification metrics against scikit-learn: random labels, real predictions, edge cases."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.pipeline import metrics as mm
from m4ml.pipeline.metrics import UndefinedMetricWarning

TOL = 1e-12


def _labels(rng, n, k, kind):
    codes = rng.integers(0, k, n)
    if kind == "str":
        return np.array([f"class_{c}" for c in codes])
    if kind == "neg":
        return codes * 3 - 5
    if kind == "float":
        return codes.astype(float)
    return codes


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _assert_same(a, b):
    if b is None:
        assert a is None
        return
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=0, atol=TOL)


@pytest.fixture(scope="module")
def real_predictions():
    """(y_true, y_pred) from logistic regression on the bundled datasets (test-only)."""
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
        out[name] = (y[1::2], clf.predict(X[1::2]))
    return out


KINDS = ["int", "str", "neg", "float"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [2, 3, 7])
@pytest.mark.parametrize("weighted", [False, True])
def test_counts_metrics_match_sklearn(rng, kind, k, weighted):
    t, p = _labels(rng, 300, k, kind), _labels(rng, 300, k, kind)
    w = rng.random(300) if weighted else None
    assert mm.accuracy_score(t, p, sample_weight=w) == pytest.approx(
        skm.accuracy_score(t, p, sample_weight=w), abs=TOL
    )
    assert mm.accuracy_score(t, p, normalize=False, sample_weight=w) == pytest.approx(
        skm.accuracy_score(t, p, normalize=False, sample_weight=w), abs=TOL
    )
    for normalize in (None, "true", "pred", "all"):
        got = mm.confusion_matrix(t, p, sample_weight=w, normalize=normalize)
        want = skm.confusion_matrix(t, p, sample_weight=w, normalize=normalize)
        assert got.dtype == want.dtype
        _assert_same(got, want)
    assert mm.matthews_corrcoef(t, p, sample_weight=w) == pytest.approx(
        skm.matthews_corrcoef(t, p, sample_weight=w), abs=TOL
    )
    for adjusted in (False, True):
        assert mm.balanced_accuracy_score(
            t, p, sample_weight=w, adjusted=adjusted
        ) == pytest.approx(skm.balanced_accuracy_score(t, p, sample_weight=w, adjusted=adjusted))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("k", [2, 4])
@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0, 2.0, np.inf])
def test_prfs_matches_sklearn(rng, kind, k, average, beta):
    t, p = _labels(rng, 200, k, kind), _labels(rng, 200, k, kind)
    w = rng.random(200)
    for sw in (None, w):
        got = mm.precision_recall_fscore_support(t, p, beta=beta, average=average, sample_weight=sw)
        want = skm.precision_recall_fscore_support(
            t, p, beta=beta, average=average, sample_weight=sw
        )
        for a, b in zip(got, want):
            _assert_same(a, b)


def test_binary_and_label_subsets(rng):
    t, p = rng.integers(0, 2, 100), rng.integers(0, 2, 100)
    for fn in ("precision_score", "recall_score", "f1_score"):
        for kwargs in ({}, {"pos_label": 0}, {"average": None}, {"average": "macro"}):
            assert getattr(mm, fn)(t, p, **kwargs) == pytest.approx(
                getattr(skm, fn)(t, p, **kwargs), abs=TOL
            )
    assert mm.fbeta_score(t, p, beta=3) == pytest.approx(skm.fbeta_score(t, p, beta=3), abs=TOL)
    t, p = rng.integers(0, 5, 100), rng.integers(0, 5, 100)
    for labels in ([0, 2], [4, 1, 3], [1, 7]):
        for average in (None, "macro", "micro", "weighted"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                got = mm.f1_score(t, p, labels=labels, average=average)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = skm.f1_score(t, p, labels=labels, average=average)
            _assert_same(got, want)
        _assert_same(
            mm.confusion_matrix(t, p, labels=labels), skm.confusion_matrix(t, p, labels=labels)
        )


def test_string_labels_binary_pos_label():
    t = ["spam", "ham", "spam", "spam", "ham"]
    p = ["spam", "spam", "spam", "ham", "ham"]
    assert mm.precision_score(t, p, pos_label="spam") == pytest.approx(2 / 3)
    assert mm.recall_score(t, p, pos_label="ham") == skm.recall_score(t, p, pos_label="ham")
    with pytest.raises(ValueError, match="pos_label=1 is not a valid label"):
        mm.f1_score(t, p)


def test_multilabel_matches_sklearn(rng):
    T, P = rng.integers(0, 2, (60, 4)), rng.integers(0, 2, (60, 4))
    w = rng.random(60)
    assert mm.accuracy_score(T, P) == skm.accuracy_score(T, P)
    for average in (None, "micro", "macro", "weighted", "samples"):
        for sw in (None, w):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = mm.precision_recall_fscore_support(T, P, average=average, sample_weight=sw)
                want = skm.precision_recall_fscore_support(T, P, average=average, sample_weight=sw)
            for a, b in zip(got, want):
                _assert_same(a, b)
    _assert_same(
        mm.f1_score(T, P, labels=[3, 1], average=None),
        skm.f1_score(T, P, labels=[3, 1], average=None),
    )


@pytest.mark.parametrize("dataset", ["iris", "wine", "cancer", "digits"])
def test_real_predictions(real_predictions, dataset):
    t, p = real_predictions[dataset]
    assert mm.accuracy_score(t, p) == skm.accuracy_score(t, p)
    _assert_same(mm.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    for average in ("macro", "weighted", "micro"):
        assert mm.f1_score(t, p, average=average) == pytest.approx(
            skm.f1_score(t, p, average=average), abs=TOL
        )
    assert mm.matthews_corrcoef(t, p) == pytest.approx(skm.matthews_corrcoef(t, p), abs=TOL)
    assert mm.balanced_accuracy_score(t, p) == pytest.approx(
        skm.balanced_accuracy_score(t, p), abs=TOL
    )
    assert mm.classification_report(t, p, digits=5) == skm.classification_report(t, p, digits=5)


@pytest.mark.parametrize("zero_division", ["warn", 0.0, 1.0, np.nan])
def test_zero_division(zero_division):
    t, p = [0, 1, 2, 2], [0, 2, 2, 2]  # class 1 never predicted; precision undefined
    ctx = pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined")
    if zero_division != "warn":
        ctx = warnings.catch_warnings()
    with ctx:
        if zero_division != "warn":
            warnings.simplefilter("error")
        got = mm.precision_score(t, p, average=None, zero_division=zero_division)
    want = _quiet(skm.precision_score, t, p, average=None, zero_division=zero_division)
    np.testing.assert_array_equal(got, want)
    got = _quiet(mm.precision_score, t, p, average="macro", zero_division=zero_division)
    want = _quiet(skm.precision_score, t, p, average="macro", zero_division=zero_division)
    assert got == pytest.approx(want, abs=TOL, nan_ok=True)
    # F1 of a label neither present nor predicted
    kw = {"labels": [0, 1], "average": None, "zero_division": zero_division}
    f = _quiet(mm.f1_score, [0, 0], [0, 0], **kw)
    np.testing.assert_array_equal(f, _quiet(skm.f1_score, [0, 0], [0, 0], **kw))
    with pytest.raises(ValueError, match="zero_division"):
        mm.f1_score(t, p, average="macro", zero_division=0.5)


def test_classification_report_variants(rng):
    t, p = _labels(rng, 80, 3, "str"), _labels(rng, 80, 3, "str")
    w = rng.integers(1, 4, 80)
    names = ["first", "second", "a very long third name"]
    assert mm.classification_report(t, p, target_names=names) == skm.classification_report(
        t, p, target_names=names
    )
    assert mm.classification_report(t, p, sample_weight=w) == skm.classification_report(
        t, p, sample_weight=w
    )
    labels = ["class_2", "class_0"]
    assert mm.classification_report(t, p, labels=labels) == skm.classification_report(
        t, p, labels=labels
    )
    got = mm.classification_report(t, p, output_dict=True)
    want = skm.classification_report(t, p, output_dict=True)
    assert got.keys() == want.keys()
    assert got["accuracy"] == pytest.approx(want["accuracy"], abs=TOL)
    for key in ("class_0", "macro avg", "weighted avg"):
        for col in want[key]:
            assert got[key][col] == pytest.approx(want[key][col], abs=TOL)
    with pytest.raises(ValueError, match="target_names"):
        mm.classification_report(t, p, target_names=["only", "two"])
    with pytest.raises(ValueError, match="zero_division"):
        mm.classification_report(t, p, zero_division="nan")


def test_classification_report_multilabel(rng):
    T, P = rng.integers(0, 2, (40, 3)), rng.integers(0, 2, (40, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert mm.classification_report(T, P) == skm.classification_report(T, P)


def test_errors_are_clear():
    with pytest.raises(ValueError, match="Inconsistent numbers of samples"):
        mm.accuracy_score([0, 1, 1], [0, 1])
    with pytest.raises(ValueError, match="empty"):
        mm.f1_score([], [])
    with pytest.raises(ValueError, match="continuous"):
        mm.accuracy_score([0.5, 1.5], [0.5, 1.5])
    with pytest.raises(ValueError, match="Mix of label input types"):
        mm.confusion_matrix(["a", "b"], [0, 1])
    with pytest.raises(ValueError, match="mix of"):
        mm.accuracy_score([[0, 1], [1, 1]], [0, 1])
    with pytest.raises(ValueError, match="average='binary'"):
        mm.f1_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError, match="average has to be one of"):
        mm.f1_score([0, 1], [0, 1], average="mean")
    with pytest.raises(ValueError, match="beta"):
        mm.fbeta_score([0, 1], [0, 1], beta=-1)
    with pytest.raises(ValueError, match="At least one label specified must be in y_true"):
        mm.confusion_matrix([0, 1], [0, 1], labels=[5])
    with pytest.raises(ValueError, match="at least one label"):
        mm.confusion_matrix([0, 1], [0, 1], labels=[])
    with pytest.raises(ValueError, match="normalize"):
        mm.confusion_matrix([0, 1], [0, 1], normalize="rows")
    with pytest.raises(ValueError, match="sample_weight"):
        mm.accuracy_score([0, 1], [0, 1], sample_weight=[1.0])
    with pytest.raises(ValueError, match=r"cannot be ordered|missing"):
        mm.accuracy_score(np.array(["a", None], dtype=object), np.array(["a", "b"], dtype=object))
    with pytest.raises(ValueError, match="Samplewise"):
        mm.f1_score([0, 1], [0, 1], average="samples")


def test_single_class_and_constant_predictions():
    with pytest.warns(UserWarning, match="single label"):
        cm = mm.confusion_matrix([1, 1, 1], [1, 1, 1])
    np.testing.assert_array_equal(cm, [[3]])
    np.testing.assert_array_equal(
        mm.confusion_matrix([1, 1, 1], [1, 1, 1], labels=[0, 1]), [[0, 0], [0, 3]]
    )
    assert mm.matthews_corrcoef([0, 1, 0, 1], [1, 1, 1, 1]) == 0.0
    with pytest.warns(UserWarning, match="classes not in y_true"):
        ba = mm.balanced_accuracy_score([0, 0, 0], [0, 1, 0])
    assert ba == _quiet(skm.balanced_accuracy_score, [0, 0, 0], [0, 1, 0])
    assert mm.f1_score([1, 1], [1, 1]) == 1.0


def test_pandas_and_bool_input():
    pd = pytest.importorskip("pandas")
    t = pd.Series(["x", "y", "x", "z"], dtype="object")
    p = pd.Series(["x", "x", "x", "z"], dtype="category")
    assert mm.accuracy_score(t, p) == 0.75
    np.testing.assert_array_equal(
        mm.confusion_matrix([True, False, True], [True, True, True]), [[0, 1], [0, 2]]
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=40),
)
def test_confusion_matrix_identities(pairs):
    t, p = np.array(pairs).T
    cm = mm.confusion_matrix(t, p, labels=[0, 1, 2, 3])
    assert cm.sum() == len(pairs)
    np.testing.assert_array_equal(cm.sum(axis=1), np.bincount(t, minlength=4))
    assert np.trace(cm) / len(pairs) == pytest.approx(mm.accuracy_score(t, p))
    micro = mm.f1_score(t, p, average="micro")
    assert micro == pytest.approx(mm.accuracy_score(t, p))


def test_penguins_string_labels():
    """Real string labels with missing values dropped: species from two bill measurements."""
    from pathlib import Path

    pd = pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression

    df = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "penguins.csv")
    df = df.dropna(subset=["bill_length_mm", "bill_depth_mm", "sex"])
    X = df[["bill_length_mm", "bill_depth_mm"]].to_numpy()
    y = df["species"]
    pred = LogisticRegression(max_iter=500).fit(X[::2], y.iloc[::2]).predict(X[1::2])
    t = y.iloc[1::2]
    assert mm.accuracy_score(t, pred) == skm.accuracy_score(t, pred)
    _assert_same(mm.confusion_matrix(t, pred), skm.confusion_matrix(t, pred))
    for average in (None, "macro", "weighted"):
        _assert_same(mm.f1_score(t, pred, average=average), skm.f1_score(t, pred, average=average))
    assert mm.classification_report(t, pred) == skm.classification_report(t, pred)
    sex_true, sex_pred = df["sex"].iloc[1::2], df["sex"].iloc[::2].to_numpy()[: len(t)]
    assert mm.recall_score(sex_true, sex_pred, pos_label="female") == pytest.approx(
        skm.recall_score(sex_true, sex_pred, pos_label="female"), abs=TOL
    )
