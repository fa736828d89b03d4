"""minimize(method="lbfgs") on L2-regularized logistic regression vs scikit-learn.

Issue 5's target: L-BFGS on logistic regression, 40000 x 100, within 1.5x of scikit-learn's
``LogisticRegression(solver="lbfgs")`` fit time with one BLAS thread, at the same log-loss to
1e-6. Both minimize the same objective, scikit-learn's (C = 1, intercept not penalized):

    J(w, b) = mean_i [log(1 + exp(z_i)) - y_i z_i] + ||w||^2 / (2 C n),   z = X w + b,

ours with the loss and gradient below (vectorized, log(1 + e^z) as ``logaddexp(0, z)``),
stopping like scikit-learn at a gradient infinity norm of ``tol = 1e-4`` (both take the same
iterates: the final objectives agree to rounding).
"""

import numpy as np

from benchmarks.workload import Workload

N, D, C, TOL = 40_000, 100, 1.0, 1e-4


def _setup():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((N, D))
    w = rng.standard_normal(D) / np.sqrt(D) * 3
    y = (rng.random(N) < 1 / (1 + np.exp(-(X @ w + 0.5)))).astype(float)
    return X, y


def logistic_loss_grad(wb, X, y, alpha):
    """Mean logistic loss + alpha/2 ||w||^2 and its gradient; ``wb = (w, b)``."""
    w, b = wb[:-1], wb[-1]
    z = X @ w + b
    loss = np.mean(np.logaddexp(0.0, z) - y * z) + 0.5 * alpha * (w @ w)
    r = (0.5 * (1.0 + np.tanh(0.5 * z)) - y) / z.size  # (sigmoid(z) - y) / n, overflow-free
    return loss, np.concatenate([X.T @ r + alpha * w, [r.sum()]])


def _m4ml(X, y):
    from m4ml.optim.minimize import minimize

    res = minimize(logistic_loss_grad, np.zeros(X.shape[1] + 1), args=(X, y, 1 / (C * len(y))),
                   jac=True, method="lbfgs", tol=TOL)  # fmt: skip
    return res.fun


def _sklearn(X, y):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C, solver="lbfgs", tol=TOL, max_iter=1000).fit(X, y)
    wb = np.concatenate([m.coef_.ravel(), m.intercept_])
    return logistic_loss_grad(wb, X, y, 1 / (C * len(y)))[0]


WORKLOADS = [
    Workload(
        name=f"lbfgs logistic regression {N}x{D}",
        group="optim",
        setup=_setup,
        m4ml=_m4ml,
        reference=_sklearn,
        reference_name="sklearn LogisticRegression(lbfgs)",
        target=1.5,
    )
]
