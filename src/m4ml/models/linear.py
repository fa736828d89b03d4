r"""Ordinary and weighted least squares: :class:`LinearRegression` and its statistical summary."""

from collections.abc import Sequence
from typing import ClassVar, Self

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.models._base import check_is_fitted, check_sample_weight, validate_X_y
from m4ml.models._linear_base import LinearPredictMixin, center_and_scale
from m4ml.models._summary import OLSSummary

__all__ = ["LinearRegression", "design"]


def design(X, fit_intercept, sw=None):
    r"""The weighted design :math:`W^{1/2}[\mathbf 1\; X]` (without the ones when no intercept)."""
    A = np.column_stack([np.ones(X.shape[0]), X]) if fit_intercept else X
    return A if sw is None else A * np.sqrt(sw)[:, None]


class LinearRegression(LinearPredictMixin, MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Least-squares linear regression, solved by column-scaled pivoted QR (never
    :math:`X^\top X`).

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit an unpenalized intercept :math:`b` (by centring; see Notes).
    copy_X : bool, default=True
        Accepted for scikit-learn compatibility; ``X`` is never modified.

    Attributes
    ----------
    coef_ : ndarray, shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray (n_targets,)
    rank_ : int
        Numerical rank of the centred, column-scaled design.
    singular_values_ : ndarray
        Singular values of the centred (weight-scaled) design.
    n_features_in_, feature_names_in_

    Notes
    -----
    **Model.** :math:`y_i = b + x_i^\top w + \varepsilon_i` with independent errors of variance
    :math:`\sigma^2/s_i` (sample weights :math:`s_i`, default 1). Maximum likelihood under
    Gaussian errors is weighted least squares,

    .. math:: \min_{w,b}\ \sum_i s_i (y_i - b - x_i^\top w)^2 .

    **Algorithm.** Rows are scaled by :math:`\sqrt{s_i}` and the problem
    :math:`\min_{\beta} \|\tilde y - \tilde A\beta\|` on the design :math:`A = [\mathbf 1\;
    X]` goes to :func:`m4ml.linalg.lstsq`: power-of-two column equilibration, Householder QR
    with column pivoting, back substitution and iterative refinement. Cost :math:`O(np^2)`.
    The intercept is solved for with the slopes rather than recovered as
    :math:`\bar y - \bar x^\top w`, which cancels catastrophically when :math:`\bar y` is large
    against :math:`b` (NIST's Wampler5 loses two digits that way).
    Solving the normal equations :math:`X^\top X w = X^\top y` instead squares the condition
    number and loses all digits on NIST's Filip and Wampler5; QR keeps them. Rank-deficient
    designs get the minimum-norm solution.

    :meth:`summary` returns the inference a statistician expects (standard errors, t and F
    tests, :math:`R^2`), see :class:`m4ml.models._summary.OLSSummary`.

    References
    ----------
    Å. Björck, *Numerical Methods for Least Squares Problems*, SIAM 1996.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [2.0, 1.0], [3.0, 1.0], [4.0, 3.0]])
    >>> y = 1.0 + 2.0 * X[:, 0] - X[:, 1]
    >>> reg = LinearRegression().fit(X, y)
    >>> np.round(reg.coef_, 10).tolist(), round(reg.intercept_, 10)
    ([2.0, -1.0], 1.0)
    >>> float(reg.predict([[5.0, 5.0]])[0])
    6.0
    """

    _parameter_constraints: ClassVar[dict] = {"fit_intercept": ["boolean"], "copy_X": ["boolean"]}

    def __init__(self, *, fit_intercept: bool = True, copy_X: bool = True):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit by least squares; ``sample_weight`` gives weighted least squares. Returns self."""
        from m4ml.linalg.lstsq import lstsq

        self._validate_params()
        X, y = validate_X_y(self, X, y, y_numeric=True, multi_output=True)
        sw = None if sample_weight is None else check_sample_weight(sample_weight, X.shape[0])
        A = design(X, self.fit_intercept, sw)
        b = y if sw is None else y * (np.sqrt(sw) if y.ndim == 1 else np.sqrt(sw)[:, None])
        coef, _, rank, _ = lstsq(A, b)
        if self.fit_intercept and rank < A.shape[1]:
            # rank-deficient: the minimum-norm solution must not count the intercept in the
            # norm, so solve the centred problem instead (b = y_bar - x_bar w)
            Xc, yc, x_off, y_off, _ = center_and_scale(X, y, sw, True)
            w = lstsq(Xc, yc)[0]
            b0 = np.atleast_1d(y_off - x_off @ w)[None]
            coef = np.concatenate([b0, np.reshape(w, (X.shape[1], -1))])
            coef = coef.reshape((X.shape[1] + 1, *y.shape[1:]))
        if self.fit_intercept:
            self.intercept_ = coef[0] if y.ndim == 1 else coef[0].copy()
            coef = coef[1:]
        else:
            self.intercept_ = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
        if np.ndim(self.intercept_) == 0:
            self.intercept_ = float(self.intercept_)
        self.coef_ = coef.T
        self.rank_ = rank - int(self.fit_intercept)
        self._train = (X, y, sw)  # kept for summary() and singular_values_
        self.__dict__.pop("_singular_values", None)
        return self

    @property
    def singular_values_(self) -> FloatArray:
        """Singular values of the centred (weight-scaled) design, computed on first access."""
        from m4ml.linalg.svd import svdvals

        check_is_fitted(self, "coef_")
        if not hasattr(self, "_singular_values"):
            X, _, sw = self._train
            Xc, *_ = center_and_scale(X, X[:, 0], sw, self.fit_intercept)
            self._singular_values = svdvals(Xc) if min(Xc.shape) else np.zeros(0)
        return self._singular_values

    def summary(self, feature_names: Sequence[str] | None = None) -> OLSSummary:
        """Standard errors, t and F tests, :math:`R^2`, as an :class:`~m4ml.models.OLSSummary`.

        Parameters
        ----------
        feature_names : sequence of str, optional
            Row labels (default ``feature_names_in_`` if fitted on a DataFrame, else
            ``x1, x2, ...``).

        Returns
        -------
        OLSSummary
            ``params``, ``bse``, ``tvalues``, ``pvalues`` (intercept first), ``conf_int()``,
            ``rsquared``, ``rsquared_adj``, ``fvalue``, ``f_pvalue``, ``df_resid``,
            ``scale``, ``ssr``, ``resid_std``; ``print()`` it for the table.

        Raises
        ------
        ValueError
            For a model with several targets (summarize one target at a time).
        """
        check_is_fitted(self)
        X, y, sw = self._train
        if y.ndim != 1:
            raise ValueError("summary() needs a single target; fit one model per column of y")
        if feature_names is None:
            feature_names = getattr(self, "feature_names_in_", None)
        if feature_names is None:
            feature_names = [f"x{j + 1}" for j in range(X.shape[1])]
        if len(feature_names) != X.shape[1]:
            raise ValueError(
                f"feature_names has {len(feature_names)} names for {X.shape[1]} features"
            )
        names = [str(f) for f in feature_names]
        return OLSSummary(X, y, sw, self.fit_intercept, self.coef_, self.intercept_, names)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
