r"""``StandardScaler`` from merged moments, ``KMeans`` by Lloyd over chunks, ``Incremental``.

* :class:`StandardScaler` — the merged :class:`~m4ml.distributed.Moments` of the columns.
* :class:`KMeans` — Lloyd's iteration: each chunk returns, for the current centers, the
  per-cluster sums :math:`\sum_{i \in C_k} x_i` and counts :math:`|C_k|` (sums merge by
  addition), then :math:`c_k \leftarrow \frac{1}{|C_k|}\sum_{i\in C_k} x_i`.
* :class:`Incremental` — any estimator with ``partial_fit``, fed the row blocks in order.

Each fitted estimator keeps the in-memory m4ml estimator as ``estimator_``; ``transform`` /
``predict`` of Dask input map its method over the row blocks, lazily.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, clone

from m4ml.distributed._blocks import apply_rows, as_rows, check_block, is_dask, map_reduce
from m4ml.distributed.moments import moments
from m4ml.models import KMeans as _KMeans
from m4ml.pipeline import StandardScaler as _StandardScaler
from m4ml.pipeline._column_stats import handle_zeros_in_scale, is_constant_feature

__all__ = ["Incremental", "KMeans", "StandardScaler"]


class StandardScaler(TransformerMixin, BaseEstimator):
    r"""Standardize columns, :math:`z = (x - \bar x)/s`, fitted from merged chunk moments.

    Parameters
    ----------
    with_mean, with_std : bool, default=True

    Attributes
    ----------
    mean_, var_, scale_, n_samples_seen_, n_features_in_
        As :class:`m4ml.pipeline.StandardScaler` (``var_`` with ddof 0).
    estimator_ : m4ml.pipeline.StandardScaler

    Raises
    ------
    ValueError
        NaN or infinity in a chunk (unlike the in-memory scaler, which ignores NaN).

    Notes
    -----
    :math:`s_j = \sqrt{M_{2,j}/n}` from the Chan–Golub–LeVeque merge; constant columns get
    :math:`s_j = 1`, as in memory.

    Examples
    --------
    >>> StandardScaler().fit(np.array([[0.0], [2.0]])).scale_.tolist()
    [1.0]
    """

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        """Merge the column moments of every chunk; returns ``self``."""
        m = moments(X, name="X")
        if m.n == 0:
            raise ValueError("X holds no observations")
        n = np.full(m.mean.shape, float(m.n))
        var = m.m2 / m.n
        est = _StandardScaler(with_mean=self.with_mean, with_std=self.with_std)
        est.n_samples_seen_, est.n_features_in_ = m.n, m.mean.size
        est._mean, est._m2, est._integral_count = m.mean, m.m2, True
        est.mean_ = m.mean if (self.with_mean or self.with_std) else None
        est.var_ = var if self.with_std else None
        est.scale_ = (
            handle_zeros_in_scale(np.sqrt(var), is_constant_feature(var, m.mean, n))
            if self.with_std
            else None
        )
        self.estimator_ = est
        for name in ("mean_", "var_", "scale_", "n_samples_seen_", "n_features_in_"):
            setattr(self, name, getattr(est, name))
        return self

    def transform(self, X):
        """Standardized ``X``: lazy Dask for Dask input, else NumPy."""
        return apply_rows(self.estimator_.transform, X, self.n_features_in_)

    def inverse_transform(self, X):
        """Back to the original units, :math:`x = z s + \\bar x`."""
        return apply_rows(self.estimator_.inverse_transform, X, self.n_features_in_)


def _assign(block, centers):
    """Nearest center per row, by :math:`\\|c\\|^2 - 2x^\\top c` (:math:`\\|x\\|^2` is common)."""
    d2 = (centers**2).sum(axis=1) - 2.0 * block @ centers.T
    return np.argmin(d2, axis=1)


def _lloyd_chunk(block, centers, previous):
    """Counts, sums and squared distances of one chunk's rows under ``centers``."""
    b = check_block(block, "X")
    K = centers.shape[0]
    labels = _assign(b, centers)
    counts = np.bincount(labels, minlength=K).astype(np.float64)
    sums = np.zeros_like(centers)
    np.add.at(sums, labels, b)
    inertia = float(((b - centers[labels]) ** 2).sum())
    changed = 0 if previous is None else int((_assign(b, previous) != labels).sum())
    return counts, sums, inertia, changed


