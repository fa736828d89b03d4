r"""Null distributions of the Kolmogorov–Smirnov statistics (private to :mod:`m4ml.stats`).

One sample of size :math:`n` from a continuous distribution :math:`F`, empirical cdf
:math:`F_n`:

* one-sided :math:`D_n^+ = \sup_x (F_n(x) - F(x))` — :func:`smirnov_sf`, the exact
  Birnbaum–Tingey sum;
* two-sided :math:`D_n = \sup_x |F_n(x) - F(x)|` — :func:`kolmogorov_n_sf`, exact by the
  Durbin matrix (Marsaglia, Tsang & Wang) where that is cheap, by the Pelz–Good asymptotic
  series for large :math:`n`, with the case split of Simard & L'Ecuyer (2011);
* the limit :math:`\sqrt n\,D_n \to K` — :func:`kolmogorov_limit_sf`.

Two samples: :func:`ks_2samp_exact_sf` counts the lattice paths of the merged sample that
leave the band the statistic defines.

References
----------
Birnbaum, Z. W. & Tingey, F. H. (1951). One-sided confidence contours for probability
distribution functions. Ann. Math. Statist. 22, 592–596.
Marsaglia, G., Tsang, W. W. & Wang, J. (2003). Evaluating Kolmogorov's distribution.
J. Stat. Softw. 8(18).
Pelz, W. & Good, I. J. (1976). Approximating the lower tail-areas of the Kolmogorov-Smirnov
one-sample statistic. J. R. Statist. Soc. B 38, 152–156.
Simard, R. & L'Ecuyer, P. (2011). Computing the two-sided Kolmogorov-Smirnov distribution.
J. Stat. Softw. 39(11).
Hodges, J. L. (1958). The significance probability of the Smirnov two-sample test. Ark. Mat.
3, 469–486.
"""

import math

import numpy as np
from scipy.special import gammaln

_SQRT2PI = math.sqrt(2.0 * math.pi)
_PI2 = math.pi**2


def _stirling_error(k):
    r""":math:`\log k! - [(k + \tfrac12)\log k - k + \tfrac12\log 2\pi]` for integers k >= 1."""
    k = np.asarray(k, dtype=np.float64)
    small = k < 30
    ks = np.where(small, k, 30.0)
    direct = gammaln(ks + 1.0) - (ks + 0.5) * np.log(ks) + ks - 0.5 * math.log(2 * math.pi)
    kl = np.where(small, 30.0, k)
    inv2 = 1.0 / (kl * kl)
    series = (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) / kl
    return np.where(small, direct, series)


def smirnov_sf(n, d):
    r""":math:`P(D_n^+ \ge d)` for one sample of size ``n``, exactly (Birnbaum–Tingey).

    .. math::
        P(D_n^+ \ge d) = d \sum_{j=0}^{\lfloor n(1-d) \rfloor} \binom{n}{j}
        \Bigl(1 - d - \tfrac{j}{n}\Bigr)^{n-j} \Bigl(d + \tfrac{j}{n}\Bigr)^{j-1}.

    Every term is positive, so the sum (formed against its largest term) keeps full relative
    accuracy far into the tail. Each term is a binomial probability
    :math:`b(j; n, d + j/n)` divided by :math:`d + j/n`, and its logarithm is formed as in
    Loader's saddle-point algorithm,

    .. math::
        \log b = \delta(n) - \delta(j) - \delta(n-j) + j\,\mathrm{log1p}\frac{nd}{j}
        + (n-j)\,\mathrm{log1p}\frac{-nd}{n-j} + \tfrac12\log\frac{n}{2\pi j(n-j)},

    with :math:`\delta` the Stirling-series error, so no :math:`O(n \log n)` log-factorials
    cancel (their rounding would cost :math:`\approx 10^{-10}` relative at
    :math:`n = 10^5`). Cost :math:`O(n)`.

    References
    ----------
    Loader, C. (2000). Fast and accurate computation of binomial probabilities.
    """
    if d <= 0.0:
        return 1.0
    if d >= 1.0:
        return 0.0
    nd = n * d
    j = np.arange(1, math.floor(n - nd) + 1, dtype=np.float64)
    j = j[(n - j) - nd > 0.0]  # terms with 1 - d - j/n = 0 vanish
    rest = n - j
    log_terms = (
        _stirling_error(n)
        - _stirling_error(j)
        - _stirling_error(rest)
        + j * np.log1p(nd / j)
        + rest * np.log1p(-nd / rest)
        + 0.5 * np.log(n / (2 * math.pi * j * rest))
        - np.log(d + j / n)
    )
    log_terms = np.r_[n * math.log1p(-d) - math.log(d), log_terms]  # j = 0: (1-d)^n / d
    top = log_terms.max()
    return float(min(d * math.exp(top) * np.exp(log_terms - top).sum(), 1.0))


