r"""Bayesian linear regression with its two precisions chosen by evidence maximization.

The model (MacKay's "Bayesian interpolation", Bishop's PRML section 3.5):

.. math:: y = Xw + b + \varepsilon, \qquad \varepsilon \sim N(0, \alpha^{-1} I), \qquad
          w \sim N(0, \lambda^{-1} I),

with Gamma hyper-priors :math:`\alpha \sim \Gamma(\alpha_1, \alpha_2)`,
:math:`\lambda \sim \Gamma(\lambda_1, \lambda_2)` (shape, rate). For fixed precisions the
posterior of :math:`w` is Gaussian, :math:`N(m, \Sigma)` with
:math:`\Sigma = (\alpha X^\top X + \lambda I)^{-1}` and :math:`m = \alpha\Sigma X^\top y` (the
ridge solution with penalty :math:`\lambda/\alpha`). The precisions maximize the evidence
:math:`p(y \mid \alpha, \lambda)`; its stationary conditions give MacKay's fixed point.

Used by :class:`m4ml.models.BayesianRidge` and by the default regressor of
:class:`m4ml.pipeline.IterativeImputer`.
"""

from typing import NamedTuple

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray

__all__ = ["BayesianLinearFit", "bayesian_linear_regression", "log_evidence"]

_EPS = np.finfo(np.float64).eps


class BayesianLinearFit(NamedTuple):
    """Result of :func:`bayesian_linear_regression` (scikit-learn's attribute names)."""

    coef: np.ndarray  # posterior mean of w, shape (p,)
    intercept: float
    alpha: float  # noise precision
    lambda_: float  # weight precision
    sigma: np.ndarray  # posterior covariance of w, shape (p, p)
    x_offset: np.ndarray  # (weighted) column means subtracted before fitting
    y_offset: float
    n_iter: int
    scores: np.ndarray  # log evidence per iteration (empty unless compute_score)


def log_evidence(
    alpha: float,
    lam: float,
    eig: FloatArray,
    sse: float,
    coef_sq: float,
    n_eff: float,
    p: int,
    hyper: tuple[float, float, float, float] = (1e-6, 1e-6, 1e-6, 1e-6),
) -> float:
    r"""Log evidence :math:`\log p(y\mid\alpha,\lambda)` plus the log Gamma hyper-priors.

    .. math:: \tfrac12\Big(p\log\lambda + n\log\alpha - \alpha\,\mathrm{SSE}
              - \lambda\lVert m\rVert^2 - \log\det\Sigma^{-1} - n\log 2\pi\Big)
              + \alpha_1\log\alpha - \alpha_2\alpha + \lambda_1\log\lambda - \lambda_2\lambda,

    with :math:`\log\det\Sigma^{-1} = \sum_{k=1}^{p} \log(\lambda + \alpha s_k^2)` from the
    singular values :math:`s_k` of :math:`X` (zero beyond :math:`\operatorname{rank}`).
    (scikit-learn's ``scores_`` use the same expression, without the normalizing constants of
    the Gamma densities.)
    """
    alpha_1, alpha_2, lambda_1, lambda_2 = hyper
    eig = as_float_array(eig, "eig", min_ndim=1, max_ndim=1)
    full = np.full(p, lam, dtype=np.float64)
    full[: eig.size] += alpha * eig
    logdet_precision = np.sum(np.log(full))
    score = lambda_1 * np.log(lam) - lambda_2 * lam + alpha_1 * np.log(alpha) - alpha_2 * alpha
    return float(
        score
        + 0.5
        * (
            p * np.log(lam)
            + n_eff * np.log(alpha)
            - alpha * sse
            - lam * coef_sq
            - logdet_precision
            - n_eff * np.log(2 * np.pi)
        )
    )


