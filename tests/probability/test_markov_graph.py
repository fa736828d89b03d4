"""Graph algorithms on a transition matrix's support vs scipy.sparse.csgraph and by hand."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components

from m4ml.probability.markov_graph import (
    closed_mask,
    communicating_classes,
    period_of_class,
    reachable,
)


def _as_sets(classes):
    return sorted(sorted(int(i) for i in c) for c in classes)


def test_classes_by_hand():
    adj = np.array(
        [
            [1, 1, 0, 0, 0],
            [1, 0, 1, 0, 0],
            [0, 0, 0, 1, 0],
            [0, 0, 1, 0, 0],
            [1, 0, 0, 0, 1],
        ],
        dtype=bool,
    )
    classes = communicating_classes(adj)
    assert [c.tolist() for c in classes] == [[0, 1], [2, 3], [4]]
    assert closed_mask(adj, classes).tolist() == [False, True, False]
    assert [period_of_class(adj, c) for c in classes] == [1, 2, 1]


def test_long_path_needs_no_recursion():
    n = 5000  # a recursive depth-first search would overflow Python's stack here
    adj = np.zeros((n, n), dtype=bool)
    adj[np.arange(n - 1), np.arange(1, n)] = True
    adj[n - 1, n - 1] = True
    classes = communicating_classes(adj)  # reducible: Tarjan's search, 5000 levels deep
    assert len(classes) == n and all(c.size == 1 for c in classes)
    assert closed_mask(adj, classes).sum() == 1
    adj[n - 1, 0] = True  # close the cycle: irreducible, recognized by the BFS fast path
    (cls,) = communicating_classes(adj)
    assert cls.size == n
    assert period_of_class(adj, cls) == 1  # cycle lengths n and 1 (the self-loop)
    adj[n - 1, n - 1] = False
    assert period_of_class(adj, cls) == n


def test_reachable():
    adj = np.array([[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]], dtype=bool)
    start = np.array([True, False, False, False])
    assert reachable(adj, start).tolist() == [True, True, True, False]
    assert reachable(adj.T, start).tolist() == [True, False, False, True]


def test_period_zero_without_internal_edges():
    adj = np.array([[0, 1], [0, 1]], dtype=bool)
    classes = communicating_classes(adj)
    assert [period_of_class(adj, c) for c in classes] == [0, 1]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.integers(0, 2**32 - 1), st.floats(0.05, 0.5))
def test_classes_match_scipy_strong_components(n, seed, density):
    adj = np.random.default_rng(seed).random((n, n)) < density
    classes = communicating_classes(adj)
    _, labels = connected_components(adj, directed=True, connection="strong")
    ref = [np.flatnonzero(labels == k) for k in np.unique(labels)]
    assert _as_sets(classes) == _as_sets(ref)
    assert [c[0] for c in classes] == sorted(c[0] for c in classes)
    # a class is closed exactly when no edge leaves it
    for c, closed in zip(classes, closed_mask(adj, classes)):
        outside = np.setdiff1d(np.arange(n), c)
        assert closed == (not adj[np.ix_(c, outside)].any())


@pytest.mark.parametrize(("lengths", "period"), [((2, 3), 1), ((4, 6), 2), ((3, 6, 9), 3)])
def test_period_is_gcd_of_cycle_lengths(lengths, period):
    # cycles of the given lengths sharing state 0
    n = 1 + sum(k - 1 for k in lengths)
    adj = np.zeros((n, n), dtype=bool)
    nxt = 1
    for k in lengths:
        path = [0, *range(nxt, nxt + k - 1), 0]
        nxt += k - 1
        adj[path[:-1], path[1:]] = True
    (cls,) = communicating_classes(adj)
    assert period_of_class(adj, cls) == period
