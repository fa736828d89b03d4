r"""
Preprocessing and cross-validation
==================================

Scaling is fitted inside each training fold (a scikit-learn ``Pipeline`` of m4ml parts), so the
cross-validated score does not leak the test folds' statistics.
"""

from sklearn.pipeline import make_pipeline

from m4ml.datasets import load_breast_cancer
from m4ml.models import LogisticRegression
from m4ml.pipeline import StandardScaler, StratifiedKFold, cross_val_score

X, y = load_breast_cancer(return_X_y=True)
model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0))
scores = cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
print("accuracy per fold:", scores.round(3), " mean:", scores.mean().round(3))
