"""Categorical encoders: one-hot (indicator) columns and ordinal codes.

Both learn, for every input column :math:`j`, its categories :math:`c_{j,0} < c_{j,1} < \\dots`
(sorted distinct values; in object columns ``None`` and then NaN come last) and then map each
entry to the position of its category. Output is always a dense NumPy array: SciPy's sparse
matrices sit outside what m4ml's library code may import, so ``sparse_output=True`` is refused.
"""

import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import DTypeLike
from sklearn.base import OneToOneFeatureMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core.hints import ArrayLike, NDArray
from m4ml.pipeline._categories import BaseEncoder, encode_column, is_nan_category


def _concat(feature, category):
    return f"{feature}_{category}"


class OneHotEncoder(BaseEncoder):
    """Encode each categorical feature as indicator (0/1) columns, one per category.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        ``"auto"`` learns the sorted distinct values of each column; a list gives the categories
        of each column (numeric ones sorted, NaN last).
    drop : None, "first", "if_binary" or array-like, default=None
        Drop one indicator per feature to avoid the collinearity :math:`\\sum_k z_{jk} = 1`:
        the first category, the first of binary features only, or the given category per feature
        (``None`` in the array keeps all of that feature's columns).
    sparse_output : bool, default=False
        Only ``False`` is supported (dense output; scikit-learn's default is ``True``).
    dtype : numeric type, default=np.float64
        Output dtype.
    handle_unknown : {"error", "ignore", "warn"}, default="error"
        An unseen category at transform raises, or encodes as all zeros (``"warn"`` also warns).
    feature_name_combiner : "concat" or callable, default="concat"
        ``callable(feature, category) -> str`` naming output columns; ``"concat"`` gives
        ``f"{feature}_{category}"``.

    Attributes
    ----------
    categories_ : list of ndarray
        Categories of each feature, in output order.
    drop_idx_ : ndarray of object or None
        Index in ``categories_[j]`` of the dropped category of feature ``j`` (``None``: none).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame with string column names.

    Raises
    ------
    ValueError
        Unknown categories with ``handle_unknown="error"``, a bad parameter, a drop category that
        is not among the categories, a wrong number of features at transform.
    TypeError
        A column mixing strings and numbers.

    Notes
    -----
    Feature :math:`j` with categories :math:`c_{j,1..K_j}` becomes the block
    :math:`z_{jk} = [x_j = c_{jk}]`, :math:`k = 1..K_j`. The blocks are concatenated. A dropped
    category is the reference level: all zeros in its block. Unknown categories (when accepted)
    are also all zeros, so with ``drop`` they cannot be told apart from the reference level.

    References
    ----------
    .. [1] Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., §2.3.

    Examples
    --------
    >>> enc = OneHotEncoder().fit([["red", 1], ["blue", 2], ["red", 3]])
    >>> enc.transform([["blue", 3]])
    array([[1., 0., 0., 0., 1.]])
    >>> enc.get_feature_names_out().tolist()
    ['x0_blue', 'x0_red', 'x1_1', 'x1_2', 'x1_3']
    >>> enc.inverse_transform([[0, 1, 1, 0, 0]]).tolist()
    [['red', 1]]
    """

    def __init__(
        self,
        *,
        categories: Literal["auto"] | Sequence[ArrayLike] = "auto",
        drop: Literal["first", "if_binary"] | ArrayLike | None = None,
        sparse_output: bool = False,
        dtype: DTypeLike = np.float64,
        handle_unknown: Literal["error", "ignore", "warn"] = "error",
        feature_name_combiner: Literal["concat"] | Callable[[str, Any], str] = "concat",
    ):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.feature_name_combiner = feature_name_combiner

    def _check_params(self):
        if self.sparse_output:
            raise ValueError(
                "sparse_output=True is not supported: m4ml's OneHotEncoder returns "
                "dense arrays; use sparse_output=False"
            )
        if self.handle_unknown not in ("error", "ignore", "warn"):
            raise ValueError(
                f"handle_unknown must be 'error', 'ignore' or 'warn', got {self.handle_unknown!r}"
            )
        if not (self.feature_name_combiner == "concat" or callable(self.feature_name_combiner)):
            raise ValueError("feature_name_combiner must be 'concat' or a callable")

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Learn the categories of each column of ``X`` (``y`` is ignored)."""
        self._check_params()
        self._fit_categories(X)
        self.drop_idx_ = self._drop_indices()
        drops = [None] * len(self.categories_) if self.drop_idx_ is None else self.drop_idx_
        self._n_out = np.array(
            [c.size - (d is not None) for c, d in zip(self.categories_, drops)], dtype=np.int64
        )
        return self

    def _drop_indices(self):
        drop, cats = self.drop, self.categories_
        if drop is None:
            return None
        if isinstance(drop, str):
            if drop == "first":
                return np.zeros(len(cats), dtype=object)
            if drop == "if_binary":
                return np.array([0 if c.size == 2 else None for c in cats], dtype=object)
            raise ValueError(f"drop must be None, 'first', 'if_binary' or an array, got {drop!r}")
        drop = np.asarray(drop, dtype=object)
        if drop.ndim != 1 or drop.size != len(cats):
            raise ValueError(f"drop must have one entry per feature ({len(cats)}), got {drop!r}")
        idx = np.empty(len(cats), dtype=object)
        for j, (value, c) in enumerate(zip(drop, cats)):
            if value is None:
                idx[j] = None
                continue
            codes, known = encode_column(np.array([value], dtype=object), c)
            if not known[0]:
                raise ValueError(
                    f"The category {value!r} to drop in feature {j} is not among "
                    f"its categories {c.tolist()}"
                )
            idx[j] = codes[0]
        return idx

    def transform(self, X: ArrayLike) -> NDArray[Any]:
        """Indicator matrix of shape ``(n_samples, n_output_features)``."""
        codes, known = self._encode(X, unknown_ok=self.handle_unknown != "error")
        if not known.all():
            cols = np.flatnonzero(~known.all(axis=0)).tolist()
            if self.handle_unknown == "warn" or self.drop_idx_ is not None:
                warnings.warn(
                    f"Found unknown categories in columns {cols} during transform; "
                    "they are encoded as all zeros",
                    UserWarning,
                    stacklevel=2,
                )
        keep = known
        if self.drop_idx_ is not None:
            drop = np.array([-1 if d is None else d for d in self.drop_idx_], dtype=np.int64)
            keep = known & (codes != drop)
            codes = codes - ((drop >= 0) & (codes > drop))
        offsets = np.concatenate([[0], np.cumsum(self._n_out)[:-1]])
        n, total = codes.shape[0], int(self._n_out.sum())
        out = np.zeros(n * total, dtype=self.dtype)
        # position of each 1 in the flattened output: row * total + column
        index_type = np.int32 if n * total < 2**31 else np.int64
        flat = codes.astype(index_type)
        flat += offsets.astype(index_type)
        flat += (np.arange(n, dtype=index_type) * total)[:, None]
        out[flat.ravel() if keep.all() else flat[keep]] = 1
        return out.reshape(n, total)

    def inverse_transform(self, X: ArrayLike) -> NDArray[Any]:
        """The categories back from an indicator matrix (all-zero blocks as described above).

        Raises
        ------
        ValueError
            Wrong number of columns, or an all-zero block with ``drop=None`` and
            ``handle_unknown="error"``.
        """
        check_is_fitted(self, "categories_")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self._n_out.sum():
            raise ValueError(
                f"Shape of the passed X data is not correct: expected "
                f"{int(self._n_out.sum())} columns, got shape {X.shape}"
            )
        n = X.shape[0]
        dtype = np.result_type(*[c.dtype for c in self.categories_])
        out = np.empty((n, len(self.categories_)), dtype=dtype)
        start = 0
        for j, cats in enumerate(self.categories_):
            m = int(self._n_out[j])
            block = X[:, start : start + m]
            start += m
            drop = None if self.drop_idx_ is None else self.drop_idx_[j]
            if m == 0:
                out[:, j] = cats[drop]
                continue
            pos = block.argmax(axis=1)
            if drop is not None:
                pos = pos + (pos >= drop)
            zero = block.sum(axis=1) == 0
            values = cats[pos]
            if zero.any():
                if drop is not None:
                    values[zero] = cats[drop]
                elif self.handle_unknown == "error":
                    raise ValueError(
                        f"Samples {np.flatnonzero(zero).tolist()} can not be "
                        "inverted when drop=None and handle_unknown='error' "
                        "because they contain all zeros"
                    )
                else:
                    out = out.astype(object)
                    values = values.astype(object)
                    values[zero] = None
            out[:, j] = values
        return out

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Output column names ``f"{feature}_{category}"`` (or via feature_name_combiner)."""
        check_is_fitted(self, "categories_")
        names = _check_feature_names_in(self, input_features)
        combine = _concat if self.feature_name_combiner == "concat" else self.feature_name_combiner
        out = []
        for j, (name, cats) in enumerate(zip(names, self.categories_)):
            drop = None if self.drop_idx_ is None else self.drop_idx_[j]
            out += [combine(name, str(c)) for k, c in enumerate(cats) if k != drop]
        return np.asarray(out, dtype=object)


