r"""Conjugate Bayesian models: prior + data -> posterior in closed form.

A prior is *conjugate* to a likelihood when the posterior is in the prior's family, so Bayes'
theorem :math:`p(\theta \mid x) \propto p(x \mid \theta)\, p(\theta)` reduces to updating a few
hyper-parameters. Each model here is immutable: construct it with the prior's
hyper-parameters, call ``update(data)`` with raw observations to get a new model holding the
posterior's, and ask it for

* ``posterior`` — the distribution of the parameter (an :mod:`m4ml.probability` object);
* ``posterior_predictive()`` — the distribution of new data, the parameter integrated out;
* ``posterior_mean()``, ``map_estimate()`` (the posterior mode),
  ``credible_interval(level, kind="equal-tailed"|"hpd")`` and
  ``log_marginal_likelihood(data)``, the log evidence :math:`\log p(x)` of new data (the
  normalizing constant of Bayes' theorem; differences of it between models are log Bayes
  factors). By the chain rule it equals the sum of the one-step predictive log probabilities
  of the observations taken in turn.

==============================  ===============  ==========  =====================
model                           data             posterior   predictive
==============================  ===============  ==========  =====================
``BetaBinomial(a, b)``          0/1 outcomes     Beta        beta-binomial
``GammaPoisson(shape, rate)``   counts           Gamma       negative binomial
``NormalKnownVariance``         real values      Normal      Normal
``NormalInverseGamma``          real values      NIG         Student t
``DirichletMultinomial``        category counts  Dirichlet   Dirichlet-multinomial
==============================  ===============  ==========  =====================

The two normal models live in :mod:`m4ml.stats.bayes_normal` and are re-exported here.
"""

from typing import Literal, Self

import numpy as np
from scipy.special import betaln, gammaln

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability.beta_family import Beta
from m4ml.probability.gamma_family import Gamma
from m4ml.probability.multivariate import Dirichlet
from m4ml.stats._conjugate import ConjugateModel, as_counts, as_observations, positive
from m4ml.stats._results import ConfidenceInterval
from m4ml.stats.bayes_normal import NormalInverseGamma, NormalKnownVariance
from m4ml.stats.credible import credible_interval
from m4ml.stats.predictive import (
    BetaBinomialDistribution,
    DirichletMultinomialDistribution,
    NegativeBinomial,
)

__all__ = [
    "BetaBinomial",
    "DirichletMultinomial",
    "GammaPoisson",
    "NormalInverseGamma",
    "NormalKnownVariance",
]


