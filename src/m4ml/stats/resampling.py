r"""Resampling inference: permutation tests and bootstrap confidence intervals.

Both replace a distributional formula by recomputing the statistic on re-arranged data:

* :func:`permutation_test` — the null distribution of any statistic, from the
  re-arrangements the null hypothesis says are equally likely (relabelling observations
  between samples, re-pairing, or swapping within pairs), exactly when there are few enough;
* :func:`bootstrap_ci` — the sampling distribution of any statistic, from resamples drawn with
  replacement, turned into a percentile, basic or BCa interval.

Conventions (argument names, p-value and interval formulas, and the order in which random
resamples are drawn from ``rng``) follow ``scipy.stats.permutation_test`` and
``scipy.stats.bootstrap``, so the same seed gives the same resamples as scipy.
"""

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from m4ml._core import DegenerateDataWarning, check_rng, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.stats._permutations import null_independent, null_pairings, null_samples
from m4ml.stats._resampling_utils import (
    as_samples,
    batches,
    bca_levels,
    check_count,
    check_statistic,
    linear_quantile,
)
from m4ml.stats._results import (
    ConfidenceInterval,
    TestResult,
    check_alternative,
    check_confidence_level,
)

__all__ = ["BootstrapResult", "bootstrap_ci", "permutation_test"]

_PERMUTATION_TYPES = ("independent", "samples", "pairings")


def _statistic_on_data(statistic, samples):
    """The statistic on the observed data, as float64; ValueError if it is not finite."""
    value = np.asarray(statistic(*samples, axis=-1), dtype=np.float64)
    if not np.all(np.isfinite(value)):
        raise ValueError("statistic returned NaN or infinity on the observed data")
    return value


