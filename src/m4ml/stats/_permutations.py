r"""Null distributions of :func:`m4ml.stats.resampling.permutation_test` (private).

One function per permutation type. Each returns ``(null_distribution, M, exact)``: the
statistic on all :math:`M` distinct permutations when there are at most ``n_resamples`` of
them, otherwise on ``n_resamples`` random ones drawn from ``rng`` in scipy's order (the same
seed gives the same permutations as ``scipy.stats.permutation_test``).
"""

import itertools
import math

import numpy as np

from m4ml.stats._resampling_utils import batches as _batches


def all_partitions(sizes):
    """Every split of range(sum(sizes)) into groups of these sizes, as concatenated rows."""
    n = sum(sizes)
    if len(sizes) == 1:
        return np.arange(n)[None, :]
    first = np.array(list(itertools.combinations(range(n), sizes[0])), dtype=np.intp)
    first = first.reshape(-1, sizes[0])
    mask = np.ones((first.shape[0], n), bool)
    np.put_along_axis(mask, first, False, axis=1)
    rest = np.nonzero(mask)[1].reshape(first.shape[0], n - sizes[0])
    sub = all_partitions(sizes[1:])  # (s, n - n0) positions within the rest
    rows = np.concatenate(
        [np.repeat(first, sub.shape[0], axis=0), rest[:, sub].reshape(-1, n - sizes[0])], axis=1
    )
    return rows


def null_independent(samples, statistic, n_resamples, batch, rng):
    sizes = [s.shape[-1] for s in samples]
    bounds = np.cumsum(sizes)[:-1]
    n_max = math.prod(math.comb(int(c), k) for c, k in zip(np.cumsum(sizes), sizes, strict=True))
    exact = n_resamples >= n_max
    total = n_max if exact else n_resamples
    pooled = np.concatenate(samples, axis=-1)
    index_rows = all_partitions(sizes) if exact else None
    out, done = [], 0
    for size in _batches(total, batch):
        if exact:
            idx = index_rows[done : done + size]
        else:
            idx = rng.permuted(np.tile(np.arange(pooled.shape[-1]), (size, 1)), axis=1)
        done += size
        resampled = np.moveaxis(pooled[..., idx], -2, 0)
        out.append(statistic(*np.split(resampled, bounds, axis=-1), axis=-1))
    return np.concatenate([np.atleast_1d(o) for o in out], axis=0), total, exact


def null_pairings(samples, statistic, n_resamples, batch, rng):
    k, n = len(samples), samples[0].shape[-1]
    n_max = math.factorial(n) ** k
    exact = n_resamples >= n_max
    total = n_max if exact else n_resamples
    if exact:
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp)
        grid = np.array(list(itertools.product(range(len(perms)), repeat=k)), dtype=np.intp)
        all_idx = perms[grid]  # (n_max, k, n)
    out, done = [], 0
    for size in _batches(total, batch):
        if exact:
            idx = all_idx[done : done + size]
        else:
            idx = rng.permuted(np.tile(np.arange(n), (size, k, 1)), axis=-1)
        done += size
        parts = [np.moveaxis(s[..., idx[:, j]], -2, 0) for j, s in enumerate(samples)]
        out.append(statistic(*parts, axis=-1))
    return np.concatenate([np.atleast_1d(o) for o in out], axis=0), total, exact


def null_samples(samples, statistic, n_resamples, batch, rng):
    one = len(samples) == 1
    if one:  # by convention: flip the signs of the observations
        samples = [samples[0], -samples[0]]
    k, n = len(samples), samples[0].shape[-1]
    stacked = np.stack(samples, axis=-1)  # (..., n, k)
    n_max = math.factorial(k) ** n
    exact = n_resamples >= n_max
    total = n_max if exact else n_resamples
    if exact:
        perms = np.array(list(itertools.permutations(range(k))), dtype=np.intp)
        grid = np.array(list(itertools.product(range(len(perms)), repeat=n)), dtype=np.intp)
        all_idx = perms[grid]  # (n_max, n, k)
    out, done = [], 0
    for size in _batches(total, batch):
        if exact:
            idx = all_idx[done : done + size]
        else:
            idx = rng.permuted(np.tile(np.arange(k), (size, n, 1)), axis=-1)
        done += size
        shape = (size,) + (1,) * (stacked.ndim - 2) + (n, k)
        swapped = np.take_along_axis(stacked[None], idx.reshape(shape), axis=-1)
        parts = [swapped[..., j] for j in range(1 if one else k)]
        out.append(statistic(*parts, axis=-1))
    return np.concatenate([np.atleast_1d(o) for o in out], axis=0), total, exact
