"""The evaluation displays against scikit-learn's (Agg backend): drawn values, legends, errors."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn import metrics as skm  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from m4ml.pipeline import (  # noqa: E402
    ConfusionMatrixDisplay,
    PrecisionRecallDisplay,
    RocCurveDisplay,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _binary(n=150, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = y + rng.standard_normal(n)
    return y, score


def _fitted(seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((120, 3))
    y = np.where(X[:, 0] - 0.5 * X[:, 1] + 0.8 * rng.standard_normal(120) > 0, "yes", "no")
    return LogisticRegression().fit(X, y), X, y


@pytest.mark.parametrize("normalize", [None, "true", "pred", "all"])
def test_confusion_matrix_matches_sklearn(normalize):
    rng = np.random.default_rng(2)
    y_true = rng.choice(["ant", "bee", "cat"], 90)
    y_pred = np.where(rng.random(90) < 0.6, y_true, rng.choice(["ant", "bee", "cat"], 90))
    ours = ConfusionMatrixDisplay.from_predictions(y_true, y_pred, normalize=normalize)
    ref = skm.ConfusionMatrixDisplay.from_predictions(y_true, y_pred, normalize=normalize)
    np.testing.assert_allclose(ours.im_.get_array(), ref.im_.get_array(), rtol=1e-14)
    ticks = [t.get_text() for t in ours.ax_.get_xticklabels()]
    assert ticks == [t.get_text() for t in ref.ax_.get_xticklabels()] == ["ant", "bee", "cat"]
    fmt = "d" if normalize is None else ".2f"
    cells = ref.im_.get_array()
    expected = [format(int(v) if normalize is None else v, fmt) for v in np.ravel(cells)]
    assert [t.get_text() for t in ours.text_.ravel()] == expected
    assert ours.ax_.get_xlabel() == "Predicted label" and ours.ax_.get_ylabel() == "True label"
    assert ours.figure_ is ours.ax_.figure


def test_confusion_matrix_labels_order_and_estimator():
    y_true, y_pred = [2, 0, 1, 1, 2, 0], [2, 1, 1, 0, 2, 0]
    ours = ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=[2, 1, 0])
    ref = skm.ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=[2, 1, 0])
    np.testing.assert_array_equal(ours.confusion_matrix, ref.confusion_matrix)
    assert [t.get_text() for t in ours.ax_.get_yticklabels()] == ["2", "1", "0"]
    model, X, y = _fitted()
    ours = ConfusionMatrixDisplay.from_estimator(model, X, y, display_labels=["N", "Y"])
    ref = skm.ConfusionMatrixDisplay.from_estimator(model, X, y)
    np.testing.assert_array_equal(ours.confusion_matrix, ref.confusion_matrix)
    assert [t.get_text() for t in ours.ax_.get_xticklabels()] == ["N", "Y"]


def test_confusion_matrix_draws_on_the_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    disp = ConfusionMatrixDisplay(np.array([[3, 1], [0, 4]])).plot(ax=right, colorbar=False)
    assert disp.ax_ is right and disp.figure_ is fig and not left.images
    assert [t.get_text() for t in right.texts] == ["3", "1", "0", "4"]
    # the darkest cells get the light text colour, as scikit-learn's threshold rule does
    ref = skm.ConfusionMatrixDisplay(np.array([[3, 1], [0, 4]])).plot(cmap="Blues")
    ours_colors = [t.get_color() for t in disp.text_.ravel()]
    assert ours_colors == [t.get_color() for t in ref.text_.ravel()]


def test_roc_matches_sklearn_and_labels_its_legend():
    y, score = _binary()
    w = np.random.default_rng(3).uniform(0.5, 2.0, y.size)
    for kwargs in ({}, {"sample_weight": w}, {"drop_intermediate": False}):
        ours = RocCurveDisplay.from_predictions(y, score, **kwargs)
        ref = skm.RocCurveDisplay.from_predictions(y, score, **kwargs)
        np.testing.assert_allclose(ours.line_.get_xdata(), ref.line_.get_xdata(), atol=1e-12)
        np.testing.assert_allclose(ours.line_.get_ydata(), ref.line_.get_ydata(), atol=1e-12)
        auc = skm.roc_auc_score(y, score, sample_weight=kwargs.get("sample_weight"))
        assert ours.roc_auc == pytest.approx(auc, rel=1e-12)
        assert ours.line_.get_label() == f"Classifier (AUC = {auc:.3f})"
    named = RocCurveDisplay.from_predictions(y, score, name="ridge", plot_chance_level=True)
    labels = [t.get_text() for t in named.ax_.get_legend().get_texts()]
    assert labels == [f"ridge (AUC = {named.roc_auc:.3f})", "Chance level (AUC = 0.5)"]
    assert named.ax_.get_xlabel() == "False Positive Rate (Positive label: 1)"


def test_roc_from_estimator_matches_sklearn():
    model, X, y = _fitted()
    ours = RocCurveDisplay.from_estimator(model, X, y)
    ref = skm.RocCurveDisplay.from_estimator(model, X, y)
    np.testing.assert_allclose(ours.line_.get_ydata(), ref.line_.get_ydata(), atol=1e-12)
    assert ours.line_.get_label().startswith("LogisticRegression (AUC = ")
    assert ours.roc_auc == pytest.approx(ref.roc_auc, rel=1e-12)
    assert ours.pos_label == "yes"
    # the decision function scores classes_[1]; for pos_label=classes_[0] it is negated
    svm = LinearSVC().fit(X, y)
    for pos_label in ("yes", "no"):
        ours = RocCurveDisplay.from_estimator(svm, X, y, pos_label=pos_label, name="svm")
        ref = skm.RocCurveDisplay.from_estimator(svm, X, y, pos_label=pos_label)
        np.testing.assert_allclose(ours.line_.get_xdata(), ref.line_.get_xdata(), atol=1e-12)
        assert ours.roc_auc == pytest.approx(ref.roc_auc, rel=1e-12)
        assert ours.line_.get_label() == f"svm (AUC = {ref.roc_auc:.3f})"


def test_precision_recall_matches_sklearn():
    y, score = _binary(seed=4)
    labels = np.where(y == 1, "spam", "ham")
    ours = PrecisionRecallDisplay.from_predictions(
        labels, score, pos_label="spam", plot_chance_level=True
    )
    ref = skm.PrecisionRecallDisplay.from_predictions(
        labels, score, pos_label="spam", plot_chance_level=True
    )
    np.testing.assert_allclose(ours.line_.get_xdata(), ref.line_.get_xdata(), atol=1e-12)
    np.testing.assert_allclose(ours.line_.get_ydata(), ref.line_.get_ydata(), atol=1e-12)
    assert ours.line_.get_drawstyle() == "steps-post"
    assert ours.average_precision == pytest.approx(ref.average_precision, rel=1e-12)
    assert ours.prevalence_pos_label == pytest.approx(ref.prevalence_pos_label, rel=1e-12)
    assert ours.line_.get_label() == f"Classifier (AP = {ref.average_precision:.3f})"
    np.testing.assert_allclose(ours.chance_level_.get_ydata(), ref.chance_level_.get_ydata())
    assert ours.ax_.get_ylabel() == "Precision (Positive label: spam)"
    model, X, yy = _fitted()
    ours = PrecisionRecallDisplay.from_estimator(model, X, yy, pos_label="no")
    ref = skm.PrecisionRecallDisplay.from_estimator(model, X, yy, pos_label="no")
    np.testing.assert_allclose(ours.line_.get_ydata(), ref.line_.get_ydata(), atol=1e-12)
    assert ours.line_.get_label().startswith("LogisticRegression (AP = ")


def test_displays_reject_bad_input_naming_the_argument():
    y, score = _binary(n=40)
    model, X, yy = _fitted()
    cases = [
        (TypeError, "ax", lambda: RocCurveDisplay.from_predictions(y, score, ax="left")),
        (TypeError, "name", lambda: RocCurveDisplay.from_predictions(y, score, name=3)),
        (
            TypeError,
            "curve_kwargs",
            lambda: RocCurveDisplay(fpr=[0, 1], tpr=[0, 1]).plot(curve_kwargs=[1]),
        ),
        (ValueError, "y_score", lambda: RocCurveDisplay.from_predictions(y, np.c_[score, score])),
        (ValueError, "pos_label", lambda: RocCurveDisplay.from_predictions(yy, X[:, 0])),
        (ValueError, "fpr", lambda: RocCurveDisplay(fpr=[0, 0.5, 1], tpr=[0, 1])),
        (ValueError, "fpr", lambda: RocCurveDisplay(fpr=[0, np.nan], tpr=[0, 1])),
        (ValueError, "precision", lambda: PrecisionRecallDisplay([1, 0.5], [0, 0.5, 1])),
        (
            ValueError,
            "prevalence_pos_label",
            lambda: PrecisionRecallDisplay([1, 0.5], [0, 1]).plot(plot_chance_level=True),
        ),
        (
            ValueError,
            "response_method",
            lambda: RocCurveDisplay.from_estimator(model, X, yy, response_method="predict"),
        ),
        (
            ValueError,
            "pos_label",
            lambda: PrecisionRecallDisplay.from_estimator(model, X, yy, pos_label="maybe"),
        ),
        (TypeError, "estimator", lambda: RocCurveDisplay.from_estimator(object(), X, yy)),
        (TypeError, "estimator", lambda: ConfusionMatrixDisplay.from_estimator(object(), X, yy)),
        (ValueError, "fit", lambda: RocCurveDisplay.from_estimator(LogisticRegression(), X, yy)),
        (
            ValueError,
            "binary",
            lambda: RocCurveDisplay.from_estimator(
                LogisticRegression().fit(X, np.arange(120) % 3), X, np.arange(120) % 3
            ),
        ),
        (
            ValueError,
            "normalize",
            lambda: ConfusionMatrixDisplay.from_predictions(y, y, normalize="rows"),
        ),
        (
            ValueError,
            "display_labels",
            lambda: ConfusionMatrixDisplay(np.eye(2), display_labels=["a"]),
        ),
        (ValueError, "confusion_matrix", lambda: ConfusionMatrixDisplay(np.zeros((2, 3)))),
        (ValueError, "confusion_matrix", lambda: ConfusionMatrixDisplay(np.zeros((0, 0)))),
        (ValueError, "confusion_matrix", lambda: ConfusionMatrixDisplay(-np.eye(2))),
        (TypeError, "confusion_matrix", lambda: ConfusionMatrixDisplay(np.full((2, 2), "a"))),
        (
            ValueError,
            "values_format",
            lambda: ConfusionMatrixDisplay(np.eye(2) / 2).plot(values_format="d"),
        ),
    ]
    for error, word, call in cases:
        with pytest.raises(error, match=word):
            call()
