"""m4ml.calculus: numerical differentiation and integration (1-D, multivariable, Monte Carlo).

Differentiation: :func:`derivative` (Richardson extrapolation, error estimate),
:func:`gradient_fd`, :func:`jacobian_fd`, :func:`hessian_fd`.

Integration of samples: :func:`trapezoid`, :func:`simpson`. Of functions: :func:`romberg`,
:func:`gauss_legendre`, :func:`quad` (adaptive Gauss–Kronrod, infinite limits),
:func:`dblquad`, :func:`tplquad`, :func:`nquad`, :func:`monte_carlo_integrate` (with the
:func:`halton` and :func:`sobol` sequences). The integrators follow ``scipy.integrate``'s
calling conventions.
"""

from m4ml.calculus.differentiation import (
    DerivativeResult,
    derivative,
    gradient_fd,
    hessian_fd,
    jacobian_fd,
)
from m4ml.calculus.extrapolation import wynn_epsilon
from m4ml.calculus.gauss import gauss_legendre, gauss_legendre_nodes, kronrod_nodes
from m4ml.calculus.low_discrepancy import halton, sobol
from m4ml.calculus.monte_carlo import MonteCarloResult, monte_carlo_integrate
from m4ml.calculus.multiple import dblquad, nquad, tplquad
from m4ml.calculus.quad import quad
from m4ml.calculus.quadrature_rules import romberg, simpson, trapezoid
from m4ml.calculus.warnings import IntegrationWarning

__all__ = [
    "DerivativeResult",
    "IntegrationWarning",
    "MonteCarloResult",
    "dblquad",
    "derivative",
    "gauss_legendre",
    "gauss_legendre_nodes",
    "gradient_fd",
    "halton",
    "hessian_fd",
    "jacobian_fd",
    "kronrod_nodes",
    "monte_carlo_integrate",
    "nquad",
    "quad",
    "romberg",
    "simpson",
    "sobol",
    "tplquad",
    "trapezoid",
    "wynn_epsilon",
]
