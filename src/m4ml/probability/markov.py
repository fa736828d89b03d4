r"""Finite discrete-time Markov chains: :class:`MarkovChain`.

A chain on states :math:`s_0, \dots, s_{n-1}` is given by its row-stochastic transition
matrix, :math:`P_{ij} = \Pr(X_{t+1} = s_j \mid X_t = s_i)`. Distributions are row vectors and
evolve as :math:`\pi_{t+1} = \pi_t P`. This module holds the chain itself, its evolution,
stationary distributions and simulation; the analysis of its structure (classes, periods) and
of absorption is inherited from :class:`m4ml.probability.markov_analysis.MarkovAnalysis`, and
estimation from data (``MarkovChain.fit``) from :class:`m4ml.probability.markov_fit.MarkovFit`.
"""

import bisect
from collections.abc import Hashable, Sequence

import numpy as np

from m4ml._core import as_float_array, check_positive_int, check_rng
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.linalg.matrices import matrix_power
from m4ml.linalg.solve import solve
from m4ml.probability._distribution_arrays import as_distribution
from m4ml.probability.base import sum_tolerance
from m4ml.probability.markov_analysis import MarkovAnalysis
from m4ml.probability.markov_fit import MarkovFit

__all__ = ["MarkovChain"]

ROW_TOL = 1e-8  # how far a row sum of P may stray from 1


