r"""Private numerical maximum-likelihood helpers for the distributions' ``fit`` methods.

m4ml.optim does not exist yet (and sits below nothing this package may import from anyway), so
the few one-dimensional solvers the fits need live here:

* :func:`inverse_digamma` — Newton's method on :math:`\psi(x) = y` from Minka's start;
* :func:`gamma_shape_mle` — Newton on :math:`\log a - \psi(a) = s` (the Gamma shape equation);
* :func:`golden_section` — minimize a unimodal function of one variable on an interval;
* :func:`student_t_mle` — ECME for the Student-t location, scale and degrees of freedom.
"""

import numpy as np
from scipy.special import digamma, gammaln, polygamma

_EULER = 0.5772156649015329


def inverse_digamma(y, n_iter=8):
    r"""Solve :math:`\psi(x) = y` elementwise (Minka 2000, appendix C: start, then Newton)."""
    y = np.asarray(y, dtype=float)
    x = np.where(y >= -2.22, np.exp(y) + 0.5, -1.0 / (y + _EULER))
    for _ in range(n_iter):
        x = x - (digamma(x) - y) / polygamma(1, x)
    return x


def gamma_shape_mle(s, n_iter=50):
    r"""Solve :math:`\log a - \psi(a) = s` for :math:`a > 0`, where :math:`s > 0`.

    :math:`s = \log \bar x - \overline{\log x}` (by Jensen :math:`s \ge 0`). The start
    :math:`a_0 = (3 - s + \sqrt{(s - 3)^2 + 24 s}) / (12 s)` (Minka 2002) is within 1.5 % of
    the root; Newton on the convex function :math:`\log a - \psi(a) - s` converges from it,
    stepping in :math:`\log a` to stay positive.
    """
    s = np.asarray(s, dtype=float)
    a = (3.0 - s + np.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    for _ in range(n_iter):
        f = np.log(a) - digamma(a) - s
        df = 1.0 / a - polygamma(1, a)
        step = f / (df * a)  # Newton in u = log a: du = f / (a f'(a))
        a = a * np.exp(-np.clip(step, -2.0, 2.0))
        if np.all(np.abs(step) < 1e-15):
            break
    return a


def golden_section(f, lo, hi, tol=1e-10, max_iter=200):
    """Minimize the unimodal scalar function ``f`` on ``[lo, hi]``; return the minimizer."""
    inv_phi = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - inv_phi * (hi - lo), lo + inv_phi * (hi - lo)
    fc, fd = f(c), f(d)
    for _ in range(max_iter):
        if abs(hi - lo) <= tol * (1.0 + abs(c) + abs(d)):
            break
        if fc < fd:
            hi, d, fd = d, c, fc
            c = hi - inv_phi * (hi - lo)
            fc = f(c)
        else:
            lo, c, fc = c, d, fd
            d = lo + inv_phi * (hi - lo)
            fd = f(d)
    return (lo + hi) / 2.0


def _t_loglik(x, df, loc, scale):
    z2 = ((x - loc) / scale) ** 2
    return np.sum(
        gammaln((df + 1) / 2)
        - gammaln(df / 2)
        - 0.5 * np.log(df * np.pi)
        - np.log(scale)
        - (df + 1) / 2 * np.log1p(z2 / df)
    )


def student_t_mle(x, max_iter=500, tol=1e-12):
    r"""Maximum-likelihood ``(df, loc, scale)`` of a Student-t sample by ECME.

    The t distribution is a scale mixture of normals: :math:`X \mid W \sim
    N(\mu, \sigma^2 / W)`, :math:`W \sim \mathrm{Gamma}(\nu/2, \text{rate } \nu/2)`. Given the
    current parameters the E-step weights are :math:`w_i = (\nu + 1)/(\nu + z_i^2)`; the
    CM-steps set :math:`\mu = \sum w_i x_i / \sum w_i`, :math:`\sigma^2 = \frac1n \sum w_i
    (x_i - \mu)^2`, then maximize the actual log-likelihood over :math:`\log \nu` by golden
    section on :math:`[\log 0.05, \log 10^4]` (Liu & Rubin 1995). Each step increases the
    likelihood.
    """
    loc = float(np.median(x))
    scale = float(np.median(np.abs(x - loc))) * 1.4826 or float(np.std(x)) or 1.0
    df = 5.0
    best = _t_loglik(x, df, loc, scale)
    for _ in range(max_iter):
        w = (df + 1.0) / (df + ((x - loc) / scale) ** 2)
        loc = float(np.sum(w * x) / np.sum(w))
        scale = float(np.sqrt(np.mean(w * (x - loc) ** 2)))
        log_df = golden_section(
            lambda u, m=loc, s=scale: -_t_loglik(x, np.exp(u), m, s),
            np.log(0.05),
            np.log(1e4),
            tol=1e-9,
        )
        df = float(np.exp(log_df))
        new = _t_loglik(x, df, loc, scale)
        if abs(new - best) <= tol * (1.0 + abs(new)):
            best = new
            break
        best = new
    return df, loc, scale
