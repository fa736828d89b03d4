"""MarkovChain: construction, n-step evolution, stationary distributions, simulation, fit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.probability.markov import MarkovChain


def random_chain(rng, n, density=1.0):
    """A random row-stochastic matrix; with density < 1 some entries are zero."""
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    A[np.arange(n), (np.arange(n) + 1) % n] += 0.1  # a cycle through all states: irreducible
    return A / A.sum(axis=1, keepdims=True)


def test_construction_and_labels():
    chain = MarkovChain([[0.9, 0.1], [0.4, 0.6]], states=["sun", "rain"])
    assert chain.states == ["sun", "rain"]
    assert chain.n_states == 2
    assert chain.index("rain") == 1
    np.testing.assert_array_equal(chain.P, [[0.9, 0.1], [0.4, 0.6]])
    assert not chain.P.flags.writeable
    assert "sun" in repr(chain)
    assert MarkovChain(np.eye(3)).states == [0, 1, 2]


def test_rows_rescaled_to_sum_to_one():
    chain = MarkovChain([[0.5 + 4e-9, 0.5], [0.3, 0.7]])
    assert chain.P.sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-15)


@pytest.mark.parametrize(
    ("P", "match"),
    [
        ([[0.5, 0.5]], "square"),
        (np.zeros((0, 0)), "non-empty"),
        ([[1.2, -0.2], [0.5, 0.5]], r"\[0, 1\], found P\[0, 0\]"),
        ([[0.5, 0.4], [0.5, 0.5]], "row 0 sums to"),
        ([[0.5, 0.5], [0.6, 0.6]], "row 1 sums to"),
        ([[np.nan, 1.0], [0.5, 0.5]], "NaN"),
        ([0.5, 0.5], "square"),
    ],
)
def test_bad_transition_matrices(P, match):
    with pytest.raises(ValueError, match=match):
        MarkovChain(P)


def test_bad_states():
    with pytest.raises(ValueError, match="2 labels for a 3-state"):
        MarkovChain(np.eye(3), states=["a", "b"])
    with pytest.raises(ValueError, match="distinct"):
        MarkovChain(np.eye(2), states=["a", "a"])
    with pytest.raises(TypeError, match="hashable"):
        MarkovChain(np.eye(2), states=[[1], [2]])
    with pytest.raises(KeyError, match="'c' is not a state"):
        MarkovChain(np.eye(2), states="ab").index("c")
    with pytest.raises(TypeError, match="complex"):
        MarkovChain([[1j, 0], [0, 1]])


def test_n_step_matches_matrix_power(rng):
    P = random_chain(rng, 6)
    chain = MarkovChain(P)
    for n in (0, 1, 5, 37):
        np.testing.assert_allclose(
            chain.n_step(n), np.linalg.matrix_power(P, n), rtol=1e-12, atol=1e-15
        )
    with pytest.raises(ValueError, match="n must be >= 0"):
        chain.n_step(-1)
    with pytest.raises(TypeError, match="integer"):
        chain.n_step(1.5)


def test_distribution_evolution(rng):
    P = random_chain(rng, 5)
    chain = MarkovChain(P)
    pi0 = np.array([1.0, 0, 0, 0, 0])
    for n in (0, 3, 50):
        ref = pi0 @ np.linalg.matrix_power(P, n)
        np.testing.assert_allclose(chain.distribution(pi0, n), ref, rtol=1e-12, atol=1e-15)
    stack = rng.random((3, 5))
    stack /= stack.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        chain.distribution(stack, 7), stack @ np.linalg.matrix_power(P, 7), rtol=1e-12
    )
    with pytest.raises(ValueError, match="shape"):
        chain.distribution([0.5, 0.5], 1)
    with pytest.raises(ValueError, match="pi0 must sum to 1"):
        chain.distribution([0.5, 0.5, 0.5, 0, 0], 1)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 60])
def test_stationary_is_a_fixed_point(rng, n):
    P = random_chain(rng, n, density=0.4)
    pi = MarkovChain(P).stationary_distribution()
    assert np.abs(pi @ P - pi).max() <= 1e-12
    assert pi.sum() == pytest.approx(1.0, abs=1e-14)
    assert (pi > 0).all()
    # left eigenvector for eigenvalue 1, via NumPy
    w, V = np.linalg.eig(P.T)
    v = np.real(V[:, np.argmin(np.abs(w - 1))])
    np.testing.assert_allclose(pi, v / v.sum(), rtol=1e-9, atol=1e-14)


def test_stationary_of_textbook_chains():
    # Land of Oz (Grinstead & Snell, Example 11.1): pi = (2/5, 1/5, 2/5)
    oz = MarkovChain([[0.5, 0.25, 0.25], [0.5, 0.0, 0.5], [0.25, 0.25, 0.5]], states="RNS")
    np.testing.assert_allclose(oz.stationary_distribution(), [0.4, 0.2, 0.4], rtol=1e-14)
    # periodic chains still have a unique stationary distribution
    np.testing.assert_allclose(
        MarkovChain([[0, 1], [1, 0]]).stationary_distribution(), [0.5, 0.5], rtol=1e-15
    )
    # Ehrenfest urn with 4 balls: Binomial(4, 1/2)
    N = 4
    P = np.zeros((N + 1, N + 1))
    for i in range(N + 1):
        if i > 0:
            P[i, i - 1] = i / N
        if i < N:
            P[i, i + 1] = 1 - i / N
    np.testing.assert_allclose(
        MarkovChain(P).stationary_distribution(), np.array([1, 4, 6, 4, 1]) / 16, rtol=1e-13
    )


def test_stationary_of_reducible_chains():
    # one closed class {1, 2} and a transient state 0: unique pi, zero on state 0
    P = [[0.5, 0.25, 0.25], [0.0, 0.3, 0.7], [0.0, 0.6, 0.4]]
    pi = MarkovChain(P).stationary_distribution()
    np.testing.assert_allclose(pi, [0.0, 6 / 13, 7 / 13], rtol=1e-14)
    # two closed classes: not unique
    two = MarkovChain([[0.5, 0.5, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 0.2, 0.8], [0, 0, 1, 0]])
    with pytest.raises(ValueError, match="2 closed classes"):
        two.stationary_distribution()
    rows = two.stationary_distributions()
    np.testing.assert_allclose(rows, [[0.5, 0.5, 0, 0], [0, 0, 5 / 9, 4 / 9]], rtol=1e-14)
    np.testing.assert_allclose(rows @ two.P, rows, atol=1e-15)


def _occupation_sd(P, pi, j, n):
    """Asymptotic standard error of the visit frequency of state j after n steps."""
    Z = np.linalg.inv(np.eye(len(pi)) - P + pi[None, :])
    return np.sqrt(pi[j] * (2 * Z[j, j] - 1 - pi[j]) / n)


def test_simulation_frequencies_converge_to_pi(rng):
    P = random_chain(rng, 4, density=0.6)
    chain = MarkovChain(P, states=["a", "b", "c", "d"])
    n = 20_000
    path = chain.simulate(n, "a", rng=7)
    assert len(path) == n + 1 and path[0] == "a"
    counts = np.array([path[1:].count(s) for s in chain.states])
    pi = chain.stationary_distribution()
    se = np.array([_occupation_sd(P, pi, j, n) for j in range(4)])
    assert (np.abs(counts / n - pi) < 4 * se).all()


def test_simulation_respects_zero_probabilities_and_is_reproducible():
    P = [[0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.0, 1.0, 0.0]]
    chain = MarkovChain(P)
    path = np.array(chain.simulate(2000, 0, rng=1))
    # every transition taken has positive probability
    assert (np.array(P)[path[:-1], path[1:]] > 0).all()
    assert chain.simulate(50, 1, rng=3) == chain.simulate(50, 1, rng=3)
    assert chain.simulate(0, 2, rng=0) == [2]
    with pytest.raises(KeyError, match="is not a state"):
        chain.simulate(5, 9)
    with pytest.raises(ValueError, match="n_steps"):
        chain.simulate(-1, 0)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6), st.integers(0, 2**32 - 1), st.floats(0.2, 1.0))
def test_stationary_property(n, seed, density):
    P = random_chain(np.random.default_rng(seed), n, density)
    chain = MarkovChain(P)
    pi = chain.stationary_distribution()
    assert np.abs(pi @ P - pi).max() <= 1e-12
    assert chain.distribution(pi, 5) == pytest.approx(pi, abs=1e-12)


@pytest.mark.parametrize("eps", [1e-6, 1e-10])
def test_stationary_of_a_nearly_decomposable_chain(eps):
    # two blocks joined by transitions of probability eps: ill-conditioned, still pi P = pi
    B = np.array([[0.6, 0.4], [0.3, 0.7]])
    P = np.zeros((4, 4))
    P[:2, :2] = P[2:, 2:] = B
    P[1, 1] -= eps
    P[1, 2] = eps
    P[3, 3] -= 2 * eps
    P[3, 0] = 2 * eps
    pi = MarkovChain(P).stationary_distribution()
    assert np.abs(pi @ P - pi).max() <= 1e-12
    # the flow balance across the cut: pi_1 eps = pi_3 2 eps
    assert pi[1] == pytest.approx(2 * pi[3], rel=1e-5)
