r"""Estimators fitted from merged sufficient statistics, Lloyd over chunks, and ``Incremental``.

* :class:`StandardScaler` — the merged :class:`~m4ml.distributed.Moments` of the columns.
* :class:`GaussianNB` — one :class:`~m4ml.distributed.Moments` per class, merged per class:
  the class counts, means and sums of squared deviations are all Gaussian naive Bayes needs.
* :class:`KMeans` — Lloyd's iteration: each chunk returns, for the current centers, the
  per-cluster sums :math:`\sum_{i \in C_k} x_i` and counts :math:`|C_k|` (sums merge by
  addition), then :math:`c_k \leftarrow \frac{1}{|C_k|}\sum_{i\in C_k} x_i`.
* :class:`Incremental` — any estimator with ``partial_fit``, fed the row blocks in order.

Each fitted estimator keeps the in-memory m4ml estimator as ``estimator_``; ``transform`` /
``predict`` of Dask input map its method over the row blocks, lazily.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, ClusterMixin, TransformerMixin, clone

from m4ml.distributed._blocks import apply_rows, as_rows, check_block, is_dask, map_reduce
from m4ml.distributed.moments import chunk_moments, merge_moments, moments
from m4ml.models import GaussianNB as _GaussianNB
from m4ml.models import KMeans as _KMeans
from m4ml.models import MultinomialNB as _MultinomialNB
from m4ml.pipeline import StandardScaler as _StandardScaler
from m4ml.pipeline._column_stats import handle_zeros_in_scale, is_constant_feature

__all__ = ["GaussianNB", "Incremental", "KMeans", "MultinomialNB", "StandardScaler"]


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


def _labels(y):
    if hasattr(y, "to_dask_array"):
        y = y.to_dask_array(lengths=True)
    if is_dask(y):
        import dask.array as da

        return np.asarray(da.unique(y).compute())
    return np.unique(np.asarray(y))


class GaussianNB(ClassifierMixin, BaseEstimator):
    r"""Gaussian naive Bayes from per-class moments merged over chunks.

    Parameters
    ----------
    var_smoothing : float, default=1e-9
        Added variance :math:`\epsilon = \text{var\_smoothing}\cdot\max_j \hat\sigma_j^2`.

    Attributes
    ----------
    classes_, class_count_, class_prior_, theta_, var_, epsilon_
        As :class:`m4ml.models.GaussianNB` (empirical priors).
    estimator_ : m4ml.models.GaussianNB

    Raises
    ------
    ValueError
        NaN/inf in a chunk, fewer than two classes, or mismatched lengths.

    Notes
    -----
    A chunk returns, for every class :math:`k`, the :class:`Moments` of its rows of class
    :math:`k`, plus those of all its rows; merging per class gives :math:`n_k`,
    :math:`\theta_k = \bar x_k` and :math:`\sigma_k^2 = M_{2,k}/n_k + \epsilon`.

    Examples
    --------
    >>> X = np.array([[0.0], [0.2], [3.0], [3.4]])
    >>> GaussianNB().fit(X, [0, 0, 1, 1]).theta_.ravel().round(6).tolist()
    [0.1, 3.2]
    """

    def __init__(self, *, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        """Merge per-class moments over the chunks of ``X`` and ``y``; returns ``self``."""
        classes = _labels(y)
        if classes.size < 2:
            raise ValueError(f"GaussianNB needs at least 2 classes in y, got {classes.size}")
        Xr = as_rows(X, "X")
        yr = y.to_dask_array(lengths=True) if hasattr(y, "to_dask_array") else y
        yr = yr[:, None] if is_dask(yr) else np.asarray(yr).reshape(-1, 1)
        if yr.shape[0] != Xr.shape[0]:
            raise ValueError(
                f"X and y must have the same number of rows, got {Xr.shape[0]} and {yr.shape[0]}"
            )

        def chunk(xb, yb):
            xb = check_block(xb, "X")
            yb = np.asarray(yb).ravel()
            per_class = [chunk_moments(xb[yb == c]) for c in classes]
            return [chunk_moments(xb), *per_class]

        def merge(a, b):
            return [merge_moments(u, v) for u, v in zip(a, b)]

        parts = map_reduce(chunk, merge, Xr, yr)
        every, per = parts[0], parts[1:]
        est = _GaussianNB(var_smoothing=self.var_smoothing)
        est.classes_, est.n_features_in_, est._priors = classes, every.mean.size, None
        est.class_count_ = np.array([float(m.n) for m in per])
        est.theta_ = np.array([m.mean for m in per])
        est.epsilon_ = float(self.var_smoothing * (every.m2 / every.n).max())
        est.var_ = np.array([m.m2 / max(m.n, 1) for m in per]) + est.epsilon_
        est.class_prior_ = est.class_count_ / est.class_count_.sum()
        self.estimator_ = est
        for name in ("classes_", "class_count_", "class_prior_", "theta_", "var_", "epsilon_"):
            setattr(self, name, getattr(est, name))
        self.n_features_in_ = est.n_features_in_
        return self

    def predict(self, X):
        """Most probable class per row: lazy Dask for Dask input."""
        return apply_rows(self.estimator_.predict, X, dtype=self.classes_.dtype)

    def predict_proba(self, X):
        """Posterior class probabilities per row: lazy Dask for Dask input."""
        return apply_rows(self.estimator_.predict_proba, X, self.classes_.size)


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


class MultinomialNB(ClassifierMixin, BaseEstimator):
    r"""Multinomial naive Bayes from class and feature counts added over chunks.

    Parameters
    ----------
    alpha : float, default=1.0
        Additive (Laplace/Lidstone) smoothing.

    Attributes
    ----------
    classes_, class_count_, feature_count_, class_log_prior_, feature_log_prob_
        As :class:`m4ml.models.MultinomialNB`.
    estimator_ : m4ml.models.MultinomialNB

    Raises
    ------
    ValueError
        Fewer than 2 classes, negative counts, NaN/inf in a chunk, bad ``alpha``.

    Notes
    -----
    The sufficient statistics are sums: :math:`N_k = |\{i: y_i = k\}|` and
    :math:`N_{kj} = \sum_{i: y_i = k} x_{ij}`; a chunk returns its :math:`(N_k, N_{kj})` and
    chunks add. Then :math:`\log\hat\theta_{kj} = \log(N_{kj} + \alpha) -
    \log\sum_j (N_{kj} + \alpha)`, computed by the in-memory estimator.

    Examples
    --------
    >>> X = np.array([[2.0, 0.0], [3.0, 1.0], [0.0, 4.0]])
    >>> MultinomialNB().fit(X, [0, 0, 1]).feature_count_.tolist()
    [[5.0, 1.0], [0.0, 4.0]]
    """

    def __init__(self, *, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        """Add the class and feature counts of every chunk; returns ``self``."""
        classes = _labels(y)
        if classes.size < 2:
            raise ValueError(f"MultinomialNB needs at least 2 classes in y, got {classes.size}")
        Xr = as_rows(X, "X")
        yr = y.to_dask_array(lengths=True) if hasattr(y, "to_dask_array") else y
        yr = yr[:, None] if is_dask(yr) else np.asarray(yr).reshape(-1, 1)
        if yr.shape[0] != Xr.shape[0]:
            raise ValueError(
                f"X and y must have the same number of rows, got {Xr.shape[0]} and {yr.shape[0]}"
            )

        def chunk(xb, yb):
            xb = check_block(xb, "X")
            if (xb < 0).any():
                raise ValueError("MultinomialNB needs non-negative counts in X")
            Y = (np.asarray(yb).reshape(-1, 1) == classes[None, :]).astype(np.float64)
            return Y.sum(axis=0), Y.T @ xb

        class_count, feature_count = map_reduce(chunk, _add, Xr, yr)
        est = _MultinomialNB(alpha=self.alpha)
        est.classes_, est.n_features_in_ = classes, Xr.shape[1]
        est.class_count_, est.feature_count_ = class_count, feature_count
        est._update_feature_log_prob(est._alpha())
        est._update_class_log_prior()
        self.estimator_ = est
        for name in ("classes_", "class_count_", "feature_count_", "n_features_in_"):
            setattr(self, name, getattr(est, name))
        self.class_log_prior_, self.feature_log_prob_ = est.class_log_prior_, est.feature_log_prob_
        return self

    def predict(self, X):
        """Most probable class per row: lazy Dask for Dask input."""
        return apply_rows(self.estimator_.predict, X, dtype=self.classes_.dtype)

    def predict_proba(self, X):
        """Posterior class probabilities per row: lazy Dask for Dask input."""
        return apply_rows(self.estimator_.predict_proba, X, self.classes_.size)