def kolmogorov_limit_sf(y):
    r"""Kolmogorov's limiting distribution: :math:`P(K > y)`, with :math:`\sqrt n D_n \to K`.

    For :math:`y \ge 1` the alternating series
    :math:`2\sum_{k\ge1}(-1)^{k-1}e^{-2k^2y^2}`; below 1, where that converges slowly, one
    minus the Jacobi-transformed cdf
    :math:`\frac{\sqrt{2\pi}}{y}\sum_{k\ge1} e^{-(2k-1)^2\pi^2/(8y^2)}`.
    """
    y = np.asarray(y, dtype=np.float64)
    k = np.arange(1, 21, dtype=np.float64)
    yy = np.maximum(y, 0.01)[..., None]  # below 0.04 the cdf is 0 to double precision
    with np.errstate(under="ignore", over="ignore"):
        small = 1.0 - _SQRT2PI / yy[..., 0] * np.exp(-((2 * k - 1) ** 2) * _PI2 / (8 * yy**2)).sum(
            -1
        )
        large = 2.0 * ((-1.0) ** (k - 1) * np.exp(-2.0 * k**2 * yy**2)).sum(-1)
    out = np.where(y < 1.0, small, large)
    out = np.where(y <= 0.0, 1.0, out)
    return np.clip(out, 0.0, 1.0)[()]


def _frexp_product(values):
    """The product of positive ``values`` as ``(mantissa, exponent)``, never under/overflowing."""
    mant, expo = np.frexp(values)
    total = int(expo.sum())
    mant = np.asarray(mant, dtype=np.float64)
    while mant.size > 1:  # multiply in blocks of 256 mantissas in [0.5, 1): no underflow
        pad = (-mant.size) % 256
        blocks = np.concatenate([mant, np.ones(pad)]).reshape(-1, 256).prod(axis=1)
        mant, e = np.frexp(blocks)
        total += int(e.sum())
    return float(mant[0]) if mant.size else 1.0, total


def _durbin_cdf(n, d):
    r""":math:`P(D_n < d)` by the Durbin matrix: :math:`\frac{n!}{n^n}(H^n)_{kk}`.

    With :math:`t = nd = k - h`, :math:`k = \lfloor t \rfloor + 1`, :math:`0 < h \le 1`, the
    :math:`(2k-1)\times(2k-1)` matrix has entries :math:`1/(i-j+1)!` for :math:`i-j+1 \ge 0`
    (zero above), corrected in its first column and last row by :math:`h^{i}/i!` terms and in
    its corner by :math:`(2h-1)_+^m/m!`. The power is taken by repeated squaring with exact
    power-of-two rescaling; cost :math:`O(k^3 \log n)`.
    """
    t = n * d
    k = math.floor(t) + 1
    m = 2 * k - 1
    h = k - t
    i = np.arange(m)
    diff = i[:, None] - i[None, :] + 1  # i - j + 1
    H = (diff >= 0).astype(np.float64)
    powers = h ** np.arange(1, m + 1)
    H[:, 0] -= powers
    H[m - 1, :] -= powers[::-1]
    if 2 * h - 1 > 0:
        H[m - 1, 0] += (2 * h - 1) ** m
    H = np.where(diff > 0, H * np.exp(-gammaln(np.maximum(diff, 1) + 1.0)), H)
    # binary powering with the scale kept as an exact power of two
    result, r_exp = None, 0
    base, b_exp = H, 0
    e = n
    while e:
        if e & 1:
            if result is None:
                result, r_exp = base.copy(), b_exp
            else:
                result = result @ base
                r_exp += b_exp
                _, s = np.frexp(np.abs(result).max())
                result, r_exp = np.ldexp(result, -s), r_exp + int(s)
        e >>= 1
        if e:
            base = base @ base
            b_exp *= 2
            _, s = np.frexp(np.abs(base).max())
            base, b_exp = np.ldexp(base, -s), b_exp + int(s)
    mant, f_exp = _frexp_product(np.arange(1, n + 1) / n)  # n!/n^n
    value = result[k - 1, k - 1] * mant
    return float(np.clip(np.ldexp(value, r_exp + f_exp), 0.0, 1.0))


