"""A random strictly convex quadratic with a known minimizer, shared by the minimize tests."""

import numpy as np


def quad(seed=0, n=5, cond=10.0):
    """(A, b, x*) for f(x) = x^T A x / 2 - b^T x: A SPD with eigenvalues 1 ... cond."""
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (q * np.linspace(1.0, cond, n)) @ q.T
    b = rng.standard_normal(n)
    return A, b, np.linalg.solve(A, b)
