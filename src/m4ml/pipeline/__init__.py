"""m4ml.pipeline: the steps every model runs through, from raw table to explained model.

Every transformer and search follows scikit-learn's estimator protocol, so m4ml's pieces drop
into scikit-learn's own ``Pipeline`` and ``ColumnTransformer`` (m4ml does not re-implement
those composition classes; see docs/pipeline.md for why).

Missing data
    SimpleImputer, KNNImputer, IterativeImputer, MissingIndicator, nan_euclidean_distances
Scaling and normalization
    StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler, Normalizer
Features: encoding, creating, selecting
    OneHotEncoder, OrdinalEncoder, PolynomialFeatures, KBinsDiscretizer, FunctionTransformer,
    VarianceThreshold, SelectKBest, f_classif, f_regression, chi2, mutual_info_classif
Splitting and validation
    train_test_split, KFold, StratifiedKFold, ShuffleSplit, LeaveOneOut, cross_val_score,
    cross_validate, check_cv
Hyperparameter search
    GridSearchCV, RandomizedSearchCV, parameter_grid, parameter_sample
Metrics
    m4ml.pipeline.metrics (accuracy_score, f1_score, roc_auc_score, ..., get_scorer)
Interpretability and plots
    permutation_importance, partial_dependence, coefficients_table; the displays
    ConfusionMatrixDisplay, RocCurveDisplay, PrecisionRecallDisplay (scikit-learn's
    from_predictions / from_estimator / plot shape) and the plot_* shortcuts in
    m4ml.pipeline.plotting (matplotlib, imported when something is drawn)
"""

from m4ml.pipeline import metrics
from m4ml.pipeline.confusion_display import ConfusionMatrixDisplay
from m4ml.pipeline.crossval import check_cv, cross_val_score, cross_validate
from m4ml.pipeline.discretize import KBinsDiscretizer
from m4ml.pipeline.encode import OneHotEncoder, OrdinalEncoder
from m4ml.pipeline.features import FunctionTransformer, PolynomialFeatures
from m4ml.pipeline.impute import MissingIndicator, SimpleImputer
from m4ml.pipeline.inspection import coefficients_table, partial_dependence, permutation_importance
from m4ml.pipeline.iterative_impute import IterativeImputer
from m4ml.pipeline.knn_impute import KNNImputer, nan_euclidean_distances
from m4ml.pipeline.normalize import Normalizer
from m4ml.pipeline.pr_display import PrecisionRecallDisplay
from m4ml.pipeline.robust_scale import RobustScaler
from m4ml.pipeline.roc_display import RocCurveDisplay
from m4ml.pipeline.scale import MaxAbsScaler, MinMaxScaler, StandardScaler
from m4ml.pipeline.scores import chi2, f_classif, f_regression, mutual_info_classif
from m4ml.pipeline.search import (
    GridSearchCV,
    RandomizedSearchCV,
    parameter_grid,
    parameter_sample,
)
from m4ml.pipeline.select import SelectKBest, VarianceThreshold
from m4ml.pipeline.split import (
    KFold,
    LeaveOneOut,
    ShuffleSplit,
    StratifiedKFold,
    train_test_split,
)

__all__ = [
    "ConfusionMatrixDisplay",
    "FunctionTransformer",
    "GridSearchCV",
    "IterativeImputer",
    "KBinsDiscretizer",
    "KFold",
    "KNNImputer",
    "LeaveOneOut",
    "MaxAbsScaler",
    "MinMaxScaler",
    "MissingIndicator",
    "Normalizer",
    "OneHotEncoder",
    "OrdinalEncoder",
    "PolynomialFeatures",
    "PrecisionRecallDisplay",
    "RandomizedSearchCV",
    "RobustScaler",
    "RocCurveDisplay",
    "SelectKBest",
    "ShuffleSplit",
    "SimpleImputer",
    "StandardScaler",
    "StratifiedKFold",
    "VarianceThreshold",
    "check_cv",
    "chi2",
    "coefficients_table",
    "cross_val_score",
    "cross_validate",
    "f_classif",
    "f_regression",
    "metrics",
    "mutual_info_classif",
    "nan_euclidean_distances",
    "parameter_grid",
    "parameter_sample",
    "partial_dependence",
    "permutation_importance",
    "train_test_split",
]
