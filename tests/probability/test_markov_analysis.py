"""MarkovChain structure (classes, periods) and absorption analysis on textbook chains."""

import numpy as np
import pytest

from m4ml.probability.markov import MarkovChain


def gamblers_ruin(N, p):
    """States 0..N (the gambler's fortune), absorbing at 0 and N; win a unit w.p. p."""
    P = np.zeros((N + 1, N + 1))
    P[0, 0] = P[N, N] = 1.0
    i = np.arange(1, N)
    P[i, i + 1] = p
    P[i, i - 1] = 1 - p
    return MarkovChain(P)


def cycle(n, lazy=0.0):
    P = (1 - lazy) * np.roll(np.eye(n), 1, axis=1) + lazy * np.eye(n)
    return MarkovChain(P)


@pytest.mark.parametrize(("N", "p"), [(10, 0.5), (10, 0.45), (7, 0.6), (30, 0.49)])
def test_gamblers_ruin_closed_forms(N, p):
    chain = gamblers_ruin(N, p)
    assert chain.transient_states() == list(range(1, N))
    assert chain.absorbing_states() == [0, N]
    i = np.arange(1, N)
    q = 1 - p
    if p == 0.5:
        ruin = 1 - i / N
        steps = i * (N - i)
    else:
        r = q / p
        ruin = (r**i - r**N) / (1 - r**N)
        steps = i / (q - p) - N / (q - p) * (1 - r**i) / (1 - r**N)
    B = chain.absorption_probabilities()
    np.testing.assert_allclose(B[:, 0], ruin, rtol=1e-12)
    np.testing.assert_allclose(B.sum(axis=1), 1.0, rtol=1e-13)
    np.testing.assert_allclose(chain.expected_steps_to_absorption(), steps, rtol=1e-11)


def test_drunkards_walk_grinstead_snell():
    # Example 11.13 of Grinstead & Snell: states 0..4, absorbing at 0 and 4
    P = np.zeros((5, 5))
    P[0, 0] = P[4, 4] = 1.0
    for i in (1, 2, 3):
        P[i, i - 1] = P[i, i + 1] = 0.5
    chain = MarkovChain(P)
    np.testing.assert_allclose(
        chain.fundamental_matrix(),
        [[1.5, 1.0, 0.5], [1.0, 2.0, 1.0], [0.5, 1.0, 1.5]],
        rtol=1e-14,
    )
    np.testing.assert_allclose(chain.expected_steps_to_absorption(), [3, 4, 3], rtol=1e-14)
    np.testing.assert_allclose(
        chain.absorption_probabilities(),
        [[0.75, 0.25], [0.5, 0.5], [0.25, 0.75]],
        rtol=1e-14,
    )


def test_absorbing_analysis_matches_hand_solved_systems(rng):
    # a random absorbing chain in arbitrary state order, checked against numpy solves
    n = 8
    P = rng.random((n, n))
    absorbing = [1, 5, 6]
    P[absorbing] = 0.0
    P[absorbing, absorbing] = 1.0
    P /= P.sum(axis=1, keepdims=True)
    chain = MarkovChain(P, states=[f"s{k}" for k in range(n)])
    T = [k for k in range(n) if k not in absorbing]
    assert chain.transient_states() == [f"s{k}" for k in T]
    Q, R = P[np.ix_(T, T)], P[np.ix_(T, absorbing)]
    Nref = np.linalg.inv(np.eye(len(T)) - Q)
    np.testing.assert_allclose(chain.fundamental_matrix(), Nref, rtol=1e-12)
    np.testing.assert_allclose(chain.absorption_probabilities(), Nref @ R, rtol=1e-12)
    np.testing.assert_allclose(chain.expected_steps_to_absorption(), Nref.sum(1), rtol=1e-12)


