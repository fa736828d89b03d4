r"""The stochastic-gradient engine shared by :class:`~m4ml.models.SGDClassifier` and
:class:`~m4ml.models.SGDRegressor`: the per-sample update, the learning-rate schedules, the
cumulative truncated-gradient L1 step, the epoch loop and its stopping rule, and the
hyper-parameter constraints both estimators declare.

The objective and the update are written out in ``m4ml.models.sgd``.
"""

import math
import numbers

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions

from m4ml._core import check_rng
from m4ml.models._base import warn_not_converged
from m4ml.models._sgd_losses import make_loss

_COMMON: dict = {
    "penalty": [StrOptions({"l2", "l1", "elasticnet"}), None],
    "alpha": [Interval(numbers.Real, 0, None, closed="left")],
    "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
    "fit_intercept": ["boolean"],
    "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
    "tol": [Interval(numbers.Real, None, None, closed="neither"), None],
    "shuffle": ["boolean"],
    "epsilon": [Interval(numbers.Real, 0, None, closed="left")],
    "random_state": ["random_state"],
    "learning_rate": [StrOptions({"constant", "optimal", "invscaling", "adaptive"})],
    "eta0": [Interval(numbers.Real, 0, None, closed="left")],
    "power_t": [Interval(numbers.Real, None, None, closed="neither")],
    "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
    "warm_start": ["boolean"],
}


class _SGDBase(BaseEstimator):
    """The shared SGD engine: schedules, penalties, epochs and the stopping rule."""

    def _rho(self):
        return {"l2": 0.0, "l1": 1.0, "elasticnet": self.l1_ratio, None: 0.0}[self.penalty]

    def _check_schedule(self):
        if self.learning_rate in ("constant", "invscaling", "adaptive") and self.eta0 <= 0:
            raise ValueError(f"eta0 must be > 0 with learning_rate={self.learning_rate!r}")
        if self.learning_rate == "optimal" and self.alpha == 0:
            raise ValueError("alpha must be > 0 with learning_rate='optimal' (eta = 1/(alpha t))")

    def _rng(self):
        if not hasattr(self, "_rng_state"):
            rs = self.random_state
            if isinstance(rs, np.random.RandomState):  # a legacy seed object: draw a seed
                rs = np.random.default_rng(rs.randint(2**31))
            self._rng_state = check_rng(rs)
        return self._rng_state

    def _epochs(self, w, b, X, y, sw, n_epochs, check_stop):
        """Run SGD epochs in place on (w, b); return (b, epochs run, converged)."""
        loss, dloss = make_loss(self.loss, self.epsilon)
        alpha = self.alpha if self.penalty is not None else 0.0
        rho = self._rho()
        l2, l1 = alpha * (1.0 - rho), alpha * rho
        lr = self.learning_rate
        if lr == "optimal":
            typw = math.sqrt(1.0 / math.sqrt(self.alpha))
            eta0 = typw / max(1.0, dloss(-typw, 1.0))
            t0 = 1.0 / (eta0 * self.alpha)
        eta_const = self.eta0
        n = X.shape[0]
        u, q = 0.0, np.zeros_like(w) if l1 > 0 else None  # truncated-gradient accumulators
        best, stall, converged = math.inf, 0, False
        rng = self._rng()
        rows = [X[i] for i in range(n)]
        for epoch in range(1, n_epochs + 1):
            order = rng.permutation(n) if self.shuffle else range(n)
            total = 0.0
            for i in order:
                t = self.t_
                if lr == "optimal":
                    eta = 1.0 / (self.alpha * (t0 + t - 1.0))
                elif lr == "invscaling":
                    eta = self.eta0 / t**self.power_t
                else:
                    eta = eta_const
                x, yi = rows[i], y[i]
                p = float(x @ w) + b
                total += loss(p, yi)
                g = max(-1e12, min(1e12, dloss(p, yi))) * sw[i]
                if l2 > 0:
                    w *= max(0.0, 1.0 - eta * l2)
                if g != 0.0:
                    w -= (eta * g) * x
                    if self.fit_intercept:
                        b -= eta * g
                if l1 > 0:  # cumulative L1 penalty, applied by clipping at zero
                    u += eta * l1
                    z = w.copy()
                    w[:] = np.where(w > 0, np.maximum(0.0, w - (u + q)),
                                    np.where(w < 0, np.minimum(0.0, w + (u - q)), w))  # fmt: skip
                    q += w - z
                self.t_ += 1
            if not check_stop:
                continue
            if total > best - self.tol * n:
                stall += 1
            else:
                stall = 0
            best = min(best, total)
            if stall >= self.n_iter_no_change:
                if lr == "adaptive" and eta_const > 1e-6:
                    eta_const, stall = eta_const / 5.0, 0
                else:
                    converged = True
                    return b, epoch, converged
        return b, n_epochs, converged

    def _run(self, X, targets, sw, n_epochs, check_stop, reset):
        """Fit one linear function per column of ``targets``; set coef_, intercept_."""
        k, p = targets.shape[1], X.shape[1]
        if reset:
            self.coef_, self.intercept_ = np.zeros((k, p)), np.zeros(k)
            self.t_ = 1.0
        W, B = np.array(self.coef_, dtype=float), np.array(self.intercept_, dtype=float)
        t_start, t_end, ran, ok = self.t_, self.t_, 0, True
        for j in range(k):
            self.t_ = t_start  # each one-vs-rest problem sees the same schedule
            B[j], ran, conv = self._epochs(
                W[j], B[j], X, targets[:, j], sw[j], n_epochs, check_stop
            )
            ok = ok and conv
            t_end = self.t_
        self.t_ = t_end
        self.coef_, self.intercept_ = W, B
        return ran, ok

    def _fit(self, X, targets, sw, reset):
        self._check_schedule()
        check_stop = self.tol is not None
        ran, ok = self._run(X, targets, sw, self.max_iter, check_stop, reset)
        self.n_iter_ = ran
        if check_stop and not ok:
            warn_not_converged(type(self).__name__, ran, "SGD", "increase max_iter")
