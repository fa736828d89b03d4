"""m4ml.optim: optimization — minimize and its line searches (more to come: losses,
optimizers, constrained and convex solvers).

Minimization
    minimize, OptimizeResult
Line searches
    armijo_backtracking, strong_wolfe, LineSearchResult
"""

from m4ml.optim._result import OptimizeResult
from m4ml.optim.linesearch import LineSearchResult, armijo_backtracking, strong_wolfe
from m4ml.optim.minimize import minimize

__all__ = [
    "LineSearchResult",
    "OptimizeResult",
    "armijo_backtracking",
    "minimize",
    "strong_wolfe",
]
