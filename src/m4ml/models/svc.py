r"""C-support vector classification: the maximum-margin classifier in a kernel's feature space.

For labels :math:`y_i = \pm 1` the soft-margin primal is

.. math::

    \min_{w, b, \xi}\ \tfrac12\|w\|^2 + \sum_i C_i \xi_i \quad\text{s.t.}\quad
    y_i(w^\top\phi(x_i) + b) \ge 1 - \xi_i,\ \xi_i \ge 0 .

Its Lagrangian :math:`L = \tfrac12\|w\|^2 + \sum C_i\xi_i - \sum\alpha_i[y_i(w^\top\phi_i + b)
- 1 + \xi_i] - \sum\mu_i\xi_i` is stationary at :math:`w = \sum\alpha_i y_i\phi(x_i)`,
:math:`\sum\alpha_iy_i = 0`, :math:`\alpha_i + \mu_i = C_i`; substituting gives the dual

.. math::

    \min_\alpha \tfrac12\alpha^\top Q\alpha - e^\top\alpha,\quad 0\le\alpha_i\le C_i,\quad
    y^\top\alpha = 0,\qquad Q_{ij} = y_iy_jK(x_i, x_j),

in which :math:`\phi` appears only through the kernel :math:`K(x, x') = \phi(x)^\top\phi(x')`
(the kernel trick). The decision function is :math:`f(x) = \sum_i\alpha_iy_iK(x_i, x) - \rho`;
the support vectors are the samples with :math:`\alpha_i > 0`.
"""

from collections.abc import Callable, Mapping
from typing import Any, Literal, Self

import numpy as np
from sklearn.base import ClassifierMixin

from m4ml._core.hints import ArrayLike, FloatArray, NDArray, Seed
from m4ml.linalg import solve
from m4ml.models._base import (
    check_is_fitted,
    check_sample_weight,
    class_weight_vector,
    classification_targets,
    validate_X_y,
    warn_not_converged,
)
from m4ml.models._svm_base import BaseSVM
from m4ml.models.calibration import fit_platt, platt_predict
from m4ml.models.pca import random_generator

__all__ = ["SVC"]


def ovr_from_ovo(dec, n_classes):
    r"""One-vs-rest scores from one-vs-one decisions: votes plus a confidence in (-1/3, 1/3).

    For the pair :math:`(a, b)`, :math:`f_{ab} > 0` is a vote for :math:`a`; each class also
    collects :math:`s_a = \sum_b f_{ab} - \sum_b f_{ba}` and the score is
    :math:`\text{votes}_a + s_a / (3(|s_a| + 1))`, so the confidences only break ties between
    equal vote counts (scikit-learn's rule).
    """
    votes = np.zeros((dec.shape[0], n_classes))
    conf = np.zeros((dec.shape[0], n_classes))
    k = 0
    for a in range(n_classes):
        for b in range(a + 1, n_classes):
            conf[:, a] += dec[:, k]
            conf[:, b] -= dec[:, k]
            votes[:, a] += dec[:, k] > 0
            votes[:, b] += dec[:, k] <= 0
            k += 1
    return votes + conf / (3.0 * (np.abs(conf) + 1.0))


def couple_pairwise(r, n_classes):
    r"""Class probabilities from pairwise ones (Wu, Lin & Weng 2004, their method 2).

    ``r[:, k]`` estimates :math:`r_{ab} = P(a \mid a \text{ or } b, x)` for the k-th pair. The
    probabilities minimize :math:`\sum_a\sum_{b\ne a}(r_{ba}p_a - r_{ab}p_b)^2` subject to
    :math:`\sum p_a = 1`; with :math:`Q_{aa} = \sum_{b\ne a} r_{ba}^2`,
    :math:`Q_{ab} = -r_{ba}r_{ab}`, the KKT system :math:`\begin{bmatrix}Q & 1\\ 1^\top &
    0\end{bmatrix}\begin{bmatrix}p\\ \lambda\end{bmatrix} = \begin{bmatrix}0\\ 1\end{bmatrix}`
    is solved for every sample at once (a stack of small systems); its solution is
    non-negative (their Theorem 2), negatives from rounding are clipped.
    """
    n = r.shape[0]
    M = np.zeros((n, n_classes + 1, n_classes + 1))
    k = 0
    for a in range(n_classes):
        for b in range(a + 1, n_classes):
            rab, rba = r[:, k], 1.0 - r[:, k]
            M[:, a, a] += rba * rba
            M[:, b, b] += rab * rab
            M[:, a, b] -= rba * rab
            M[:, b, a] -= rab * rba
            k += 1
    M[:, :n_classes, n_classes] = 1.0
    M[:, n_classes, :n_classes] = 1.0
    rhs = np.zeros((n, n_classes + 1, 1))
    rhs[:, n_classes, 0] = 1.0
    p = np.maximum(solve(M, rhs)[:, :n_classes, 0], 0.0)
    return p / p.sum(axis=1, keepdims=True)


