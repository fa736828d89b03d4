r"""Quantiles over chunks: rank summaries with a proven error bound, and an exact second pass.

**Summary of one chunk.** Sort a chunk's :math:`n_i` values, cut them into consecutive groups
of :math:`t_i = \lceil n_i / k\rceil` (the last group may be shorter) and keep each group's
*largest* value with the group's size as its weight: at most :math:`k` (value, weight) pairs.
For any :math:`v`, the weight of the kept values :math:`\le v`, :math:`\hat c_i(v)`, counts
exactly the groups lying wholly at or below :math:`v`; at most one group straddles
:math:`v`, and at most :math:`t_i - 1` of its members are :math:`\le v`. So with
:math:`c_i(v) = \#\{x \le v\}` in the chunk,

.. math:: 0 \le c_i(v) - \hat c_i(v) \le t_i - 1 .

**Merge.** The summaries of all chunks are pooled (no information is thrown away when they
merge), so the global count :math:`C(v) = \sum_i c_i(v)` is estimated by
:math:`\hat C(v) = \sum_i \hat c_i(v)` with

.. math:: 0 \le C(v) - \hat C(v) \le E = \sum_i (t_i - 1) < \sum_i \frac{n_i}{k} = \frac nk .

**Estimate of the order statistic** :math:`x_{(r)}` (0-based): the smallest kept value
:math:`v` with :math:`\hat C(v) \ge r' + 1`, where :math:`r' = r - \lfloor E/2\rfloor`.
Then :math:`C(v) \ge \hat C(v) > r'`, so :math:`v \ge x_{(r')}`; and every smaller kept value
has :math:`\hat C \le r'`, hence :math:`C \le r' + E` just below :math:`v`, so
:math:`v \le x_{(r' + E)}`. The estimate therefore lies between :math:`x_{(r - \lfloor
E/2\rfloor)}` and :math:`x_{(r + \lceil E/2\rceil)}`. For the lowest ranks,
:math:`r < \lfloor E/2\rfloor`, the exact minimum (every chunk reports its own) is returned
instead, a rank error of :math:`r < E/2`; the largest rank returns the exact maximum (the
last value of every chunk is kept). So every order statistic has a **rank error of at most**
:math:`\lceil E/2\rceil`, with :math:`E < n/k`, and the minimum and maximum are exact. A
quantile interpolating between :math:`x_{(lo)}` and :math:`x_{(hi)}`
(:func:`m4ml.stats.building_blocks.quantile_positions`) interpolates the two estimates, so it
lies between :math:`x_{(lo - \lceil E/2\rceil)}` and :math:`x_{(hi + \lceil E/2\rceil)}`
(indices clamped to the sample).

**Exact second pass.** From the same summary, :math:`L` = the largest kept value with
:math:`\hat C(L) \le r - E` (so :math:`C(L) \le r`, :math:`L < x_{(r)}`; :math:`-\infty` if
none) and :math:`U` = the smallest with :math:`\hat C(U) \ge r + 1` (so
:math:`x_{(r)} \le U`) bracket :math:`x_{(r)} \in (L, U]`. One more pass counts, per chunk,
the values :math:`\le L` and collects the distinct values strictly inside :math:`(L, U)` with
their multiplicities; with :math:`m` values inside, :math:`x_{(r)}` is the
:math:`(r - C(L))`-th of them if :math:`r - C(L) < m`, else :math:`U`. The bracket holds
:math:`O(E + \text{chunks})` values (ties collapse to one entry), so nothing of size :math:`n`
is gathered; the result equals :func:`m4ml.stats.quantile` exactly.

Memory: the pooled summary is at most :math:`k` values per chunk and column.
"""

import numpy as np

from m4ml._core import as_float_array, check_positive_int
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.distributed._blocks import as_rows, check_block, is_dask
from m4ml.stats.building_blocks import interpolate_order_statistics, quantile_positions

__all__ = ["quantile"]


def _per_block(func, a):
    """``[func(block) for block in the row blocks of a]``, computed (one block for NumPy)."""
    if not is_dask(a):
        return [func(a)]
    import dask

    return list(dask.compute(*[dask.delayed(func)(b) for b in a.to_delayed()[:, 0]]))


