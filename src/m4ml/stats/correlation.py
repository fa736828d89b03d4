r"""Covariance and correlation: ``cov``, Pearson's ``corrcoef``, Spearman's rank correlation.

Variables are centred at their corrected two-pass means (see :mod:`m4ml.stats.descriptive`)
before the cross products, so a large common offset costs no digits.
"""

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.stats._moments import central_sums

__all__ = ["corrcoef", "cov", "rankdata", "spearman"]


def _variables(m, y, rowvar, name="m"):
    """Stack ``m`` (and ``y``) as a 2-D array with one variable per row."""
    a = as_float_array(m, name, max_ndim=2)
    a = np.atleast_2d(a)
    if not rowvar and a.shape[0] != 1:
        a = a.T
    if y is not None:
        b = np.atleast_2d(as_float_array(y, "y", max_ndim=2))
        if not rowvar and b.shape[0] != 1:
            b = b.T
        if b.shape[1] != a.shape[1]:
            raise ValueError(
                f"m and y must hold the same number of observations, got {a.shape[1]} and "
                f"{b.shape[1]}"
            )
        a = np.concatenate([a, b], axis=0)
    if a.shape[1] == 0:
        raise ValueError(f"{name} holds no observations")
    return a


def _center(a):
    """``(d, c)``: each variable's deviations from its corrected mean, divided by the power of
    two ``c[j]`` that keeps their products from over- or underflowing (stats._moments)."""
    cs = central_sums(a, deviations=True)
    return cs.d, cs.scale


