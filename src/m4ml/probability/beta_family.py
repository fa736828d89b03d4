r"""Distributions whose cdf is the regularized incomplete beta function.

:math:`I_x(a, b) = B(x; a, b)/B(a, b)` (``betainc``) and its complement :math:`1 - I_x(a, b)`
(``betaincc``, computed directly) give the Beta cdf and survival function and, through
:math:`x = \nu/(\nu + t^2)`, the Student-t tails; ``betaincinv``/``betainccinv`` invert them.
"""

from typing import Self

import numpy as np
from scipy.special import (
    betainc,
    betaincc,
    betainccinv,
    betaincinv,
    betaln,
    digamma,
    gammaln,
    xlog1py,
    xlogy,
)

from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.probability._fit import student_t_mle
from m4ml.probability.base import (
    ContinuousDistribution,
    as_param,
    as_points,
    as_probabilities,
    as_sample,
    scalar_or_array,
)

__all__ = ["Beta", "StudentT"]


class Beta(ContinuousDistribution):
    r"""Beta distribution on :math:`[0, 1]` (``scipy.stats.beta(a, b)``).

    Parameters
    ----------
    a, b : array_like
        Shape parameters :math:`a, b > 0`.

    Raises
    ------
    ValueError
        A parameter that is not positive and finite.

    Notes
    -----
    .. math:: \log f(x) = (a - 1)\log x + (b - 1)\log(1 - x) - \log B(a, b), \qquad
              F(x) = I_x(a, b),

    with :math:`\log(1 - x)` as ``log1p(-x)``; ``sf`` is ``betaincc`` and ``ppf``/``isf`` are
    ``betaincinv``/``betainccinv``. :math:`E X = a/(a+b)`, :math:`\operatorname{Var}X =
    ab/((a+b)^2(a+b+1))`, entropy :math:`\log B(a,b) - (a-1)\psi(a) - (b-1)\psi(b) +
    (a+b-2)\psi(a+b)`.

    Maximum likelihood solves :math:`\psi(a) - \psi(a+b) = \overline{\log x}`,
    :math:`\psi(b) - \psi(a+b) = \overline{\log(1-x)}` by Newton's method on
    :math:`(\log a, \log b)` from the method-of-moments start; the Jacobian is
    :math:`\begin{pmatrix}\psi'(a) - \psi'(a+b) & -\psi'(a+b)\\ -\psi'(a+b) & \psi'(b) -
    \psi'(a+b)\end{pmatrix}`, positive definite, so the 2×2 solve is explicit.

    References
    ----------
    .. [1] A. R. DiDonato and A. H. Morris, "Algorithm 708: significant digit computation of
       the incomplete beta function ratios", ACM TOMS 18(3), 1992.

    Examples
    --------
    >>> from m4ml.probability.beta_family import Beta
    >>> d = Beta(2.0, 3.0)
    >>> print(f"{d.mean():.1f} {d.var():.2f} {d.cdf(0.5):.4f} {d.ppf(0.6875):.4f}")
    0.4 0.04 0.6875 0.5000
    """

    _param_names = (("a", "a"), ("b", "b"))

    def __init__(self, a: ArrayLike, b: ArrayLike):
        self.a = as_param(a, "a", low=0.0, low_open=True)
        self.b = as_param(b, "b", low=0.0, low_open=True)

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density; ``-inf`` outside :math:`[0, 1]`."""
        x = as_points(x)
        with np.errstate(invalid="ignore"):
            out = xlogy(self.a - 1.0, x) + xlog1py(self.b - 1.0, -x) - betaln(self.a, self.b)
        return scalar_or_array(np.where((x < 0) | (x > 1), -np.inf, out))

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf :math:`I_x(a, b)`."""
        return scalar_or_array(betainc(self.a, self.b, np.clip(as_points(x), 0.0, 1.0)))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function :math:`1 - I_x(a, b)` (``betaincc``)."""
        return scalar_or_array(betaincc(self.a, self.b, np.clip(as_points(x), 0.0, 1.0)))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile :math:`I^{-1}_q(a, b)`."""
        return scalar_or_array(betaincinv(self.a, self.b, as_probabilities(q)))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function (``betainccinv``)."""
        return scalar_or_array(betainccinv(self.a, self.b, as_probabilities(q)))

    def mean(self) -> float | FloatArray:
        """Mean :math:`a/(a+b)`."""
        return scalar_or_array(np.broadcast_to(self.a / (self.a + self.b), self.batch_shape))

    def var(self) -> float | FloatArray:
        """Variance :math:`ab/((a+b)^2(a+b+1))`."""
        s = self.a + self.b
        return scalar_or_array(
            np.broadcast_to(self.a * self.b / (s * s * (s + 1.0)), self.batch_shape)
        )

    def entropy(self) -> float | FloatArray:
        """Differential entropy (nats; negative for concentrated Betas)."""
        a, b = self.a, self.b
        h = (
            betaln(a, b)
            - (a - 1.0) * digamma(a)
            - (b - 1.0) * digamma(b)
            + (a + b - 2.0) * digamma(a + b)
        )
        return scalar_or_array(np.broadcast_to(h, self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(0, 1)``."""
        return 0.0, 1.0

    def _sample(self, shape, rng):
        return rng.beta(np.broadcast_to(self.a, shape), np.broadcast_to(self.b, shape))

    @classmethod
    def fit(cls, data: ArrayLike, n_iter: int = 100) -> Self:
        """Maximum-likelihood fit (Newton on the digamma system); data in (0, 1)."""
        from scipy.special import polygamma

        x = as_sample(data, min_size=2)
        if np.any((x <= 0) | (x >= 1)):
            raise ValueError("Beta.fit needs data strictly between 0 and 1")
        g1, g2 = np.mean(np.log(x)), np.mean(np.log1p(-x))
        m, v = x.mean(), x.var()
        if v <= 0:
            raise ValueError("Beta.fit needs data that are not all equal")
        common = max(m * (1.0 - m) / v - 1.0, 1e-3)
        a, b = m * common, (1.0 - m) * common
        for _ in range(n_iter):
            ab = digamma(a + b)
            f1, f2 = digamma(a) - ab - g1, digamma(b) - ab - g2
            t0 = polygamma(1, a + b)
            j11, j22, j12 = polygamma(1, a) - t0, polygamma(1, b) - t0, -t0
            # Newton step in (log a, log b): J diag(a, b) du = -f
            m11, m12, m21, m22 = j11 * a, j12 * b, j12 * a, j22 * b
            det = m11 * m22 - m12 * m21
            du = (-(m22 * f1 - m12 * f2) / det, -(-m21 * f1 + m11 * f2) / det)
            du = np.clip(du, -1.0, 1.0)
            a, b = a * np.exp(du[0]), b * np.exp(du[1])
            if max(abs(du[0]), abs(du[1])) < 1e-14:
                break
        return cls(float(a), float(b))


