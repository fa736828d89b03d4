"""Input handling shared by the chunked estimators (private).

Dask input stays lazy and is checked chunk by chunk (``check_block``); NumPy and other in-memory
input goes through the in-memory models' own validation, so the estimators behave exactly as
scikit-learn's checks expect (1-D ``X`` refused, feature names recorded, NaN refused up front).
"""

import numpy as np

from m4ml._core import as_label_array, check_rng
from m4ml._core.sklearn_compat import validate_data
from m4ml.distributed._blocks import as_rows, is_dask, n_rows_blocks
from m4ml.models._base import check_sample_weight, validate_X

__all__ = [
    "check_X_y",
    "class_labels",
    "fit_rows",
    "random_state_rng",
    "row_index",
    "row_offsets",
    "sample_weight_rows",
    "to_dask_or_numpy",
]


def to_dask_or_numpy(x):
    """A Dask DataFrame/Series becomes a Dask array; anything else is returned as is."""
    return x.to_dask_array(lengths=True) if hasattr(x, "to_dask_array") else x


def fit_rows(estimator, X):
    """``X`` for ``fit``: a 2-D Dask array (lazy) or a validated float64 ndarray.

    Records ``n_features_in_`` on ``estimator`` (and ``feature_names_in_`` for a pandas frame).
    Raises ``ValueError`` for 1-D or empty input, as the in-memory estimators do.
    """
    X = to_dask_or_numpy(X)
    if not is_dask(X):
        return validate_X(estimator, X, reset=True)
    if X.ndim != 2:
        raise ValueError(
            f"Expected a 2D array, got a {X.ndim}-D Dask array: reshape it to (n_samples, "
            "n_features)"
        )
    X = as_rows(X, "X")
    if X.shape[0] == 0:
        raise ValueError("X holds no rows (0 samples); at least one is required")
    estimator.n_features_in_ = X.shape[1]
    estimator.__dict__.pop("feature_names_in_", None)
    return X


def sample_weight_rows(sample_weight, X):
    """Weights as an ``(n, 1)`` NumPy column (None stays None), checked as in memory.

    Dask weights are computed: they are one number per row, ``1/n_features`` of ``X``'s size.
    """
    if sample_weight is None:
        return None
    w = to_dask_or_numpy(sample_weight)
    if is_dask(w):
        w = w.compute()
    return check_sample_weight(w, X.shape[0])[:, None]


def row_offsets(X):
    """Start row of every block of ``X`` and the total count."""
    rows = n_rows_blocks(X)
    return np.concatenate([[0], np.cumsum(rows)]).astype(np.int64)


def row_index(X):
    """The global row numbers as an ``(n, 1)`` array aligned with ``X``'s blocks."""
    if not is_dask(X):
        return np.arange(X.shape[0], dtype=np.int64)[:, None]
    import dask.array as da

    return da.arange(X.shape[0], chunks=(X.chunks[0],), dtype=np.int64)[:, None]


def random_state_rng(random_state):
    """A Generator for ``random_state`` as the in-memory estimators read it.

    None, an int or a Generator as :func:`m4ml._core.check_rng` (a Generator is used, not
    copied, so successive draws share its stream); a legacy ``RandomState`` seeds a new
    Generator from one draw of it.
    """
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(np.iinfo(np.int32).max))
    return check_rng(random_state)


def check_X_y(estimator, X, y):
    """In-memory ``(X, y)`` through scikit-learn's checks (y None, column y, lengths, complex).

    Dask input is returned as is (its blocks are checked when they are computed).
    """
    X, y = to_dask_or_numpy(X), to_dask_or_numpy(y)
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y is None"
        )
    if is_dask(X) or is_dask(y):
        return X, y
    return validate_data(estimator, X, y, reset=True, dtype=np.float64)


def class_labels(y):
    """The sorted distinct labels of ``y`` (Dask: one pass), with the in-memory refusals.

    Continuous (non-integral float) targets and a single class raise ``ValueError``; complex
    labels ``TypeError``.
    """
    y = to_dask_or_numpy(y)
    if is_dask(y):
        import dask.array as da

        if y.dtype.kind == "c":
            raise TypeError("y is complex; class labels must be integers, strings or booleans")
        classes = as_label_array(np.asarray(da.unique(y).compute()), "y", ndim=None)
    else:
        classes = np.unique(as_label_array(y, "y", ndim=None))
    if classes.dtype.kind == "f" and np.any(classes != np.round(classes)):
        raise ValueError(
            "Unknown label type: continuous. y holds non-integer floats; a classifier needs "
            "class labels"
        )
    if classes.size < 2:
        raise ValueError(
            f"The number of classes has to be greater than one; got {classes.size} class"
        )
    return classes
