r"""Epsilon-support vector regression: a tube of half-width epsilon around a kernel regression.

Primal: :math:`\min \tfrac12\|w\|^2 + \sum_i C_i(\xi_i + \xi_i^*)` subject to
:math:`y_i - w^\top\phi(x_i) - b \le \varepsilon + \xi_i`,
:math:`w^\top\phi(x_i) + b - y_i \le \varepsilon + \xi_i^*`, :math:`\xi, \xi^* \ge 0`. Its dual
in the :math:`2n` multipliers :math:`(\alpha, \alpha^*)`,

.. math::

    \min\ \tfrac12(\alpha-\alpha^*)^\top K(\alpha-\alpha^*) + \varepsilon\sum(\alpha_i+\alpha_i^*)
    - \sum y_i(\alpha_i - \alpha_i^*),\quad 0 \le \alpha, \alpha^* \le C,\quad
    \sum(\alpha_i - \alpha_i^*) = 0,

is the classification dual of :mod:`m4ml.models._smo` with labels :math:`(+1)^n, (-1)^n`,
linear term :math:`p = (\varepsilon - y, \varepsilon + y)` and variable :math:`t` mapped to
sample :math:`t \bmod n`; :math:`f(x) = \sum_i(\alpha_i - \alpha_i^*)K(x_i, x) - \rho`.
"""

import numbers
from collections.abc import Callable
from typing import Literal, Self

import numpy as np
from sklearn.base import RegressorMixin

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.models._base import check_sample_weight, validate_X_y, warn_not_converged
from m4ml.models._smo import solve_dual
from m4ml.models._svm_base import BaseSVM

__all__ = ["SVR"]


class SVR(RegressorMixin, BaseSVM):
    r"""Epsilon-insensitive support vector regression.

    Parameters
    ----------
    kernel, degree, gamma, coef0, tol, C, cache_size, max_iter
        As in :class:`~m4ml.models.SVC`.
    epsilon : float, default=0.1
        Half-width of the tube inside which errors cost nothing.

    Attributes
    ----------
    support_, support_vectors_, n_support_, dual_coef_ (1, n_SV), intercept_ (1,), fit_status_

    Notes
    -----
    The intercept is :math:`-\rho`, :math:`\rho` averaged over the free variables
    (:math:`0 < \alpha_t < C_t`), as for :class:`~m4ml.models.SVC`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.linspace(0, 1, 20)[:, None]
    >>> reg = SVR(kernel="linear", C=100.0, epsilon=0.01).fit(X, 2 * X[:, 0] + 1)
    >>> np.round(reg.predict([[0.5]]), 2).tolist()
    [2.0]
    """

    def __init__(
        self,
        *,
        kernel: Literal["linear", "poly", "rbf", "sigmoid", "precomputed"]
        | Callable[..., ArrayLike] = "rbf",
        degree: float = 3,
        gamma: Literal["scale", "auto"] | float = "scale",
        coef0: float = 0.0,
        tol: float = 1e-3,
        C: float = 1.0,
        epsilon: float = 0.1,
        cache_size: float = 200,
        max_iter: int = -1,
    ):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.cache_size = cache_size
        self.max_iter = max_iter

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the regression tube; returns ``self``."""
        self._check_common()
        eps = self.epsilon
        if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps >= 0:
            raise ValueError(f"epsilon must be a number >= 0, got {eps!r}")
        X, y = validate_X_y(self, X, y, y_numeric=True)
        X = self._validate_train_X(X, y)
        w = check_sample_weight(sample_weight, X.shape[0])
        keep = np.flatnonzero(w > 0)
        self.shape_fit_ = X.shape
        rows = self._kernel_rows(X).subset(keep)
        n = keep.size
        yk = y[keep]
        Ck = self.C * w[keep]
        res = solve_dual(
            rows,
            np.r_[np.ones(n), -np.ones(n)],
            np.r_[eps - yk, eps + yk],
            np.r_[Ck, Ck],
            sample_of=np.r_[np.arange(n), np.arange(n)],
            tol=float(self.tol),
            max_iter=int(self.max_iter),
            cache_bytes=float(self.cache_size) * 2**20,
            working_set=self._working_set,
        )
        self.fit_status_ = int(not res.converged)
        self.n_iter_ = int(res.n_iter)
        if not res.converged:
            warn_not_converged("SVR", self.max_iter, hint="increase max_iter or tol")
        coef = res.alpha[:n] - res.alpha[n:]
        sv = np.flatnonzero(coef != 0)
        self.support_ = keep[sv].astype(np.int32)
        self.n_support_ = np.array([0, sv.size], dtype=np.int32)
        self.support_vectors_ = (
            np.empty((0, 0)) if self.kernel == "precomputed" else X[self.support_].copy()
        )
        self.dual_coef_ = coef[sv][None, :]
        self.intercept_ = np.array([-res.rho])
        self._dual_objective = res.objective
        return self

    def predict(self, X: ArrayLike) -> FloatArray:
        r""":math:`f(x) = \sum_i(\alpha_i - \alpha_i^*)K(x_i, x) + b`."""
        K = self._kernel_to_support(X)
        return K @ self.dual_coef_[0] + self.intercept_[0]
