"""Measures and the matrix strategy shared by the badly-scaled factorization tests.

Norms are computed with scaling (``nrm``), so the tests themselves do not underflow;
``mixed_matrices`` mixes O(1) entries with entries, rows and columns scaled by 10**k,
k in [-160, 150].
"""

import numpy as np
from hypothesis import strategies as st

BAR = 1e-12


def nrm(x):
    """Frobenius norm computed on x / max|x| (no underflow of the squares)."""
    big = float(np.abs(x).max()) if x.size else 0.0
    return 0.0 if big == 0.0 else big * float(np.linalg.norm(x / big))


def rel(r, a):
    """Scaled relative norm ||r|| / ||a|| (||r|| when a is zero)."""
    na = nrm(a)
    return nrm(r) / na if na else nrm(r)


def orth(q):
    """Loss of orthogonality ||Q^T Q - I|| of the columns of q."""
    return nrm(q.T @ q - np.eye(q.shape[1]))


@st.composite
def mixed_matrices(draw, square=False, symmetric=False):
    """O(1) entries mixed with entries, rows and columns scaled by 10**k, k in [-160, 150]."""
    m = draw(st.integers(1, 7))
    n = m if square or symmetric else draw(st.integers(1, 7))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((m, n))
    kind = draw(st.sampled_from(["entries", "rows", "cols", "rows_cols"]))
    if kind == "entries":
        mask = rng.random((m, n)) < 0.5
        a = np.where(mask, a * 10.0 ** rng.uniform(-160, 150, (m, n)), a)
    else:
        exps = [0.0, -160.0, -155.0, 150.0, -100.0]
        r = rng.choice(exps, size=(m, 1)) if "rows" in kind else np.zeros((m, 1))
        c = rng.choice(exps, size=(1, n)) if "cols" in kind else np.zeros((1, n))
        a = a * 10.0 ** np.clip(r + c, -160, 150)
    if symmetric:
        a = np.tril(a) + np.tril(a, -1).T
    return a
