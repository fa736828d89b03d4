r"""Finite probability spaces and Bayes' theorem.

A finite probability space is a set of outcomes :math:`\Omega` with a probability
:math:`P(\{\omega\}) \ge 0` on each, :math:`\sum_\omega P(\{\omega\}) = 1`; an *event* is a
subset :math:`A \subseteq \Omega` and :math:`P(A) = \sum_{\omega \in A} P(\{\omega\})`.
:class:`ProbabilitySpace` computes with events given as sets of outcomes or as predicates,
exactly (``fractions.Fraction``) when the outcomes are equally likely or the probabilities
are given as Fractions. Bayes' theorem over finitely many hypotheses is
:func:`m4ml.probability.bayes_theorem.bayes`.
"""

import math
import numbers
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from fractions import Fraction
from typing import Any

import numpy as np

from m4ml._core import as_float_array

#: what the methods accept as an event: a set of outcomes, a list of them, or a predicate
Event = AbstractSet[Hashable] | list[Hashable] | Callable[[Any], bool]

__all__ = ["ProbabilitySpace"]

SUM_TOL = 1e-9  # how far float probabilities may sum away from 1


def _is_exact(values):
    return all(isinstance(v, numbers.Rational) and not isinstance(v, bool) for v in values)


def _check_weights(values, name, *, must_sum_to_one):
    """Validate probabilities given as Python numbers; return (values, exact)."""
    exact = _is_exact(values)
    if exact:
        values = [Fraction(v) for v in values]
    else:
        mixed = [
            float(v) if isinstance(v, numbers.Real) and not isinstance(v, bool) else v
            for v in values
        ]
        arr = as_float_array(mixed, name, max_ndim=1, finite=False)
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains NaN or infinity")
        values = arr.tolist()
    for v in values:
        if v < 0 or (must_sum_to_one and v > 1):
            bound = "in [0, 1]" if must_sum_to_one else "non-negative"
            raise ValueError(f"{name} must be {bound}, found {v}")
    if must_sum_to_one:
        total = sum(values, Fraction(0)) if exact else math.fsum(values)
        if (total != 1) if exact else abs(total - 1) > SUM_TOL:
            raise ValueError(f"{name} must sum to 1, found a sum of {total}")
    return values, exact