# ---------------------------------------------------------------- permutation test
def permutation_test(
    data: Sequence[ArrayLike],
    statistic: Callable[..., float | ArrayLike],
    *,
    permutation_type: Literal["independent", "samples", "pairings"] = "independent",
    vectorized: bool | None = None,
    n_resamples: int | float = 9999,
    batch: int | None = None,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    axis: int = 0,
    rng: Seed = None,
) -> TestResult:
    r"""Permutation test of a null hypothesis of exchangeability, for any statistic.

    Parameters
    ----------
    data : tuple or list of array_like
        The samples (each with at least two observations along ``axis``).
    statistic : callable
        ``statistic(*samples)`` returning a number; if ``vectorized``, it takes ``axis`` and
        reduces along it (much faster: whole batches of permutations in one call).
    permutation_type : {"independent", "samples", "pairings"}
        ``"independent"``: observations are relabelled between samples (at least two
        samples; their sizes are kept). ``"samples"``: paired data; within each observation
        the values are permuted between samples (one sample: its signs are flipped).
        ``"pairings"``: the observations of each sample are permuted (tests association).
    vectorized : bool or None
        Whether ``statistic`` accepts ``axis``; ``None`` inspects its signature.
    n_resamples : int or inf
        Random permutations to draw. When the number of distinct permutations is at most
        ``n_resamples``, every one of them is enumerated instead (an exact test).
    batch : int or None
        Permutations per call of ``statistic`` (memory control); ``None`` is all at once.
    alternative : {"two-sided", "less", "greater"}
        Direction of the alternative, for the statistic's values.
    axis : int
        The axis of the observations in every sample.
    rng : None, int or numpy.random.Generator
        Source of random permutations (not used by exact tests).

    Returns
    -------
    TestResult
        ``statistic`` (observed), ``pvalue``, ``alternative``, ``null_distribution`` (the
        statistic on every permutation), ``n_resamples`` (permutations used) and ``exact``.

    Raises
    ------
    ValueError
        Too few samples or observations, NaN/inf, samples of different sizes for paired
        types, a bad ``permutation_type``, ``alternative``, ``n_resamples`` or ``batch``, or
        a statistic that is NaN/inf on the observed data.
    TypeError
        ``data`` is not a sequence of samples or ``statistic`` is not callable.

    Notes
    -----
    Under the null hypothesis every permutation of the chosen kind is equally likely, so the
    observed statistic :math:`t` is a uniform draw from the :math:`M` values :math:`t_b`. With
    :math:`c_{\le} = \#\{b: t_b \le t + \gamma\}`, :math:`c_{\ge} = \#\{b: t_b \ge t -
    \gamma\}` (:math:`\gamma = 100\,\varepsilon\,|t|` absorbs round-off between values that
    are equal in exact arithmetic),

    .. math::
        p_{\text{less}} = \frac{c_{\le} + a}{M + a},\quad
        p_{\text{greater}} = \frac{c_{\ge} + a}{M + a},\quad
        p_{\text{two-sided}} = \min(1, 2\min(p_{\text{less}}, p_{\text{greater}})),

    with :math:`a = 0` for an exact test and :math:`a = 1` for random permutations (counting
    the observed arrangement keeps the Monte Carlo test valid: :math:`P(p \le \alpha) \le
    \alpha`; Phipson & Smyth 2010). Cost: :math:`M` evaluations of the statistic.

    References
    ----------
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. Stat. Appl.
    Genet. Mol. Biol. 9(1). Good, P. (2005). Permutation, Parametric and Bootstrap Tests of
    Hypotheses. Springer.

    Examples
    --------
    >>> import numpy as np
    >>> def mean_difference(x, y, axis):
    ...     return np.mean(x, axis=axis) - np.mean(y, axis=axis)
    >>> x, y = [4.1, 5.3, 6.0, 5.8], [3.2, 4.0, 3.9]
    >>> res = permutation_test((x, y), mean_difference, alternative="greater")
    >>> print(round(res.statistic, 4), round(res.pvalue, 4), res.exact, res.n_resamples)
    1.6 0.0286 True 35
    """
    if permutation_type not in _PERMUTATION_TYPES:
        raise ValueError(
            f"permutation_type must be one of {_PERMUTATION_TYPES}, got {permutation_type!r}"
        )
    check_alternative(alternative)
    n_resamples = check_count(n_resamples, "n_resamples")
    batch = None if batch is None else check_count(batch, "batch")
    if batch == math.inf:
        batch = None
    statistic = check_statistic(statistic, vectorized)
    samples = as_samples(data, axis, min_obs=2)
    if permutation_type == "independent" and len(samples) < 2:
        raise ValueError("permutation_type='independent' needs at least two samples in data")
    if permutation_type != "independent" and len({s.shape[-1] for s in samples}) > 1:
        raise ValueError(
            f"permutation_type={permutation_type!r} needs samples of equal size, got sizes "
            f"{[s.shape[-1] for s in samples]}"
        )
    rng = check_rng(rng)
    observed = _statistic_on_data(statistic, samples)
    calculate = {
        "independent": null_independent,
        "pairings": null_pairings,
        "samples": null_samples,
    }[permutation_type]
    null, total, exact = calculate(samples, statistic, n_resamples, batch, rng)
    null = np.asarray(null, dtype=np.float64)
    adjust = 0 if exact else 1
    gamma = np.abs(100 * np.finfo(np.float64).eps * observed)
    p_less = (np.count_nonzero(null <= observed + gamma, axis=0) + adjust) / (total + adjust)
    p_greater = (np.count_nonzero(null >= observed - gamma, axis=0) + adjust) / (total + adjust)
    p = {
        "less": p_less,
        "greater": p_greater,
        "two-sided": 2 * np.minimum(p_less, p_greater),
    }[alternative]
    return TestResult(
        observed[()],
        np.clip(p, 0.0, 1.0)[()],
        alternative=alternative,
        name="permutation_test",
        null_distribution=null,
        n_resamples=total,
        exact=exact,
    )