def cov(m: ArrayLike, y: ArrayLike | None = None, rowvar: bool = True, ddof: int = 1) -> FloatArray:
    r"""Covariance matrix :math:`C_{jk} = \frac{1}{n - \mathrm{ddof}}\sum_i (x_{ji} - \bar
    x_j)(x_{ki} - \bar x_k)`.

    Parameters
    ----------
    m : array_like
        1-D (one variable) or 2-D; each row a variable, each column an observation (as
        ``numpy.cov``; ``rowvar=False`` transposes).
    y : array_like, optional
        More variables, stacked below ``m``.
    rowvar : bool
        Rows are variables (default) or columns are.
    ddof : int
        Delta degrees of freedom (1, the unbiased estimate, by default; 0 for the MLE).

    Returns
    -------
    ndarray
        The :math:`p \times p` covariance matrix (0-d for a single variable, as NumPy).

    Raises
    ------
    ValueError
        NaN/inf, mismatched observation counts, no observations or ``ddof`` >= n.

    Notes
    -----
    Centre each variable (corrected mean), then one BLAS product :math:`X_c X_c^\top`;
    :math:`O(p^2 n)`.

    Examples
    --------
    >>> cov([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    a = _variables(m, y, rowvar)
    n = a.shape[1]
    if not 0 <= ddof < n:
        raise ValueError(f"ddof must satisfy 0 <= ddof < n = {n}, got {ddof}")
    d, scale = _center(a)
    c = (d @ d.T) / (n - ddof)
    if np.any(scale != 1.0):
        with np.errstate(over="ignore"):
            c = c * np.outer(scale, scale)
        if not np.isfinite(c).all():
            raise ValueError(
                "the covariance overflows float64 (the data are of order "
                f"1e{int(np.log10(scale.max()))}); rescale the data or use corrcoef"
            )
    return c.squeeze() if c.shape == (1, 1) else c


def corrcoef(x: ArrayLike, y: ArrayLike | None = None, rowvar: bool = True) -> FloatArray:
    r"""Pearson correlation coefficients :math:`R_{jk} = C_{jk}/\sqrt{C_{jj} C_{kk}}`.

    Parameters
    ----------
    x : array_like
        1-D or 2-D, one variable per row (as ``numpy.corrcoef``).
    y : array_like, optional
        More variables.
    rowvar : bool
        Rows are variables (default) or columns are.

    Returns
    -------
    ndarray
        The correlation matrix, clipped to :math:`[-1, 1]` against rounding.

    Raises
    ------
    ValueError
        NaN/inf, mismatched lengths, fewer than 2 observations, or a constant variable
        (its correlation is undefined).

    Notes
    -----
    Computed as the covariance of the centred variables scaled to unit norm, so the
    diagonal is exactly 1 up to rounding.

    Examples
    --------
    >>> corrcoef([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 5.0, 9.0]).round(6)
    array([[1.      , 0.964764],
           [0.964764, 1.      ]])
    """
    a = _variables(x, y, rowvar, name="x")
    if a.shape[1] < 2:
        raise ValueError("corrcoef needs at least 2 observations")
    d, _ = _center(a)  # the scale of each variable cancels in R
    norms = np.sqrt(np.einsum("ij,ij->i", d, d))
    if np.any(norms == 0.0):
        raise ValueError("a variable is constant; its correlation is undefined")
    u = d / norms[:, None]
    r = np.clip(u @ u.T, -1.0, 1.0)
    np.fill_diagonal(r, 1.0)
    return r


def rankdata(a: ArrayLike, axis: int = -1) -> FloatArray:
    r"""Ranks 1..n along ``axis``, ties given their average rank (``scipy.stats.rankdata``).

    Parameters
    ----------
    a : array_like
        Finite real numbers.
    axis : int
        Axis along which to rank.

    Returns
    -------
    ndarray
        Float ranks, same shape as ``a``.

    Raises
    ------
    ValueError
        NaN/inf.

    Notes
    -----
    One stable argsort; a tie group spanning sorted positions :math:`i..j` (1-based) gets
    :math:`(i + j)/2`, found from where runs of equal values start and end.

    Examples
    --------
    >>> rankdata([10.0, 20.0, 10.0, 30.0])
    array([1.5, 3. , 1.5, 4. ])
    """
    x = np.moveaxis(as_float_array(a, "a", min_ndim=1), axis, -1)
    n = x.shape[-1]
    flat = x.reshape(-1, n)
    order = np.argsort(flat, axis=-1, kind="stable")
    s = np.take_along_axis(flat, order, axis=-1)
    new = np.ones(s.shape, dtype=bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    # first and last 1-based position of each element's tie group
    pos = np.broadcast_to(np.arange(1, n + 1), s.shape)
    first = np.maximum.accumulate(np.where(new, pos, 0), axis=-1)
    end = np.ones(s.shape, dtype=bool)
    end[:, :-1] = new[:, 1:]
    last = np.flip(
        np.minimum.accumulate(np.flip(np.where(end, pos, n + 1), axis=-1), axis=-1), axis=-1
    )
    ranks = np.empty(s.shape)
    np.put_along_axis(ranks, order, (first + last) / 2.0, axis=-1)
    return np.moveaxis(ranks.reshape(x.shape), -1, axis)


def spearman(x: ArrayLike, y: ArrayLike | None = None, axis: int = 0) -> float | FloatArray:
    r"""Spearman's rank correlation: Pearson's correlation of the (average-tie) ranks.

    Parameters
    ----------
    x : array_like
        1-D (with ``y``) or 2-D with variables along the axis other than ``axis``.
    y : array_like, optional
        A second 1-D variable, or more columns.
    axis : int
        Axis of the observations (0 by default, as ``scipy.stats.spearmanr``: columns are
        variables).

    Returns
    -------
    float or ndarray
        The coefficient :math:`\rho_s` for two variables, else the correlation matrix.

    Raises
    ------
    ValueError
        NaN/inf, mismatched lengths, fewer than 2 observations or a constant variable.

    Notes
    -----
    Without ties this equals :math:`1 - \frac{6\sum d_i^2}{n(n^2-1)}` with :math:`d_i` the
    rank differences; the Pearson form is right with ties too.

    Examples
    --------
    >>> print(round(spearman([1.0, 2.0, 3.0, 4.0, 5.0], [5.0, 6.0, 7.0, 8.0, 7.0]), 10))
    0.8207826817
    """
    a = as_float_array(x, "x", min_ndim=1, max_ndim=2)
    if a.ndim == 1:
        a = a[:, None] if axis == 0 else a[None, :]
    if axis not in (0, 1, -1, -2):
        raise ValueError(f"axis must be 0 or 1, got {axis}")
    obs_axis = axis % 2
    a = a if obs_axis == 0 else a.T
    if y is not None:
        b = as_float_array(y, "y", min_ndim=1, max_ndim=2)
        b = b[:, None] if b.ndim == 1 else (b if obs_axis == 0 else b.T)
        if b.shape[0] != a.shape[0]:
            raise ValueError(
                f"x and y must hold the same number of observations, got {a.shape[0]} and "
                f"{b.shape[0]}"
            )
        a = np.concatenate([a, b], axis=1)
    r = corrcoef(rankdata(a, axis=0), rowvar=False)
    return r[0, 1] if r.shape == (2, 2) else r
