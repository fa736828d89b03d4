r"""Structure and absorption analysis of a finite Markov chain (a mixin of ``MarkovChain``).

The graph of the transition matrix (communicating and closed classes, periods), absorbing
chains (fundamental matrix, absorption probabilities, expected steps), mean first-passage
times and the entropy rate. :class:`m4ml.probability.markov.MarkovChain` inherits these
methods; the graph algorithms are in :mod:`m4ml.probability.markov_graph`.
"""

from collections.abc import Hashable

import numpy as np
from scipy.special import xlogy

from m4ml._core.hints import FloatArray
from m4ml.linalg.solve import inv, solve
from m4ml.probability import markov_graph as graph
from m4ml.probability._distribution_arrays import _log_base

__all__ = ["MarkovAnalysis"]


class MarkovAnalysis:
    """Structure and absorption analysis of :class:`~m4ml.probability.markov.MarkovChain`.

    A mixin: it reads ``self._P`` (validated, row-stochastic), ``self._states`` and
    ``self._index`` set by ``MarkovChain.__init__``, and ``self.stationary_distribution``.
    """

    # ------------------------------------------------------------------ structure
    def _structure(self):
        if self._classes is None:
            adj = self._P > 0
            self._adj = adj
            self._classes = graph.communicating_classes(adj)
            self._closed = graph.closed_mask(adj, self._classes)
        return self._classes, self._closed

    def communicating_classes(self) -> list[list[Hashable]]:
        r"""The communicating classes (strongly connected components of :math:`P > 0`).

        Returns
        -------
        list of list
            Each class as a list of state labels, in state order; the classes are ordered by
            their first state.

        Notes
        -----
        :math:`i \leftrightarrow j` when each can reach the other with positive probability.
        Tarjan's algorithm on the graph with an edge :math:`i \to j` whenever
        :math:`P_{ij} > 0`, :math:`O(k + \mathrm{nnz}(P))`.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]).communicating_classes()
        [[0], [1], [2]]
        """
        classes, _ = self._structure()
        return [self._labels(c) for c in classes]

    def closed_classes(self) -> list[list[Hashable]]:
        """The closed (recurrent) communicating classes, as lists of labels.

        A class is closed when no transition leaves it; in a finite chain these are exactly
        the recurrent classes. See :meth:`communicating_classes`.

        Returns
        -------
        list of list

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]).closed_classes()
        [[0], [2]]
        """
        classes, closed = self._structure()
        return [self._labels(c) for c, ok in zip(classes, closed) if ok]

    def transient_states(self) -> list[Hashable]:
        """Labels of the states outside every closed class (visited finitely often).

        Returns
        -------
        list

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]).transient_states()
        [1]
        """
        return self._labels(self._transient_indices())

    def _transient_indices(self):
        classes, closed = self._structure()
        out = [c for c, ok in zip(classes, closed) if not ok]
        return np.sort(np.concatenate(out)) if out else np.zeros(0, dtype=np.intp)

    def absorbing_states(self) -> list[Hashable]:
        r"""Labels of the absorbing states (:math:`P_{ii} = 1`).

        Returns
        -------
        list

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]).absorbing_states()
        [0, 2]
        """
        return self._labels(np.flatnonzero(np.diag(self._P) == 1.0))

    def is_irreducible(self) -> bool:
        """Whether every state can reach every other (one communicating class).

        Returns
        -------
        bool

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0, 1], [1, 0]]).is_irreducible()
        True
        """
        return len(self._structure()[0]) == 1

    def period(self, state: Hashable | None = None) -> int:
        r"""The period :math:`d = \gcd\{t \ge 1 : (P^t)_{ii} > 0\}`.

        Parameters
        ----------
        state : label, optional
            A state; its period (shared by its whole communicating class). Without it, the
            period of the chain, defined only for an irreducible chain.

        Returns
        -------
        int
            1 for an aperiodic state or chain.

        Raises
        ------
        ValueError
            ``state=None`` on a reducible chain (the classes may have different periods:
            ask per state), or a state the chain can never return to (no period).
        KeyError
            Unknown state.

        Notes
        -----
        Breadth-first levels :math:`\ell` inside the class; the period is the gcd of
        :math:`\ell(u) + 1 - \ell(v)` over the class's edges :math:`u \to v`, :math:`O(k^2)`.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> cycle = MarkovChain([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
        >>> cycle.period()
        3
        """
        classes, _ = self._structure()
        if state is None:
            if len(classes) != 1:
                raise ValueError(
                    "the chain is reducible, so it has no single period; pass state= to get "
                    "the period of that state's class"
                )
            members = classes[0]
        else:
            i = self.index(state)
            members = next(c for c in classes if i in c)
        d = graph.period_of_class(self._adj, members)
        if d == 0:
            raise ValueError(f"state {self._states[members[0]]!r} is never revisited: no period")
        return d

    def is_ergodic(self) -> bool:
        """Whether the chain is irreducible and aperiodic (then :math:`\\pi_t \\to \\pi`).

        Returns
        -------
        bool

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0, 1], [1, 0]]).is_ergodic()  # periodic
        False
        """
        return self.is_irreducible() and self.period() == 1

    def entropy_rate(self, base: float | None = None) -> float:
        r"""Entropy rate :math:`H = -\sum_i \pi_i \sum_j P_{ij} \log P_{ij}` of the chain.

        Parameters
        ----------
        base : float, optional
            Logarithm base (``None``: nats).

        Returns
        -------
        float
            The average uncertainty of one step in the stationary regime.

        Raises
        ------
        ValueError
            No unique stationary distribution, or a bad ``base``.

        Notes
        -----
        For a stationary chain :math:`H(X_{t+1} \mid X_t) = \lim_n H(X_1, \dots, X_n) / n`
        [1]_; an i.i.d. sequence (identical rows) has the entropy of one row.

        References
        ----------
        .. [1] T. M. Cover and J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           2006, thm. 4.2.4.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> round(MarkovChain([[0.5, 0.5], [0.5, 0.5]]).entropy_rate(base=2), 12)
        1.0
        """
        scale = _log_base(base)
        pi = self.stationary_distribution()
        h = 0.0 - float(pi @ xlogy(self._P, self._P).sum(axis=1))
        return max(h, 0.0) / scale

    # ------------------------------------------------------------------ absorbing chains
    def _absorbing_split(self):
        absorbing = np.flatnonzero(np.diag(self._P) == 1.0)
        if absorbing.size == 0:
            raise ValueError("not an absorbing chain: no state has P[i, i] = 1")
        classes, closed = self._structure()
        for members, ok in zip(classes, closed):
            if ok and len(members) > 1:
                raise ValueError(
                    "not an absorbing chain: the closed class "
                    f"{self._labels(members)!r} has no absorbing state"
                )
        return self._transient_indices(), absorbing

    def fundamental_matrix(self) -> FloatArray:
        r"""Fundamental matrix :math:`N = (I - Q)^{-1}` of an absorbing chain.

        Returns
        -------
        ndarray, shape (n_transient, n_transient)
            ``N[i, j]``: expected number of visits to transient state ``j`` starting from
            transient state ``i`` (rows and columns in the order of
            :meth:`transient_states`).

        Raises
        ------
        ValueError
            Not an absorbing chain (no absorbing state, or a closed class of several states).

        Notes
        -----
        With the transient states first, :math:`P = \begin{pmatrix} Q & R \\ 0 & I
        \end{pmatrix}`, and :math:`N = \sum_{t \ge 0} Q^t = (I - Q)^{-1}` [1]_, formed by
        :func:`m4ml.linalg.solve.inv` in :math:`O(k^3)`.

        References
        ----------
        .. [1] C. M. Grinstead and J. L. Snell, *Introduction to Probability*, 2nd ed., 1997,
           sec. 11.2.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]).fundamental_matrix()
        array([[1.]])
        """
        T, _ = self._absorbing_split()
        if T.size == 0:
            return np.zeros((0, 0))
        return inv(np.eye(T.size) - self._P[np.ix_(T, T)])

    def absorption_probabilities(self) -> FloatArray:
        r"""Probabilities :math:`B = N R` of ending in each absorbing state.

        Returns
        -------
        ndarray, shape (n_transient, n_absorbing)
            ``B[i, a]``: probability that the chain started in the ``i``-th transient state
            (order of :meth:`transient_states`) is absorbed in the ``a``-th absorbing state
            (order of :meth:`absorbing_states`). Rows sum to 1.

        Raises
        ------
        ValueError
            Not an absorbing chain.

        Notes
        -----
        First-step analysis gives :math:`B = Q B + R`, solved as :math:`(I - Q) B = R` by LU
        (:func:`m4ml.linalg.solve.solve`), without forming :math:`N`.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> walk = MarkovChain([[1, 0, 0, 0], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [0, 0, 0, 1]])
        >>> walk.absorption_probabilities().round(12)
        array([[0.66666667, 0.33333333],
               [0.33333333, 0.66666667]])
        """
        T, A = self._absorbing_split()
        if T.size == 0:
            return np.zeros((0, A.size))
        return solve(np.eye(T.size) - self._P[np.ix_(T, T)], self._P[np.ix_(T, A)])

    def expected_steps_to_absorption(self) -> FloatArray:
        r"""Expected number of steps :math:`t = N \mathbf 1` before absorption.

        Returns
        -------
        ndarray, shape (n_transient,)
            From each transient state, in the order of :meth:`transient_states`.

        Raises
        ------
        ValueError
            Not an absorbing chain.

        Notes
        -----
        First-step analysis :math:`t = \mathbf 1 + Q t`, solved as :math:`(I - Q)t =
        \mathbf 1`.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> walk = MarkovChain([[1, 0, 0, 0], [0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5], [0, 0, 0, 1]])
        >>> walk.expected_steps_to_absorption()
        array([2., 2.])
        """
        T, _ = self._absorbing_split()
        if T.size == 0:
            return np.zeros(0)
        return solve(np.eye(T.size) - self._P[np.ix_(T, T)], np.ones(T.size))

    def mean_first_passage_times(self) -> FloatArray:
        r"""Mean first-passage times :math:`m_{ij}` of an irreducible chain.

        Returns
        -------
        ndarray, shape (n_states, n_states)
            ``M[i, j]``: expected number of steps to first reach ``j`` from ``i``; the
            diagonal holds the mean recurrence times :math:`1 / \pi_j`.

        Raises
        ------
        ValueError
            The chain is reducible (some first-passage times are infinite).

        Notes
        -----
        With :math:`Z = (I - P + \mathbf 1 \pi^\top)^{-1}` (nonsingular for every
        irreducible chain, periodic ones too), :math:`m_{ij} = (z_{jj} - z_{ij}) / \pi_j`
        for :math:`i \ne j` and :math:`m_{jj} = 1/\pi_j` (Kac's formula) [1]_: one
        :math:`O(k^3)` inverse instead of one linear system per target state.

        References
        ----------
        .. [1] J. G. Kemeny and J. L. Snell, *Finite Markov Chains*, 1960, thm. 4.4.7.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0.5, 0.5], [0.25, 0.75]]).mean_first_passage_times()
        array([[3. , 2. ],
               [4. , 1.5]])
        """
        if not self.is_irreducible():
            raise ValueError(
                "mean first-passage times need an irreducible chain; in this one some states "
                "cannot reach others"
            )
        pi = self.stationary_distribution()
        n = self._P.shape[0]
        Z = inv(np.eye(n) - self._P + pi[None, :])
        M = (np.diag(Z)[None, :] - Z) / pi[None, :]
        M[np.diag_indices(n)] = 1.0 / pi
        return M