@overflow_guard("bayesian_linear_regression")
def bayesian_linear_regression(
    X: ArrayLike,
    y: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    fit_intercept: bool = True,
    max_iter: int = 300,
    tol: float = 1e-3,
    alpha_1: float = 1e-6,
    alpha_2: float = 1e-6,
    lambda_1: float = 1e-6,
    lambda_2: float = 1e-6,
    alpha_init: float | None = None,
    lambda_init: float | None = None,
    compute_score: bool = False,
) -> BayesianLinearFit:
    r"""Fit Bayesian ridge regression by evidence maximization (MacKay's fixed point).

    Parameters
    ----------
    X : array_like, shape (n, p)
    y : array_like, shape (n,)
    sample_weight : array_like, shape (n,), optional
        Non-negative weights: row :math:`i` counts :math:`s_i` times (its noise precision is
        :math:`s_i\alpha`).
    fit_intercept : bool, default True
        Centre :math:`X` and :math:`y` at their (weighted) means first; the intercept is then
        :math:`\bar y - \bar x^\top m` (a flat prior on :math:`b`).
    max_iter : int, default 300
    tol : float, default 1e-3
        Stop when :math:`\sum_j |m_j^{(t)} - m_j^{(t-1)}| <` ``tol``.
    alpha_1, alpha_2, lambda_1, lambda_2 : float, default 1e-6
        Shape and rate of the Gamma hyper-priors on :math:`\alpha` and :math:`\lambda`.
    alpha_init, lambda_init : float, optional
        Starting precisions (default :math:`1/(\operatorname{Var} y + \epsilon)` and 1).
    compute_score : bool, default False
        Record :func:`log_evidence` at every iteration and at the end.

    Returns
    -------
    BayesianLinearFit

    Raises
    ------
    ValueError
        NaN/inf or mismatched shapes, negative weights, non-positive ``max_iter``.

    Notes
    -----
    From the thin SVD of the centred, weight-scaled :math:`X = USV^\top` (once, :math:`O(np\min(n,
    p))`), every iteration is :math:`O(p\min(n,p))`:

    .. math:: m = V\operatorname{diag}\Big(\frac{s_k}{s_k^2 + \lambda/\alpha}\Big)U^\top y,
        \quad \gamma = \sum_k \frac{\alpha s_k^2}{\lambda + \alpha s_k^2},\quad
        \lambda \leftarrow \frac{\gamma + 2\lambda_1}{\lVert m\rVert^2 + 2\lambda_2},\quad
        \alpha \leftarrow \frac{n - \gamma + 2\alpha_1}{\lVert y - Xm\rVert^2 + 2\alpha_2}.

    :math:`\gamma` is the effective number of well-determined parameters. The posterior
    covariance uses the full eigenbasis without forming it:
    :math:`\Sigma = \lambda^{-1} I + V\operatorname{diag}\big((\lambda + \alpha s_k^2)^{-1} -
    \lambda^{-1}\big)V^\top`. The iterates and stopping rule are scikit-learn's
    ``BayesianRidge``'s, so the results agree to rounding.

    References
    ----------
    D. J. C. MacKay, "Bayesian interpolation", Neural Computation 4(3), 1992.
    C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, section 3.5.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> fit = bayesian_linear_regression(X, 2.0 * X.ravel() + 1.0)
    >>> round(float(fit.coef[0]), 6), round(float(fit.intercept), 6)
    (2.0, 1.0)
    """
    from m4ml.linalg.svd import svd

    X = as_float_array(X, "X", min_ndim=2, max_ndim=2)
    y = as_float_array(y, "y", min_ndim=1, max_ndim=1)
    n, p = X.shape
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]} entries")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    if sample_weight is None:
        sw = None
        n_eff = float(n)
        y_var = y.var()
    else:
        sw = as_float_array(sample_weight, "sample_weight", min_ndim=1, max_ndim=1)
        if sw.shape != (n,) or (sw < 0).any():
            raise ValueError("sample_weight must be non-negative with one entry per row of X")
        n_eff = float(sw.sum())
        y_var = np.average((y - np.average(y, weights=sw)) ** 2, weights=sw)
    if fit_intercept:
        x_off = X.mean(axis=0) if sw is None else np.average(X, axis=0, weights=sw)
        y_off = float(y.mean() if sw is None else np.average(y, weights=sw))
    else:
        x_off, y_off = np.zeros(p), 0.0
    Xc, yc = X - x_off, y - y_off
    if sw is not None:
        root = np.sqrt(sw)
        Xc, yc = Xc * root[:, None], yc * root
    alpha = 1.0 / (y_var + _EPS) if alpha_init is None else float(alpha_init)
    lam = 1.0 if lambda_init is None else float(lambda_init)
    U, S, Vh = svd(Xc, full_matrices=False)
    eig = S**2
    Xty, Uty = Xc.T @ yc, U.T @ yc

    def posterior_mean(alpha, lam):
        shrink = 1.0 / (eig + lam / alpha)
        w = Vh.T @ (shrink * (Vh @ Xty)) if n > p else Xc.T @ (U @ (shrink * Uty))
        resid = yc - Xc @ w
        return w, float(resid @ resid)

    hyper = (alpha_1, alpha_2, lambda_1, lambda_2)
    scores, w_old = [], None
    for it in range(max_iter):
        w, sse = posterior_mean(alpha, lam)
        if compute_score:
            scores.append(log_evidence(alpha, lam, eig, sse, w @ w, n_eff, p, hyper))
        gamma = np.sum(alpha * eig / (lam + alpha * eig))
        lam = (gamma + 2 * lambda_1) / (w @ w + 2 * lambda_2)
        alpha = (n_eff - gamma + 2 * alpha_1) / (sse + 2 * alpha_2)
        if it != 0 and np.abs(w_old - w).sum() < tol:
            break
        w_old = w
    w, sse = posterior_mean(alpha, lam)
    if compute_score:
        scores.append(log_evidence(alpha, lam, eig, sse, w @ w, n_eff, p, hyper))
    sigma = (Vh.T * (1.0 / (lam + alpha * eig) - 1.0 / lam)) @ Vh
    sigma[np.diag_indices(p)] += 1.0 / lam
    return BayesianLinearFit(
        coef=w,
        intercept=float(y_off - x_off @ w),
        alpha=float(alpha),
        lambda_=float(lam),
        sigma=sigma,
        x_offset=x_off,
        y_offset=y_off,
        n_iter=it + 1,
        scores=np.array(scores),
    )
