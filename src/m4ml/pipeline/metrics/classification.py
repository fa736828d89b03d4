"""Classification metrics computed from counts: accuracy, the confusion matrix, and the scores
built from it (balanced accuracy, Matthews correlation).

Every metric here encodes the labels once (:mod:`._labels`) and then counts with
:func:`numpy.bincount`: the confusion matrix of ``K`` classes is the histogram of the
``K * true + pred`` pair codes. The precision/recall family lives in :mod:`.precision_recall`
and is re-exported here, so ``from m4ml.pipeline.metrics.classification import f1_score`` works.
"""

from typing import Any, Literal

import numpy as np

from m4ml._core.hints import ArrayLike, NDArray
from m4ml.pipeline.metrics._labels import check_targets, positions, warn_undefined
from m4ml.pipeline.metrics.precision_recall import (
    f1_score,
    fbeta_score,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from m4ml.pipeline.metrics.report import classification_report

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "matthews_corrcoef",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
]


def accuracy_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    normalize: bool = True,
    sample_weight: ArrayLike | None = None,
) -> float:
    r"""Fraction (or number) of correctly classified samples.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,) or (n_samples, n_labels)
        True and predicted labels (any comparable values, strings included), or 0/1 label
        indicator matrices for multilabel problems.
    normalize : bool, default True
        Return the (weighted) fraction; if False the (weighted) count of correct samples.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Mismatched lengths, empty input, continuous targets, or a mix of target types.

    Notes
    -----
    .. math:: \mathrm{acc} = \frac{\sum_i w_i\,[\hat y_i = y_i]}{\sum_i w_i}

    For multilabel indicators a sample counts as correct only if its whole label set is
    (subset accuracy).

    References
    ----------
    .. [1] T. Hastie, R. Tibshirani, J. Friedman, *The Elements of Statistical Learning*,
       2nd ed., Springer, 2009, sec. 7.2.

    Examples
    --------
    >>> accuracy_score(["cat", "dog", "dog"], ["cat", "cat", "dog"])
    0.6666666666666666
    >>> accuracy_score([0, 1, 1], [0, 0, 1], normalize=False)
    2.0
    """
    y_type, _, t, p, w = check_targets(y_true, y_pred, sample_weight)
    correct = (t == p).all(axis=1) if y_type == "multilabel-indicator" else t == p
    if not normalize:
        return float(correct.sum() if w is None else np.dot(correct, w))
    if w is None:
        return float(correct.mean())
    return float(np.average(correct, weights=w))


def _counts(y_true, y_pred, labels, sample_weight):
    """Confusion counts over ``labels`` (default: all present), and the labels used."""
    y_type, classes, t, p, w = check_targets(y_true, y_pred, sample_weight)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} targets are not supported by the confusion matrix")
    if labels is None:
        labels = classes
    else:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        idx, found = positions(classes, labels)
        present_true = np.bincount(t, minlength=classes.size) > 0
        if not (found & present_true[idx]).any():
            raise ValueError("At least one label specified must be in y_true")
        to_label = np.full(classes.size, -1, dtype=np.intp)
        to_label[idx[found]] = np.flatnonzero(found)
        t, p = to_label[t], to_label[p]
        keep = (t >= 0) & (p >= 0)
        if not keep.all():
            t, p = t[keep], p[keep]
            w = None if w is None else w[keep]
    k = labels.size
    cm = np.bincount(t * k + p, weights=w, minlength=k * k).reshape(k, k)
    return cm, labels


def confusion_matrix(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    sample_weight: ArrayLike | None = None,
    normalize: Literal["true", "pred", "all"] | None = None,
) -> NDArray[Any]:
    r"""Confusion matrix :math:`C`, with :math:`C_{ij}` the (weighted) number of samples of
    true class ``labels[i]`` predicted as ``labels[j]``.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        True and predicted labels.
    labels : array_like, optional
        The classes to index the matrix by, in this order; samples whose true or predicted
        label is not listed are ignored. Default: the sorted labels present in either array.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights. Integer weights keep an integer matrix.
    normalize : {None, "true", "pred", "all"}
        Divide by the row sums (rates given the true class), the column sums (given the
        prediction) or the total. Rows or columns without samples become 0.

    Returns
    -------
    ndarray of shape (n_labels, n_labels)
        int64 counts, or float64 when weighted by floats or normalized.

    Raises
    ------
    ValueError
        Mismatched lengths, empty input, non-binary/multiclass targets, an empty ``labels``,
        ``labels`` none of which occur in ``y_true``, or an unknown ``normalize``.

    Warns
    -----
    UserWarning
        When only one label is found, so the matrix is 1x1 (pass ``labels`` to fix the shape).

    Notes
    -----
    With the classes encoded as integers :math:`0..K-1`,

    .. math:: C_{ij} = \sum_n w_n [y_n = i][\hat y_n = j],

    computed as one weighted histogram of the codes :math:`K y_n + \hat y_n`.

    References
    ----------
    .. [1] T. Fawcett, "An introduction to ROC analysis", *Pattern Recognition Letters* 27
       (2006) 861-874.

    Examples
    --------
    >>> confusion_matrix(["a", "b", "b", "c"], ["a", "b", "c", "c"])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    >>> confusion_matrix([0, 1, 1, 1], [0, 1, 0, 1], normalize="true")
    array([[1.        , 0.        ],
           [0.33333333, 0.66666667]])
    """
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"normalize must be one of None, 'true', 'pred', 'all'; got {normalize!r}")
    cm, _ = _counts(y_true, y_pred, labels, sample_weight)
    integral = sample_weight is None or np.asarray(sample_weight).dtype.kind in "biu"
    cm = np.rint(cm).astype(np.int64) if integral and cm.dtype.kind == "f" else cm
    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                cm = cm / cm.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                cm = cm / cm.sum(axis=0, keepdims=True)
            else:
                cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    if cm.shape == (1, 1):
        warn_undefined(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to "
            "have the correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
        )
    return cm


