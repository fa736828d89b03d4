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


def test_confusion_matrix_cells_show_counts_and_rates():
    cm = np.array([[5, 1], [2, 7]])
    ax = plot_confusion_matrix(cm, ["cat", "dog"])
    assert [t.get_text() for t in ax.texts] == ["5", "1", "2", "7"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog"]
    ax = plot_confusion_matrix(cm, normalize="true")
    assert [t.get_text() for t in ax.texts] == ["0.83", "0.17", "0.22", "0.78"]
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="labels"):
        plot_confusion_matrix(cm, ["a"])
    with pytest.raises(ValueError, match="normalize"):
        plot_confusion_matrix(cm, normalize="rows")


def test_roc_and_pr_curves_draw_the_metric_values():
    from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    score = y + rng.standard_normal(200)
    ax = plot_roc_curve(y, score, name="model")
    fpr, tpr, _ = roc_curve(y, score)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_xdata(), fpr)
    np.testing.assert_allclose(line.get_ydata(), tpr)
    assert f"{roc_auc_score(y, score):.3f}" in line.get_label()
    ax = plot_precision_recall_curve(np.where(y == 1, "yes", "no"), score, pos_label="yes")
    assert f"{average_precision_score(y, score):.3f}" in ax.get_lines()[0].get_label()
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
