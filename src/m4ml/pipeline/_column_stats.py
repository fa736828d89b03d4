"""Per-column statistics that ignore NaN: moments, merges of moments, quantiles, small scales.

Private helpers shared by the scalers and imputers. Every function works column by column on a
2-D float array and treats NaN as "not observed"; a column with no observed value gets NaN.
"""

import numpy as np

from m4ml._core import overflow_guard

_EPS = np.finfo(np.float64).eps


@overflow_guard("the column means and variances")
def mean_and_m2(X, sample_weight=None):
    """Count, mean and sum of squared deviations of each column, NaN ignored.

    Two passes: the mean first, then the squared deviations from it, with the corrected
    two-pass formula of Chan, Golub & LeVeque (1983),

    .. math:: M_2 = \\sum_i w_i (x_i - \\bar x)^2 - \\frac{(\\sum_i w_i (x_i - \\bar x))^2}{W},

    whose correction term cancels most of the rounding error left in :math:`\\bar x`.
    Never the cancellation-prone :math:`E[x^2] - E[x]^2`.

    Returns
    -------
    count : ndarray (n_features,)
        Number (or total weight) of observed entries per column.
    mean, m2 : ndarray (n_features,)
        NaN where ``count`` is zero.
    """
    mask = np.isnan(X)
    has_nan = bool(mask.any())
    with np.errstate(invalid="ignore", divide="ignore"):
        if sample_weight is None:
            if has_nan:
                count = X.shape[0] - mask.sum(axis=0).astype(np.float64)
                dev = np.where(mask, 0.0, X)
                mean = dev.sum(axis=0) / count
                dev -= mean
                dev[mask] = 0.0
            else:
                count = np.full(X.shape[1], float(X.shape[0]))
                mean = X.sum(axis=0) / count
                dev = X - mean
            correction = dev.sum(axis=0)
            dev *= dev
            m2 = dev.sum(axis=0)
        else:
            w = sample_weight
            if has_nan:
                count = w @ (~mask)
                dev = np.where(mask, 0.0, X)
                mean = (w @ dev) / count
                dev -= mean
                dev[mask] = 0.0
            else:
                count = np.full(X.shape[1], w.sum())
                mean = (w @ X) / count
                dev = X - mean
            correction = w @ dev
            dev *= dev
            m2 = w @ dev
        m2 -= correction**2 / count
    return count, mean, np.maximum(m2, 0.0)


def merge_moments(n_a, mean_a, m2_a, n_b, mean_b, m2_b):
    """Combine the moments of two disjoint batches (Chan, Golub & LeVeque's pairwise update).

    .. math::
        n = n_a + n_b,\\quad \\delta = \\bar x_b - \\bar x_a,\\quad
        \\bar x = \\bar x_a + \\delta\\,\\frac{n_b}{n},\\quad
        M_2 = M_{2,a} + M_{2,b} + \\delta^2\\,\\frac{n_a n_b}{n}.

    Columns empty in one batch take the other batch's values.
    """
    n = n_a + n_b
    with np.errstate(invalid="ignore", divide="ignore"):
        delta = mean_b - mean_a
        mean = mean_a + delta * (n_b / n)
        m2 = m2_a + m2_b + delta**2 * (n_a * n_b / n)
    mean = np.where(n_b == 0, mean_a, np.where(n_a == 0, mean_b, mean))
    m2 = np.where(n_b == 0, m2_a, np.where(n_a == 0, m2_b, m2))
    return n, mean, m2


def _lerp(a, b, t):
    """``a + t (b - a)``, evaluated from the nearer end point for accuracy."""
    diff = b - a
    return np.where(t >= 0.5, b - diff * (1.0 - t), a + diff * t)


def nan_quantiles(X, q, *, with_median=False):
    """Quantiles (and optionally medians) of each column with linear interpolation, NaN ignored.

    For a column with :math:`n` observed values sorted as :math:`x_{(0)} \\le \\dots \\le
    x_{(n-1)}` the quantile at level :math:`q \\in [0, 1]` is

    .. math:: h = (n - 1) q,\\quad Q(q) = x_{(\\lfloor h \\rfloor)} +
        (h - \\lfloor h \\rfloor)\\,(x_{(\\lfloor h \\rfloor + 1)} - x_{(\\lfloor h \\rfloor)}),

    the "linear" (type 7) definition, which is NumPy's default. The median is the middle order
    statistic, or the mean of the two middle ones for even :math:`n`. Without NaN only the
    needed order statistics are placed (a partial sort, :math:`O(n)` per column); with NaN
    each column is sorted (NaN last) because the positions differ per column.

    Parameters
    ----------
    X : ndarray (n_samples, n_features), float
    q : sequence of float in [0, 1]
    with_median : bool
        Also return the column medians.

    Returns
    -------
    quantiles : ndarray (len(q), n_features)
        NaN for a column with no observed value.
    median : ndarray (n_features,)
        Only if ``with_median``.
    """
    q = np.asarray(q, dtype=np.float64).reshape(-1)
    n_samples, n_features = X.shape
    if n_samples == 0:
        empty = np.full(n_features, np.nan)
        quantiles = np.full((len(q), n_features), np.nan)
        return (quantiles, empty) if with_median else quantiles
    XT = np.ascontiguousarray(X.T)  # one contiguous row per feature: faster selection
    mask = np.isnan(XT)
    has_nan = bool(mask.any())
    n = n_samples - mask.sum(axis=1) if has_nan else np.full(n_features, n_samples)
    last = np.maximum(n - 1, 0)
    h = last * q[:, None]
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, last)
    m_lo, m_hi = last // 2, n // 2
    m_hi = np.minimum(m_hi, last)
    if has_nan:
        S = np.sort(XT, axis=1)  # NaN sorts last
    else:
        kth = np.unique(np.concatenate([lo.ravel(), hi.ravel(), m_lo, m_hi]))
        S = np.partition(XT, kth, axis=1)
    rows = np.arange(n_features)
    quantiles = _lerp(S[rows, lo], S[rows, hi], h - lo)
    quantiles[:, n == 0] = np.nan
    if not with_median:
        return quantiles
    a, b = S[rows, m_lo], S[rows, m_hi]
    median = np.where(m_lo == m_hi, a, (a + b) / 2.0)
    median[n == 0] = np.nan
    return quantiles, median


def nan_median(X):
    """Median of each column, NaN ignored (the mean of the two middle values for even counts).

    Returns NaN for a column with no observed value.
    """
    return nan_quantiles(X, [], with_median=True)[1]


def handle_zeros_in_scale(scale, constant_mask=None):
    """Replace (near) zero scales by 1 so that dividing by them leaves a constant column as is.

    A scale is treated as zero when ``constant_mask`` says so, or by default when it is below
    ``10 * eps``; a scale of exactly 0 always is (a spread below the smallest subnormal, as the
    standard deviation 2.5e-324 of [5e-324, 0] rounds to 0, cannot be a divisor).
    """
    scale = np.array(scale, dtype=np.float64, copy=True)
    if constant_mask is None:
        constant_mask = scale < 10 * _EPS
    scale[constant_mask | (scale == 0.0)] = 1.0
    return scale


def is_constant_feature(var, mean, n):
    """True where a variance is indistinguishable from zero given its rounding error.

    The two-pass variance of a constant column is not exactly zero; its error is bounded by
    :math:`n\\,\\varepsilon\\,\\sigma^2 + (n\\,\\bar x\\,\\varepsilon)^2` (Chan, Golub & LeVeque),
    so a variance at or below that bound is taken as zero.
    """
    return var <= n * _EPS * var + (n * mean * _EPS) ** 2
