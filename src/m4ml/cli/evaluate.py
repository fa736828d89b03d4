"""Model evaluation for ``m4ml fit``: shared CV folds, the corrected resampled t-test,
held-out metrics with bootstrap confidence intervals.
"""

import math

import numpy as np

__all__ = [
    "CLASSIFICATION_METRICS",
    "REGRESSION_METRICS",
    "bootstrap_ci",
    "corrected_resampled_ttest",
    "test_metrics",
]

CLASSIFICATION_METRICS = (
    "accuracy",
    "balanced_accuracy",
    "precision_macro",
    "recall_macro",
    "f1_macro",
    "roc_auc",
    "log_loss",
)
REGRESSION_METRICS = ("r2", "rmse", "mae")


def corrected_resampled_ttest(scores_a, scores_b, n_train, n_test):
    """Nadeau and Bengio's corrected resampled t-test of two models scored on the same folds.

    Parameters
    ----------
    scores_a, scores_b : array_like, shape (k,)
        The two models' scores on the same ``k`` cross-validation folds.
    n_train, n_test : int
        Rows used for training and for testing in each fold.

    Returns
    -------
    t : float or None
        The corrected statistic (None when every fold gives the same non-zero difference,
        where it is infinite).
    p_value : float
        Two-sided, from Student's t with ``k - 1`` degrees of freedom.

    Notes
    -----
    With fold differences :math:`d_j`, mean :math:`\\bar d` and variance :math:`s^2`,

    .. math:: t = \\frac{\\bar d}{\\sqrt{\\left(\\frac1k + \\frac{n_{test}}{n_{train}}\\right)
              s^2}}

    The plain paired t-test uses :math:`1/k` alone and ignores that the training sets
    overlap, so its p-values are too small (anti-conservative); the
    :math:`n_{test}/n_{train}` term corrects the variance for that overlap.

    References
    ----------
    Nadeau, C. and Bengio, Y. (2003). Inference for the generalization error. Machine
    Learning 52, 239-281.
    """
    from m4ml.probability import StudentT

    d = np.asarray(scores_a, dtype=float) - np.asarray(scores_b, dtype=float)
    k = d.size
    if k < 2:
        raise ValueError("the corrected t-test needs at least two folds")
    mean, var = float(d.mean()), float(d.var(ddof=1))
    if var == 0.0:
        return (0.0, 1.0) if mean == 0.0 else (None, 0.0)
    t = mean / math.sqrt((1.0 / k + n_test / n_train) * var)
    p = float(2.0 * StudentT(k - 1).sf(abs(t)))
    return float(t), min(1.0, p)


def _classification_values(y, pred, proba, classes):
    from m4ml.pipeline import metrics as mm

    out = {
        "accuracy": mm.accuracy_score(y, pred),
        "balanced_accuracy": mm.balanced_accuracy_score(y, pred),
        "precision_macro": mm.precision_score(y, pred, average="macro", zero_division=0),
        "recall_macro": mm.recall_score(y, pred, average="macro", zero_division=0),
        "f1_macro": mm.f1_score(y, pred, average="macro", zero_division=0),
        "roc_auc": None,
        "log_loss": None,
    }
    if proba is not None:
        present = np.unique(y)
        if len(present) == len(classes):
            if len(classes) == 2:
                out["roc_auc"] = mm.roc_auc_score(y == classes[1], proba[:, 1])
            else:
                out["roc_auc"] = mm.roc_auc_score(y, proba, multi_class="ovr", labels=classes)
        out["log_loss"] = mm.log_loss(y, np.clip(proba, 1e-15, 1.0), labels=classes)
    return {k: (None if v is None else float(v)) for k, v in out.items()}


def _regression_values(y, pred):
    from m4ml.pipeline import metrics as mm

    return {
        "r2": float(mm.r2_score(y, pred)),
        "rmse": float(mm.root_mean_squared_error(y, pred)),
        "mae": float(mm.mean_absolute_error(y, pred)),
    }


def test_metrics(task, y, pred, proba=None, classes=None):
    """Every metric of metrics.json for ``task`` (None where undefined)."""
    if task == "classification":
        values = _classification_values(np.asarray(y), np.asarray(pred), proba, classes)
    else:
        values = _regression_values(np.asarray(y, dtype=float), np.asarray(pred, dtype=float))
    # undefined values (e.g. R² of a constant target) are None, never NaN, in metrics.json
    return {k: (v if v is not None and math.isfinite(v) else None) for k, v in values.items()}


test_metrics.__test__ = False  # not a pytest test despite the name


def bootstrap_ci(task, y, pred, proba=None, classes=None, *, n_boot=1000, random_state=0):
    """95% percentile bootstrap intervals of every metric over resampled test rows.

    Notes
    -----
    Each replicate draws :math:`n` test rows with replacement and recomputes the metric; the
    interval is the 2.5th and 97.5th percentiles of the replicates (replicates where a metric is
    undefined, e.g. ROC AUC without every class, are skipped for that metric).
    """
    rng = np.random.default_rng(random_state)
    y, pred = np.asarray(y), np.asarray(pred)
    draws = {}
    for _ in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        values = test_metrics(
            task, y[idx], pred[idx], None if proba is None else proba[idx], classes
        )
        for key, value in values.items():
            if value is not None and np.isfinite(value):
                draws.setdefault(key, []).append(value)
    return {
        key: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
        for key, v in draws.items()
    }
