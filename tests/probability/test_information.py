"""Information theory on probability arrays vs scipy.stats / scipy.spatial / scikit-learn."""

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.spatial.distance import jensenshannon

from m4ml.probability.information import (
    cross_entropy,
    entropy,
    js_divergence,
    kl_divergence,
    perplexity,
)

RTOL = 1e-12


def _random_dist(rng, shape, zeros=False):
    p = rng.random(shape)
    if zeros:
        p[rng.random(shape) < 0.3] = 0.0
        p[(0,) * len(shape)] = 1.0
    return p / p.sum(axis=0, keepdims=True)


@pytest.mark.parametrize("base", [None, 2, 10, 0.5])
@pytest.mark.parametrize("zeros", [False, True])
def test_entropy_matches_scipy(rng, base, zeros):
    p = _random_dist(rng, (50, 7), zeros)
    np.testing.assert_allclose(
        entropy(p, base), scipy.stats.entropy(p, base=base), rtol=RTOL, atol=1e-15
    )


def test_entropy_axis_and_none(rng):
    p = _random_dist(rng, (5, 4)).T  # distributions along axis 1
    np.testing.assert_allclose(entropy(p, axis=1), scipy.stats.entropy(p, axis=1), rtol=RTOL)
    np.testing.assert_allclose(entropy(p, axis=-1), scipy.stats.entropy(p, axis=1), rtol=RTOL)
    flat = p / p.sum()
    assert entropy(flat, axis=None) == pytest.approx(scipy.stats.entropy(flat.ravel()), RTOL)


def test_entropy_extremes():
    assert entropy([1.0, 0.0, 0.0]) == 0.0
    assert entropy(np.full(8, 1 / 8), base=2) == pytest.approx(3.0, abs=1e-15)
    assert entropy([1.0]) == 0.0


def test_normalize_matches_scipy_counts():
    counts = np.array([3, 0, 5, 2])
    assert entropy(counts, normalize=True) == pytest.approx(scipy.stats.entropy(counts), RTOL)


@pytest.mark.parametrize("zeros", [False, True])
@pytest.mark.parametrize("base", [None, 2])
def test_kl_and_cross_entropy_match_scipy(rng, zeros, base):
    p = _random_dist(rng, (30, 6), zeros)
    q = _random_dist(rng, (30, 6))
    np.testing.assert_allclose(
        kl_divergence(p, q, base), scipy.stats.entropy(p, q, base=base), rtol=RTOL
    )
    ref = scipy.stats.entropy(p, base=base) + scipy.stats.entropy(p, q, base=base)
    np.testing.assert_allclose(cross_entropy(p, q, base), ref, rtol=1e-12)


def test_kl_infinite_where_q_rules_out_p():
    assert kl_divergence([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    # 0 log(0/q) = 0 and 0 log(0/0) = 0
    assert kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), RTOL)


def test_kl_nearly_equal_keeps_relative_accuracy():
    e = 2.0**-30  # p = (1/2 + e, 1/2 - e) is exact and sums to 1 exactly
    p = np.array([0.5 + e, 0.5 - e])
    q = np.array([0.5, 0.5])
    # sum p log(p/q) = (1/2 + e) log1p(2e) + (1/2 - e) log1p(-2e) = 2e^2 + 4e^4/3 + O(e^6)
    exact = 2 * e**2 + 4 * e**4 / 3
    assert kl_divergence(p, q) == pytest.approx(exact, rel=1e-9, abs=0)
    assert js_divergence(p, q) == pytest.approx(e**2 / 2, rel=1e-6, abs=0)


def test_kl_broadcasts_one_q_against_many_p(rng):
    p = _random_dist(rng, (6, 10))
    q = _random_dist(rng, (6, 1))
    np.testing.assert_allclose(
        kl_divergence(p, q), scipy.stats.entropy(p, np.repeat(q, 10, 1)), rtol=RTOL
    )


@pytest.mark.parametrize("zeros", [False, True])
def test_js_divergence_is_squared_scipy_distance(rng, zeros):
    p = _random_dist(rng, (12, 9), zeros)
    q = _random_dist(rng, (12, 9), zeros)
    for base in (None, 2):
        ref = jensenshannon(p, q, base=base) ** 2
        np.testing.assert_allclose(js_divergence(p, q, base), ref, rtol=1e-11)
    assert js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.log(2), RTOL)


def test_perplexity():
    assert perplexity(np.full(5, 0.2)) == pytest.approx(5.0, RTOL)
    assert perplexity([1.0, 0.0]) == 1.0
    p, q = np.array([0.2, 0.8]), np.array([0.5, 0.5])
    assert perplexity(p, q) == pytest.approx(2.0, RTOL)
    assert perplexity(p, [1.0, 0.0]) == np.inf


