"""Numerical differentiation and integration: m4ml.calculus vs scipy.integrate / differentiate."""

import math

import numpy as np

from benchmarks.workload import Workload

# quad integrands: the NumPy function, given to both (identical inputs; scipy calls it on
# scalars, m4ml on arrays of nodes), and a math.* twin for scipy alone, its cheapest callback
_QUAD_CASES = {
    "x^-1/2 on [0, 1]": ((lambda x: x**-0.5), (lambda x: x**-0.5), 0.0, 1.0),
    "log x on [0, 1]": (np.log, math.log, 0.0, 1.0),
    "exp(-x^2) on R": ((lambda x: np.exp(-x * x)), (lambda x: math.exp(-x * x)), -np.inf, np.inf),
    "x^2 cos 30x on [0, 2]": (
        (lambda x: x * x * np.cos(30 * x)),
        (lambda x: x * x * math.cos(30 * x)),
        0.0,
        2.0,
    ),
    "1/((x-.3)^2+1e-4) on [0, 1]": (
        (lambda x: 1 / ((x - 0.3) ** 2 + 1e-4)),
        (lambda x: 1 / ((x - 0.3) ** 2 + 1e-4)),
        0.0,
        1.0,
    ),
}


def _quad_workload(name, case, same_function):
    vec, scalar, a, b = case
    scalar = vec if same_function else scalar

    def m4ml(f, a, b):
        from m4ml.calculus.quad import quad

        return quad(f, a, b)

    def reference(f, a, b):
        import scipy.integrate

        return scipy.integrate.quad(scalar, a, b)

    return Workload(
        name=f"quad {name}" + ("" if same_function else " (scipy given a math.* twin)"),
        group="calculus",
        setup=lambda: (vec, a, b),
        m4ml=m4ml,
        reference=reference,
        reference_name="scipy.integrate.quad",
        target=2.0 if same_function else None,
        repeats=21,
    )


def _costly_setup():
    # an integrand costing ~50 µs per call whatever its input size (a small model evaluation)
    w = np.random.default_rng(0).standard_normal((64, 64)) / 8

    def f(x):
        h = np.tanh(np.multiply.outer(np.atleast_1d(x), w[0]) @ w)
        out = h.sum(axis=-1) * np.exp(-(np.atleast_1d(x) ** 2))
        return out if np.ndim(x) else float(out[0])

    return (f,)


def _quad_costly_m4ml(f):
    from m4ml.calculus.quad import quad

    return quad(f, -np.inf, np.inf)


def _quad_costly_ref(f):
    import scipy.integrate

    return scipy.integrate.quad(f, -np.inf, np.inf)


def _dblquad_setup():
    return (lambda y, x: np.exp(-(x * x + y * y) / 2) * np.cos(x * y),)


def _dblquad_m4ml(f):
    from m4ml.calculus.multiple import dblquad

    return dblquad(f, -3, 3, -3, 3)


def _dblquad_ref(f):
    import scipy.integrate

    return scipy.integrate.dblquad(f, -3, 3, -3, 3)


def _derivative_setup():
    return (np.linspace(0.1, 5.0, 1000),)


def _derivative_m4ml(x):
    from m4ml.calculus.differentiation import derivative

    return derivative(np.sin, x).df


def _derivative_ref(x):
    import scipy.differentiate

    return scipy.differentiate.derivative(np.sin, x).df


def _samples_setup():
    x = np.sort(np.random.default_rng(1).uniform(0, 10, 1_000_001))
    return np.sin(x) * np.exp(-x / 5), x


def _simpson_m4ml(y, x):
    from m4ml.calculus.quadrature_rules import simpson

    return simpson(y, x=x)


def _simpson_ref(y, x):
    import scipy.integrate

    return scipy.integrate.simpson(y, x=x)


def _mc_setup():
    return (lambda p: np.exp(-0.5 * np.sum(p * p, axis=1)),)


def _mc_m4ml(f):
    from m4ml.calculus.monte_carlo import monte_carlo_integrate

    return monte_carlo_integrate(f, [(-3, 3)] * 5, n=8 * 4096, method="sobol", rng=0)


def _mc_ref(f):  # the same integrand, with scipy's (d, n) point layout
    import scipy.integrate
    from scipy.stats import qmc

    return scipy.integrate.qmc_quad(
        lambda x: np.exp(-0.5 * np.sum(x * x, axis=0)),
        [-3] * 5,
        [3] * 5,
        n_points=4096,
        qrng=qmc.Sobol(5, seed=0),
    )


WORKLOADS = [
    _quad_workload(name, case, same) for same in (True, False) for name, case in _QUAD_CASES.items()
] + [
    Workload(
        name="quad, costly integrand on R",
        group="calculus",
        setup=_costly_setup,
        m4ml=_quad_costly_m4ml,
        reference=_quad_costly_ref,
        reference_name="scipy.integrate.quad",
        target=2.0,
    ),
    Workload(
        name="dblquad gaussian * cos(xy) on [-3, 3]^2",
        group="calculus",
        setup=_dblquad_setup,
        m4ml=_dblquad_m4ml,
        reference=_dblquad_ref,
        reference_name="scipy.integrate.dblquad",
        repeats=3,
    ),
    Workload(
        name="derivative of sin at 1000 points",
        group="calculus",
        setup=_derivative_setup,
        m4ml=_derivative_m4ml,
        reference=_derivative_ref,
        reference_name="scipy.differentiate.derivative",
    ),
    Workload(
        name="simpson, 1e6 uneven samples",
        group="calculus",
        setup=_samples_setup,
        m4ml=_simpson_m4ml,
        reference=_simpson_ref,
        reference_name="scipy.integrate.simpson",
    ),
    Workload(
        name="Sobol QMC, 5-D gaussian, 32768 points",
        group="calculus",
        setup=_mc_setup,
        m4ml=_mc_m4ml,
        reference=_mc_ref,
        reference_name="scipy.integrate.qmc_quad",
    ),
]
