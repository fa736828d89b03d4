"""Label handling shared by the metrics: target types, the set of classes, label encoding.

A classification metric first has to know what it was given. This module answers three
questions, once, for every metric:

* *what kind of target is this?* (:func:`type_of_target`: binary, multiclass, continuous,
  multilabel indicator, ...);
* *which classes occur?* (:func:`unique_labels`, sorted, never mixing strings and numbers);
* *which class is each sample?* (:func:`unique_inverse` and :func:`encode_pair`, from
  :mod:`._encoding`: the integer code of each label, the index of its class, so that
  counting becomes :func:`numpy.bincount`).
"""

import sys
import warnings
from typing import Literal

import numpy as np

from m4ml._core.hints import ArrayLike, NDArray
from m4ml.pipeline.metrics._encoding import (  # re-exported: the label helpers live together
    _is_string_kind,
    as_label_array,
    check_label_kinds,
    column_or_1d,
    encode_pair,
    positions,
    unique_inverse,
)


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for this input (a zero division) and a fallback value was used.

    Raised, for instance, by :func:`~m4ml.pipeline.metrics.precision_score` when a class is
    never predicted and ``zero_division="warn"``. It is m4ml's own class (not scikit-learn's);
    filter it with ``warnings.simplefilter("ignore", UndefinedMetricWarning)``.

    Examples
    --------
    >>> import warnings
    >>> from m4ml.pipeline.metrics import precision_score
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     precision_score([0, 1], [0, 0])
    0.0
    >>> caught[0].category.__name__
    'UndefinedMetricWarning'
    """

    __module__ = "m4ml.pipeline.metrics"  # its public home (tracebacks, reprs, docs, pickle)


def check_consistent_length(**arrays):
    """Raise ``ValueError`` naming the arguments if the arrays have different lengths.

    ``None`` values are skipped; the keyword names are used in the message.
    """
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"Inconsistent numbers of samples: {detail}")


def check_sample_weight(sample_weight, n_samples):
    """Return ``sample_weight`` as a 1-D float64 array of length ``n_samples`` (or None).

    Raises
    ------
    ValueError
        Wrong shape, NaN/inf or negative weights.
    """
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight)
    if w.dtype.kind not in "biuf":
        raise TypeError(f"sample_weight must be numeric, got dtype {w.dtype}")
    w = w.astype(np.float64, copy=False)
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) to match the targets, got {w.shape}"
        )
    if not np.isfinite(w).all():
        raise ValueError("sample_weight contains NaN or infinity")
    if (w < 0).any():
        raise ValueError("sample_weight must be non-negative")
    return w


def type_of_target(
    y: ArrayLike, name: str = "y"
) -> Literal[
    "binary",
    "multiclass",
    "continuous",
    "multilabel-indicator",
    "multiclass-multioutput",
    "continuous-multioutput",
    "unknown",
]:
    r"""Classify a target array as scikit-learn does.

    Parameters
    ----------
    y : array_like
        Labels or values.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    str
        ``"binary"`` (at most two distinct values), ``"multiclass"`` (more than two discrete
        values), ``"continuous"`` (floats that are not all integers), ``"multilabel-indicator"``
        (a 2-D 0/1 matrix with several columns), ``"multiclass-multioutput"``,
        ``"continuous-multioutput"`` or ``"unknown"``.

    Raises
    ------
    ValueError
        If ``y`` holds NaN or infinity.

    Notes
    -----
    A float array is *continuous* as soon as one value :math:`v` has :math:`v \ne
    \operatorname{round}(v)`; otherwise the number of distinct values decides between
    binary (:math:`\le 2`) and multiclass. Object arrays other than strings are "unknown":
    convert them to a numeric or string dtype first.

    References
    ----------
    .. [1] scikit-learn, ``sklearn.utils.multiclass.type_of_target`` (the conventions
       followed here).

    Examples
    --------
    >>> type_of_target([0, 1, 1]), type_of_target(["a", "b", "c"]), type_of_target([0.5, 1])
    ('binary', 'multiclass', 'continuous')
    >>> type_of_target([[0, 1], [1, 1]])
    'multilabel-indicator'
    """
    arr = as_label_array(y, name)
    if arr.ndim > 2 or (arr.ndim == 2 and arr.shape[1] == 0) or arr.ndim == 0:
        return "unknown"
    if arr.dtype.kind == "O" and not _is_string_kind(arr):
        return "unknown"  # objects other than strings (as scikit-learn): convert them first
    multi = arr.ndim == 2 and arr.shape[1] > 1
    if arr.ndim == 2 and not multi:
        arr = arr[:, 0]
    if arr.dtype.kind in "fc":
        if arr.size and not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or infinity")
        if arr.size and (arr != np.round(arr)).any():
            return "continuous-multioutput" if multi else "continuous"
    if multi:
        if arr.dtype.kind in "biuf" and np.isin(arr, (0, 1)).all():
            return "multilabel-indicator"
        return "multiclass-multioutput"
    classes, _ = unique_inverse(arr, name)
    return "multiclass" if classes.size > 2 else "binary"


def unique_labels(*ys):
    """The sorted union of the labels found in the 1-D arrays ``ys``.

    Raises
    ------
    ValueError
        If strings and numbers are mixed.

    Examples
    --------
    >>> unique_labels([3, 1], [2, 1]).tolist()
    [1, 2, 3]
    """
    arrays = [column_or_1d(y, "labels") for y in ys]
    check_label_kinds(*arrays)
    return unique_inverse(np.concatenate(arrays) if arrays else np.array([]), "labels")[0]


def _plain_labels(arr):
    """True for a 1-D (or single-column) array of integers, bools, strings or integral floats.

    For such arrays the target type follows from the number of distinct labels alone, so
    :func:`check_targets` can skip :func:`type_of_target`.
    """
    if not (arr.ndim == 1 or (arr.ndim == 2 and arr.shape[1] == 1)):
        return False
    if arr.dtype.kind in "iubUS":
        return True
    if arr.dtype.kind == "f":
        return bool(np.isfinite(arr).all() and (arr == np.round(arr)).all())
    return False


def check_targets(y_true, y_pred, sample_weight=None):
    """Validate a pair of classification targets and encode them.

    Returns
    -------
    y_type : {"binary", "multiclass", "multilabel-indicator"}
    classes : ndarray
        The sorted labels present in either array (column indices for multilabel targets).
    true_codes, pred_codes : ndarray
        Integer codes into ``classes`` (1-D), or the 0/1 indicator matrices (multilabel).
    sample_weight : ndarray or None

    Raises
    ------
    ValueError
        Mismatched lengths, empty input, continuous or mixed target types, strings mixed with
        numbers.
    """
    t = as_label_array(y_true, "y_true")
    p = as_label_array(y_pred, "y_pred")
    check_consistent_length(y_true=t, y_pred=p)
    if t.shape[0] == 0:
        raise ValueError("y_true and y_pred are empty; at least one sample is required")
    if _plain_labels(t) and _plain_labels(p):  # 1-D discrete labels: sort/count only once
        sample_weight = check_sample_weight(sample_weight, t.shape[0])
        classes, tc, pc = encode_pair(column_or_1d(t, "y_true"), column_or_1d(p, "y_pred"))
        y_type = "binary" if classes.size <= 2 else "multiclass"
        return y_type, classes, tc, pc, sample_weight
    type_true, type_pred = type_of_target(t, "y_true"), type_of_target(p, "y_pred")
    types = {type_true, type_pred}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(
            f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets"
        )
    y_type = types.pop()
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(
            f"{y_type} targets are not supported by classification metrics; for continuous "
            "values use a regression metric"
        )
    sample_weight = check_sample_weight(sample_weight, t.shape[0])
    if y_type == "multilabel-indicator":
        if t.shape != p.shape:
            raise ValueError(
                f"y_true and y_pred have different numbers of labels: {t.shape} vs {p.shape}"
            )
        return y_type, np.arange(t.shape[1]), t.astype(np.int64), p.astype(np.int64), sample_weight
    t, p = column_or_1d(t, "y_true"), column_or_1d(p, "y_pred")
    classes, tc, pc = encode_pair(t, p)
    if y_type == "binary" and classes.size > 2:
        y_type = "multiclass"
    return y_type, classes, tc, pc, sample_weight


def check_pos_label(pos_label, classes):
    """The positive label of a binary problem given its sorted ``classes``.

    Without ``pos_label`` the classes must be {0, 1} or {-1, 1} (or a subset), and 1 is
    positive; string labels need an explicit ``pos_label``.

    Raises
    ------
    ValueError
        If ``pos_label`` is None and the classes are not one of those sets.
    """
    if pos_label is not None:
        return pos_label
    numeric = classes.dtype.kind in "biuf"
    ok = (
        numeric and classes.size <= 2 and any(set(classes.tolist()) <= s for s in ({0, 1}, {-1, 1}))
    )
    if not ok:
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes values in {{{shown}}} and pos_label is not specified: either make "
            "y_true take values in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1


def label_binarize(y: ArrayLike, classes: ArrayLike) -> NDArray[np.int64]:
    r"""One-hot matrix of shape ``(n_samples, n_classes)``: column j marks ``y == classes[j]``.

    Parameters
    ----------
    y : array_like of shape (n_samples,)
        Labels.
    classes : array_like of shape (n_classes,)
        The classes, in the column order wanted (need not be sorted).

    Returns
    -------
    ndarray of int64, shape (n_samples, n_classes)
        Labels not in ``classes`` give an all-zero row.

    Raises
    ------
    ValueError
        If ``y`` is not 1-D.

    Notes
    -----
    :math:`B_{ij} = [y_i = c_j]`, found by one binary search of each label in the sorted
    classes. Unlike scikit-learn's function, two classes give two columns (not one).

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, sec. 4.1
       (1-of-K coding).

    Examples
    --------
    >>> label_binarize(["b", "a", "c"], classes=["a", "b", "c"]).tolist()
    [[0, 1, 0], [1, 0, 0], [0, 0, 1]]
    """
    y = column_or_1d(y, "y")
    classes = column_or_1d(classes, "classes")
    check_label_kinds(y, classes)
    order = np.argsort(classes, kind="stable")
    idx, found = positions(classes[order], y)
    out = np.zeros((y.shape[0], classes.size), dtype=np.int64)
    rows = np.flatnonzero(found)
    out[rows, order[idx[rows]]] = 1
    return out


def warn_undefined(message, category=None):
    """Emit a warning (UndefinedMetricWarning by default) pointing at the user's call.

    The stack level is the first frame outside ``m4ml.pipeline.metrics``, so the warning names
    the line of user code however deep inside the metrics it was raised.
    """
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(__package__):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category or UndefinedMetricWarning, stacklevel=level)
