"""A Bayesian update drawn as prior -> posterior (docs/statistics.md, section 7).

Run ``python docs/examples/bayes_update.py [out.png]``: a Beta(2, 2) prior on a coin's
probability of heads is updated with 5, 20 and 100 tosses of a coin whose true probability is
0.3; each posterior is drawn with its 95% highest-density interval, and the right panel shows
the posterior predictive distribution of heads in the next 10 tosses.
"""

import sys
from pathlib import Path

import numpy as np


def main(out=None):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from m4ml.stats.bayes import BetaBinomial

    out = Path(out) if out else Path(__file__).with_suffix(".png")
    rng = np.random.default_rng(4)
    tosses = (rng.random(100) < 0.3).astype(int)
    prior = BetaBinomial(2, 2)
    theta = np.linspace(0.0, 1.0, 501)

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(theta, prior.posterior.pdf(theta), "k--", label="prior Beta(2, 2)")
    for n, colour in zip((5, 20, 100), ("tab:orange", "tab:green", "tab:blue")):
        post = prior.update(tosses[:n])
        heads = int(tosses[:n].sum())
        density = post.posterior.pdf(theta)
        low, high = post.credible_interval(0.95, kind="hpd")
        inside = (theta >= low) & (theta <= high)
        left.plot(theta, density, color=colour, label=f"after {n} tosses ({heads} heads)")
        left.fill_between(theta[inside], density[inside], color=colour, alpha=0.15)
    left.axvline(0.3, color="grey", lw=0.8)
    left.set(xlabel=r"$\theta$ = P(heads)", ylabel="density", title="prior -> posterior (95% HPD)")
    left.legend(frameon=False)

    post = prior.update(tosses)
    k = np.arange(11)
    right.bar(k, post.posterior_predictive(10).pmf(k), color="tab:blue", alpha=0.7)
    right.set(xlabel="heads in the next 10 tosses", ylabel="probability")
    right.set_title("posterior predictive (beta-binomial)")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
