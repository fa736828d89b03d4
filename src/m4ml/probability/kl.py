r"""Kullback–Leibler divergence between two distribution objects of the same family.

:math:`D_{\mathrm{KL}}(P \,\|\, Q) = E_P[\log p(X) - \log q(X)]` in nats, in closed form for
the pairs registered here. For discrete distributions given as probability arrays, see
``m4ml.probability.information.kl_divergence``.
"""

import numpy as np
from scipy.special import betaln, digamma, gammaln, xlogy

from m4ml.linalg.triangular import solve_triangular
from m4ml.probability.base import scalar_or_array
from m4ml.probability.beta_family import Beta
from m4ml.probability.categorical import Categorical
from m4ml.probability.continuous_basic import Exponential
from m4ml.probability.discrete import Bernoulli, Binomial, Poisson
from m4ml.probability.gamma_family import Gamma
from m4ml.probability.multivariate import Dirichlet, MultivariateNormal
from m4ml.probability.normal import Normal

__all__ = ["kl_divergence"]


def _kl_normal(p, q):
    r = (p.scale / q.scale) ** 2
    return 0.5 * (r - 1.0 - np.log(r)) + 0.5 * ((p.loc - q.loc) / q.scale) ** 2


def _kl_mvn(p, q):
    if p.dim != q.dim:
        raise ValueError(f"dimensions differ: {p.dim} and {q.dim}")
    m = solve_triangular(q.cholesky_factor, p.cholesky_factor, lower=True)  # L_q^{-1} L_p
    z = solve_triangular(q.cholesky_factor, p.loc - q.loc, lower=True)
    trace = np.sum(m * m)
    return 0.5 * (trace + z @ z - p.dim) + q._half_logdet - p._half_logdet


def _kl_bernoulli(p, q):
    a, b = p.p, q.p
    with np.errstate(divide="ignore"):
        out = xlogy(a, a) - xlogy(a, b) + xlogy(1 - a, 1 - a) - xlogy(1 - a, 1 - b)
    return np.where(np.isnan(out), np.inf, out)


def _kl_binomial(p, q):
    if np.any(np.asarray(p.n) != np.asarray(q.n)):
        raise ValueError("Binomial KL divergence needs the same number of trials n")
    return p.n * _kl_bernoulli(p, q)


def _kl_categorical(p, q):
    if p.n_categories != q.n_categories:
        raise ValueError(f"numbers of categories differ: {p.n_categories} and {q.n_categories}")
    a, b = p.probs, q.probs
    if np.any((a > 0) & (b == 0)):
        return np.inf
    return np.sum(xlogy(a, a) - xlogy(a, np.where(a > 0, b, 1.0)))


def _kl_exponential(p, q):
    r = q.rate / p.rate
    return r - 1.0 - np.log(r)


def _kl_gamma(p, q):
    a1, b1, a2, b2 = p.shape, p.rate, q.shape, q.rate
    return (
        (a1 - a2) * digamma(a1)
        - gammaln(a1)
        + gammaln(a2)
        + a2 * (np.log(b1) - np.log(b2))
        + a1 * (b2 - b1) / b1
    )


def _kl_beta(p, q):
    a1, b1, a2, b2 = p.a, p.b, q.a, q.b
    return (
        betaln(a2, b2)
        - betaln(a1, b1)
        + (a1 - a2) * digamma(a1)
        + (b1 - b2) * digamma(b1)
        + (a2 - a1 + b2 - b1) * digamma(a1 + b1)
    )


def _kl_poisson(p, q):
    l1, l2 = p.rate, q.rate
    with np.errstate(divide="ignore"):
        out = xlogy(l1, l1) - xlogy(l1, l2) - l1 + l2
    return np.where(np.isnan(out), np.inf, out)


def _kl_dirichlet(p, q):
    a, b = p.alpha, q.alpha
    if a.size != b.size:
        raise ValueError(f"numbers of components differ: {a.size} and {b.size}")
    a0 = a.sum()
    return (
        gammaln(a0)
        - np.sum(gammaln(a))
        - gammaln(b.sum())
        + np.sum(gammaln(b))
        + np.sum((a - b) * (digamma(a) - digamma(a0)))
    )


_RULES = {
    Normal: _kl_normal,
    MultivariateNormal: _kl_mvn,
    Bernoulli: _kl_bernoulli,
    Binomial: _kl_binomial,
    Categorical: _kl_categorical,
    Exponential: _kl_exponential,
    Gamma: _kl_gamma,
    Beta: _kl_beta,
    Poisson: _kl_poisson,
    Dirichlet: _kl_dirichlet,
}


