"""Lasso and elastic-net regularization paths (docs/optimization.md).

Run ``python docs/examples/lasso_path.py [out.png]``: on the diabetes-like synthetic problem
below (10 features, 4 of them truly zero) the coefficients are traced by coordinate descent
(:func:`m4ml.optim.coordinate_descent.lasso_path` / ``enet_path``) as ``alpha`` decreases from
``alpha_max``, where every coefficient is exactly zero, to ``alpha_max / 1000``. The right panel
shows how many coefficients are exactly zero along each path.
"""

import sys
from pathlib import Path

import numpy as np


def data(rng):
    n, p = 150, 10
    cov = 0.5 ** np.abs(np.subtract.outer(np.arange(p), np.arange(p)))
    X = rng.standard_normal((n, p)) @ np.linalg.cholesky(cov).T
    w = np.array([3.0, -2.0, 0.0, 1.5, 0.0, 0.0, -1.0, 0.5, 0.0, 0.8])
    y = X @ w + 0.5 * rng.standard_normal(n)
    return X - X.mean(0), y - y.mean(), w


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from m4ml.optim.coordinate_descent import enet_path, lasso_path

    out = Path(out) if out else Path(__file__).with_suffix(".png")
    X, y, _ = data(np.random.default_rng(0))
    alphas, coefs, _ = lasso_path(X, y, n_alphas=80, tol=1e-10)
    e_alphas, e_coefs, _ = enet_path(X, y, l1_ratio=0.5, n_alphas=80, tol=1e-10)

    fig, (left, mid, right) = plt.subplots(1, 3, figsize=(14, 4.2))
    for ax, a, c, title in (
        (left, alphas, coefs, "lasso"),
        (mid, e_alphas, e_coefs, "elastic net, l1_ratio = 0.5"),
    ):
        for j in range(c.shape[0]):
            ax.plot(a, c[j], lw=1.4, label=f"w{j}")
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.axhline(0.0, color="grey", lw=0.6)
        ax.set(xlabel=r"$\alpha$ (decreasing)", ylabel="coefficient", title=f"{title} path")
    left.legend(frameon=False, ncol=2, fontsize=8)
    right.plot(alphas, (coefs == 0).sum(0), label="lasso")
    right.plot(e_alphas, (e_coefs == 0).sum(0), label="elastic net")
    right.set_xscale("log")
    right.invert_xaxis()
    right.set(xlabel=r"$\alpha$", ylabel="exact zeros", title="sparsity along the path")
    right.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
