r"""One-way analysis of variance, accurate to what float64 holds of the data.

The total variation of :math:`N` observations in :math:`k` groups splits as

.. math:: \underbrace{\sum_{i,j} (y_{ij} - \bar y)^2}_{SS_T}
          = \underbrace{\sum_i n_i (\bar y_i - \bar y)^2}_{SS_B}
          + \underbrace{\sum_{i,j} (y_{ij} - \bar y_i)^2}_{SS_W},

and under :math:`H_0: \mu_1 = \dots = \mu_k` (normal errors, equal variances)
:math:`F = \frac{SS_B/(k-1)}{SS_W/(N-k)} \sim F_{k-1, N-k}`.

Accuracy (NIST StRD SmLs01–09 put 13 constant leading digits in front of the signal):
every observation is first shifted by one of them, :math:`c = y_{11}`. For data sharing
their leading digits the shifted values :math:`y - c` are *exact* (Sterbenz), so nothing but
the data's own representation error enters; group means and :math:`SS_W` then use the
corrected two-pass sums of :mod:`m4ml.stats.descriptive`, and :math:`SS_B` the deviations
of the (shifted) group means from their weighted mean.
"""

import numpy as np

from m4ml._core import power_of_two_scale
from m4ml._core.hints import ArrayLike
from m4ml.stats._moments import central_sums
from m4ml.stats._nan_policy import nan_policy
from m4ml.stats._results import TestResult
from m4ml.stats._validation import as_sample
from m4ml.stats.building_blocks import anova_result

__all__ = ["f_oneway"]


def _group_sums(a, c):
    """Count, shifted mean and corrected sum of squares of one group (last axis).

    The sum of squares comes back in units of the common scale of :func:`f_oneway`: a group
    far smaller than the largest one is scaled again by ``central_sums`` (its squares would
    underflow), and its own scale is undone here (the mean is already in data units).
    """
    cs = central_sums(a - c[..., None])
    return cs.n, cs.mean, cs.ss * cs.scale * cs.scale


@nan_policy(varargs="samples")
def f_oneway(*samples: ArrayLike, axis: int | None = 0) -> TestResult:
    r"""One-way ANOVA: do ``k`` groups share one mean?

    Parameters
    ----------
    *samples : array_like
        Two or more samples (groups); their shapes must agree except along ``axis``.
    axis : int or None
        Axis of the observations (default 0, as ``scipy.stats.f_oneway``).

    Returns
    -------
    TestResult
        ``statistic`` :math:`F`, ``pvalue`` :math:`P(F_{k-1,N-k} \ge F)`,
        ``df = (k - 1, N - k)``, and the ANOVA table as attributes: ``ss_between``,
        ``ss_within``, ``ms_between``, ``ms_within``, ``df_between``, ``df_within``,
        ``r_squared`` :math:`= SS_B/(SS_B + SS_W)` and ``residual_std``
        :math:`= \sqrt{MS_W}`. It defines no confidence interval.

    Raises
    ------
    ValueError
        Fewer than two groups, an empty group, :math:`N \le k`, NaN/inf, or all observations
        equal (:math:`F = 0/0`).

    Notes
    -----
    Module docstring for the decomposition and the shifted, corrected two-pass sums. If
    every group is constant but the means differ, :math:`SS_W = 0`: ``statistic`` is ``inf``
    and ``pvalue`` 0, as scipy. Cost :math:`O(N)`.

    References
    ----------
    Simon, S. D. and Lesage, J. P. (1989). Assessing the accuracy of ANOVA calculations in
    statistical software. Computational Statistics & Data Analysis 8, 325-332.

    Examples
    --------
    >>> res = f_oneway([6.0, 8.0, 4.0, 5.0, 3.0, 4.0], [8.0, 12.0, 9.0, 11.0, 6.0, 8.0],
    ...                [13.0, 9.0, 11.0, 8.0, 7.0, 12.0])
    >>> print(f"F={res.statistic:.4f} p={res.pvalue:.5f} df={res.df}")
    F=9.2647 p=0.00240 df=(2, 15)
    >>> print(f"{res.ss_between:.4f} {res.ss_within:.4f} {res.r_squared:.4f}")
    84.0000 68.0000 0.5526
    """
    if len(samples) < 2:
        raise ValueError(f"f_oneway needs at least two samples (groups), got {len(samples)}")
    groups = [as_sample(s, f"sample {i}", axis=axis) for i, s in enumerate(samples)]
    try:
        batch = np.broadcast_shapes(*(g.shape[:-1] for g in groups))
    except ValueError:
        raise ValueError("the samples' shapes must agree apart from axis") from None
    # one power of two for every group, so that no square over- or underflows (F is free of
    # it; the sums of squares are scaled back at the end); dividing by it is exact
    scale = np.maximum.reduce(
        [np.broadcast_to(power_of_two_scale(g, always=True), batch) for g in groups]
    )
    groups = [g / scale[..., None] for g in groups]
    c = np.broadcast_to(groups[0][..., 0], batch)
    sums = [_group_sums(g, c) for g in groups]
    n = np.array([s[0] for s in sums], dtype=float)
    means = np.stack([np.broadcast_to(s[1], batch) for s in sums])
    ss_within = sum(np.broadcast_to(s[2], batch) for s in sums)
    return anova_result(n, means, ss_within, scale)
