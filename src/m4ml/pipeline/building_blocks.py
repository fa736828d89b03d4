r"""Pieces of :mod:`m4ml.pipeline` that higher layers build on (designated, importable, stable).

:mod:`m4ml.distributed` fits the scalers from moments merged over chunks and must then apply
exactly the in-memory scalers' rules for constant columns, so the two agree. Those rules live
here under public names, instead of being imported from this package's private modules. Not in
``m4ml.pipeline.__all__`` (tools, not transformers).
"""

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.pipeline._column_stats import handle_zeros_in_scale as _handle_zeros_in_scale
from m4ml.pipeline._column_stats import is_constant_feature as _is_constant_feature

__all__ = ["handle_zeros_in_scale", "is_constant_feature"]


def handle_zeros_in_scale(scale: ArrayLike, constant_mask: ArrayLike | None = None) -> FloatArray:
    r"""Replace zero (or negligible) scales by 1, so dividing by them leaves a column as it is.

    Parameters
    ----------
    scale : array_like
        Per-column scales (standard deviations or ranges).
    constant_mask : array_like of bool, optional
        Which columns are constant; by default those with a scale below
        :math:`10\,\varepsilon`. A scale of exactly 0 is replaced either way.

    Returns
    -------
    ndarray
        A copy of ``scale`` with the constant columns' entries set to 1.

    Examples
    --------
    >>> handle_zeros_in_scale([2.0, 0.0]).tolist()
    [2.0, 1.0]
    """
    mask = None if constant_mask is None else np.asarray(constant_mask, dtype=bool)
    return _handle_zeros_in_scale(scale, mask)


def is_constant_feature(var: ArrayLike, mean: ArrayLike, n: ArrayLike) -> np.ndarray:
    r"""Where a computed variance is indistinguishable from zero given its rounding error.

    Parameters
    ----------
    var, mean : array_like
        Per-column variance and mean, computed by the corrected two-pass algorithm.
    n : array_like
        Per-column number of observations.

    Returns
    -------
    ndarray of bool

    Notes
    -----
    The two-pass variance of a constant column is not exactly zero; its error is at most about
    :math:`n\varepsilon\sigma^2 + (n\bar x\varepsilon)^2` (Chan, Golub & LeVeque), so a variance
    at or below that is taken as zero.

    Examples
    --------
    >>> is_constant_feature(np.array([1e-40, 1.0]), np.array([3.0, 3.0]), 10).tolist()
    [True, False]
    """
    v, m = np.asarray(var, dtype=np.float64), np.asarray(mean, dtype=np.float64)
    return np.asarray(_is_constant_feature(v, m, np.asarray(n, dtype=np.float64)))
