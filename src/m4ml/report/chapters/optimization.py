"""Chapter 5: optimization: optimizers on Rosenbrock, a regularization path, duality."""

import numpy as np

from m4ml import linalg as la
from m4ml import optim
from m4ml.report.chapters._common import guarded
from m4ml.report.figures import new_figure, to_figure
from m4ml.report.model import Check, agree

TITLE = "Optimization"
INTRO = (
    "Gradient methods and their adaptive variants, quasi-Newton minimization, sparse "
    "regression by coordinate descent, and constrained problems with their duals."
)


def rosenbrock(x):
    """f(x, y) = (1 - x)² + 100 (y - x²)²."""
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x):
    """Its gradient, by hand."""
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def _trajectory(opt, x0, steps):
    x, state = np.array(x0, dtype=float), opt.init(np.array(x0, dtype=float))
    path = [x]
    for _ in range(steps):
        x, state = opt.step(x, rosenbrock_grad(x), state)
        path.append(x)
    return np.array(path)


def _optimizers(section, ctx):
    section.text = (
        "Four first-order methods from (-1.5, 2) on the Rosenbrock valley, with the "
        "same budget of steps; BFGS (a quasi-Newton method) reaches the minimum "
        "(1, 1) to the tolerance. The descent step of each method is checked against "
        "its update rule written out by hand."
    )
    section.formulas = [
        r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2",
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\; v_t = \beta_2 v_{t-1} + "
        r"(1-\beta_2) g_t^2,\; x_t = x_{t-1} - \eta\,\frac{m_t/(1-\beta_1^t)}"
        r"{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}",
    ]
    steps = 1500 if ctx.quick else 4000
    x0 = [-1.5, 2.0]
    methods = {
        "gradient descent": optim.SGD(1e-3),
        "momentum 0.9": optim.SGD(2e-4, momentum=0.9),
        "RMSprop": optim.RMSprop(1e-3),
        "Adam": optim.Adam(2e-2),
    }
    paths = {name: _trajectory(opt, x0, steps) for name, opt in methods.items()}
    # one Adam step by hand
    g = rosenbrock_grad(np.array(x0))
    m, v = 0.1 * g, 0.001 * g**2
    by_hand = np.array(x0) - 2e-2 * (m / 0.1) / (np.sqrt(v / 0.001) + 1e-8)
    section.checks.append(
        Check(
            "Adam: first step",
            paths["Adam"][1],
            "update rule by hand",
            by_hand,
            agree(paths["Adam"][1], by_hand, rtol=1e-12),
        )
    )
    res = optim.minimize(rosenbrock, np.array(x0), jac=rosenbrock_grad, method="BFGS")
    section.checks.append(
        Check(
            "minimize(method='BFGS')",
            res.x,
            "the minimum (1, 1)",
            [1.0, 1.0],
            agree(res.x, [1.0, 1.0], atol=1e-5),
            "atol 1e-5",
        )
    )
    fig, (ax, conv) = new_figure(2, width=10.5, height=3.6)
    xs, ys = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))
    ax.contour(
        xs, ys, np.log1p(rosenbrock(np.array([xs, ys]))), levels=20, linewidths=0.5, colors="0.75"
    )
    styles = ["-", "--", "-.", ":"]
    for k, (name, path) in enumerate(paths.items()):
        color = f"C{k}"
        ax.plot(path[:, 0], path[:, 1], styles[k], color=color, lw=1.6, label=name)
        ax.plot(*path[-1], "o", color=color, ms=5)
        values = np.array([rosenbrock(p) for p in path])
        conv.semilogy(
            values + 1e-16, styles[k], color=color, lw=1.4, label=f"{name}: f = {values[-1]:.2g}"
        )
    ax.plot(1, 1, "k*", ms=10)
    ax.set_xlim(-2, 2)
    ax.set_ylim(-1, 3)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"trajectories, {steps} steps each from (-1.5, 2)")
    conv.set_xlabel("step")
    conv.set_ylabel("f(x_t)")
    conv.legend(fontsize=7)
    conv.set_title("objective along the way")
    section.figures.append(to_figure(fig, "Optimizer trajectories on the Rosenbrock function"))


