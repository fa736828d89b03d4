r"""Sufficient statistics of a Gaussian mixture's M-step, per chunk and merged (private).

For responsibilities :math:`r_{ik}` a block :math:`A` is summarized, per component :math:`k`,
by the responsibility mass, the responsibility-weighted mean and the weighted co-moment

.. math:: N_k^A = \sum_{i\in A} r_{ik},\quad
          \bar x_k^A = \frac{1}{N_k^A}\sum_{i\in A} r_{ik} x_i,\quad
          M_k^A = \sum_{i\in A} r_{ik}(x_i - \bar x_k^A)(x_i - \bar x_k^A)^\top

(only the diagonal for "diag" and "spherical"). Two blocks merge by the weighted
Chan–Golub–LeVeque update: with :math:`N = N^A + N^B` and :math:`\delta = \bar x^B - \bar x^A`,
:math:`\bar x = \bar x^A + \delta N^B/N` and :math:`M = M^A + M^B + \delta\delta^\top N^A N^B/N`
(the proof of the unweighted case carries over with weights). Never forming
:math:`\sum r x x^\top - N\bar x\bar x^\top` avoids the cancellation that loses every digit of
a small covariance when the data lie far from the origin.
"""

import numpy as np

from m4ml.distributed._blocks import check_block
from m4ml.models.mixture_gaussian import (
    estimate_log_gaussian_prob,
    precision_cholesky,
    weighted_moments,
)

__all__ = [
    "e_step_chunk",
    "logsumexp_rows",
    "m_step",
    "merge_e_step",
    "merge_stats",
    "stats_chunk",
    "weighted_log_prob",
]

_TINY = 10 * np.finfo(np.float64).eps  # the in-memory M-step adds this to every N_k


def stats_chunk(b, resp, covariance_type):
    """``(N, means, M)`` of one block ``b`` under responsibilities ``resp`` (n, K).

    ``M`` is (K, d, d) for "full" and "tied", (K, d) for "diag" and "spherical": the in-memory
    :func:`m4ml.models.mixture_gaussian.weighted_moments` of the block (a refined mean, then
    the scatter about it), so a one-block fit repeats the in-memory M-step operation for
    operation.
    """
    return weighted_moments(b, resp, covariance_type)


def merge_stats(a, b):
    """Merge two ``(N, means, M)`` summaries, component by component (weighted Chan)."""
    Na, ma, Ma = a
    Nb, mb, Mb = b
    N = Na + Nb
    share = np.where(N > 0, Nb / np.where(N > 0, N, 1.0), 0.0)
    delta = mb - ma
    means = ma + delta * share[:, None]
    coef = Na * share  # N_a N_b / N
    if Ma.ndim == 3:
        M = Ma + Mb + coef[:, None, None] * delta[:, :, None] * delta[:, None, :]
    else:
        M = Ma + Mb + coef[:, None] * delta * delta
    return N, means, M


def m_step(stats, reg_covar, covariance_type):
    r"""``(nk, means, covariances, precisions_cholesky)`` from merged statistics.

    As :func:`m4ml.models.mixture_gaussian.estimate_gaussian_parameters`: :math:`\mu_k =
    \bar x_k`, :math:`\Sigma_k = M_k/N_k' + \text{reg}\,I` with :math:`N_k' = N_k +
    10\epsilon`, "tied" :math:`\sum_k M_k/\sum_k N_k' + \text{reg}\,I`, "diag" the diagonal
    and "spherical" its mean. The weights are then :math:`N_k'/\sum_j N_j'` (EM) or
    :math:`N_k'/n` (the in-memory initialization).
    """
    N, xbar, M = stats
    nk = N + _TINY
    d = xbar.shape[1]
    if covariance_type == "full":
        cov = M / nk[:, None, None]
        cov[:, np.arange(d), np.arange(d)] += reg_covar
    elif covariance_type == "tied":
        cov = M.sum(axis=0) / nk.sum()
        cov.flat[:: d + 1] += reg_covar
    else:
        cov = M / nk[:, None] + reg_covar
        if covariance_type == "spherical":
            cov = cov.mean(axis=1)
    return nk, xbar, cov, precision_cholesky(cov, covariance_type)


def logsumexp_rows(a):
    r""":math:`\log\sum_k e^{a_{ik}}` per row, shifted by the row maximum (no overflow)."""
    m = a.max(axis=1, keepdims=True)
    m[~np.isfinite(m)] = 0.0
    return np.log(np.exp(a - m).sum(axis=1)) + m[:, 0]


def weighted_log_prob(b, weights, means, pc, covariance_type):
    r""":math:`\log \pi_k + \log\mathcal N(x_i;\mu_k,\Sigma_k)` for the rows of ``b``."""
    log_prob = estimate_log_gaussian_prob(b, means, pc, covariance_type)
    with np.errstate(divide="ignore"):
        return log_prob + np.log(weights)


def e_step_chunk(block, weights, means, pc, covariance_type):
    r"""E-step on one block: ``(sum of log p(x_i), (N, means, M))``.

    :math:`r_{ik} = \exp(\log\pi_k\mathcal N_{ik} - \operatorname{logsumexp}_j)` and the
    block's sufficient statistics under them; the log-likelihood sum gives the lower bound.
    """
    b = check_block(block, "X")
    if b.shape[0] == 0:
        K = means.shape[0]
        return 0.0, stats_chunk(b, np.zeros((0, K)), covariance_type)
    weighted = weighted_log_prob(b, weights, means, pc, covariance_type)
    log_norm = logsumexp_rows(weighted)
    resp = np.exp(weighted - log_norm[:, None])
    return float(log_norm.sum()), stats_chunk(b, resp, covariance_type)


def merge_e_step(a, b):
    """Add the log-likelihood sums; merge the statistics."""
    return a[0] + b[0], merge_stats(a[1], b[1])