def _summarize(k):
    def summary(block):
        """Group maxima (rows) and group sizes of one chunk, and its slack t - 1."""
        b = check_block(block, "x", magnitude=False)
        n = b.shape[0]
        if n == 0:
            return b, np.zeros(0, dtype=np.int64), 0, np.full(b.shape[1], np.inf)
        t = -(-n // k)
        idx = np.arange(t - 1, n, t)
        if idx[-1] != n - 1:
            idx = np.append(idx, n - 1)
        weights = np.diff(np.concatenate([[-1], idx]))
        s = np.sort(b, axis=0)
        return s[idx], weights, t - 1, s[0]

    return summary


def _counts(values, weights):
    """Distinct kept values and :math:`\\hat C` at each, per column (lists of arrays)."""
    out = []
    for j in range(values.shape[1]):
        order = np.argsort(values[:, j], kind="stable")
        v, cum = values[order, j], np.cumsum(weights[order])
        last = np.append(v[1:] != v[:-1], True)
        out.append((v[last], cum[last]))
    return out


def _brackets(dist, minima, ranks, E):
    """Per column: the estimate of each rank, and the exact bracket (L, U]."""
    est, lo, hi = [], [], []
    for (v, C), vmin in zip(dist, minima, strict=True):
        shifted = np.maximum(ranks - E // 2, 0)
        e = v[np.searchsorted(C, shifted + 1, side="left")]
        e = np.where((ranks < E // 2) | (ranks == 0), vmin, e)
        est.append(np.where(ranks == C[-1] - 1, v[-1], e))
        hi.append(v[np.searchsorted(C, ranks + 1, side="left")])
        i = np.searchsorted(C, ranks - E, side="right") - 1
        lo.append(np.where(i >= 0, v[np.maximum(i, 0)], -np.inf))
    return np.array(est).T, np.array(lo).T, np.array(hi).T  # (ranks, columns)


def _inside(L, U):
    def count_and_collect(block):
        """Per (rank, column): #values <= L and the distinct values in (L, U) with counts."""
        b = np.sort(check_block(block, "x", magnitude=False), axis=0)
        below = np.empty(L.shape, dtype=np.int64)
        inside = {}
        for j in range(b.shape[1]):
            a = np.searchsorted(b[:, j], L[:, j], side="right")
            z = np.searchsorted(b[:, j], U[:, j], side="left")
            below[:, j] = a
            for i in range(L.shape[0]):
                inside[i, j] = np.unique(b[a[i] : max(a[i], z[i]), j], return_counts=True)
        return below, inside

    return count_and_collect


def _exact(a, ranks, L, U):
    parts = _per_block(_inside(L, U), a)
    below = sum(p[0] for p in parts)
    out = np.array(U, dtype=np.float64)
    for (i, j), _ in parts[0][1].items():
        vals = np.concatenate([p[1][i, j][0] for p in parts])
        cnts = np.concatenate([p[1][i, j][1] for p in parts])
        uniq, inv = np.unique(vals, return_inverse=True)
        cum = np.cumsum(np.bincount(inv, weights=cnts, minlength=uniq.size))
        pos = np.searchsorted(cum, ranks[i] - below[i, j] + 1, side="left")
        if pos < uniq.size:
            out[i, j] = uniq[pos]
    return out


def quantile(
    x: ArrayLike,
    q: ArrayLike,
    axis: int | None = 0,
    method: str = "linear",
    *,
    exact: bool = False,
    summary_size: int = 1000,
) -> float | FloatArray:
    r"""Quantiles over chunks: approximate with a rank-error bound, or exact in a second pass.

    Parameters
    ----------
    x : dask.array.Array or array_like
        1-D or 2-D, observations in rows; any row chunks (one-row and empty ones too).
    q : float or array_like
        Probabilities in :math:`[0, 1]`.
    axis : {0, None}
        ``0`` (default): per column; ``None``: every element.
    method : str
        The interpolation definition, NumPy's names as :func:`m4ml.stats.quantile`
        (default ``"linear"``).
    exact : bool
        ``False`` (default): one pass, rank error at most :math:`\lceil E/2\rceil`
        (module docstring). ``True``: a second pass over the data makes the result equal to
        :func:`m4ml.stats.quantile` on the same values.
    summary_size : int
        :math:`k`, the number of kept values per chunk and column (default 1000).

    Returns
    -------
    float or ndarray
        Shape ``q.shape`` (1-D input or ``axis=None``) or ``q.shape + (p,)``, NumPy values.

    Raises
    ------
    ValueError
        NaN or infinity in a chunk, no observations, ``q`` outside [0, 1], an unknown
        ``method``, or ``axis`` other than 0 or None.
    TypeError
        ``summary_size`` not a positive integer.

    Notes
    -----
    With chunk sizes :math:`n_i` and :math:`t_i = \lceil n_i/k\rceil`, the rank error bound is
    :math:`E = \sum_i (t_i - 1) < n/k`: the result lies between the order statistics
    :math:`x_{(lo - \lceil E/2\rceil)}` and :math:`x_{(hi + \lceil E/2\rceil)}`, where
    :math:`x_{(lo)}, x_{(hi)}` are the two the exact quantile interpolates; the minimum and
    maximum are exact. A chunk with
    :math:`n_i \le k` contributes no error, so :math:`E = 0` (the exact answer) whenever every
    chunk has at most ``summary_size`` rows. Derivation in the module docstring.

    Examples
    --------
    >>> x = np.arange(10.0)
    >>> print(quantile(x, 0.5))
    4.5
    >>> print(quantile(x, 0.5, summary_size=2))  # one chunk, t = 5: rank error <= 2
    4.0
    >>> print(quantile(x, 0.5, summary_size=2, exact=True))
    4.5
    """
    if axis not in (0, None):
        raise ValueError(f"axis must be 0 or None (rows are the observations), got {axis!r}")
    k = check_positive_int(summary_size, "summary_size")
    qa = as_float_array(q, "q")
    if not ((qa >= 0.0) & (qa <= 1.0)).all():
        raise ValueError("q must hold probabilities in [0, 1]")
    ndim = x.ndim if hasattr(x, "ndim") else np.ndim(x)
    a = as_rows(x, "x")
    if axis is None and a.shape[1] != 1:
        a = a.ravel()[:, None] if is_dask(a) else a.reshape(-1, 1)
    parts = _per_block(_summarize(k), a)
    n = int(sum(int(p[1].sum()) for p in parts))
    if n == 0:
        raise ValueError("x is empty; at least 1 observation is needed")
    E = int(sum(p[2] for p in parts))
    lo, hi, gamma = quantile_positions(n, qa, method)
    ranks, where = np.unique(np.concatenate([lo.ravel(), hi.ravel()]), return_inverse=True)
    dist = _counts(np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts]))
    minima = np.min([p[3] for p in parts], axis=0)
    est, L, U = _brackets(dist, minima, ranks, E)
    if exact and E > 0:
        est = _exact(a, ranks, L, U)
    left = est[where[: lo.size]].reshape((*lo.shape, a.shape[1]))
    right = est[where[lo.size :]].reshape((*lo.shape, a.shape[1]))
    out = interpolate_order_statistics(left, right, gamma[..., None])
    if axis is None or ndim == 1:
        out = out[..., 0]
    return float(out) if out.ndim == 0 else out