@pytest.mark.parametrize(
    ("p", "match"),
    [
        ([0.5, 0.6], "sum to 1"),
        ([-0.1, 1.1], "non-negative"),
        ([np.nan, 1.0], "non-negative"),
        ([np.inf, 1.0], "infinity"),
        ([], "empty"),
    ],
)
def test_bad_distributions(p, match):
    with pytest.raises(ValueError, match=match):
        entropy(p)


def test_bad_arguments():
    with pytest.raises(ValueError, match="base"):
        entropy([0.5, 0.5], base=1)
    with pytest.raises(ValueError, match="base"):
        entropy([0.5, 0.5], base=-2)
    with pytest.raises(TypeError, match="base"):
        entropy([0.5, 0.5], base="2")
    with pytest.raises(ValueError, match="axis"):
        entropy([0.5, 0.5], axis=1)
    with pytest.raises(TypeError, match="complex"):
        entropy([0.5j, 0.5])
    with pytest.raises(ValueError, match="broadcastable"):
        kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="q must sum to 1"):
        kl_divergence([0.5, 0.5], [0.2, 0.3])
    with pytest.raises(ValueError, match="normalize"):
        entropy([0.0, 0.0], normalize=True)
    with pytest.raises(TypeError, match="two probability arrays or two distribution"):
        kl_divergence(object.__new__(_some_distribution_class()), [0.5, 0.5])


def _some_distribution_class():
    from m4ml.probability.base import Distribution

    return Distribution


def positive(n):
    """Non-negative weight vectors of length n with a positive sum."""
    return arrays(np.float64, n, elements=st.floats(0.0, 1.0, allow_subnormal=False)).filter(
        lambda a: a.sum() > 1e-3
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(positive(n), positive(n))))
def test_gibbs_inequality_and_bounds(pair):
    a, b = pair
    pp, qq = a / a.sum(), b / b.sum()
    h = entropy(pp)
    assert -1e-15 <= h <= np.log(pp.size) + 1e-12
    assert kl_divergence(pp, qq) >= -1e-15
    assert kl_divergence(pp, pp) == pytest.approx(0.0, abs=1e-14)
    js = js_divergence(pp, qq)
    assert -1e-15 <= js <= np.log(2) + 1e-12
    assert js == pytest.approx(js_divergence(qq, pp), abs=1e-14)
    ce = cross_entropy(pp, qq)
    if np.isfinite(ce):
        assert ce == pytest.approx(entropy(pp) + kl_divergence(pp, qq), rel=1e-10, abs=1e-13)


def test_kl_of_close_distributions_beats_the_naive_formula(rng):
    p = rng.random(10_000)
    q = p * (1.0 + 0.01 * rng.standard_normal(p.size))
    p, q = p / p.sum(), q / q.sum()
    P, Q = p.astype(np.longdouble), q.astype(np.longdouble)
    exact = float((P * np.log1p((P - Q) / Q)).sum())  # extended precision
    assert kl_divergence(p, q) == pytest.approx(exact, rel=1e-14, abs=0)
    assert scipy.stats.entropy(p, q) == pytest.approx(exact, rel=1e-9, abs=0)


def test_kl_with_a_subnormal_q_stays_finite():
    tiny = 1e-320  # subnormal: 0.5 / tiny overflows
    d = kl_divergence([0.5, 0.5], [1.0 - tiny, tiny])
    exact = 0.5 * np.log(0.5) + 0.5 * (np.log(0.5) - np.log(tiny))
    assert d == pytest.approx(exact, rel=1e-14)
    assert cross_entropy([0.5, 0.5], [1.0 - tiny, tiny]) == pytest.approx(
        -0.5 * np.log(tiny), rel=1e-14
    )


def test_float32_probabilities_within_their_own_rounding_are_accepted():
    # regression: a float32 vector summing to 1 + 3e-8 (its own rounding) was refused
    p32 = np.array([0.3, 0.3, 0.4 + 2e-8], dtype=np.float32)
    assert abs(float(p32.sum(dtype=np.float64)) - 1.0) > 1e-8
    from m4ml.probability import Categorical, MarkovChain, entropy

    reference = entropy(p32.astype(np.float64), normalize=True)
    assert entropy(p32) == pytest.approx(reference, rel=1e-6)
    assert Categorical(p32).entropy() == pytest.approx(1.0889, rel=1e-4)
    chain = MarkovChain(np.array([[0.3, 0.7], [0.5, 0.5]], dtype=np.float32))
    assert chain.stationary_distribution().sum() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="sum to 1"):  # but a float64 one is held to 1e-8
        entropy(p32.astype(np.float64))


def test_weights_of_any_magnitude_normalize_without_overflow():
    from m4ml.probability import entropy

    w = np.array([1e308, 1e308, 2e307])
    assert entropy(w, normalize=True) == pytest.approx(entropy(w / 1e308, normalize=True))
    with pytest.raises(ValueError, match="must sum to 1"):
        entropy(w)
