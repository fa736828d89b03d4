r"""Cross-conformal regression: jackknife+ and CV+ intervals (Barber, Candès, Ramdas, Tibshirani).

Split conformal prediction spends part of the data on calibration. The jackknife+ uses every
point for both: fit :math:`K` models :math:`\hat\mu_{-k}`, each without fold :math:`k` (one point
per fold is the jackknife, :math:`K = n`), take the out-of-fold residuals
:math:`R_i = |y_i - \hat\mu_{-k(i)}(x_i)|`, and predict

.. math:: \Bigl[\, \hat q^-_{\alpha}\{\hat\mu_{-k(i)}(x) - R_i\},\;
          \hat q^+_{1-\alpha}\{\hat\mu_{-k(i)}(x) + R_i\} \Bigr],

the :math:`\lfloor \alpha (n+1) \rfloor`-th smallest and :math:`\lceil (1-\alpha)(n+1) \rceil`-th
smallest of the :math:`n` values. **Guarantee** (exchangeable data, any algorithm symmetric in
its training points): coverage :math:`\ge 1 - 2\alpha` for the jackknife+, and
:math:`\ge 1 - 2\alpha - \sqrt{2/n}` for CV+ with :math:`K` folds (Barber et al. 2021, Thms. 1
and 4); in practice it is close to :math:`1 - \alpha`. The "minmax" variant (jackknife-minmax)
uses :math:`[\min_k \hat\mu_{-k}(x) - \hat q,\ \max_k \hat\mu_{-k}(x) + \hat q]` and guarantees
:math:`1 - \alpha`; "base" (:math:`\hat\mu(x) \pm \hat q`) has no guarantee.
"""

import math
import numbers
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone

from m4ml._core.hints import ArrayLike, Estimator, FloatArray, Seed, Splitter
from m4ml.models._base import check_is_fitted, validate_X, validate_X_y
from m4ml.models.conformal import _check_level, _default_regressor, conformal_quantile

__all__ = ["CrossConformalRegressor"]


def _take(X, idx):
    return X.iloc[idx] if hasattr(X, "iloc") else X[idx]


