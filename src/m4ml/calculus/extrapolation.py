r"""Sequence acceleration: Wynn's epsilon algorithm (used by :func:`m4ml.calculus.quad.quad`)."""

import itertools
import math

import numpy as np

from m4ml._core import as_float_array, overflow_guard
from m4ml._core.hints import ArrayLike
from m4ml.linalg import det

__all__ = ["EpsilonTable", "wynn_epsilon"]


@overflow_guard("wynn_epsilon")
def wynn_epsilon(sequence: ArrayLike, max_terms: int = 50) -> float | None:
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

    Raises
    ------
    ValueError
        A term that is NaN or infinite.

    Notes
    -----
    With :math:`\epsilon_{-1}^{(j)} = 0` and :math:`\epsilon_0^{(j)} = S_j`, Wynn's rhombus rule

    .. math:: \epsilon_{k+1}^{(j)} = \epsilon_{k-1}^{(j+1)}
              + \frac{1}{\epsilon_k^{(j+1)} - \epsilon_k^{(j)}}

    fills the table; the even columns :math:`\epsilon_{2k}^{(j)}` equal Shanks' transformation
    :math:`e_k(S_j)`, exact for sequences :math:`S_j = S + \sum_{i=1}^k c_i \lambda_i^j`: the
    geometric error terms that bisection toward an endpoint singularity produces. The odd
    columns are auxiliary and become infinite whenever two neighbouring entries are equal
    (:math:`S_j = S_{j+1}` for a sequence that has not converged), which breaks the rhombus
    rule. This implementation therefore computes the even columns directly by Wynn's *cross
    rule*, the identity between an entry :math:`C = \epsilon_{2k}^{(j)}` and its neighbours
    :math:`N = \epsilon_{2k}^{(j-1)}`, :math:`S = \epsilon_{2k}^{(j+1)}`,
    :math:`W = \epsilon_{2k-2}^{(j+1)}` and :math:`E = \epsilon_{2k+2}^{(j-1)}`:

    .. math:: \frac{1}{E - C} = \frac{1}{N - C} + \frac{1}{S - C} - \frac{1}{W - C},

    with :math:`\epsilon_{-2} = \infty` (the last term is then 0, and for :math:`k = 0` the rule
    is Aitken's :math:`\Delta^2`). Equal neighbours :math:`N = C` or :math:`S = C` make the right
    side infinite, so :math:`E = C`: no division of equal numbers ever happens. A column ends
    where the right side is 0 (the next entry would be infinite). Cost :math:`O(n^2)` for
    :math:`n` terms, :math:`O(n)` per appended term.

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
    terms = as_float_array(sequence, "sequence", min_ndim=1, max_ndim=1, finite=False)
    table = EpsilonTable()
    estimate = None
    for value in terms[-max_terms:]:
        estimate = table.append(value)
    return estimate


class EpsilonTable:
    r"""The even columns of Wynn's epsilon table, grown one term at a time (:func:`wynn_epsilon`).

    ``columns[k]`` holds :math:`\epsilon_{2k}^{(0)}, \epsilon_{2k}^{(1)}, \dots` (``None``
    where the entry is undefined); a new term :math:`S_n` extends column 0 and then each column
    :math:`k \ge 1` by one entry, :math:`\epsilon_{2k}^{(n-2k)}`, from the cross rule centred on
    :math:`C = \epsilon_{2k-2}^{(n-2k+1)}`. :math:`O(n)` work per term.
    """

    def __init__(self):
        self.columns = [[]]
        self.count = 0

    def append(self, value):
        """Add the next term; return the current extrapolation (None before three terms)."""
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"wynn_epsilon: the terms must be finite, got {value}")
        cols = self.columns
        cols[0].append(value)
        self.count += 1
        n = self.count - 1
        estimate = value
        for k in range(1, n // 2 + 1):
            if k == len(cols):
                cols.append([])
            j = n - 2 * k + 1  # C = column k-1 at j; E = column k at j - 1
            prev = cols[k - 1]
            west = cols[k - 2][j + 1] if k >= 2 else math.inf
            entry = _cross(prev[j - 1], prev[j], prev[j + 1], west)
            if entry is None:  # the cross rule is singular here: Shanks' definition instead
                entry = _shanks(cols[0], k, j - 1)
            cols[k].append(entry)
            if entry is not None:
                estimate = entry
        return estimate if self.count >= 3 else None


_ROUNDOFF = 16 * float(np.finfo(float).eps)


_CONVERGED = 128 * float(np.finfo(float).eps)


def _near(x, y, tol=_ROUNDOFF):
    return abs(x - y) <= tol * max(abs(x), abs(y))


def _cross(north, centre, south, west):
    r"""Wynn's cross rule for :math:`E` (:func:`wynn_epsilon`); None where it is singular.

    Both neighbours equal to the centre (to rounding) means the column has converged, and
    :math:`E = C`; one equal neighbour is an isolated singularity of the table, and a right
    side that cancels to rounding level means :math:`E` is undefined (the sequence holds fewer
    geometric terms than this column removes): both give None.
    """
    if None in (north, centre, south, west):
        return None
    if _near(north, centre, _CONVERGED) and _near(south, centre, _CONVERGED):
        return centre  # the column has converged to rounding: E = C (no ratio of noise)
    if _near(north, centre) or _near(south, centre) or _near(west, centre):
        return None
    terms = [1.0 / (north - centre), 1.0 / (south - centre)]
    if west != math.inf:
        terms.append(-1.0 / (west - centre))
    total = math.fsum(terms)
    if abs(total) <= _ROUNDOFF * sum(abs(t) for t in terms):
        return None
    entry = centre + 1.0 / total
    return entry if math.isfinite(entry) else None


def _shanks(terms, k, j):
    r"""Shanks' :math:`e_k(S_j)` as a ratio of Hankel determinants (None when undefined).

    .. math:: e_k(S_j) = \frac{\det\begin{pmatrix} S_j & \cdots & S_{j+k} \\
              \Delta S_j & \cdots & \Delta S_{j+k} \\ \vdots & & \vdots \\
              \Delta S_{j+k-1} & \cdots & \Delta S_{j+2k-1}\end{pmatrix}}
              {\det\begin{pmatrix} 1 & \cdots & 1 \\ \Delta S_j & \cdots & \Delta S_{j+k} \\
              \vdots & & \vdots \\ \Delta S_{j+k-1} & \cdots & \Delta S_{j+2k-1}\end{pmatrix}}

    The definition the epsilon table computes recursively; used only where the recursion meets
    equal neighbours (an isolated singularity of the table).
    """
    s = [float(t) for t in terms[j : j + 2 * k + 1]]
    ds = [b - a for a, b in itertools.pairwise(s)]
    rows = [ds[i : i + k + 1] for i in range(k)]
    top, bottom = [s[: k + 1], *rows], [[1.0] * (k + 1), *rows]
    determinant = _det_small if k + 1 <= _SMALL else (lambda m: float(det(np.array(m))))
    den = determinant(bottom)
    biggest = max(abs(x) for row in bottom for x in row)
    scale = (
        math.inf if biggest > 1.0 and math.log(biggest) * (k + 1) > 709.0 else biggest ** (k + 1)
    )
    if not math.isfinite(den) or abs(den) <= 64 * _EPS * scale:
        return None  # e_k(S_j) is undefined (or lost to rounding) here
    entry = determinant(top) / den
    return entry if math.isfinite(entry) else None


_EPS = float(np.finfo(float).eps)
_SMALL = 4  # up to this order, Python floats beat the validated m4ml.linalg.det's overhead


def _det_small(a):
    """Determinant of a small square matrix by Gaussian elimination with partial pivoting, on
    Python floats.

    quad meets Shanks' definition mostly at k = 1 (Aitken's 2x2 determinants), twice or so per
    integral: there a call of :func:`m4ml.linalg.det` (input checks, a recursive LU) costs tens
    of microseconds, several times the whole bisection step, while the arithmetic is three
    products. The same elimination as ``det`` (tested against it); overflow gives inf, which
    the caller refuses.
    """
    rows = [list(row) for row in a]
    m, d = len(rows), 1.0
    for c in range(m):
        p = max(range(c, m), key=lambda i: abs(rows[i][c]))
        if rows[p][c] == 0.0:
            return 0.0
        if p != c:
            rows[c], rows[p] = rows[p], rows[c]
            d = -d
        pivot = rows[c][c]
        d *= pivot
        for i in range(c + 1, m):
            f = rows[i][c] / pivot
            for j in range(c + 1, m):
                rows[i][j] -= f * rows[c][j]
    return d
