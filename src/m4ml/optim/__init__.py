"""m4ml.optim: optimization, from objective functions to constrained convex programs.

Objectives
    mse, mae, huber, binary_cross_entropy, softmax_cross_entropy (cross_entropy: its deprecated
    old name), hinge, squared_hinge, log_cosh;
    l1, l2, elastic_net and their proximal operators prox_l1, prox_l2, prox_elastic_net;
    is_convex
Gradient-descent training (functional optimizers over pytrees)
    SGD, AdaGrad, RMSprop, Adam, AdamW; schedules constant, step_decay, exponential_decay,
    cosine_decay, warmup; clip_by_value, clip_by_global_norm, with_clipping; fit_gd
Minimization
    minimize (gd, momentum, nesterov, cg, bfgs, lbfgs, newton, newton-cg, trust-ncg,
    projected-lbfgs, nelder-mead; SciPy's names case-insensitively; general constraints go to
    minimize_constrained), OptimizeResult, FiniteDifferenceWarning, ConvergenceWarning,
    strong_wolfe, armijo_backtracking; proximal_gradient (ISTA/FISTA), coordinate_descent,
    lasso_path, enet_path
Nonlinear least squares
    least_squares (trust-region reflective, Levenberg-Marquardt; robust losses), curve_fit,
    OptimizeWarning
Constraints and duality
    lagrange, minimize_constrained (SQP, augmented Lagrangian), solve_qp, linprog,
    dual_function, duality_gap, kkt_residuals
Hyperparameter search
    grid_search, random_search
Loss landscapes
    loss_slice_1d, loss_slice_2d, interpolate_losses, filter_normalized_direction,
    hessian_eigenvalues (Lanczos), hessian_trace (Hutchinson), hessian_spectral_density
    (stochastic Lanczos quadrature), plot_loss_surface, plot_spectral_density
"""

from m4ml._core.errors import ConvergenceWarning
from m4ml.optim._derivatives import FiniteDifferenceWarning
from m4ml.optim._qp_result import QPResult
from m4ml.optim._result import OptimizeResult
from m4ml.optim.clipping import clip_by_global_norm, clip_by_value, global_norm, with_clipping
from m4ml.optim.constrained import minimize_constrained
from m4ml.optim.convexity import ConvexityResult, is_convex
from m4ml.optim.coordinate_descent import coordinate_descent, enet_path, lasso_path
from m4ml.optim.curve_fit import OptimizeWarning, curve_fit
from m4ml.optim.duality import (
    KKTResiduals,
    dual_function,
    duality_gap,
    kkt_residuals,
    primal_objective,
)
from m4ml.optim.lagrange import lagrange
from m4ml.optim.landscape import (
    filter_normalized_direction,
    hessian_eigenvalues,
    hessian_spectral_density,
    hessian_trace,
    interpolate_losses,
    loss_slice_1d,
    loss_slice_2d,
    plot_loss_surface,
    plot_spectral_density,
)
from m4ml.optim.least_squares import least_squares
from m4ml.optim.linesearch import LineSearchResult, armijo_backtracking, strong_wolfe
from m4ml.optim.linprog import LinprogResult, linprog
from m4ml.optim.losses import huber, log_cosh, mae, mse
from m4ml.optim.losses_classification import (
    binary_cross_entropy,
    cross_entropy,
    hinge,
    softmax_cross_entropy,
    squared_hinge,
)
from m4ml.optim.minimize import minimize
from m4ml.optim.optimizers import SGD, AdaGrad, Adam, AdamW, Optimizer, OptState, RMSprop
from m4ml.optim.proximal import proximal_gradient
from m4ml.optim.qp import solve_qp
from m4ml.optim.regularizers import elastic_net, l1, l2, prox_elastic_net, prox_l1, prox_l2
from m4ml.optim.schedules import (
    as_schedule,
    constant,
    cosine_decay,
    exponential_decay,
    step_decay,
    warmup,
)
from m4ml.optim.search import SearchResult, grid_search, random_search
from m4ml.optim.training import History, fit_gd

__all__ = [
    "SGD",
    "AdaGrad",
    "Adam",
    "AdamW",
    "ConvergenceWarning",
    "ConvexityResult",
    "FiniteDifferenceWarning",
    "History",
    "KKTResiduals",
    "LineSearchResult",
    "LinprogResult",
    "OptState",
    "OptimizeResult",
    "OptimizeWarning",
    "Optimizer",
    "QPResult",
    "RMSprop",
    "SearchResult",
    "armijo_backtracking",
    "as_schedule",
    "binary_cross_entropy",
    "clip_by_global_norm",
    "clip_by_value",
    "constant",
    "coordinate_descent",
    "cosine_decay",
    "cross_entropy",
    "curve_fit",
    "dual_function",
    "duality_gap",
    "elastic_net",
    "enet_path",
    "exponential_decay",
    "filter_normalized_direction",
    "fit_gd",
    "global_norm",
    "grid_search",
    "hessian_eigenvalues",
    "hessian_spectral_density",
    "hessian_trace",
    "hinge",
    "huber",
    "interpolate_losses",
    "is_convex",
    "kkt_residuals",
    "l1",
    "l2",
    "lagrange",
    "lasso_path",
    "least_squares",
    "linprog",
    "log_cosh",
    "loss_slice_1d",
    "loss_slice_2d",
    "mae",
    "minimize",
    "minimize_constrained",
    "mse",
    "plot_loss_surface",
    "plot_spectral_density",
    "primal_objective",
    "prox_elastic_net",
    "prox_l1",
    "prox_l2",
    "proximal_gradient",
    "random_search",
    "softmax_cross_entropy",
    "solve_qp",
    "squared_hinge",
    "step_decay",
    "strong_wolfe",
    "warmup",
    "with_clipping",
]
