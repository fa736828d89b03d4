"""Real data sets for the Models I probabilistic tests: scikit-learn's and penguins.csv."""

from pathlib import Path

import pandas as pd
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine

PENGUINS = Path(__file__).resolve().parent.parent / "data" / "penguins.csv"
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]


def penguins():
    """The numeric penguin measurements (a DataFrame, rows with NA dropped) and the species."""
    df = pd.read_csv(PENGUINS).dropna(subset=NUMERIC)
    return df[NUMERIC], df["species"].to_numpy()


DATASETS = {
    "iris": lambda: load_iris(return_X_y=True),
    "wine": lambda: load_wine(return_X_y=True),
    "cancer": lambda: load_breast_cancer(return_X_y=True),
    "digits": lambda: load_digits(return_X_y=True),
    "penguins": penguins,
}
