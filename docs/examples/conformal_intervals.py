"""Conformal prediction intervals on heteroscedastic data (docs/models_probabilistic.md).

Run ``python docs/examples/conformal_intervals.py [out.png]``. A cubic least-squares fit
(m4ml's PolynomialFeatures + LinearRegression) is wrapped three ways at 90% confidence: split
conformal with the absolute residual (constant width), split conformal with the "gamma" score
(width proportional to the prediction), and the jackknife+ (CV+ with 10 folds, no data set
aside). The legend reports each method's coverage on 5,000 fresh test points.
"""

import sys
from pathlib import Path

import numpy as np


def data(rng, n):
    x = rng.uniform(0.0, 5.0, n)
    y = 2.0 + x + 0.3 * x**2 - 0.05 * x**3 + (0.2 + 0.25 * x) * rng.standard_normal(n)
    return x[:, None], y


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.pipeline import make_pipeline

    from m4ml.models import CrossConformalRegressor, LinearRegression, SplitConformalRegressor
    from m4ml.pipeline import PolynomialFeatures

    out = Path(out) if out else Path(__file__).with_suffix(".png")
    rng = np.random.default_rng(1)
    X, y = data(rng, 600)
    X_test, y_test = data(rng, 5000)
    grid = np.linspace(0, 5, 300)[:, None]

    def model():
        return make_pipeline(PolynomialFeatures(3), LinearRegression())

    fits = {
        "split, |y - ŷ|": SplitConformalRegressor(model()).fit(X[:300], y[:300]),
        "split, |y - ŷ| / ŷ": SplitConformalRegressor(model(), conformity_score="gamma").fit(
            X[:300], y[:300]
        ),
    }
    for f in fits.values():
        f.conformalize(X[300:], y[300:])
    fits["jackknife+ (CV+, 10 folds)"] = CrossConformalRegressor(
        model(), cv=10, random_state=0
    ).fit_conformalize(X, y)

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.3), sharey=True)
    for ax, (name, f) in zip(axes, fits.items(), strict=True):
        _, test_b = f.predict_interval(X_test)
        coverage = np.mean((test_b[:, 0] <= y_test) & (y_test <= test_b[:, 1]))
        width = np.mean(test_b[:, 1] - test_b[:, 0])
        pred, b = f.predict_interval(grid)
        ax.scatter(X_test[:400, 0], y_test[:400], s=6, color="0.55", label="test points")
        ax.plot(grid[:, 0], pred, color="C0", label="prediction")
        ax.fill_between(
            grid[:, 0],
            b[:, 0],
            b[:, 1],
            color="C0",
            alpha=0.25,
            label=f"90% interval: coverage {coverage:.3f}, mean width {width:.2f}",
        )
        ax.set(title=name, xlabel="x")
        ax.legend(loc="upper left", fontsize=8)
    axes[0].set_ylabel("y")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    return out


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
