r"""Conjugate models for normal data: known variance, and unknown mean and variance.

:class:`NormalKnownVariance` puts a normal prior on the mean of normal data whose standard
deviation is known; :class:`NormalInverseGamma` puts the normal-inverse-gamma prior on the mean
and the variance together, with :class:`NormalInverseGammaDistribution` the joint posterior and
Student-t / inverse-gamma marginals. Both are re-exported by :mod:`m4ml.stats.bayes`.
"""

from typing import Literal, Self

import numpy as np
from scipy.special import gammaln

from m4ml._core import as_float_array, check_rng, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.probability.beta_family import StudentT
from m4ml.probability.gamma_family import InverseGamma
from m4ml.probability.normal import Normal
from m4ml.stats._conjugate import ConjugateModel, as_observations, positive, real
from m4ml.stats._results import ConfidenceInterval
from m4ml.stats.credible import credible_interval

__all__ = ["NormalInverseGamma", "NormalInverseGammaDistribution", "NormalKnownVariance"]

_LOG_2PI = np.log(2.0 * np.pi)


class NormalKnownVariance(ConjugateModel):
    r"""Normal prior on the mean :math:`\mu` of normal data with known standard deviation.

    Parameters
    ----------
    mu0 : float
        Prior mean of :math:`\mu`.
    tau0 : float
        Prior standard deviation of :math:`\mu`, > 0.
    sigma : float
        Known standard deviation of each observation, > 0.

    Raises
    ------
    ValueError
        ``tau0`` or ``sigma`` not positive, or a hyper-parameter not finite.

    Notes
    -----
    Precisions add: with :math:`n` observations of mean :math:`\bar x`,

    .. math:: \frac1{\tau_n^2} = \frac1{\tau_0^2} + \frac n{\sigma^2}, \qquad
              \mu_n = \tau_n^2\Bigl(\frac{\mu_0}{\tau_0^2} + \frac{n\bar x}{\sigma^2}\Bigr),

    and :math:`\mu \mid x \sim N(\mu_n, \tau_n^2)`: a precision-weighted average of the prior
    mean and the sample mean. A new observation is :math:`N(\mu_n, \tau_n^2 + \sigma^2)`. The
    mode and the mean coincide; HPD and equal-tailed intervals coincide too.

    References
    ----------
    .. [1] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, sec. 2.5.

    Examples
    --------
    >>> model = NormalKnownVariance(0.0, 1.0, sigma=2.0).update([1.2, 0.8, 2.1, 1.5])
    >>> print(f"{model.mu0:.4f} {model.tau0:.4f}")
    0.7000 0.7071
    >>> print(f"{model.posterior_predictive().std():.4f}")
    2.1213
    """

    _hyper = ("mu0", "tau0", "sigma")

    def __init__(self, mu0: float, tau0: float, sigma: float):
        self.mu0 = real(mu0, "mu0")
        self.tau0 = positive(tau0, "tau0")
        self.sigma = positive(sigma, "sigma")

    @overflow_guard("the posterior update")
    def update(self, data: ArrayLike) -> Self:
        """Posterior model after the real observations ``data`` (NaN/inf rejected)."""
        x = as_observations(data)
        if x.size == 0:
            return type(self)(self.mu0, self.tau0, self.sigma)
        w0, w = 1.0 / self.tau0**2, x.size / self.sigma**2
        mu = (w0 * self.mu0 + w * np.mean(x)) / (w0 + w)
        return type(self)(mu, 1.0 / np.sqrt(w0 + w), self.sigma)

    def log_marginal_likelihood(self, data: ArrayLike) -> float:
        """Log evidence of ``data``: :math:`x \\sim N(\\mu_0\\mathbf 1, \\sigma^2 I +
        \\tau_0^2\\mathbf 1\\mathbf 1^\\top)`, i.e. :math:`-\\frac n2\\log 2\\pi\\sigma^2 -
        \\frac12\\log(1 + n\\tau_0^2/\\sigma^2) - \\frac{SS}{2\\sigma^2} -
        \\frac{n(\\bar x - \\mu_0)^2}{2(\\sigma^2 + n\\tau_0^2)}`."""
        x = as_observations(data)
        n = x.size
        if n == 0:
            return 0.0
        s2, t2 = self.sigma**2, self.tau0**2
        xbar = np.mean(x)
        d = x - xbar
        return float(
            -0.5 * n * (_LOG_2PI + np.log(s2))
            - 0.5 * np.log1p(n * t2 / s2)
            - (d @ d) / (2.0 * s2)
            - n * (xbar - self.mu0) ** 2 / (2.0 * (s2 + n * t2))
        )

    @property
    def posterior(self) -> Normal:
        """:math:`N(\\mu_0, \\tau_0^2)`, the current distribution of the mean."""
        return Normal(self.mu0, self.tau0)

    def posterior_predictive(self) -> Normal:
        """A new observation: :math:`N(\\mu_0, \\tau_0^2 + \\sigma^2)`."""
        return Normal(self.mu0, np.hypot(self.tau0, self.sigma))

    def map_estimate(self) -> float:
        """Posterior mode of the mean (equal to the posterior mean)."""
        return self.mu0