# ---------------------------------------------------------------- bootstrap
class BootstrapResult:
    """A bootstrap confidence interval with the resampled statistics it came from.

    Attributes
    ----------
    confidence_interval : ConfidenceInterval
        ``(low, high)``; one-sided intervals use ``-inf`` or ``inf`` for the open end.
    bootstrap_distribution : ndarray
        The statistic on each resample, along the last axis.
    standard_error : float or ndarray
        The bootstrap standard error: the sample standard deviation (``ddof=1``) of the
        bootstrap distribution.
    method : str
        ``"percentile"``, ``"basic"`` or ``"bca"``.

    Examples
    --------
    >>> res = bootstrap_ci(np.median, [2.0, 3.5, 1.0, 4.0, 2.5], method="percentile", rng=0)
    >>> print(res.confidence_interval, res.bootstrap_distribution.shape)
    ConfidenceInterval(low=np.float64(1.0), high=np.float64(4.0)) (9999,)
    """

    def __init__(
        self,
        confidence_interval: ConfidenceInterval,
        bootstrap_distribution: FloatArray,
        standard_error: float | FloatArray,
        method: Literal["percentile", "basic", "bca"],
    ):
        self.confidence_interval = confidence_interval
        self.bootstrap_distribution = bootstrap_distribution
        self.standard_error = standard_error
        self.method = method

    def __repr__(self):
        low, high = self.confidence_interval
        return (
            f"BootstrapResult(confidence_interval=ConfidenceInterval(low={low!r}, "
            f"high={high!r}), standard_error={self.standard_error!r}, method={self.method!r})"
        )


