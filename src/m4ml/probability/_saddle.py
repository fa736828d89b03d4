r"""Loader's saddle-point form of the binomial log-probability (private).

Writing :math:`\log\binom nk p^k q^{n-k}` with ``gammaln`` subtracts numbers of size
:math:`n\log n` and leaves an absolute error of about :math:`n\log n \cdot u` (:math:`10^{-12}`
relative at :math:`n = 1000`). Loader (2000) rewrites it with two small quantities that carry
no cancellation:

* the Stirling error :math:`\delta(n) = \log n! - \bigl(n + \tfrac12\bigr)\log n + n -
  \tfrac12\log 2\pi`, from its asymptotic series
  :math:`\frac1{12n} - \frac1{360n^3} + \frac1{1260n^5} - \frac1{1680n^7} + \frac1{1188n^9}`
  for :math:`n > 15` (below, directly from ``gammaln``, where the terms are small);
* the deviance :math:`D(x, M) = x\log(x/M) + M - x \ge 0`, for :math:`x` near :math:`M` from
  the series :math:`(x - M)v + 2x\sum_{j\ge1} v^{2j+1}/(2j+1)`, :math:`v = (x-M)/(x+M)`;

so that for :math:`0 < k < n`

.. math:: \log P(k) = \delta(n) - \delta(k) - \delta(n-k) - D(k, np) - D(n-k, nq)
          + \tfrac12\log\frac{n}{2\pi k(n-k)}.

Reference: C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
"""

import numpy as np
from scipy.special import gammaln, xlog1py, xlogy

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


def stirling_error(n):
    """:math:`\\log n! - ((n + 1/2)\\log n - n + \\tfrac12\\log 2\\pi)` for ``n >= 1``."""
    n = np.asarray(n, dtype=float)
    small = n <= 15.0
    ns = np.where(small, n, 1.0)
    direct = gammaln(ns + 1.0) - (ns + 0.5) * np.log(ns) + ns - _HALF_LOG_2PI
    nl = np.where(small, 16.0, n)
    nn = nl * nl
    series = (
        1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - (1.0 / 1188) / nn) / nn) / nn) / nn
    ) / nl
    return np.where(small, direct, series)


def deviance(x, m):
    """:math:`x\\log(x/m) + m - x` for ``x >= 0``, ``m > 0``, accurate when x is near m."""
    x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(m, dtype=float))
    d = x - m
    near = np.abs(d) < 0.1 * (x + m)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v = np.where(near, d / (x + m), 0.0)
        out = d * v
        term = 2.0 * x * v
        v2 = v * v
        for j in range(1, 12):
            term = term * v2
            out = out + term / (2 * j + 1)
        ratio = x / m  # one log of the ratio: no cancellation of x log x - x log m ...
        far = np.where(
            np.isfinite(ratio),
            xlogy(x, ratio),
            xlogy(x, x) - xlogy(x, m),  # ...unless it overflows
        )
        far = far + m - x
    return np.where(near, out, far)


def binomial_logpmf(k, n, p):
    """Log binomial probability at integers ``0 <= k <= n`` (Loader's form inside)."""
    k, n, p = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (k, n, p)))
    q = 1.0 - p
    inner = (k > 0) & (k < n) & (p > 0) & (p < 1)
    ki = np.where(inner, k, 1.0)
    ni = np.where(inner, n, 2.0)
    pi = np.where(inner, p, 0.5)
    qi = np.where(inner, q, 0.5)
    lp = (
        stirling_error(ni)
        - stirling_error(ki)
        - stirling_error(ni - ki)
        - deviance(ki, ni * pi)
        - deviance(ni - ki, ni * qi)
        + 0.5 * np.log(ni / (2.0 * np.pi * ki * (ni - ki)))
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # edges: k = 0 gives q^n, k = n gives p^n, and p in {0, 1} puts all mass on one end
        edge = np.where(k == 0, xlog1py(n, -p), np.where(k == n, xlogy(n, p), -np.inf))
    return np.where(inner, lp, edge)
