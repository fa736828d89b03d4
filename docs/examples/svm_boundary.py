"""SVM decision boundaries on non-linear data (docs/models_pca_svm.md).

Run ``python docs/examples/svm_boundary.py [out.png]``: two-moons data, a linear kernel (a
straight boundary cannot separate the moons) next to an RBF kernel (the kernel trick: a linear
separator in the RBF feature space). Solid line: f(x) = 0; dashed: the margins f(x) = +-1;
circled: the support vectors.
"""

import sys
from pathlib import Path


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from m4ml.datasets import make_moons
    from m4ml.models import SVC
    from m4ml.models.plotting import plot_decision_boundary

    X, y = make_moons(200, noise=0.2, random_state=0)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, kernel in zip(axes, ["linear", "rbf"], strict=True):
        clf = SVC(kernel=kernel, C=1.0, gamma=2.0).fit(X, y)
        plot_decision_boundary(clf, X, y, ax=ax)
        ax.set_title(
            f"SVC kernel={kernel!r}: {clf.support_.size} support vectors, "
            f"accuracy {clf.score(X, y):.2f}"
        )
    fig.tight_layout()
    out = out or Path(__file__).with_suffix(".png")
    fig.savefig(out, dpi=110)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
