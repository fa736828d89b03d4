"""Column-wise category bookkeeping shared by the encoders (private).

A categorical column is held as one 1-D NumPy array per input feature, in its own dtype, so a
DataFrame with an integer column and a string column keeps ``int64`` categories for the first
and ``object`` categories for the second, as scikit-learn does. The categories of a column are
its sorted distinct values; in an object column ``None`` and NaN (or ``pandas.NA``, read as NaN)
are categories of their own, listed after the others (``None`` first). Encoding a column maps
each entry to the position of its category: by binary search in the sorted categories for
numeric and fixed-width string columns (:math:`O(n \\log k)`), through a hash table built on the
column's distinct values for object columns (:math:`O(n)`).
"""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.sklearn_compat import validate_data
from m4ml.pipeline._missing import is_nan_missing as _is_nan_like


def split_columns(X, *, name="X"):
    """The columns of a 2-D input as a list of 1-D arrays, each in its own dtype.

    Raises
    ------
    TypeError
        For sparse input.
    ValueError
        For input that is not 2-D, has no rows or no columns, holds infinity or complex values.
    """
    if hasattr(X, "tocsr") or hasattr(X, "toarray"):
        raise TypeError(f"{name} is a sparse matrix; these encoders need dense input (X.toarray())")
    if hasattr(X, "iloc"):  # pandas DataFrame: keep each column's own dtype
        if X.ndim != 2:
            raise ValueError(f"Expected 2D array, got {X.ndim}D input instead")
        shape = X.shape
        columns = [X.iloc[:, j].to_numpy() for j in range(shape[1])]
        columns = [c.astype(object) if c.dtype.kind not in "biufUSO" else c for c in columns]
    else:
        arr = np.asarray(X)
        if arr.dtype.kind in "US" and not hasattr(X, "dtype"):  # lists of str: keep Python values
            arr = np.asarray(X, dtype=object)
        if arr.ndim != 2:
            raise ValueError(
                f"Expected 2D array, got {arr.ndim}D array instead. Reshape your data with "
                "X.reshape(-1, 1) for a single feature or X.reshape(1, -1) for a single sample"
            )
        shape = arr.shape
        columns = [arr[:, j] for j in range(shape[1])]
    if shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={shape}) while a minimum of 1 is required."
        )
    if shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 is required."
        )
    for j, col in enumerate(columns):
        if col.dtype.kind == "c":
            raise ValueError(f"Complex data not supported (column {j} of {name})")
        if col.dtype.kind == "f" and np.isinf(col).any():
            raise ValueError(f"Input {name} contains infinity in column {j}")
    return columns


def _distinct(values, where):
    """The set of distinct values of a list (an object column's ``tolist()``)."""
    try:
        return set(values)
    except TypeError as exc:  # unhashable entries such as lists
        raise TypeError(
            f"column {where} holds unhashable values ({exc}); encoders need strings or numbers"
        ) from None


def fit_categories(col, where):
    """Sorted distinct values of ``col`` (missing values last) as a 1-D array.

    Raises
    ------
    TypeError
        An object column mixing strings and numbers.
    """
    if col.dtype.kind != "O":
        return np.unique(col)
    values = _distinct(col.tolist(), where)
    has_none = None in values
    has_nan = any(_is_nan_like(v) for v in values if v is not None)
    regular = [v for v in values if not _is_nan_like(v)]
    n_str = sum(isinstance(v, str) for v in regular)
    if 0 < n_str < len(regular):
        kinds = sorted({type(v).__name__ for v in regular})
        raise TypeError(
            f"Encoders need each column (here column {where}) to hold only strings or only "
            f"numbers (plus missing values); got a mix of {kinds}"
        )
    ordered = sorted(regular) + [None] * has_none + [np.nan] * has_nan
    cats = np.empty(len(ordered), dtype=object)
    cats[:] = ordered
    return cats