@overflow_guard("bootstrap_ci")
def bootstrap_ci(
    statistic: Callable[..., float | ArrayLike],
    data: ArrayLike,
    *,
    method: Literal["percentile", "basic", "bca"] = "bca",
    confidence_level: float = 0.95,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    n_resamples: int = 9999,
    batch: int | None = None,
    vectorized: bool | None = None,
    paired: bool = False,
    axis: int = 0,
    rng: Seed = None,
) -> BootstrapResult:
    r"""Bootstrap confidence interval of a statistic: percentile, basic or BCa.

    Parameters
    ----------
    statistic : callable
        ``statistic(*samples)`` returning a number (with ``axis``, reducing along it, if
        ``vectorized``).
    data : array_like or tuple of array_like
        One sample (an ndarray or a flat list of numbers) or a tuple/list of samples;
        each is resampled with replacement independently of the others.
    method : {"percentile", "basic", "bca"}
        Interval type (case-insensitive; scipy's ``"BCa"`` works).
    confidence_level : float
        Coverage, strictly between 0 and 1.
    alternative : {"two-sided", "less", "greater"}
        ``"less"`` gives ``(-inf, high)``, ``"greater"`` gives ``(low, inf)``.
    n_resamples : int
        Number of bootstrap resamples :math:`B`.
    batch : int or None
        Resamples per call of ``statistic``; ``None`` is all at once.
    vectorized : bool or None
        Whether ``statistic`` accepts ``axis``; ``None`` inspects its signature.
    paired : bool
        Resample the observations of all samples together (same indices), for paired data.
    axis : int
        Axis of the observations in every sample.
    rng : None, int or numpy.random.Generator
        Source of the resamples (the same seed draws the same resamples as
        ``scipy.stats.bootstrap``).

    Returns
    -------
    BootstrapResult
        ``confidence_interval`` (a ``ConfidenceInterval``), ``bootstrap_distribution`` and
        ``standard_error``.

    Raises
    ------
    ValueError
        Empty samples or NaN/inf, paired samples of different sizes, a bad ``method``,
        ``alternative``, ``confidence_level``, ``n_resamples`` or ``batch``, or a statistic
        that is NaN/inf on the observed data.
    TypeError
        ``statistic`` is not callable.

    Warns
    -----
    DegenerateDataWarning
        When the BCa interval is undefined (a degenerate bootstrap distribution, e.g. all
        resamples give the same value); its end points are then NaN.

    Notes
    -----
    With :math:`\hat\theta` the statistic on the data, :math:`\hat\theta^*_b` on resample
    :math:`b`, :math:`G` their empirical cdf, :math:`q_\alpha` its linear-interpolation
    quantile and :math:`\alpha = (1-\text{level})/2` (two-sided):

    * percentile: :math:`[q_\alpha,\ q_{1-\alpha}]`;
    * basic (reverse percentile): :math:`[2\hat\theta - q_{1-\alpha},\ 2\hat\theta -
      q_\alpha]`;
    * BCa (Efron 1987): :math:`[q_{\alpha_1},\ q_{\alpha_2}]`,
      :math:`\alpha_{1,2} = \Phi\bigl(\hat z_0 + \frac{\hat z_0 + z_{\alpha,1-\alpha}}{1 -
      \hat a(\hat z_0 + z_{\alpha,1-\alpha})}\bigr)`, with the bias correction
      :math:`\hat z_0 = \Phi^{-1}(G(\hat\theta))` (ties counted half) and the acceleration
      from the jackknife values :math:`\hat\theta_{(i)}`,
      :math:`\hat a = \sum_i U_i^3 / (6 (\sum_i U_i^2)^{3/2})`,
      :math:`U_i = (n-1)(\bar\theta_{(\cdot)} - \hat\theta_{(i)})` (summed over samples,
      each term scaled by its size).

    BCa is second-order accurate and transformation-respecting; percentile and basic are
    first-order. Cost: :math:`B` (plus :math:`n` jackknife) evaluations of the statistic.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13–14.
    Chapman & Hall. Efron, B. (1987). Better bootstrap confidence intervals. JASA 82,
    171–185.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).exponential(size=30)
    >>> res = bootstrap_ci(np.mean, x, method="percentile", n_resamples=2000, rng=1)
    >>> low, high = res.confidence_interval
    >>> print(f"{x.mean():.3f} [{low:.3f}, {high:.3f}] se={res.standard_error:.3f}")
    1.184 [0.777, 1.685] se=0.231
    """
    method_key = str(method).lower()
    if method_key not in ("percentile", "basic", "bca"):
        raise ValueError(f"method must be 'percentile', 'basic' or 'bca', got {method!r}")
    level = check_confidence_level(confidence_level)
    check_alternative(alternative)
    n_resamples = check_count(n_resamples, "n_resamples")
    if n_resamples == math.inf:
        raise ValueError("n_resamples must be a finite positive integer")
    batch = None if batch is None else check_count(batch, "batch")
    if batch == math.inf:
        batch = None
    if not isinstance(paired, bool | np.bool_):
        raise TypeError(f"paired must be True or False, got {paired!r}")
    statistic = check_statistic(statistic, vectorized)
    if isinstance(data, np.ndarray) or (
        isinstance(data, list | tuple) and all(np.ndim(d) == 0 for d in data)
    ):
        data = (data,)  # one sample
    samples = as_samples(data, axis, min_obs=1)
    if paired:
        if len({s.shape[-1] for s in samples}) > 1:
            raise ValueError("paired=True needs samples of equal size")
        originals, user_stat = samples, statistic

        def statistic(idx, axis=-1):  # the statistic of the pairs an index sample selects
            return user_stat(*(s[..., idx] for s in originals), axis=-1)

        samples = [np.arange(samples[0].shape[-1])]
    rng = check_rng(rng)
    parts = []
    for size in batches(n_resamples, batch):
        resampled = [s[..., rng.integers(0, s.shape[-1], (size, s.shape[-1]))] for s in samples]
        parts.append(np.asarray(statistic(*resampled, axis=-1), dtype=np.float64))
    boot = np.concatenate(parts, axis=-1)
    alpha = (1 - level) / 2 if alternative == "two-sided" else 1 - level
    theta_hat = _statistic_on_data(statistic, samples)
    if method_key == "bca":
        q_low, q_high = bca_levels(samples, statistic, theta_hat, boot, alpha)
    else:
        q_low, q_high = alpha, 1 - alpha
    low, high = linear_quantile(boot, q_low), linear_quantile(boot, q_high)
    if np.any(np.isnan(low)) or np.any(np.isnan(high)):
        warnings.warn(
            "the BCa interval is undefined here (degenerate bootstrap distribution, e.g. all "
            "resamples give one value, or a statistic such as the minimum); its end points "
            "are NaN: use method='percentile'",
            DegenerateDataWarning,
            stacklevel=2,
        )
    if method_key == "basic":
        low, high = 2 * theta_hat - high, 2 * theta_hat - low
    if alternative == "less":
        low = np.full_like(np.asarray(low, dtype=np.float64), -np.inf)[()]
    elif alternative == "greater":
        high = np.full_like(np.asarray(high, dtype=np.float64), np.inf)[()]
    se = boot.std(axis=-1, ddof=1)[()] if n_resamples > 1 else np.nan
    return BootstrapResult(ConfidenceInterval(low[()], high[()]), boot, se, method_key)
