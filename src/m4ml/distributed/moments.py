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

Scaled moments
--------------
Squared deviations of tiny data fall into the subnormals (the deviations of
:math:`[0, 4.1\cdot10^{-162}]` square to :math:`\approx 4\cdot10^{-324}`, with one significant
bit) and those of huge data overflow. With ``scaled=True`` each chunk divides column :math:`j` by
a power of two :math:`c_j \ge \max_i|x_{ij}|/2` (exact) wherever :math:`\max_i|x_{ij}|` lies
outside :math:`[2^{-400}, 2^{400}]` (as :mod:`m4ml.stats` and ``m4ml.linalg.norm`` do), and keeps
its mean and co-moments *in units of* :math:`c`. Two chunks merge in the larger unit
:math:`c = \max(c_A, c_B)`, the other chunk's summary rescaled by the exact powers of two
:math:`c_A/c`, :math:`(c_A/c)^2`. What underflows there (below :math:`2^{-1074}c^2`) is
negligible next to the merged :math:`M`, which holds the deviation of the value that set the
larger unit (at least about :math:`2^{-802}c^2` once the units differ). A column holding only
zeros gets :math:`c = 0` (any unit fits it). Values return to data units once, at the end
(:math:`C_{jk} = 2^{e_j + e_k} M_{jk}/\nu` in one rounding), so a standard deviation is finite
and accurate whenever the data are finite; a variance or covariance beyond the float64 range
raises ``ValueError``, as in :mod:`m4ml.stats`.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1979). Updating formulae and a pairwise algorithm
for computing sample variances. Stanford report STAN-CS-79-773.
"""

from typing import NamedTuple

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.distributed._blocks import as_rows, check_block, map_reduce
from m4ml.distributed._moment_units import in_data_units, scaled_two_pass, two_pass

__all__ = ["Moments", "chunk_moments", "corrcoef", "cov", "mean", "merge_moments", "std", "var"]


class Moments(NamedTuple):
    """Count, mean and co-moment (or, with ``cross=False``, the vector :math:`M_2`) of rows.

    ``mean`` and ``m2`` are in units of ``scale``: the data's mean is ``mean * scale`` and its
    co-moment :math:`M_{jk}` is ``m2[j, k] * scale[j] * scale[k]``. ``scale`` is 1 (the default,
    so ``Moments(n, mean, m2)`` holds data units) unless the moments were computed with
    ``scaled=True`` (module docstring); there it is one power of two per column, or 0 for a
    column of zeros.
    """

    n: int
    mean: np.ndarray
    m2: np.ndarray
    scale: np.ndarray | float = 1.0


def chunk_moments(
    block: ArrayLike, cross: bool = False, name: str = "x", *, scaled: bool = False
) -> Moments:
    r"""The :class:`Moments` of one block of rows, by the corrected two-pass algorithm.

    With :math:`\tilde m` the plain mean and :math:`d_i = x_i - \tilde m`, the corrected mean
    is :math:`\tilde m + \frac1n\sum d_i` and
    :math:`M = \sum d_i d_i^\top - \frac1n (\sum d_i)(\sum d_i)^\top`. An empty block gives
    ``n = 0`` and zeros. NaN or infinity raises ``ValueError``; so do values beyond
    :math:`2^{500}` unless ``scaled``, which first divides each column by a power of two
    :math:`c_j` where its values are tiny or huge and returns ``mean``, ``m2`` in units of
    :math:`c` (:class:`Moments`, module docstring).

    Examples
    --------
    >>> m = chunk_moments(np.array([[0.0], [4.12096503e-162]]), scaled=True)
    >>> float(np.sqrt(m.m2[0] / m.n) * m.scale[0])  # the std; unscaled M2 is one subnormal bit
    2.060482515e-162
    """
    b = check_block(block, name, magnitude=not scaled)
    n, p = b.shape
    if n == 0:
        zeros = (np.zeros(p), np.zeros((p, p) if cross else p))
        return Moments(0, *zeros, np.zeros(p)) if scaled else Moments(0, *zeros)
    if not scaled:
        return Moments(n, *two_pass(b, cross, b.sum(axis=0) / n))
    return Moments(n, *scaled_two_pass(b, cross))


def merge_moments(a: Moments, b: Moments) -> Moments:
    r"""Merge the :class:`Moments` of two disjoint sets of rows (module docstring).

    Summaries in different units (``scale``) merge in the larger one per column, the other
    rescaled by exact powers of two.

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
    cross = a.m2.ndim == 2
    c_a, c_b = np.asarray(a.scale, dtype=np.float64), np.asarray(b.scale, dtype=np.float64)
    if np.all(c_a == 1.0) and np.all(c_b == 1.0):
        mean_a, mean_b, m2_a, m2_b, keep = a.mean, b.mean, a.m2, b.m2, a.scale
    else:
        keep = np.maximum(c_a, c_b) * np.ones(a.mean.shape)
        unit = np.where(keep == 0.0, 1.0, keep)
        f_a, f_b = c_a / unit, c_b / unit  # powers of two (0 for a column of zeros)
        mean_a, mean_b = a.mean * f_a, b.mean * f_b
        m2_a = a.m2 * (np.outer(f_a, f_a) if cross else f_a * f_a)
        m2_b = b.m2 * (np.outer(f_b, f_b) if cross else f_b * f_b)
    delta = mean_b - mean_a
    mean = mean_a + delta * (b.n / n)
    w = a.n * b.n / n
    m2 = m2_a + m2_b + w * (np.outer(delta, delta) if cross else delta * delta)
    return Moments(n, mean, m2, keep)


