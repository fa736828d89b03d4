"""Random feasible QPs and LPs shared by the optim tests (private helper of this folder)."""


def random_qp(rng, n, m, p=0, rank=None):
    """A feasible convex QP: P = M M^T (rank ``rank``), a strictly feasible point x0."""
    rank = n if rank is None else rank
    M = rng.standard_normal((n, rank))
    P = M @ M.T / max(rank, 1)
    q = rng.standard_normal(n)
    G = rng.standard_normal((m, n))
    x0 = rng.standard_normal(n)
    h = G @ x0 + rng.random(m) + 0.1
    A = rng.standard_normal((p, n))
    b = A @ x0
    return P, q, G, h, A, b
