r"""Two-sample t-test and one-way ANOVA from merged sufficient statistics.

Both tests need only each sample's count :math:`n_g`, mean :math:`\bar x_g` and sum of squared
deviations :math:`M_{2,g}` — exactly the merged :class:`~m4ml.distributed.Moments` — so each
sample is reduced over its chunks once and the statistic is a few scalar operations:

.. math::
    t = \frac{\bar x_a - \bar x_b}{\sqrt{\frac{M_{2,a} + M_{2,b}}{n_a + n_b - 2}
        \left(\frac1{n_a} + \frac1{n_b}\right)}},\qquad
    F = \frac{\sum_g n_g(\bar x_g - \bar x)^2/(k - 1)}{\sum_g M_{2,g}/(N - k)}.

The null distributions and result objects are those of :mod:`m4ml.stats`.
"""

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.distributed.moments import moments
from m4ml.stats import TestResult
from m4ml.stats.building_blocks import anova_result, check_alternative, t_test_result

__all__ = ["f_oneway", "ttest_ind"]


def _sample(x, name, min_size):
    """``(n, mean, m2, scale)`` of a 1-D sample: mean and M2 in units of the power of two
    ``scale`` (0 for a sample of zeros), so that tiny or huge data keep their digits."""
    ndim = x.ndim if hasattr(x, "ndim") else np.ndim(x)
    if ndim != 1:
        raise ValueError(f"{name} must be 1-D, got {ndim} dimensions")
    m = moments(x, name=name, scaled=True)
    if m.n < min_size:
        raise ValueError(f"{name} needs at least {min_size} observations, got {m.n}")
    return m.n, float(m.mean[0]), float(m.m2[0]), float(m.scale[0])


def _common_units(stats):
    """The samples' means and M2 in one unit, the largest of their powers of two (exact
    rescaling; a sample far below the largest loses only what is negligible beside it)."""
    c = max(s[3] for s in stats) or 1.0
    means = np.array([s[1] * (s[3] / c) for s in stats])
    m2 = np.array([s[2] * (s[3] / c) ** 2 for s in stats])
    return means, m2, c


def ttest_ind(
    a: ArrayLike, b: ArrayLike, equal_var: bool = True, alternative: str = "two-sided"
) -> TestResult:
    r"""Two-sample t-test (pooled, or Welch's) from each sample's merged moments.

    Parameters
    ----------
    a, b : dask.array.Array or array_like, 1-D
        The samples, any chunks.
    equal_var : bool
        Pooled variance (default) or Welch's test.
    alternative : {"two-sided", "less", "greater"}

    Returns
    -------
    TestResult
        ``statistic``, ``pvalue``, ``df``, ``confidence_interval()``, as
        :func:`m4ml.stats.ttest_ind`.

    Raises
    ------
    ValueError
        Fewer than 2 observations, NaN/inf in a chunk, zero variance, bad ``alternative``.

    Notes
    -----
    Pooled: module docstring. Welch: :math:`s^2_g = M_{2,g}/((n_g - 1) n_g)`,
    :math:`t = (\bar x_a - \bar x_b)/\sqrt{s_a^2 + s_b^2}` and the Welch–Satterthwaite
    :math:`\nu = (s_a^2 + s_b^2)^2 / (s_a^4/(n_a - 1) + s_b^4/(n_b - 1))`.

    Examples
    --------
    >>> a = np.array([20.1, 22.3, 19.8, 21.5, 23.0])
    >>> b = np.array([18.2, 19.9, 17.5, 18.8, 20.1, 19.0])
    >>> print("{:.4f} {:.4f}".format(*ttest_ind(a, b)))
    3.3931 0.0080
    """
    check_alternative(alternative)
    sa, sb = _sample(a, "a", 2), _sample(b, "b", 2)
    na, nb = sa[0], sb[0]
    (ma, mb), (ssa, ssb), c = _common_units([sa, sb])  # t is free of the unit c
    if equal_var:
        df = na + nb - 2.0
        se = np.sqrt((ssa + ssb) / df * (1.0 / na + 1.0 / nb))
    else:
        va, vb = ssa / (na - 1.0) / na, ssb / (nb - 1.0) / nb
        se = np.sqrt(va + vb)
        if se == 0.0:
            raise ValueError("the pair of samples has zero variance; t is undefined")
        df = (va + vb) ** 2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0))
    return t_test_result((ma - mb) * c, 0.0, se * c, df, alternative, "ttest_ind")


def f_oneway(*samples: ArrayLike) -> TestResult:
    r"""One-way ANOVA F-test from each group's merged moments.

    Parameters
    ----------
    *samples : dask.array.Array or array_like, 1-D
        Two or more groups.

    Returns
    -------
    TestResult
        ``statistic`` (F), ``pvalue``, ``df = (k - 1, N - k)`` and ``ss_between``,
        ``ss_within``, ``r_squared``, built by the same
        :func:`m4ml.stats.building_blocks.anova_result` as :func:`m4ml.stats.f_oneway`.

    Raises
    ------
    ValueError
        Fewer than two groups, an empty group, :math:`N \le k`, all observations equal, or
        NaN/inf in a chunk.

    Notes
    -----
    :math:`SS_B = \sum_g n_g(\bar x_g - \bar x)^2` with the weighted grand mean
    :math:`\bar x`, :math:`SS_W = \sum_g M_{2,g}`; :math:`F = \frac{SS_B/(k-1)}{SS_W/(N-k)}`
    and :math:`p = P(F_{k-1, N-k} > F)`.

    Examples
    --------
    >>> res = f_oneway(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0]))
    >>> print(f"F={res.statistic:.4f} df={res.df}")
    F=13.5000 df=(1, 4)
    """
    if len(samples) < 2:
        raise ValueError(f"f_oneway needs at least two samples (groups), got {len(samples)}")
    stats = [_sample(s, f"sample {i}", 1) for i, s in enumerate(samples)]
    n = np.array([s[0] for s in stats], dtype=float)
    means, m2, c = _common_units(stats)  # F is free of the unit c; the sums of squares are not
    return anova_result(n, means, m2.sum(), c)
