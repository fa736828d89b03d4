r"""
End to end: penguins from raw table to tuned model
==================================================

Impute, encode and scale the penguins table, search the regularization strength with
cross-validation, and evaluate once on a held-out test set: the confusion matrix, and each
species' ROC curve against the rest, labelled with its AUC.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.pipeline import make_pipeline

from m4ml.datasets import load_penguins
from m4ml.models import LogisticRegression
from m4ml.pipeline import (
    ConfusionMatrixDisplay,
    GridSearchCV,
    OneHotEncoder,
    RocCurveDisplay,
    SimpleImputer,
    StandardScaler,
    train_test_split,
)
from m4ml.pipeline.metrics import accuracy_score, confusion_matrix

df = load_penguins()
print(df.head())
y = df["species"].to_numpy()
X = df.drop(columns=["species"])
numeric = [c for c in X.columns if X[c].dtype.kind == "f"]
categorical = [c for c in X.columns if c not in numeric]
prep = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), categorical),
)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
search = GridSearchCV(
    make_pipeline(prep, LogisticRegression()),
    {"logisticregression__C": np.logspace(-2, 2, 5)},
    cv=5,
).fit(X_train, y_train)
print("best C:", search.best_params_)
pred = search.predict(X_test)
print("test accuracy:", accuracy_score(y_test, pred))
print(confusion_matrix(y_test, pred))

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
ConfusionMatrixDisplay.from_predictions(y_test, pred, ax=left, colorbar=False)
proba = search.predict_proba(X_test)
for k, species in enumerate(search.classes_):
    RocCurveDisplay.from_predictions(y_test == species, proba[:, k], name=species, ax=right)
right.set_title("one species against the rest")
fig.tight_layout()
plt.show()
