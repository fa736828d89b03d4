"""Real data sets for the model tests: scikit-learn's bundled sets and the penguins CSV."""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import datasets

PENGUINS = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"


@cache
def penguins():
    """Numeric penguin measurements (complete rows): X (bill, flipper), body mass, species."""
    df = pd.read_csv(PENGUINS).dropna(
        subset=["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    )
    X = df[["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]].to_numpy(float)
    return X, df["body_mass_g"].to_numpy(float), df["species"].to_numpy()


@cache
def regression(name):
    """(X, y) for a regression problem: diabetes, penguins (body mass), or a classification
    set's features regressed on its numeric label (iris, wine, breast_cancer, digits)."""
    if name == "penguins":
        X, y, _ = penguins()
        return X, y
    loader = getattr(datasets, f"load_{name}")
    X, y = loader(return_X_y=True)
    return X.astype(float), y.astype(float)


@cache
def classification(name):
    if name == "penguins":
        X, _, y = penguins()
        return X, y
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X.astype(float), y


def standardized(X):
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


REGRESSION_SETS = ["diabetes", "penguins", "iris", "wine", "breast_cancer", "digits"]
CLASSIFICATION_SETS = ["iris", "wine", "breast_cancer", "digits", "penguins"]