def kl_divergence(p, q):
    r"""Kullback–Leibler divergence :math:`D_{\mathrm{KL}}(p \,\|\, q)` in nats, in closed form.

    Parameters
    ----------
    p, q : distribution objects of the same family
        One of :class:`Normal`, :class:`MultivariateNormal`, :class:`Bernoulli`,
        :class:`Binomial` (same ``n``), :class:`Categorical`, :class:`Exponential`,
        :class:`Gamma`, :class:`Beta`, :class:`Poisson`, :class:`Dirichlet`. Array parameters
        broadcast.

    Returns
    -------
    float or ndarray
        :math:`D_{\mathrm{KL}}(p \,\|\, q) \ge 0`, ``inf`` where :math:`p` puts mass where
        :math:`q` has none.

    Raises
    ------
    TypeError
        ``p`` and ``q`` of different families, or a family without a closed form here
        (e.g. a :class:`ChiSquared` is not compared as a :class:`Gamma`).
    ValueError
        Dimensions or numbers of categories that differ.

    Notes
    -----
    Normal: :math:`\log\frac{\sigma_q}{\sigma_p} + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}
    {2\sigma_q^2} - \frac12`, written as :math:`\tfrac12(r - 1 - \log r)` with :math:`r =
    \sigma_p^2/\sigma_q^2` plus the mean term, which stays accurate when :math:`r \approx 1`.
    Multivariate normal: :math:`\tfrac12\bigl(\operatorname{tr}(\Sigma_q^{-1}\Sigma_p) +
    \delta^\top\Sigma_q^{-1}\delta - d + \log\frac{\det\Sigma_q}{\det\Sigma_p}\bigr)`, with
    the trace :math:`\lVert L_q^{-1}L_p\rVert_F^2` and the quadratic form from triangular
    solves. Bernoulli and Categorical: :math:`\sum_k p_k\log(p_k/q_k)`; Binomial with the
    same :math:`n`: :math:`n` times the Bernoulli value (the trials are independent). Exponential:
    :math:`r - 1 - \log r`, :math:`r = \lambda_q/\lambda_p`. Poisson: :math:`\lambda_p
    \log(\lambda_p/\lambda_q) - \lambda_p + \lambda_q`. Gamma (shape :math:`a`, rate
    :math:`b`): :math:`(a_p - a_q)\psi(a_p) - \log\Gamma(a_p) + \log\Gamma(a_q) +
    a_q\log(b_p/b_q) + a_p(b_q - b_p)/b_p`. Beta: :math:`\log\frac{B(a_q,b_q)}{B(a_p,b_p)} +
    (a_p-a_q)\psi(a_p) + (b_p-b_q)\psi(b_p) + (a_q-a_p+b_q-b_p)\psi(a_p+b_p)`. Dirichlet:
    :math:`\log\Gamma(\alpha_0) - \sum\log\Gamma(\alpha_k) - \log\Gamma(\beta_0) +
    \sum\log\Gamma(\beta_k) + \sum(\alpha_k - \beta_k)(\psi(\alpha_k) - \psi(\alpha_0))`.

    References
    ----------
    .. [1] S. Kullback and R. A. Leibler, "On information and sufficiency", Ann. Math.
       Statist. 22(1), 1951.
    .. [2] J. Soch et al., *The Book of Statistical Proofs*, 2020 (KL divergences of the
       families above).

    Examples
    --------
    >>> from m4ml.probability.kl import kl_divergence
    >>> from m4ml.probability.normal import Normal
    >>> print(f"{kl_divergence(Normal(0, 1), Normal(1, 2)):.6f}")
    0.443147
    >>> print(f"{kl_divergence(Normal(0, 1), Normal(0, 1)):.1f}")
    0.0
    """
    rule = _RULES.get(type(p))
    if rule is None:
        raise TypeError(
            f"no closed-form KL divergence for {type(p).__name__}; supported families: "
            + ", ".join(sorted(t.__name__ for t in _RULES))
        )
    if type(q) is not type(p):
        raise TypeError(
            f"kl_divergence needs two distributions of the same family, got "
            f"{type(p).__name__} and {type(q).__name__}"
        )
    return scalar_or_array(rule(p, q))