class ProbabilitySpace:
    r"""A finite probability space :math:`(\Omega, P)`.

    Parameters
    ----------
    outcomes : iterable of hashable, or mapping
        The distinct outcomes :math:`\omega` (numbers, strings, tuples, ...). A mapping
        ``{outcome: probability}`` gives both arguments at once.
    probabilities : sequence of numbers, optional
        :math:`P(\{\omega\})` for each outcome, in :math:`[0, 1]` and summing to 1. Omitted:
        equally likely outcomes, :math:`P(\{\omega\}) = 1/|\Omega|`.

    Attributes
    ----------
    outcomes : list
        The outcomes, in the order given.
    probabilities : list of Fraction or float
        Their probabilities.
    exact : bool
        Whether probabilities are ``fractions.Fraction`` and every result is exact: the case
        for equally likely outcomes and for probabilities given as ints/Fractions. Otherwise
        results are floats (sums use ``math.fsum``) and the probabilities must sum to 1
        within ``1e-9``.

    Raises
    ------
    ValueError
        No outcomes, repeated outcomes, a probability outside :math:`[0, 1]`, a sum other
        than 1, or a length mismatch.
    TypeError
        Unhashable outcomes.

    Notes
    -----
    Kolmogorov's axioms on a finite :math:`\Omega`: :math:`P(A) \ge 0`,
    :math:`P(\Omega) = 1`, :math:`P(A \cup B) = P(A) + P(B)` for disjoint events. From them
    :math:`P(A^c) = 1 - P(A)`, inclusion--exclusion :math:`P(A \cup B) = P(A) + P(B) -
    P(A \cap B)`, and the conditional probability :math:`P(A \mid B) = P(A \cap B)/P(B)`.
    Every operation costs :math:`O(|\Omega|)`.

    References
    ----------
    .. [1] J. K. Blitzstein and J. Hwang, *Introduction to Probability*, 2nd ed., 2019,
       ch. 1--2.

    Examples
    --------
    >>> from m4ml.probability.spaces import ProbabilitySpace
    >>> dice = ProbabilitySpace([(a, b) for a in range(1, 7) for b in range(1, 7)])
    >>> dice.P(lambda w: w[0] + w[1] == 7)
    Fraction(1, 6)
    >>> dice.conditional(lambda w: w[0] == 6, given=lambda w: w[0] + w[1] >= 11)
    Fraction(2, 3)
    >>> coin = ProbabilitySpace({"H": 0.3, "T": 0.7})
    >>> coin.P({"H"})
    0.3
    """

    def __init__(
        self,
        outcomes: Iterable[Hashable] | Mapping[Hashable, Any],
        probabilities: Sequence[Any] | None = None,
    ):
        if isinstance(outcomes, Mapping) and probabilities is None:
            outcomes, probabilities = list(outcomes.keys()), list(outcomes.values())
        outcomes = list(outcomes)
        if not outcomes:
            raise ValueError("outcomes is empty; a probability space needs at least one")
        if not all(isinstance(w, Hashable) for w in outcomes):
            raise TypeError("outcomes must be hashable (numbers, strings, tuples, ...)")
        if len(set(outcomes)) != len(outcomes):
            raise ValueError("outcomes must be distinct")
        n = len(outcomes)
        if probabilities is None:
            probs, exact = [Fraction(1, n)] * n, True
        else:
            if isinstance(probabilities, np.ndarray):
                probabilities = probabilities.ravel().tolist()
            probabilities = list(probabilities)
            if len(probabilities) != n:
                raise ValueError(f"probabilities has {len(probabilities)} entries for {n} outcomes")
            probs, exact = _check_weights(probabilities, "probabilities", must_sum_to_one=True)
        self.outcomes = outcomes
        self.probabilities = probs
        self.exact = exact
        self._prob = dict(zip(outcomes, probs))

    def __len__(self):
        return len(self.outcomes)

    def __repr__(self):
        kind = "exact" if self.exact else "float"
        return f"ProbabilitySpace({len(self)} outcomes, {kind})"

    def _sum(self, values):
        return sum(values, Fraction(0)) if self.exact else math.fsum(values)

    def event(self, event: Event) -> frozenset[Hashable]:
        """The event ``event`` as a frozenset of outcomes.

        Parameters
        ----------
        event : set, frozenset, list or callable
            A collection of outcomes, or a predicate ``outcome -> bool``.

        Returns
        -------
        frozenset

        Raises
        ------
        ValueError
            A collection holding something that is not an outcome.
        TypeError
            Anything else (a string or tuple is ambiguous: wrap one outcome as ``{outcome}``).

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> sorted(ProbabilitySpace(range(1, 7)).event(lambda k: k % 2 == 0))
        [2, 4, 6]
        """
        if callable(event):
            return frozenset(w for w in self.outcomes if event(w))
        if isinstance(event, AbstractSet | list | range):
            chosen = frozenset(event)
            unknown = [w for w in chosen if w not in self._prob]
            if unknown:
                raise ValueError(f"{unknown[0]!r} is not an outcome of this space")
            return chosen
        raise TypeError(
            "an event is a set (or list) of outcomes or a predicate, got "
            f"{type(event).__name__}; write a single outcome w as {{w}}"
        )

    def P(self, event: Event) -> Fraction | float:
        r"""Probability :math:`P(A) = \sum_{\omega \in A} P(\{\omega\})` of an event.

        Parameters
        ----------
        event : set, frozenset, list or callable
            The event (see :meth:`event`).

        Returns
        -------
        Fraction or float
            Exact in an exact space.

        Raises
        ------
        ValueError, TypeError
            An event that is not a set/list of outcomes or a predicate (see :meth:`event`).

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> ProbabilitySpace(range(1, 7)).P({1, 2})
        Fraction(1, 3)
        """
        return self._sum(self._prob[w] for w in self.event(event))

    def complement(self, event: Event) -> frozenset[Hashable]:
        r"""The complement :math:`A^c = \Omega \setminus A`.

        Parameters
        ----------
        event : set, frozenset, list or callable
            The event :math:`A`.

        Returns
        -------
        frozenset

        Raises
        ------
        ValueError, TypeError
            An event that is not a set/list of outcomes or a predicate (see :meth:`event`).

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> sorted(ProbabilitySpace(range(1, 7)).complement({1, 2}))
        [3, 4, 5, 6]
        """
        return frozenset(self.outcomes) - self.event(event)

    def union(self, *events: Event) -> frozenset[Hashable]:
        r"""The union :math:`A_1 \cup \dots \cup A_k` of events.

        Parameters
        ----------
        *events : set, frozenset, list or callable
            The events.

        Returns
        -------
        frozenset

        Raises
        ------
        ValueError, TypeError
            An event that is not a set/list of outcomes or a predicate (see :meth:`event`).

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> sorted(ProbabilitySpace(range(1, 7)).union({1}, lambda k: k > 4))
        [1, 5, 6]
        """
        return frozenset().union(*(self.event(e) for e in events))

    def intersection(self, *events: Event) -> frozenset[Hashable]:
        r"""The intersection :math:`A_1 \cap \dots \cap A_k` of events (:math:`\Omega` if none).

        Parameters
        ----------
        *events : set, frozenset, list or callable
            The events.

        Returns
        -------
        frozenset

        Raises
        ------
        ValueError, TypeError
            An event that is not a set/list of outcomes or a predicate (see :meth:`event`).

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> sorted(ProbabilitySpace(range(1, 7)).intersection({1, 2, 3}, lambda k: k > 1))
        [2, 3]
        """
        return frozenset(self.outcomes).intersection(*(self.event(e) for e in events))

    def conditional(self, event: Event, given: Event) -> Fraction | float:
        r"""Conditional probability :math:`P(A \mid B) = P(A \cap B) / P(B)`.

        Parameters
        ----------
        event, given : set, frozenset, list or callable
            :math:`A` and :math:`B`.

        Returns
        -------
        Fraction or float

        Raises
        ------
        ValueError
            :math:`P(B) = 0`: conditioning on an impossible event is undefined.

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> ProbabilitySpace(range(1, 7)).conditional({6}, given=lambda k: k % 2 == 0)
        Fraction(1, 3)
        """
        B = self.event(given)
        pb = self.P(B)
        if pb == 0:
            raise ValueError("P(given) = 0: cannot condition on an event of probability zero")
        return self.P(self.event(event) & B) / pb

    def independent(self, A: Event, B: Event, *, atol: float = 1e-12) -> bool:
        r"""Whether :math:`P(A \cap B) = P(A)\,P(B)`.

        Parameters
        ----------
        A, B : set, frozenset, list or callable
            The events.
        atol : float, default 1e-12
            Tolerance for float spaces; exact spaces compare exactly.

        Returns
        -------
        bool

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> dice = ProbabilitySpace([(a, b) for a in range(1, 7) for b in range(1, 7)])
        >>> dice.independent(lambda w: w[0] == 1, lambda w: w[0] + w[1] == 7)
        True
        >>> dice.independent(lambda w: w[0] == 1, lambda w: w[0] + w[1] == 6)
        False
        """
        a, b = self.event(A), self.event(B)
        diff = self.P(a & b) - self.P(a) * self.P(b)
        return diff == 0 if self.exact else abs(diff) <= atol

    def expectation(self, random_variable: Callable[[Any], Any]) -> Any:
        r"""Expected value :math:`E[X] = \sum_\omega X(\omega) P(\{\omega\})`.

        Parameters
        ----------
        random_variable : callable
            :math:`X`, a function of the outcome returning a number.

        Returns
        -------
        Fraction, float or the type ``random_variable`` returns

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> ProbabilitySpace(range(1, 7)).expectation(lambda k: k)
        Fraction(7, 2)
        """
        if not callable(random_variable):
            raise TypeError("random_variable must be a function of the outcome")
        values = [random_variable(w) * p for w, p in self._prob.items()]
        return sum(values, Fraction(0)) if self.exact else math.fsum(values)

    def distribution(self, random_variable: Callable[[Any], Any]) -> dict[Any, Fraction | float]:
        r"""The distribution :math:`P(X = x)` of a random variable, as a dict.

        Parameters
        ----------
        random_variable : callable
            :math:`X`, a function of the outcome returning a hashable value.

        Returns
        -------
        dict
            ``{x: P(X = x)}``, sorted by ``x`` when the values can be sorted.

        Examples
        --------
        >>> from m4ml.probability.spaces import ProbabilitySpace
        >>> coins = ProbabilitySpace([(a, b) for a in "HT" for b in "HT"])
        >>> coins.distribution(lambda w: w.count("H"))
        {0: Fraction(1, 4), 1: Fraction(1, 2), 2: Fraction(1, 4)}
        """
        if not callable(random_variable):
            raise TypeError("random_variable must be a function of the outcome")
        groups: dict[Any, list] = {}
        for w, p in self._prob.items():
            groups.setdefault(random_variable(w), []).append(p)
        try:
            keys = sorted(groups)
        except TypeError:
            keys = list(groups)
        return {k: self._sum(groups[k]) for k in keys}