class CrossConformalRegressor(RegressorMixin, BaseEstimator):
    r"""Jackknife+ / CV+ prediction intervals around any regressor, using all the data.

    Parameters
    ----------
    estimator : regressor, optional
        Default :class:`m4ml.models.LinearRegression`.
    confidence_level : float, default 0.9
    method : {"plus", "minmax", "base"}, default "plus"
    cv : int, splitter or "jackknife", default 5
        Folds: ``"jackknife"`` (or ``-1``) is leave-one-out; an int :math:`K` is
        :class:`m4ml.pipeline.KFold` (K, shuffled with ``random_state``).
    random_state : None, int or numpy.random.Generator

    Attributes
    ----------
    estimator_ : regressor fitted on all the data (the point prediction)
    estimators_ : list of the :math:`K` leave-fold-out regressors
    conformity_scores_ : ndarray, shape (n,)
        Out-of-fold absolute residuals :math:`R_i`.

    Notes
    -----
    Costs :math:`K + 1` fits; a prediction evaluates all :math:`K` models and selects two order
    statistics per test point (:math:`O(n)` each).

    References
    ----------
    .. [1] R. F. Barber, E. J. Candès, A. Ramdas and R. J. Tibshirani, "Predictive inference
       with the jackknife+", Annals of Statistics 49(1), 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import CrossConformalRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 10, (200, 1)); y = 3 * X[:, 0] + rng.standard_normal(200)
    >>> ccr = CrossConformalRegressor(cv=10, random_state=0).fit_conformalize(X[:150], y[:150])
    >>> y_pred, bounds = ccr.predict_interval(X[150:])
    >>> bool(np.all(bounds[:, 0] <= bounds[:, 1]))
    True
    """

    def __init__(
        self,
        estimator: Estimator | None = None,
        *,
        confidence_level: float = 0.9,
        method: Literal["plus", "minmax", "base"] = "plus",
        cv: int | Splitter | Literal["jackknife"] = 5,
        random_state: Seed = None,
    ):
        self.estimator = estimator
        self.confidence_level = confidence_level
        self.method = method
        self.cv = cv
        self.random_state = random_state

    def _splits(self, n):
        from m4ml.pipeline import KFold, LeaveOneOut

        cv = self.cv
        if cv == "jackknife" or (isinstance(cv, numbers.Integral) and cv == -1):
            return list(LeaveOneOut().split(np.zeros((n, 1))))
        if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
            if not 2 <= cv <= n:
                raise ValueError(
                    f"cv must be 'jackknife', -1 or an int in [2, n_samples={n}], got {cv}"
                )
            return list(
                KFold(int(cv), shuffle=True, random_state=self.random_state).split(np.zeros((n, 1)))
            )
        if hasattr(cv, "split"):
            return list(cv.split(np.zeros((n, 1))))
        raise ValueError(f"cv must be 'jackknife', -1, an int or a splitter, got {cv!r}")

    def fit_conformalize(self, X: ArrayLike, y: ArrayLike, **fit_params: Any) -> Self:
        """Fit the leave-fold-out models and the full model, and the out-of-fold residuals."""
        _check_level(self.confidence_level)
        if self.method not in ("plus", "minmax", "base"):
            raise ValueError(f"method must be 'plus', 'minmax' or 'base', got {self.method!r}")
        if y is None:
            raise ValueError("requires y to be passed, but the target y is None")
        y = validate_X_y(self, X, y, y_numeric=True)[1]
        X = X if hasattr(X, "iloc") else np.asarray(X)
        n = y.size
        if n < 2:
            raise ValueError(f"n_samples={n}: cross-conformal prediction needs at least 2")
        base = self.estimator if self.estimator is not None else _default_regressor()
        splits = self._splits(n)
        fold_of = np.full(n, -1)
        self.estimators_ = []
        resid = np.empty(n)
        for k, (train, test) in enumerate(splits):
            est = clone(base).fit(_take(X, train), y[train], **fit_params)
            self.estimators_.append(est)
            fold_of[test] = k
            resid[test] = np.abs(y[test] - np.asarray(est.predict(_take(X, test))).reshape(-1))
        if (fold_of < 0).any():
            raise ValueError("the cv splits leave some points out of every test fold")
        self.estimator_ = clone(base).fit(X, y, **fit_params)
        self.conformity_scores_, self.fold_of_ = resid, fold_of
        return self

    def fit(self, X: ArrayLike, y: ArrayLike, **fit_params: Any) -> Self:
        """Same as :meth:`fit_conformalize`."""
        return self.fit_conformalize(X, y, **fit_params)

    def predict(self, X: ArrayLike) -> FloatArray:
        """Point prediction of the model fitted on all the data."""
        check_is_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict(X), dtype=np.float64).reshape(-1)

    def predict_interval(
        self, X: ArrayLike, confidence_level: float | ArrayLike | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(y_pred, intervals)``, intervals of shape (n_samples, 2)."""
        check_is_fitted(self, "estimator_")
        validate_X(self, X, reset=False)
        level = _check_level(
            self.confidence_level if confidence_level is None else confidence_level
        )
        y_pred = self.predict(X)
        R = self.conformity_scores_
        if self.method == "base":
            q = conformal_quantile(R, level)
            return y_pred, np.column_stack([y_pred - q, y_pred + q])
        fold_preds = np.stack(
            [np.asarray(e.predict(X), dtype=np.float64).reshape(-1) for e in self.estimators_]
        )  # (K, m)
        if self.method == "minmax":
            q = conformal_quantile(R, level)
            return y_pred, np.column_stack([fold_preds.min(0) - q, fold_preds.max(0) + q])
        n, alpha = R.size, 1.0 - level
        mu = fold_preds[self.fold_of_]  # (n, m): the model that did not see point i
        k_hi = math.ceil((1 - alpha) * (n + 1) - 1e-12)
        k_lo = math.floor(alpha * (n + 1) + 1e-12)
        if k_hi > n or k_lo < 1:
            inf = np.full_like(y_pred, np.inf)
            return y_pred, np.column_stack([-inf, inf])
        lower = np.partition(mu - R[:, None], k_lo - 1, axis=0)[k_lo - 1]
        upper = np.partition(mu + R[:, None], k_hi - 1, axis=0)[k_hi - 1]
        return y_pred, np.column_stack([lower, upper])
