r"""Low-discrepancy (quasi-random) point sets on the unit cube: Halton and Sobol sequences."""

from functools import lru_cache

import numpy as np

from m4ml._core import check_positive_int, check_rng
from m4ml._core.hints import FloatArray, Seed

__all__ = ["SOBOL_MAX_DIM", "halton", "sobol"]

# Primitive polynomials and initial direction numbers for dimensions 2..21, from
# S. Joe and F. Y. Kuo's file new-joe-kuo-6.21201 (public data; reference [2] of sobol).
# Each row: (degree s, coefficient code a, initial m_1..m_s).
_JOE_KUO = [
    (1, 0, (1,)),
    (2, 1, (1, 3)),
    (3, 1, (1, 3, 1)),
    (3, 2, (1, 1, 1)),
    (4, 1, (1, 1, 3, 3)),
    (4, 4, (1, 3, 5, 13)),
    (5, 2, (1, 1, 5, 5, 17)),
    (5, 4, (1, 1, 5, 5, 5)),
    (5, 7, (1, 1, 7, 11, 19)),
    (5, 11, (1, 1, 5, 1, 1)),
    (5, 13, (1, 1, 1, 3, 11)),
    (5, 14, (1, 3, 5, 5, 31)),
    (6, 1, (1, 3, 3, 9, 7, 49)),
    (6, 13, (1, 1, 1, 15, 21, 21)),
    (6, 16, (1, 3, 1, 13, 27, 49)),
    (6, 19, (1, 1, 1, 15, 7, 5)),
    (6, 22, (1, 3, 1, 15, 13, 25)),
    (6, 25, (1, 1, 5, 5, 19, 61)),
    (7, 1, (1, 3, 7, 11, 23, 15, 103)),
    (7, 4, (1, 3, 7, 13, 13, 15, 69)),
]
SOBOL_MAX_DIM = len(_JOE_KUO) + 1
_BITS = 32


@lru_cache(maxsize=8)
def _direction_numbers(d):
    """``V[j, k] = m_{k+1} 2^{32-(k+1)}`` for dimensions ``j < d`` as uint64 (read-only)."""
    V = np.zeros((d, _BITS), dtype=np.uint64)
    V[0] = [1 << (_BITS - k) for k in range(1, _BITS + 1)]  # van der Corput: all m_k = 1
    for j in range(1, d):
        s, a, m0 = _JOE_KUO[j - 1]
        m = list(m0)
        for k in range(s, _BITS):
            new = m[k - s] ^ (m[k - s] << s)
            for i in range(1, s):
                if (a >> (s - 1 - i)) & 1:
                    new ^= m[k - i] << i
            m.append(new)
        V[j] = [m[k] << (_BITS - 1 - k) for k in range(_BITS)]
    V.flags.writeable = False
    return V


def _check(n, d):
    n = check_positive_int(n, "n")
    d = check_positive_int(d, "d")
    return n, d


def sobol(n: int, d: int, scramble: bool = False, rng: Seed = None, skip: int = 0) -> FloatArray:
    r"""The first ``n`` points of the ``d``-dimensional Sobol sequence in :math:`[0, 1)^d`.

    Parameters
    ----------
    n : int
        Number of points (powers of two keep the net's balance).
    d : int
        Dimension, ``1 <= d <= SOBOL_MAX_DIM`` (21).
    scramble : bool
        Apply a random digital shift (XOR of each coordinate's bits with a random word per
        dimension); the points stay a digital net and each is uniform on the cube.
    rng : None, int or numpy.random.Generator
        Randomness for the scramble.
    skip : int
        Start at point ``skip`` of the sequence (default 0, the origin).

    Returns
    -------
    ndarray, shape (n, d)
        The points, in Gray-code order; unscrambled they equal
        ``scipy.stats.qmc.Sobol(d, scramble=False).random(n)``.

    Raises
    ------
    TypeError, ValueError
        Non-integer or out-of-range ``n``, ``d`` or ``skip``.

    Notes
    -----
    Coordinate :math:`j` of point :math:`i` is
    :math:`x_{ij} = 2^{-32} \bigoplus_{k \ge 1} g_k(i)\, V_{jk}`, where :math:`g(i) = i \oplus
    \lfloor i/2 \rfloor` is the Gray code of :math:`i` and :math:`V_{jk} = m_{jk} 2^{32-k}`
    are the direction numbers. For dimension :math:`j` with primitive polynomial
    :math:`x^s + a_1 x^{s-1} + \dots + a_{s-1} x + 1` over GF(2),

    .. math:: m_k = 2 a_1 m_{k-1} \oplus 4 a_2 m_{k-2} \oplus \dots \oplus 2^{s-1} a_{s-1}
              m_{k-s+1} \oplus 2^s m_{k-s} \oplus m_{k-s},

    from the initial :math:`m_1, \dots, m_s` of Joe and Kuo, which optimise the two-dimensional
    projections. Every block of :math:`2^m` consecutive points (from a multiple of
    :math:`2^m`) is a :math:`(t, m, d)`-net: each elementary box of volume
    :math:`2^{t-m}` holds exactly :math:`2^t` points. Cost :math:`O(32\, n d)` bit operations,
    vectorized.

    References
    ----------
    .. [1] I. M. Sobol', "On the distribution of points in a cube and the approximate
       evaluation of integrals", *USSR Comput. Math. Math. Phys.* 7 (1967), 86-112.
    .. [2] S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional
       projections", *SIAM J. Sci. Comput.* 30 (2008), 2635-2654; direction numbers
       new-joe-kuo-6.21201 from https://web.maths.unsw.edu.au/~fkuo/sobol/.

    Examples
    --------
    >>> from m4ml.calculus.low_discrepancy import sobol
    >>> sobol(4, 2)
    array([[0.  , 0.  ],
           [0.5 , 0.5 ],
           [0.75, 0.25],
           [0.25, 0.75]])
    """
    n, d = _check(n, d)
    skip = check_positive_int(skip, "skip", minimum=0)
    if d > SOBOL_MAX_DIM:
        raise ValueError(f"d must be <= {SOBOL_MAX_DIM} (direction numbers available), got {d}")
    if n + skip > 2**_BITS:
        raise ValueError(f"at most 2**{_BITS} points are available")
    V = _direction_numbers(d)
    i = np.arange(skip, skip + n, dtype=np.uint64)
    gray = i ^ (i >> np.uint64(1))
    X = np.zeros((n, d), dtype=np.uint64)
    for k in range(int(gray.max()).bit_length()):
        bit = (gray >> np.uint64(k)) & np.uint64(1)  # 0 or 1
        X ^= bit[:, None] * V[:, k]
    if scramble:
        shift = check_rng(rng).integers(0, 2**_BITS, size=d, dtype=np.uint64)
        X ^= shift
    return X.astype(float) / 2.0**_BITS


