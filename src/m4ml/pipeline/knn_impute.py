"""k-nearest-neighbour imputation with the NaN-aware Euclidean distance."""

import numbers
from collections.abc import Callable
from typing import Any, ClassVar, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, MissingValues, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, NDArray
from m4ml.pipeline._missing import is_nan_missing, missing_mask, validate_missing_input
from m4ml.pipeline.impute import MissingIndicator

__all__ = ["KNNImputer", "nan_euclidean_distances"]

_CHUNK_ELEMENTS = 2**22  # distance entries per block of receiving rows (32 MB of float64)


@overflow_guard("nan_euclidean_distances")
def nan_euclidean_distances(
    X: ArrayLike, Y: ArrayLike, mask_X: ArrayLike | None = None, mask_Y: ArrayLike | None = None
) -> FloatArray:
    """Euclidean distances between the rows of X and Y over the coordinates both observe.

    Parameters
    ----------
    X : ndarray (n, d), Y : ndarray (m, d)
        Float arrays; NaN marks a missing coordinate (unless masks are given).
    mask_X, mask_Y : ndarray of bool, optional
        Missing-coordinate masks (default ``isnan``).

    Returns
    -------
    ndarray (n, m)
        NaN for a pair with no coordinate observed in both rows.

    Notes
    -----
    With :math:`p_{xj}` = 1 if coordinate :math:`j` of :math:`x` is observed, and
    :math:`P = \\{j : p_{xj} p_{yj} = 1\\}`,

    .. math:: d(x, y) = \\sqrt{\\frac{d}{|P|} \\sum_{j \\in P} (x_j - y_j)^2},

    the observed squared distance scaled up to all :math:`d` coordinates. Writing
    :math:`\\tilde x` for :math:`x` with zeros at its missing coordinates and :math:`m_x = 1 -
    p_x`, the sum is a handful of matrix products over all pairs at once,

    .. math:: \\sum_{j\\in P}(x_j - y_j)^2 = \\lVert\\tilde x\\rVert^2 + \\lVert\\tilde y\\rVert^2
        - 2\\,\\tilde x^\\top \\tilde y - (\\tilde x^{\\circ 2})^\\top m_y
        - m_x^\\top \\tilde y^{\\circ 2},

    the full expansion minus the squares of the coordinates the other row misses, evaluated in
    the order scikit-learn uses so that both see bitwise-equal distances and break ties among
    equidistant donors alike; :math:`|P| = p_x^\\top p_y`. Rounding can push the sum slightly
    below zero, so it is clipped at 0.

    References
    ----------
    J. K. Dixon, "Pattern recognition with partly missing data", IEEE Transactions on Systems,
    Man, and Cybernetics 9(10), 1979.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[3.0, np.nan, np.nan, 6.0]])
    >>> Y = np.array([[1.0, np.nan, 4.0, 5.0], [np.nan, 1.0, 2.0, np.nan]])
    >>> nan_euclidean_distances(X, Y).round(4).tolist()
    [[3.1623, nan]]
    """
    X = as_float_array(X, "X", min_ndim=2, max_ndim=2, finite=False)
    Y = as_float_array(Y, "Y", min_ndim=2, max_ndim=2, finite=False)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"X and Y must have the same number of columns, got {X.shape} and {Y.shape}"
        )
    if np.isinf(X).any() or np.isinf(Y).any():
        raise ValueError("X or Y contains infinity; NaN marks a missing value, infinity is not one")
    mask_X = np.isnan(X) if mask_X is None else mask_X
    mask_Y = np.isnan(Y) if mask_Y is None else mask_Y
    X0, Y0 = np.where(mask_X, 0.0, X), np.where(mask_Y, 0.0, Y)
    # full squared distance |x|^2 + |y|^2 - 2 x.y, then remove the squares of the coordinates
    # the other row does not observe
    D = X0 @ Y0.T
    D *= -2.0
    D += np.einsum("ij,ij->i", X0, X0)[:, None]
    D += np.einsum("ij,ij->i", Y0, Y0)[None, :]
    np.maximum(D, 0.0, out=D)
    D -= (X0 * X0) @ mask_Y.T.astype(np.float64)
    D -= mask_X.astype(np.float64) @ (Y0 * Y0).T
    np.maximum(D, 0.0, out=D)
    count = (~mask_X).astype(np.float64) @ (~mask_Y).T.astype(np.float64)
    D[count == 0] = np.nan
    D /= np.maximum(count, 1.0)
    D *= X.shape[1]
    return np.sqrt(D, out=D)


