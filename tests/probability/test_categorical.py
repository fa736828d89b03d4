import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from m4ml.probability.categorical import Categorical, Multinomial
from tests.probability._compare import assert_rel, chisquare_pvalue

PROBS = [np.array([1.0]), np.array([0.2, 0.5, 0.3]), np.array([0.0, 0.1, 0.0, 0.6, 0.3])]


@pytest.mark.parametrize("p", PROBS)
def test_categorical_against_scipy(p):
    d = Categorical(p)
    r = st.rv_discrete(values=(np.arange(p.size), p))
    k = np.concatenate([np.arange(-2, p.size + 2), [0.5]])
    for name in ("pmf", "cdf", "sf"):
        assert_rel(getattr(d, name)(k), getattr(r, name)(k), rtol=1e-15, atol=1e-16)
    with np.errstate(divide="ignore"):
        assert_rel(d.logpmf(k), r.logpmf(k), rtol=1e-15)
    q = np.array([0.05, 0.15, 0.35, 0.8, 0.99])
    assert_rel(d.ppf(q), r.ppf(q), rtol=0)
    for name in ("mean", "var", "entropy"):
        assert_rel(getattr(d, name)(), getattr(r, name)(), rtol=1e-14, atol=1e-15)


def test_categorical_sampling_and_fit():
    d = Categorical([0.1, 0.2, 0.3, 0.4])
    x = d.sample(5000, rng=1)
    assert chisquare_pvalue(x, np.arange(4), d.pmf) > 0.01
    f = Categorical.fit(x, n_categories=4)
    assert_rel(f.probs, np.bincount(x.astype(int), minlength=4) / 5000, rtol=1e-15)
    assert np.max(np.abs(f.probs - d.probs)) < 0.03
    assert Categorical([0.0, 1.0]).sample(10, rng=0).tolist() == [1.0] * 10


def test_categorical_tail_kept():
    d = Categorical([1 - 1e-20, 1e-20])
    assert d.sf(0) == pytest.approx(1e-20, rel=1e-15)


@pytest.mark.parametrize(
    ("n", "p"), [(0, [0.5, 0.5]), (1, [0.2, 0.8]), (7, [0.2, 0.5, 0.3]), (30, [0.1, 0.0, 0.9])]
)
def test_multinomial_against_scipy(n, p):
    d, r = Multinomial(n, p), st.multinomial(n, p)
    rng = np.random.default_rng(0)
    x = np.vstack(
        [
            rng.multinomial(n, p, 6),
            [[n + 1] + [0] * (len(p) - 1)],
            [[-1, n + 1] + [0] * (len(p) - 2)],
        ]
    )
    assert_rel(d.pmf(x), r.pmf(x), rtol=1e-12)
    assert_rel(d.logpmf(x[:6]), r.logpmf(x[:6]), rtol=1e-12, atol=1e-14)
    assert np.all(d.logpmf(x[6:]) == -np.inf)
    assert_rel(d.mean(), r.mean(), rtol=1e-15)
    assert_rel(d.cov(), r.cov(), rtol=1e-15, atol=1e-15)
    assert_rel(d.entropy(), r.entropy(), rtol=1e-12, atol=1e-14)


def test_multinomial_sampling_and_fit():
    d = Multinomial(10, [0.2, 0.3, 0.5])
    x = d.sample(4000, rng=2)
    assert x.shape == (4000, 3) and np.all(x.sum(axis=1) == 10)
    # the first count is Binomial(10, 0.2)
    assert chisquare_pvalue(x[:, 0], np.arange(11), lambda k: st.binom.pmf(k, 10, 0.2)) > 0.01
    f = Multinomial.fit(x, 10)
    assert np.max(np.abs(f.probs - d.probs)) < 0.01
    assert_rel(f.probs, x.sum(axis=0) / 40000, rtol=1e-15)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Categorical([0.5, 0.6]), "must sum to 1"),
        (lambda: Categorical([1.2, -0.2]), "non-negative"),
        (lambda: Categorical([]), "at least one"),
        (lambda: Categorical([[0.5, 0.5]]), "at most 1"),
        (lambda: Multinomial(-1, [1.0]), "n must be >= 0"),
        (lambda: Multinomial(3, [0.5, 0.5]).pmf([1, 1, 1]), "last axis of length 2"),
        (lambda: Categorical.fit([0, 1.5]), "integer labels"),
        (lambda: Categorical.fit([0, 3], n_categories=2), "n_categories"),
        (lambda: Multinomial.fit([[1, 2]], 4), "summing to n"),
    ],
)
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@given(hs.lists(hs.floats(0.01, 1), min_size=1, max_size=6), hs.floats(0, 1))
@settings(max_examples=25, deadline=None)
def test_categorical_identities(w, q):
    p = np.array(w) / np.sum(w)
    d = Categorical(p)
    k = np.arange(p.size)
    assert np.allclose(d.cdf(k) + d.sf(k), 1.0, atol=1e-15)
    j = d.ppf(q)
    if q > 0:
        assert d.cdf(j) >= q and (j == 0 or d.cdf(j - 1) < q)
