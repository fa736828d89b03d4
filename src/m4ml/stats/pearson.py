r"""Pearson's correlation coefficient and its exact test of zero correlation.

Under independent normal samples the null distribution of :math:`r` is known in closed form,
:math:`(1 + r)/2 \sim \mathrm{Beta}(n/2 - 1, n/2 - 1)`, so the p-value needs no
approximation; the confidence interval uses Fisher's variance-stabilizing
:math:`z = \operatorname{artanh} r`.
"""

from typing import Literal

import numpy as np

from m4ml._core import scalar_or_array
from m4ml._core.hints import ArrayLike
from m4ml.stats._nan_policy import nan_policy
from m4ml.stats._null import Beta, Normal, pvalue
from m4ml.stats._results import TestResult, check_alternative
from m4ml.stats._validation import as_sample
from m4ml.stats.parametric import _moments

__all__ = ["pearsonr"]


@nan_policy("x", "y", paired=True)
def pearsonr(
    x: ArrayLike,
    y: ArrayLike,
    alternative: Literal["two-sided", "less", "greater"] = "two-sided",
    axis: int | None = 0,
) -> TestResult:
    r"""Pearson's correlation coefficient with its exact test of :math:`\rho = 0`.

    Parameters
    ----------
    x, y : array_like
        Paired samples of the same shape (at least 2 pairs along ``axis``).
    alternative : {"two-sided", "less", "greater"}
        Alternative to :math:`\rho = 0`.
    axis : int or None
        Axis of the observations.

    Returns
    -------
    TestResult
        ``statistic`` :math:`r`, ``pvalue``, ``df`` :math:`= n-2`, and
        ``confidence_interval()`` for :math:`\rho` by Fisher's transformation.

    Raises
    ------
    ValueError
        Mismatched shapes, fewer than 2 pairs, NaN/inf, or a constant sample.

    Notes
    -----
    :math:`r = \frac{\sum (x_i - \bar x)(y_i - \bar y)}{\lVert x - \bar x\rVert\,\lVert
    y - \bar y\rVert}`. For independent normal samples :math:`(1 + r)/2 \sim
    \mathrm{Beta}(n/2 - 1, n/2 - 1)` exactly, which gives the p-value (equivalently
    :math:`t = r\sqrt{(n-2)/(1-r^2)}` is Student-t with :math:`n-2` degrees of freedom).
    The interval maps :math:`\tanh(\operatorname{artanh} r \pm z_{1-\alpha/2}/\sqrt{n-3})`
    (Fisher 1915), :math:`[-1, 1]` when :math:`n \le 3`. With :math:`n = 2`, :math:`r = \pm1`
    and the p-value is 1, as in scipy.

    References
    ----------
    Fisher, R. A. (1915). Frequency distribution of the values of the correlation coefficient
    in samples from an indefinitely large population. Biometrika 10(4), 507-521.

    Examples
    --------
    >>> res = pearsonr([1.0, 2.0, 3.0, 4.0, 5.0], [2.1, 3.9, 6.2, 7.8, 9.9])
    >>> print(f"{res.statistic:.6f} {res.pvalue:.3e}")
    0.998910 4.317e-05
    >>> print("{:.4f} {:.4f}".format(*res.confidence_interval(0.95)))
    0.9827 0.9999
    """
    check_alternative(alternative)
    a = as_sample(x, "x", axis=axis, min_size=2)
    b = as_sample(y, "y", axis=axis, min_size=2)
    if a.shape != b.shape:
        raise ValueError(
            f"x and y must have the same shape (paired observations), got {np.shape(x)} and "
            f"{np.shape(y)}"
        )
    n = a.shape[-1]
    _, ma, ssa, ca = _moments(a)
    _, mb, ssb, cb = _moments(b)
    if np.any(ssa == 0.0) or np.any(ssb == 0.0):
        raise ValueError("x or y is constant; the correlation coefficient is undefined")
    # unit-length deviation vectors, computed at each sample's scale c: (x - m) / (c sqrt(S))
    da = (a / ca[..., None] - (ma / ca)[..., None]) / np.sqrt(ssa)[..., None]
    db = (b / cb[..., None] - (mb / cb)[..., None]) / np.sqrt(ssb)[..., None]
    r = np.clip(np.einsum("...i,...i->...", da, db), -1.0, 1.0)
    if n == 2:  # two points always lie on a line: r is exactly +-1
        r = np.sign(a[..., 1] - a[..., 0]) * np.sign(b[..., 1] - b[..., 0])
        p = np.ones_like(r)
    else:
        ab = n / 2.0 - 1.0
        p = pvalue(_ShiftedBeta(ab), r, alternative)

    def ci(level):
        if n <= 3:
            return scalar_or_array(np.full_like(r, -1.0)), scalar_or_array(np.full_like(r, 1.0))
        with np.errstate(divide="ignore"):
            z = np.arctanh(r)
        se = 1.0 / np.sqrt(n - 3.0)
        std_normal = Normal()
        h = std_normal.ppf(0.5 + level / 2.0 if alternative == "two-sided" else level)
        lo = np.tanh(z - h * se) if alternative != "less" else np.full_like(r, -1.0)
        hi = np.tanh(z + h * se) if alternative != "greater" else np.full_like(r, 1.0)
        return scalar_or_array(lo), scalar_or_array(hi)

    return TestResult(
        scalar_or_array(r),
        scalar_or_array(p),
        df=n - 2,
        alternative=alternative,
        ci=ci,
        name="pearsonr",
    )


class _ShiftedBeta:
    """The null law of :math:`r`: :math:`(1 + r)/2 \\sim \\mathrm{Beta}(a, a)` on [-1, 1]."""

    def __init__(self, a):
        self._beta = Beta(a, a)

    def cdf(self, r):
        return self._beta.cdf((1.0 + np.asarray(r)) / 2.0)

    def sf(self, r):
        return self._beta.sf((1.0 + np.asarray(r)) / 2.0)
