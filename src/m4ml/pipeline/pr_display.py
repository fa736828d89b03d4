"""The precision–recall curve display (scikit-learn's ``PrecisionRecallDisplay`` shape).

The legend names the curve, ``"<name> (AP = 0.951)"``, where the name defaults to the
estimator's class name (``from_estimator``) or ``"Classifier"`` (``from_predictions``).
"""

from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.pipeline._display_base import (
    DEFAULT_NAME,
    axis_suffix,
    binary_scores,
    check_name,
    curve_array,
    estimator_name,
    finish_curve,
    plot_kwargs,
    resolve_axes,
)


class PrecisionRecallDisplay:
    r"""The precision–recall curve, with the average precision in the legend.

    Parameters
    ----------
    precision, recall : array-like of shape (n_thresholds + 1,)
        As :func:`~m4ml.pipeline.metrics.precision_recall_curve` returns.
    average_precision : float or None
        Shown in the legend when given.
    name : str or None
        The legend's label; default ``"Classifier"``.
    pos_label : label or None
        The positive class, shown in the axis labels.
    prevalence_pos_label : float or None
        The share of positives: the precision of a random ranking (the chance level).

    Attributes
    ----------
    line_ : matplotlib Line2D
    chance_level_ : matplotlib Line2D or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Raises
    ------
    ValueError
        ``precision`` and ``recall`` of different lengths, empty or not finite.

    Notes
    -----
    The curve is drawn as a step function (each recall level keeps the precision reached
    there), and the average precision is the area under those steps,
    :math:`\mathrm{AP} = \sum_n (R_n - R_{n-1}) P_n` — no linear interpolation, which would
    be optimistic.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from m4ml.pipeline import PrecisionRecallDisplay
    >>> disp = PrecisionRecallDisplay.from_predictions([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> disp.line_.get_label()
    'Classifier (AP = 0.833)'
    """

    def __init__(
        self,
        precision: ArrayLike,
        recall: ArrayLike,
        *,
        average_precision: float | None = None,
        name: str | None = None,
        pos_label: Any = None,
        prevalence_pos_label: float | None = None,
    ):
        self.precision = curve_array(precision, "precision")
        self.recall = curve_array(recall, "recall")
        if self.precision.shape != self.recall.shape:
            raise ValueError(
                f"precision has {self.precision.size} points but recall has {self.recall.size}"
            )
        self.average_precision, self.name, self.pos_label = average_precision, name, pos_label
        self.prevalence_pos_label = prevalence_pos_label

    def plot(
        self,
        ax: Any = None,
        *,
        name: str | None = None,
        curve_kwargs: dict | None = None,
        plot_chance_level: bool = False,
        chance_level_kw: dict | None = None,
    ) -> "PrecisionRecallDisplay":
        """Draw the curve on ``ax`` (else a new figure) and return the display.

        Parameters are those of :meth:`RocCurveDisplay.plot`; the chance level is the
        horizontal line at ``prevalence_pos_label``.

        Returns
        -------
        PrecisionRecallDisplay

        Raises
        ------
        ValueError
            ``plot_chance_level`` without ``prevalence_pos_label``.
        """
        ax = resolve_axes(ax)
        name = check_name(name, check_name(self.name, DEFAULT_NAME))
        ap = self.average_precision
        label = name if ap is None else f"{name} (AP = {ap:.3f})"
        kw = {
            "drawstyle": "steps-post",
            "label": label,
            **plot_kwargs(curve_kwargs, "curve_kwargs"),
        }
        (self.line_,) = ax.plot(self.recall, self.precision, **kw)
        self.chance_level_ = None
        if plot_chance_level:
            if self.prevalence_pos_label is None:
                raise ValueError(
                    "plot_chance_level needs prevalence_pos_label (from_predictions and "
                    "from_estimator compute it)"
                )
            p = self.prevalence_pos_label
            kw = {"linestyle": "--", "color": "k", "label": f"Chance level (AP = {p:.3f})"}
            (self.chance_level_,) = ax.plot(
                [0, 1], [p, p], **{**kw, **plot_kwargs(chance_level_kw, "chance_level_kw")}
            )
        suffix = axis_suffix(self.pos_label)
        ax.set_xlabel("Recall" + suffix)
        ax.set_ylabel("Precision" + suffix)
        finish_curve(self, ax, "lower left")
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true: ArrayLike,
        y_score: ArrayLike,
        *,
        sample_weight: ArrayLike | None = None,
        drop_intermediate: bool = False,
        pos_label: Any = None,
        name: str | None = None,
        ax: Any = None,
        curve_kwargs: dict | None = None,
        plot_chance_level: bool = False,
        chance_level_kw: dict | None = None,
    ) -> "PrecisionRecallDisplay":
        """Compute the precision–recall curve of ``y_score`` against ``y_true`` and draw it.

        Parameters are those of :meth:`RocCurveDisplay.from_predictions`.

        Returns
        -------
        PrecisionRecallDisplay

        Raises
        ------
        ValueError
            As :func:`~m4ml.pipeline.metrics.precision_recall_curve`.
        """
        from m4ml.pipeline.metrics import average_precision_score, precision_recall_curve

        precision, recall, _ = precision_recall_curve(
            y_true,
            y_score,
            pos_label=pos_label,
            sample_weight=sample_weight,
            drop_intermediate=drop_intermediate,
        )
        pos_label = 1 if pos_label is None else pos_label
        positive = (np.asarray(y_true) == pos_label).astype(int)
        ap = average_precision_score(positive, y_score, pos_label=1, sample_weight=sample_weight)
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        display = cls(
            precision,
            recall,
            average_precision=float(ap),
            name=check_name(name, DEFAULT_NAME),
            pos_label=pos_label,
            prevalence_pos_label=float(np.average(positive, weights=weights)),
        )
        return display.plot(
            ax,
            curve_kwargs=curve_kwargs,
            plot_chance_level=plot_chance_level,
            chance_level_kw=chance_level_kw,
        )

    @classmethod
    def from_estimator(
        cls,
        estimator: Any,
        X: ArrayLike,
        y: ArrayLike,
        *,
        response_method: str = "auto",
        pos_label: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> "PrecisionRecallDisplay":
        """Score ``X`` with a fitted binary classifier and draw its precision–recall curve.

        Parameters are those of :meth:`RocCurveDisplay.from_estimator`.

        Returns
        -------
        PrecisionRecallDisplay

        Raises
        ------
        TypeError
            ``estimator`` has neither ``predict_proba`` nor ``decision_function``.
        ValueError
            ``estimator`` not fitted or not binary; unknown ``response_method``.
        """
        scores, pos_label = binary_scores(estimator, X, response_method, pos_label)
        return cls.from_predictions(
            y, scores, pos_label=pos_label, name=estimator_name(estimator, name), **kwargs
        )