def check_given_categories(cats, where):
    """Validate a user-given category list: numeric ones sorted with NaN last."""
    cats = np.asarray(cats)
    if cats.ndim != 1:
        raise ValueError(f"categories for column {where} must be a 1-D list")
    if cats.dtype.kind in "US":
        cats = cats.astype(object)
    if cats.dtype.kind in "biuf":
        nan = np.isnan(cats) if cats.dtype.kind == "f" else np.zeros(cats.shape, dtype=bool)
        if nan[:-1].any():
            raise ValueError(
                f"Nan should be the last element in user provided categories, see "
                f"categories {cats} in column {where}"
            )
        finite = cats[~nan]
        if (finite[1:] < finite[:-1]).any():
            raise ValueError(
                f"Unsorted categories are not supported for numerical categories (column {where})"
            )
    return cats


def encode_column(col, cats):
    """Code of each entry of ``col`` in ``cats`` and a mask of entries not found there.

    Returns
    -------
    codes : ndarray of int64
        Position in ``cats``; 0 where unknown.
    known : ndarray of bool
    """
    n = col.shape[0]
    codes = np.zeros(n, dtype=np.int64)
    known = np.zeros(n, dtype=bool)
    if cats.size == 0:
        return codes, known
    if cats.dtype.kind == "O" or col.dtype.kind == "O":
        return _encode_by_lookup(col, cats)
    if (cats.dtype.kind in "US") != (col.dtype.kind in "US"):
        return codes, known  # strings never equal numbers
    pos = np.minimum(np.searchsorted(cats, col), cats.size - 1)
    found = cats[pos]
    known = found == col
    if cats.dtype.kind == "f" and col.dtype.kind == "f":
        known |= np.isnan(found) & np.isnan(col)
    codes[known] = pos[known]
    return codes, known


def _key(value):
    """Dictionary key under which all NaN-like values coincide (None stays distinct)."""
    return _NAN_KEY if value is not None and _is_nan_like(value) else value


_NAN_KEY = ("m4ml-nan",)


def _encode_by_lookup(col, cats):
    """Codes through a hash table: one lookup per distinct value, then one per entry in C."""
    positions = {}
    for i, c in enumerate(cats.tolist()):
        positions.setdefault(_key(c), i)
    entries = col.tolist()
    table = {v: positions.get(_key(v), -1) for v in _distinct(entries, "")}
    found = np.fromiter(map(table.__getitem__, entries), dtype=np.int64, count=col.size)
    known = found >= 0
    return np.where(known, found, 0), known


def is_nan_category(value):
    """True for a NaN category (float NaN); None is not NaN."""
    return isinstance(value, numbers.Real) and value != value


class BaseEncoder(TransformerMixin, BaseEstimator):
    """Category learning and per-column encoding shared by the two encoders."""

    def _columns(self, X, reset):
        columns = split_columns(X)
        validate_data(self, X, skip_check_array=True, reset=reset)
        return columns

    def _fit_categories(self, X):
        columns = self._columns(X, reset=True)
        if isinstance(self.categories, str):
            if self.categories != "auto":
                raise ValueError(
                    f"categories must be 'auto' or a list of lists, got {self.categories!r}"
                )
            self.categories_ = [fit_categories(c, j) for j, c in enumerate(columns)]
            return columns
        if len(self.categories) != len(columns):
            raise ValueError(
                f"categories has {len(self.categories)} lists but X has "
                f"{len(columns)} features; give one list per feature"
            )
        self.categories_ = [check_given_categories(c, j) for j, c in enumerate(self.categories)]
        if self.handle_unknown == "error":  # the training data must fit the given categories
            for j, col in enumerate(columns):
                _, known = encode_column(col, self.categories_[j])
                if not known.all():
                    raise ValueError(
                        f"Found unknown categories {list(np.unique(col[~known].astype(str)))} "
                        f"in column {j} during fit"
                    )
        return columns

    def _encode(self, X, *, unknown_ok):
        """Codes (n, p) and known mask (n, p) of ``X`` against the fitted categories."""
        check_is_fitted(self, "categories_")
        columns = self._columns(X, reset=False)
        codes = np.empty((columns[0].shape[0], len(columns)), dtype=np.int64)
        known = np.empty(codes.shape, dtype=bool)
        for j, col in enumerate(columns):
            codes[:, j], known[:, j] = encode_column(col, self.categories_[j])
            if not unknown_ok and not known[:, j].all():
                bad = [str(v) for v in col[~known[:, j]][:10]]
                raise ValueError(
                    f"Found unknown categories {bad} in column {j} during transform; "
                    "set handle_unknown to accept them"
                )
        return codes, known

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags
