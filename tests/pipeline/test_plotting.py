import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from m4ml.pipeline.plotting import (  # noqa: E402
    plot_confusion_matrix,
    plot_partial_dependence,
    plot_permutation_importance,
    plot_precision_recall_curve,
    plot_roc_curve,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_confusion_matrix_takes_labels_like_the_other_plots():
    y_true = ["cat", "dog", "dog", "cat", "dog", "dog", "cat"]
    y_pred = ["cat", "dog", "cat", "cat", "dog", "dog", "dog"]
    ax = plot_confusion_matrix(y_true, y_pred)
    assert [t.get_text() for t in ax.texts] == ["2", "1", "1", "3"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    ax = plot_confusion_matrix(y_true, y_pred, normalize="true")
    assert [t.get_text() for t in ax.texts] == ["0.67", "0.33", "0.25", "0.75"]
    with pytest.raises(ValueError, match="y_pred"):
        plot_confusion_matrix(y_true)
    with pytest.raises(ValueError, match="normalize"):
        plot_confusion_matrix(y_true, y_pred, normalize="rows")


def test_confusion_matrix_given_a_matrix_still_draws_it_with_a_future_warning():
    cm = np.array([[5, 1], [2, 7]])
    with pytest.warns(FutureWarning, match=r"ConfusionMatrixDisplay\(confusion_matrix=cm"):
        ax = plot_confusion_matrix(cm, ["cat", "dog"])
    assert [t.get_text() for t in ax.texts] == ["5", "1", "2", "7"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    with pytest.warns(FutureWarning):
        ax = plot_confusion_matrix(cm, labels=["cat", "dog"], normalize="true")
    assert [t.get_text() for t in ax.texts] == ["0.83", "0.17", "0.22", "0.78"]
    with pytest.warns(FutureWarning), pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.warns(FutureWarning), pytest.raises(ValueError, match="display_labels"):
        plot_confusion_matrix(cm, ["a"])


def test_roc_and_pr_curves_draw_the_metric_values_with_labelled_legends():
    from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    score = y + rng.standard_normal(200)
    ax = plot_roc_curve(y, score, name="model")
    fpr, tpr, _ = roc_curve(y, score)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), fpr)
    np.testing.assert_allclose(line.get_ydata(), tpr)
    assert line.get_label() == f"model (AUC = {roc_auc_score(y, score):.3f})"
    assert ax.get_lines()[1].get_label() == "Chance level (AUC = 0.5)"
    ax = plot_precision_recall_curve(np.where(y == 1, "yes", "no"), score, pos_label="yes")
    ap = average_precision_score(y, score)
    assert ax.get_lines()[0].get_label() == f"Classifier (AP = {ap:.3f})"
    assert ax.get_legend().get_texts()[0].get_text() == f"Classifier (AP = {ap:.3f})"
    with pytest.raises(ValueError, match="pos_label"):
        plot_roc_curve(["a", "b", "a"], [0.1, 0.2, 0.3])


def test_importance_and_partial_dependence_plots():
    result = {"importances": np.array([[0.1, 0.2, 0.15], [0.5, 0.4, 0.6]])}
    ax = plot_permutation_importance(result, ["weak", "strong"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["weak", "strong"]
    with pytest.raises(ValueError, match="names"):
        plot_permutation_importance(result, ["only one"])
    pd_result = {
        "grid_values": [np.array([0.0, 1.0, 2.0])],
        "average": np.array([[1.0, 2.0, 3.0]]),
        "individual": np.array([[[0.0, 1.0, 2.0], [2.0, 3.0, 4.0]]]),
    }
    ax = plot_partial_dependence(pd_result, "x")
    lines = ax.get_lines()
    assert len(lines) == 3  # two ICE curves and the average
    np.testing.assert_allclose(lines[-1].get_ydata(), [1.0, 2.0, 3.0])
    two = {"grid_values": [np.zeros(2), np.zeros(2)], "average": np.zeros((1, 2, 2))}
    with pytest.raises(ValueError, match="one feature"):
        plot_partial_dependence(two)
