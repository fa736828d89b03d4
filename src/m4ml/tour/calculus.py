"""The calculus part of the tour: automatic and numerical derivatives, integrals."""

import math

import numpy as np

import m4ml.numpy as mnp
from m4ml import autodiff as ad
from m4ml import calculus as calc


def _agree(a, b, tol=1e-10):
    return bool(np.allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol))


def calculus_checks():
    """Yield (label, value, check label, check value, agree) for autodiff and calculus."""
    x = np.array([0.5, 1.0, 2.0])
    g = ad.grad(lambda x: mnp.sum(mnp.sin(x) * x**2))(x)
    exact = np.cos(x) * x**2 + 2 * x * np.sin(x)
    yield "grad of Σ sin(x)·x² (autodiff)", g, "cos(x)·x² + 2x·sin(x)", exact, _agree(g, exact)

    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 3))
    S = A @ A.T + 3 * np.eye(3)
    G = ad.grad(lambda X: mnp.linalg.slogdet(X)[1])(S)
    r = float(np.abs(S @ G.T - np.eye(3)).max())
    yield "max |S ∇ᵀ - I|, ∇ = grad log det S", r, "0, since ∇ = S⁻ᵀ", 0.0, r < 1e-12

    f = lambda v: mnp.sum(mnp.tanh(v) ** 2)  # noqa: E731
    H = ad.hessian(f)(x)
    yield "hessian: |H - Hᵀ|", float(np.abs(H - H.T).max()), "symmetric: 0", 0.0, _agree(H, H.T)
    Jf, Jr = ad.jacfwd(mnp.sin)(x), ad.jacrev(mnp.sin)(x)
    yield "jacfwd(sin) - jacrev(sin)", float(np.abs(Jf - Jr).max()), "0", 0.0, _agree(Jf, Jr)

    coef = ad.taylor(mnp.exp, 0.0, 1.0, 4)
    ref = [1 / math.factorial(k) for k in range(5)]
    yield "taylor(exp, 0, order 4)", coef, "1/k!", ref, _agree(coef, ref)

    d = calc.derivative(np.sin, 1.0)
    yield "derivative(sin, 1), Richardson", d.df, "cos(1)", math.cos(1.0), _agree(d.df, math.cos(1))

    value, err = calc.quad(lambda t: np.exp(-(t**2)), -np.inf, np.inf)
    yield (
        "quad e^{-x²} over ℝ",
        value,
        "√π",
        math.sqrt(math.pi),
        abs(value - math.sqrt(math.pi)) <= max(err, 1e-14),
    )

    gl = calc.gauss_legendre(lambda t: t**9 - 3 * t**4, -1.0, 1.0, 5)
    yield "Gauss–Legendre, 5 nodes, degree 9", gl, "exact: -6/5", -1.2, _agree(gl, -1.2)

    mc = calc.monte_carlo_integrate(
        lambda p: (p**2).sum(axis=1) <= 1.0, [(-1, 1), (-1, 1)], 2**14, method="sobol", rng=0
    )
    yield (
        "Sobol estimate of the unit disc's area",
        mc.integral,
        "π (within 5 s.e.)",
        math.pi,
        abs(mc.integral - math.pi) <= 5 * mc.standard_error + 1e-3,
    )