def test_absorbing_analysis_errors_and_trivial_case():
    with pytest.raises(ValueError, match="no state has P"):
        MarkovChain([[0.5, 0.5], [0.5, 0.5]]).fundamental_matrix()
    mixed = MarkovChain([[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    with pytest.raises(ValueError, match=r"closed class \[1, 2\] has no absorbing state"):
        mixed.absorption_probabilities()
    only = MarkovChain(np.eye(2))
    assert only.fundamental_matrix().shape == (0, 0)
    assert only.absorption_probabilities().shape == (0, 2)
    assert only.expected_steps_to_absorption().shape == (0,)


def test_classes_of_a_reducible_chain():
    P = [
        [0.5, 0.5, 0.0, 0.0, 0.0],
        [0.5, 0.0, 0.5, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [0.2, 0.0, 0.0, 0.0, 0.8],
    ]
    chain = MarkovChain(P, states="abcde")
    assert chain.communicating_classes() == [["a", "b"], ["c", "d"], ["e"]]
    assert chain.closed_classes() == [["c", "d"]]
    assert chain.transient_states() == ["a", "b", "e"]
    assert not chain.is_irreducible()
    assert not chain.is_ergodic()
    assert chain.period("c") == 2
    assert chain.period("a") == 1
    with pytest.raises(ValueError, match="reducible"):
        chain.period()
    np.testing.assert_allclose(chain.stationary_distribution(), [0, 0, 0.5, 0.5, 0])


def test_state_without_return_has_no_period():
    chain = MarkovChain([[0, 1], [0, 1]])
    with pytest.raises(ValueError, match="never revisited"):
        chain.period(0)
    assert chain.period(1) == 1


@pytest.mark.parametrize(
    ("n", "lazy", "period"), [(1, 0.0, 1), (3, 0.0, 3), (6, 0.0, 6), (4, 0.3, 1)]
)
def test_cycles(n, lazy, period):
    chain = cycle(n, lazy)
    assert chain.is_irreducible()
    assert chain.period() == period
    assert chain.is_ergodic() == (period == 1)


def test_periods_of_textbook_chains():
    # Ehrenfest urn: period 2
    N = 5
    P = np.zeros((N + 1, N + 1))
    i = np.arange(N + 1)
    P[i[1:], i[1:] - 1] = i[1:] / N
    P[i[:-1], i[:-1] + 1] = 1 - i[:-1] / N
    assert MarkovChain(P).period() == 2
    # cycles of lengths 2 and 3 through one state: gcd 1
    P = np.zeros((4, 4))
    P[0, 1] = P[0, 2] = 0.5
    P[1, 0] = 1.0
    P[2, 3] = 1.0
    P[3, 0] = 1.0
    assert MarkovChain(P).period() == 1
    # cycles of lengths 2 and 4: period 2
    P = np.zeros((4, 4))
    P[0, 1] = P[0, 3] = 0.5
    P[1, 0] = 1.0
    P[3, 2] = 1.0
    P[2, 1] = 1.0
    assert MarkovChain(P).period() == 2
    # the simple random walk on an even cycle is bipartite
    walk = 0.5 * (np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1))
    assert MarkovChain(walk).period() == 2


def test_periodic_chain_does_not_converge_but_averages_do():
    chain = cycle(3)
    pi0 = np.array([1.0, 0.0, 0.0])
    np.testing.assert_array_equal(chain.distribution(pi0, 300), pi0)
    avg = np.mean([chain.distribution(pi0, t) for t in range(300)], axis=0)
    np.testing.assert_allclose(avg, chain.stationary_distribution(), atol=1e-12)


def test_mean_first_passage_times(rng):
    P = rng.random((5, 5)) * (rng.random((5, 5)) < 0.6)
    P[np.arange(5), (np.arange(5) + 1) % 5] += 0.1
    P /= P.sum(axis=1, keepdims=True)
    chain = MarkovChain(P)
    M = chain.mean_first_passage_times()
    pi = chain.stationary_distribution()
    for j in range(5):
        others = [k for k in range(5) if k != j]
        # first-step analysis: m_ij = 1 + sum_{k != j} P_ik m_kj
        Q = P[np.ix_(others, others)]
        ref = np.linalg.solve(np.eye(4) - Q, np.ones(4))
        np.testing.assert_allclose(M[others, j], ref, rtol=1e-12)
    np.testing.assert_allclose(np.diag(M), 1 / pi, rtol=1e-12)
    # periodic chains too: on a 4-cycle it takes k steps to go k ahead
    np.testing.assert_allclose(cycle(4).mean_first_passage_times()[0], [4, 1, 2, 3], rtol=1e-13)
    with pytest.raises(ValueError, match="irreducible"):
        MarkovChain(np.eye(2)).mean_first_passage_times()


def test_entropy_rate(rng):
    P = rng.random((4, 4))
    P /= P.sum(axis=1, keepdims=True)
    chain = MarkovChain(P)
    pi = chain.stationary_distribution()
    ref = -np.sum(pi[:, None] * P * np.log(P))
    assert chain.entropy_rate() == pytest.approx(ref, rel=1e-12)
    assert chain.entropy_rate(base=2) == pytest.approx(ref / np.log(2), rel=1e-12)
    row = np.array([0.2, 0.3, 0.5])
    iid = MarkovChain(np.tile(row, (3, 1)))
    assert iid.entropy_rate() == pytest.approx(-np.sum(row * np.log(row)), rel=1e-12)
    assert cycle(5).entropy_rate() == 0.0
    with pytest.raises(ValueError, match="not unique"):
        MarkovChain(np.eye(2)).entropy_rate()