class SVC(ClassifierMixin, BaseSVM):
    r"""C-support vector classifier, trained on the dual by decomposition + SMO.

    Parameters
    ----------
    C : float, default=1.0
        Penalty on margin violations (per sample :math:`C_i = C\,w_{class}\,w_i`).
    kernel : {"linear", "poly", "rbf", "sigmoid", "precomputed"} or callable, default="rbf"
    degree : float, default=3
    gamma : "scale", "auto" or float, default="scale"
        "scale": :math:`1/(d\,\mathrm{Var}(X))`; "auto": :math:`1/d`.
    coef0 : float, default=0.0
    probability : bool, default=False
        Fit Platt sigmoids on 5-fold cross-validated decision values (see Notes).
    tol : float, default=1e-3
        Stop when the maximal KKT violation :math:`m(\alpha) - M(\alpha)` is below ``tol``.
    cache_size : float, default=200
        Megabytes of kernel rows kept by the solver.
    class_weight : dict, "balanced" or None
    max_iter : int, default=-1
        SMO steps allowed per binary problem (-1: no limit).
    decision_function_shape : {"ovr", "ovo"}, default="ovr"
    break_ties : bool, default=False
        With ``decision_function_shape="ovr"`` and several classes, predict the argmax of the
        ovr scores instead of the plain vote.
    random_state : None, int, RandomState or Generator
        Folds of the probability cross-validation.

    Attributes
    ----------
    support_, support_vectors_, n_support_, dual_coef_, intercept_, classes_, fit_status_,
    probA_, probB_, shape_fit_, n_features_in_, n_iter_ (SMO steps per binary problem)
        As in scikit-learn (LIBSVM's layout of ``dual_coef_`` for several classes: row
        :math:`b-1` holds class :math:`a`'s coefficients in the :math:`(a, b)` classifier and
        row :math:`a` holds class :math:`b`'s).

    Notes
    -----
    **Solver.** :func:`m4ml.models._smo.solve_dual`: working sets of 256 variables, each solved
    by SMO with second-order (WSS2) pair selection, kernel rows from an LRU cache; stopping at
    LIBSVM's criterion, so ``tol`` means what it means there. **Intercept.** :math:`\rho` is the
    average of :math:`y_iG_i` over the free support vectors :math:`0<\alpha_i<C_i` (where KKT
    makes it exact); only when every support vector is at a bound is it the midpoint of the
    interval KKT allows. **Several classes.** One-vs-one: :math:`k(k-1)/2` binary problems;
    ``predict`` is the majority vote. **Probabilities.** For each pair, decision values from
    5-fold cross-validation are fitted by :func:`m4ml.models.calibration.fit_platt`, and the
    pairwise probabilities are coupled by :func:`couple_pairwise`. With ``probability=True``,
    ``predict`` returns the argmax of ``predict_proba`` (ties to the first class), so the two
    never disagree — unlike LIBSVM/scikit-learn, whose vote can differ from the calibrated
    probabilities (scikit-learn issue 13211). Cost: one kernel row per selected variable
    (:math:`O(nd)`) plus :math:`O(q)` per SMO step.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-2.0, 0.0], [-1.0, 1.0], [1.0, -1.0], [2.0, 0.0]])
    >>> clf = SVC(kernel="linear", C=10.0).fit(X, [0, 0, 1, 1])
    >>> clf.predict([[-3.0, 0.0], [3.0, 0.5]]).tolist()
    [0, 1]
    >>> clf.support_.tolist(), clf.n_support_.tolist()
    ([1, 2], [1, 1])
    """

    def __init__(
        self,
        *,
        C: float = 1.0,
        kernel: Literal["linear", "poly", "rbf", "sigmoid", "precomputed"]
        | Callable[..., Any] = "rbf",
        degree: float = 3,
        gamma: Literal["scale", "auto"] | float = "scale",
        coef0: float = 0.0,
        probability: bool = False,
        tol: float = 1e-3,
        cache_size: float = 200,
        class_weight: Mapping[Any, float] | Literal["balanced"] | None = None,
        max_iter: int = -1,
        decision_function_shape: Literal["ovr", "ovo"] = "ovr",
        break_ties: bool = False,
        random_state: Seed = None,
    ):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> Self:
        """Fit the one-vs-one SVMs; returns ``self``."""
        self._check_common()
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(
                f"decision_function_shape must be 'ovr' or 'ovo', got "
                f"{self.decision_function_shape!r}"
            )
        if self.break_ties and self.decision_function_shape == "ovo":
            raise ValueError("break_ties must be False when decision_function_shape is 'ovo'")
        X, y = validate_X_y(self, X, y)
        X = self._validate_train_X(X, y)
        self.classes_, enc = classification_targets(y)
        w = check_sample_weight(sample_weight, X.shape[0])
        C = self.C * class_weight_vector(self.class_weight, self.classes_, enc)[enc] * w
        keep = np.flatnonzero(C > 0)  # a zero weight removes the sample, as in LIBSVM
        if np.unique(enc[keep]).size < 2:
            raise ValueError("Fewer than two classes have samples with positive weight")
        self.shape_fit_ = X.shape
        rows = self._kernel_rows(X)
        k = self.classes_.size
        coefs, rhos, status, self._dual_objective, n_iter = {}, [], 0, [], []
        self.probA_, self.probB_ = [], []
        rng = random_generator(self.random_state)
        for a in range(k):
            for b in range(a + 1, k):
                idx = keep[(enc[keep] == a) | (enc[keep] == b)]
                yy = np.where(enc[idx] == a, 1.0, -1.0)
                res = self._solve(rows.subset(idx), yy, -np.ones(idx.size), C[idx])
                status |= not res.converged
                coefs[a, b] = (idx, res.alpha * yy)
                rhos.append(res.rho)
                n_iter.append(res.n_iter)
                self._dual_objective.append(res.objective)
                if self.probability:
                    A, B = self._platt_cv(rows.subset(idx), yy, C[idx], rng)
                    self.probA_.append(A)
                    self.probB_.append(B)
        self.fit_status_ = int(status)
        self.n_iter_ = np.array(n_iter, dtype=np.int32)
        if status:
            warn_not_converged("SVC", self.max_iter, hint="increase max_iter or tol")
        self._store(X, enc, coefs, np.array(rhos))
        self.probA_, self.probB_ = np.array(self.probA_), np.array(self.probB_)
        return self

    def _store(self, X, enc, coefs, rhos):
        """Support vectors and LIBSVM's dual_coef_ layout from the pairwise solutions."""
        k = self.classes_.size
        is_sv = np.zeros(X.shape[0], dtype=bool)
        for idx, c in coefs.values():
            is_sv[idx[c != 0]] = True
        support = np.concatenate([np.flatnonzero(is_sv & (enc == c)) for c in range(k)])
        position = np.full(X.shape[0], -1)
        position[support] = np.arange(support.size)
        dual = np.zeros((k - 1, support.size))
        for (a, b), (idx, c) in coefs.items():
            in_a, nz = enc[idx] == a, is_sv[idx]
            dual[b - 1, position[idx[in_a & nz]]] = c[in_a & nz]
            dual[a, position[idx[~in_a & nz]]] = c[~in_a & nz]
        self.support_ = support.astype(np.int32)
        self.n_support_ = np.bincount(enc[support], minlength=k).astype(np.int32)
        self.support_vectors_ = (
            np.empty((0, 0)) if self.kernel == "precomputed" else X[support].copy()
        )
        self._dual_coef = dual
        self._intercept = -rhos
        if k == 2:  # scikit-learn's sign convention: positive scores mean classes_[1]
            self.dual_coef_, self.intercept_ = -dual, rhos.copy()
        else:
            self.dual_coef_, self.intercept_ = dual, -rhos

    def _platt_cv(self, rows, yy, C, rng, n_folds=5):
        """Platt's (A, B) from decision values of 5-fold cross-validation (as LIBSVM)."""
        n = yy.size
        perm = rng.permutation(n)
        dec = np.empty(n)
        for f in range(n_folds):
            test = perm[f * n // n_folds : (f + 1) * n // n_folds]
            train = np.setdiff1d(perm, test)
            yt = yy[train]
            if np.all(yt > 0) or np.all(yt < 0):
                dec[test] = 1.0 if yt[0] > 0 else -1.0
                continue
            res = self._solve(rows.subset(train), yt, -np.ones(train.size), C[train])
            K = rows.subset(np.r_[test, train])(np.arange(test.size))[:, test.size :]
            dec[test] = K @ (res.alpha * yt) - res.rho
        return fit_platt(dec, yy > 0)

    def _ovo_decision(self, X):
        """LIBSVM's pairwise decision values, shape (n_samples, k(k-1)/2): positive means a."""
        K = self._kernel_to_support(X)
        k = self.classes_.size
        start = np.r_[0, np.cumsum(self.n_support_)]
        out = np.empty((K.shape[0], k * (k - 1) // 2))
        p = 0
        for a in range(k):
            sa = slice(start[a], start[a + 1])
            for b in range(a + 1, k):
                sb = slice(start[b], start[b + 1])
                out[:, p] = (
                    K[:, sa] @ self._dual_coef[b - 1, sa]
                    + K[:, sb] @ self._dual_coef[a, sb]
                    + self._intercept[p]
                )
                p += 1
        return out

    def decision_function(self, X: ArrayLike) -> FloatArray:
        """Signed distances: (n,) for two classes (positive: ``classes_[1]``), else (n, k) for
        "ovr" or (n, k(k-1)/2) for "ovo"."""
        dec = self._ovo_decision(X)
        k = self.classes_.size
        if k == 2:
            return -dec[:, 0]
        if self.decision_function_shape == "ovr":
            return ovr_from_ovo(dec, k)
        return dec

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Class labels: the one-vs-one vote, or argmax of ``predict_proba`` when
        ``probability=True`` (see Notes)."""
        check_is_fitted(self)
        if self.probability:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        dec = self._ovo_decision(X)
        k = self.classes_.size
        if k == 2:
            return self.classes_[(dec[:, 0] <= 0).astype(int)]
        scores = ovr_from_ovo(dec, k)
        if self.break_ties and self.decision_function_shape == "ovr":
            return self.classes_[np.argmax(scores, axis=1)]
        return self.classes_[np.argmax(np.floor(scores + 0.5), axis=1)]

    @property
    def predict_proba(self) -> Callable[[ArrayLike], FloatArray]:
        """Platt-calibrated probabilities (columns in ``classes_`` order); needs
        ``probability=True`` (otherwise the attribute does not exist, as in scikit-learn)."""
        if not self.probability:
            raise AttributeError("predict_proba is not available when probability=False")
        return self._predict_proba

    @property
    def predict_log_proba(self) -> Callable[[ArrayLike], FloatArray]:
        """Logarithm of :meth:`predict_proba`; needs ``probability=True``."""
        if not self.probability:
            raise AttributeError("predict_log_proba is not available when probability=False")
        return self._predict_log_proba

    def _predict_proba(self, X: ArrayLike) -> FloatArray:
        check_is_fitted(self)
        dec = self._ovo_decision(X)
        r = platt_predict(dec, self.probA_[None, :], self.probB_[None, :])
        r = np.clip(r, 1e-7, 1 - 1e-7)  # LIBSVM's floor: keeps the coupling well posed
        k = self.classes_.size
        if k == 2:
            return np.column_stack([r[:, 0], 1.0 - r[:, 0]])
        return couple_pairwise(r, k)

    def _predict_log_proba(self, X: ArrayLike) -> FloatArray:
        return np.log(self._predict_proba(X))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags
