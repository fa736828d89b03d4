"""The probability and statistics part of the tour."""

import math
from fractions import Fraction

import numpy as np

from m4ml import probability as pr
from m4ml import stats as st


def _agree(a, b, tol=1e-12):
    return bool(np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=tol, atol=tol))


def probability_checks():
    """Yield (label, value, check label, check value, agree) for probability and stats."""
    die = pr.ProbabilitySpace(range(1, 7))
    p6 = die.conditional({6}, given={2, 4, 6})
    yield "die: P(6 | even), exact", str(p6), "1/3", "1/3", p6 == Fraction(1, 3)

    post = pr.bayes({"sick": 0.01, "healthy": 0.99}, {"sick": 0.95, "healthy": 0.05}).posterior
    by_hand = 0.95 * 0.01 / (0.95 * 0.01 + 0.05 * 0.99)
    yield (
        "bayes: P(sick | positive test)",
        post["sick"],
        "0.95·0.01 / P(positive)",
        by_hand,
        (_agree(post["sick"], by_hand)),
    )

    chain = pr.MarkovChain([[0.9, 0.1], [0.5, 0.5]])
    pi = chain.stationary_distribution()
    yield (
        "Markov chain: stationary π",
        pi,
        "π P = π: (5/6, 1/6)",
        [5 / 6, 1 / 6],
        _agree(pi, [5 / 6, 1 / 6]),
    )

    h = pr.entropy([0.5, 0.5], base=2)
    yield "entropy of a fair coin (bits)", h, "1 bit", 1.0, _agree(h, 1.0)
    kl = pr.kl_divergence(pr.Normal(0.0, 1.0), pr.Normal(1.0, 2.0))
    closed = math.log(2.0) + (1.0 + 1.0) / 8.0 - 0.5
    yield "KL(N(0,1) ‖ N(1,2²))", kl, "log(σ₂/σ₁) + (σ₁²+Δμ²)/2σ₂² - ½", closed, _agree(kl, closed)
    phi = pr.Normal(0.0, 1.0).cdf(1.96)
    erf_form = 0.5 * (1.0 + math.erf(1.96 / math.sqrt(2.0)))
    yield "Normal cdf(1.96)", phi, "½(1 + erf(1.96/√2))", erf_form, _agree(phi, erf_form)

    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    t = st.ttest_1samp(x, 2.0).statistic
    by_formula = (x.mean() - 2.0) / (x.std(ddof=1) / math.sqrt(x.size))
    yield "t statistic of 1..5 against 2", t, "(x̄ - μ₀) / (s/√n)", by_formula, _agree(t, by_formula)
    post = st.BetaBinomial(1.0, 1.0).update([1, 1, 0, 1]).posterior
    yield (
        "Beta(1,1) prior, 3 heads 1 tail",
        [post.a, post.b],
        "Beta(1+3, 1+1)",
        [4.0, 2.0],
        (_agree([post.a, post.b], [4.0, 2.0])),
    )
