"""Regenerate the NIST StRD nonlinear-regression LRE table of docs/least_squares.md.

For each of the 27 problems and both NIST starting points, run m4ml's least_squares ("trf",
"lm") and scipy's (same exact Jacobian, from m4ml.autodiff), and print one markdown row: the
smallest LRE over the parameters / over the standard deviations. Run from the repository root:
``PYTHONPATH=src python docs/examples/least_squares_nist_table.py`` (a few minutes).
"""

import sys
import warnings
from pathlib import Path

import numpy as np
import scipy.optimize as so

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.optim.nist_nonlinear import MODELS, NAMES, load, lre  # noqa: E402

from m4ml.autodiff import jacfwd  # noqa: E402
from m4ml.linalg import svd  # noqa: E402
from m4ml.optim import least_squares  # noqa: E402

TOL = {"ftol": 1e-15, "xtol": 1e-15, "gtol": 1e-15, "max_nfev": 20000}


def stds(J, cost, m, n):
    _, s, Vt = svd(J, full_matrices=False)
    cov = (Vt.T / s**2) @ Vt * (2 * cost / (m - n))
    return np.sqrt(np.diag(cov))


def cell(p, s):
    if p < 0:
        return "fails"
    text = f"{p:.1f} / {s:.1f}"
    return f"**{text}**" if p >= 6 and s >= 4 else text


def main():
    print("| problem | difficulty | start | m4ml trf | m4ml lm | scipy trf | scipy lm |")
    print("|---|---|---|---|---|---|---|")
    for name in NAMES:
        p = load(name)
        m, n = p.y.size, p.params.size
        J = jacfwd(p.residuals)

        def jac(b, J=J):
            return np.asarray(J(np.asarray(b, float)), float)

        for k, x0 in enumerate(p.starts, 1):
            cells = []
            for lib, method in (("m4ml", "trf"), ("m4ml", "lm"), ("scipy", "trf"), ("scipy", "lm")):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    if lib == "m4ml":
                        r = least_squares(p.residuals, x0, method=method, **TOL)
                    else:
                        r = so.least_squares(p.residuals_np, x0, jac=jac, method=method, **TOL)
                lp = float(lre(r.x, p.params).min())
                ls = float(lre(stds(r.jac, r.cost, m, n), p.std).min())
                cells.append(cell(lp, ls))
            print(f"| {name} | {MODELS[name][0]} | {k} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
