"""Loss landscape of a small MLP on digits: a 2-D filter-normalized slice around the trained
weights, and the Hessian's spectral density before and after training (m4ml.optim.landscape).

Run: ``PYTHONPATH=src python docs/examples/loss_landscape.py``; writes loss_landscape.png.
"""

from pathlib import Path

import numpy as np


def main():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.datasets import load_digits

    from m4ml import nn
    from m4ml.optim import (
        Adam,
        hessian_eigenvalues,
        hessian_spectral_density,
        loss_slice_2d,
        plot_loss_surface,
        plot_spectral_density,
    )

    X, y = load_digits(return_X_y=True)
    X = X[:500] / 16.0
    y = y[:500]
    net = nn.Sequential(nn.Dense(32), nn.Activation("tanh"), nn.Dense(10))
    params0, state = net.init(0, (64,))

    def loss(p):
        return nn.cross_entropy_loss(net.apply(p, state, X)[0], y)

    params, state, _ = nn.train(net, params0, state, X, y, optimizer=Adam(1e-2), epochs=60,
                                batch_size=50, rng=0, progress=False)  # fmt: skip
    grid = np.linspace(-1.0, 1.0, 25)
    A, B, L = loss_slice_2d(loss, params, grid, grid, rng=1)
    fig = plt.figure(figsize=(11, 3.6))
    plot_loss_surface(A, B, L, ax=fig.add_subplot(1, 3, 1), log=True)
    fig.axes[0].set_title("log10 loss, 2-D slice (trained)")
    plot_loss_surface(A, B, L, kind="surface", ax=fig.add_subplot(1, 3, 2, projection="3d"))
    ax = fig.add_subplot(1, 3, 3)
    for p, name in ((params0, "initial"), (params, "trained")):
        t, phi, _, _ = hessian_spectral_density(loss, p, n_iter=60, n_vectors=3, rng=0)
        top = hessian_eigenvalues(loss, p, k=1, rng=0)[0]
        plot_spectral_density(t, phi, ax=ax, label=f"{name} (top eigenvalue {top:.3g})")
        print(f"{name}: top Hessian eigenvalue {top:.4g}")
    ax.legend(fontsize=7)
    ax.set_title("Hessian spectral density (SLQ)")
    fig.tight_layout()
    fig.savefig(Path(__file__).with_suffix(".png"), dpi=110)


if __name__ == "__main__":
    main()
