"""Decision-boundary plots for classifiers on two-dimensional data (matplotlib, imported lazily)."""

from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike, Estimator
from m4ml._core.validation import as_float_array, as_label_array

__all__ = ["plot_decision_boundary"]


def plot_decision_boundary(
    estimator: Estimator,
    X: ArrayLike,
    y: ArrayLike | None = None,
    *,
    ax: Any = None,
    resolution: int = 200,
    margin: float = 0.5,
    levels: tuple[float, ...] = (-1.0, 0.0, 1.0),
    support_vectors: bool = True,
) -> Any:
    """Draw a fitted classifier's regions, its decision function's level sets and the data.

    Parameters
    ----------
    estimator : fitted classifier
        Anything with ``predict``; with ``decision_function`` (two classes) the contours
        ``levels`` are drawn too — for an SVM, 0 is the boundary and +-1 the margins.
    X : array_like of shape (n_samples, 2)
    y : array_like of shape (n_samples,), optional
        Colours of the points.
    ax : matplotlib Axes, optional
    resolution : int
        Grid points per axis.
    margin : float
        Padding around the data's bounding box.
    levels : tuple of float
    support_vectors : bool
        Circle ``estimator.support_vectors_`` when the estimator has them.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError
        If ``X`` does not have exactly two columns.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from m4ml.models import SVC
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> ax = plot_decision_boundary(SVC(kernel="linear").fit(X, [0, 0, 1, 1]), X, [0, 0, 1, 1])
    >>> bool(ax.get_xlim()[0] < 0)
    True
    """
    import matplotlib.pyplot as plt

    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    if X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"plot_decision_boundary needs 2-D data, got X of shape {X.shape}")
    if y is not None:
        y = as_label_array(y, "y")
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y has {y.shape[0]} labels for {X.shape[0]} rows of X")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(
        np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    )
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    pred = estimator.predict(grid)
    classes = np.unique(pred if y is None else np.concatenate([np.asarray(y), pred]))
    codes = np.searchsorted(classes, pred).reshape(gx.shape)
    ax.contourf(
        gx, gy, codes, levels=np.arange(classes.size + 1) - 0.5, cmap="coolwarm", alpha=0.25
    )
    if hasattr(estimator, "decision_function") and classes.size == 2:
        f = np.asarray(estimator.decision_function(grid)).reshape(gx.shape)
        styles = ["--" if lv else "-" for lv in levels]
        ax.contour(gx, gy, f, levels=sorted(levels), colors="k", linestyles=styles, linewidths=1)
    if y is not None:
        ax.scatter(
            X[:, 0],
            X[:, 1],
            c=np.searchsorted(classes, y),
            cmap="coolwarm",
            s=14,
            edgecolors="k",
            linewidths=0.3,
        )
    else:
        ax.scatter(X[:, 0], X[:, 1], s=14, c="k")
    sv = getattr(estimator, "support_vectors_", None)
    if support_vectors and sv is not None and np.ndim(sv) == 2 and sv.shape[1:] == (2,):
        ax.scatter(sv[:, 0], sv[:, 1], s=60, facecolors="none", edgecolors="k", linewidths=0.8)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    return ax
