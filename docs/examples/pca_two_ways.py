"""PCA derived twice, shown equal on the wine data (docs/models_pca_svm.md).

Run ``python docs/examples/pca_two_ways.py [out.png]``. The standardized wine measurements
(178 x 13) are decomposed two ways: the eigenvectors of the covariance matrix (maximum variance)
and the right singular vectors of the centred data (best low-rank approximation). The script
prints the largest difference between the two spectra and the largest principal angle between
the two subspaces, then draws the scree plot and the 2-D projection coloured by cultivar.
"""

import sys
from pathlib import Path

import numpy as np


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.datasets import load_wine

    from m4ml.linalg import eigh, svd
    from m4ml.models import PCA

    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    n = X.shape[0]
    Xc = X - X.mean(0)
    lam, V = eigh(Xc.T @ Xc / (n - 1))  # maximum variance: eigenvectors of the covariance
    lam, V = lam[::-1], V[:, ::-1]
    _, s, Vt = svd(Xc)  # best rank-k approximation: right singular vectors
    print("max |lambda - sigma^2/(n-1)| =", float(np.abs(lam - s**2 / (n - 1)).max()))
    k = 2
    angle = np.linalg.norm(V[:, :k] - Vt[:k].T @ (Vt[:k] @ V[:, :k]), 2)
    print("largest principal angle (top 2) =", float(angle))

    pca = PCA(2).fit(X)
    Z = pca.transform(X)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    ratio = lam / lam.sum()
    a1.bar(np.arange(1, ratio.size + 1), ratio, color="C0", label="explained variance ratio")
    a1.plot(np.arange(1, ratio.size + 1), np.cumsum(ratio), "o-", color="C1", label="cumulative")
    a1.set_xlabel("component")
    a1.set_title("Scree plot (wine, standardized)")
    a1.legend()
    for c in np.unique(y):
        a2.scatter(Z[y == c, 0], Z[y == c, 1], s=14, label=f"cultivar {c}")
    a2.set_xlabel("PC 1")
    a2.set_ylabel("PC 2")
    a2.set_title("Projection on the first two components")
    a2.legend()
    fig.tight_layout()
    out = out or Path(__file__).with_suffix(".png")
    fig.savefig(out, dpi=110)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
