"""m4ml.pipeline.metrics: how good are the predictions?

* classification (:mod:`.classification`, :mod:`.precision_recall`, :mod:`.report`): accuracy,
  confusion matrix, precision/recall/F-scores, balanced accuracy, Matthews correlation, the
  classification report;
* ranking (:mod:`.ranking`, :mod:`.pr_curve`): ROC and precision-recall curves, ROC AUC,
  average precision;
* probabilistic (:mod:`.probabilistic`): log loss, Brier score;
* regression (:mod:`.regression`): MSE, RMSE, MAE, :math:`R^2`, explained variance;
* clustering (:mod:`.clustering`): adjusted Rand index, silhouette;
* scorers (:mod:`.scorers`): metrics bound to estimator methods, by scikit-learn's names.

Semantics (parameters, averaging, zero-division conventions, return types) follow
scikit-learn's metrics of the same names.
"""

from m4ml.pipeline.metrics._labels import UndefinedMetricWarning, label_binarize, type_of_target
from m4ml.pipeline.metrics.classification import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    matthews_corrcoef,
)
from m4ml.pipeline.metrics.clustering import (
    adjusted_rand_score,
    silhouette_samples,
    silhouette_score,
)
from m4ml.pipeline.metrics.pr_curve import average_precision_score, precision_recall_curve
from m4ml.pipeline.metrics.precision_recall import (
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from m4ml.pipeline.metrics.probabilistic import brier_score_loss, log_loss
from m4ml.pipeline.metrics.ranking import roc_auc_score, roc_curve
from m4ml.pipeline.metrics.regression import (
    explained_variance_score,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from m4ml.pipeline.metrics.report import classification_report
from m4ml.pipeline.metrics.scorers import SCORERS, get_scorer, get_scorer_names, make_scorer

__all__ = [
    "SCORERS",
    "UndefinedMetricWarning",
    "accuracy_score",
    "adjusted_rand_score",
    "average_precision_score",
    "balanced_accuracy_score",
    "brier_score_loss",
    "classification_report",
    "confusion_matrix",
    "explained_variance_score",
    "f1_score",
    "fbeta_score",
    "get_scorer",
    "get_scorer_names",
    "label_binarize",
    "log_loss",
    "make_scorer",
    "matthews_corrcoef",
    "mean_absolute_error",
    "mean_squared_error",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
    "silhouette_samples",
    "silhouette_score",
    "type_of_target",
]