def moments(x, cross=False, name="x", *, scaled=False):
    """The merged :class:`Moments` of the rows of ``x`` (Dask or NumPy, 1-D or 2-D)."""
    a = as_rows(x, name)

    def chunk(block):
        return chunk_moments(block, cross, name, scaled=scaled)

    return map_reduce(chunk, merge_moments, a)


def _by_axis(x, axis):
    """Moments over ``axis`` (0 or None; 1-D input: either) and whether to return a scalar."""
    ndim = np.ndim(x) if not hasattr(x, "ndim") else x.ndim
    if axis not in (None, 0) and not (ndim == 2 and axis == -2):
        raise ValueError(f"axis must be 0 or None (rows are the observations), got {axis!r}")
    m = moments(x, scaled=True)
    if m.n == 0:
        raise ValueError("x holds no observations")
    if axis is None and ndim == 2:
        # the columns are disjoint samples: merge their one-number summaries too
        cols = [
            Moments(m.n, m.mean[j : j + 1], m.m2[j : j + 1], m.scale[j : j + 1])
            for j in range(m.mean.size)
        ]
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
    return _out(in_data_units(m.mean, m.scale, "the mean"), scalar)


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
        NaN/inf in a chunk, ``ddof`` >= n, an unsupported ``axis``, or a variance beyond the
        float64 range (data of order :math:`10^{154}` and more; :func:`std` is finite).

    Notes
    -----
    :math:`M_2 = M_{2,A} + M_{2,B} + \frac{n_A n_B}{n}(\bar x_B - \bar x_A)^2` merged over a
    tree of chunks; never the cancelling :math:`\overline{x^2} - \bar x^2`. Each column is
    scaled by a power of two where its values are tiny or huge (module docstring), so the
    variance of data of order :math:`10^{-300}` keeps its digits.

    Examples
    --------
    >>> var(np.array([1.0, 2.0, 4.0, 7.0]), ddof=1)
    7.0
    """
    m, scalar = _by_axis(x, axis)
    _check_ddof(ddof, m.n)
    what = "the variance"
    try:
        return _out(in_data_units(m.m2 / (m.n - ddof), m.scale, what, power=2), scalar)
    except ValueError as exc:
        raise ValueError(f"{exc}; the standard deviation is finite: use std") from None


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
    :math:`c\sqrt{M_2/(n - \mathrm{ddof})}` from the moments scaled by a power of two
    :math:`c` (module docstring): finite and accurate for any finite data.

    Examples
    --------
    >>> std(np.array([1.0, 3.0]))
    1.0
    """
    m, scalar = _by_axis(x, axis)
    _check_ddof(ddof, m.n)
    return _out(in_data_units(np.sqrt(m.m2 / (m.n - ddof)), m.scale, "the std"), scalar)


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
        NaN/inf in a chunk, no observations, ``ddof`` >= n, or an entry beyond the float64
        range (:func:`corrcoef` is scale-free).

    Notes
    -----
    Per-chunk co-moments :math:`M_A = D_A^\top D_A` merged by
    :math:`M = M_A + M_B + \frac{n_A n_B}{n}\delta\delta^\top`: one pass over the data, each
    column in its own power-of-two unit (module docstring).

    Examples
    --------
    >>> cov(np.array([[0.0, 2.0], [1.0, 1.0], [2.0, 0.0]]))
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    mom = moments(_variables_in_columns(m, rowvar), cross=True, name="m", scaled=True)
    if mom.n == 0:
        raise ValueError("m holds no observations")
    _check_ddof(ddof, mom.n)
    what = "the covariance"
    try:
        c = in_data_units(mom.m2 / (mom.n - ddof), mom.scale, what)
    except ValueError as exc:
        raise ValueError(f"{exc}; rescale the data or use corrcoef") from None
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
    The merged co-moment matrix scaled by the square roots of its diagonal; the power-of-two
    units of the columns cancel, so columns of any finite magnitude are fine.

    Examples
    --------
    >>> corrcoef(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 5.0], [4.0, 9.0]])).round(6)
    array([[1.      , 0.964764],
           [0.964764, 1.      ]])
    """
    mom = moments(_variables_in_columns(x, rowvar), cross=True, scaled=True)
    if mom.n < 2:
        raise ValueError("corrcoef needs at least 2 observations")
    s = np.sqrt(np.diag(mom.m2))
    if np.any(s == 0.0):
        raise ValueError("a variable is constant; its correlation is undefined")
    r = np.clip(mom.m2 / np.outer(s, s), -1.0, 1.0)
    np.fill_diagonal(r, 1.0)
    return r
