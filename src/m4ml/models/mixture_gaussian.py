r"""The Gaussian pieces of the mixture's EM: M-step estimates, Cholesky precisions, log densities.

For a component with mean :math:`\mu` and covariance :math:`\Sigma = L L^\top`, the precision
factor :math:`P = L^{-\top}` (upper triangular, :math:`P P^\top = \Sigma^{-1}`) gives

.. math:: \log \mathcal N(x; \mu, \Sigma) = -\tfrac d2 \log 2\pi + \sum_i \log P_{ii}
          - \tfrac12 \lVert P^\top (x - \mu) \rVert^2,

so one matrix product per component evaluates every point, and :math:`\Sigma^{-1}` and
:math:`\det\Sigma` are never formed. The four covariance structures store ``covariances`` as
(K, d, d) "full", (d, d) "tied", (K, d) "diag" and (K,) "spherical", as scikit-learn does.
"""

import numpy as np

from m4ml._core.errors import LinAlgError
from m4ml.linalg import cholesky, solve_triangular

__all__ = [
    "COVARIANCE_TYPES",
    "estimate_gaussian_parameters",
    "estimate_log_gaussian_prob",
    "precision_cholesky",
    "precision_cholesky_from_precisions",
]

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

_CANCELS = 1e-4  # a variance below this fraction of E[x^2] is computed from the deviations

_ILL_DEFINED = (
    "Fitting the mixture model failed because some components have ill-defined empirical "
    "covariance (for instance caused by singleton or collapsed samples). Try to decrease the "
    "number of components, increase reg_covar, or scale the input data."
)


def estimate_gaussian_parameters(X, resp, reg_covar, covariance_type):
    r"""M-step: weights :math:`N_k`, means and covariances from responsibilities ``resp``.

    :math:`N_k = \sum_i r_{ik}`, :math:`\mu_k = \sum_i r_{ik} x_i / N_k` and the centred
    co-moments :math:`S_k = \sum_i r_{ik} (x_i - \mu_k)(x_i - \mu_k)^\top` give

    * "full": :math:`\Sigma_k = S_k / N_k + \epsilon I`;
    * "tied": :math:`\Sigma = \sum_k S_k / \sum_k N_k + \epsilon I`;
    * "diag": :math:`\sigma_{kj}^2 = (S_k)_{jj} / N_k + \epsilon`;
    * "spherical": :math:`\sigma_k^2 = \tfrac1d \sum_j (S_k)_{jj} / N_k + \epsilon`,

    with :math:`\epsilon` = ``reg_covar`` (which keeps a component that collapses onto one point
    positive definite). The means get one refinement step, :math:`\mu_k \mathrel{+}=
    \sum_i r_{ik}(x_i - \mu_k)/N_k` (the corrected two-pass algorithm). ``nk`` gets
    :math:`10\,\epsilon_{mach}` so an empty component divides safely.
    Returns ``(nk, means, covariances)``.

    Notes
    -----
    Every covariance is formed from the deviations :math:`x_i - \mu_k`, never as
    :math:`E[xx^\top] - \mu\mu^\top`: that difference loses about
    :math:`\log_{10}(\lVert\mu\rVert^2/\sigma^2)` digits, so data shifted away from the origin
    (by 1e6, or by 50 on 200,000 rows) gave a different or an indefinite covariance. The fit is
    therefore invariant to a shift of the data up to the rounding of the shifted data itself.
    The tied :math:`\sum_k S_k` also does not assume that each row's responsibilities sum to
    one, as the identity :math:`X^\top X - \sum_k N_k \mu_k\mu_k^\top` does. The cost is one
    pass over the data per component, as for the E-step.
    """
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = (resp.T @ X) / nk[:, None]
    K, d = means.shape
    full = covariance_type in ("full", "tied")
    S = np.empty((K, d, d) if full else (K, d))
    D = np.empty_like(X, dtype=np.result_type(X, means))  # one buffer for every component
    for k in range(K):
        np.subtract(X, means[k], out=D)
        # corrected two-pass: the mean of the deviations recovers the first pass's rounding,
        # O(eps |mu_k|) (1e-7 for 200,000 rows at 1e6), which would otherwise move the E-step
        step = (resp[:, k] @ D) / nk[k]
        means[k] += step
        D -= step
        if full:
            D *= np.sqrt(resp[:, k])[:, None]
            S[k] = D.T @ D  # one symmetric rank-n update (syrk)
        else:
            D *= D
            S[k] = resp[:, k] @ D  # the diagonal of S_k
    if covariance_type == "tied":
        cov = S.sum(axis=0) / nk.sum()
        cov.flat[:: d + 1] += reg_covar
        return nk, means, cov
    if covariance_type == "full":
        cov = S / nk[:, None, None]
        cov[:, np.arange(d), np.arange(d)] += reg_covar
        return nk, means, cov
    diag = S / nk[:, None] + reg_covar
    if covariance_type == "diag":
        return nk, means, diag
    return nk, means, diag.mean(axis=1)


