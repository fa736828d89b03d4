"""Matrix generators shared by the tests (import: from tests.helpers import ...)."""

import numpy as np


def well_conditioned(n, rng, m=None):
    """A random m x n matrix with singular values in [1, 10] (condition number <= 10)."""
    m = n if m is None else m
    k = min(m, n)
    u, _ = np.linalg.qr(rng.standard_normal((m, k)))
    v, _ = np.linalg.qr(rng.standard_normal((n, k)))
    s = np.linspace(1.0, 10.0, k) if k > 1 else np.array([3.0])
    return (u * s) @ v.T


def spd(n, rng):
    """A random symmetric positive definite matrix with eigenvalues in [1, 10]."""
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (q * np.linspace(1.0, 10.0, n)) @ q.T


def hilbert(n):
    i = np.arange(n)
    return 1.0 / (i[:, None] + i[None, :] + 1.0)


SIZES = (1, 2, 3, 10, 100, 300)
