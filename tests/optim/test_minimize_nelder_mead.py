"""The derivative-free Nelder-Mead method of m4ml.optim.minimize (reference:
scipy.optimize.minimize's Nelder-Mead, move for move; method in m4ml.optim.methods_nelder_mead)."""

import numpy as np
import pytest
import scipy.optimize as so

from m4ml.optim.minimize import minimize


def _beale(x):
    return ((1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2
            + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2)  # fmt: skip


def _himmelblau(x):
    return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2


NM_CASES = [
    (so.rosen, [-1.2, 1.0]),
    (so.rosen, [1.3, 0.7, 0.8, 1.9, 1.2]),
    (_beale, [1.0, 1.0]),
    (_himmelblau, [0.0, 0.0]),
    (lambda x: float(np.abs(x).sum()), [1.0, -2.0, 0.5]),
]


@pytest.mark.parametrize("adaptive", [False, True])
@pytest.mark.parametrize("case", range(len(NM_CASES)))
def test_nelder_mead_matches_scipy(case, adaptive):
    f, x0 = NM_CASES[case]
    opts = {"xatol": 1e-8, "fatol": 1e-8, "adaptive": adaptive, "maxfev": 5000}
    ref = so.minimize(f, np.array(x0), method="Nelder-Mead", options=dict(opts, maxiter=5000))
    r = minimize(f, x0, method="nelder-mead", max_iter=5000, options=opts)
    assert r.success == ref.success and r.status == 0
    assert r.nfev == ref.nfev  # the same simplex moves, one by one
    np.testing.assert_allclose(r.x, ref.x, atol=1e-10)
    np.testing.assert_allclose(r.fun, ref.fun, rtol=1e-6, atol=1e-12)
    sim, fsim = r.final_simplex
    assert sim.shape == (len(x0) + 1, len(x0)) and np.all(np.diff(fsim) >= 0)


def test_nelder_mead_uses_no_derivatives_limits_and_bounds():
    calls = []

    def f(x):
        calls.append(1)
        return float(np.sum((x - 3.0) ** 2))

    r = minimize(f, [0.0, 0.0], method="nelder-mead", options={"maxfev": 30})
    assert r.status == 1 and r.nfev == len(calls) and r.nfev <= 32 and "evaluations" in r.message
    assert r.njev == 0
    r = minimize(f, [0.0, 0.0], method="nelder-mead", bounds=[(None, 1.0), (-1.0, 1.0)], tol=1e-9)
    np.testing.assert_allclose(r.x, [1.0, 1.0], atol=1e-7)
    r = minimize(f, [0.0, 0.0], method="nelder-mead", max_iter=3)
    assert r.status == 1 and r.nit == 3 and "iterations" in r.message
    with pytest.raises(ValueError, match="xatol"):
        minimize(f, [0.0], method="nelder-mead", options={"xatol": -1.0})
    with pytest.raises(ValueError, match="initial_simplex"):
        minimize(f, [0.0], method="nelder-mead", options={"initial_simplex": np.zeros((3, 1))})
    with pytest.raises(ValueError, match="NaN or inf at x0"):
        minimize(lambda x: np.nan, [0.0], method="nelder-mead")
