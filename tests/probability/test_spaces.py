"""Finite probability spaces and Bayes' theorem: exact closed forms and identities."""

from fractions import Fraction as F
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.probability.spaces import ProbabilitySpace

DICE = ProbabilitySpace(list(product(range(1, 7), repeat=2)))


def test_equally_likely_is_exact():
    assert DICE.exact
    assert len(DICE) == 36
    assert DICE.P(lambda w: sum(w) == 7) == F(1, 6)
    assert DICE.P(lambda w: sum(w) == 2) == F(1, 36)
    assert DICE.P(set()) == 0
    assert DICE.P(DICE.outcomes) == 1
    assert DICE.P({(1, 1), (6, 6)}) == F(1, 18)
    assert "36 outcomes, exact" in repr(DICE)


def test_sum_of_two_dice_distribution():
    dist = DICE.distribution(lambda w: w[0] + w[1])
    assert list(dist) == list(range(2, 13))
    assert [dist[s] for s in range(2, 13)] == [F(6 - abs(s - 7), 36) for s in range(2, 13)]
    assert DICE.expectation(lambda w: w[0] + w[1]) == 7
    assert DICE.expectation(lambda w: w[0] * w[1]) == F(49, 4)  # independence


def test_float_space_from_mapping_and_arrays():
    loaded = ProbabilitySpace({1: 0.5, 2: 0.1, 3: 0.1, 4: 0.1, 5: 0.1, 6: 0.1})
    assert not loaded.exact
    assert loaded.P(lambda k: k % 2 == 1) == pytest.approx(0.7, abs=1e-15)
    assert loaded.expectation(lambda k: k) == pytest.approx(0.5 * 1 + 0.1 * 20, abs=1e-14)
    arr = ProbabilitySpace("abc", np.array([0.2, 0.3, 0.5]))
    assert arr.P(["a", "c"]) == pytest.approx(0.7, abs=1e-15)
    exact = ProbabilitySpace("abc", [F(1, 5), F(3, 10), F(1, 2)])
    assert exact.exact and exact.P({"a", "b"}) == F(1, 2)


def test_set_operations_and_rules():
    space = ProbabilitySpace(range(1, 7))
    even, low = (lambda k: k % 2 == 0), {1, 2, 3}
    assert space.complement(low) == frozenset({4, 5, 6})
    assert space.union(even, low) == frozenset({1, 2, 3, 4, 6})
    assert space.intersection(even, low) == frozenset({2})
    assert space.intersection() == frozenset(range(1, 7))
    # inclusion-exclusion and the complement rule, exactly
    assert space.P(space.union(even, low)) == (
        space.P(even) + space.P(low) - space.P(space.intersection(even, low))
    )
    assert space.P(space.complement(low)) == 1 - space.P(low)


def test_conditional_and_independence():
    assert DICE.conditional(lambda w: w[0] == 6, given=lambda w: sum(w) >= 11) == F(2, 3)
    assert DICE.conditional(lambda w: sum(w) == 7, given=lambda w: w[0] == 3) == F(1, 6)
    assert DICE.independent(lambda w: w[0] == 3, lambda w: sum(w) == 7)
    assert not DICE.independent(lambda w: w[0] == 3, lambda w: sum(w) == 8)
    floats = ProbabilitySpace(["HH", "HT", "TH", "TT"], [0.36, 0.24, 0.24, 0.16])
    assert floats.independent(lambda w: w[0] == "H", lambda w: w[1] == "H")
    assert floats.conditional({"HH"}, given=lambda w: w[0] == "H") == pytest.approx(0.6, 1e-14)
    with pytest.raises(ValueError, match="probability zero"):
        DICE.conditional({(1, 1)}, given=set())
    with pytest.raises(ValueError, match="probability zero"):
        ProbabilitySpace("ab", [1.0, 0.0]).conditional({"a"}, given={"b"})


def test_monty_hall():
    # (car door, contestant's pick 1, host's opened door), host picks uniformly when free
    outcomes, probs = [], []
    for car in (1, 2, 3):
        free = [d for d in (2, 3) if d != car]
        for opened in free:
            outcomes.append((car, opened))
            probs.append(F(1, 3) / len(free))
    space = ProbabilitySpace(outcomes, probs)
    assert space.exact
    stay = space.conditional(lambda w: w[0] == 1, given=lambda w: w[1] == 3)
    switch = space.conditional(lambda w: w[0] == 2, given=lambda w: w[1] == 3)
    assert (stay, switch) == (F(1, 3), F(2, 3))


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([],), ValueError, "empty"),
        (([1, 1],), ValueError, "distinct"),
        (([[1], [2]],), TypeError, "hashable"),
        (("ab", [0.5]), ValueError, "1 entries for 2 outcomes"),
        (("ab", [0.7, 0.7]), ValueError, "sum to 1, found a sum of 1.4"),
        (("ab", [-0.1, 1.1]), ValueError, "in \\[0, 1\\]"),
        (("ab", [0.5, 0.4]), ValueError, "sum to 1"),
        (("ab", [F(1, 2), F(1, 3)]), ValueError, "sum to 1, found a sum of 5/6"),
        (("ab", [np.nan, 1.0]), ValueError, "NaN"),
    ],
)
def test_bad_spaces(args, error, match):
    with pytest.raises(error, match=match):
        ProbabilitySpace(*args)


def test_bad_events():
    space = ProbabilitySpace(range(1, 7))
    with pytest.raises(ValueError, match="7 is not an outcome"):
        space.P({7})
    with pytest.raises(TypeError, match="single outcome"):
        space.P(3)
    with pytest.raises(TypeError, match="single outcome"):
        DICE.P((1, 1))
    with pytest.raises(TypeError, match="function of the outcome"):
        space.expectation(3)


@settings(max_examples=25, deadline=None)
@given(st.sets(st.integers(1, 6)), st.sets(st.integers(1, 6)))
def test_inclusion_exclusion(A, B):
    space = ProbabilitySpace(range(1, 7))
    assert space.P(A | B) == space.P(A) + space.P(B) - space.P(A & B)
    if B:
        assert space.conditional(A, given=B) * space.P(B) == space.P(A & B)
