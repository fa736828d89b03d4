"""Mutual-information estimators behind :func:`m4ml.pipeline.scores.mutual_info_classif` (private).

Discrete features use the plug-in estimate from the contingency table; continuous ones the
k-nearest-neighbour estimator of Ross (2014), after Kraskov, Stögbauer & Grassberger (2004). In
one dimension the neighbours come from sorting, so no tree is needed.
"""

import numpy as np
from scipy.special import digamma


def mi_discrete(x, labels, k):
    """Plug-in mutual information (nats) of two discrete variables from their contingency table."""
    _, xi = np.unique(x, return_inverse=True)
    n, kx = x.size, int(xi.max()) + 1
    table = np.bincount(xi.ravel() * k + labels, minlength=kx * k).reshape(kx, k).astype(float)
    nz = table > 0
    px, py = table.sum(axis=1), table.sum(axis=0)
    mi = (table[nz] / n * np.log(n * table[nz] / np.outer(px, py)[nz])).sum()
    return max(0.0, float(mi))


def _kth_neighbour_distance(s, k):
    """Distance from each point of the sorted 1-D array ``s`` to its k-th nearest other point."""
    m = s.size
    idx = np.arange(m)
    best = np.full(m, np.inf)
    for j in range(k + 1):  # the k neighbours and the point itself fill a window of k+1
        start = idx - k + j
        ok = (start >= 0) & (start + k < m)
        lo, hi = np.clip(start, 0, m - 1), np.clip(start + k, 0, m - 1)
        width = np.maximum(s - s[lo], s[hi] - s)
        best = np.where(ok, np.minimum(best, width), best)
    return np.sqrt(best * best)  # as a Euclidean distance sqrt(d^2) is computed


def _count_within(s, x, radius):
    """How many entries of sorted ``s`` satisfy (x - s_j)^2 <= radius^2, for each x."""
    r2 = radius * radius
    lo = np.searchsorted(s, x - radius, side="left")
    hi = np.searchsorted(s, x + radius, side="right")
    for _ in range(s.size):  # fix the rounding at the two ends; at most a few sweeps
        step_lo = (lo > 0) & ((x - s[np.maximum(lo - 1, 0)]) ** 2 <= r2)
        back_lo = (lo < s.size) & ((x - s[np.minimum(lo, s.size - 1)]) ** 2 > r2) & (lo < hi)
        step_hi = (hi < s.size) & ((s[np.minimum(hi, s.size - 1)] - x) ** 2 <= r2)
        back_hi = (hi > 0) & ((s[np.maximum(hi - 1, 0)] - x) ** 2 > r2) & (hi > lo)
        if not (step_lo.any() or back_lo.any() or step_hi.any() or back_hi.any()):
            break
        lo = lo - step_lo + back_lo
        hi = hi + step_hi - back_hi
    return hi - lo


def mi_continuous(x, labels, counts, n_neighbors):
    """Ross's k-NN estimate of the mutual information between continuous x and labels."""
    keep = counts[labels] > 1  # points alone in their class carry no neighbour information
    x, labels = x[keep], labels[keep]
    if x.size == 0:
        return 0.0
    order = np.lexsort((x, labels))
    xs, ls = x[order], labels[order]
    radius = np.empty(x.size)
    k_all = np.empty(x.size)
    bounds = np.flatnonzero(np.diff(ls)) + 1
    for block in np.split(np.arange(x.size), bounds):  # one pass per class
        k = min(n_neighbors, block.size - 1)
        radius[block] = np.nextafter(_kth_neighbour_distance(xs[block], k), 0)
        k_all[block] = k
    class_size = np.bincount(ls)[ls]
    m = _count_within(np.sort(x), xs, radius)
    mi = digamma(x.size) + digamma(k_all).mean() - digamma(class_size).mean()
    return max(0.0, float(mi - digamma(m).mean()))