def precision_cholesky(covariances, covariance_type):
    r"""The factors :math:`P_k = L_k^{-\top}` of the precisions, from the covariances.

    Raises
    ------
    ValueError
        A covariance that is not positive definite (an ill-defined component).
    """
    if covariance_type in ("full", "tied"):
        try:
            L = cholesky(covariances)
        except LinAlgError:
            raise ValueError(_ILL_DEFINED) from None
        eye = np.broadcast_to(np.eye(L.shape[-1]), L.shape)
        return np.swapaxes(solve_triangular(L, eye, lower=True), -1, -2)
    if np.any(covariances <= 0.0):
        raise ValueError(_ILL_DEFINED)
    return 1.0 / np.sqrt(covariances)


def precision_cholesky_from_precisions(precisions, covariance_type):
    r"""A factor :math:`P` with :math:`P P^\top = \Lambda` (lower Cholesky), from precisions.

    Raises
    ------
    ValueError
        A precision matrix that is not symmetric positive definite.
    """
    if covariance_type in ("full", "tied"):
        try:
            return cholesky(precisions)
        except LinAlgError as err:
            raise ValueError(
                f"precisions_init must be symmetric positive definite: {err}"
            ) from None
    return np.sqrt(precisions)


def _log_det_cholesky(pc, covariance_type, d):
    if covariance_type == "full":
        return np.log(np.diagonal(pc, axis1=1, axis2=2)).sum(axis=1)
    if covariance_type == "tied":
        return np.log(np.diag(pc)).sum()
    if covariance_type == "diag":
        return np.log(pc).sum(axis=1)
    return d * np.log(pc)


def estimate_log_gaussian_prob(X, means, pc, covariance_type):
    r"""Matrix of :math:`\log \mathcal N(x_i; \mu_k, \Sigma_k)`, shape (n, K)."""
    n, d = X.shape
    K = means.shape[0]
    log_det = _log_det_cholesky(pc, covariance_type, d)
    if covariance_type in ("full", "tied"):
        P = pc if covariance_type == "full" else np.broadcast_to(pc, (K, d, d))
        # all components in one product: X (n x d) times [P_1 ... P_K] (d x Kd)
        Y = X @ np.concatenate(list(P), axis=1)
        Y -= np.einsum("kd,kde->ke", means, P).reshape(-1)
        Y *= Y
        maha = Y.reshape(n, K, d).sum(axis=2)
    else:
        prec = pc**2 if covariance_type == "diag" else np.repeat((pc**2)[:, None], d, axis=1)
        maha = (means**2 * prec).sum(axis=1) - 2.0 * (X @ (means * prec).T) + (X * X) @ prec.T
        # the expanded |x|^2 - 2 x.mu + |mu|^2 (one product for all components) has an absolute
        # error of eps |mu|^2 / sigma^2 near the mean: where that is large, from the deviations
        for k in np.flatnonzero((prec * means**2).max(axis=1) > 1.0 / _CANCELS):
            D = X - means[k]
            D *= D
            maha[:, k] = D @ prec[k]
    return -0.5 * (d * np.log(2.0 * np.pi) + maha) + log_det
