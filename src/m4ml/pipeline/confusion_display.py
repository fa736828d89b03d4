"""The confusion-matrix display (scikit-learn's ``ConfusionMatrixDisplay`` shape)."""

from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.pipeline._display_base import predictions, resolve_axes

_NORMALIZE = (None, "true", "pred", "all")


def normalized(cm: np.ndarray, normalize: str | None) -> np.ndarray:
    """``cm`` as rates per true class (rows), per predicted class (columns) or overall."""
    if normalize not in _NORMALIZE:
        raise ValueError(f"normalize must be None, 'true', 'pred' or 'all', got {normalize!r}")
    if normalize is None:
        return cm
    cm = cm.astype(float)
    axis = {"true": 1, "pred": 0, "all": None}[normalize]
    totals = cm.sum(axis=axis, keepdims=axis is not None)
    return np.divide(cm, totals, out=np.zeros_like(cm), where=totals != 0)


class ConfusionMatrixDisplay:
    r"""A confusion matrix drawn as a heat map, each cell labelled with its count or rate.

    Build it from labels with :meth:`from_predictions`, from a fitted classifier with
    :meth:`from_estimator`, or from a matrix already computed (then call :meth:`plot`).

    Parameters
    ----------
    confusion_matrix : array-like of shape (n_classes, n_classes)
        Rows are true classes, columns predicted ones, as
        :func:`~m4ml.pipeline.metrics.confusion_matrix` returns.
    display_labels : sequence or None
        Tick labels for the classes; default ``0 .. n_classes - 1``.

    Attributes
    ----------
    im_ : matplotlib AxesImage
    text_ : ndarray of matplotlib Text, shape (n_classes, n_classes), or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Raises
    ------
    ValueError
        ``confusion_matrix`` empty or not square, not finite or negative; ``display_labels`` of the
        wrong length.
    TypeError
        ``confusion_matrix`` not numeric.

    Notes
    -----
    Cell :math:`(i, j)` shows :math:`C_{ij} = \#\{n : y_n = i,\ \hat y_n = j\}`; with
    ``normalize="true"`` the rates :math:`C_{ij} / \sum_k C_{ik}` (each row sums to 1, the
    recall of class :math:`i` on the diagonal), with ``"pred"`` :math:`C_{ij} / \sum_k C_{kj}`
    (the precision on the diagonal), with ``"all"`` :math:`C_{ij} / \sum_{kl} C_{kl}`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from m4ml.pipeline import ConfusionMatrixDisplay
    >>> disp = ConfusionMatrixDisplay.from_predictions(["cat", "dog", "dog"], ["cat", "cat", "dog"])
    >>> disp.confusion_matrix.tolist()
    [[1, 0], [1, 1]]
    >>> [t.get_text() for t in disp.ax_.get_xticklabels()]
    ['cat', 'dog']
    """

    def __init__(self, confusion_matrix: ArrayLike, *, display_labels: ArrayLike | None = None):
        cm = np.asarray(confusion_matrix)
        if cm.dtype.kind not in "biuf":
            raise TypeError(f"confusion_matrix must be numeric, got dtype {cm.dtype}")
        if cm.ndim != 2 or cm.shape[0] != cm.shape[1] or cm.size == 0:
            raise ValueError(
                f"confusion_matrix must be a non-empty square matrix, got shape {cm.shape}"
            )
        if not np.isfinite(cm).all() or (cm < 0).any():
            raise ValueError("confusion_matrix must hold finite, non-negative counts or rates")
        if display_labels is not None and len(display_labels) != cm.shape[0]:
            raise ValueError(
                f"display_labels has {len(display_labels)} entries for a "
                f"{cm.shape[0]}x{cm.shape[0]} confusion matrix"
            )
        self.confusion_matrix = cm
        self.display_labels = display_labels

    def plot(
        self,
        *,
        include_values: bool = True,
        cmap: Any = "Blues",
        xticks_rotation: Any = "horizontal",
        values_format: str | None = None,
        ax: Any = None,
        colorbar: bool = True,
    ) -> "ConfusionMatrixDisplay":
        """Draw the matrix on ``ax`` (else a new figure) and return the display.

        Parameters
        ----------
        include_values : bool
            Write each cell's value in it.
        cmap : str or matplotlib Colormap
        xticks_rotation : "horizontal", "vertical" or float (degrees)
        values_format : str or None
            Format spec of the cell text; default ``"d"`` for counts, ``".2f"`` for rates.
        ax : matplotlib Axes or None
        colorbar : bool

        Returns
        -------
        ConfusionMatrixDisplay
            ``self``, with ``im_``, ``text_``, ``ax_`` and ``figure_`` set.
        """
        ax = resolve_axes(ax)
        cm = self.confusion_matrix
        n = cm.shape[0]
        self.im_ = ax.imshow(cm, interpolation="nearest", cmap=cmap)
        self.text_ = None
        if include_values:
            if values_format is None:
                values_format = "d" if cm.dtype.kind in "biu" else ".2f"
            try:
                texts = [format(v, values_format) for v in cm.ravel()]
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"values_format={values_format!r} cannot format {cm.dtype} values: {exc}"
                ) from None
            low, high = self.im_.cmap(0.0), self.im_.cmap(1.0)
            middle = (cm.max() + cm.min()) / 2.0
            self.text_ = np.empty((n, n), dtype=object)
            for k, text in enumerate(texts):
                i, j = divmod(k, n)
                color = high if cm[i, j] < middle else low
                self.text_[i, j] = ax.text(j, i, text, ha="center", va="center", color=color)
        labels = range(n) if self.display_labels is None else self.display_labels
        ax.set_xticks(range(n), [str(lab) for lab in labels], rotation=xticks_rotation)
        ax.set_yticks(range(n), [str(lab) for lab in labels])
        ax.set_xlabel("Predicted label")
        ax.set_ylabel("True label")
        ax.set_ylim(n - 0.5, -0.5)
        if colorbar:
            ax.figure.colorbar(self.im_, ax=ax)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true: ArrayLike,
        y_pred: ArrayLike,
        *,
        labels: ArrayLike | None = None,
        sample_weight: ArrayLike | None = None,
        normalize: str | None = None,
        display_labels: ArrayLike | None = None,
        include_values: bool = True,
        xticks_rotation: Any = "horizontal",
        values_format: str | None = None,
        cmap: Any = "Blues",
        ax: Any = None,
        colorbar: bool = True,
    ) -> "ConfusionMatrixDisplay":
        """Count the confusion matrix of ``y_pred`` against ``y_true`` and draw it.

        Parameters
        ----------
        y_true, y_pred : array-like of shape (n_samples,)
        labels : array-like or None
            The classes, in display order; default the sorted labels in either array.
        sample_weight : array-like of shape (n_samples,) or None
        normalize : None, "true", "pred" or "all"
            See the Notes of the class.
        display_labels : sequence or None
            Tick labels; default ``labels``.
        include_values, xticks_rotation, values_format, cmap, ax, colorbar
            As in :meth:`plot`.

        Returns
        -------
        ConfusionMatrixDisplay

        Raises
        ------
        ValueError
            As :func:`~m4ml.pipeline.metrics.confusion_matrix` for the labels; an unknown
            ``normalize``.
        """
        from m4ml.pipeline.metrics import confusion_matrix
        from m4ml.pipeline.metrics._labels import unique_labels

        if normalize not in _NORMALIZE:
            raise ValueError(f"normalize must be None, 'true', 'pred' or 'all', got {normalize!r}")
        cm = confusion_matrix(
            y_true, y_pred, labels=labels, sample_weight=sample_weight, normalize=normalize
        )
        if display_labels is None:
            display_labels = (
                unique_labels(y_true, y_pred) if labels is None else np.asarray(labels)
            ).tolist()
        return cls(cm, display_labels=display_labels).plot(
            include_values=include_values,
            cmap=cmap,
            xticks_rotation=xticks_rotation,
            values_format=values_format,
            ax=ax,
            colorbar=colorbar,
        )

    @classmethod
    def from_estimator(
        cls, estimator: Any, X: ArrayLike, y: ArrayLike, **kwargs: Any
    ) -> "ConfusionMatrixDisplay":
        """Predict ``X`` with the fitted ``estimator`` and draw the confusion matrix against ``y``.

        Keyword arguments are those of :meth:`from_predictions`.

        Returns
        -------
        ConfusionMatrixDisplay

        Raises
        ------
        TypeError
            ``estimator`` has no ``predict``.
        """
        return cls.from_predictions(y, predictions(estimator, X), **kwargs)