def _add(a, b):
    return tuple(u + v for u, v in zip(a, b))


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    r"""k-means by Lloyd's iteration over chunks, from given initial centers.

    Parameters
    ----------
    n_clusters : int
    init : array_like (n_clusters, n_features)
        The initial centers (required: k-means++ over chunks is not implemented here).
    max_iter : int, default=300
    tol : float, default=1e-4
        Stop when :math:`\sum_k\|c_k^{new} - c_k\|^2 \le \text{tol}\cdot\overline{\sigma_j^2}`
        or no label changed (the in-memory rules).

    Attributes
    ----------
    cluster_centers_, inertia_, n_iter_, n_features_in_
    estimator_ : m4ml.models.KMeans

    Raises
    ------
    ValueError
        ``init`` of the wrong shape; NaN/inf in a chunk; a cluster that becomes empty (the
        in-memory estimator relocates it to a far point, which needs a global search).

    Notes
    -----
    One pass per iteration; a chunk returns the counts :math:`n_k`, sums :math:`S_k` and its
    inertia, which add across chunks; :math:`c_k = S_k / n_k`. Data are centred by the merged
    mean first, as in memory. Each chunk also assigns under the previous centers to count
    label changes (twice the distance work, no stored labels).

    Examples
    --------
    >>> X = np.array([[0.0], [0.5], [9.0], [10.0]])
    >>> KMeans(2, init=[[0.0], [1.0]]).fit(X).cluster_centers_.ravel().tolist()
    [0.25, 9.5]
    """

    def __init__(self, n_clusters=8, *, init=None, max_iter=300, tol=1e-4):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y=None):
        """Lloyd's iteration, one pass over the chunks per step; returns ``self``."""
        Xr = as_rows(X, "X")
        if self.init is None:
            raise ValueError("init must be an array of initial centers")
        centers0 = np.asarray(self.init, dtype=np.float64)
        if centers0.shape != (self.n_clusters, Xr.shape[1]):
            raise ValueError(
                f"init must have shape {(self.n_clusters, Xr.shape[1])}, got {centers0.shape}"
            )
        m = moments(Xr, name="X")
        tol = float((m.m2 / m.n).mean() * self.tol)
        Xc = Xr - m.mean
        centers, previous = centers0 - m.mean, None
        for it in range(1, self.max_iter + 1):
            counts, sums, _, changed = map_reduce(
                lambda b, c=centers, p=previous: _lloyd_chunk(b, c, p), _add, Xc
            )
            if np.any(counts == 0):
                raise ValueError(f"cluster {int(np.argmin(counts))} became empty at iteration {it}")
            new = sums / counts[:, None]
            shift = float(((new - centers) ** 2).sum())
            previous, centers = centers, new
            if (it > 1 and changed == 0) or shift <= tol:
                break
        _, _, inertia, _ = map_reduce(lambda b, c=centers: _lloyd_chunk(b, c, None), _add, Xc)
        est = _KMeans(self.n_clusters, init=centers0, n_init=1)
        est.cluster_centers_ = centers + m.mean
        est.n_features_in_, est._n_features_out = Xr.shape[1], self.n_clusters
        est.inertia_, est.n_iter_ = inertia, it
        self.estimator_ = est
        self.cluster_centers_, self.inertia_, self.n_iter_ = est.cluster_centers_, inertia, it
        self.n_features_in_ = Xr.shape[1]
        return self

    def predict(self, X):
        """Index of the nearest center per row: lazy Dask for Dask input."""
        return apply_rows(self.estimator_.predict, X, dtype=np.intp)

    def transform(self, X):
        """Distances to every center: lazy Dask for Dask input."""
        return apply_rows(self.estimator_.transform, X, self.n_clusters)


class Incremental(BaseEstimator):
    """Fit any estimator with ``partial_fit`` by feeding it the row blocks in order.

    Parameters
    ----------
    estimator : estimator with ``partial_fit``
        Cloned at ``fit``; the fitted copy is ``estimator_``.

    Attributes
    ----------
    estimator_ : estimator
        Equal to calling ``partial_fit`` on the same blocks in memory.

    Raises
    ------
    TypeError
        ``estimator`` has no ``partial_fit``.

    Notes
    -----
    Sequential by nature: block :math:`i+1` updates the state left by block :math:`i`; only
    one block is in memory at a time (each is computed when its turn comes). Empty blocks
    are skipped. ``**fit_params`` (e.g. ``classes=``) go to every ``partial_fit`` call.

    Examples
    --------
    >>> from m4ml.pipeline import StandardScaler as Scaler
    >>> Incremental(Scaler()).fit(np.array([[0.0], [2.0]])).estimator_.mean_.tolist()
    [1.0]
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def _blocks(self, X, y):
        Xr = X.to_dask_array(lengths=True) if hasattr(X, "to_dask_array") else X
        if not is_dask(Xr):
            yield np.asarray(Xr), None if y is None else np.asarray(y)
            return
        import dask.array as da

        if Xr.ndim == 2 and len(Xr.chunks[1]) > 1:
            Xr = Xr.rechunk({1: -1})
        rows = Xr.chunks[0]
        offsets = np.concatenate([[0], np.cumsum(rows)]).astype(int)
        yd = None if y is None else da.asarray(y).rechunk({0: rows})
        for i in range(len(rows)):
            if rows[i] == 0:
                continue
            xb = Xr[offsets[i] : offsets[i + 1]]
            if yd is None:
                yield xb.compute(), None
            else:
                yield da.compute(xb, yd[offsets[i] : offsets[i + 1]])

    def fit(self, X, y=None, **fit_params):
        """``partial_fit`` on every block in order; returns ``self``."""
        if not hasattr(self.estimator, "partial_fit"):
            raise TypeError(f"estimator must have partial_fit, got {type(self.estimator).__name__}")
        est = clone(self.estimator)
        for xb, yb in self._blocks(X, y):
            if yb is None:
                est.partial_fit(xb, **fit_params)
            else:
                est.partial_fit(xb, yb, **fit_params)
        self.estimator_ = est
        return self

    def predict(self, X):
        """``estimator_.predict`` over the blocks (lazy for Dask input)."""
        classes = getattr(self.estimator_, "classes_", None)
        dtype = np.float64 if classes is None else classes.dtype
        return apply_rows(self.estimator_.predict, X, dtype=dtype)

    def transform(self, X):
        """``estimator_.transform`` over the blocks (lazy for Dask input)."""
        n_out = np.asarray(self.estimator_.transform(np.asarray(X[:1]))).shape[1]
        return apply_rows(self.estimator_.transform, X, n_out)