class StudentT(ContinuousDistribution):
    r"""Student's t distribution (``scipy.stats.t(df, loc, scale)``).

    Parameters
    ----------
    df : array_like
        Degrees of freedom :math:`\nu > 0`.
    loc : array_like, default 0
        Location :math:`\mu`.
    scale : array_like, default 1
        Scale :math:`\sigma > 0`.

    Raises
    ------
    ValueError
        ``df`` or ``scale`` not positive, or a parameter not finite.

    Notes
    -----
    With :math:`t = (x - \mu)/\sigma`,

    .. math:: \log f(x) = \log\Gamma\bigl(\tfrac{\nu+1}2\bigr) - \log\Gamma\bigl(\tfrac\nu2\bigr)
              - \tfrac12\log(\nu\pi) - \log\sigma - \tfrac{\nu+1}2 \log\bigl(1 + t^2/\nu\bigr).

    The cdf comes from the incomplete beta function: substituting :math:`u = \nu/(\nu + s^2)`
    in the tail integral gives :math:`P(T < -|t|) = \tfrac12 I_{\nu/(\nu+t^2)}(\nu/2, 1/2)`.
    For :math:`t^2 \le 1` the argument :math:`\nu/(\nu+t^2)` can round toward 1 and lose the
    information in :math:`t`, so there the equal complement :math:`\tfrac12 - \tfrac12
    I_{t^2/(\nu+t^2)}(1/2, \nu/2)` is used: its :math:`I = P(|T| < |t|) \le P(|Z| < 1)
    < 0.69`, so the subtraction costs at most a few ulps. For :math:`\nu > 1000` and
    :math:`1 < t^2 < \nu` neither is accurate (the first loses about :math:`\nu u/2`, the
    second the whole small tail), so there the complement is computed directly by
    ``betaincc``, which scipy evaluates many times more slowly than ``betainc``. ``ppf``
    inverts the two forms with ``betaincinv``/``betainccinv``, on the
    side of the median that keeps precision. :math:`E X = \mu` (:math:`\nu > 1`),
    :math:`\operatorname{Var}X = \sigma^2\nu/(\nu-2)` (:math:`\nu > 2`, ``inf`` for
    :math:`1 < \nu \le 2`, ``nan`` below as scipy), entropy
    :math:`\tfrac{\nu+1}2\bigl(\psi(\tfrac{\nu+1}2) - \psi(\tfrac\nu2)\bigr) +
    \log\bigl(\sqrt\nu B(\tfrac\nu2, \tfrac12)\bigr) + \log\sigma`.

    ``fit`` is maximum likelihood by ECME (Liu & Rubin 1995): EM updates of :math:`\mu,
    \sigma` through the normal scale-mixture representation, then a golden-section
    maximization of the likelihood over :math:`\log\nu`; see ``m4ml.probability._fit``.

    References
    ----------
    .. [1] C. Liu and D. B. Rubin, "ML estimation of the t distribution using EM and its
       extensions, ECM and ECME", Statistica Sinica 5, 1995.

    Examples
    --------
    >>> from m4ml.probability.beta_family import StudentT
    >>> d = StudentT(5)
    >>> print(f"{d.cdf(2.015048372669157):.6f} {d.ppf(0.975):.6f} {d.var():.4f}")
    0.950000 2.570582 1.6667
    """

    _param_names = (("df", "df"), ("loc", "loc"), ("scale", "scale"))

    def __init__(self, df: ArrayLike, loc: ArrayLike = 0.0, scale: ArrayLike = 1.0):
        self.df = as_param(df, "df", low=0.0, low_open=True)
        self.loc = as_param(loc, "loc")
        self.scale = as_param(scale, "scale", low=0.0, low_open=True)

    def _t(self, x):
        return (as_points(x) - self.loc) / self.scale

    def logpdf(self, x: ArrayLike) -> float | FloatArray:
        """Log density."""
        nu = self.df
        t = np.asarray(self._t(x))  # 0-d array, not a scalar, so out= works
        const = (
            gammaln((nu + 1.0) / 2.0)
            - gammaln(nu / 2.0)
            - 0.5 * np.log(nu * np.pi)
            - np.log(self.scale)
        )
        t *= t
        t /= nu
        out = np.log1p(t, out=t)
        out *= -(nu + 1.0) / 2.0
        out += const
        return scalar_or_array(out)

    def _lower_tail(self, t):
        """:math:`P(T < -|t|)` for standardized points ``t`` (three forms, see Notes)."""
        t2 = t * t
        nu = np.broadcast_to(self.df, t.shape)
        out = np.empty(t.shape)
        near = t2 <= 1.0
        mid = ~near & (nu > 1000.0) & (t2 < nu)
        far = ~near & ~mid
        nf, tf = nu[far], t2[far]
        with np.errstate(invalid="ignore"):
            out[far] = 0.5 * betainc(nf / 2.0, 0.5, nf / (nf + tf))
        nn, tn = nu[near], t2[near]
        out[near] = 0.5 - 0.5 * betainc(0.5, nn / 2.0, tn / (nn + tn))
        nm, tm = nu[mid], t2[mid]
        out[mid] = 0.5 * betaincc(0.5, nm / 2.0, tm / (nm + tm))
        return out

    def cdf(self, x: ArrayLike) -> float | FloatArray:
        """Cdf through the regularized incomplete beta function."""
        t = np.asarray(self._t(x), dtype=float)
        t = np.broadcast_to(t, np.broadcast_shapes(t.shape, np.shape(self.df))).copy()
        tail = self._lower_tail(t)
        return scalar_or_array(np.where(t < 0, tail, 1.0 - tail))

    def sf(self, x: ArrayLike) -> float | FloatArray:
        """Survival function (the cdf of the reflected point)."""
        t = np.asarray(self._t(x), dtype=float)
        t = np.broadcast_to(t, np.broadcast_shapes(t.shape, np.shape(self.df))).copy()
        tail = self._lower_tail(t)
        return scalar_or_array(np.where(t > 0, tail, 1.0 - tail))

    def _tail_quantile(self, p):
        """Standardized :math:`|t|` whose lower tail is ``p`` (:math:`0 \\le p \\le 1/2`)."""
        nu = np.broadcast_to(self.df, np.broadcast_shapes(np.shape(p), np.shape(self.df)))
        p = np.broadcast_to(p, nu.shape)
        threshold = 0.5 * betainc(nu / 2.0, 0.5, 0.5)  # lower tail at t^2 = nu
        with np.errstate(divide="ignore", invalid="ignore"):
            x = betaincinv(nu / 2.0, 0.5, 2.0 * p)  # x = nu / (nu + t^2)
            far = np.sqrt(nu * ((1.0 - x) / x))
            # x underflows for tiny p: use I_x ~ x^(nu/2) / ((nu/2) B(nu/2, 1/2)) there
            log_t = 0.5 * np.log(nu) - (np.log(p * nu) + betaln(nu / 2.0, 0.5)) / nu
            far = np.where(x > 1e-100, far, np.exp(log_t))
            y = betainccinv(0.5, nu / 2.0, 2.0 * p)  # y = t^2 / (nu + t^2)
            near = np.sqrt(nu * (y / (1.0 - y)))
        return np.where(p == 0, np.inf, np.where(p < threshold, far, near))

    def ppf(self, q: ArrayLike) -> float | FloatArray:
        """Quantile (inverse incomplete beta on the precise side of the median)."""
        q = as_probabilities(q)
        lower = q < 0.5
        a = self._tail_quantile(np.where(lower, q, 1.0 - q))
        return scalar_or_array(self.loc + self.scale * np.where(lower, -a, a))

    def isf(self, q: ArrayLike) -> float | FloatArray:
        """Inverse survival function, ``-ppf(q)`` reflected about ``loc``."""
        q = as_probabilities(q)
        lower = q < 0.5
        a = self._tail_quantile(np.where(lower, q, 1.0 - q))
        return scalar_or_array(self.loc + self.scale * np.where(lower, a, -a))

    def mean(self) -> float | FloatArray:
        """Mean ``loc`` (``nan`` for :math:`\\nu \\le 1`)."""
        nu, loc = np.broadcast_arrays(self.df, self.loc)
        return scalar_or_array(np.where(nu > 1, loc, np.nan))

    def var(self) -> float | FloatArray:
        """Variance :math:`\\sigma^2\\nu/(\\nu-2)` (``inf`` for 1 < nu <= 2, ``nan`` below)."""
        nu, s = np.broadcast_arrays(self.df, self.scale)
        with np.errstate(divide="ignore", invalid="ignore"):
            v = s**2 * nu / (nu - 2.0)
        return scalar_or_array(np.where(nu > 2, v, np.where(nu > 1, np.inf, np.nan)))

    def entropy(self) -> float | FloatArray:
        """Differential entropy (nats)."""
        nu = self.df
        h = (
            (nu + 1.0) / 2.0 * (digamma((nu + 1.0) / 2.0) - digamma(nu / 2.0))
            + 0.5 * np.log(nu)
            + betaln(nu / 2.0, 0.5)
            + np.log(self.scale)
        )
        return scalar_or_array(np.broadcast_to(h, self.batch_shape))

    def support(self) -> tuple[float | FloatArray, float | FloatArray]:
        """``(-inf, inf)``."""
        return -np.inf, np.inf

    def _sample(self, shape, rng):
        return self.loc + self.scale * rng.standard_t(np.broadcast_to(self.df, shape))

    @classmethod
    def fit(cls, data: ArrayLike) -> Self:
        """Maximum-likelihood ``(df, loc, scale)`` by ECME (see Notes)."""
        x = as_sample(data, min_size=3)
        if np.ptp(x) == 0:
            raise ValueError("StudentT.fit needs data that are not all equal")
        df, loc, scale = student_t_mle(x)
        return cls(df, loc, scale)