class NormalInverseGammaDistribution:
    r"""Normal-inverse-gamma distribution of :math:`(\mu, \sigma^2)`
    (``scipy.stats.normal_inverse_gamma(mu, lmbda, a, b)``).

    Parameters
    ----------
    mu : float
        Location of :math:`\mu`.
    lmbda : float
        Precision multiplier :math:`\lambda > 0`: :math:`\mu \mid \sigma^2 \sim N(\mu_0,
        \sigma^2/\lambda)`.
    a, b : float
        :math:`\sigma^2 \sim \mathrm{InvGamma}(a, b)`, :math:`a, b > 0`.

    Raises
    ------
    ValueError
        A parameter not finite, or ``lmbda``, ``a``, ``b`` not positive.

    Notes
    -----
    .. math:: \log f(x, s) = \tfrac12\log\frac{\lambda}{2\pi s} - \frac{\lambda(x-\mu)^2}{2s}
              + a\log b - \log\Gamma(a) - (a+1)\log s - \frac bs .

    Marginals: :math:`\sigma^2 \sim \mathrm{InvGamma}(a, b)` and, integrating
    :math:`\sigma^2` out, :math:`\mu \sim t_{2a}\bigl(\mu_0, \sqrt{b/(a\lambda)}\bigr)`.
    :meth:`mean` and :meth:`var` return the pairs for :math:`(\mu, \sigma^2)`, as scipy does.

    Examples
    --------
    >>> d = NormalInverseGammaDistribution(0.0, 2.0, 3.0, 4.0)
    >>> print(d.mean(), d.marginal_mean)
    (0.0, 2.0) StudentT(df=6.0, loc=0.0, scale=0.816496580927726)
    """

    def __init__(self, mu: float, lmbda: float, a: float, b: float):
        self.mu = real(mu, "mu")
        self.lmbda = positive(lmbda, "lmbda")
        self.a = positive(a, "a")
        self.b = positive(b, "b")

    def __repr__(self):
        return (
            f"NormalInverseGammaDistribution(mu={self.mu!r}, lmbda={self.lmbda!r}, "
            f"a={self.a!r}, b={self.b!r})"
        )

    @overflow_guard("logpdf")
    def logpdf(self, x: ArrayLike, s2: ArrayLike) -> float | FloatArray:
        """Joint log density at means ``x`` and variances ``s2`` (``-inf`` for ``s2 <= 0``)."""
        x = as_float_array(x, "x")
        s2 = as_float_array(s2, "s2")
        pos = s2 > 0
        s = np.where(pos, s2, 1.0)
        out = (
            0.5 * (np.log(self.lmbda / s) - _LOG_2PI)
            - self.lmbda * (x - self.mu) ** 2 / (2.0 * s)
            + self.a * np.log(self.b)
            - gammaln(self.a)
            - (self.a + 1.0) * np.log(s)
            - self.b / s
        )
        out = np.where(pos, out, -np.inf)
        return out[()] if out.ndim == 0 else out

    def pdf(self, x: ArrayLike, s2: ArrayLike) -> float | FloatArray:
        """Joint density, ``exp(logpdf(x, s2))``."""
        return np.exp(self.logpdf(x, s2))

    @property
    def marginal_mean(self) -> StudentT:
        """Marginal of :math:`\\mu`: Student t with :math:`2a` degrees of freedom."""
        return StudentT(2.0 * self.a, self.mu, np.sqrt(self.b / (self.a * self.lmbda)))

    @property
    def marginal_variance(self) -> InverseGamma:
        """Marginal of :math:`\\sigma^2`: :math:`\\mathrm{InvGamma}(a, b)`."""
        return InverseGamma(self.a, self.b)

    def mean(self) -> tuple[float, float]:
        """``(E mu, E sigma^2)`` = :math:`(\\mu_0, b/(a-1))` (``inf`` for :math:`a \\le 1`)."""
        return self.mu, float(self.marginal_variance.mean())

    def var(self) -> tuple[float, float]:
        """``(Var mu, Var sigma^2)`` = :math:`(b/((a-1)\\lambda), b^2/((a-1)^2(a-2)))`."""
        ev = float(self.marginal_variance.mean())
        return ev / self.lmbda, float(self.marginal_variance.var())

    def sample(
        self, size: int | tuple[int, ...] | None = None, rng: Seed = None
    ) -> tuple[float | FloatArray, float | FloatArray]:
        """Draw ``(x, s2)``: :math:`s^2 = b/G`, :math:`G \\sim \\mathrm{Gamma}(a)`, then
        :math:`x \\sim N(\\mu_0, s^2/\\lambda)`."""
        rng = check_rng(rng)
        s2 = self.b / rng.standard_gamma(self.a, size)
        x = self.mu + np.sqrt(s2 / self.lmbda) * rng.standard_normal(np.shape(s2))
        return x, s2

    def rvs(
        self, size: int | tuple[int, ...] | None = None, random_state: Seed = None
    ) -> tuple[float | FloatArray, float | FloatArray]:
        """Alias of :meth:`sample` with scipy's argument name."""
        return self.sample(size, random_state)


