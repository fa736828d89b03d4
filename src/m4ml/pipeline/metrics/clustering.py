"""Clustering metrics: the adjusted Rand index (against true labels) and the silhouette
(from the data alone)."""

from typing import Literal

import numpy as np

from m4ml._core import as_float_array, check_rng, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.pipeline.metrics._labels import check_consistent_length, column_or_1d, unique_inverse

__all__ = ["adjusted_rand_score", "silhouette_samples", "silhouette_score"]

_CHUNK_BYTES = 8 * 2**20


def adjusted_rand_score(labels_true: ArrayLike, labels_pred: ArrayLike) -> float:
    r"""Adjusted Rand index: pair-counting agreement of two clusterings, corrected for chance.

    Parameters
    ----------
    labels_true, labels_pred : array_like of shape (n_samples,)
        Two partitions of the same samples (any labels; only the grouping matters).

    Returns
    -------
    float
        1 for identical partitions (up to renaming), about 0 for independent ones, possibly
        negative. Two empty (or single-cluster-each-identical) inputs give 1.

    Raises
    ------
    ValueError
        Mismatched lengths or non-1-D labels.

    Notes
    -----
    Over the ordered pairs of distinct samples let TP count pairs together in both
    partitions, TN apart in both, FP together only in ``labels_pred``, FN together only in
    ``labels_true``. From the contingency table :math:`n_{ij}` with row sums :math:`a_i` and
    column sums :math:`b_j`: :math:`TP = \sum n_{ij}^2 - n`, :math:`FN = \sum a_i^2 -
    \sum n_{ij}^2`, :math:`FP = \sum b_j^2 - \sum n_{ij}^2`,
    :math:`TN = n^2 - TP - FP - FN - n`, and

    .. math:: \mathrm{ARI} = \frac{2(TP\cdot TN - FN\cdot FP)}
       {(TP+FN)(FN+TN) + (TP+FP)(FP+TN)}.

    Counts are combined in exact integer arithmetic.

    References
    ----------
    .. [1] L. Hubert, P. Arabie, "Comparing partitions", *Journal of Classification* 2 (1985)
       193-218.

    Examples
    --------
    >>> adjusted_rand_score([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> round(adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]), 6)
    0.571429
    """
    t = column_or_1d(labels_true, "labels_true")
    p = column_or_1d(labels_pred, "labels_pred")
    check_consistent_length(labels_true=t, labels_pred=p)
    n = t.shape[0]
    if n == 0:
        return 1.0
    ct, tc = unique_inverse(t, "labels_true")
    cp, pc = unique_inverse(p, "labels_pred")
    table = np.bincount(tc * cp.size + pc, minlength=ct.size * cp.size).astype(np.int64)
    row = table.reshape(ct.size, cp.size).sum(axis=1)
    col = table.reshape(ct.size, cp.size).sum(axis=0)
    squares = int((table * table).sum())
    tp = squares - n
    fn = int((row * row).sum()) - squares
    fp = int((col * col).sum()) - squares
    tn = n * n - fp - fn - squares
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def _distance_rows(X, sq_norms, start, stop, metric):
    """Rows ``start:stop`` of the pairwise distance matrix (euclidean via one matmul)."""
    if metric == "precomputed":
        return X[start:stop]
    block = X[start:stop] @ X.T
    block *= -2
    block += sq_norms[start:stop, None]
    block += sq_norms[None, :]
    np.maximum(block, 0, out=block)
    np.sqrt(block, out=block)
    block[np.arange(stop - start), np.arange(start, stop)] = 0.0  # exact self-distances
    return block


