"""The linear-algebra part of the tour: each result beside an independent check."""

import numpy as np

from m4ml import linalg as la


def _close(a, b, tol=1e-10):
    a, b = np.asarray(a, dtype=complex), np.asarray(b, dtype=complex)
    return bool(np.allclose(a, b, rtol=tol, atol=tol * max(1.0, np.abs(b).max(initial=0.0))))


def linalg_checks():
    """Yield (label, value, check label, check value, agree) for the linalg tour."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    S = A @ A.T + 4 * np.eye(4)  # symmetric positive definite
    b = rng.standard_normal(4)

    u, v = np.array([1.0, 2.0, 3.0]), np.array([-2.0, 0.5, 1.0])
    w = la.cross(u, v)
    yield (
        "cross(u, v) · u, cross(u, v) · v",
        [la.dot(w, u), la.dot(w, v)],
        "orthogonal: zeros",
        [0.0, 0.0],
        _close([la.dot(w, u), la.dot(w, v)], [0, 0]),
    )
    theta = la.angle(u, v)
    yield (
        "angle(u, v) (radians)",
        theta,
        "cos⁻¹(u·v / |u||v|)",
        np.arccos(la.dot(u, v) / (la.norm(u) * la.norm(v))),
        _close(theta, np.arccos(la.dot(u, v) / (la.norm(u) * la.norm(v)))),
    )

    w_eig = la.eigvals(A)
    d = la.det(A)
    yield (
        "det(A) by LU with pivoting",
        d,
        "product of eig(A)",
        np.prod(w_eig).real,
        _close(d, np.prod(w_eig)),
    )
    x = la.solve(A, b)
    yield ("solve(A, b) then A @ x", A @ x, "b", b, _close(A @ x, b))
    yield ("inv(A) @ A", la.inv(A) @ A, "identity", np.eye(4), _close(la.inv(A) @ A, np.eye(4)))

    L = la.cholesky(S)
    yield ("cholesky(S): L @ L.T", L @ L.T, "S", S, _close(L @ L.T, S))

    Q, _ = la.qr(A)
    yield ("qr(A): Q.T @ Q", Q.T @ Q, "identity", np.eye(4), _close(Q.T @ Q, np.eye(4)))
    dependent = np.column_stack([A[:, 0], A[:, 1], A[:, 0] + 2 * A[:, 1]])
    gs = la.gram_schmidt(dependent)
    yield (
        "gram_schmidt: columns dropped",
        gs.dropped,
        "the dependent third column",
        [2],
        list(gs.dropped) == [2],
    )

    evals, V = la.eigh(S)
    yield (
        "eigh(S): sum of eigenvalues",
        evals.sum(),
        "trace(S)",
        la.trace(S),
        _close(evals.sum(), la.trace(S)),
    )
    yield (
        "eigh(S): ||S V - V diag(w)||",
        la.norm(S @ V - V * evals),
        "zero",
        0.0,
        la.norm(S @ V - V * evals) < 1e-12 * la.norm(S),
    )

    U, s, Vt = la.svd(A)
    yield (
        "svd(A): singular values²",
        s**2,
        "eigvalsh(A.T @ A), descending",
        la.eigvalsh(A.T @ A)[::-1],
        _close(s**2, la.eigvalsh(A.T @ A)[::-1]),
    )
    yield (
        "svd(A): ||A - U diag(s) Vt||",
        la.norm(A - (U * s) @ Vt),
        "zero",
        0.0,
        la.norm(A - (U * s) @ Vt) < 1e-12 * la.norm(A),
    )

    M = rng.standard_normal((6, 3)) @ rng.standard_normal((3, 5))  # rank 3
    P = la.pinv(M)
    yield (
        "matrix_rank of a 6x5 rank-3 product",
        la.matrix_rank(M),
        "rank 3",
        3,
        la.matrix_rank(M) == 3,
    )
    yield ("pinv(M): M @ pinv(M) @ M", M @ P @ M, "M (Penrose condition)", M, _close(M @ P @ M, M))

    X = np.column_stack([np.ones(20), np.linspace(0, 1, 20)])
    y = 1.5 + 2.0 * X[:, 1]
    coef = la.lstsq(X, y)[0]
    yield (
        "lstsq: line through exact data",
        coef,
        "intercept 1.5, slope 2",
        [1.5, 2.0],
        _close(coef, [1.5, 2.0]),
    )

    lam, _vec = la.power_iteration(S, rng=0)[:2]
    yield (
        "power_iteration(S): top eigenvalue",
        lam,
        "max of eigh(S)",
        evals[-1],
        _close(lam, evals[-1], 1e-8),
    )