class MarkovChain(MarkovAnalysis, MarkovFit):
    r"""A finite, time-homogeneous Markov chain.

    Parameters
    ----------
    P : array_like, shape (n, n)
        Transition matrix: ``P[i, j]`` is the probability of moving from state ``i`` to state
        ``j``. Entries in :math:`[0, 1]`, rows summing to 1 within ``1e-8`` (the rows are
        then rescaled to sum to 1 to rounding).
    states : sequence of hashable, optional
        Labels of the states (default ``0, 1, ..., n - 1``). Every method that takes or
        returns a state uses these labels.

    Attributes
    ----------
    P : ndarray, shape (n, n)
        The (read-only) transition matrix.
    states : list
        The state labels.

    Raises
    ------
    ValueError
        ``P`` not square, empty, with negative/NaN/infinite entries or a row not summing to 1
        (the message names the row); ``states`` of the wrong length or with repeats.

    Notes
    -----
    Chapman--Kolmogorov: :math:`\Pr(X_{t+m} = j \mid X_t = i) = (P^m)_{ij}`. A finite chain
    splits into communicating classes; the *closed* ones are recurrent, the others
    transient. Each closed class carries exactly one stationary distribution, so the chain has
    a unique one iff it has exactly one closed class, and :math:`\pi_t \to \pi` from every
    start iff moreover that class is aperiodic (for an irreducible chain: *ergodic*).

    References
    ----------
    .. [1] J. R. Norris, *Markov Chains*, Cambridge University Press, 1997.
    .. [2] C. M. Grinstead and J. L. Snell, *Introduction to Probability*, 2nd ed., 1997,
       ch. 11.

    Examples
    --------
    >>> from m4ml.probability.markov import MarkovChain
    >>> weather = MarkovChain([[0.9, 0.1], [0.5, 0.5]], states=["sunny", "rainy"])
    >>> weather.stationary_distribution().round(6)
    array([0.833333, 0.166667])
    >>> weather.distribution([0.0, 1.0], 2).round(6)
    array([0.7, 0.3])
    >>> weather.is_ergodic()
    True
    """

    def __init__(self, P: ArrayLike, states: Sequence[Hashable] | None = None):
        row_tol = sum_tolerance(
            np.atleast_1d(np.asarray(P))[:1], ROW_TOL
        )  # one row: its own precision
        A = as_float_array(P, "P", finite=False)
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] == 0:
            raise ValueError(f"P must be a non-empty square matrix, got shape {A.shape}")
        if not np.isfinite(A).all():
            raise ValueError("P contains NaN or infinity")
        if (A < 0).any() or (A > 1).any():
            i, j = np.argwhere((A < 0) | (A > 1))[0]
            raise ValueError(f"P must hold probabilities in [0, 1], found P[{i}, {j}] = {A[i, j]}")
        sums = A.sum(axis=1)
        bad = np.abs(sums - 1.0) > row_tol
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(
                f"P must be row-stochastic: row {i} sums to {float(sums[i])!r}, not 1 "
                "(rows are the 'from' states)"
            )
        self._P = A / sums[:, None]
        self._P.setflags(write=False)
        n = A.shape[0]
        if states is None:
            states = list(range(n))
        else:
            states = list(states)
            if len(states) != n:
                raise ValueError(f"states has {len(states)} labels for a {n}-state chain")
            if not all(isinstance(s, Hashable) for s in states):
                raise TypeError("state labels must be hashable")
            if len(set(states)) != n:
                raise ValueError("state labels must be distinct")
        self._states = states
        self._index = {s: i for i, s in enumerate(states)}
        self._classes = None

    # ------------------------------------------------------------------ basics
    @property
    def P(self) -> FloatArray:
        """The transition matrix (read-only)."""
        return self._P

    @property
    def states(self) -> list[Hashable]:
        """The state labels, in the order of ``P``'s rows."""
        return list(self._states)

    @property
    def n_states(self) -> int:
        """Number of states."""
        return len(self._states)

    def __repr__(self):
        return f"MarkovChain(n_states={self.n_states}, states={self._states!r})"

    def index(self, state: Hashable) -> int:
        """Row index of ``state`` in ``P``.

        Parameters
        ----------
        state : label
            One of :attr:`states`.

        Returns
        -------
        int

        Raises
        ------
        KeyError
            ``state`` is not a state of the chain (the message names it).
        """
        try:
            return self._index[state]
        except (KeyError, TypeError):
            raise KeyError(f"{state!r} is not a state of this chain") from None

    def _labels(self, indices):
        return [self._states[i] for i in indices]

    def n_step(self, n: int) -> FloatArray:
        r"""The :math:`n`-step transition matrix :math:`P^n` (Chapman--Kolmogorov).

        Parameters
        ----------
        n : int
            Number of steps, :math:`n \ge 0`.

        Returns
        -------
        ndarray, shape (n_states, n_states)
            ``P^n[i, j]`` is the probability of being in ``j`` ``n`` steps after ``i``.

        Raises
        ------
        ValueError, TypeError
            ``n`` negative or not an integer.

        Notes
        -----
        Repeated squaring, :math:`O(k^3 \log n)` for :math:`k` states
        (:func:`m4ml.linalg.matrices.matrix_power`).

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0, 1], [1, 0]]).n_step(3)
        array([[0., 1.],
               [1., 0.]])
        """
        n = check_positive_int(n, "n", minimum=0)
        return matrix_power(self._P, n)

    def distribution(self, pi0: ArrayLike, n: int) -> FloatArray:
        r"""The distribution after ``n`` steps from the initial distribution ``pi0``.

        Parameters
        ----------
        pi0 : array_like, shape (n_states,) or (m, n_states)
            Initial distribution(s) as row vectors (probabilities summing to 1).
        n : int
            Number of steps, :math:`n \ge 0`.

        Returns
        -------
        ndarray, same shape as ``pi0``
            :math:`\pi_n = \pi_0 P^n`.

        Raises
        ------
        ValueError
            ``pi0`` not a distribution over the chain's states, or ``n`` negative.

        Notes
        -----
        For :math:`n \le k` (the number of states) ``n`` vector--matrix products,
        :math:`O(n k^2)`; beyond, one matrix power.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0.5, 0.5], [0.0, 1.0]]).distribution([1.0, 0.0], 3)
        array([0.125, 0.875])
        """
        n = check_positive_int(n, "n", minimum=0)
        pi = as_distribution(pi0, "pi0", axis=-1)
        if pi.ndim > 2 or pi.shape[-1] != self.n_states:
            raise ValueError(
                f"pi0 must have shape ({self.n_states},) or (m, {self.n_states}), got {pi.shape}"
            )
        if n <= self.n_states:
            for _ in range(n):
                pi = pi @ self._P
            return pi
        return pi @ matrix_power(self._P, n)

    # ------------------------------------------------------------------ stationary
    def stationary_distributions(self) -> FloatArray:
        r"""One stationary distribution per closed class: the extreme points of all of them.

        Returns
        -------
        ndarray, shape (n_closed_classes, n_states)
            Row ``r`` is the stationary distribution supported on the ``r``-th closed class
            (in the order of :meth:`closed_classes`); every stationary distribution of the
            chain is a convex combination of these rows.

        Notes
        -----
        Each closed class :math:`C` is itself an irreducible chain :math:`P_{CC}`, solved as in
        :meth:`stationary_distribution`; transient states get probability 0.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]).stationary_distributions()
        array([[1., 0., 0.],
               [0., 0., 1.]])
        """
        classes, closed = self._structure()
        rows = []
        for members, ok in zip(classes, closed):
            if ok:
                row = np.zeros(self.n_states)
                sub = (
                    self._P if members.size == self.n_states else self._P[np.ix_(members, members)]
                )
                row[members] = _stationary_irreducible(sub)
                rows.append(row)
        return np.array(rows)

    def stationary_distribution(self) -> FloatArray:
        r"""The unique stationary distribution :math:`\pi = \pi P`, :math:`\sum_i \pi_i = 1`.

        Returns
        -------
        ndarray, shape (n_states,)

        Raises
        ------
        ValueError
            The chain has several closed classes, so the stationary distribution is not
            unique; use :meth:`stationary_distributions` for one per closed class.

        Notes
        -----
        For an irreducible chain, solves :math:`(I - P^\top + \mathbf 1\mathbf 1^\top)\pi =
        \mathbf 1` by LU with partial pivoting (:func:`m4ml.linalg.solve.solve`),
        :math:`O(k^3)`; :math:`\pi` solves it because :math:`(I - P^\top)\pi = 0` and
        :math:`\mathbf 1^\top\pi = 1`, and the matrix is nonsingular exactly when the chain
        is irreducible. A reducible chain with a single closed class (e.g. one absorbing
        state) has a unique :math:`\pi`, supported on that class. The residual
        :math:`\|\pi P - \pi\|_\infty` is of the order of the unit roundoff times the
        condition number (large only for nearly decoupled chains).

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0.5, 0.5, 0], [0.25, 0.5, 0.25], [0, 0.5, 0.5]]).stationary_distribution()
        array([0.25, 0.5 , 0.25])
        """
        _, closed = self._structure()
        if closed.sum() != 1:
            raise ValueError(
                f"the chain has {int(closed.sum())} closed classes, so its stationary "
                "distribution is not unique; use stationary_distributions() for one per class"
            )
        return self.stationary_distributions()[0]

    # ------------------------------------------------------------------ sampling
    def simulate(self, n_steps: int, start: Hashable, rng: Seed = None) -> list[Hashable]:
        r"""A sample path :math:`X_0 = \text{start}, X_1, \dots, X_{n}` of the chain.

        Parameters
        ----------
        n_steps : int
            Number of transitions, :math:`n \ge 0`.
        start : label
            The initial state.
        rng : None, int or numpy.random.Generator
            Source of randomness.

        Returns
        -------
        list
            ``n_steps + 1`` state labels, ``start`` first.

        Raises
        ------
        KeyError
            Unknown ``start``.
        ValueError, TypeError
            Bad ``n_steps`` or ``rng``.

        Notes
        -----
        Inverse-cdf sampling: all uniforms :math:`u_t` are drawn at once, and each step
        picks the first :math:`j` with :math:`F_{X_t}(j) > u_t` in the cumulative row
        (binary search, :math:`O(\log k)`). States of probability zero can never be picked:
        the row's cumulative sums are made infinite from its last positive entry on. By the
        ergodic theorem the visit frequencies of an irreducible chain converge to
        :math:`\pi`.

        Examples
        --------
        >>> from m4ml.probability.markov import MarkovChain
        >>> MarkovChain([[0, 1], [1, 0]], states="ab").simulate(4, "a", rng=0)
        ['a', 'b', 'a', 'b', 'a']
        """
        n_steps = check_positive_int(n_steps, "n_steps", minimum=0)
        state = self.index(start)
        gen = check_rng(rng)
        n = self.n_states
        cum = np.cumsum(self._P, axis=1)
        last = n - 1 - np.argmax(self._P[:, ::-1] > 0, axis=1)
        cum[np.arange(n)[None, :] >= last[:, None]] = np.inf
        rows = cum.tolist()
        path = [state]
        for u in gen.random(n_steps).tolist():
            state = bisect.bisect_right(rows[state], u)
            path.append(state)
        return [self._states[i] for i in path]


def _stationary_irreducible(P):
    """Solve (I - P^T + 1 1^T) pi = 1 (see ``MarkovChain.stationary_distribution``)."""
    pi = solve(np.eye(P.shape[0]) - P.T + 1.0, np.ones(P.shape[0]))
    pi = np.maximum(pi, 0.0)  # rounding can leave -1e-17 on a tiny entry
    return pi / pi.sum()
