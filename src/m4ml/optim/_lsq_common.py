r"""Shared pieces of the nonlinear least-squares solvers (private).

* the robust losses :math:`\rho(z)`, :math:`z = (f_i / C)^2`, with their first two derivatives,
  and the rescaling that turns a robust problem into an ordinary one locally;
* the trust-region subproblem :math:`\min_p \|Jp + f\|` s.t. :math:`\|p\| \le \Delta`, solved
  exactly through the SVD of :math:`J` (from :mod:`m4ml.linalg`).
"""

import numpy as np

from m4ml.linalg import qr, svd

_EPS = np.finfo(float).eps
LOSSES = ("linear", "soft_l1", "huber", "cauchy", "arctan")


def loss_rho(name, z):
    r""":math:`(\rho(z), \rho'(z), \rho''(z))` for :math:`z \ge 0`.

    linear :math:`z`; soft_l1 :math:`2(\sqrt{1+z}-1)`; huber :math:`z` for :math:`z \le 1`,
    :math:`2\sqrt z - 1` above; cauchy :math:`\ln(1+z)`; arctan :math:`\arctan z`. All have
    :math:`\rho(z) \approx z` near 0 and grow more slowly than :math:`z` for large residuals.
    """
    if name == "linear":
        return z, np.ones_like(z), np.zeros_like(z)
    if name == "soft_l1":
        t = 1.0 + z
        return 2.0 * (np.sqrt(t) - 1.0), t**-0.5, -0.5 * t**-1.5
    if name == "huber":
        big = z > 1.0
        sz = np.sqrt(np.where(big, z, 1.0))
        return (
            np.where(big, 2.0 * sz - 1.0, z),
            np.where(big, 1.0 / sz, 1.0),
            np.where(big, -0.5 / (sz * sz * sz), 0.0),
        )
    if name == "cauchy":
        t = 1.0 + z
        return np.log1p(z), 1.0 / t, -1.0 / (t * t)
    t = 1.0 + z * z  # arctan
    return np.arctan(z), 1.0 / t, -2.0 * z / (t * t)


def robust_cost(loss, f, f_scale):
    r"""Cost :math:`F = \tfrac12 C^2 \sum_i \rho((f_i/C)^2)` (``inf`` if it overflows: the
    solvers then reject the step)."""
    with np.errstate(over="ignore", invalid="ignore"):
        z = (f / f_scale) ** 2
        cost = 0.5 * f_scale**2 * float(np.sum(loss_rho(loss, z)[0]))
    return cost if np.isfinite(cost) else np.inf


def robust_scale(loss, f, J, f_scale):
    r"""Rescale ``(f, J)`` so that Gauss–Newton on them is Newton-like on the robust cost.

    With :math:`z_i = (f_i/C)^2` the cost's gradient is :math:`J^\top(\rho'(z) f)` and its
    Gauss–Newton Hessian :math:`J^\top \operatorname{diag}(\rho' + 2\rho'' z) J`; the rows are
    therefore scaled by :math:`w_i = \sqrt{\max(\rho' + 2\rho'' z, \epsilon)}` and the
    residuals replaced by :math:`\rho' f / w` (Triggs et al., *Bundle adjustment — a modern
    synthesis*, 2000, sec. 4.3). For the linear loss nothing changes.
    """
    if loss == "linear":
        return f, J
    with np.errstate(over="ignore", invalid="ignore"):
        z = (f / f_scale) ** 2
        _, d1, d2 = loss_rho(loss, z)
        w = np.sqrt(np.maximum(d1 + 2.0 * d2 * z, _EPS))
    return f * d1 / w, J * w[:, None]


def svd_of(J):
    """Thin SVD of a tall ``J`` through QR first: ``(s, V, U^T-projector)``; ``Ut(f)``."""
    m, n = J.shape
    if m > n:
        Q, R = qr(J, mode="reduced")
        U, s, Vt = svd(R, full_matrices=False)
        return s, Vt.T, lambda f: U.T @ (Q.T @ f)
    U, s, Vt = svd(J, full_matrices=False)
    return s, Vt.T, lambda f: U.T @ f


def trust_region_step(s, V, uf, radius, lam0=0.0):
    r"""Solve :math:`\min_p \|Jp + f\|` s.t. :math:`\|p\| \le \Delta` from :math:`J = USV^\top`.

    ``uf`` is :math:`U^\top f`. The solution is :math:`p(\lambda) = -V\,\mathrm{diag}(s_i /
    (s_i^2 + \lambda))\,U^\top f` with :math:`\lambda = 0` if the Gauss–Newton step fits in the
    region, else the :math:`\lambda > 0` with :math:`\|p(\lambda)\| = \Delta`, found by Newton's
    method on :math:`1/\|p(\lambda)\| - 1/\Delta` (nearly linear in :math:`\lambda`), safeguarded
    in :math:`[\ell, u]` with :math:`u = \|S U^\top f\|/\Delta` (Moré 1978; Nocedal & Wright
    Alg. 4.3). Singular values below :math:`\epsilon\, s_1 \max(m, n)` count as zero. Returns
    ``(p, lam)``.
    """
    n = V.shape[0]
    tiny = s[0] * _EPS * max(n, uf.size) if s.size and s[0] > 0 else 0.0
    keep = s > tiny
    suf = np.where(keep, s * uf, 0.0)
    # the (minimum-norm) Gauss-Newton step: lambda -> 0+
    p = -V[:, keep] @ (uf[keep] / s[keep])
    if float(np.sqrt(p @ p)) <= radius:
        return p, 0.0
    full_rank = int(keep.sum()) == n

    def phi(lam):
        denom = s * s + lam
        pn = float(np.sqrt(np.sum((suf / denom) ** 2)))
        dpn = -float(np.sum(suf**2 / denom**3)) / pn if pn > 0 else -1.0
        return pn - radius, dpn

    upper = float(np.sqrt(np.sum(suf**2))) / radius
    lower = 0.0
    if full_rank:
        f0, d0 = phi(0.0)
        lower = -f0 / d0
    lam = lam0
    for _ in range(30):
        if not lower < lam < upper:
            lam = max(1e-3 * upper, np.sqrt(lower * upper))
        val, der = phi(lam)
        if val < 0:
            upper = lam
        lower = max(lower, lam - val / der)  # phi is convex and decreasing
        if abs(val) < 0.01 * radius:
            break
        lam = lam - (val + radius) / radius * val / der
    p = -V @ (suf / (s * s + lam))
    return p, lam
