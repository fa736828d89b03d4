"""m4ml.datasets: the data the examples, the report and the tests run on.

Bundled tables
    load_penguins (shipped with m4ml), load_iris, load_wine, load_breast_cancer, load_digits,
    load_diabetes (scikit-learn's bundled data), DATASETS (name -> description, provenance)
Certified reference problems
    load_nist, NistDataset, NIST_DATASETS: NIST StRD sets with their certified values
Generators
    make_moons, make_circles, make_blobs, make_classification, make_regression

This package sits on the ground floor beside ``m4ml._core``: it imports no other m4ml package,
and pandas only when a data frame is asked for.
"""

from m4ml.datasets.bundled import (
    DATASETS,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_penguins,
    load_wine,
)
from m4ml.datasets.generators import (
    make_blobs,
    make_circles,
    make_classification,
    make_moons,
    make_regression,
)
from m4ml.datasets.nist import NIST_DATASETS, NistDataset, load_nist

__all__ = [
    "DATASETS",
    "NIST_DATASETS",
    "NistDataset",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_nist",
    "load_penguins",
    "load_wine",
    "make_blobs",
    "make_circles",
    "make_classification",
    "make_moons",
    "make_regression",
]
