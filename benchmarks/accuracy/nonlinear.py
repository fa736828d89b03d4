"""NIST StRD nonlinear regression: m4ml's least_squares vs scipy.optimize.least_squares.

The 27 problems and their models come from ``tests/optim/nist_nonlinear.py`` (the data files
are in ``tests/data/nist-strd``; the test there checks each transcribed model against its
certified residual sum of squares). Each (problem, start) pair is solved from NIST's two starting
points by the trust-region reflective and Levenberg-Marquardt methods of both libraries, with
tolerances 1e-15 and the same exact Jacobian (from :mod:`m4ml.autodiff`); the standard
deviations are :math:`\\sqrt{\\mathrm{diag}(s^2 (J^\\top J)^{-1})}` from each result's ``jac``.
"""

import warnings

import numpy as np

from benchmarks.accuracy import lre

TOL = {"ftol": 1e-15, "xtol": 1e-15, "gtol": 1e-15, "max_nfev": 20000}
METHODS = ("m4ml trf", "m4ml lm", "scipy trf", "scipy lm")


def names():
    from tests.optim.nist_nonlinear import NAMES

    return NAMES


def _stds(J, cost, m, n):
    _, s, Vt = np.linalg.svd(J, full_matrices=False)
    cov = (Vt.T / s**2) @ Vt * (2 * cost / (m - n))
    return np.sqrt(np.diag(cov))


def run(name):
    """``{"<name> (start k)": {method: {quantity: [LRE, ...]}}}`` for both starts."""
    import scipy.optimize as so
    from tests.optim.nist_nonlinear import MODELS, load

    from m4ml.autodiff import jacfwd
    from m4ml.optim import least_squares

    p = load(name)
    m, n = p.y.size, p.params.size
    J = jacfwd(p.residuals)

    def jac(b):
        return np.asarray(J(np.asarray(b, float)), float)

    out = {}
    for k, x0 in enumerate(p.starts, 1):
        row = {}
        for method in METHODS:
            lib, how = method.split()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if lib == "m4ml":
                    r = least_squares(p.residuals, x0, method=how, **TOL)
                else:
                    r = so.least_squares(p.residuals_np, x0, jac=jac, method=how, **TOL)
                sd = _stds(np.asarray(r.jac, float), r.cost, m, n)
            row[method] = {
                "beta": lre(r.x, p.params),
                "beta_sd": lre(sd, p.std),
                "rss": lre(2 * r.cost, p.rss),
            }
        out[f"{name} (start {k})"] = {"difficulty": MODELS[name][0], **row}
    return out
