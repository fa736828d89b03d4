r"""The ordinal encoder: each category of a feature becomes its position,
:math:`c_{jk} \mapsto k`.

Categories are learned as in :mod:`m4ml.pipeline.encode` (sorted distinct values; in object
columns ``None`` and then NaN come last). :class:`OrdinalEncoder` is also importable from
:mod:`m4ml.pipeline.encode`, its home before this module, so earlier pickles still load.
"""

import numbers
from collections.abc import Sequence
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import DTypeLike
from sklearn.base import OneToOneFeatureMixin
from sklearn.utils.validation import check_is_fitted

from m4ml._core.hints import ArrayLike, NDArray
from m4ml.pipeline._categories import BaseEncoder, is_nan_category

__all__ = ["OrdinalEncoder"]


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
