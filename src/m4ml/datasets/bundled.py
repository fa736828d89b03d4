"""Tables shipped with m4ml (the Palmer penguins) and those scikit-learn ships, by one name each.

The penguins CSV is package data, so examples and the ``m4ml`` command run on a fresh install
without a path into the source tree. scikit-learn's bundled tables (iris, wine, breast cancer,
digits, diabetes) are loaded through :mod:`sklearn.datasets`: that is data, not delegated math.
"""

import csv
import io
from importlib import resources
from typing import Any

import numpy as np

__all__ = [
    "DATASETS",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_penguins",
    "load_wine",
]

#: name -> (one-line description, provenance) of every bundled table
DATASETS = {
    "penguins": (
        "Palmer penguins: 344 birds, 3 species, 3 islands; bill, flipper, mass, sex, year "
        "(with missing values)",
        "Horst, Hill & Gorman (2020), palmerpenguins, CC0; shipped with m4ml",
    ),
    "iris": ("Fisher's iris: 150 flowers, 4 measurements, 3 species", "scikit-learn, BSD"),
    "wine": (
        "Wine recognition: 178 wines, 13 chemical measurements, 3 cultivars",
        "UCI via scikit-learn",
    ),
    "breast_cancer": (
        "Wisconsin diagnostic breast cancer: 569 cases, 30 features, 2 classes",
        "UCI via scikit-learn",
    ),
    "digits": ("Handwritten digits: 1797 images of 8x8 pixels, 10 classes", "UCI via scikit-learn"),
    "diabetes": (
        "Diabetes progression: 442 patients, 10 baseline variables, regression",
        "Efron et al. (2004) via scikit-learn",
    ),
}

_PENGUIN_NUMERIC = ("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "year")


def _penguins_text():
    return (resources.files("m4ml.datasets") / "data" / "penguins.csv").read_text(encoding="utf-8")


def load_penguins(as_frame: bool = True) -> Any:
    """The Palmer penguins table: 344 birds, with real missing values and text columns.

    Parameters
    ----------
    as_frame : bool, default True
        ``True`` returns a :class:`pandas.DataFrame` (missing entries are NaN). ``False`` returns
        a dict of column name to NumPy array: float64 for the measurements and ``year`` (NaN where
        missing), object arrays of strings (``None`` where missing) for ``species``, ``island``
        and ``sex``; pandas is not needed then.

    Returns
    -------
    pandas.DataFrame or dict of numpy.ndarray
        Columns ``species, island, bill_length_mm, bill_depth_mm, flipper_length_mm,
        body_mass_g, sex, year``.

    Raises
    ------
    TypeError
        If ``as_frame`` is not a bool.

    Notes
    -----
    Horst AM, Hill AP, Gorman KB (2020). palmerpenguins: Palmer Archipelago (Antarctica) penguin
    data. Data released under CC0. Missing values are written ``NA`` in the CSV.

    Examples
    --------
    >>> from m4ml.datasets import load_penguins
    >>> df = load_penguins()
    >>> df.shape
    (344, 8)
    >>> int(df["sex"].isna().sum())
    11
    >>> cols = load_penguins(as_frame=False)
    >>> cols["body_mass_g"].dtype, cols["species"][0]
    (dtype('float64'), 'Adelie')
    """
    if not isinstance(as_frame, bool):
        raise TypeError(f"as_frame must be True or False, got {as_frame!r}")
    text = _penguins_text()
    if as_frame:
        import pandas as pd

        return pd.read_csv(io.StringIO(text), na_values=["NA"], keep_default_na=False)
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    out = {}
    for j, name in enumerate(header):
        raw = [r[j] for r in body]
        if name in _PENGUIN_NUMERIC:
            out[name] = np.array([np.nan if v == "NA" else float(v) for v in raw])
        else:
            out[name] = np.array([None if v == "NA" else v for v in raw], dtype=object)
    return out


def _sklearn_loader(name):
    def load(
        *, return_X_y: bool = False, as_frame: bool = False
    ) -> dict[str, Any] | tuple[Any, Any]:
        import sklearn.datasets

        return getattr(sklearn.datasets, f"load_{name}")(return_X_y=return_X_y, as_frame=as_frame)

    return load


def _document(func, name, example):
    func.__name__ = func.__qualname__ = f"load_{name}"
    func.__doc__ = f"""{DATASETS[name][0]}.

    Loaded through :func:`sklearn.datasets.load_{name}` (data scikit-learn ships; no math is
    delegated).

    Parameters
    ----------
    return_X_y : bool, default False
        Return ``(data, target)`` instead of the Bunch.
    as_frame : bool, default False
        pandas objects instead of NumPy arrays.

    Returns
    -------
    sklearn.utils.Bunch or tuple
        As :func:`sklearn.datasets.load_{name}` returns.

    Raises
    ------
    TypeError
        For positional or unknown arguments.

    Notes
    -----
    Provenance: {DATASETS[name][1]}.

    Examples
    --------
    >>> from m4ml.datasets import load_{name}
    >>> X, y = load_{name}(return_X_y=True)
    >>> X.shape
    {example}
    """
    return func


load_iris = _document(_sklearn_loader("iris"), "iris", "(150, 4)")
load_wine = _document(_sklearn_loader("wine"), "wine", "(178, 13)")
load_breast_cancer = _document(_sklearn_loader("breast_cancer"), "breast_cancer", "(569, 30)")
load_digits = _document(_sklearn_loader("digits"), "digits", "(1797, 64)")
load_diabetes = _document(_sklearn_loader("diabetes"), "diabetes", "(442, 10)")