def _pelz_good_cdf(n, d):
    r""":math:`P(D_n \le d)` by the Pelz–Good series in :math:`z = \sqrt n\,d`.

    :math:`K_0(z) + K_1(z)/\sqrt n + K_2(z)/n + K_3(z)/n^{3/2}` with each :math:`K_i` written
    (Jacobi transformation) as sums over :math:`q^{m^2}`, :math:`q = e^{-\pi^2/(8z^2)}`, odd
    :math:`m`, plus two sums over :math:`e^{-\pi^2 k^2/(2z^2)}`.
    """
    z = math.sqrt(n) * d
    if -_PI2 / (8 * z * z) < -708:
        return 0.0
    z2 = z * z
    kmax = max(math.ceil(16 * z / math.pi), 1)
    m = 2.0 * np.arange(1, kmax + 1) - 1.0
    m2 = m * m
    qm = np.exp(-_PI2 * m2 / (8 * z2))
    k0 = qm.sum() * _SQRT2PI / z
    k1 = ((_PI2 * m2 / 4 - z2) * qm).sum() * _SQRT2PI / (6 * z**4)
    c2 = (
        6 * z**6
        + 2 * z**4
        + (2 * z**4 - 5 * z2) * _PI2 / 4 * m2
        + _PI2**2 * (1 - 2 * z2) / 16 * m2**2
    )
    k2 = (c2 * qm).sum() * _SQRT2PI / (72 * z**7)
    c3 = (
        -30 * z**6
        - 90 * z**8
        + _PI2 * (135 * z**4 - 96 * z**6) / 4 * m2
        + _PI2**2 * (212 * z**4 - 60 * z2) / 16 * m2**2
        + _PI2**3 * (5 - 30 * z2) / 64 * m2**3
    )
    k3 = (c3 * qm).sum() * _SQRT2PI / (6480 * z**10)
    kk = np.arange(1, kmax + 1, dtype=np.float64) ** 2
    qk = np.exp(-_PI2 * kk / (2 * z2))
    k2 -= (kk * qk).sum() * _PI2 * _SQRT2PI / (36 * z**3)
    k3 += ((3 * z2 - _PI2 * kk) * kk * qk).sum() * _PI2 * _SQRT2PI / (216 * z**6)
    return k0 + k1 / math.sqrt(n) + k2 / n + k3 / n**1.5


def kolmogorov_n_sf(n, d):
    r""":math:`P(D_n \ge d)` for the two-sided one-sample statistic of a sample of size ``n``.

    The method follows Simard & L'Ecuyer's split of the :math:`(n, nd^2)` plane: closed forms
    at the ends of the support (Ruben–Gambino), :math:`2P(D_n^+ \ge d)` where the two tails
    cannot both be exceeded (:math:`d \ge 1/2`) or where that double event is negligible
    (:math:`nd^2 > 4` for :math:`n \le 1000`, relative error below :math:`10^{-10}`;
    :math:`nd^2 \ge 2.2` above), the exact Durbin matrix for :math:`n \le 1000` and for
    :math:`n \le 10^5` with :math:`n d^{3/2} \le 1.4`, and the Pelz–Good series otherwise.

    One deliberate departure from scipy (whose ``kstwo`` switches to the approximations above
    :math:`n = 140`): for :math:`140 < n \le 1000` the Durbin matrix is used up to
    :math:`nd^2 = 4`, where it costs a few milliseconds. There the Pelz–Good series is off by
    up to :math:`2.4\times10^{-5}` relative (at :math:`n = 141`) and :math:`2P(D_n^+\ge d)`
    by up to :math:`1.2\times10^{-6}` (at :math:`nd^2 = 2.2`) — enough for scipy's value to
    break the union bound :math:`P(D_n \ge d) \le 2P(D_n^+ \ge d)` at
    :math:`n = 141, d \approx 0.115`. Above :math:`n = 1000` the approximations' errors are
    below :math:`10^{-6}` and shrink with :math:`n`.
    """
    if d >= 1.0:
        return 0.0
    if d <= 0.0:
        return 1.0
    t = n * d
    if t <= 1.0:  # P(D_n < d) = n!/n^n (2t - 1)^n on [1/(2n), 1/n]
        if t <= 0.5:
            return 1.0
        mant, e = _frexp_product(np.arange(1, n + 1) / n * (2 * t - 1))
        return 1.0 - math.ldexp(mant, e)
    if t >= n - 1:
        return 2.0 * (1.0 - d) ** n
    if d >= 0.5:
        return min(2.0 * smirnov_sf(n, d), 1.0)
    nd2 = t * d
    if n <= 1000:
        if nd2 <= 4.0:
            return 1.0 - _durbin_cdf(n, d)
        return min(2.0 * smirnov_sf(n, d), 1.0)
    if nd2 >= 370.0:
        return 0.0
    if nd2 >= 2.2:
        return min(2.0 * smirnov_sf(n, d), 1.0)
    if n <= 100_000 and n * d**1.5 <= 1.4:
        return 1.0 - _durbin_cdf(n, d)
    return float(np.clip(1.0 - _pelz_good_cdf(n, d), 0.0, 1.0))


