"""The estimator plumbing every m4ml model shares: input validation, targets, weights, warnings.

Every estimator in :mod:`m4ml.models` (and the MLPs of :mod:`m4ml.nn`'s estimators) follows
scikit-learn's protocol: hyper-parameters only in ``__init__``, learned attributes with a trailing
underscore, ``n_features_in_`` and ``feature_names_in_`` set by :func:`validate_X` /
:func:`validate_X_y` at ``fit`` and checked at ``predict``. The helpers here are the one place
where input is converted and checked, so error messages read the same across models.
"""

import warnings

import numpy as np
from sklearn.utils.validation import check_is_fitted

from m4ml._core import as_label_array
from m4ml._core.errors import ConvergenceWarning
from m4ml._core.sklearn_compat import validate_data

__all__ = [
    "check_is_fitted",
    "check_magnitude",
    "check_sample_weight",
    "class_weight_vector",
    "classification_targets",
    "cv_splits",
    "log_softmax_rows",
    "softmax_rows",
    "validate_X",
    "validate_X_y",
    "warn_not_converged",
]

_FLOATS = (np.float64, np.float32)

# Features beyond these magnitudes make the models' squares and products (Gram matrices,
# squared distances, variances, logits) over- or underflow float64: refused up front.
_MAX_SAFE = 2.0**500  # about 3e150
_MIN_SAFE = 2.0**-500  # about 3e-151


def check_magnitude(X, name="X"):
    """Refuse features so large (> 3e150) or so small (all below 3e-151) that squaring them
    leaves the float64 range, with a ValueError saying to rescale them."""
    if X.size == 0 or X.dtype.kind != "f":
        return X
    observed = X[~np.isnan(X)] if np.isnan(X).any() else X  # estimators that allow NaN
    big = float(np.abs(observed).max()) if observed.size else 0.0
    if big > _MAX_SAFE:
        raise ValueError(
            f"{name} holds values up to {big:.3g}; features this large overflow float64 in the "
            "model's squares and products: scale them first (e.g. with StandardScaler)"
        )
    if 0.0 < big < _MIN_SAFE:
        raise ValueError(
            f"{name} holds values no larger than {big:.3g}; their squares underflow to zero in "
            "float64: scale the features first (e.g. with StandardScaler)"
        )
    return X


def validate_X(estimator, X, *, reset, dtype=np.float64, **kwargs):
    """Check a feature matrix for ``fit`` (``reset=True``) or ``predict`` (``reset=False``).

    Converts to a 2-D floating array, rejects NaN/inf, complex and non-numeric input, and at
    ``reset=True`` records ``n_features_in_`` (and ``feature_names_in_`` for a DataFrame); at
    ``reset=False`` it checks the feature count and names against those recorded.
    """
    X = validate_data(estimator, X, reset=reset, dtype=dtype, **kwargs)
    return check_magnitude(X) if isinstance(X, np.ndarray) else X


def validate_X_y(
    estimator, X, y, *, dtype=np.float64, y_numeric=False, multi_output=False, **kwargs
):
    """Check ``X`` and ``y`` together at ``fit``: same length, finite, 2-D ``X``, 1-D ``y``.

    ``y_numeric=True`` (regressors) converts ``y`` to float64 and rejects NaN/inf in it.
    """
    X, y = validate_data(
        estimator,
        X,
        y,
        reset=True,
        dtype=dtype,
        y_numeric=y_numeric,
        multi_output=multi_output,
        **kwargs,
    )
    if y_numeric:
        y = np.asarray(y, dtype=np.float64)
        check_magnitude(y, "y")
    elif y is not None:  # class labels (after scikit-learn's own complex-data check)
        as_label_array(y, "y", ndim=None)
    if isinstance(X, np.ndarray):
        check_magnitude(X)
    return X, y


