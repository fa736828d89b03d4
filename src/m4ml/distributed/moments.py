r"""Mean, variance, standard deviation, covariance and correlation over chunks of rows.

Each chunk :math:`A` (rows :math:`x_i`, :math:`i \in A`) is summarized by its count
:math:`n_A`, mean :math:`\bar x_A` and co-moment matrix
:math:`M_A = \sum_{i\in A}(x_i - \bar x_A)(x_i - \bar x_A)^\top` (its diagonal is the sum of
squared deviations :math:`M_2`), computed by the corrected two-pass algorithm of
:mod:`m4ml.stats`. Two disjoint summaries merge exactly (Chan, Golub and LeVeque 1979):

.. math::
    n = n_A + n_B,\quad \delta = \bar x_B - \bar x_A,\quad
    \bar x = \bar x_A + \frac{n_B}{n}\,\delta,\quad
    M = M_A + M_B + \frac{n_A n_B}{n}\,\delta\delta^\top,

because the deviations of chunk :math:`A` from the pooled mean are the deviations from its own
mean shifted by :math:`\bar x_A - \bar x`, and the cross terms sum to zero. The merges form a
balanced binary tree, so rounding errors grow like :math:`\log_2(\text{chunks})`, never like the
number of rows.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1979). Updating formulae and a pairwise algorithm
for computing sample variances. Stanford report STAN-CS-79-773.
"""

from typing import NamedTuple

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.distributed._blocks import as_rows, check_block, map_reduce

__all__ = ["Moments", "chunk_moments", "corrcoef", "cov", "mean", "merge_moments", "std", "var"]


class Moments(NamedTuple):
    """Count, mean and co-moment (or, with ``cross=False``, the vector :math:`M_2`) of rows."""

    n: int
    mean: np.ndarray
    m2: np.ndarray


def chunk_moments(block: ArrayLike, cross: bool = False, name: str = "x") -> Moments:
    r"""The :class:`Moments` of one block of rows, by the corrected two-pass algorithm.

    With :math:`\tilde m` the plain mean and :math:`d_i = x_i - \tilde m`, the corrected mean
    is :math:`\tilde m + \frac1n\sum d_i` and
    :math:`M = \sum d_i d_i^\top - \frac1n (\sum d_i)(\sum d_i)^\top`. An empty block gives
    ``n = 0`` and zeros. NaN or infinity raises ``ValueError``.
    """
    b = check_block(block, name)
    n, p = b.shape
    if n == 0:
        return Moments(0, np.zeros(p), np.zeros((p, p) if cross else p))
    m0 = b.sum(axis=0) / n
    d = b - m0
    c = d.sum(axis=0)
    m2 = d.T @ d - np.outer(c, c) / n if cross else np.einsum("ij,ij->j", d, d) - c * c / n
    return Moments(n, m0 + c / n, m2)


def merge_moments(a: Moments, b: Moments) -> Moments:
    r"""Merge the :class:`Moments` of two disjoint sets of rows (module docstring).

    Examples
    --------
    >>> x = np.array([[1.0], [2.0], [4.0], [7.0]])
    >>> m = merge_moments(chunk_moments(x[:1]), chunk_moments(x[1:]))
    >>> m.n, m.mean.tolist(), m.m2.tolist()
    (4, [3.5], [21.0])
    """
    if a.n == 0:
        return b
    if b.n == 0:
        return a
    n = a.n + b.n
    delta = b.mean - a.mean
    mean = a.mean + delta * (b.n / n)
    w = a.n * b.n / n
    m2 = a.m2 + b.m2 + w * (np.outer(delta, delta) if a.m2.ndim == 2 else delta * delta)
    return Moments(n, mean, m2)


def moments(x, cross=False, name="x"):
    """The merged :class:`Moments` of the rows of ``x`` (Dask or NumPy, 1-D or 2-D)."""
    a = as_rows(x, name)

    def chunk(block):
        return chunk_moments(block, cross, name)

    return map_reduce(chunk, merge_moments, a)


def _by_axis(x, axis):
    """Moments over ``axis`` (0 or None; 1-D input: either) and whether to return a scalar."""
    ndim = np.ndim(x) if not hasattr(x, "ndim") else x.ndim
    if axis not in (None, 0) and not (ndim == 2 and axis == -2):
        raise ValueError(f"axis must be 0 or None (rows are the observations), got {axis!r}")
    m = moments(x)
    if m.n == 0:
        raise ValueError("x holds no observations")
    if axis is None and ndim == 2:
        # the columns are disjoint samples: merge their one-number summaries too
        cols = [Moments(m.n, m.mean[j : j + 1], m.m2[j : j + 1]) for j in range(m.mean.size)]
        total = cols[0]
        for c in cols[1:]:
            total = merge_moments(total, c)
        m = total
    scalar = axis is None or ndim == 1
    return m, scalar


def _out(v, scalar):
    return float(v[0]) if scalar else v


def mean(x: ArrayLike, axis: int | None = None) -> float | FloatArray:
    r"""Arithmetic mean over chunks, :math:`\bar x = \frac1n\sum_i x_i`.

    Parameters
    ----------
    x : dask.array.Array or array_like
        1-D or 2-D, observations in rows; Dask input may have any row chunks (empty ones too).
    axis : {None, 0}
        ``0``: one mean per column; ``None`` (default, as NumPy): every element.

    Returns
    -------
    float or ndarray
        Computed (NumPy) values, equal to :func:`m4ml.stats.mean` to rounding.

    Raises
    ------
    ValueError
        NaN or infinity in any chunk, no observations, or an unsupported ``axis``.

    Notes
    -----
    Per-chunk corrected means merged pairwise, :math:`\bar x = \bar x_A + \frac{n_B}{n}
    (\bar x_B - \bar x_A)` (module docstring).

    Examples
    --------
    >>> mean(np.array([[1.0, 2.0], [3.0, 6.0]]), axis=0).tolist()
    [2.0, 4.0]
    """
    m, scalar = _by_axis(x, axis)
    return _out(m.mean, scalar)


