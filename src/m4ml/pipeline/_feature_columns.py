"""One feature of ``X`` at a time, for the inspection tools: naming it (a column index or a
DataFrame column name), reading its column, replacing it in a copy of ``X`` (NumPy arrays and
pandas DataFrames alike), and laying out the grid of values partial dependence sweeps it over
(its unique values, or an even grid between two of its quantiles).
"""

import numbers

import numpy as np


def _column_setter(X):
    """Return (copy of X, function setting column j of that copy to values)."""
    if hasattr(X, "iloc"):
        Xc = X.copy()

        def set_col(j, values):
            Xc.iloc[:, j] = values

        return Xc, set_col
    Xc = np.array(X, copy=True)

    def set_col(j, values):
        Xc[:, j] = values

    return Xc, set_col


def _get_col(X, j):
    return X.iloc[:, j].to_numpy() if hasattr(X, "iloc") else np.asarray(X)[:, j]


def _feature_index(X, feature):
    if isinstance(feature, str):
        if not hasattr(X, "columns"):
            raise ValueError(f"feature {feature!r} is a name, but X has no column names")
        names = list(X.columns)
        if feature not in names:
            raise ValueError(f"feature {feature!r} is not a column of X ({names})")
        return names.index(feature)
    if isinstance(feature, bool) or not isinstance(feature, numbers.Integral):
        raise TypeError(f"features must be column indices or names, got {feature!r}")
    n_features = X.shape[1]
    if not -n_features <= feature < n_features:
        raise ValueError(f"feature index {feature} is out of range for {n_features} columns")
    return int(feature) % n_features


def _quantiles(x, probs):
    """Hyndman–Fan continuous quantiles with alpha = beta = 0.4 (Cunnane's plotting positions).

    For sorted :math:`x_{(1)} \\le \\dots \\le x_{(n)}`, the quantile of probability :math:`p`
    sits at the fractional position :math:`h = n p + 0.4 + 0.2 p` (1-based), interpolated
    linearly and clamped to the sample's range.
    """
    xs = np.sort(x)
    n = xs.size
    h = np.clip(n * np.asarray(probs) + 0.4 + 0.2 * np.asarray(probs), 1.0, n)
    lo = np.floor(h).astype(int)
    hi = np.minimum(lo + 1, n)
    frac = h - lo
    return xs[lo - 1] + frac * (xs[hi - 1] - xs[lo - 1])


def _grid_axis(values, percentiles, grid_resolution, categorical):
    values = np.asarray(values)
    if values.dtype.kind == "c":
        raise TypeError("X is complex; partial dependence needs real or categorical features")
    if values.dtype.kind == "f" and not np.isfinite(values).all():
        raise ValueError("X contains NaN or infinity in a feature whose grid is requested")
    try:
        uniques = np.unique(values)
    except TypeError:
        raise TypeError(
            "a feature of X holds values that cannot be sorted into a grid (mixed or "
            "non-scalar objects)"
        ) from None
    if categorical or uniques.size < grid_resolution:
        return uniques
    lo, hi = _quantiles(values.astype(float), percentiles)
    if np.isclose(lo, hi):
        raise ValueError(
            "the percentiles of a feature are too close to each other to build a grid; widen "
            "`percentiles` or raise `grid_resolution`"
        )
    return np.linspace(lo, hi, grid_resolution)
