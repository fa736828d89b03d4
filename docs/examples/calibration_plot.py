"""Reliability diagram of naive Bayes before and after calibration (docs/models_probabilistic.md).

Run ``python docs/examples/calibration_plot.py [out.png]``. The data have 4 informative features
each repeated 5 times: naive Bayes counts every copy as independent evidence, so its posteriors
are pushed towards 0 and 1 (overconfident). :class:`m4ml.models.CalibratedClassifierCV` maps them
back onto the diagonal with Platt's sigmoid or with isotonic regression, fitted on held-out folds.
The right panel shows how the predicted probabilities are spread.
"""

import sys
from pathlib import Path

import numpy as np


def data(rng, n=6000):
    y = rng.integers(0, 2, n)
    informative = rng.standard_normal((n, 4)) + 0.6 * y[:, None]
    X = np.repeat(informative, 5, axis=1) + 0.3 * rng.standard_normal((n, 20))
    return X, y


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from m4ml.models import CalibratedClassifierCV, GaussianNB, calibration_curve

    out = Path(out) if out else Path(__file__).with_suffix(".png")
    rng = np.random.default_rng(0)
    X, y = data(rng)
    X_test, y_test = data(rng, 4000)
    models = {
        "GaussianNB (raw)": GaussianNB().fit(X, y),
        "+ sigmoid (Platt)": CalibratedClassifierCV(GaussianNB(), method="sigmoid").fit(X, y),
        "+ isotonic": CalibratedClassifierCV(GaussianNB(), method="isotonic").fit(X, y),
    }
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.plot([0, 1], [0, 1], color="0.6", linestyle=":", label="perfectly calibrated")
    for name, model in models.items():
        p = model.predict_proba(X_test)[:, 1]
        frac, mean = calibration_curve(y_test, p, n_bins=10)
        brier = np.mean((p - y_test) ** 2)
        left.plot(mean, frac, marker="o", label=f"{name}  (Brier {brier:.3f})")
        right.hist(p, bins=20, range=(0, 1), histtype="step", linewidth=1.5, label=name)
    left.set(
        xlabel="mean predicted probability",
        ylabel="fraction of positives",
        title="Reliability diagram (10 bins, held-out data)",
    )
    left.legend(loc="upper left", fontsize=8)
    right.set(
        xlabel="predicted probability of class 1",
        ylabel="count",
        title="Distribution of predicted probabilities",
    )
    right.legend(loc="upper center", fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return out


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