def _log_comb(a, b):
    return gammaln(a + 1.0) - gammaln(b + 1.0) - gammaln(a - b + 1.0)


def ks_2samp_exact_sf(n1, n2, h, two_sided):
    r"""Exact :math:`P(D \ge h/\mathrm{lcm}(n_1, n_2))` for the two-sample statistic.

    Under the null every ordering of the merged sample is equally likely: a uniformly random
    lattice path from :math:`(0,0)` to :math:`(n_1,n_2)` whose step :math:`(i,j)` is
    :math:`i/n_1 - j/n_2` apart in the two empirical cdfs. The statistic reaches
    :math:`d = h/\mathrm{lcm}` exactly when the path touches a cell with
    :math:`v = (i n_2 - j n_1)/g \ge h` (one-sided; :math:`|v| \ge h` two-sided,
    :math:`g = \gcd`).

    The sweep runs over anti-diagonals :math:`s = i + j` with the *fraction*
    :math:`u(i,j)` of the :math:`\binom{s}{i}` paths to :math:`(i,j)` that stayed inside,

    .. math:: u(i, j) = \tfrac{i}{s}\,u(i-1, j) + \tfrac{j}{s}\,u(i, j-1),

    so nothing overflows. The fraction reaching a boundary cell first is recorded and weighted
    by the hypergeometric probability :math:`\binom{s}{i}\binom{N-s}{n_1-i}/\binom{N}{n_1}`
    of passing through it; the p-value is the sum of these positive terms (full relative
    accuracy in the tail). Only the cells inside the band and the boundary cells next to it
    carry mass, so each step touches :math:`O(n_1 d)` cells (two-sided): cost
    :math:`O(n_1 n_2 d)` in :math:`n_1+n_2` vector steps.
    """
    if h <= 0:
        return 1.0
    if n1 > n2:  # the distribution is symmetric in the two samples; vectorize the shorter one
        n1, n2 = n2, n1
    total = n1 + n2
    hg = h * math.gcd(n1, n2)
    # inside the band on diagonal s: -hg < i*total - s*n1 < hg (one-sided: only the right side)
    u = np.zeros(n1 + 2)  # u[i + 1] holds u(i) of the current diagonal; u[0] stays 0
    u[1] = 1.0
    i_all = np.arange(n1 + 1, dtype=np.float64)
    prev_a, prev_b = 0, 0
    hit_s, hit_i, hit_f = [], [], []
    steps = np.arange(1, total + 1)
    los = np.maximum(0, steps - n2)
    his = np.minimum(n1, steps)
    in_maxs = (steps * n1 + hg - 1) // total
    in_mins = (steps * n1 - hg) // total + 1 if two_sided else los
    firsts = np.maximum(los, in_mins - 1)
    lasts = np.minimum(his, in_maxs + 1)
    bounds = zip(*(v.tolist() for v in (steps, firsts, lasts, in_mins, in_maxs)), strict=True)
    for s, a, b, in_min, in_max in bounds:
        if a > b:
            break
        cur = u[a + 1 : b + 2]  # u(i, j - 1)
        new = cur + (u[a : b + 1] - cur) * (i_all[a : b + 1] / s)  # + i/s (u(i-1, j) - ...)
        if a < in_min or b > in_max:  # boundary cells: record the first-hit mass, then absorb
            for k in (*range(a, min(b, in_min - 1) + 1), *range(max(a, in_max + 1, in_min), b + 1)):
                f = new[k - a]
                if f > 0.0:
                    hit_s.append(s)
                    hit_i.append(k)
                    hit_f.append(f)
                new[k - a] = 0.0
        if prev_a < a:
            u[prev_a + 1 : a + 1] = 0.0
        if prev_b > b:
            u[b + 2 : prev_b + 2] = 0.0
        u[a + 1 : b + 2] = new
        prev_a, prev_b = a, b
    if not hit_f:
        return 0.0
    hs, hi_ = np.array(hit_s, dtype=np.float64), np.array(hit_i, dtype=np.float64)
    log_w = _log_comb(hs, hi_) + _log_comb(total - hs, n1 - hi_) - _log_comb(total, n1)
    return min(float(np.dot(np.array(hit_f), np.exp(log_w))), 1.0)
