r"""Graph algorithms on a transition matrix's support: communicating classes and periods.

The directed graph of a Markov chain has an edge :math:`i \to j` whenever
:math:`P_{ij} > 0`. Its strongly connected components are the chain's communicating classes,
a component with no edge leaving it is closed (recurrent), and the gcd of a component's cycle
lengths is its period. These functions work on the boolean adjacency matrix and state indices;
:class:`m4ml.probability.markov.MarkovChain` translates to state labels.
"""

import numpy as np

__all__ = ["closed_mask", "communicating_classes", "period_of_class", "reachable"]


def communicating_classes(adj):
    r"""Strongly connected components of the directed graph ``adj`` (Tarjan's algorithm).

    ``adj[i, j]`` is True when :math:`P_{ij} > 0`. Two states communicate when each is
    reachable from the other; the classes are the strongly connected components. Tarjan's
    depth-first search finds them in :math:`O(n + \mathrm{nnz})` time; it is written with an
    explicit stack (no recursion limit). Returns a list of sorted index arrays, ordered by
    their smallest state. The common irreducible case is recognized first by two vectorized
    breadth-first searches from state 0 (forward and backward), without the per-edge loop.
    """
    n = adj.shape[0]
    start = np.zeros(n, dtype=bool)
    start[0] = True
    if reachable(adj, start).all() and reachable(adj.T, start).all():
        return [np.arange(n)]  # irreducible: state 0 reaches and is reached by every state
    nbrs = [np.flatnonzero(row).tolist() for row in adj]
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack, classes, counter = [], [], 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            if i < len(nbrs[v]):
                work[-1] = (v, i + 1)
                w = nbrs[v][i]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:  # v is the root of a component: pop it off the stack
                members = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    members.append(w)
                    if w == v:
                        break
                classes.append(np.array(sorted(members)))
    classes.sort(key=lambda c: c[0])
    return classes


def reachable(adj, start):
    """States reachable from the boolean mask ``start`` (itself included), by vectorized BFS.

    Each step ORs the rows of the frontier, :math:`O(n^2)` in total.
    """
    seen = start.copy()
    frontier = start
    while frontier.any():
        frontier = adj[frontier].any(axis=0) & ~seen
        seen |= frontier
    return seen


def closed_mask(adj, classes):
    """For each class, whether no transition leaves it (closed = recurrent in a finite chain)."""
    if len(classes) == 1:
        return np.ones(1, dtype=bool)  # the whole state space: nothing can leave it
    n = adj.shape[0]
    label = np.empty(n, dtype=np.intp)
    for k, members in enumerate(classes):
        label[members] = k
    rows, cols = np.nonzero(adj)
    leaving = np.zeros(len(classes), dtype=bool)
    leaving[label[rows[label[rows] != label[cols]]]] = True
    return ~leaving


def period_of_class(adj, members):
    r"""Period of a communicating class: the gcd of its cycle lengths (0 if it has no edge).

    Breadth-first levels :math:`\ell` from one member; every edge :math:`u \to v` inside the
    class closes a cycle combination of length :math:`\ell(u) + 1 - \ell(v)`, and the gcd of
    these over all internal edges is the period [1]_. Each BFS step is one vectorized
    ``any`` over the frontier's rows.

    .. [1] J. R. Norris, *Markov Chains*, 1997, sec. 1.8.
    """
    sub = adj[np.ix_(members, members)]
    m = len(members)
    level = np.full(m, -1, dtype=np.int64)
    level[0] = 0
    frontier = np.zeros(m, dtype=bool)
    frontier[0] = True
    depth = 0
    while frontier.any():
        depth += 1
        frontier = sub[frontier].any(axis=0) & (level < 0)
        level[frontier] = depth
    u, v = np.nonzero(sub)
    if u.size == 0:
        return 0
    return int(np.gcd.reduce(np.abs(level[u] + 1 - level[v])))