def _primes(count):
    """The first ``count`` primes."""
    primes, candidate = [], 2
    while len(primes) < count:
        if all(candidate % p for p in primes if p * p <= candidate):
            primes.append(candidate)
        candidate += 1
    return primes


def halton(n: int, d: int, scramble: bool = False, rng: Seed = None, skip: int = 0) -> FloatArray:
    r"""The first ``n`` points of the ``d``-dimensional Halton sequence in :math:`[0, 1)^d`.

    Parameters
    ----------
    n : int
        Number of points.
    d : int
        Dimension (any; quality degrades for large ``d`` without scrambling).
    scramble : bool
        Randomly permute the digits: an independent random permutation of
        :math:`\{0, \dots, b-1\}` for each digit position and dimension (random digit
        scrambling, as in Matoušek), which breaks the correlations between high
        dimensions; each point is then uniform on a grid of spacing below :math:`2^{-52}`.
    rng : None, int or numpy.random.Generator
        Randomness for the scramble.
    skip : int
        Start at index ``skip`` (default 0; index 0 is the origin when unscrambled).

    Returns
    -------
    ndarray, shape (n, d)
        The points; unscrambled they equal ``scipy.stats.qmc.Halton(d, scramble=False)``.

    Raises
    ------
    TypeError, ValueError
        Non-integer or out-of-range ``n``, ``d`` or ``skip``.

    Notes
    -----
    Coordinate :math:`j` uses the :math:`j`-th prime :math:`b_j` and the radical inverse
    :math:`\phi_b(i) = \sum_k a_k(i)\, b^{-k-1}` of the base-:math:`b` digits
    :math:`i = \sum_k a_k(i)\, b^k`: the digits of the index mirrored about the radix point.
    Star discrepancy :math:`O((\log n)^d / n)`. Cost :math:`O(n d \log n)`, vectorized over
    points.

    References
    ----------
    .. [1] J. H. Halton, "On the efficiency of certain quasi-random sequences of points in
       evaluating multi-dimensional integrals", *Numer. Math.* 2 (1960), 84-90.
    .. [2] J. Matoušek, "On the L2-discrepancy for anchored boxes", *J. Complexity* 14
       (1998), 527-556.

    Examples
    --------
    >>> from m4ml.calculus.low_discrepancy import halton
    >>> halton(4, 2)
    array([[0.        , 0.        ],
           [0.5       , 0.33333333],
           [0.25      , 0.66666667],
           [0.75      , 0.11111111]])
    """
    n, d = _check(n, d)
    skip = check_positive_int(skip, "skip", minimum=0)
    gen = check_rng(rng) if scramble else None
    out = np.empty((n, d))
    index = np.arange(skip, skip + n, dtype=np.int64)
    for j, b in enumerate(_primes(d)):
        digits_needed = int(np.ceil(52 * np.log(2) / np.log(b))) if scramble else None
        i = index.copy()
        value = np.zeros(n)
        scale = 1.0 / b
        k = 0
        while (i > 0).any() or (scramble and k < digits_needed):
            digit = i % b
            if scramble:
                digit = gen.permutation(b)[digit]
            value += digit * scale
            i //= b
            scale /= b
            k += 1
        out[:, j] = value
    return np.minimum(out, 1.0 - np.finfo(float).epsneg)  # keep [0, 1) after rounding
