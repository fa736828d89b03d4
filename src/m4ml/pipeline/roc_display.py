"""The ROC curve display (scikit-learn's ``RocCurveDisplay`` shape).

The legend names the curve, ``"<name> (AUC = 0.997)"``, where the name defaults to the
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


class RocCurveDisplay:
    r"""The ROC curve — true-positive rate against false-positive rate — with its AUC.

    Parameters
    ----------
    fpr, tpr : array-like of shape (n_thresholds,)
        As :func:`~m4ml.pipeline.metrics.roc_curve` returns.
    roc_auc : float or None
        Shown in the legend when given.
    name : str or None
        The legend's label; default ``"Classifier"``.
    pos_label : label or None
        The positive class, shown in the axis labels.

    Attributes
    ----------
    line_ : matplotlib Line2D
    chance_level_ : matplotlib Line2D or None
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Raises
    ------
    ValueError
        ``fpr`` and ``tpr`` of different lengths, empty or not finite.

    Notes
    -----
    At threshold :math:`t`, :math:`\mathrm{TPR}(t) = P(s > t \mid y = 1)` and
    :math:`\mathrm{FPR}(t) = P(s > t \mid y = 0)`; the area under the curve, by the trapezoid
    rule over the thresholds, is :math:`P(s_+ > s_-)` (ties counted one half), the probability
    that a random positive is scored above a random negative.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from m4ml.pipeline import RocCurveDisplay
    >>> disp = RocCurveDisplay.from_predictions([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> disp.line_.get_label()
    'Classifier (AUC = 0.750)'
    """

    def __init__(
        self,
        *,
        fpr: ArrayLike,
        tpr: ArrayLike,
        roc_auc: float | None = None,
        name: str | None = None,
        pos_label: Any = None,
    ):
        self.fpr, self.tpr = curve_array(fpr, "fpr"), curve_array(tpr, "tpr")
        if self.fpr.shape != self.tpr.shape:
            raise ValueError(f"fpr has {self.fpr.size} points but tpr has {self.tpr.size}")
        self.roc_auc, self.name, self.pos_label = roc_auc, name, pos_label

    def plot(
        self,
        ax: Any = None,
        *,
        name: str | None = None,
        curve_kwargs: dict | None = None,
        plot_chance_level: bool = False,
        chance_level_kw: dict | None = None,
    ) -> "RocCurveDisplay":
        """Draw the curve on ``ax`` (else a new figure) and return the display.

        Parameters
        ----------
        ax : matplotlib Axes or None
        name : str or None
            Overrides the display's ``name`` in the legend.
        curve_kwargs : dict or None
            Passed to ``Axes.plot`` for the curve.
        plot_chance_level : bool
            Also draw the diagonal of a random ranking (AUC = 0.5).
        chance_level_kw : dict or None
            Passed to ``Axes.plot`` for the diagonal.

        Returns
        -------
        RocCurveDisplay
        """
        ax = resolve_axes(ax)
        name = check_name(name, check_name(self.name, DEFAULT_NAME))
        label = name if self.roc_auc is None else f"{name} (AUC = {self.roc_auc:.3f})"
        (self.line_,) = ax.plot(
            self.fpr, self.tpr, label=label, **plot_kwargs(curve_kwargs, "curve_kwargs")
        )
        self.chance_level_ = None
        if plot_chance_level:
            kw = {"linestyle": "--", "color": "k", "label": "Chance level (AUC = 0.5)"}
            (self.chance_level_,) = ax.plot(
                [0, 1], [0, 1], **{**kw, **plot_kwargs(chance_level_kw, "chance_level_kw")}
            )
        suffix = axis_suffix(self.pos_label)
        ax.set_xlabel("False Positive Rate" + suffix)
        ax.set_ylabel("True Positive Rate" + suffix)
        finish_curve(self, ax, "lower right")
        return self

    @classmethod
    def from_predictions(
        cls,
        y_true: ArrayLike,
        y_score: ArrayLike,
        *,
        sample_weight: ArrayLike | None = None,
        drop_intermediate: bool = True,
        pos_label: Any = None,
        name: str | None = None,
        ax: Any = None,
        curve_kwargs: dict | None = None,
        plot_chance_level: bool = False,
        chance_level_kw: dict | None = None,
    ) -> "RocCurveDisplay":
        """Compute the ROC curve of ``y_score`` against binary ``y_true`` and draw it.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            Binary labels ({0, 1} or {-1, 1} unless ``pos_label`` is given).
        y_score : array-like of shape (n_samples,)
            Scores of the positive class (probabilities or decision values).
        sample_weight, drop_intermediate, pos_label
            As in :func:`~m4ml.pipeline.metrics.roc_curve`.
        name : str or None
            Legend label; default ``"Classifier"``.
        ax, curve_kwargs, plot_chance_level, chance_level_kw
            As in :meth:`plot`.

        Returns
        -------
        RocCurveDisplay

        Raises
        ------
        ValueError
            As :func:`~m4ml.pipeline.metrics.roc_curve` (non-binary ``y_true`` without
            ``pos_label``, 2-D or non-finite ``y_score``, mismatched lengths).
        """
        from m4ml.pipeline.metrics import roc_curve

        fpr, tpr, _ = roc_curve(
            y_true,
            y_score,
            pos_label=pos_label,
            sample_weight=sample_weight,
            drop_intermediate=drop_intermediate,
        )
        auc = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))
        display = cls(
            fpr=fpr,
            tpr=tpr,
            roc_auc=auc,
            name=check_name(name, DEFAULT_NAME),
            pos_label=1 if pos_label is None else pos_label,
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
    ) -> "RocCurveDisplay":
        """Score ``X`` with a fitted binary classifier and draw its ROC curve against ``y``.

        Parameters
        ----------
        estimator : fitted binary classifier
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        response_method : "auto", "predict_proba" or "decision_function"
            ``"auto"`` uses ``predict_proba`` when the estimator has it.
        pos_label : label or None
            Default ``estimator.classes_[1]``.
        name : str or None
            Legend label; default the estimator's class name.
        **kwargs
            Passed to :meth:`from_predictions`.

        Returns
        -------
        RocCurveDisplay

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
