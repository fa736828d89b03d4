r"""Sequence acceleration: Wynn's epsilon algorithm (used by :func:`m4ml.calculus.quad.quad`)."""

import math

import numpy as np

__all__ = ["EpsilonTable", "wynn_epsilon"]

_ROUNDOFF = 4 * float(np.finfo(float).eps)


def wynn_epsilon(sequence, max_terms=50):
    r"""Extrapolate the limit of a sequence by Wynn's :math:`\epsilon`-algorithm.

    Parameters
    ----------
    sequence : sequence of float
        Partial results :math:`S_0, S_1, \dots` (the last ``max_terms`` are used).
    max_terms : int
        How many of the latest terms to use (default 50).

    Returns
    -------
    float or None
        The last entry of the highest even column of the :math:`\epsilon` table, or None when
        fewer than three terms are given.

    Notes
    -----
    With :math:`\epsilon_{-1}^{(j)} = 0` and :math:`\epsilon_0^{(j)} = S_j`,

    .. math:: \epsilon_{k+1}^{(j)} = \epsilon_{k-1}^{(j+1)}
              + \frac{1}{\epsilon_k^{(j+1)} - \epsilon_k^{(j)}} .

    The even columns :math:`\epsilon_{2k}^{(j)}` equal Shanks' transformation
    :math:`e_k(S_j)`, exact for sequences :math:`S_j = S + \sum_{i=1}^k c_i \lambda_i^j`: the
    geometric error terms that bisection toward an endpoint singularity produces. Odd columns
    are auxiliary. When two neighbouring entries agree to roundoff the sequence has
    converged and the table stops there. Cost :math:`O(n^2)` for :math:`n` terms.

    References
    ----------
    .. [1] P. Wynn, "On a device for computing the e_m(S_n) transformation", *Math. Tables
       Aids Comput.* 10 (1956), 91-96.
    .. [2] D. Shanks, "Non-linear transformations of divergent and slowly convergent
       sequences", *J. Math. Phys.* 34 (1955), 1-42.

    Examples
    --------
    >>> from m4ml.calculus.extrapolation import wynn_epsilon
    >>> partial = [sum((-1) ** k / (2 * k + 1) for k in range(n)) for n in range(1, 10)]
    >>> round(4 * partial[-1], 6), round(4 * wynn_epsilon(partial), 6)  # Leibniz: pi
    (3.252366, 3.141593)
    """
    table = EpsilonTable()
    estimate = None
    for value in list(sequence)[-max_terms:]:
        estimate = table.append(value)
    return estimate


class EpsilonTable:
    r"""Wynn's epsilon table grown one term at a time, :math:`O(n)` work per term.

    Only the newest anti-diagonal :math:`d_k = \epsilon_k^{(n-k)}` is kept: a new term
    :math:`S_{n+1}` gives :math:`d'_0 = S_{n+1}` and
    :math:`d'_{k+1} = d_{k-1} + 1 / (d'_k - d_k)` (with :math:`d_{-1} = 0`), stopping at a
    column whose difference is at roundoff level. See :func:`wynn_epsilon`.
    """

    def __init__(self):
        self._diagonal = []
        self.count = 0

    def append(self, value):
        """Add the next term; return the current extrapolation (None before three terms)."""
        old = self._diagonal
        new = [float(value)]
        before = 0.0  # d_{k-1}, the old diagonal one column to the left
        for k, previous in enumerate(old):
            d = new[k] - previous
            if abs(d) <= _ROUNDOFF * max(abs(new[k]), abs(previous)):
                break  # converged (or stagnating) at this column
            entry = before + 1.0 / d
            if not math.isfinite(entry):
                break
            before = previous
            new.append(entry)
        self._diagonal = new
        self.count += 1
        if self.count < 3:
            return None
        return new[(len(new) - 1) // 2 * 2]  # the highest even column