class OrdinalEncoder(OneToOneFeatureMixin, BaseEncoder):
    """Encode each categorical feature as integer codes 0, 1, ..., K-1 (in a float array).

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        As in :class:`OneHotEncoder`.
    dtype : numeric type, default=np.float64
        Output dtype.
    handle_unknown : {"error", "use_encoded_value"}, default="error"
        An unseen category raises, or is encoded as ``unknown_value``.
    unknown_value : int, NaN or None, default=None
        Code of unseen categories; required with ``handle_unknown="use_encoded_value"`` and must
        not be one of the codes of known categories.
    encoded_missing_value : int or NaN, default=NaN
        Code of the NaN category (``None`` is an ordinary category, as in scikit-learn).

    Attributes
    ----------
    categories_ : list of ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        Unknown categories with ``handle_unknown="error"``, codes that collide with known ones,
        NaN codes with an integer ``dtype``, a wrong number of features.
    TypeError
        ``unknown_value`` of the wrong type, a column mixing strings and numbers.

    Notes
    -----
    :math:`x_j = c_{jk} \\mapsto k`. The codes impose an order the categories may not have, which
    tree models tolerate and linear models generally do not; prefer :class:`OneHotEncoder` there.

    References
    ----------
    .. [1] Pedregosa et al., "Scikit-learn: Machine Learning in Python", JMLR 12 (2011).

    Examples
    --------
    >>> enc = OrdinalEncoder().fit([["low"], ["high"], ["mid"]])
    >>> enc.categories_[0].tolist()
    ['high', 'low', 'mid']
    >>> enc.transform([["mid"], ["high"]]).ravel().tolist()
    [2.0, 0.0]
    >>> enc.inverse_transform([[1.0]]).tolist()
    [['low']]
    """

    def __init__(
        self,
        *,
        categories: Literal["auto"] | Sequence[ArrayLike] = "auto",
        dtype: DTypeLike = np.float64,
        handle_unknown: Literal["error", "use_encoded_value"] = "error",
        unknown_value: int | float | None = None,
        encoded_missing_value: int | float = np.nan,
    ):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Learn the categories of each column of ``X`` (``y`` is ignored)."""
        if self.handle_unknown not in ("error", "use_encoded_value"):
            raise ValueError(
                "handle_unknown must be 'error' or 'use_encoded_value', got "
                f"{self.handle_unknown!r}"
            )
        use_code = self.handle_unknown == "use_encoded_value"
        uv = self.unknown_value
        float_dtype = np.issubdtype(np.dtype(self.dtype), np.floating)
        if use_code:
            is_int = isinstance(uv, numbers.Integral) and not isinstance(uv, bool)
            if not (is_int or (isinstance(uv, float) and np.isnan(uv))):
                raise TypeError(
                    "unknown_value should be an integer or np.nan when "
                    f"handle_unknown is 'use_encoded_value', got {uv!r}."
                )
            if not is_int and not float_dtype:
                raise ValueError(
                    "When unknown_value is np.nan, the dtype parameter should be "
                    f"a float dtype. Got {self.dtype}."
                )
        elif uv is not None:
            raise TypeError(
                "unknown_value should only be set when handle_unknown is "
                f"'use_encoded_value', got {uv!r}."
            )
        self._fit_categories(X)
        n_known = [c.size - (c.size > 0 and is_nan_category(c[-1])) for c in self.categories_]
        if use_code and isinstance(uv, numbers.Integral) and any(0 <= uv < k for k in n_known):
            raise ValueError(
                f"The used value for unknown_value {uv} is one of the values "
                "already used for encoding the seen categories."
            )
        with_missing = [j for j, c in enumerate(self.categories_) if n_known[j] < c.size]
        emv = self.encoded_missing_value
        if with_missing and not (isinstance(emv, float) and np.isnan(emv)):
            clash = [j for j in with_missing if 0 <= emv < n_known[j]]
            if clash:
                raise ValueError(
                    f"encoded_missing_value ({emv}) is already used to encode a "
                    f"known category in features: {clash}"
                )
        elif with_missing and not float_dtype:
            raise ValueError(
                f"There are missing values in features {with_missing}. For "
                f"OrdinalEncoder to encode missing values with dtype: {self.dtype}, "
                "set encoded_missing_value to a non-nan value, or set dtype to a "
                "float"
            )
        self._n_known = np.array(n_known, dtype=np.int64)
        return self

    def transform(self, X: ArrayLike) -> NDArray[Any]:
        """Integer codes of shape ``(n_samples, n_features)`` in ``dtype``."""
        codes, known = self._encode(X, unknown_ok=self.handle_unknown == "use_encoded_value")
        out = codes.astype(self.dtype)
        missing = known & (codes >= self._n_known)  # the NaN category sits after the known ones
        if missing.any():
            out[missing] = self.encoded_missing_value
        if not known.all():
            out[~known] = self.unknown_value
        return out

    def inverse_transform(self, X: ArrayLike) -> NDArray[Any]:
        """Categories back from codes; ``unknown_value`` becomes ``None``.

        Raises
        ------
        ValueError
            Wrong number of columns, or a code that is neither a category's nor a special one.
        """
        check_is_fitted(self, "categories_")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.categories_):
            raise ValueError(
                f"Shape of the passed X data is not correct: expected "
                f"{len(self.categories_)} columns, got shape {X.shape}"
            )
        out = np.empty(X.shape, dtype=np.result_type(*[c.dtype for c in self.categories_]))
        for j, cats in enumerate(self.categories_):
            col, k = X[:, j], int(self._n_known[j])
            unknown = np.zeros(col.shape, dtype=bool)
            if self.handle_unknown == "use_encoded_value":
                uv = self.unknown_value
                unknown = np.isnan(col) if isinstance(uv, float) else col == uv
            emv = self.encoded_missing_value
            missing = np.isnan(col) if isinstance(emv, float) and np.isnan(emv) else col == emv
            missing &= (k < cats.size) & ~unknown
            regular = ~(unknown | missing)
            bad = regular & ((col != np.round(col)) | (col < 0) | (col >= k) | np.isnan(col))
            if bad.any():
                raise ValueError(
                    f"Column {j} holds codes {col[bad][:5].tolist()} that encode no "
                    f"category (valid codes are 0..{k - 1})"
                )
            values = cats[np.where(regular, col, 0).astype(np.int64)] if cats.size else col
            if missing.any():
                values = np.where(missing, cats[-1], values)
            if unknown.any():
                out, values = out.astype(object), values.astype(object)
                values[unknown] = None
            out[:, j] = values
        return out
