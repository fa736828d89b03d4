r"""The few largest eigenpairs of a large symmetric matrix by Lanczos with full reorthogonalization.

Lanczos builds an orthonormal basis :math:`Q_m = [q_1, \dots, q_m]` of the Krylov space
:math:`\mathcal K_m(A, q_1)` in which :math:`Q_m^\top A Q_m = T_m` is tridiagonal:

.. math::

    \beta_j q_{j+1} = A q_j - \alpha_j q_j - \beta_{j-1} q_{j-1},\qquad
    \alpha_j = q_j^\top A q_j,\quad \beta_j = \|\cdot\|.

The eigenpairs :math:`(\theta_i, s_i)` of :math:`T_m` give Ritz pairs :math:`(\theta_i, Q_m
s_i)` with residual :math:`\|A Q_m s_i - \theta_i Q_m s_i\| = \beta_m |s_{m,i}|`, known without
forming the vector. The extreme eigenvalues converge first, at a rate governed by the gap to the
rest of the spectrum measured against its width (Kaniel--Paige) — far faster than the power
method's :math:`\lambda_{k+1}/\lambda_k`. In floating point the :math:`q_j` lose orthogonality as
Ritz values converge, so every new vector is re-orthogonalized against all previous ones
(classical Gram--Schmidt, twice): :math:`O(nm^2)` extra work, negligible next to the
:math:`m` products with :math:`A` when :math:`m \ll n`. Used by KernelPCA for a few components
of an :math:`n\times n` centred Gram matrix (ARPACK's job in scikit-learn).
"""

import numpy as np

from m4ml.linalg import eigh_tridiagonal

__all__ = ["lanczos_top"]


def lanczos_top(A, k, *, rtol=1e-13, max_steps=None, seed=0):
    """The ``k`` largest eigenpairs ``(w, V)`` (descending) of symmetric ``A``, or None.

    Stops when every wanted Ritz residual :math:`\\beta_m|s_{m,i}| \\le \\text{rtol}\\,
    |\\theta|_{\\max}`; returns None if that has not happened after ``max_steps`` (default
    ``min(n, max(20k, 150))``) so that the caller can use a dense solver.
    """
    n = A.shape[0]
    m_max = int(min(n, max_steps or max(20 * k, 150)))
    Q = np.zeros((n, m_max + 1))
    alpha, beta = np.zeros(m_max), np.zeros(m_max)
    q = np.random.default_rng(seed).standard_normal(n)
    Q[:, 0] = q / np.sqrt(q @ q)
    check = max(2 * k + 2, 10)
    for j in range(m_max):
        w = A @ Q[:, j]
        alpha[j] = Q[:, j] @ w
        basis = Q[:, : j + 1]
        for _ in range(2):  # full reorthogonalization, twice is enough
            w -= basis @ (basis.T @ w)
        beta[j] = np.sqrt(w @ w)
        m = j + 1
        done = m == n or beta[j] <= 1e-300
        if m >= check or done:
            theta, S = eigh_tridiagonal(alpha[:m], beta[: m - 1])
            theta, S = theta[::-1][:k], S[:, ::-1][:, :k]
            scale = max(abs(theta[0]), abs(theta[-1]), 1e-300)
            if m >= k and (done or np.all(beta[j] * np.abs(S[-1]) <= rtol * scale)):
                return theta, basis @ S
            check = m + max(5, m // 4)
        if done:
            break
        Q[:, j + 1] = w / beta[j]
    return None
