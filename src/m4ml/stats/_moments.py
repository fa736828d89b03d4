r"""The corrected two-pass sums every moment-based statistic in :mod:`m4ml.stats` starts from.

One home for the algorithm that descriptive statistics, the t-tests, ANOVA and the intervals
share (private; the modules of m4ml.stats import it).

Two passes, on data scaled by a power of two
--------------------------------------------
For observations :math:`x_1..x_n` along the last axis:

0. a scale :math:`c = 2^e \ge \max_i |x_i|/2` (a power of two, so :math:`x_i / c` is exact).
   It is 1 unless :math:`\max|x|` lies outside :math:`[2^{-400}, 2^{400}]`: there squares of the
   data or of its deviations would overflow (values near :math:`10^{308}`) or underflow (values
   near :math:`10^{-200}`, whose squares are below the smallest float), the flaw LAPACK's
   ``dnrm2`` avoids the same way;
1. a first mean :math:`\tilde m = \frac1n\sum y_i` of :math:`y_i = x_i / c`, then deviations
   :math:`d_i = y_i - \tilde m`;
2. :math:`S = \sum d_i^2 - \frac1n\left(\sum d_i\right)^2` (Chan, Golub and LeVeque's corrected
   sum of squares; the second term is the rounding error of :math:`\tilde m`) and the corrected
   mean :math:`m = c\,(\tilde m + \frac1n \sum d_i)`.

:math:`S` stays in units of :math:`c^2`; a standard deviation is
:math:`c\sqrt{S/\nu}`, computed in that order so that it is finite whenever the data are.

References
----------
Chan, T. F., Golub, G. H. and LeVeque, R. J. (1983). Algorithms for computing the sample
variance: analysis and recommendations. The American Statistician 37(3), 242-247.
"""

from typing import NamedTuple

import numpy as np

from m4ml._core import power_of_two_scale

__all__ = ["CentralSums", "central_sums", "scaled_sd", "scaled_var"]


class CentralSums(NamedTuple):
    """Count, corrected mean, scaled corrected sum of squares, the scale and scaled deviations."""

    n: int
    mean: np.ndarray
    ss: np.ndarray
    scale: np.ndarray
    d: np.ndarray | None


def central_sums(a, *, deviations=False, overwrite=False, always_scale=False):
    """The corrected two-pass sums of ``a`` over its last axis (module docstring).

    Parameters
    ----------
    a : ndarray
        Finite float64 observations along the last axis (at least one).
    deviations : bool
        Also return the deviations :math:`(x_i - m)/c` (else ``d`` is None).
    overwrite : bool
        ``a`` is a temporary the caller owns: its memory may hold the deviations.
    always_scale : bool
        Scale even inside the safe range (for the third and fourth powers of skewness and
        kurtosis, which over- and underflow sooner).
    """
    n = a.shape[-1]
    scale = power_of_two_scale(a, always=always_scale)
    if np.any(scale != 1.0):
        if overwrite:
            a /= scale[..., None]
            y = a
        else:
            y = a / scale[..., None]
    else:
        y = a
    m0 = np.sum(y, axis=-1) / n
    if overwrite or y is not a:
        y -= m0[..., None]
        d = y
    else:
        d = y - m0[..., None]
    s1 = np.sum(d, axis=-1)
    ss = np.maximum(np.einsum("...i,...i->...", d, d) - s1 * s1 / n, 0.0)
    mean = (m0 + s1 / n) * scale
    if deviations:
        d -= (s1 / n)[..., None]
    return CentralSums(n, mean, ss, scale, d if deviations else None)


def scaled_sd(ss, dof, scale):
    """:math:`c\\sqrt{S/\\nu}`: a standard deviation from a scaled sum of squares (no overflow)."""
    return np.sqrt(ss / dof) * scale


def scaled_var(ss, dof, scale, what="the variance"):
    """:math:`c^2 S/\\nu`; ``ValueError`` when it exceeds the float64 range (the sd does not)."""
    with np.errstate(over="ignore"):
        out = ss / dof * scale * scale
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"{what} overflows float64 (the data are of order 1e{int(np.log10(np.max(scale)))}"
            "); the standard deviation is finite: use std"
        )
    return out
