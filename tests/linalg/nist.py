"""NIST StRD linear least-squares reference problems: loader, model matrices, LRE table.

The eleven data sets ship with m4ml; :func:`m4ml.datasets.load_nist` parses their certified
values from the file headers (never retyped) and this module builds NIST's model matrices.
``lre_table()`` returns, per set, the smallest log relative error over the certified
coefficients for m4ml's ``lstsq``, ``numpy.linalg.lstsq`` and plain (unscaled, unpivoted)
Householder QR, for the documentation::

    python -c "from tests.linalg.nist import lre_markdown; print(lre_markdown())"
"""

import math
from typing import NamedTuple

import numpy as np

from m4ml.datasets import load_nist
from m4ml.datasets.nist import LINEAR

NAMES = LINEAR
LRE_CAP = 15.0


class NistProblem(NamedTuple):
    """One certified problem: design matrix ``A`` (model as NIST defines it), response ``y``."""

    name: str
    A: np.ndarray
    y: np.ndarray
    beta: np.ndarray  # certified coefficients, in the order of A's columns
    beta_sd: np.ndarray  # certified standard deviations of the estimates
    residual_sd: float  # certified residual standard deviation


def _design(name, X, n_params):
    """The model matrix: NoInt y = B1 x; Longley y = B0 + sum B_j x_j; else a polynomial in x."""
    if name.startswith("NoInt"):
        return X[:, :1].copy()
    if name == "Longley":
        return np.column_stack([np.ones(X.shape[0]), X])
    x = X[:, 0]
    return np.column_stack([x**j for j in range(n_params)])


def load(name):
    """The set as parsed by :func:`m4ml.datasets.load_nist`, with NIST's model matrix."""
    data = load_nist(name)
    beta = data.certified["beta"]
    A = _design(name, data.X, beta.size)
    if A.shape[1] != beta.size:
        raise ValueError(f"{name}: model has {A.shape[1]} columns but {beta.size} parameters")
    return NistProblem(
        name, A, data.y, beta, data.certified["beta_sd"], data.certified["residual_sd"]
    )


def lre(estimate, certified):
    """Log relative error :math:`-\\log_{10}(|e - c| / |c|)` per entry, capped at 15."""
    estimate = np.atleast_1d(np.asarray(estimate, dtype=float))
    certified = np.atleast_1d(np.asarray(certified, dtype=float))
    out = np.empty(certified.shape)
    for i, (e, c) in enumerate(zip(estimate, certified, strict=True)):
        if not math.isfinite(e):
            out[i] = 0.0
            continue
        err = abs(e - c) / abs(c)
        out[i] = LRE_CAP if err == 0 else min(LRE_CAP, max(0.0, -math.log10(err)))
    return out


def fit_m4ml(A, y):
    from m4ml.linalg.lstsq import lstsq

    return lstsq(A, y)[0]


def fit_numpy(A, y):
    return np.linalg.lstsq(A, y, rcond=None)[0]


def fit_householder(A, y):
    """Plain Householder QR, no column scaling or pivoting: x = R^{-1} Q^T y."""
    import scipy.linalg

    from m4ml.linalg.qr import qr

    Q, R = qr(A)
    return scipy.linalg.solve_triangular(R, Q.T @ y)


METHODS = {
    "m4ml.lstsq": fit_m4ml,
    "numpy.linalg.lstsq": fit_numpy,
    "Householder QR": fit_householder,
}


def lre_table():
    """Rows ``(set, min LRE m4ml lstsq, min LRE numpy lstsq, min LRE plain Householder QR)``."""
    rows = []
    for name in NAMES:
        p = load(name)
        lres = (float(lre(fit(p.A, p.y), p.beta).min()) for fit in METHODS.values())
        rows.append((name, *lres))
    return rows


def lre_markdown():
    """The LRE table as Markdown (higher is better; 15 = agrees to all printed digits)."""
    out = ["| data set | " + " | ".join(METHODS) + " |", "|---" * (len(METHODS) + 1) + "|"]
    out += [f"| {r[0]} | " + " | ".join(f"{v:.1f}" for v in r[1:]) + " |" for r in lre_table()]
    return "\n".join(out)
