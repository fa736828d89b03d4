"""Chapter 4: probability and statistics, on certified data and on the penguins."""

import numpy as np
import scipy.special as special

from m4ml import calculus, stats
from m4ml import linalg as la
from m4ml import probability as prob
from m4ml.report.chapters._common import guarded
from m4ml.report.figures import new_figure, to_figure
from m4ml.report.model import Check, Table, agree, lre

TITLE = "Probability and statistics"
INTRO = (
    "Distributions, tests, Bayesian updating, Markov chains and information, each computed "
    "by m4ml.probability and m4ml.stats and checked against certified values, closed forms "
    "or a different numerical route."
)


def _penguins():
    from m4ml.datasets import load_penguins

    return load_penguins(as_frame=False)


def _nist(section, ctx):
    from m4ml.datasets import load_nist

    section.text = (
        "NIST's summary-statistics and ANOVA sets are built so that naive one-pass "
        "formulas lose their digits (NumAcc4: 10⁷ + small deviations; SmLs09: "
        "10¹² + small deviations)."
    )
    section.formulas = [
        r"s^2 = \frac{1}{n-1}\sum_i (x_i - \bar x)^2, \quad F = "
        r"\frac{\mathrm{SS}_B/(k-1)}{\mathrm{SS}_W/(n-k)}"
    ]
    for name in ("Lew", "NumAcc4") if ctx.quick else ("Lew", "Michelso", "NumAcc3", "NumAcc4"):
        data = load_nist(name)
        digits = min(
            lre(stats.mean(data.y), data.certified["mean"]),
            lre(stats.std(data.y, ddof=1), data.certified["std"]),
        )
        # NumAcc4's values carry 9 significant digits (1e7 + 0.x): float64 stores the deviations
        # to ~8 digits, so 8 is the attainable bound there
        need = 8.0 if name == "NumAcc4" else 9.0
        section.checks.append(
            Check(
                f"mean and std of NIST {name}: correct digits",
                round(digits, 1),
                "certified values",
                f"≥ {need:g} digits",
                digits >= need,
            )
        )
    for name in ("SmLs03t",) if ctx.quick else ("SmLs03t", "SmLs06t", "SmLs09t", "AtmWtAgt"):
        data = load_nist(name)
        F = stats.f_oneway(*data.groups).statistic
        digits = lre(F, data.certified["F"])
        # SmLs07-09 hold 1e12 + 0.x: float64 keeps ~3-4 digits of each deviation, which bounds
        # any double-precision F (SciPy's f_oneway gets 4.2 digits there too)
        need = 4.0 if name in ("AtmWtAgt", "SmLs09t") else 9.0
        section.checks.append(
            Check(
                f"f_oneway F on NIST {name}",
                F,
                "certified F",
                data.certified["F"],
                digits >= need,
                f"≥ {need:g} digits, got {digits:.1f}",
            )
        )


