r"""
``minimize``: BFGS versus Newton
================================

Quasi-Newton methods build a curvature model from gradients; Newton's method uses the exact
Hessian (here from automatic differentiation) and converges quadratically near the minimum.
"""

import numpy as np

import m4ml.numpy as mnp
from m4ml.autodiff import grad, hessian
from m4ml.optim import minimize


def rosen(z):
    return mnp.sum(100.0 * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2)


x0 = np.array([-1.2, 1.0, -0.5, 0.8])
for method, kw in [
    ("BFGS", {"jac": grad(rosen)}),
    ("Newton-CG", {"jac": grad(rosen), "hess": hessian(rosen)}),
]:
    res = minimize(rosen, x0, method=method, **kw)
    print(f"{method:>9}: x = {np.round(res.x, 6)}, f = {res.fun:.2e}, iterations = {res.nit}")
