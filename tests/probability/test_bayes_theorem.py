"""Bayes' theorem over finitely many hypotheses: exact closed forms and identities."""

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.probability.bayes_theorem import BayesResult, bayes
from m4ml.probability.spaces import ProbabilitySpace

fractions = st.fractions(min_value=0, max_value=1, max_denominator=50)


def test_bayes_exact_medical_test():
    post, ev = bayes({"ill": F(1, 100), "well": F(99, 100)}, {"ill": F(99, 100), "well": F(1, 20)})
    assert ev == F(297, 5000)
    assert post == {"ill": F(1, 6), "well": F(5, 6)}
    assert isinstance(bayes({"a": 1}, {"a": F(1, 2)}), BayesResult)


def test_bayes_arrays_match_manual_computation(rng):
    prior = rng.random(5)
    prior /= prior.sum()
    lik = rng.random((3, 5))  # three possible data, five hypotheses
    post, ev = bayes(prior, lik)
    np.testing.assert_allclose(ev, lik @ prior, rtol=1e-14)
    np.testing.assert_allclose(post, lik * prior / (lik @ prior)[:, None], rtol=1e-14)
    np.testing.assert_allclose(post.sum(axis=1), 1.0, rtol=1e-14)
    single = bayes(prior, lik[0])
    assert isinstance(single.evidence, float)
    np.testing.assert_allclose(single.posterior, post[0], rtol=1e-15)


def test_bayes_matches_probability_space_conditioning():
    # urns: hypothesis = urn, data = a red ball; the same answer from the joint space
    prior = {"A": F(1, 2), "B": F(1, 3), "C": F(1, 6)}
    red = {"A": F(3, 10), "B": F(1, 2), "C": F(9, 10)}
    post, ev = bayes(prior, red)
    joint = {
        (u, c): prior[u] * (red[u] if c == "red" else 1 - red[u])
        for u in prior
        for c in ("red", "blue")
    }
    space = ProbabilitySpace(joint)
    assert space.P(lambda w: w[1] == "red") == ev
    for u in prior:
        assert (
            space.conditional(lambda w, u=u: w[0] == u, given=lambda w: w[1] == "red") == (post[u])
        )


def test_bayes_errors():
    with pytest.raises(ValueError, match="prior must sum to 1"):
        bayes([0.5, 0.6], [1, 1])
    with pytest.raises(ValueError, match="same hypotheses"):
        bayes({"a": 1}, {"b": 1})
    with pytest.raises(TypeError, match="both be dicts"):
        bayes({"a": 1}, [1.0])
    with pytest.raises(ValueError, match="last axis"):
        bayes([0.5, 0.5], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="non-negative"):
        bayes([0.5, 0.5], [-0.1, 0.2])
    with pytest.raises(ValueError, match="non-negative"):
        bayes({"a": F(1, 2), "b": F(1, 2)}, {"a": -1, "b": 1})
    with pytest.raises(ValueError, match="evidence"):
        bayes([1.0, 0.0], [0.0, 0.7])
    with pytest.raises(ValueError, match="NaN"):
        bayes([0.5, 0.5], [np.nan, 0.1])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(fractions, fractions, fractions), min_size=1, max_size=5))
def test_sequential_bayes_equals_batch(rows):
    weights = [r[0] + F(1, 100) for r in rows]
    total = sum(weights)
    prior = {i: w / total for i, w in enumerate(weights)}
    lik1 = {i: r[1] + F(1, 100) for i, r in enumerate(rows)}
    lik2 = {i: r[2] + F(1, 100) for i, r in enumerate(rows)}
    step, _ = bayes(prior, lik1)
    step, _ = bayes(step, lik2)
    batch, _ = bayes(prior, {i: lik1[i] * lik2[i] for i in prior})
    assert step == batch  # exact arithmetic
    assert sum(batch.values()) == 1