def balanced_accuracy_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    adjusted: bool = False,
) -> float:
    r"""Mean per-class recall, which corrects accuracy for imbalanced classes.

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        True and predicted labels.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.
    adjusted : bool, default False
        Rescale so that chance level is 0 and a perfect score 1.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        As :func:`confusion_matrix`.

    Warns
    -----
    UserWarning
        If ``y_pred`` holds classes absent from ``y_true`` (their recall is undefined and left
        out of the mean).

    Notes
    -----
    .. math:: \mathrm{BA} = \frac{1}{K}\sum_{k=1}^{K} \frac{C_{kk}}{\sum_j C_{kj}},
       \qquad \mathrm{BA}_{adj} = \frac{\mathrm{BA} - 1/K}{1 - 1/K}

    References
    ----------
    .. [1] K. H. Brodersen, C. S. Ong, K. E. Stephan, J. M. Buhmann, "The balanced accuracy and
       its posterior distribution", *ICPR* 2010, 3121-3124.

    Examples
    --------
    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    cm, _ = _counts(y_true, y_pred, None, sample_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(cm) / cm.sum(axis=1)
    if np.isnan(per_class).any():
        warn_undefined("y_pred contains classes not in y_true", UserWarning)
        per_class = per_class[~np.isnan(per_class)]
    score = per_class.mean()
    if adjusted:
        chance = 1.0 / per_class.shape[0]
        score = (score - chance) / (1.0 - chance)
    return float(score)


def matthews_corrcoef(
    y_true: ArrayLike, y_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    r"""Matthews correlation coefficient (the :math:`R_K` statistic for ``K`` classes).

    Parameters
    ----------
    y_true, y_pred : array_like of shape (n_samples,)
        True and predicted labels.
    sample_weight : array_like of shape (n_samples,), optional
        Non-negative weights.

    Returns
    -------
    float
        In [-1, 1]; 0 when either the truth or the prediction has a single class (the
        coefficient is then undefined).

    Raises
    ------
    ValueError
        As :func:`confusion_matrix`.

    Notes
    -----
    With the confusion matrix :math:`C`, row sums :math:`t_k`, column sums :math:`p_k`,
    :math:`c = \operatorname{tr} C` and :math:`s = \sum_{ij} C_{ij}`,

    .. math:: \mathrm{MCC} = \frac{c\,s - t\cdot p}
       {\sqrt{(s^2 - p\cdot p)(s^2 - t\cdot t)}},

    which for two classes is the Pearson correlation of the 0/1 indicators of truth and
    prediction.

    References
    ----------
    .. [1] B. W. Matthews, "Comparison of the predicted and observed secondary structure of T4
       phage lysozyme", *Biochim. Biophys. Acta* 405 (1975) 442-451.
    .. [2] J. Gorodkin, "Comparing two K-category assignments by a K-category correlation
       coefficient", *Comput. Biol. Chem.* 28 (2004) 367-374.

    Examples
    --------
    >>> round(matthews_corrcoef([1, 1, 1, -1], [1, -1, 1, 1]), 4)
    -0.3333
    """
    cm, _ = _counts(y_true, y_pred, None, sample_weight)
    cm = cm.astype(np.float64)
    t_sum, p_sum = cm.sum(axis=1), cm.sum(axis=0)
    n_correct, n = np.trace(cm), p_sum.sum()
    cov_tp = n_correct * n - np.dot(t_sum, p_sum)
    cov_pp = n * n - np.dot(p_sum, p_sum)
    cov_tt = n * n - np.dot(t_sum, t_sum)
    if cov_pp * cov_tt == 0:
        return 0.0
    return float(cov_tp / np.sqrt(cov_pp * cov_tt))
