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

_EXACT_CHUNK = 1 << 15  # permutations enumerated per step when no batch is given


def all_partitions(pool, sizes):
    """Every split of the tuple ``pool`` into groups of these sizes, lazily, as flat tuples."""
    if len(sizes) == 1:
        yield pool
        return
    for first in itertools.combinations(pool, sizes[0]):
        chosen = set(first)
        rest = tuple(p for p in pool if p not in chosen)
        for tail in all_partitions(rest, sizes[1:]):
            yield first + tail


def _chunks(iterator, total, batch):
    """Arrays of successive rows of ``iterator``, at most ``batch`` (or a fixed chunk) each."""
    step = batch or _EXACT_CHUNK
    for size in _batches(total, step):
        yield np.array(list(itertools.islice(iterator, size)), dtype=np.intp)


def null_independent(samples, statistic, n_resamples, batch, rng):
    """Null distribution by reassigning the pooled observations to the samples: every
    partition when there are at most ``n_resamples`` of them, else random ones.
    Returns (statistics, number of resamples, exact?)."""
    sizes = [s.shape[-1] for s in samples]
    bounds = np.cumsum(sizes)[:-1]
    n_max = math.prod(math.comb(int(c), k) for c, k in zip(np.cumsum(sizes), sizes, strict=True))
    exact = n_resamples >= n_max
    total = n_max if exact else n_resamples
    pooled = np.concatenate(samples, axis=-1)
    if exact:
        steps = _chunks(all_partitions(tuple(range(sum(sizes))), sizes), total, batch)
    else:
        n = pooled.shape[-1]
        steps = (
            rng.permuted(np.tile(np.arange(n), (m, 1)), axis=1) for m in _batches(total, batch)
        )
    out = []
    for idx in steps:
        resampled = np.moveaxis(pooled[..., idx], -2, 0)
        out.append(statistic(*np.split(resampled, bounds, axis=-1), axis=-1))
    return np.concatenate([np.atleast_1d(o) for o in out], axis=0), total, exact


def null_pairings(samples, statistic, n_resamples, batch, rng):
    """Null distribution by permuting each sample's order (breaking the pairing between
    samples), exactly or at random. Returns (statistics, number of resamples, exact?)."""
    k, n = len(samples), samples[0].shape[-1]
    n_max = math.factorial(n) ** k
    exact = n_resamples >= n_max
    total = n_max if exact else n_resamples
    if exact:  # every combination of one permutation per sample
        perms = np.array(list(itertools.permutations(range(n))), dtype=np.intp)
        grid = itertools.product(range(len(perms)), repeat=k)
        steps = (perms[rows] for rows in _chunks(grid, total, batch))  # (m, k, n)
    else:
        tiles = (np.tile(np.arange(n), (m, k, 1)) for m in _batches(total, batch))
        steps = (rng.permuted(tile, axis=-1) for tile in tiles)
    out = []
    for idx in steps:
        parts = [np.moveaxis(s[..., idx[:, j]], -2, 0) for j, s in enumerate(samples)]
        out.append(statistic(*parts, axis=-1))
    return np.concatenate([np.atleast_1d(o) for o in out], axis=0), total, exact


def null_samples(samples, statistic, n_resamples, batch, rng):
    """Null distribution by permuting the values within each observation across samples
    (sign flips for one sample), exactly or at random.
    Returns (statistics, number of resamples, exact?)."""
    one = len(samples) == 1
    if one:  # by convention: flip the signs of the observations
        samples = [samples[0], -samples[0]]
    k, n = len(samples), samples[0].shape[-1]
    stacked = np.stack(samples, axis=-1)  # (..., n, k)
    n_max = math.factorial(k) ** n
    exact = n_resamples >= n_max
    total = n_max if exact else n_resamples
    if exact:  # every combination of one permutation per observation
        perms = np.array(list(itertools.permutations(range(k))), dtype=np.intp)
        grid = itertools.product(range(len(perms)), repeat=n)
        steps = (perms[rows] for rows in _chunks(grid, total, batch))  # (m, n, k)
    else:
        tiles = (np.tile(np.arange(k), (m, n, 1)) for m in _batches(total, batch))
        steps = (rng.permuted(tile, axis=-1) for tile in tiles)
    out = []
    for idx in steps:
        shape = (idx.shape[0],) + (1,) * (stacked.ndim - 2) + (n, k)
        swapped = np.take_along_axis(stacked[None], idx.reshape(shape), axis=-1)
        parts = [swapped[..., j] for j in range(1 if one else k)]
        out.append(statistic(*parts, axis=-1))
    return np.concatenate([np.atleast_1d(o) for o in out], axis=0), total, exact
