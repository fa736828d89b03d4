"""Row normalization: rescale every sample to unit l1, l2 or max norm."""

from typing import ClassVar, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils._param_validation import StrOptions

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml._core.sklearn_compat import validate_data
from m4ml.pipeline._column_stats import handle_zeros_in_scale

__all__ = ["Normalizer"]


class Normalizer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each sample (row) to unit norm, independently of the other samples.

    Stateless: ``fit`` only checks the input and records the number of features. float32
    input stays float32.

    Parameters
    ----------
    norm : {"l1", "l2", "max"}, default="l2"
        The row norm to make 1.
    copy : bool, default=True
        If False, normalize in place where the input is already a float64 (or float32) array.

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        For an unknown ``norm``, NaN or infinite input, or a wrong number of features.

    Notes
    -----
    .. math:: x'_i = \\frac{x_i}{\\lVert x_i \\rVert},\\qquad
        \\lVert x \\rVert_1 = \\sum_j |x_j|,\\quad
        \\lVert x \\rVert_2 = \\Big(\\sum_j x_j^2\\Big)^{1/2},\\quad
        \\lVert x \\rVert_\\infty = \\max_j |x_j|.

    A row of zeros has norm 0 and is left unchanged. Useful when only the direction of a
    sample matters, e.g. cosine similarity of term-frequency vectors, which is the plain dot
    product of l2-normalized rows.

    References
    ----------
    C. D. Manning, P. Raghavan, H. Schütze, *Introduction to Information Retrieval*,
    Cambridge University Press 2008, section 6.3.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[3.0, 4.0], [1.0, -1.0], [0.0, 0.0]])
    >>> Normalizer().fit_transform(X).round(4).tolist()
    [[0.6, 0.8], [0.7071, -0.7071], [0.0, 0.0]]
    >>> Normalizer(norm="l1").fit_transform(X).tolist()
    [[0.42857142857142855, 0.5714285714285714], [0.5, -0.5], [0.0, 0.0]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "norm": [StrOptions({"l1", "l2", "max"})],
        "copy": ["boolean"],
    }

    def __init__(self, norm: Literal["l1", "l2", "max"] = "l2", *, copy: bool = True):
        self.norm = norm
        self.copy = copy

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Check ``X`` and record its number of features; return self."""
        self._validate_params()
        validate_data(self, X, dtype=(np.float64, np.float32))
        return self

    def transform(self, X: ArrayLike, copy: bool | None = None) -> FloatArray:
        """Divide each row by its norm (rows of zeros unchanged)."""
        self._validate_params()
        copy = self.copy if copy is None else copy
        X = validate_data(
            self, X, reset=False, dtype=(np.float64, np.float32), copy=copy, force_writeable=True
        )
        if self.norm == "l1":
            norms = np.abs(X).sum(axis=1)
        elif self.norm == "l2":
            norms = np.sqrt(np.einsum("ij,ij->i", X, X))
        else:
            norms = np.abs(X).max(axis=1) if X.shape[1] else np.zeros(len(X))
        X /= handle_zeros_in_scale(norms)[:, None]
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
