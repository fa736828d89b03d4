r"""Random-walk Metropolis–Hastings and the diagnostics that say how much a chain is worth.

:func:`metropolis_hastings` samples from a density known up to a constant — the posterior of a
non-conjugate model, :math:`\log p(\theta \mid x) = \log p(x \mid \theta) + \log p(\theta) +
\text{const}` — with a Gaussian random-walk proposal. Successive draws are correlated, so the
chain's :func:`effective_sample_size` (Geyer's initial positive sequence estimator of the
integrated autocorrelation time) and the Monte Carlo standard error of the mean
:math:`\operatorname{sd}/\sqrt{n_\text{eff}}` come with every result.
"""

from collections.abc import Callable

import numpy as np

from m4ml._core import as_float_array, check_positive_int, check_rng, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.linalg.cholesky import cholesky

__all__ = ["MCMCResult", "autocorrelation_function", "effective_sample_size", "metropolis_hastings"]


def _as_chains(x):
    """Samples as (n, d): observations down the first axis, one column per coordinate."""
    arr = as_float_array(x, "x", min_ndim=1, max_ndim=2)
    if arr.shape[0] < 4:
        raise ValueError(f"x needs at least 4 draws along axis 0, got {arr.shape[0]}")
    return arr.reshape(arr.shape[0], -1)


@overflow_guard("autocorrelation_function")
def autocorrelation_function(x: ArrayLike) -> FloatArray:
    r"""Sample autocorrelations :math:`\hat\rho_t`, :math:`t = 0, \dots, n-1`, of each column.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        A chain (draws down axis 0).

    Returns
    -------
    ndarray, shape (n,) or (n, d)
        :math:`\hat\rho_t = \hat\gamma_t/\hat\gamma_0` with
        :math:`\hat\gamma_t = \frac1n\sum_{i=1}^{n-t}(x_i - \bar x)(x_{i+t} - \bar x)`
        (divisor :math:`n`: the positive semi-definite estimator). A constant column gives
        :math:`\hat\rho_0 = 1` and zeros.

    Raises
    ------
    ValueError
        Fewer than 4 draws, more than 2 dimensions, or NaN/inf.

    Notes
    -----
    All lags at once by the Wiener–Khinchin theorem: the autocovariance is the inverse FFT of
    the periodogram :math:`|\hat X(\omega)|^2` of the centred chain, zero-padded to
    :math:`2n` so the circular correlation equals the linear one. :math:`O(n\log n)`.

    Examples
    --------
    >>> print(np.round(autocorrelation_function([1.0, 2.0, 3.0, 4.0, 5.0]), 3))
    [ 1.   0.4 -0.1 -0.4 -0.4]
    """
    arr = _as_chains(x)
    n = arr.shape[0]
    centred = arr - arr.mean(axis=0)
    size = 1 << int(2 * n - 1).bit_length()
    spec = np.fft.rfft(centred, n=size, axis=0)
    acov = np.fft.irfft(spec.real**2 + spec.imag**2, n=size, axis=0)[:n] / n
    g0 = acov[0]
    rho = acov / np.where(g0 > 0, g0, 1.0)
    rho[:, g0 <= 0] = 0.0  # a constant column: rho_0 = 1, no correlation at any lag
    rho[0] = 1.0
    return rho[:, 0] if np.ndim(x) == 1 else rho


