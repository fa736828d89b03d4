"""Categorical encoders: one-hot (indicator) columns and ordinal codes (the ordinal encoder is
defined in :mod:`m4ml.pipeline.ordinal_encode` and exported from here).

Both learn, for every input column :math:`j`, its categories :math:`c_{j,0} < c_{j,1} < \\dots`
(sorted distinct values; in object columns ``None`` and then NaN come last) and then map each
entry to the position of its category. Output is always a dense NumPy array: SciPy's sparse
matrices sit outside what m4ml's library code may import, so ``sparse_output=True`` is refused.
"""

import warnings
from collections.abc import Callable, Sequence
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import DTypeLike
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core.hints import ArrayLike, NDArray
from m4ml.pipeline._categories import BaseEncoder, encode_column
from m4ml.pipeline.ordinal_encode import OrdinalEncoder as OrdinalEncoder  # exported from here


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