@overflow_guard("silhouette_samples")
def silhouette_samples(
    X: ArrayLike, labels: ArrayLike, *, metric: Literal["euclidean", "precomputed"] = "euclidean"
) -> FloatArray:
    r"""Silhouette coefficient of every sample.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features), or (n_samples, n_samples) distances
        The data, or a precomputed distance matrix when ``metric="precomputed"``.
    labels : array_like of shape (n_samples,)
        Cluster of each sample; between 2 and n_samples - 1 distinct clusters.
    metric : {"euclidean", "precomputed"}

    Returns
    -------
    ndarray of shape (n_samples,)
        Values in [-1, 1]; 0 for samples alone in their cluster.

    Raises
    ------
    ValueError
        Mismatched lengths, non-finite data, a number of clusters outside
        [2, n_samples - 1], an unknown metric, a precomputed matrix that is not square or has
        a non-zero diagonal.

    Notes
    -----
    With :math:`a_i` the mean distance from sample :math:`i` to the other members of its
    cluster and :math:`b_i` the smallest mean distance to the members of another cluster,

    .. math:: s_i = \frac{b_i - a_i}{\max(a_i, b_i)}.

    Euclidean distances come from :math:`\|x-y\|^2 = \|x\|^2 + \|y\|^2 - 2x\cdot y`, one
    matrix product per chunk of rows (so memory stays bounded); per-cluster sums are a
    second product with the one-hot cluster matrix (or, for many clusters, segment sums over
    the columns sorted by cluster).

    References
    ----------
    .. [1] P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and
       validation of cluster analysis", *J. Comput. Appl. Math.* 20 (1987) 53-65.

    Examples
    --------
    >>> X = [[0.0], [1.0], [10.0], [11.0]]
    >>> silhouette_samples(X, [0, 0, 1, 1]).round(4).tolist()
    [0.9048, 0.8947, 0.8947, 0.9048]
    """
    if metric not in ("euclidean", "precomputed"):
        raise ValueError(f"metric must be 'euclidean' or 'precomputed', got {metric!r}")
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    y = column_or_1d(labels, "labels")
    check_consistent_length(X=X, labels=y)
    n = X.shape[0]
    if metric == "precomputed":
        if X.shape[0] != X.shape[1]:
            raise ValueError(f"A precomputed distance matrix must be square, got {X.shape}")
        if (np.abs(np.diag(X)) > 100 * np.finfo(np.float64).eps).any():
            raise ValueError(
                "The precomputed distance matrix contains non-zero elements on the diagonal. "
                "Use np.fill_diagonal(X, 0)."
            )
    classes, codes = unique_inverse(y, "labels")
    k = classes.size
    if not 1 < k < n:
        raise ValueError(
            f"Number of labels is {k}. Valid values are 2 to n_samples - 1 (inclusive)"
        )
    sizes = np.bincount(codes, minlength=k)
    use_product = k <= 32  # few clusters: a thin matrix product beats segment sums
    if use_product:  # per-cluster sums as one product with the one-hot matrix
        one_hot = np.zeros((n, k))
        one_hot[np.arange(n), codes] = 1.0
    else:  # segment sums over the columns sorted by cluster
        order = np.argsort(codes, kind="stable")
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sq_norms = np.einsum("ij,ij->i", X, X) if metric == "euclidean" else None
    rows = max(1, min(n, _CHUNK_BYTES // (8 * n)))
    intra = np.empty(n)
    inter = np.empty(n)
    for start in range(0, n, rows):  # chunks of rows, each one vectorized block
        stop = min(n, start + rows)
        D = _distance_rows(X, sq_norms, start, stop, metric)
        sums = D @ one_hot if use_product else np.add.reduceat(D[:, order], starts, axis=1)
        own = codes[start:stop]
        idx = np.arange(stop - start)
        intra[start:stop] = sums[idx, own]
        means = sums / sizes
        means[idx, own] = np.inf
        inter[start:stop] = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= sizes[codes] - 1
        s = (inter - intra) / np.maximum(intra, inter)
    return np.nan_to_num(s)


@overflow_guard("silhouette_score")
def silhouette_score(
    X: ArrayLike,
    labels: ArrayLike,
    *,
    metric: Literal["euclidean", "precomputed"] = "euclidean",
    sample_size: int | None = None,
    random_state: Seed | np.random.RandomState = None,
) -> float:
    r"""Mean silhouette coefficient over all samples (or a random subset).

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features), or (n_samples, n_samples) distances
        The data, or a precomputed distance matrix when ``metric="precomputed"``.
    labels : array_like of shape (n_samples,)
        Cluster of each sample.
    metric : {"euclidean", "precomputed"}
    sample_size : int, optional
        Score a random subset of this many samples (for large data).
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        Randomness of the subset. A legacy ``RandomState`` draws the subset as scikit-learn
        does (``permutation(n)[:sample_size]``); ints and Generators use m4ml's generator.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`silhouette_samples`, and a ``sample_size`` outside [1, n_samples].

    Notes
    -----
    .. math:: S = \frac1n \sum_i s_i

    with :math:`s_i` from :func:`silhouette_samples`. Near 1: compact, well separated
    clusters; near 0: overlapping; negative: samples closer to another cluster.

    References
    ----------
    .. [1] P. J. Rousseeuw, *J. Comput. Appl. Math.* 20 (1987) 53-65.

    Examples
    --------
    >>> round(silhouette_score([[0.0], [1.0], [10.0], [11.0]], [0, 0, 1, 1]), 6)
    0.899749
    """
    if sample_size is not None:
        X = np.asarray(X)
        y = column_or_1d(labels, "labels")
        check_consistent_length(X=X, labels=y)
        if isinstance(sample_size, bool) or not isinstance(sample_size, int | np.integer):
            raise TypeError(f"sample_size must be an int, got {type(sample_size).__name__}")
        if not 1 <= sample_size <= X.shape[0]:
            raise ValueError(f"sample_size must be in [1, {X.shape[0]}], got {sample_size}")
        if isinstance(random_state, np.random.RandomState):
            perm = random_state.permutation(X.shape[0])
        else:
            perm = check_rng(random_state).permutation(X.shape[0])
        idx = perm[:sample_size]
        X = X[idx][:, idx] if metric == "precomputed" else X[idx]
        labels = y[idx]
    return float(np.mean(silhouette_samples(X, labels, metric=metric)))