@overflow_guard("effective_sample_size")
def effective_sample_size(x: ArrayLike) -> float | FloatArray:
    r"""Effective sample size of each coordinate of a Markov chain (Geyer's estimator).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        A chain (draws down axis 0).

    Returns
    -------
    float or ndarray, shape (d,)
        :math:`n_\text{eff} = n/\hat\tau`; a constant column counts as one draw.

    Raises
    ------
    ValueError
        Fewer than 4 draws, more than 2 dimensions, or NaN/inf.

    Notes
    -----
    For a stationary chain :math:`\operatorname{Var}\bar x \approx \sigma^2\tau/n` with the
    integrated autocorrelation time :math:`\tau = 1 + 2\sum_{t \ge 1}\rho_t`, so the chain is
    worth :math:`n/\tau` independent draws. Summing all :math:`\hat\rho_t` is hopeless (their
    noise adds up), so Geyer's *initial positive sequence* truncates it: the pair sums
    :math:`\Gamma_k = \rho_{2k} + \rho_{2k+1}` of a reversible chain are positive and
    decreasing, so

    .. math:: \hat\tau = -1 + 2\sum_{k=0}^{K}\hat\Gamma_k,

    where :math:`K` is the last index before the first non-positive :math:`\hat\Gamma_k`,
    and each :math:`\hat\Gamma_k` is replaced by :math:`\min_{j \le k}\hat\Gamma_j` (the
    *initial monotone* refinement). An antithetic chain (:math:`\rho_1 < 0`) has
    :math:`\tau < 1` and is worth more than :math:`n` independent draws; on short chains the
    estimate of :math:`\tau` can approach 0, so it is bounded below by :math:`1/\log_{10} n`
    (at most :math:`n\log_{10} n` effective draws, as in Stan). For an AR(1) chain
    :math:`x_t = \phi x_{t-1} + \varepsilon_t`, :math:`\rho_t = \phi^t` and
    :math:`\tau = (1 + \phi)/(1 - \phi)`.

    References
    ----------
    .. [1] C. J. Geyer, "Practical Markov chain Monte Carlo", Statistical Science 7(4),
       1992, sec. 3.3.

    Examples
    --------
    An AR(1) chain with :math:`\phi = 1/2` is worth :math:`(1 - \phi)/(1 + \phi) = 1/3` of
    its length:

    >>> rng = np.random.default_rng(0)
    >>> e = rng.standard_normal(20000)
    >>> x = np.empty_like(e)
    >>> x[0] = e[0]
    >>> for t in range(1, e.size):
    ...     x[t] = 0.5 * x[t - 1] + e[t]
    >>> print(f"{effective_sample_size(x) / x.size:.2f}")
    0.32
    """
    arr = _as_chains(x)
    n = arr.shape[0]
    rho = autocorrelation_function(arr)
    m = n // 2
    pairs = rho[: 2 * m : 2] + rho[1 : 2 * m : 2]  # Gamma_k, shape (m, d)
    positive = np.cumprod(pairs > 0, axis=0).astype(bool)  # initial positive sequence
    monotone = np.minimum.accumulate(pairs, axis=0)  # initial monotone sequence
    tau = -1.0 + 2.0 * np.sum(np.where(positive, monotone, 0.0), axis=0)
    tau = np.maximum(tau, 1.0 / np.log10(n))  # cap: n_eff <= n log10(n)
    constant = np.ptp(arr, axis=0) == 0
    ess = np.where(constant, 1.0, n / tau)
    return float(ess[0]) if np.ndim(x) == 1 else ess


class MCMCResult:
    r"""The output of :func:`metropolis_hastings`.

    Attributes
    ----------
    samples : ndarray, shape (n_samples,) or (n_samples, d)
        The kept draws (after burn-in and thinning), shaped like ``x0`` per draw.
    log_density : ndarray, shape (n_samples,)
        The log density at each kept draw.
    acceptance_rate : float
        Fraction of proposals accepted after burn-in.
    effective_sample_size : float or ndarray
        Per coordinate, :func:`effective_sample_size` of ``samples``.
    mcse : float or ndarray
        Monte Carlo standard error of the posterior mean estimate,
        :math:`\operatorname{sd}/\sqrt{n_\text{eff}}`, per coordinate.
    """

    def __init__(self, samples: FloatArray, log_density: FloatArray, acceptance_rate: float):
        self.samples = samples
        self.log_density = log_density
        self.acceptance_rate = acceptance_rate
        self.effective_sample_size = effective_sample_size(samples)
        sd = np.std(samples, axis=0, ddof=1)
        self.mcse = sd / np.sqrt(self.effective_sample_size)

    def mean(self) -> float | FloatArray:
        """Posterior mean estimate: the average of the kept draws."""
        return np.mean(self.samples, axis=0)

    def __repr__(self):
        ess = np.round(np.atleast_1d(self.effective_sample_size), 1).tolist()
        return (
            f"MCMCResult(n_samples={len(self.samples)}, "
            f"acceptance_rate={self.acceptance_rate:.3f}, effective_sample_size={ess})"
        )


def _proposal_factor(proposal_scale, d):
    """A (d, d) factor L with proposal step L z, z ~ N(0, I)."""
    s = as_float_array(proposal_scale, "proposal_scale", max_ndim=2)
    if s.ndim == 2:
        if s.shape != (d, d):
            raise ValueError(f"a proposal covariance must be ({d}, {d}), got shape {s.shape}")
        return cholesky(s)
    if s.ndim == 1 and s.shape != (d,):
        raise ValueError(f"proposal_scale must be a scalar or have shape ({d},), got {s.shape}")
    if np.any(s <= 0):
        raise ValueError("proposal_scale must be positive")
    return np.diag(np.broadcast_to(s, (d,)).astype(float))


