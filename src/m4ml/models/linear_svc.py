r"""Linear support vector classification (LIBLINEAR's formulation): primal Newton or dual CD.

With the bias folded into the weights (each row gains a constant feature ``intercept_scaling``,
so the bias is regularized too, as in LIBLINEAR), one binary problem is

.. math::

    \min_w\ \tfrac12\|w\|^2 + \sum_i C_i\,\ell(y_i w^\top x_i),\qquad
    \ell(m) = \max(0, 1-m) \ \text{(hinge)}\ \text{ or }\ \max(0, 1-m)^2\ \text{(squared hinge)}.

**Primal Newton** (squared hinge; tall data). The objective is convex, piecewise quadratic and
:math:`C^1`, with gradient :math:`w - 2\sum_{i\in A}C_iy_i(1 - y_iw^\top x_i)x_i` over the
active set :math:`A = \{i: y_iw^\top x_i < 1\}` and generalized Hessian
:math:`I + 2X_A^\top \mathrm{diag}(C_A) X_A`; Newton steps with a backtracking line search
reach the exact minimizer in a handful of iterations (the active set settles), each costing
:math:`O(nd + |A|d^2 + d^3)`.

**Dual coordinate descent** (Hsieh et al. 2008; hinge, or ``dual=True``). The dual
:math:`\min_\alpha \tfrac12\alpha^\top\bar Q\alpha - e^\top\alpha`, :math:`0\le\alpha_i\le U_i`,
with :math:`\bar Q = Q + D`, :math:`Q_{ij} = y_iy_jx_i^\top x_j` (hinge: :math:`U_i = C_i`,
:math:`D = 0`; squared hinge: :math:`U = \infty`, :math:`D_{ii} = 1/(2C_i)`) is minimized one
coordinate at a time in closed form, keeping :math:`w = \sum\alpha_iy_ix_i` up to date so each
step costs :math:`O(d)`: :math:`G = y_iw^\top x_i - 1 + D_{ii}\alpha_i`,
:math:`\alpha_i \leftarrow \min(\max(\alpha_i - G/\bar Q_{ii}, 0), U_i)`. It stops when the
projected gradient's spread falls below ``tol`` (LIBLINEAR's rule). A Python-level loop over
samples: the teaching path, kept for the hinge loss, which has no smooth primal.
"""

import numbers
from collections.abc import Mapping
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.linalg import cho_solve, cholesky
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    class_weight_vector,
    classification_targets,
    validate_X,
    validate_X_y,
    warn_not_converged,
)
from m4ml.models.pca import random_generator

__all__ = ["LinearSVC"]


def primal_newton(X, y, C, *, tol, max_iter):
    """Minimize 0.5|w|^2 + sum C_i max(0, 1 - y_i w.x_i)^2 by Newton's method; (w, n_iter, ok)."""
    d = X.shape[1]
    w = np.zeros(d)

    def objective(w):
        slack = np.maximum(1.0 - y * (X @ w), 0.0)
        return 0.5 * w @ w + C @ (slack * slack)

    f = objective(w)
    g0 = None
    for it in range(1, max_iter + 1):
        margin = y * (X @ w)
        A = margin < 1.0
        XA = X[A]
        coef = C[A] * (1.0 - margin[A]) * y[A]
        g = w - 2.0 * (coef @ XA)
        gnorm = float(np.sqrt(g @ g))
        g0 = gnorm if g0 is None else g0
        if gnorm <= tol * max(g0, 1e-300):
            return w, it - 1, True
        H = (XA.T * (2.0 * C[A])) @ XA
        H.flat[:: d + 1] += 1.0
        step = -cho_solve((cholesky(H), True), g)
        t, slope = 1.0, float(g @ step)
        while True:
            f_new = objective(w + t * step)
            if f_new <= f + 1e-4 * t * slope or t < 1e-10:
                break
            t *= 0.5
        w, f = w + t * step, f_new
    return w, max_iter, False


def dual_cd(X, y, C, *, loss, tol, max_iter, rng):
    """Hsieh et al.'s dual coordinate descent; returns (w, alpha, n_iter, converged)."""
    n, d = X.shape
    if loss == "hinge":
        upper, diag = C, np.zeros(n)
    else:
        upper, diag = np.full(n, np.inf), 0.5 / C
    Qii = np.einsum("ij,ij->i", X, X) + diag
    alpha, w = np.zeros(n), np.zeros(d)
    rows = [X[i] for i in range(n)]
    for epoch in range(1, max_iter + 1):
        pg_max, pg_min = -np.inf, np.inf
        for i in rng.permutation(n):
            xi, yi, ai = rows[i], y[i], alpha[i]
            G = yi * float(w @ xi) - 1.0 + diag[i] * ai
            if ai == 0.0:
                pg = min(G, 0.0)
            elif ai >= upper[i]:
                pg = max(G, 0.0)
            else:
                pg = G
            pg_max, pg_min = max(pg_max, pg), min(pg_min, pg)
            if pg != 0.0 and Qii[i] > 0:
                new = min(max(ai - G / Qii[i], 0.0), upper[i])
                w += (new - ai) * yi * xi
                alpha[i] = new
        if pg_max - pg_min <= tol:
            return w, alpha, epoch, True
    return w, alpha, max_iter, False