def _fit_qq(section, ctx):
    section.text = (
        "A normal distribution fitted by maximum likelihood to the Gentoo penguins' "
        "flipper lengths, and its Q-Q plot: sorted data against the fitted quantiles "
        "at the plotting positions (i - ½)/n."
    )
    section.formulas = [
        r"\hat\mu = \bar x, \quad \hat\sigma^2 = \frac1n\sum_i (x_i - \bar x)^2, "
        r"\quad q_i = \hat\mu + \hat\sigma\,\Phi^{-1}\!\left(\frac{i - 1/2}{n}"
        r"\right)"
    ]
    df = _penguins()
    x = df["flipper_length_mm"][(df["species"] == "Gentoo") & ~np.isnan(df["flipper_length_mm"])]
    dist = prob.Normal.fit(x)
    mu, sd = float(dist.mean()), float(dist.std())
    section.checks.append(
        Check(
            "Normal.fit: μ̂, σ̂",
            [mu, sd],
            "x̄ and √(Σ(x-x̄)²/n)",
            [x.sum() / len(x), np.sqrt(((x - x.mean()) ** 2).sum() / len(x))],
            agree([mu, sd], [x.mean(), x.std()], rtol=1e-12),
        )
    )
    n = len(x)
    probs = (np.arange(1, n + 1) - 0.5) / n
    q = dist.ppf(probs)
    ref = mu + sd * np.sqrt(2) * special.erfinv(2 * probs - 1)
    section.checks.append(
        Check(
            "Normal.ppf at the plotting positions",
            q[[0, n // 2, -1]],
            "μ + σ√2 erfinv(2p - 1)",
            ref[[0, n // 2, -1]],
            agree(q, ref, rtol=1e-10),
            "all n, rtol 1e-10",
        )
    )
    fig, axes = new_figure(2)
    axes[0].hist(x, bins=15, density=True, alpha=0.6)
    grid = np.linspace(x.min() - 5, x.max() + 5, 200)
    axes[0].plot(grid, dist.pdf(grid))
    axes[0].set_xlabel("flipper length (mm), Gentoo")
    axes[1].plot(q, np.sort(x), "o", ms=3)
    axes[1].plot(q, q, "-")
    axes[1].set_xlabel("fitted normal quantiles")
    axes[1].set_ylabel("sorted data")
    section.figures.append(to_figure(fig, "Normal fit with its Q-Q plot"))


def _ttest(section, ctx):
    section.text = (
        "Do Adelie and Chinstrap penguins have the same mean bill length? Welch's "
        "t-test, read end to end: the statistic, the Welch–Satterthwaite degrees of "
        "freedom and the two-sided p-value, which is checked by integrating the "
        "Student-t density numerically (not through the incomplete beta function)."
    )
    section.formulas = [
        r"t = \frac{\bar x_1 - \bar x_2}{\sqrt{s_1^2/n_1 + s_2^2/n_2}}, \quad "
        r"\nu = \frac{(s_1^2/n_1 + s_2^2/n_2)^2}{\frac{(s_1^2/n_1)^2}{n_1 - 1} + "
        r"\frac{(s_2^2/n_2)^2}{n_2 - 1}}",
        r"p = 2\int_{|t|}^{\infty} f_\nu(u)\,du",
    ]
    df = _penguins()
    ok = ~np.isnan(df["bill_length_mm"])
    a = df["bill_length_mm"][ok & (df["species"] == "Adelie")]
    b = df["bill_length_mm"][ok & (df["species"] == "Chinstrap")]
    res = stats.ttest_ind(a, b, equal_var=False)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t = (a.mean() - b.mean()) / np.sqrt(va + vb)
    nu = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    section.checks.append(
        Check(
            "ttest_ind(equal_var=False): t, ν",
            [res.statistic, res.df],
            "by hand",
            [t, nu],
            agree([res.statistic, res.df], [t, nu], rtol=1e-12),
        )
    )
    s = abs(t)
    dens = prob.StudentT(nu)
    # the tail by substitution u = |t| / v on (0, 1], a finite interval
    tail = calculus.quad(lambda v: dens.pdf(s / v) * s / v**2, 0.0, 1.0)[0]
    section.checks.append(
        Check(
            "p-value",
            res.pvalue,
            "2 ∫ t-density over the tail (quad)",
            2 * tail,
            agree(res.pvalue, 2 * tail, rtol=1e-6, atol=1e-300),
            "rtol 1e-6",
        )
    )
    fig, ax = new_figure()
    grid = np.linspace(-25, 25, 600)
    ax.plot(grid, dens.pdf(grid))
    ax.axvline(t, color="C3", label=f"t = {t:.1f}")
    ax.set_yscale("log")
    ax.set_ylim(1e-30, 1)
    ax.set_xlabel(f"t (ν = {nu:.1f}); log scale shows how far in the tail t sits")
    ax.legend()
    section.figures.append(to_figure(fig, "Student t density with the observed statistic"))


def _bayes(section, ctx):
    section.text = (
        "The share of females among the penguins with a recorded sex, with a "
        "Beta(2, 2) prior: the conjugate update adds the counts to the prior's. "
        "The check normalizes prior × likelihood numerically instead."
    )
    section.formulas = [
        r"p \sim \mathrm{Beta}(a, b),\; k \mid p \sim \mathrm{Bin}(n, p) "
        r"\;\Rightarrow\; p \mid k \sim \mathrm{Beta}(a + k,\, b + n - k)"
    ]
    df = _penguins()
    sex = df["sex"][df["sex"] != None]  # noqa: E711 - object array of str / None
    k, n, a, b = int((sex == "female").sum()), len(sex), 2.0, 2.0
    post = prob.Beta(a + k, b + n - k)
    like = lambda p: p**k * (1 - p) ** (n - k) * prob.Beta(a, b).pdf(p)  # noqa: E731
    scale = like(k / n)
    Z = calculus.quad(lambda p: like(p) / scale, 0.0, 1.0, points=[k / n])[0]
    m = calculus.quad(lambda p: p * like(p) / scale, 0.0, 1.0, points=[k / n])[0] / Z
    section.checks.append(
        Check(
            "posterior mean (conjugate)",
            float(post.mean()),
            "∫ p·prior·likelihood / ∫ prior·likelihood",
            m,
            agree(float(post.mean()), m, rtol=1e-8),
            "rtol 1e-8",
        )
    )
    grid = np.linspace(0.001, 0.999, 400)
    fig, ax = new_figure()
    ax.plot(grid, prob.Beta(a, b).pdf(grid), label="prior Beta(2, 2)")
    ax.plot(grid, post.pdf(grid), label=f"posterior Beta({a + k:g}, {b + n - k:g})")
    ax.set_xlabel("share of females p")
    ax.legend()
    section.figures.append(to_figure(fig, "Bayesian update from prior to posterior"))


def _markov(section, ctx):
    section.text = (
        "A three-state weather chain. Its stationary distribution solves πᵀP = πᵀ; "
        "from any start the distribution converges to it geometrically, at the rate "
        "of the second-largest eigenvalue modulus."
    )
    section.formulas = [
        r"\pi^{\top} P = \pi^{\top}, \quad \|\mu_0 P^t - \pi\|_1 = "
        r"O(|\lambda_2|^t)"
    ]
    P = np.array([[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5]])
    chain = prob.MarkovChain(P, states=["sun", "cloud", "rain"])
    pi = chain.stationary_distribution()
    w, V = la.eig(P.T)
    i = int(np.argmin(abs(w - 1)))
    ref = (V[:, i] / V[:, i].sum()).real
    section.checks.append(
        Check(
            "stationary_distribution()",
            pi,
            "eigenvector of Pᵀ for λ = 1",
            ref,
            agree(pi, ref, rtol=1e-10),
        )
    )
    steps = np.arange(0, 31)
    dist = np.array(
        [np.abs(chain.distribution(np.array([0.0, 0.0, 1.0]), int(t)) - pi).sum() for t in steps]
    )
    lam2 = np.sort(np.abs(w))[-2]
    rate = np.exp(np.polyfit(steps[5:20], np.log(dist[5:20]), 1)[0])
    section.checks.append(
        Check(
            "observed convergence rate",
            rate,
            "|λ₂| of P",
            lam2,
            agree(rate, lam2, rtol=1e-3),
            "rtol 1e-3",
        )
    )
    fig, ax = new_figure()
    ax.semilogy(steps, dist + 1e-17, "o-", ms=3, label="‖μ₀Pᵗ − π‖₁ from 'rain'")
    ax.semilogy(steps, dist[0] * lam2**steps, "--", label="|λ₂|ᵗ")
    ax.set_xlabel("step t")
    ax.legend()
    section.figures.append(to_figure(fig, "Markov chain converging to its stationary law"))


def _information(section, ctx):
    section.text = "Entropy and Kullback–Leibler divergence against closed forms."
    section.formulas = [
        r"H(p) = -\sum_x p(x)\log p(x), \quad \mathrm{KL}(p\,\|\,q) = \sum_x "
        r"p(x)\log\frac{p(x)}{q(x)} \ge 0"
    ]
    rows = []
    cases = [
        ("uniform on 8 outcomes, bits", prob.entropy(np.full(8, 1 / 8), base=2), 3.0),
        (
            "Bernoulli(0.1), nats",
            prob.entropy([0.1, 0.9]),
            -(0.1 * np.log(0.1) + 0.9 * np.log(0.9)),
        ),
        (
            "N(0, 2²) differential entropy",
            prob.Normal(0, 2).entropy(),
            0.5 * np.log(2 * np.pi * np.e * 4),
        ),
        (
            "KL(Bern(0.5) ‖ Bern(0.9))",
            prob.kl_divergence([0.5, 0.5], [0.9, 0.1]),
            0.5 * np.log(0.5 / 0.9) + 0.5 * np.log(0.5 / 0.1),
        ),
        (
            "KL(Bern(0.9) ‖ Bern(0.5))",
            prob.kl_divergence([0.9, 0.1], [0.5, 0.5]),
            0.9 * np.log(1.8) + 0.1 * np.log(0.2),
        ),
    ]
    for label, value, ref in cases:
        ok = agree(float(value), ref, rtol=1e-12)
        rows.append([label, f"{float(value):.12g}", f"{ref:.12g}", "agrees" if ok else "DISAGREES"])
        section.checks.append(Check(label, float(value), "closed form", ref, ok))
    section.tables.append(
        Table(
            ["quantity", "m4ml", "closed form", "verdict"],
            rows,
            "KL is not symmetric: the two directions differ.",
        )
    )


SECTIONS = [
    ("Certified summary statistics and ANOVA (NIST)", "nist-stats", _nist),
    ("A distribution fitted to data, with its Q-Q plot", "fit-qq", _fit_qq),
    ("A t-test read end to end", "t-test", _ttest),
    ("Bayesian updating: prior to posterior", "bayes-update", _bayes),
    ("Markov chains: convergence to stationarity", "markov", _markov),
    ("Entropy and KL divergence", "information", _information),
]


def build(ctx):
    """The chapter's sections, each guarded."""
    return [guarded(title, anchor, fn, ctx) for title, anchor, fn in SECTIONS]
