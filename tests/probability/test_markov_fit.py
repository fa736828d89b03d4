"""MarkovChain.fit: maximum-likelihood transition matrices from observed paths."""

import numpy as np
import pytest

from m4ml.probability.markov import MarkovChain
from tests.probability.test_markov import random_chain


def test_fit_counts_transitions_by_hand():
    seqs = [["a", "b", "b", "a"], ["b", "a", "a"]]
    chain = MarkovChain.fit(seqs)
    # a->b 1, a->a 1; b->b 1, b->a 2
    np.testing.assert_allclose(chain.P, [[0.5, 0.5], [2 / 3, 1 / 3]], rtol=1e-15)
    smooth = MarkovChain.fit(seqs, smoothing=1.0)
    np.testing.assert_allclose(smooth.P, [[0.5, 0.5], [3 / 5, 2 / 5]], rtol=1e-15)
    rows = MarkovChain.fit(np.array([[0, 1, 0], [1, 1, 0]]))
    np.testing.assert_allclose(rows.P, [[0.0, 1.0], [2 / 3, 1 / 3]], rtol=1e-15)


def test_fit_recovers_the_generating_chain(rng):
    P = random_chain(rng, 3)
    path = MarkovChain(P).simulate(30_000, 0, rng=11)
    fitted = MarkovChain.fit(path)
    np.testing.assert_allclose(fitted.P, P, atol=0.02)


def test_fit_states_never_left():
    seq = ["x", "y", "x", "z"]  # z only ends the path
    with pytest.raises(ValueError, match=r"\['z'\] are never left"):
        MarkovChain.fit(seq)
    absorbing = MarkovChain.fit(seq, unobserved="absorbing")
    np.testing.assert_array_equal(absorbing.P[2], [0, 0, 1])
    uniform = MarkovChain.fit(seq, unobserved="uniform")
    np.testing.assert_allclose(uniform.P[2], [1 / 3] * 3)
    assert MarkovChain.fit(seq, smoothing=0.5).P[2] == pytest.approx([1 / 3] * 3)
    given_states = MarkovChain.fit([0, 1, 0], states=[0, 1, 2], unobserved="absorbing")
    assert given_states.P[2, 2] == 1.0


def test_fit_errors():
    with pytest.raises(ValueError, match="at least one path with a transition"):
        MarkovChain.fit([])
    with pytest.raises(ValueError, match="at least one path with a transition"):
        MarkovChain.fit([["a"], ["b"]])
    with pytest.raises(ValueError, match="'c' is not in states"):
        MarkovChain.fit(["a", "c"], states=["a", "b"])
    with pytest.raises(ValueError, match="smoothing"):
        MarkovChain.fit(["a", "b"], smoothing=-1)
    with pytest.raises(ValueError, match="unobserved"):
        MarkovChain.fit(["a", "b"], unobserved="drop")


def test_fit_labels_of_mixed_types_keep_order_of_appearance():
    chain = MarkovChain.fit([1, "a", 1, "a", "a"])
    assert chain.states == [1, "a"]
    np.testing.assert_allclose(chain.P, [[0.0, 1.0], [0.5, 0.5]])