class LinearSVC(ClassifierMixin, BaseEstimator):
    r"""Linear SVM classifier (one-vs-rest), LIBLINEAR's objective with a regularized bias.

    Parameters
    ----------
    penalty : {"l2"}, default="l2"
    loss : {"squared_hinge", "hinge"}, default="squared_hinge"
    dual : "auto" or bool, default="auto"
        "auto": the primal Newton solver for the squared hinge when ``n_samples >=
        n_features``, else dual coordinate descent; the hinge loss always uses the dual.
    tol : float, default=1e-4
        Primal: stop when :math:`\|\nabla f\| \le \text{tol}\,\|\nabla f(0)\|`; dual: when the
        projected gradient's spread is below ``tol``.
    C : float, default=1.0
    fit_intercept : bool, default=True
    intercept_scaling : float, default=1.0
        Value of the constant feature; the fitted bias is ``intercept_scaling * w_last``.
    class_weight : dict, "balanced" or None
    random_state : None, int, RandomState or Generator
        Order of the dual coordinates.
    max_iter : int, default=1000

    Attributes
    ----------
    coef_ : ndarray (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray (1,) or (n_classes,)
    classes_, n_iter_, n_features_in_

    Notes
    -----
    See the module docstring for both solvers. Several classes are handled one-vs-rest, with
    LIBLINEAR's weighting: in class :math:`k`'s problem the positives get :math:`C w_k` and the
    negatives plain :math:`C` (times any sample weights).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0, 0.0], [-1.0, 1.0], [1.0, -1.0], [2.0, 0.0]])
    >>> LinearSVC().fit(X, [0, 0, 1, 1]).predict([[-3.0, 0.0], [3.0, 0.0]]).tolist()
    [0, 1]
    """

    def __init__(
        self,
        penalty: Literal["l2"] = "l2",
        loss: Literal["squared_hinge", "hinge"] = "squared_hinge",
        *,
        dual: bool | Literal["auto"] = "auto",
        tol: float = 1e-4,
        C: float = 1.0,
        fit_intercept: bool = True,
        intercept_scaling: float = 1.0,
        class_weight: Mapping[Any, float] | Literal["balanced"] | None = None,
        random_state: Seed = None,
        max_iter: int = 1000,
    ):
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.max_iter = max_iter

    def _check_params(self):
        if self.penalty != "l2":
            raise ValueError(f"penalty must be 'l2' (got {self.penalty!r}); l1 is not implemented")
        if self.loss not in ("hinge", "squared_hinge"):
            raise ValueError(f"loss must be 'hinge' or 'squared_hinge', got {self.loss!r}")
        if self.dual not in ("auto", True, False):
            raise ValueError(f"dual must be 'auto', True or False, got {self.dual!r}")
        if self.loss == "hinge" and self.dual is False:
            raise ValueError("loss='hinge' has no smooth primal: use dual=True or 'auto'")
        for name in ("C", "tol", "intercept_scaling"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0:
                raise ValueError(f"{name} must be a positive number, got {v!r}")
        if isinstance(self.max_iter, bool) or not isinstance(self.max_iter, numbers.Integral):
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")
        if self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit one binary problem per class (one for two classes); returns ``self``."""
        self._check_params()
        X, y = validate_X_y(self, X, y)
        self.classes_, enc = classification_targets(y)
        sw = check_sample_weight(sample_weight, X.shape[0])
        cw = class_weight_vector(self.class_weight, self.classes_, enc)
        keep = sw > 0  # a zero weight removes the sample
        if np.unique(enc[keep]).size < 2:
            raise ValueError("Fewer than two classes have samples with positive sample_weight")
        X, enc, sw = X[keep], enc[keep], sw[keep]
        Xa = (
            np.column_stack([X, np.full(X.shape[0], float(self.intercept_scaling))])
            if (self.fit_intercept)
            else X
        )
        n, d = Xa.shape
        use_dual = self.dual if self.dual != "auto" else (self.loss == "hinge" or n < d)
        rng = random_generator(self.random_state)
        k = self.classes_.size
        targets = [1] if k == 2 else range(k)
        W, iters, ok = [], [], True
        for c in targets:
            yy = np.where(enc == c, 1.0, -1.0)
            own = cw[enc] if k == 2 else np.where(enc == c, cw[c], 1.0)
            Ci = self.C * own * sw
            if use_dual:
                w, _, it, conv = dual_cd(
                    Xa, yy, Ci, loss=self.loss, tol=self.tol, max_iter=self.max_iter, rng=rng
                )
            else:
                w, it, conv = primal_newton(Xa, yy, Ci, tol=self.tol, max_iter=self.max_iter)
            W.append(w)
            iters.append(it)
            ok &= conv
        W = np.array(W)
        if self.fit_intercept:
            self.coef_, self.intercept_ = W[:, :-1].copy(), W[:, -1] * self.intercept_scaling
        else:
            self.coef_, self.intercept_ = W, np.zeros(W.shape[0])
        self.n_iter_ = int(max(iters))
        if not ok:
            warn_not_converged("LinearSVC", self.max_iter, hint="increase max_iter or tol")
        return self

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """:math:`Xw + b`: shape (n,) for two classes (positive: ``classes_[1]``), else (n, k)."""
        check_is_fitted(self)
        X = validate_X(self, X, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the largest score (the sign of the score for two classes)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]
