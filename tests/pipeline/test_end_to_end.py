"""penguins.csv from raw CSV to an evaluated, explained model, through m4ml's pipeline pieces.

scikit-learn provides only the composition (Pipeline, ColumnTransformer) and the classifier
(LogisticRegression, until m4ml's models exist); every data step, the split, the metrics and the
importances are m4ml's. The same pipeline built from scikit-learn's own steps is the reference.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import impute as skimpute
from sklearn import metrics as skmetrics
from sklearn import preprocessing as skpre
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import m4ml.pipeline.encode as encode
import m4ml.pipeline.impute as impute
import m4ml.pipeline.metrics as metrics
import m4ml.pipeline.scale as scale
from m4ml.pipeline.inspection import permutation_importance
from m4ml.pipeline.split import StratifiedKFold, train_test_split

CSV = Path(__file__).parent.parent / "data" / "penguins.csv"
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
CATEGORICAL = ["island", "sex"]


def _pipeline(imputer, scaler, encoder):
    prep = ColumnTransformer(
        [
            ("num", make_pipeline(imputer(strategy="median"), scaler()), NUMERIC),
            (
                "cat",
                make_pipeline(imputer(strategy="most_frequent"), encoder(handle_unknown="ignore")),
                CATEGORICAL,
            ),
        ]
    )
    return make_pipeline(prep, LogisticRegression(max_iter=1000))


@pytest.fixture(scope="module")
def data():
    df = pd.read_csv(CSV)
    assert df[NUMERIC + CATEGORICAL].isna().any().any()  # real missing values
    X, y = df[NUMERIC + CATEGORICAL], df["species"].to_numpy()
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)


def test_penguins_end_to_end(data):
    X_tr, X_te, y_tr, y_te = data
    # stratification kept each species' share
    for label in np.unique(y_tr):
        share_tr, share_te = np.mean(y_tr == label), np.mean(y_te == label)
        assert abs(share_tr - share_te) < 0.02

    ours = _pipeline(impute.SimpleImputer, scale.StandardScaler, encode.OneHotEncoder)
    ref = _pipeline(
        skimpute.SimpleImputer,
        skpre.StandardScaler,
        lambda **kw: skpre.OneHotEncoder(sparse_output=False, **kw),
    )
    ours.fit(X_tr, y_tr)
    ref.fit(X_tr, y_tr)
    # the data steps agree with scikit-learn's, so the fitted models do too
    np.testing.assert_allclose(
        ours[0].transform(X_te), ref[0].transform(X_te), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(ours[-1].coef_, ref[-1].coef_, rtol=1e-6, atol=1e-8)
    pred = ours.predict(X_te)
    np.testing.assert_array_equal(pred, ref.predict(X_te))

    acc = metrics.accuracy_score(y_te, pred)
    assert acc == pytest.approx(skmetrics.accuracy_score(y_te, pred), abs=0)
    assert acc > 0.95  # penguin species are well separated by these measurements
    f1 = metrics.f1_score(y_te, pred, average="macro")
    assert f1 == pytest.approx(skmetrics.f1_score(y_te, pred, average="macro"), rel=1e-12)
    np.testing.assert_array_equal(
        metrics.confusion_matrix(y_te, pred), skmetrics.confusion_matrix(y_te, pred)
    )
    report = metrics.classification_report(y_te, pred, output_dict=True)
    assert report["macro avg"]["f1-score"] == pytest.approx(f1, rel=1e-12)

    # what the model relies on: the bill measurements separate the three species
    imp = permutation_importance(ours, X_te, y_te, n_repeats=10, random_state=0)
    names = np.array(X_te.columns)
    top = names[np.argsort(imp.importances_mean)[::-1][:2]]
    assert "bill_length_mm" in top
    assert imp.importances.shape == (len(names), 10)


def test_penguins_cross_validation_folds_match_scikit_learn(data):
    from sklearn.model_selection import StratifiedKFold as SkStratifiedKFold

    X_tr, _, y_tr, _ = data
    ours = [te.tolist() for _, te in StratifiedKFold(5).split(X_tr, y_tr)]
    ref = [te.tolist() for _, te in SkStratifiedKFold(5).split(X_tr, y_tr)]
    assert ours == ref