def _beta_mode(a, b):
    """Mode of Beta(a, b) (arrays); ValueError where it is not unique."""
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    if np.any(((a < 1) & (b < 1)) | ((a == 1) & (b == 1))):
        raise ValueError(
            "the posterior Beta has no unique mode (a = b = 1 is flat, a < 1 and b < 1 is "
            "U-shaped); use posterior_mean() or observe more data"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        interior = (a - 1.0) / (a + b - 2.0)
    return np.where(a < 1, 0.0, np.where(b < 1, 1.0, interior))


class BetaBinomial(ConjugateModel):
    r"""Beta prior on a success probability :math:`\theta`, Bernoulli observations.

    Parameters
    ----------
    a, b : float, default 1
        Prior :math:`\theta \sim \mathrm{Beta}(a, b)`, :math:`a, b > 0` (pseudo-counts of
        successes and failures; ``a = b = 1`` is uniform).

    Raises
    ------
    ValueError
        ``a`` or ``b`` not positive and finite.

    Notes
    -----
    With :math:`s` successes and :math:`f` failures,

    .. math:: p(\theta \mid x) \propto \theta^{s}(1-\theta)^{f}\,\theta^{a-1}(1-\theta)^{b-1}
              \;\Rightarrow\; \theta \mid x \sim \mathrm{Beta}(a + s,\ b + f).

    The predictive number of successes in :math:`n` new trials is beta-binomial
    :math:`\mathrm{BB}(n, a + s, b + f)`. Posterior mean :math:`a/(a+b)`, mode
    :math:`(a-1)/(a+b-2)` (for :math:`a, b \ge 1`; 0 or 1 when the density is monotone).

    References
    ----------
    .. [1] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, sec. 2.4.

    Examples
    --------
    >>> model = BetaBinomial(1, 1).update([1, 0, 1, 1, 0, 1, 1])
    >>> model
    BetaBinomial(a=6.0, b=3.0)
    >>> print(f"{model.posterior_mean():.4f} {model.map_estimate():.4f}")
    0.6667 0.7143
    >>> low, high = model.credible_interval(0.9)
    >>> print(f"{low:.4f} {high:.4f}")
    0.4003 0.8889
    >>> print(f"{model.posterior_predictive().pmf(1):.4f}")
    0.6667
    """

    _hyper = ("a", "b")

    def __init__(self, a: float = 1.0, b: float = 1.0):
        self.a = positive(a, "a")
        self.b = positive(b, "b")

    def update(self, data: ArrayLike) -> Self:
        """Posterior model after the 0/1 outcomes ``data`` (1 = success); empty data: no change.

        Raises
        ------
        ValueError
            An outcome that is not 0 or 1 (booleans are fine), or NaN.
        """
        x = as_observations(data)
        bad = (x != 0) & (x != 1)
        if np.any(bad):
            raise ValueError(
                f"data must hold 0/1 outcomes (1 = success), got {float(x[bad][0])!r}; pass counts "
                "as outcomes, e.g. [1] * successes + [0] * failures"
            )
        s = float(np.sum(x))
        return type(self)(self.a + s, self.b + (x.size - s))

    def log_marginal_likelihood(self, data: ArrayLike) -> float:
        """Log evidence :math:`\\log p(x) = \\log B(a + s, b + f) - \\log B(a, b)` of the 0/1
        sequence ``data`` under this model's current distribution of :math:`\\theta`."""
        post = self.update(data)
        return float(betaln(post.a, post.b) - betaln(self.a, self.b))

    @property
    def posterior(self) -> Beta:
        """:math:`\\mathrm{Beta}(a, b)` (the prior, for a model that has seen no data)."""
        return Beta(self.a, self.b)

    def posterior_predictive(self, n: int = 1) -> BetaBinomialDistribution:
        """Successes in ``n`` new trials: a ``BetaBinomialDistribution(n, a, b)``."""
        return BetaBinomialDistribution(n, self.a, self.b)

    def map_estimate(self) -> float:
        """Posterior mode of :math:`\\theta`; ValueError if it is not unique."""
        return float(_beta_mode(self.a, self.b))


class GammaPoisson(ConjugateModel):
    r"""Gamma prior on a Poisson rate :math:`\lambda`, count observations.

    Parameters
    ----------
    shape, rate : float
        Prior :math:`\lambda \sim \mathrm{Gamma}(\alpha, \text{rate } \beta)`, both > 0
        (:math:`\alpha` pseudo-events in :math:`\beta` pseudo-intervals).

    Raises
    ------
    ValueError
        ``shape`` or ``rate`` not positive and finite.

    Notes
    -----
    With :math:`n` counts summing to :math:`S`,

    .. math:: p(\lambda \mid x) \propto \lambda^{S} e^{-n\lambda}\,\lambda^{\alpha-1}
              e^{-\beta\lambda} \;\Rightarrow\; \lambda \mid x \sim
              \mathrm{Gamma}(\alpha + S,\ \beta + n).

    A new count is negative binomial, :math:`\mathrm{NB}(\alpha, \beta/(\beta + 1))` (the
    Poisson mixed over the Gamma). Posterior mean :math:`\alpha/\beta`, mode
    :math:`(\alpha - 1)/\beta` for :math:`\alpha \ge 1` (0 otherwise).

    References
    ----------
    .. [1] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, sec. 2.6.

    Examples
    --------
    >>> model = GammaPoisson(2.0, 1.0).update([3, 5, 4, 6])
    >>> model
    GammaPoisson(shape=20.0, rate=5.0)
    >>> print(model.posterior_mean(), model.map_estimate())
    4.0 3.8
    >>> print(f"{model.posterior_predictive().pmf(4):.4f}")
    0.1782
    """

    _hyper = ("shape", "rate")

    def __init__(self, shape: float, rate: float):
        self.shape = positive(shape, "shape")
        self.rate = positive(rate, "rate")

    def update(self, data: ArrayLike) -> Self:
        """Posterior model after the non-negative integer counts ``data``.

        Raises
        ------
        ValueError
            A negative, non-integer or NaN count.
        """
        x = as_counts(data).ravel()
        return type(self)(self.shape + float(np.sum(x)), self.rate + x.size)

    def log_marginal_likelihood(self, data: ArrayLike) -> float:
        """Log evidence of the counts: :math:`\\alpha\\log\\beta - \\log\\Gamma(\\alpha) +
        \\log\\Gamma(\\alpha_n) - \\alpha_n\\log\\beta_n - \\sum_i \\log x_i!`."""
        x = as_counts(data).ravel()
        post = self.update(x)
        return float(
            self.shape * np.log(self.rate)
            - gammaln(self.shape)
            + gammaln(post.shape)
            - post.shape * np.log(post.rate)
            - np.sum(gammaln(x + 1.0))
        )

    @property
    def posterior(self) -> Gamma:
        """:math:`\\mathrm{Gamma}(\\alpha, \\text{rate } \\beta)`."""
        return Gamma(self.shape, self.rate)

    def posterior_predictive(self) -> NegativeBinomial:
        """A new count: ``NegativeBinomial(alpha, beta/(beta + 1))``."""
        return NegativeBinomial(self.shape, self.rate / (self.rate + 1.0))

    def map_estimate(self) -> float:
        """Posterior mode :math:`\\max(\\alpha - 1, 0)/\\beta`."""
        return max(self.shape - 1.0, 0.0) / self.rate


class DirichletMultinomial(ConjugateModel):
    r"""Dirichlet prior on category probabilities :math:`\theta`, category-count observations.

    Parameters
    ----------
    alpha : array_like, shape (K,)
        Prior :math:`\theta \sim \mathrm{Dirichlet}(\alpha)`, every :math:`\alpha_i > 0`.

    Raises
    ------
    ValueError
        ``alpha`` not a 1-D array of positive numbers.

    Notes
    -----
    With category counts :math:`c`,

    .. math:: p(\theta \mid c) \propto \prod_i \theta_i^{c_i}\,\theta_i^{\alpha_i - 1}
              \;\Rightarrow\; \theta \mid c \sim \mathrm{Dirichlet}(\alpha + c).

    The marginals are :math:`\theta_i \sim \mathrm{Beta}(\alpha_i, A - \alpha_i)`,
    :math:`A = \sum_j \alpha_j`, which give the per-category credible intervals. New counts of
    :math:`n` draws are Dirichlet-multinomial. Posterior mean :math:`\alpha/A`, mode
    :math:`(\alpha - 1)/(A - K)` when every :math:`\alpha_i \ge 1` (not all 1).

    References
    ----------
    .. [1] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press, 2012,
       sec. 3.4.

    Examples
    --------
    >>> model = DirichletMultinomial([1, 1, 1]).update([5, 2, 3])
    >>> model
    DirichletMultinomial(alpha=[6., 3., 4.])
    >>> print(model.posterior_mean(), model.map_estimate())
    [0.46153846 0.23076923 0.30769231] [0.5 0.2 0.3]
    """

    _hyper = ("alpha",)

    def __init__(self, alpha: ArrayLike):
        a = as_float_array(alpha, "alpha", min_ndim=1, max_ndim=1)
        if a.size == 0 or np.any(a <= 0):
            raise ValueError("alpha must be a non-empty 1-D array of positive numbers")
        self.alpha = a.copy()
        self.alpha.flags.writeable = False

    def update(self, data: ArrayLike) -> Self:
        """Posterior model after category counts ``data``: shape (K,) or (m, K), rows summed.

        Raises
        ------
        ValueError
            Negative or non-integer counts, or a last axis not of length K.
        """
        c = as_counts(data)
        k = self.alpha.size
        if c.ndim not in (1, 2) or c.shape[-1] != k:
            raise ValueError(
                f"data must be category counts of shape ({k},) or (m, {k}), got shape {c.shape}"
            )
        return type(self)(self.alpha + (c if c.ndim == 1 else c.sum(axis=0)))

    def log_marginal_likelihood(self, data: ArrayLike) -> float:
        """Log evidence of the observed category *sequence* with counts ``data`` (no
        multinomial coefficient): :math:`\\log\\Gamma(A) - \\log\\Gamma(A + N) +
        \\sum_i [\\log\\Gamma(\\alpha_i + c_i) - \\log\\Gamma(\\alpha_i)]`."""
        post = self.update(data)
        c = post.alpha - self.alpha
        return float(
            gammaln(self.alpha.sum())
            - gammaln(self.alpha.sum() + c.sum())
            + np.sum(gammaln(post.alpha) - gammaln(self.alpha))
        )

    @property
    def posterior(self) -> Dirichlet:
        """:math:`\\mathrm{Dirichlet}(\\alpha)` from :mod:`m4ml.probability`."""
        return Dirichlet(self.alpha)

    @property
    def marginals(self) -> Beta:
        """The Beta marginals :math:`\\mathrm{Beta}(\\alpha_i, A - \\alpha_i)`, one per category."""
        return Beta(self.alpha, self.alpha.sum() - self.alpha)

    def posterior_mean(self) -> FloatArray:
        """Posterior mean :math:`\\alpha / A`."""
        return self.alpha / self.alpha.sum()

    def posterior_predictive(self, n: int = 1) -> DirichletMultinomialDistribution:
        """Counts of ``n`` new draws: ``DirichletMultinomialDistribution(n, alpha)``."""
        return DirichletMultinomialDistribution(n, self.alpha)

    def map_estimate(self) -> FloatArray:
        """Posterior mode :math:`(\\alpha - 1)/(A - K)`; ValueError if some alpha < 1."""
        a = self.alpha
        if np.any(a < 1) or np.all(a == 1):
            raise ValueError(
                "the posterior Dirichlet has no unique interior mode (some alpha < 1, or all "
                "alpha = 1); use posterior_mean() or observe more data"
            )
        return (a - 1.0) / (a.sum() - a.size)

    def credible_interval(
        self, level: float = 0.95, kind: Literal["equal-tailed", "hpd"] = "equal-tailed"
    ) -> ConfidenceInterval:
        """Per-category intervals from the Beta marginals; arrays ``(low, high)`` of length K."""
        low, high = credible_interval(self.marginals, level, kind)
        return ConfidenceInterval(np.asarray(low), np.asarray(high))