def metropolis_hastings(
    log_density: Callable[[FloatArray], float],
    x0: float | ArrayLike,
    n_samples: int,
    proposal_scale: float | ArrayLike = 1.0,
    rng: Seed = None,
    *,
    burn_in: int = 1000,
    thin: int = 1,
) -> MCMCResult:
    r"""Sample a density known up to a constant by random-walk Metropolis–Hastings.

    Parameters
    ----------
    log_density : callable
        ``log_density(x) -> float``, the log of the target density up to an additive
        constant; ``-inf`` where the density is zero (outside the support). ``x`` has the shape
        of ``x0`` (a Python float for a scalar ``x0``).
    x0 : float or array_like, shape (d,)
        Starting point, with finite log density.
    n_samples : int
        Number of draws to keep.
    proposal_scale : float, array_like (d,) or (d, d), default 1
        Proposal step :math:`x' = x + L z`, :math:`z \sim N(0, I)`: a common standard
        deviation, one per coordinate, or a proposal covariance :math:`LL^\top` (symmetric
        positive definite; factored by :func:`m4ml.linalg.cholesky.cholesky`).
    rng : None, int or numpy.random.Generator
        Source of randomness.
    burn_in : int, default 1000
        Initial steps discarded while the chain forgets ``x0``.
    thin : int, default 1
        Keep every ``thin``-th draw after burn-in.

    Returns
    -------
    MCMCResult
        ``samples``, ``log_density``, ``acceptance_rate``, ``effective_sample_size``,
        ``mcse`` and ``mean()``.

    Raises
    ------
    ValueError
        ``x0`` with zero density or NaN log density, a NaN log density during the run,
        bad ``n_samples``/``burn_in``/``thin``, or a non-positive ``proposal_scale``.
    TypeError
        ``log_density`` not callable, or a non-integer count.
    m4ml.linalg.LinAlgError
        A proposal covariance that is not positive definite.

    Notes
    -----
    From the current state :math:`x` propose :math:`x' = x + Lz` and accept it with
    probability

    .. math:: a(x, x') = \min\Bigl(1, \frac{\pi(x')}{\pi(x)}\Bigr),

    otherwise stay at :math:`x` (the repeated draw is kept). The Gaussian proposal is
    symmetric, so the Hastings ratio :math:`q(x \mid x')/q(x' \mid x)` cancels; the
    normalizing constant of :math:`\pi` cancels too, which is why an unnormalized posterior
    suffices. The test is done in logs, :math:`\log u < \log\pi(x') - \log\pi(x)` with
    :math:`u \sim U(0, 1)`, so densities that underflow still work. The chain satisfies
    detailed balance with respect to :math:`\pi`, hence has it as stationary distribution.
    Tune ``proposal_scale`` for an acceptance rate of roughly 0.2–0.5 (about 0.44 in one
    dimension, 0.234 in many, Roberts, Gelman & Gilks 1997). Cost: one ``log_density`` call
    per step; the Gaussian increments and uniforms are drawn in one vectorized batch.

    References
    ----------
    .. [1] N. Metropolis et al., "Equation of state calculations by fast computing machines",
       J. Chem. Phys. 21, 1953; W. K. Hastings, Biometrika 57(1), 1970.
    .. [2] G. O. Roberts, A. Gelman and W. R. Gilks, "Weak convergence and optimal scaling of
       random walk Metropolis algorithms", Ann. Appl. Probab. 7(1), 1997.

    Examples
    --------
    A standard normal target, started far away:

    >>> res = metropolis_hastings(lambda x: -0.5 * x * x, 5.0, 5000, 2.4, rng=1)
    >>> print(res.samples.shape, round(res.acceptance_rate, 2))
    (5000,) 0.44
    >>> print(abs(res.mean()) < 3 * res.mcse)
    True
    """
    if not callable(log_density):
        raise TypeError(f"log_density must be callable, got {type(log_density).__name__}")
    n_samples = check_positive_int(n_samples, "n_samples")
    burn_in = check_positive_int(burn_in, "burn_in", minimum=0)
    thin = check_positive_int(thin, "thin")
    x = as_float_array(x0, "x0", max_ndim=1).copy()
    scalar = x.ndim == 0
    d = 1 if scalar else x.size
    if d == 0:
        raise ValueError("x0 is empty")
    factor = _proposal_factor(proposal_scale, d)
    rng = check_rng(rng)

    def evaluate(point, step):
        raw = log_density(float(point[0]) if scalar else point.copy())
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise TypeError(
                f"log_density must return a real scalar, got {type(raw).__name__} "
                f"{np.shape(raw)} at step {step}"
            ) from None
        if np.isnan(value) or value == np.inf:
            raise ValueError(f"log_density returned {value} at step {step}, x={point}")
        return value

    x = x.reshape(d)
    current = evaluate(x, 0)
    if not np.isfinite(current):
        raise ValueError("x0 has zero density (log_density(x0) = -inf); start inside the support")
    total = burn_in + n_samples * thin
    steps = rng.standard_normal((total, d)) @ factor.T
    log_u = np.log(rng.random(total))
    kept = np.empty((n_samples, d))
    kept_lp = np.empty(n_samples)
    accepted = 0
    for i in range(total):
        proposal = x + steps[i]
        lp = evaluate(proposal, i + 1)
        if log_u[i] < lp - current:
            x, current = proposal, lp
            if i >= burn_in:
                accepted += 1
        j = i - burn_in
        if j >= 0 and (j + 1) % thin == 0:
            kept[j // thin] = x
            kept_lp[j // thin] = current
    samples = kept[:, 0] if scalar else kept
    return MCMCResult(samples, kept_lp, accepted / (total - burn_in))
