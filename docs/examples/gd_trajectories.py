"""GD, momentum, RMSprop and Adam on the Rosenbrock function (docs/optimization.md).

Run ``python docs/examples/gd_trajectories.py [out.png]``. Every method starts at (-1.5, 2)
and takes 3000 steps with the m4ml optimizers (gradients from m4ml.autodiff); the left panel
draws the trajectories over the contours of

    f(x, y) = (1 - x)^2 + 100 (y - x^2)^2,

minimum at (1, 1), and the right panel the objective per step on a log scale.
"""

import sys
from pathlib import Path

import numpy as np

from m4ml.autodiff import grad
from m4ml.optim.optimizers import SGD, Adam, RMSprop

START = np.array([-1.5, 2.0])
STEPS = 3000


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


METHODS = {
    "gradient descent (lr 1e-3)": SGD(1e-3),
    "momentum 0.9 (lr 1.5e-4)": SGD(1.5e-4, momentum=0.9),
    "RMSprop (lr 1e-3)": RMSprop(1e-3),
    "Adam (lr 2e-2)": Adam(2e-2),
}


def trajectory(opt, steps=STEPS):
    """The iterates of ``opt`` on Rosenbrock from START, as an array (steps + 1, 2)."""
    g = grad(rosenbrock)
    p, state = START.copy(), opt.init(START)
    path = [p]
    for _ in range(steps):
        p, state = opt.step(p, g(p), state)
        path.append(p)
    return np.array(path)


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out) if out else Path(__file__).with_suffix(".png")
    paths = {name: trajectory(opt) for name, opt in METHODS.items()}
    x, y = np.meshgrid(np.linspace(-2, 2, 300), np.linspace(-1, 3, 300))
    z = (1 - x) ** 2 + 100 * (y - x**2) ** 2
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
    left.contour(x, y, np.log10(z + 1e-3), levels=30, cmap="Greys", linewidths=0.6)
    for name, path in paths.items():
        left.plot(path[:, 0], path[:, 1], lw=1.2, label=name)
        vals = (1 - path[:, 0]) ** 2 + 100 * (path[:, 1] - path[:, 0] ** 2) ** 2
        right.semilogy(vals + 1e-16, lw=1.2, label=name)
    left.plot(*START, "ko")
    left.plot(1, 1, "r*", ms=12)
    left.set(title="trajectories on Rosenbrock", xlabel="x", ylabel="y", xlim=(-2, 2), ylim=(-1, 3))
    right.set(title="f per step", xlabel="step", ylabel="f(x, y)")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    for name, path in paths.items():
        print(f"{name:28s} end {np.round(path[-1], 4)}  f = {rosenbrock(path[-1]):.3e}")
    return out


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
