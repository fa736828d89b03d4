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
    "weighted_moments",
]

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")

_CANCELS = 1e-4  # diag/spherical: log densities from the deviations where sigma^2 < 1e-4 mu^2
# full/tied: from the deviations where |mu| |P| > 1e4; below, the one product's error in log N
# measured at most 3.5e-12 (d = 10; 3.5e-16 |mu| |P|), and thin components (|mu| |P| ~ 800 in
# the benchmark) keep the one product
_FAR = 1e4

_ILL_DEFINED = (
    "Fitting the mixture model failed because some components have ill-defined empirical "
    "covariance (for instance caused by singleton or collapsed samples). Try to decrease the "
    "number of components, increase reg_covar, or scale the input data."
)


def weighted_moments(X, resp, covariance_type):
    r"""Per component: mass :math:`N_k`, mean :math:`\mu_k` and centred scatter :math:`S_k`.

    :math:`N_k = \sum_i r_{ik}`, :math:`\mu_k = \sum_i r_{ik} x_i / N_k` (0 for an empty
    component) and :math:`S_k = \sum_i r_{ik} (x_i - \mu_k)(x_i - \mu_k)^\top`, shape (K, d, d)
    for "full" and "tied", only its diagonal, (K, d), for "diag" and "spherical". Returns
    ``(N, means, S)``; the statistics that :func:`estimate_gaussian_parameters` turns into
    covariances, and that m4ml.distributed merges across blocks.

    Notes
    -----
    The mean gets one refinement step, :math:`\mu_k \mathrel{+}= \sum_i r_{ik}(x_i -
    \mu_k)/N_k` (the corrected two-pass algorithm: it recovers the first pass's rounding,
    :math:`O(\epsilon\lvert\mu_k\rvert)`), and :math:`S_k` is then formed from the deviations
    from the refined mean, the one returned. So :math:`S_k` is the exact scatter about the
    mean that is stored (up to the rounding of :math:`S_k` itself), and a component whose
    responsibilities rest on one point has :math:`S_k = 0`, as in exact arithmetic. Correcting
    the first pass's deviations by the step instead, :math:`(x_i - \mu_k) - \text{step}`,
    leaves the rounding residue of the step (:math:`10^{-30}` for a point at 0.2, a "variance"
    of :math:`10^{-60}` where the truth is 0), which changes from one iteration to the next.
    Never :math:`E[xx^\top] - \mu\mu^\top`, which loses
    :math:`\log_{10}(\lVert\mu\rVert^2/\sigma^2)` digits.
    """
    N = resp.sum(axis=0)
    safe = np.where(N > 0, N, 1.0)
    means = (resp.T @ X) / safe[:, None]
    K, d = means.shape
    full = covariance_type in ("full", "tied")
    S = np.zeros((K, d, d) if full else (K, d))
    D = np.empty_like(X, dtype=np.result_type(X, means))  # one buffer for every component
    for k in np.flatnonzero(N > 0):
        np.subtract(X, means[k], out=D)
        means[k] += (resp[:, k] @ D) / N[k]  # corrected two-pass: 1e-7 at 200,000 rows at 1e6
        np.subtract(X, means[k], out=D)  # the deviations from the mean returned
        if full:
            D *= np.sqrt(resp[:, k])[:, None]
            S[k] = D.T @ D  # one symmetric rank-n update (syrk)
        else:
            D *= D
            S[k] = resp[:, k] @ D  # the diagonal of S_k
    return N, means, S


def estimate_gaussian_parameters(X, resp, reg_covar, covariance_type):
    r"""M-step: weights :math:`N_k`, means and covariances from responsibilities ``resp``.

    With :math:`N_k`, :math:`\mu_k` and the centred scatter :math:`S_k` of
    :func:`weighted_moments`,

    * "full": :math:`\Sigma_k = S_k / N_k + \epsilon I`;
    * "tied": :math:`\Sigma = \sum_k S_k / \sum_k N_k + \epsilon I`;
    * "diag": :math:`\sigma_{kj}^2 = (S_k)_{jj} / N_k + \epsilon`;
    * "spherical": :math:`\sigma_k^2 = \tfrac1d \sum_j (S_k)_{jj} / N_k + \epsilon`,

    with :math:`\epsilon` = ``reg_covar`` (which keeps a component that collapses onto one point
    positive definite; with ``reg_covar=0`` its covariance is 0 and the precision step reports
    it). The returned ``nk`` and the divisors :math:`N_k` get :math:`10\,\epsilon_{mach}`, so an
    empty component divides safely (as scikit-learn). Returns ``(nk, means, covariances)``.

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
    N, means, S = weighted_moments(X, resp, covariance_type)
    nk = N + 10 * np.finfo(resp.dtype).eps
    d = means.shape[1]
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


def _whitened(X, means, P):
    r""":math:`Y_{ik} = P_k^\top (x_i - \mu_k)` as rows, shape (n, K, d)."""
    n, d = X.shape
    K = means.shape[0]
    # X P_k - mu_k P_k (all components in one product) cancels near the mean with an absolute
    # error of eps |mu_k| |P_k| ~ eps |mu_k| / sigma_k: where that is large, from the deviations
    far = np.einsum("kd,kde->ke", np.abs(means), np.abs(P)).max(axis=1) > _FAR
    if not far.any():  # one product: X (n x d) times [P_1 ... P_K] (d x Kd)
        Y = X @ np.concatenate(list(P), axis=1)
        Y -= np.einsum("kd,kde->ke", means, P).reshape(-1)
        return Y.reshape(n, K, d)
    Y = np.empty((n, K, d), dtype=np.result_type(X, P))
    near = np.flatnonzero(~far)
    if near.size:
        Y[:, near] = _whitened(X, means[near], P[near])
    D = np.empty_like(X, dtype=np.result_type(X, means))
    for k in np.flatnonzero(far):
        np.subtract(X, means[k], out=D)
        Y[:, k] = D @ P[k]
    return Y


def estimate_log_gaussian_prob(X, means, pc, covariance_type):
    r"""Matrix of :math:`\log \mathcal N(x_i; \mu_k, \Sigma_k)`, shape (n, K)."""
    d = X.shape[1]
    K = means.shape[0]
    log_det = _log_det_cholesky(pc, covariance_type, d)
    if covariance_type in ("full", "tied"):
        P = pc if covariance_type == "full" else np.broadcast_to(pc, (K, d, d))
        Y = _whitened(X, means, P)
        Y *= Y
        maha = Y.sum(axis=2)
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