class NormalInverseGamma(ConjugateModel):
    r"""Normal-inverse-gamma prior on the mean and variance of normal data.

    Parameters
    ----------
    mu0 : float
        Prior location of the mean :math:`\mu`.
    kappa0 : float
        Prior pseudo-observations for the mean, > 0: :math:`\mu \mid \sigma^2 \sim N(\mu_0,
        \sigma^2/\kappa_0)`.
    alpha0, beta0 : float
        :math:`\sigma^2 \sim \mathrm{InvGamma}(\alpha_0, \beta_0)`, both > 0.

    Raises
    ------
    ValueError
        A hyper-parameter not finite, or ``kappa0``, ``alpha0``, ``beta0`` not positive.

    Notes
    -----
    With :math:`n` observations, mean :math:`\bar x` and :math:`SS = \sum_i (x_i - \bar x)^2`
    (two-pass, so large offsets do not cancel),

    .. math:: \kappa_n = \kappa_0 + n, \quad \mu_n = \frac{\kappa_0\mu_0 + n\bar x}{\kappa_n},
              \quad \alpha_n = \alpha_0 + \frac n2, \quad
              \beta_n = \beta_0 + \frac{SS}2 + \frac{\kappa_0 n(\bar x - \mu_0)^2}{2\kappa_n}.

    The posterior is :class:`NormalInverseGammaDistribution`; the mean is marginally
    :math:`t_{2\alpha_n}(\mu_n, \sqrt{\beta_n/(\alpha_n\kappa_n)})`, the variance
    :math:`\mathrm{InvGamma}(\alpha_n, \beta_n)`, and a new observation
    :math:`t_{2\alpha_n}(\mu_n, \sqrt{\beta_n(\kappa_n + 1)/(\alpha_n\kappa_n)})`. The joint
    mode is :math:`(\mu_n, \beta_n/(\alpha_n + 3/2))`.

    References
    ----------
    .. [1] K. P. Murphy, "Conjugate Bayesian analysis of the Gaussian distribution", 2007,
       sec. 6.
    .. [2] A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., CRC Press, 2013, sec. 3.3.

    Examples
    --------
    >>> model = NormalInverseGamma(0.0, 1.0, 1.0, 1.0).update([4.9, 5.3, 5.1, 4.7, 5.0])
    >>> model
    NormalInverseGamma(mu0=4.166666666666667, kappa0=6.0, alpha0=3.5, beta0=11.516666666666666)
    >>> low, high = model.credible_interval(0.95, parameter="mean")
    >>> print(f"{low:.3f} {high:.3f}")
    2.416 5.918
    """

    _hyper = ("mu0", "kappa0", "alpha0", "beta0")

    def __init__(self, mu0: float, kappa0: float, alpha0: float, beta0: float):
        self.mu0 = real(mu0, "mu0")
        self.kappa0 = positive(kappa0, "kappa0")
        self.alpha0 = positive(alpha0, "alpha0")
        self.beta0 = positive(beta0, "beta0")

    @overflow_guard("the posterior update")
    def update(self, data: ArrayLike) -> Self:
        """Posterior model after the real observations ``data`` (NaN/inf rejected)."""
        x = as_observations(data)
        n = x.size
        if n == 0:
            return type(self)(self.mu0, self.kappa0, self.alpha0, self.beta0)
        xbar = np.mean(x)
        d = x - xbar
        ss = float(d @ d)
        kappa = self.kappa0 + n
        mu = (self.kappa0 * self.mu0 + n * xbar) / kappa
        shift = self.kappa0 * n * (xbar - self.mu0) ** 2 / (2.0 * kappa)
        return type(self)(mu, kappa, self.alpha0 + n / 2.0, self.beta0 + ss / 2.0 + shift)

    def log_marginal_likelihood(self, data: ArrayLike) -> float:
        """Log evidence of ``data``: :math:`\\log\\Gamma(\\alpha_n) - \\log\\Gamma(\\alpha_0) +
        \\alpha_0\\log\\beta_0 - \\alpha_n\\log\\beta_n + \\frac12\\log(\\kappa_0/\\kappa_n) -
        \\frac n2\\log 2\\pi` (Murphy 2007, eq. 95)."""
        post = self.update(data)
        n = 2.0 * (post.alpha0 - self.alpha0)
        return float(
            gammaln(post.alpha0)
            - gammaln(self.alpha0)
            + self.alpha0 * np.log(self.beta0)
            - post.alpha0 * np.log(post.beta0)
            + 0.5 * np.log(self.kappa0 / post.kappa0)
            - 0.5 * n * _LOG_2PI
        )

    @property
    def posterior(self) -> NormalInverseGammaDistribution:
        """The joint :class:`NormalInverseGammaDistribution` of :math:`(\\mu, \\sigma^2)`."""
        return NormalInverseGammaDistribution(self.mu0, self.kappa0, self.alpha0, self.beta0)

    def posterior_mean(self) -> tuple[float, float]:
        """``(E mu, E sigma^2)`` under the posterior."""
        return self.posterior.mean()

    def posterior_predictive(self) -> StudentT:
        """A new observation: Student t with :math:`2\\alpha` degrees of freedom."""
        scale = np.sqrt(self.beta0 * (self.kappa0 + 1.0) / (self.alpha0 * self.kappa0))
        return StudentT(2.0 * self.alpha0, self.mu0, scale)

    def map_estimate(self) -> tuple[float, float]:
        """Joint posterior mode :math:`(\\mu, \\beta/(\\alpha + 3/2))`."""
        return self.mu0, self.beta0 / (self.alpha0 + 1.5)

    def credible_interval(
        self,
        level: float = 0.95,
        kind: Literal["equal-tailed", "hpd"] = "equal-tailed",
        parameter: Literal["mean", "variance"] = "mean",
    ) -> ConfidenceInterval:
        """Credible interval for ``parameter="mean"`` (Student t marginal) or ``"variance"``.

        Raises
        ------
        ValueError
            Unknown ``parameter``, ``kind`` or a ``level`` outside (0, 1).
        """
        post = self.posterior
        if parameter == "mean":
            return credible_interval(post.marginal_mean, level, kind)
        if parameter == "variance":
            return credible_interval(post.marginal_variance, level, kind)
        raise ValueError(f"parameter must be 'mean' or 'variance', got {parameter!r}")