def classification_targets(y, *, min_classes=2):
    """Return ``(classes, y_encoded)`` for class labels ``y``, with clear errors.

    ``classes`` is the sorted array of distinct labels and ``y_encoded`` the integer index of each
    label in it. Continuous targets (non-integral floats) and fewer than ``min_classes`` classes are
    rejected with a ``ValueError`` that says what was found.
    """
    y = as_label_array(y, "y", ndim=None)  # complex, NaN/inf, None, mixed types: refused
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected; it is raveled.",
            DataConversionWarning,
            stacklevel=3,
        )
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels, got shape {y.shape}")
    if y.dtype.kind == "c":
        raise TypeError("y is complex; class labels must be integers, strings or booleans")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError("y contains NaN or infinity; class labels must be finite")
        if np.any(y != np.round(y)):
            raise ValueError(
                "Unknown label type: continuous. y holds non-integer floats; a classifier "
                "needs class labels (use a regressor for a continuous target)"
            )
    if y.dtype.kind == "O":
        kinds = {type(v) for v in y}
        if len(kinds) > 1 and not all(issubclass(k, str) for k in kinds):
            raise TypeError(
                "y mixes label types "
                + ", ".join(sorted(k.__name__ for k in kinds))
                + "; use labels of one type"
            )
    classes, y_encoded = np.unique(y, return_inverse=True)
    if classes.size < min_classes:
        raise ValueError(
            f"The number of classes has to be greater than one; got {classes.size} class"
            + ("" if classes.size == 1 else "es")
        )
    return classes, y_encoded.ravel()


def check_sample_weight(sample_weight, n_samples, *, name="sample_weight"):
    """Return sample weights of shape ``(n_samples,)``: ones for None, a constant for a scalar.

    Weights must be finite and non-negative with at least one positive entry.
    """
    if sample_weight is None:
        return np.ones(n_samples)
    w = np.asarray(sample_weight)
    if w.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {w.dtype}")
    w = w.astype(np.float64)
    if w.ndim == 0:
        return np.full(n_samples, float(w))
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise ValueError(f"{name} must have shape ({n_samples},) to match X, got shape {w.shape}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError(f"{name} must be finite and non-negative")
    if n_samples and not w.any():
        raise ValueError(f"{name} is all zero: at least one sample must have a positive weight")
    return w


def class_weight_vector(class_weight, classes, y_encoded):
    """Per-class weights for ``class_weight`` in None | "balanced" | dict {label: weight}.

    "balanced" gives class k the weight n_samples / (n_classes * count_k), as scikit-learn does.
    """
    n_classes = classes.size
    if class_weight is None:
        return np.ones(n_classes)
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(
                f"class_weight must be None, 'balanced' or a dict, got {class_weight!r}"
            )
        counts = np.bincount(y_encoded, minlength=n_classes).astype(np.float64)
        return y_encoded.size / (n_classes * np.maximum(counts, 1.0))
    if isinstance(class_weight, dict):
        weights = np.ones(n_classes)
        for label, value in class_weight.items():
            where = np.flatnonzero(classes == label)
            if where.size == 0:
                raise ValueError(
                    f"class_weight names the label {label!r}, which is not among the classes "
                    f"{classes.tolist()}"
                )
            weights[where[0]] = float(value)
        return weights
    raise ValueError(f"class_weight must be None, 'balanced' or a dict, got {class_weight!r}")


def cv_splits(cv, X, y=None, *, default=5):
    """The ``(train, test)`` index pairs of ``cv``: None (``default`` folds), an int (K-fold,
    :class:`m4ml.pipeline.KFold`), a splitter with ``split(X, y)``, or an iterable of pairs."""
    import numbers

    from m4ml.pipeline.split import KFold

    if cv is None or (isinstance(cv, numbers.Integral) and not isinstance(cv, bool)):
        cv = KFold(default if cv is None else int(cv))
    if hasattr(cv, "split"):
        return list(cv.split(X, y))
    try:
        return [(np.asarray(tr), np.asarray(te)) for tr, te in cv]
    except TypeError:
        raise ValueError(
            f"cv must be None, an int, a splitter with split() or an iterable of (train, test) "
            f"pairs, got {cv!r}"
        ) from None


def warn_not_converged(estimator_name, n_iter, what="the solver", hint="increase max_iter"):
    """Emit m4ml's :class:`ConvergenceWarning` naming the iteration count."""
    warnings.warn(
        f"{estimator_name}: {what} did not converge in {n_iter} iterations; {hint}",
        ConvergenceWarning,
        stacklevel=3,
    )


def log_softmax_rows(z):
    r"""Row-wise :math:`\log \mathrm{softmax}(z)_k = z_k - \log\sum_j e^{z_j}`, stable for any z."""
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=1, keepdims=True)
    shifted = z - m
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_rows(z):
    """Row-wise softmax; every row is finite and sums to one for any finite ``z``."""
    return np.exp(log_softmax_rows(z))


class DataConversionWarning(UserWarning):
    """A column-vector ``y`` was raveled (the warning scikit-learn's users know)."""

    __module__ = "m4ml.models"  # its public home (tracebacks, reprs, docs, pickle)
