r"""Logistic regression over chunks: the mini-batch (stochastic) method, not the full-batch solvers.

:class:`m4ml.models.LogisticRegression` minimizes its objective with L-BFGS, Newton-CG or FISTA,
each of which needs the full gradient (a pass over all rows) per step, dozens of steps. Over
chunks this class instead runs stochastic gradient descent on the same objective — log loss,
the same penalties — as :class:`m4ml.distributed.SGDClassifier` with ``loss="log_loss"``: each
epoch is one pass of ``partial_fit`` over the blocks in order.
"""

import numbers

import numpy as np

from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.distributed.sgd import _ChunkedSGD
from m4ml.models import SGDClassifier as _SGDClassifier

__all__ = ["LogisticRegression"]


class LogisticRegression(_ChunkedSGD):
    r"""Logistic regression by stochastic gradient descent over the chunks, in order.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
    C : float, default=1.0
        Inverse penalty strength, as in :class:`m4ml.models.LogisticRegression`.
    l1_ratio : float, optional
        The L1 share for ``penalty="elasticnet"``.
    fit_intercept : bool, default=True
    class_weight : dict, "balanced" or None
    tol : float or None, default=1e-4
        Stop when the summed log loss after an epoch has not fallen below the best so far by
        ``tol * n`` for ``n_iter_no_change`` epochs (not the in-memory gradient tolerance).
    max_iter : int, default=100
        Epochs (passes over the chunks).
    warm_start : bool, default=False
    random_state : None, int or numpy.random.Generator
        Seeds the shuffling of the rows within each block.
    shuffle : bool, default=True
    learning_rate : {"optimal", "constant", "invscaling", "adaptive"}, default="optimal"
    eta0, power_t : float
    n_iter_no_change : int, default=5

    Attributes
    ----------
    classes_, coef_, intercept_, n_features_in_
        As :class:`m4ml.models.LogisticRegression`.
    n_iter_ : ndarray (1,)
        Epochs run.
    estimator_ : m4ml.models.SGDClassifier
        The in-memory ``loss="log_loss"`` estimator whose ``partial_fit`` was run.

    Raises
    ------
    ValueError
        Bad parameters (``C <= 0``, elastic net without ``l1_ratio``), fewer than two classes,
        NaN/inf in a block.

    Notes
    -----
    The in-memory objective :math:`C\sum_i s_i\ell_i + r(w)`, divided by :math:`Cn`, is the SGD
    objective :math:`\frac1n\sum_i s_i\ell_i + \alpha r(w)` with :math:`\alpha = 1/(Cn)`
    (:math:`n` rows), so this class trains :class:`m4ml.models.SGDClassifier`
    (``loss="log_loss"``, that :math:`\alpha`) by ``partial_fit`` on each block in order; the
    weights equal those of the same calls in memory, exactly. What that means for the result:
    SGD approaches the minimizer at the rate its step size allows (:math:`O(1/t)` with the
    "optimal" schedule), so after a few epochs the coefficients agree with the in-memory
    full-batch solution to a few digits, not to the solver tolerance, and they depend on the
    chunking and the row order. For more than two classes the model is one-vs-rest (one
    binary logistic regression per class, probabilities normalized to sum to one), not the
    in-memory multinomial (softmax) model.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> clf = LogisticRegression(random_state=0).fit(X, [0, 0, 1, 1])
    >>> clf.predict([[0.5], [2.5]]).tolist()
    [0, 1]
    """

    loss = "log_loss"
    epsilon = 0.1

    def __init__(
        self,
        penalty: str | None = "l2",
        *,
        C: float = 1.0,
        l1_ratio: float | None = None,
        fit_intercept: bool = True,
        class_weight: dict | str | None = None,
        tol: float | None = 1e-4,
        max_iter: int = 100,
        warm_start: bool = False,
        random_state: Seed = None,
        shuffle: bool = True,
        learning_rate: str = "optimal",
        eta0: float = 0.01,
        power_t: float = 0.5,
        n_iter_no_change: int = 5,
    ) -> None:
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start
        self.random_state = random_state
        self.shuffle = shuffle
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.n_iter_no_change = n_iter_no_change

    def _sgd(self, n, class_weight):
        C = self.C
        if isinstance(C, bool) or not isinstance(C, numbers.Real) or not 0 < C < np.inf:
            raise ValueError(f"C must be a positive number, got {C!r}")
        if self.penalty == "elasticnet" and self.l1_ratio is None:
            raise ValueError("l1_ratio must be given (a number in [0, 1]) for elasticnet")
        est = _SGDClassifier(
            loss="log_loss",
            penalty=self.penalty,
            alpha=1.0 / (C * n),
            l1_ratio=0.15 if self.l1_ratio is None else self.l1_ratio,
            fit_intercept=self.fit_intercept,
            max_iter=self.max_iter,
            tol=self.tol,
            shuffle=self.shuffle,
            random_state=self.random_state,
            learning_rate=self.learning_rate,
            eta0=self.eta0,
            power_t=self.power_t,
            n_iter_no_change=self.n_iter_no_change,
            class_weight=class_weight,
        )  # fmt: skip
        est._validate_params()
        return est

    def _set_fitted(self, est, epochs):
        super()._set_fitted(est, epochs)
        self.n_iter_ = np.array([epochs])
        return self

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """Class probabilities (sigmoid; one-vs-rest normalized for more classes), lazy."""
        return self._proba(X)

    def predict_log_proba(self, X: ArrayLike) -> FloatArray:
        """Logarithm of :meth:`predict_proba`, lazy for Dask input."""
        return self._log_proba(X)
