"""Synthetic data with a known structure: moons, circles, blobs, classification, regression.

The shapes and argument names follow :mod:`sklearn.datasets` so users feel at home; the streams
come from :func:`numpy.random.default_rng`, so the numbers differ from scikit-learn's for the
same seed (the geometry is the same).
"""

import numbers

import numpy as np

from m4ml._core import check_positive_int, check_rng
from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed

__all__ = ["make_blobs", "make_circles", "make_classification", "make_moons", "make_regression"]


def _noise(value, name="noise"):
    if value is None:
        return 0.0
    if not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def _finish(X, y, shuffle, rng):
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return X, y


def make_moons(
    n_samples: int = 100,
    *,
    shuffle: bool = True,
    noise: float | None = None,
    random_state: Seed = None,
) -> tuple[FloatArray, NDArray[np.int_]]:
    """Two interleaving half circles: a 2-D binary problem no straight line separates.

    Parameters
    ----------
    n_samples : int, default 100
        Total points; the outer moon gets ``n_samples // 2``, the inner the rest.
    shuffle : bool, default True
        Shuffle the rows.
    noise : float or None
        Standard deviation of Gaussian noise added to every coordinate.
    random_state : None, int or numpy.random.Generator
        Seed for the noise and the shuffle.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), int
        0 for the outer moon, 1 for the inner.

    Raises
    ------
    ValueError
        For ``n_samples < 2`` or a negative ``noise``.

    Notes
    -----
    Outer moon :math:`(\\cos t, \\sin t)`, inner :math:`(1 - \\cos t, \\tfrac12 - \\sin t)`, with
    :math:`t` evenly spaced on :math:`[0, \\pi]`.

    Examples
    --------
    >>> from m4ml.datasets import make_moons
    >>> X, y = make_moons(6, shuffle=False)
    >>> X[:3].round(3).tolist(), y.tolist()
    ([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]], [0, 0, 0, 1, 1, 1])
    """
    n = check_positive_int(n_samples, "n_samples", minimum=2)
    noise, rng = _noise(noise), check_rng(random_state)
    n_out = n // 2
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n - n_out)
    X = np.vstack(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)]),
        ]
    )
    y = np.repeat([0, 1], [n_out, n - n_out])
    if noise:
        X = X + noise * rng.standard_normal(X.shape)
    return _finish(X, y, shuffle, rng)


def make_circles(
    n_samples: int = 100,
    *,
    shuffle: bool = True,
    noise: float | None = None,
    random_state: Seed = None,
    factor: float = 0.8,
) -> tuple[FloatArray, NDArray[np.int_]]:
    """A circle inside a circle: a 2-D binary problem a radial feature separates.

    Parameters
    ----------
    n_samples : int, default 100
        Total points; the outer circle gets ``n_samples // 2``.
    shuffle : bool, default True
        Shuffle the rows.
    noise : float or None
        Standard deviation of Gaussian noise added to every coordinate.
    random_state : None, int or numpy.random.Generator
        Seed for the noise and the shuffle.
    factor : float, default 0.8
        Radius of the inner circle (the outer has radius 1), in ``[0, 1)``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), int
        0 for the outer circle, 1 for the inner.

    Raises
    ------
    ValueError
        For ``n_samples < 2``, a negative ``noise`` or ``factor`` outside ``[0, 1)``.

    Notes
    -----
    Points :math:`r(\\cos t, \\sin t)` with :math:`t = 2\\pi k / m`, :math:`r = 1` (outer) or
    ``factor`` (inner).

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.datasets import make_circles
    >>> X, y = make_circles(8, factor=0.5, random_state=0)
    >>> sorted(set(np.hypot(X[:, 0], X[:, 1]).round(6).tolist()))
    [0.5, 1.0]
    """
    n = check_positive_int(n_samples, "n_samples", minimum=2)
    noise, rng = _noise(noise), check_rng(random_state)
    if not isinstance(factor, numbers.Real) or not 0 <= factor < 1:
        raise ValueError(f"factor must be in [0, 1), got {factor!r}")
    n_out = n // 2
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n - n_out, endpoint=False)
    X = np.vstack(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
        ]
    )
    y = np.repeat([0, 1], [n_out, n - n_out])
    if noise:
        X = X + noise * rng.standard_normal(X.shape)
    return _finish(X, y, shuffle, rng)


