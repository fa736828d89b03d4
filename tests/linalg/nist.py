"""NIST StRD linear least-squares reference problems: loader, model matrices, LRE table.

The eleven data sets in ``tests/data/nist-strd`` carry their certified values in their headers;
they are parsed from there, never retyped. ``lre_table()`` returns, per set, the smallest log
relative error over the certified coefficients for m4ml's ``lstsq``, ``numpy.linalg.lstsq`` and
plain (unscaled, unpivoted) Householder QR, for the documentation::

    python -c "from tests.linalg.nist import lre_markdown; print(lre_markdown())"
"""

import math
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "nist-strd"
NAMES = (
    "Norris",
    "Pontius",
    "NoInt1",
    "NoInt2",
    "Filip",
    "Longley",
    "Wampler1",
    "Wampler2",
    "Wampler3",
    "Wampler4",
    "Wampler5",
)
LRE_CAP = 15.0

_BLOCK = re.compile(r"(Certified Values|Data)\s*\(lines\s+(\d+)\s+to\s+(\d+)\)")
_PARAM = re.compile(r"^\s*B(\d+)\s+(\S+)\s+(\S+)\s*$")
_RESID_SD = re.compile(r"^\s*Standard Deviation\s+(\S+)\s*$")


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
    """Parse ``<name>.dat``: certified values from its header, data from its body."""
    lines = (DATA_DIR / f"{name}.dat").read_text().splitlines()
    blocks = {}
    for line in lines[:15]:
        for kind, start, stop in _BLOCK.findall(line):
            blocks[kind] = (int(start), int(stop))
    c0, c1 = blocks["Certified Values"]
    params, sds, resid_sd = {}, {}, None
    for line in lines[c0 - 1 : c1]:
        if match := _PARAM.match(line):
            params[int(match[1])] = float(match[2])
            sds[int(match[1])] = float(match[3])
        elif (match := _RESID_SD.match(line)) and resid_sd is None:
            resid_sd = float(match[1])
    d0, d1 = blocks["Data"]
    rows = [
        [float(tok) for tok in line.split()]
        for line in lines[d0 - 1 : d1]
        if line.strip() and not line.lstrip().startswith("Data")
    ]
    data = np.array(rows)
    y, X = data[:, 0], data[:, 1:]
    order = sorted(params)
    A = _design(name, X, len(order))
    if A.shape[1] != len(order):
        raise ValueError(f"{name}: model has {A.shape[1]} columns but {len(order)} parameters")
    beta = np.array([params[i] for i in order])
    beta_sd = np.array([sds[i] for i in order])
    return NistProblem(name, A, y, beta, beta_sd, resid_sd)


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
