"""The linear-algebra part of the tour: each result beside an independent check."""

import numpy as np

from m4ml import linalg as la


def _agree(a, b, tol=1e-10):
    a, b = np.asarray(a, dtype=complex), np.asarray(b, dtype=complex)
    return bool(np.allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max(initial=0.0))))


def _small(residual, scale, tol=1e-12):
    return bool(residual <= tol * max(scale, 1.0))


def linalg_checks():
    """Yield (label, value, check label, check value, agree) for the linalg tour."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    S = A @ A.T + 4 * np.eye(4)  # symmetric positive definite
    b = rng.standard_normal(4)
    nA, nS = la.norm(A), la.norm(S)

    u, v = np.array([1.0, 2.0, 3.0]), np.array([-2.0, 0.5, 1.0])
    w = la.cross(u, v)
    dots = [la.dot(w, u), la.dot(w, v)]
    yield "cross(u, v) · u and · v", dots, "orthogonal: both 0", [0.0, 0.0], _agree(dots, [0, 0])
    theta = la.angle(u, v)
    arccos = np.arccos(la.dot(u, v) / (la.norm(u) * la.norm(v)))
    yield (
        "angle(u, v), Kahan's formula",
        theta,
        "arccos(u·v / |u||v|)",
        arccos,
        _agree(theta, arccos),
    )

    d = la.det(A)
    prod = np.prod(la.eigvals(A))
    yield "det(A) by LU with pivoting", d, "product of eig(A)", prod.real, _agree(d, prod)
    x = la.solve(A, b)
    r = la.norm(A @ x - b)
    yield "solve(A, b): |A x - b|", r, "≈ 0 (1e-12 |A||x|)", 0.0, _small(r, nA * la.norm(x))
    r = la.norm(la.inv(A) @ A - np.eye(4))
    yield "inv(A) @ A - I, Frobenius", r, "≈ 0", 0.0, _small(r, nA)

    L = la.cholesky(S)
    r = la.norm(L @ L.T - S)
    yield "cholesky(S): |L Lᵀ - S|", r, "≈ 0", 0.0, _small(r, nS)

    Q, R = la.qr(A)
    r = la.norm(Q.T @ Q - np.eye(4)) + la.norm(Q @ R - A)
    yield "qr(A): |QᵀQ - I| + |QR - A|", r, "≈ 0", 0.0, _small(r, nA)
    dependent = np.column_stack([A[:, 0], A[:, 1], A[:, 0] + 2 * A[:, 1]])
    gs = la.gram_schmidt(dependent)
    yield (
        "gram_schmidt: columns dropped",
        list(gs.dropped),
        "the dependent 3rd column",
        [2],
        (list(gs.dropped) == [2]),
    )

    evals, V = la.eigh(S)
    yield (
        "eigh(S): sum of eigenvalues",
        evals.sum(),
        "trace(S)",
        la.trace(S),
        _agree(evals.sum(), la.trace(S)),
    )
    r = la.norm(S @ V - V * evals)
    yield "eigh(S): |S V - V diag(w)|", r, "≈ 0", 0.0, _small(r, nS)

    U, s, Vt = la.svd(A, full_matrices=False)
    lam = la.eigvalsh(A.T @ A)[::-1]
    yield "svd(A): singular values²", s**2, "eigvalsh(AᵀA), descending", lam, _agree(s**2, lam)
    r = la.norm(A - (U * s) @ Vt)
    yield "svd(A): |A - U diag(s) Vᵀ|", r, "≈ 0", 0.0, _small(r, nA)

    M = rng.standard_normal((6, 3)) @ rng.standard_normal((3, 5))  # rank 3
    rank = la.matrix_rank(M)
    yield "matrix_rank of a 6x5 product", rank, "inner dimension 3", 3, rank == 3
    r = la.norm(M @ la.pinv(M) @ M - M)
    yield "pinv(M): |M M⁺ M - M|", r, "≈ 0 (Penrose)", 0.0, _small(r, la.norm(M), 1e-10)

    X = np.column_stack([np.ones(20), np.linspace(0, 1, 20)])
    coef = la.lstsq(X, 1.5 + 2.0 * X[:, 1])[0]
    yield (
        "lstsq: line through exact data",
        coef,
        "intercept 1.5, slope 2",
        [1.5, 2.0],
        _agree(coef, [1.5, 2.0]),
    )

    lam1 = la.power_iteration(S, rng=0).eigenvalue
    yield "power_iteration(S)", lam1, "largest of eigh(S)", evals[-1], _agree(lam1, evals[-1], 1e-8)