def _path(section, ctx):
    from m4ml.datasets import load_diabetes

    section.text = (
        "The lasso path on the diabetes data: as the penalty α falls, coefficients "
        "enter one by one. At every α the solution satisfies the lasso's optimality "
        "(KKT) conditions, checked here; as α → 0 it tends to least squares."
    )
    section.formulas = [
        r"\hat\beta(\alpha) = \mathrm{arg\,min}_\beta \frac{1}{2n}\|y - X\beta\|_2^2 + "
        r"\alpha\|\beta\|_1",
        r"\left|\tfrac1n x_j^{\top}(y - X\hat\beta)\right| \le \alpha, \text{ "
        r"with equality where } \hat\beta_j \ne 0",
    ]
    X, y = load_diabetes(return_X_y=True)
    X, y = X - X.mean(axis=0), y - y.mean()
    alphas, coefs, _ = optim.lasso_path(
        X, y, n_alphas=30 if ctx.quick else 80, tol=1e-10, max_iter=100000
    )
    worst = 0.0
    for a, w in zip(alphas, coefs.T):
        corr = X.T @ (y - X @ w) / len(y)
        active = np.abs(w) > 0
        worst = max(
            worst,
            float(np.max(np.abs(corr[active] - a * np.sign(w[active])), initial=0.0)) / a,
            float(np.max(np.abs(corr[~active]), initial=0.0)) / a - 1.0,
        )
    section.checks.append(
        Check(
            "lasso_path: worst KKT violation / α",
            worst,
            "subgradient conditions",
            "≤ 1e-4",
            worst <= 1e-4,
        )
    )
    w_small = optim.coordinate_descent(
        X, y, alpha=1e-6, fit_intercept=False, tol=1e-14, max_iter=100000
    ).x
    ols = la.lstsq(X, y)[0]
    section.checks.append(
        Check(
            "coordinate_descent at α = 1e-6",
            w_small[:3],
            "lstsq (QR)",
            ols[:3],
            agree(w_small, ols, rtol=1e-3, atol=1e-2),
            "all 10, rtol 1e-3",
        )
    )
    fig, ax = new_figure(width=5.6, height=3.4)
    for j in range(coefs.shape[0]):
        ax.plot(np.log10(alphas), coefs[j], lw=1.2)
    ax.invert_xaxis()
    ax.set_xlabel("log10 α (penalty falls to the right)")
    ax.set_ylabel("coefficient")
    section.figures.append(to_figure(fig, "Lasso regularization path"))


def _duality(section, ctx):
    section.text = (
        "A convex quadratic program and its Lagrange dual: the solver's primal and "
        "dual objectives meet (zero duality gap, strong duality holds under Slater's "
        "condition), and the multipliers price the active constraint. Then a "
        "Lagrange-multiplier problem with an equality constraint."
    )
    section.formulas = [
        r"\min_x \tfrac12 x^{\top} P x + q^{\top} x \;\text{s.t.}\; Gx \le h, "
        r"\quad g(z) = \inf_x L(x, z) \le p^\star",
        r"\nabla f(x^\star) = \lambda \nabla h(x^\star), \; h(x^\star) = 0",
    ]
    P, q = 2 * np.eye(2), np.array([-2.0, -5.0])
    G = np.array([[1.0, 2.0], [-1.0, 2.0], [-1.0, -2.0], [1.0, -2.0]])
    h = np.array([6.0, 2.0, 2.0, 2.0])
    qp = optim.solve_qp(P, q, G, h)
    g = optim.dual_function(P, q, G, h)(z=qp.z)
    primal = optim.primal_objective(P, q, qp.x)
    section.checks.append(
        Check(
            "primal objective p*",
            primal,
            "dual function g(z*)",
            g,
            agree(primal, g, atol=1e-8),
            "gap ≤ 1e-8",
        )
    )
    # closed form: projection of (1, 2.5) onto the half-plane -x + 2y <= 2
    a, c = np.array([-1.0, 2.0]), np.array([1.0, 2.5])
    exact = c - (a @ c - 2.0) / (a @ a) * a
    section.checks.append(
        Check(
            "solve_qp x*", qp.x, "projection onto -x + 2y ≤ 2", exact, agree(qp.x, exact, atol=1e-8)
        )
    )
    section.checks.append(
        Check(
            "multiplier of the active constraint",
            qp.z[1],
            "2 (a·c - 2) / |a|²",
            2 * (a @ c - 2.0) / (a @ a),
            agree(qp.z[1], 2 * (a @ c - 2.0) / (a @ a), atol=1e-7),
        )
    )
    lag = optim.lagrange(
        lambda v: v[0] + 2 * v[1], [lambda v: v[0] ** 2 + v[1] ** 2 - 1], np.array([-0.4, -0.8])
    )
    exact = -np.array([1.0, 2.0]) / np.sqrt(5)
    section.checks.append(
        Check(
            "lagrange: min x + 2y on the unit circle",
            lag.x,
            "-(1, 2)/√5",
            exact,
            agree(lag.x, exact, atol=1e-9),
        )
    )


SECTIONS = [
    ("Optimizers on the Rosenbrock valley", "rosenbrock", _optimizers),
    ("A regularization path", "lasso-path", _path),
    ("Lagrange multipliers and duality", "duality", _duality),
]


def build(ctx):
    """The chapter's sections, each guarded."""
    return [guarded(title, anchor, fn, ctx) for title, anchor, fn in SECTIONS]
