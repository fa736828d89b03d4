r"""The iterations of k-means: Lloyd's two exact partial minimizations and Elkan's bounds.

Private to :mod:`m4ml.models.kmeans`, which holds the estimator, the seeding and the math of the
objective. Each function works on data already centred by the estimator.
"""

import numpy as np

from m4ml.models.kernels import euclidean_distances

_CHUNK = 8192  # rows per block: the (K, chunk) score block stays in cache


def _assign(X, centers, c_sq, Xw=None, w=None):
    """Nearest-center labels from ||c||^2 - 2 x.c (||x||^2 is the same for every center).

    The scores are formed block by block as (K, chunk) arrays, so the running minimum over the
    K centers sweeps contiguous cache-resident rows (a row-wise ``argmin`` over K = 8 columns is
    several times slower). Since the centers are visited in increasing order, the label is the
    largest ``k`` whose score beat the running minimum; ties go to the lower index, as
    ``argmin``. With ``Xw`` (``X`` times the weights ``w``) the per-cluster sums and weights of
    the next center update are accumulated in the same pass (one-hot product per block).
    Returns ``labels`` or ``(labels, sums, weight)``.
    """
    n, d = X.shape
    K = centers.shape[0]
    M = -2.0 * centers
    labels = np.empty(n, dtype=np.intp)
    if Xw is not None:
        sums, weight, ks = np.zeros((K, d)), np.zeros(K), np.arange(K)[:, None]
    for start in range(0, n, _CHUNK):
        S = M @ X[start : start + _CHUNK].T
        S += c_sq[:, None]
        best = S[0].copy()
        lab = np.zeros(best.size, dtype=np.intp)
        for k in range(1, K):
            closer = S[k] < best
            np.maximum(lab, closer * k, out=lab)
            np.minimum(best, S[k], out=best)
        labels[start : start + _CHUNK] = lab
        if Xw is not None:
            R = (ks == lab).astype(np.float64)
            sums += R @ Xw[start : start + _CHUNK]
            weight += R @ w[start : start + _CHUNK]
    return labels if Xw is None else (labels, sums, weight)


def _relocate_and_average(X, w, labels, old_centers, sums, weight):
    """Centers from per-cluster sums; an empty cluster takes the point farthest from its center.

    The farthest points (by distance to their own old center) are moved, in decreasing order of
    distance, to the empty clusters, their weight taken from the cluster they leave (the rule
    scikit-learn uses, so the iterates agree).
    """
    empty = np.flatnonzero(weight == 0)
    if empty.size:
        dist = ((X - old_centers[labels]) ** 2).sum(axis=1)
        far = np.argpartition(dist, -empty.size)[: -empty.size - 1 : -1]
        for new, i in zip(empty, far, strict=True):
            old = labels[i]
            sums[old] -= X[i] * w[i]
            sums[new] = X[i] * w[i]
            weight[new] = w[i]
            weight[old] -= w[i]
    nz = weight > 0
    centers = old_centers.copy()
    centers[nz] = sums[nz] / weight[nz, None]
    return centers


def _update_centers(X, w, labels, old_centers, K):
    """Weighted means per cluster (``bincount`` per feature), with empty-cluster relocation."""
    XwF = np.asfortranarray(X * w[:, None])
    weight = np.bincount(labels, weights=w, minlength=K)
    sums = np.empty((K, X.shape[1]))
    for j in range(X.shape[1]):
        sums[:, j] = np.bincount(labels, weights=XwF[:, j], minlength=K)
    return _relocate_and_average(X, w, labels, old_centers, sums, weight)


def _lloyd(X, w, centers, max_iter, tol):
    """Lloyd's iteration from ``centers``; returns labels, centers, iterations, converged."""
    Xw = X if (w == 1).all() else X * w[:, None]
    labels_old = np.full(X.shape[0], -1)
    strict = converged = False
    it = 0
    while it < max_iter:
        it += 1
        labels, sums, weight = _assign(X, centers, (centers**2).sum(axis=1), Xw, w)
        new = _relocate_and_average(X, w, labels, centers, sums, weight)
        shift = ((new - centers) ** 2).sum()
        centers = new
        if np.array_equal(labels, labels_old):
            strict = converged = True
            break
        if shift <= tol:
            converged = True
            break
        labels_old = labels
    if not strict:
        labels = _assign(X, centers, (centers**2).sum(axis=1))
    return labels, centers, it, converged


def _elkan_assign(X, centers, labels, upper, lower):
    """Reassign points whose bounds allow a closer center; ``labels``/bounds updated in place.

    ``upper[i] >= d(x_i, c_{label_i})`` and ``lower[i, k] <= d(x_i, c_k)``. A point keeps its
    label if ``upper <= s(label)`` (half the distance to the nearest other center); a center
    ``k`` is skipped if ``upper <= lower[i, k]`` or ``upper <= d(c_label, c_k) / 2``.
    """
    cc = euclidean_distances(centers)
    np.fill_diagonal(cc, np.inf)
    s = 0.5 * cc.min(axis=1)
    cand = np.flatnonzero(upper > s[labels])
    if not cand.size:
        return
    half = 0.5 * cc[labels[cand]]
    uc = upper[cand][:, None]
    maybe = (uc > lower[cand]) & (uc > half)
    keep = maybe.any(axis=1)
    rows, maybe, half = cand[keep], maybe[keep], half[keep]
    if not rows.size:
        return
    own = labels[rows]
    exact = np.sqrt(((X[rows] - centers[own]) ** 2).sum(axis=1))
    upper[rows] = exact
    lower[rows, own] = exact
    maybe &= (exact[:, None] > lower[rows]) & (exact[:, None] > half)
    r, k = np.nonzero(maybe)
    if not r.size:
        return
    dist = np.sqrt(((X[rows[r]] - centers[k]) ** 2).sum(axis=1))
    lower[rows[r], k] = dist
    D = np.full((rows.size, centers.shape[0]), np.inf)
    D[r, k] = dist
    D[np.arange(rows.size), own] = exact
    best = np.argmin(D, axis=1)  # ties go to the lower index, as Lloyd's argmin
    labels[rows] = best
    upper[rows] = D[np.arange(rows.size), best]


def _elkan(X, w, centers, max_iter, tol):
    """Elkan's accelerated iteration: Lloyd's iterates, with most distances skipped by bounds."""
    n, K = X.shape[0], centers.shape[0]
    lower = euclidean_distances(X, centers)
    labels = np.argmin(lower, axis=1)
    upper = lower[np.arange(n), labels].copy()
    labels_old = np.full(n, -1)
    strict = converged = False
    it = 0
    while it < max_iter:
        it += 1
        _elkan_assign(X, centers, labels, upper, lower)
        new = _update_centers(X, w, labels, centers, K)
        moved = np.sqrt(((new - centers) ** 2).sum(axis=1))
        centers = new
        lower = np.maximum(lower - moved, 0.0)  # triangle inequality after the move
        upper += moved[labels]
        if np.array_equal(labels, labels_old):
            strict = converged = True
            break
        if float((moved**2).sum()) <= tol:
            converged = True
            break
        labels_old = labels.copy()
    if not strict:
        labels = _assign(X, centers, (centers**2).sum(axis=1))
    return labels, centers, it, converged


def _inertia(X, w, centers, labels):
    diff = X - centers[labels]
    return float(w @ np.einsum("ij,ij->i", diff, diff))
