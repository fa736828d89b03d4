"""The m4ml math on Dask arrays: chunk summaries merged exactly, Dask as the scheduler.

Reductions and fitted attributes come back as NumPy values; ``transform``/``predict`` of Dask
input return lazy Dask arrays (``map_blocks`` of the in-memory estimator). Dask itself is
imported only inside the functions that need it, so this package imports without Dask for
NumPy input. See docs/scale.md.
"""

from m4ml.distributed.estimators import Incremental, StandardScaler
from m4ml.distributed.hypothesis_tests import f_oneway, ttest_ind
from m4ml.distributed.kmeans import KMeans
from m4ml.distributed.linear import PCA, LinearRegression, Ridge
from m4ml.distributed.logistic import LogisticRegression
from m4ml.distributed.mixture import GaussianMixture
from m4ml.distributed.moments import (
    Moments,
    chunk_moments,
    corrcoef,
    cov,
    mean,
    merge_moments,
    std,
    var,
)
from m4ml.distributed.naive_bayes import GaussianNB, MultinomialNB
from m4ml.distributed.quantile import quantile
from m4ml.distributed.randomized import randomized_svd
from m4ml.distributed.scalers import MinMaxScaler, SimpleImputer
from m4ml.distributed.sgd import SGDClassifier
from m4ml.distributed.tsqr import svd, tsqr

__all__ = [
    "PCA",
    "GaussianMixture",
    "GaussianNB",
    "Incremental",
    "KMeans",
    "LinearRegression",
    "LogisticRegression",
    "MinMaxScaler",
    "Moments",
    "MultinomialNB",
    "Ridge",
    "SGDClassifier",
    "SimpleImputer",
    "StandardScaler",
    "chunk_moments",
    "corrcoef",
    "cov",
    "f_oneway",
    "mean",
    "merge_moments",
    "quantile",
    "randomized_svd",
    "std",
    "svd",
    "tsqr",
    "ttest_ind",
    "var",
]