def make_blobs(
    n_samples: int = 100,
    n_features: int = 2,
    *,
    centers: int | ArrayLike | None = None,
    cluster_std: float | ArrayLike = 1.0,
    center_box: tuple[float, float] = (-10.0, 10.0),
    shuffle: bool = True,
    random_state: Seed = None,
    return_centers: bool = False,
) -> tuple[FloatArray, NDArray[np.int_]] | tuple[FloatArray, NDArray[np.int_], FloatArray]:
    """Isotropic Gaussian clusters: the data k-means and Gaussian mixtures are built for.

    Parameters
    ----------
    n_samples : int, default 100
        Total points, shared as evenly as possible among the clusters.
    n_features : int, default 2
        Dimension (ignored when ``centers`` is an array).
    centers : int, array-like of shape (k, n_features) or None
        Number of clusters (default 3, centers drawn uniformly in ``center_box``) or the
        centers themselves.
    cluster_std : float or array-like of shape (k,), default 1.0
        Standard deviation of each cluster.
    center_box : (float, float)
        Bounds of the random centers.
    shuffle : bool, default True
        Shuffle the rows.
    random_state : None, int or numpy.random.Generator
        Seed.
    return_centers : bool, default False
        Also return the centers.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), int
        The cluster of each point.
    centers : ndarray of shape (k, n_features)
        Only with ``return_centers=True``.

    Raises
    ------
    ValueError
        For non-positive sizes, a negative standard deviation or mismatched shapes.

    Notes
    -----
    Cluster :math:`j` is :math:`\\mathcal N(\\mu_j, \\sigma_j^2 I)`.

    Examples
    --------
    >>> from m4ml.datasets import make_blobs
    >>> X, y, c = make_blobs(300, centers=[[0, 0], [10, 10]], cluster_std=0.5,
    ...                      random_state=0, return_centers=True)
    >>> X[y == 1].mean(axis=0).round(0).tolist()
    [10.0, 10.0]
    """
    n = check_positive_int(n_samples, "n_samples")
    rng = check_rng(random_state)
    if centers is None or isinstance(centers, numbers.Integral):
        k = 3 if centers is None else check_positive_int(centers, "centers")
        d = check_positive_int(n_features, "n_features")
        lo, hi = center_box
        centers = rng.uniform(lo, hi, size=(k, d))
    else:
        centers = np.asarray(centers, dtype=float)
        if centers.ndim != 2 or not np.isfinite(centers).all():
            raise ValueError("centers must be a finite 2-D array of shape (k, n_features)")
        k, d = centers.shape
    std = np.broadcast_to(np.asarray(cluster_std, dtype=float), (k,))
    if not np.isfinite(std).all() or (std < 0).any():
        raise ValueError(f"cluster_std must be finite and >= 0, got {cluster_std!r}")
    counts = np.full(k, n // k) + (np.arange(k) < n % k)
    y = np.repeat(np.arange(k), counts)
    X = centers[y] + std[y, None] * rng.standard_normal((n, d))
    X, y = _finish(X, y, shuffle, rng)
    return (X, y, centers) if return_centers else (X, y)


def make_classification(
    n_samples: int = 100,
    n_features: int = 20,
    *,
    n_informative: int = 2,
    n_redundant: int = 2,
    n_classes: int = 2,
    n_clusters_per_class: int = 2,
    class_sep: float = 1.0,
    flip_y: float = 0.01,
    shuffle: bool = True,
    random_state: Seed = None,
) -> tuple[FloatArray, NDArray[np.int_]]:
    """A classification problem with informative, redundant and noise features.

    Each class is a union of Gaussian clusters centred on vertices of a hypercube of side
    ``2 * class_sep`` in the informative subspace; redundant features are random linear
    combinations of the informative ones; the rest is noise. A fraction ``flip_y`` of labels is
    reassigned at random, so the Bayes error is not zero.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``.
    n_informative, n_redundant : int
        Informative and redundant feature counts (their sum at most ``n_features``).
    n_classes, n_clusters_per_class : int
        ``n_classes * n_clusters_per_class`` must be at most ``2 ** n_informative``.
    class_sep : float
        Half the distance between neighbouring cluster centres.
    flip_y : float
        Fraction of labels drawn again at random.
    shuffle : bool
        Shuffle the rows.
    random_state : None, int or numpy.random.Generator
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,), int

    Raises
    ------
    ValueError
        For inconsistent counts.

    Notes
    -----
    Informative block :math:`Z = \\mathrm{vertex}(y) + \\varepsilon`, :math:`\\varepsilon \\sim
    \\mathcal N(0, I)`; redundant block :math:`Z B` with :math:`B_{ij} \\sim U(-1, 1)`.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.datasets import make_classification
    >>> X, y = make_classification(200, 5, n_informative=3, n_redundant=1, n_classes=3,
    ...                            n_clusters_per_class=1, random_state=0)
    >>> X.shape, np.bincount(y).sum()
    ((200, 5), np.int64(200))
    """
    n = check_positive_int(n_samples, "n_samples")
    p = check_positive_int(n_features, "n_features")
    inf = check_positive_int(n_informative, "n_informative")
    red = check_positive_int(n_redundant, "n_redundant", minimum=0)
    k = check_positive_int(n_classes, "n_classes", minimum=2)
    per = check_positive_int(n_clusters_per_class, "n_clusters_per_class")
    if inf + red > p:
        raise ValueError(f"n_informative + n_redundant ({inf + red}) must be <= n_features ({p})")
    if k * per > 2**inf:
        raise ValueError(
            f"n_classes * n_clusters_per_class ({k * per}) must be <= 2**n_informative "
            f"({2**inf}); raise n_informative"
        )
    flip_y = _noise(flip_y, "flip_y")
    rng = check_rng(random_state)
    n_clusters = k * per
    vertex_ids = rng.choice(2**inf, size=n_clusters, replace=False)
    bits = (vertex_ids[:, None] >> np.arange(inf)) & 1
    vertices = (2.0 * bits - 1.0) * class_sep
    counts = np.full(n_clusters, n // n_clusters) + (np.arange(n_clusters) < n % n_clusters)
    cluster = np.repeat(np.arange(n_clusters), counts)
    y = cluster % k
    Z = vertices[cluster] + rng.standard_normal((n, inf))
    parts = [Z]
    if red:
        parts.append(Z @ rng.uniform(-1, 1, size=(inf, red)))
    parts.append(rng.standard_normal((n, p - inf - red)))
    X = np.hstack(parts)
    flip = rng.random(n) < flip_y
    y[flip] = rng.integers(0, k, size=int(flip.sum()))
    return _finish(X, y, shuffle, rng)


def make_regression(
    n_samples: int = 100,
    n_features: int = 100,
    *,
    n_informative: int = 10,
    bias: float = 0.0,
    noise: float = 0.0,
    shuffle: bool = True,
    coef: bool = False,
    random_state: Seed = None,
) -> tuple[FloatArray, FloatArray] | tuple[FloatArray, FloatArray, FloatArray]:
    """A linear regression problem with a known coefficient vector.

    Parameters
    ----------
    n_samples, n_features : int
        Shape of ``X``.
    n_informative : int
        Number of features with a non-zero coefficient (at most ``n_features``).
    bias : float
        Intercept.
    noise : float
        Standard deviation of the Gaussian noise added to ``y``.
    shuffle : bool
        Shuffle the rows.
    coef : bool
        Also return the true coefficients.
    random_state : None, int or numpy.random.Generator
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    w : ndarray of shape (n_features,)
        Only with ``coef=True``.

    Raises
    ------
    ValueError
        For non-positive sizes or a negative ``noise``.

    Notes
    -----
    :math:`X_{ij} \\sim \\mathcal N(0, 1)`, :math:`w_j \\sim 100\\, U(0, 1)` on the informative
    features (0 elsewhere), :math:`y = X w + b + \\sigma \\varepsilon`.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.datasets import make_regression
    >>> X, y, w = make_regression(50, 4, n_informative=2, bias=3.0, coef=True, random_state=0)
    >>> bool(np.allclose(X @ w + 3.0, y)), int((w != 0).sum())
    (True, 2)
    """
    n = check_positive_int(n_samples, "n_samples")
    p = check_positive_int(n_features, "n_features")
    inf = check_positive_int(n_informative, "n_informative", minimum=0)
    if inf > p:
        raise ValueError(f"n_informative ({inf}) must be <= n_features ({p})")
    noise, rng = _noise(noise), check_rng(random_state)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[rng.permutation(p)[:inf]] = 100.0 * rng.random(inf)
    y = X @ w + float(bias)
    if noise:
        y = y + noise * rng.standard_normal(n)
    X, y = _finish(X, y, shuffle, rng)
    return (X, y, w) if coef else (X, y)
