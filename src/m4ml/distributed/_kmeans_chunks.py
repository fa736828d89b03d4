r"""The per-chunk pieces of distributed k-means: Lloyd summaries and k-means‖ seeding (private).

Every function here sees one block of rows of the centred data (plus its weights and global
row numbers) and returns a small summary; the ``merge_*`` functions combine two summaries.

* Lloyd: per-cluster weights :math:`W_k = \sum_{i\in C_k} w_i`, sums
  :math:`S_k = \sum_{i \in C_k} w_i x_i` (add), the inertia (adds), a fingerprint of the
  block's labels (so "no label changed" is decided without storing labels), and the ``K``
  rows farthest from their own center (the candidates for an empty cluster; merged by keeping
  the ``K`` farthest).
* k-means‖ (Bahmani et al. 2012): the cost :math:`\phi = \sum_i w_i D(x_i)^2` (adds), and an
  independent draw of every row with probability :math:`\min(1, \ell w_i D(x_i)^2/\phi)`
  (the drawn rows concatenate). Each block draws from its own generator, seeded by the round's
  seed and the block's first row number, so the result does not depend on the scheduler.
"""

import hashlib

import numpy as np

from m4ml.distributed._blocks import check_block
from m4ml.models._kmeans_steps import _assign

__all__ = [
    "assign",
    "cost_chunk",
    "lloyd_chunk",
    "merge_lloyd",
    "nearest_weight_chunk",
    "relocate_and_average",
    "sample_chunk",
]


def assign(block, centers):
    """Index of the nearest center per row (the in-memory rule: ties go to the lower index)."""
    return _assign(block, centers, (centers**2).sum(axis=1))


def _weights(block, wb):
    return np.ones(block.shape[0]) if wb is None else np.asarray(wb, dtype=np.float64)[:, 0]


def _min_d2(block, centers):
    """Squared distance of every row to its nearest center (clipped at 0 against rounding)."""
    if block.shape[0] == 0:
        return np.zeros(0)
    d2 = (block * block).sum(axis=1)[:, None] - 2.0 * block @ centers.T + (centers**2).sum(axis=1)
    return np.maximum(d2.min(axis=1), 0.0)


def lloyd_chunk(block, wb, idx, centers):
    """One block's Lloyd summary under ``centers``.

    Returns ``(weight, counts, sums, inertia, fingerprints, far)`` where ``far`` holds the
    ``(dist, row number, row, weight, label)`` of the block's ``K`` rows farthest from their
    own center, farthest first.
    """
    b = check_block(block, "X")
    K = centers.shape[0]
    idx = np.asarray(idx)[:, 0]
    if wb is None:
        labels, sums, weight = _assign(b, centers, (centers**2).sum(axis=1), b, np.ones(b.shape[0]))
        w = None
    else:
        w = _weights(b, wb)
        labels, sums, weight = _assign(b, centers, (centers**2).sum(axis=1), b * w[:, None], w)
    counts = np.bincount(labels, minlength=K)
    diff = b - np.take(centers, labels, axis=0)
    dist = np.einsum("ij,ij->i", diff, diff)
    inertia = float(dist.sum() if w is None else w @ dist)
    prints = {}
    if b.shape[0]:
        key = hashlib.blake2b(labels.astype(np.int64).tobytes(), digest_size=16).digest()
        prints[int(idx[0])] = key
    cand = np.argpartition(-dist, K - 1)[:K] if dist.size > K else np.arange(dist.size)
    top = cand[np.lexsort((idx[cand], -dist[cand]))]
    far = (dist[top], idx[top], b[top], np.ones(top.size) if w is None else w[top], labels[top])
    return weight, counts, sums, inertia, prints, far


def merge_lloyd(a, b):
    """Add weights, counts, sums and inertias; union the fingerprints; keep the K farthest."""
    K = a[0].size
    far = tuple(np.concatenate([u, v]) for u, v in zip(a[5], b[5]))
    top = np.lexsort((far[1], -far[0]))[:K]
    return (
        a[0] + b[0],
        a[1] + b[1],
        a[2] + b[2],
        a[3] + b[3],
        {**a[4], **b[4]},
        tuple(f[top] for f in far),
    )


def relocate_and_average(centers, weight, sums, far):
    r"""New centers :math:`S_k/W_k`; each empty cluster takes one of the farthest points.

    As :func:`m4ml.models._kmeans_steps._relocate_and_average`: the points farthest from their
    own center, farthest first (ties: lower row number), move to the empty clusters in
    increasing cluster order, their weight and contribution taken from the cluster they leave;
    a cluster still without weight keeps its center. Returns ``(centers, relocated)``.
    """
    weight, sums = weight.copy(), sums.copy()
    empty = np.flatnonzero(weight == 0)
    _, _, rows, w, labels = far
    for new, j in zip(empty, range(min(empty.size, labels.size))):
        old = labels[j]
        sums[old] -= rows[j] * w[j]
        sums[new] = rows[j] * w[j]
        weight[new] = w[j]
        weight[old] -= w[j]
    nz = weight > 0
    out = centers.copy()
    out[nz] = sums[nz] / weight[nz, None]
    return out, bool(empty.size)


def cost_chunk(block, wb, centers):
    """:math:`\\sum_i w_i D(x_i)^2` over the block, :math:`D` the distance to ``centers``."""
    b = check_block(block, "X")
    return float(_weights(b, wb) @ _min_d2(b, centers))


def sample_chunk(block, wb, idx, centers, ell, phi, seed):
    """The rows drawn independently with probability :math:`\\min(1, \\ell w_i D_i^2/\\phi)`."""
    b = check_block(block, "X")
    if b.shape[0] == 0:
        return b
    rng = np.random.default_rng([seed, int(np.asarray(idx)[0, 0])])
    p = np.minimum(1.0, ell * _weights(b, wb) * _min_d2(b, centers) / phi)
    return b[rng.uniform(size=b.shape[0]) < p]


def nearest_weight_chunk(block, wb, candidates):
    """Total weight of the rows nearest to each candidate (k-means‖'s candidate weights)."""
    b = check_block(block, "X")
    if b.shape[0] == 0:
        return np.zeros(candidates.shape[0])
    labels = _assign(b, candidates, (candidates**2).sum(axis=1))
    return np.bincount(labels, weights=_weights(b, wb), minlength=candidates.shape[0])
