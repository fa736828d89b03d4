"""A small convolutional network on the 8x8 digits, built from m4ml.nn, against MLPClassifier.

Run: ``PYTHONPATH=src python docs/examples/cnn_vs_mlp_digits.py`` (about a minute on one core).
Writes docs/examples/cnn_vs_mlp_digits.png (training loss per epoch of both models).
"""

import warnings
from pathlib import Path

import numpy as np


def run(seed=0, epochs=20):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    from m4ml import nn
    from m4ml.models import MLPClassifier
    from m4ml.optim import Adam

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp = MLPClassifier((64,), max_iter=200, random_state=0).fit(Xtr, ytr)
    net = nn.Sequential(
        nn.Conv2D(16, 3, padding=1), nn.Activation("relu"),
        nn.Conv2D(32, 3, padding=1), nn.Activation("relu"),
        nn.MaxPool2D(2), nn.Flatten(), nn.Dropout(0.3), nn.Dense(10),
    )  # fmt: skip
    params, state = net.init(0, (1, 8, 8))
    params, state, hist = nn.train(net, params, state, Xtr.reshape(-1, 1, 8, 8), ytr,
                                   optimizer=Adam(3e-3), epochs=epochs, batch_size=64, rng=0,
                                   progress=False)  # fmt: skip
    logits, _ = net.apply(params, state, Xte.reshape(-1, 1, 8, 8))
    cnn_acc = float(np.mean(np.argmax(logits, axis=1) == yte))
    return mlp.score(Xte, yte), cnn_acc, mlp.loss_curve_, hist.loss


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mlp_acc, cnn_acc, mlp_curve, cnn_curve = run()
    print(f"test accuracy: MLP 64 hidden {mlp_acc:.4f}, CNN {cnn_acc:.4f}")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.semilogy(mlp_curve, label=f"MLPClassifier (test acc {mlp_acc:.3f})")
    ax.semilogy(cnn_curve, label=f"CNN, m4ml.nn (test acc {cnn_acc:.3f})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss")
    ax.legend()
    fig.tight_layout()
    fig.savefig(Path(__file__).with_suffix(".png"), dpi=120)
