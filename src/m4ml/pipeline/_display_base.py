"""Plumbing shared by the evaluation displays: the Axes to draw on, an estimator's scores.

The displays follow scikit-learn's shape: a ``from_predictions`` constructor for labels or
scores already computed, a ``from_estimator`` constructor that asks a fitted classifier for
them, and a ``plot(ax=...)`` that draws and records ``figure_`` and ``ax_``. matplotlib is
imported only when something is drawn.
"""

from typing import Any

import numpy as np

from m4ml._core.hints import ArrayLike

_RESPONSE_METHODS = ("auto", "predict_proba", "decision_function")


def resolve_axes(ax: Any) -> Any:
    """``ax`` itself (checked to be a matplotlib Axes), or the Axes of a new figure."""
    try:
        import matplotlib.pyplot as plt
        from matplotlib.axes import Axes
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        raise ImportError("plotting needs matplotlib: pip install 'm4ml[plot]'") from exc
    if ax is None:
        _, ax = plt.subplots()
        return ax
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def check_name(name: Any, default: str) -> str:
    """The legend name: ``name`` if given (a string), else ``default``."""
    if name is None:
        return default
    if not isinstance(name, str):
        raise TypeError(f"name must be a string or None, got {type(name).__name__}")
    return name


def estimator_name(estimator: Any, name: Any) -> str:
    """``name``, or the estimator's class name (scikit-learn's default legend name)."""
    return check_name(name, type(estimator).__name__)


def predictions(estimator: Any, X: Any) -> np.ndarray:
    """``estimator.predict(X)``, with a typed error when it has no ``predict``."""
    if not callable(getattr(estimator, "predict", None)):
        raise TypeError(
            f"estimator must be a fitted classifier with predict, got {type(estimator).__name__}"
        )
    return np.asarray(estimator.predict(X))


def binary_scores(estimator: Any, X: Any, response_method: str, pos_label: Any):
    """The fitted binary classifier's score for the positive class, and that class.

    ``response_method="auto"`` tries ``predict_proba``, then ``decision_function``. The
    positive class defaults to ``estimator.classes_[1]``; a decision function scores
    ``classes_[1]``, so it is negated when ``pos_label`` is ``classes_[0]``.
    """
    if response_method not in _RESPONSE_METHODS:
        raise ValueError(
            f"response_method must be one of {_RESPONSE_METHODS}, got {response_method!r}"
        )
    methods = (
        ("predict_proba", "decision_function") if response_method == "auto" else (response_method,)
    )
    method = next((m for m in methods if callable(getattr(estimator, m, None))), None)
    if method is None:
        raise TypeError(
            f"estimator ({type(estimator).__name__}) has no {' or '.join(methods)}; "
            "pass a fitted classifier, or scores to from_predictions"
        )
    classes = getattr(estimator, "classes_", None)
    if classes is None:
        raise ValueError(
            f"estimator ({type(estimator).__name__}) has no classes_: fit it before plotting"
        )
    classes = np.asarray(classes)
    if classes.shape != (2,):
        raise ValueError(
            f"the curve needs a binary classifier, but estimator has {classes.size} classes; "
            "for one class against the rest use from_predictions(y == c, scores[:, k])"
        )
    if pos_label is None:
        pos_label = classes[1]
    elif pos_label not in classes.tolist():
        raise ValueError(f"pos_label={pos_label!r} is not one of the classes {classes.tolist()}")
    scores = np.asarray(getattr(estimator, method)(X))
    if method == "predict_proba":
        return scores[:, int(np.flatnonzero(classes == pos_label)[0])], pos_label
    scores = scores.ravel()
    return (scores if pos_label == classes[1] else -scores), pos_label


def axis_suffix(pos_label: Any) -> str:
    """The axis-label suffix naming the positive class."""
    return "" if pos_label is None else f" (Positive label: {pos_label})"


DEFAULT_NAME = "Classifier"


def curve_array(values: ArrayLike, name: str) -> np.ndarray:
    """``values`` as a non-empty, finite 1-D float64 array (``name`` in the errors)."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim != 1 or arr.size == 0 or not np.isfinite(arr).all():
        raise ValueError(f"{name} must be a non-empty 1-D array of finite numbers")
    return arr


def plot_kwargs(value: Any, name: str) -> dict:
    """Keyword arguments for a matplotlib call: ``value`` checked to be a dict, or ``{}``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict or None, got {type(value).__name__}")
    return value


def finish_curve(display: Any, ax: Any, legend_loc: str) -> None:
    """Record the Axes and Figure on the display; the unit square's limits; the legend."""
    display.ax_, display.figure_ = ax, ax.figure
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.legend(loc=legend_loc)
