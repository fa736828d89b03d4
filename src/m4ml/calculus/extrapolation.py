r"""Sequence acceleration: Wynn's epsilon algorithm (used by :func:`m4ml.calculus.quad.quad`)."""

import math

import numpy as np

__all__ = ["wynn_epsilon"]

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
    s = [float(v) for v in list(sequence)[-max_terms:]]
    if len(s) < 3:
        return None
    # plain Python floats: the tables are small, and this sits in quad's inner loop
    prev, cur = [0.0] * (len(s) + 1), s
    best, k = s[-1], 0
    while len(cur) > 1:
        nxt = []
        for j in range(len(cur) - 1):
            d = cur[j + 1] - cur[j]
            if abs(d) <= _ROUNDOFF * max(abs(cur[j + 1]), abs(cur[j])):
                return best  # converged (or stagnating) at this column
            nxt.append(prev[j + 1] + 1.0 / d)
        prev, cur, k = cur, nxt, k + 1
        if k % 2 == 0:
            if not math.isfinite(cur[-1]):
                break
            best = cur[-1]
    return best