def _neighbor_weights(dist, weights):
    """Weights of the k nearest donors; NaN distances get weight 0."""
    if weights == "uniform":
        w = np.ones_like(dist)
    elif weights == "distance":
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        exact = np.isinf(w)
        rows = exact.any(axis=1)  # a donor at distance 0 takes all the weight
        w[rows] = exact[rows]
    else:
        w = np.asarray(weights(dist), dtype=np.float64)
    w[np.isnan(dist) | np.isnan(w)] = 0.0
    return w


class KNNImputer(TransformerMixin, BaseEstimator):
    """Fill each missing entry with the (weighted) mean of that feature in the k nearest rows.

    Parameters
    ----------
    missing_values : float, int or None, default=np.nan
        The placeholder for missing entries.
    n_neighbors : int, default=5
        Number of donor rows (fewer if fewer training rows observe the feature).
    weights : {"uniform", "distance"} or callable, default="uniform"
        Donor weights: equal, inverse distance, or ``weights(distances) -> weights`` applied
        to the ``(n_receivers, k)`` distance array.
    metric : {"nan_euclidean"}, default="nan_euclidean"
        The distance (the only one implemented).
    copy : bool, default=True
        If False, impute in place where possible.
    add_indicator : bool, default=False
        Append :class:`~m4ml.pipeline.impute.MissingIndicator` columns.
    keep_empty_features : bool, default=False
        Keep features entirely missing in fit (filled with 0) instead of dropping them.

    Attributes
    ----------
    indicator_ : MissingIndicator or None
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    ValueError
        Bad parameters, infinite values, wrong number of features at transform.

    Notes
    -----
    For a row :math:`x` missing feature :math:`j`, the donors are the training rows that
    observe :math:`j`; among them the :math:`k` closest in the NaN-aware Euclidean distance
    (:func:`nan_euclidean_distances`) give

    .. math:: \\hat x_j = \\frac{\\sum_{r \\in N_k(x)} w_r\\, x_{rj}}{\\sum_{r \\in N_k(x)} w_r},
        \\qquad w_r = 1 \\text{ (uniform) or } 1/d(x, x_r) \\text{ (distance)}.

    A donor at distance 0 takes all the weight; a donor sharing no observed coordinate with
    :math:`x` (distance NaN) gets weight 0, and if no donor shares one, the training mean of
    feature :math:`j` is used. Distances are computed with three matrix products per block of
    rows, so memory stays bounded (about 32 MB per block) for large inputs. That expansion
    loses relative accuracy :math:`\\approx \\varepsilon \\lVert x \\rVert^2 / d^2` for close
    pairs, so with distance weights the k chosen neighbours' distances are recomputed from
    their coordinate differences before weighting (scikit-learn weights with the expanded
    distances, so the two agree only to about that rounding error, ~1e-9 relative).

    References
    ----------
    O. Troyanskaya et al., "Missing value estimation methods for DNA microarrays",
    Bioinformatics 17(6), 2001.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0, np.nan], [3.0, 4.0, 3.0], [np.nan, 6.0, 5.0], [8.0, 8.0, 7.0]])
    >>> KNNImputer(n_neighbors=2).fit_transform(X).tolist()
    [[1.0, 2.0, 4.0], [3.0, 4.0, 3.0], [5.5, 6.0, 5.0], [8.0, 8.0, 7.0]]
    """

    _parameter_constraints: ClassVar[dict] = {
        "missing_values": [MissingValues(numeric_only=True)],
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "weights": [StrOptions({"uniform", "distance"}), callable],
        "metric": [StrOptions({"nan_euclidean"})],
        "copy": ["boolean"],
        "add_indicator": ["boolean"],
        "keep_empty_features": ["boolean"],
    }

    def __init__(
        self,
        *,
        missing_values: Any = np.nan,
        n_neighbors: int = 5,
        weights: Literal["uniform", "distance"] | Callable[[FloatArray], ArrayLike] = "uniform",
        metric: Literal["nan_euclidean"] = "nan_euclidean",
        copy: bool = True,
        add_indicator: bool = False,
        keep_empty_features: bool = False,
    ):
        self.missing_values = missing_values
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def fit(self, X: ArrayLike, y: ArrayLike | None = None) -> Self:
        """Store the training rows as donors; return self."""
        self._validate_params()
        X = validate_missing_input(self, X, reset=True, dtype=np.float64)
        mask = missing_mask(X, self.missing_values)
        self._fit_X = np.where(mask, 0.0, X)
        self._mask_fit_X = mask
        self._valid_mask = ~mask.all(axis=0)
        self.indicator_ = None
        if self.add_indicator:
            self.indicator_ = MissingIndicator(
                missing_values=self.missing_values, error_on_new=False
            )._fit_mask(mask)
            self.indicator_.n_features_in_ = self.n_features_in_
        return self

    def _exact_distances(self, Xq, mask, rows, neighbors):
        """Distances from each row to its chosen neighbours, from the coordinate differences."""
        both = ~mask[rows][:, None, :] & ~self._mask_fit_X[neighbors]
        diff = np.where(both, Xq[rows][:, None, :] - self._fit_X[neighbors], 0.0)
        count = both.sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            sq = np.einsum("rkd,rkd->rk", diff, diff) * (Xq.shape[1] / count)
        sq[count == 0] = np.nan
        return np.sqrt(sq)

    def _impute_block(self, X, Xq, mask, rows, D):
        """Impute ``X[rows]`` in place given its distances ``D`` to every training row."""
        fit_X, fit_mask = self._fit_X, self._mask_fit_X
        for j in np.flatnonzero(self._valid_mask & mask[rows].any(axis=0)):  # columns, not rows
            receivers = np.flatnonzero(mask[rows, j])
            donors = np.flatnonzero(~fit_mask[:, j])
            dist = D[np.ix_(receivers, donors)]
            k = min(self.n_neighbors, donors.size)
            nearest = np.argpartition(dist, k - 1, axis=1)[:, :k]  # NaN sorts last
            if self.weights == "uniform":
                near_dist = np.take_along_axis(dist, nearest, axis=1)
            else:  # weights depend on the distances: recompute them free of cancellation
                near_dist = self._exact_distances(Xq, mask, rows[receivers], donors[nearest])
            w = _neighbor_weights(near_dist, self.weights)
            total = w.sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = (w * fit_X[donors[nearest], j]).sum(axis=1) / total
            no_overlap = ~(total > 0)  # no donor shares an observed coordinate with the row
            value[no_overlap] = fit_X[donors, j].mean()
            X[rows[receivers], j] = value

    def transform(self, X: ArrayLike) -> FloatArray:
        """Impute every missing entry from the k nearest training rows."""
        check_is_fitted(self)
        X = validate_missing_input(self, X, reset=False, dtype=np.float64)
        mask = missing_mask(X, self.missing_values)
        valid = self._valid_mask
        todo = np.flatnonzero(mask[:, valid].any(axis=1))
        if todo.size:
            Xq = np.where(mask, 0.0, X)
            n_fit = self._fit_X.shape[0]
            step = max(1, _CHUNK_ELEMENTS // max(n_fit, 1))
            for start in range(0, todo.size, step):  # blocks of rows bound the memory
                rows = todo[start : start + step]
                D = nan_euclidean_distances(Xq[rows], self._fit_X, mask[rows], self._mask_fit_X)
                self._impute_block(X, Xq, mask, rows, D)
        if self.keep_empty_features:
            X[:, ~valid] = np.where(mask[:, ~valid], 0.0, X[:, ~valid])
            out = X
        else:
            out = X[:, valid]
        if self.add_indicator:
            out = np.hstack((out, self.indicator_._transform_mask(mask)))
        return out

    def get_feature_names_out(self, input_features: ArrayLike | None = None) -> NDArray[np.object_]:
        """Names of the kept features, then the indicator names if ``add_indicator``."""
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        out = names if self.keep_empty_features else names[self._valid_mask]
        if self.add_indicator:
            out = np.concatenate([out, self.indicator_.get_feature_names_out(names)])
        return np.asarray(out, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = is_nan_missing(self.missing_values)
        return tags