def _check_ddof(ddof, n):
    if isinstance(ddof, bool) or not isinstance(ddof, int | np.integer) or not 0 <= ddof < n:
        raise ValueError(f"ddof must be an integer with 0 <= ddof < n = {n}, got {ddof!r}")


def var(x: ArrayLike, axis: int | None = None, ddof: int = 0) -> float | FloatArray:
    r"""Variance over chunks, :math:`\frac{M_2}{n - \mathrm{ddof}}`, from merged moments.

    Parameters
    ----------
    x : dask.array.Array or array_like
        1-D or 2-D, observations in rows.
    axis : {None, 0}
        ``0``: per column; ``None`` (default): every element.
    ddof : int
        Delta degrees of freedom (0 by default, as NumPy).

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        NaN/inf in a chunk, ``ddof`` >= n, or an unsupported ``axis``.

    Notes
    -----
    :math:`M_2 = M_{2,A} + M_{2,B} + \frac{n_A n_B}{n}(\bar x_B - \bar x_A)^2` merged over a
    tree of chunks; never the cancelling :math:`\overline{x^2} - \bar x^2`.

    Examples
    --------
    >>> var(np.array([1.0, 2.0, 4.0, 7.0]), ddof=1)
    7.0
    """
    m, scalar = _by_axis(x, axis)
    _check_ddof(ddof, m.n)
    return _out(m.m2 / (m.n - ddof), scalar)


def std(x: ArrayLike, axis: int | None = None, ddof: int = 0) -> float | FloatArray:
    r"""Standard deviation over chunks, :math:`\sqrt{M_2 / (n - \mathrm{ddof})}`.

    Parameters
    ----------
    x : dask.array.Array or array_like
        1-D or 2-D, observations in rows.
    axis : {None, 0}
    ddof : int

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        As :func:`var`.

    Notes
    -----
    The square root of :func:`var`'s merged result.

    Examples
    --------
    >>> std(np.array([1.0, 3.0]))
    1.0
    """
    m, scalar = _by_axis(x, axis)
    _check_ddof(ddof, m.n)
    return _out(np.sqrt(m.m2 / (m.n - ddof)), scalar)


def _variables_in_columns(m, rowvar):
    ndim = m.ndim if hasattr(m, "ndim") else np.ndim(m)
    if ndim == 2 and rowvar:
        m = m.T
    return m


def cov(m: ArrayLike, rowvar: bool = False, ddof: int = 1) -> FloatArray:
    r"""Covariance matrix over chunks, :math:`C = \frac{M}{n - \mathrm{ddof}}`.

    Parameters
    ----------
    m : dask.array.Array or array_like
        1-D (one variable) or 2-D.
    rowvar : bool
        ``False`` (default here, unlike NumPy: a tall Dask array has its observations in rows)
        or ``True`` for one variable per row.
    ddof : int
        1 (default, unbiased) or 0.

    Returns
    -------
    ndarray
        :math:`p \times p` (0-d for one variable), equal to :func:`m4ml.stats.cov` to rounding.

    Raises
    ------
    ValueError
        NaN/inf in a chunk, no observations or ``ddof`` >= n.

    Notes
    -----
    Per-chunk co-moments :math:`M_A = D_A^\top D_A` merged by
    :math:`M = M_A + M_B + \frac{n_A n_B}{n}\delta\delta^\top`: one pass over the data.

    Examples
    --------
    >>> cov(np.array([[0.0, 2.0], [1.0, 1.0], [2.0, 0.0]]))
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    mom = moments(_variables_in_columns(m, rowvar), cross=True, name="m")
    if mom.n == 0:
        raise ValueError("m holds no observations")
    _check_ddof(ddof, mom.n)
    c = mom.m2 / (mom.n - ddof)
    return c.squeeze() if c.shape == (1, 1) else c


def corrcoef(x: ArrayLike, rowvar: bool = False) -> FloatArray:
    r"""Pearson correlation matrix over chunks, :math:`R_{jk} = M_{jk}/\sqrt{M_{jj}M_{kk}}`.

    Parameters
    ----------
    x : dask.array.Array or array_like
        2-D (or 1-D, one variable).
    rowvar : bool
        ``False`` (default here: observations in rows) or ``True``.

    Returns
    -------
    ndarray
        Clipped to :math:`[-1, 1]`, unit diagonal.

    Raises
    ------
    ValueError
        NaN/inf in a chunk, fewer than 2 observations, or a constant variable.

    Notes
    -----
    The merged co-moment matrix scaled by the square roots of its diagonal.

    Examples
    --------
    >>> corrcoef(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 5.0], [4.0, 9.0]])).round(6)
    array([[1.      , 0.964764],
           [0.964764, 1.      ]])
    """
    mom = moments(_variables_in_columns(x, rowvar), cross=True)
    if mom.n < 2:
        raise ValueError("corrcoef needs at least 2 observations")
    s = np.sqrt(np.diag(mom.m2))
    if np.any(s == 0.0):
        raise ValueError("a variable is constant; its correlation is undefined")
    r = np.clip(mom.m2 / np.outer(s, s), -1.0, 1.0)
    np.fill_diagonal(r, 1.0)
    return r
