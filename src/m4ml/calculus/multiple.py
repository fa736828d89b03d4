r"""Iterated integrals over boxes and over regions with variable limits: nquad, dblquad, tplquad.

The calling conventions are those of ``scipy.integrate``: the integrand takes the innermost
variable first, and each inner limit may be a number or a callable of the outer variables.
"""

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from m4ml.calculus.quad import quad

__all__ = ["dblquad", "nquad", "tplquad"]

_OPT_KEYS = {"epsabs", "epsrel", "limit", "points"}


def _limits(spec, outer, args, level):
    """The (lo, hi) of one level: a pair of numbers or a callable of the outer variables."""
    value = spec(*outer, *args) if callable(spec) else spec
    try:
        lo, hi = value
        if np.iscomplexobj(lo) or np.iscomplexobj(hi):
            raise TypeError(f"ranges[{level}] holds complex limits {value!r}; limits are real")
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        raise ValueError(
            f"ranges[{level}] must be a pair (lo, hi) of numbers or a callable returning one, "
            f"got {value!r}"
        ) from None
    return lo, hi


def _options(opts, n):
    if opts is None:
        return [{}] * n
    if isinstance(opts, dict) or callable(opts):
        opts = [opts] * n
    opts = list(opts)
    if len(opts) != n:
        raise ValueError(f"opts must be a dict or a sequence of {n} dicts, got {len(opts)}")
    for o in opts:
        if isinstance(o, dict) and not set(o) <= _OPT_KEYS:
            raise ValueError(f"unknown quad options {sorted(set(o) - _OPT_KEYS)} in opts")
    return opts


def nquad(
    func: Callable[..., Any],
    ranges: Sequence[Any],
    args: Sequence[Any] | None = None,
    opts: dict[str, Any] | Callable[..., dict[str, Any]] | Sequence[Any] | None = None,
    full_output: bool = False,
) -> tuple[float, float] | tuple[float, float, dict[str, Any]]:
    r"""Integrate ``func`` over several variables by iterated adaptive quadrature.

    Parameters
    ----------
    func : callable
        ``func(x0, x1, ..., xn_1, *args) -> float``; ``x0`` is integrated innermost. When it
        accepts an array ``x0`` (with the other variables scalars) the innermost integrals are
        vectorized.
    ranges : sequence
        ``ranges[i]`` is the range of ``x_i``: a pair ``(lo, hi)`` (infinite allowed) or a
        callable ``ranges[i](x_{i+1}, ..., x_{n-1}, *args) -> (lo, hi)`` of the outer
        variables.
    args : sequence, optional
        Extra arguments for ``func`` and the callable ranges and options.
    opts : dict, callable or sequence of them, optional
        Options for :func:`m4ml.calculus.quad.quad` at each level (``epsabs``, ``epsrel``,
        ``limit``, ``points``); a callable is called like the ranges.
    full_output : bool
        Also return ``{"neval": ...}``, the total number of ``func`` evaluations.

    Returns
    -------
    value : float
        The integral.
    abserr : float
        The error estimate of the outermost integration (as in ``scipy.integrate.nquad``;
        it assumes the inner integrals are accurate to their own tolerances).
    info : dict
        Only with ``full_output``.

    Raises
    ------
    TypeError
        ``func`` not callable.
    ValueError
        Empty ``ranges``, a malformed range or option, or an error from :func:`quad`.

    Notes
    -----
    .. math:: \int_{a_{n-1}}^{b_{n-1}} \cdots \int_{a_0(x_1, \dots)}^{b_0(x_1, \dots)}
              f(x_0, \dots, x_{n-1})\,dx_0 \cdots dx_{n-1}
              = \int_{a_{n-1}}^{b_{n-1}} F_{n-1}(x_{n-1})\,dx_{n-1},

    where each :math:`F_k` is itself an integral computed by :func:`quad` at every node of
    the level above. The cost is the product of the evaluations per level: about
    :math:`21^d` for a smooth :math:`d`-dimensional integrand, so beyond three or four
    dimensions prefer :func:`m4ml.calculus.monte_carlo.monte_carlo_integrate`.

    References
    ----------
    .. [1] P. J. Davis and P. Rabinowitz, *Methods of Numerical Integration*, 2nd ed.,
       Academic Press, 1984, chapter 5.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.multiple import nquad
    >>> value, err = nquad(lambda x, y, z: x * y * z, [[0, 1], [0, 2], [0, 3]])
    >>> round(value, 12)
    4.5
    >>> # the unit disk as a region: y in [-sqrt(1 - x^2), sqrt(1 - x^2)], x in [-1, 1]
    >>> half = lambda x: np.sqrt(max(1.0 - x * x, 0.0))
    >>> value, err = nquad(lambda y, x: 1.0, [lambda x: (-half(x), half(x)), [-1, 1]])
    >>> round(value, 8), round(float(np.pi), 8)
    (3.14159265, 3.14159265)
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got {type(func).__name__}")
    ranges = list(ranges)
    n = len(ranges)
    if n == 0:
        raise ValueError("ranges must name at least one variable")
    args = () if args is None else tuple(args) if isinstance(args, (tuple, list)) else (args,)
    opts = _options(opts, n)
    count = [0]

    def innermost(x0, *outer):
        y = func(x0, *outer, *args)
        count[0] += np.size(x0)
        return y

    def integrate(level, outer):
        lo, hi = _limits(ranges[level], outer, args, level)
        o = opts[level]
        o = dict(o(*outer, *args) if callable(o) else o)
        if level == 0:
            return quad(innermost, lo, hi, args=outer, **o)

        def inner(xk):
            return integrate(level - 1, (xk, *outer))[0]

        return quad(inner, lo, hi, vectorized=False, **o)

    value, err = integrate(n - 1, ())
    if full_output:
        return value, err, {"neval": count[0]}
    return value, err


def _as_callable(limit, name):
    if callable(limit):
        return limit
    try:
        value = float(limit)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or a callable, got {limit!r}") from None
    return lambda *_: value


def dblquad(
    func: Callable[..., Any],
    a: float,
    b: float,
    gfun: float | Callable[..., float],
    hfun: float | Callable[..., float],
    args: tuple[Any, ...] = (),
    epsabs: float = 1.49e-8,
    epsrel: float = 1.49e-8,
) -> tuple[float, float]:
    r"""Double integral :math:`\int_a^b \int_{g(x)}^{h(x)} f(y, x)\,dy\,dx`.

    Parameters
    ----------
    func : callable
        ``func(y, x, *args)`` — note the order: the inner variable ``y`` first, as in
        ``scipy.integrate.dblquad``.
    a, b : float
        Limits of the outer variable ``x`` (infinite allowed).
    gfun, hfun : float or callable
        Lower and upper limits of ``y``: numbers, or callables ``g(x)``, ``h(x)``.
    args : tuple
        Extra arguments for ``func``.
    epsabs, epsrel : float
        Tolerances passed to both the inner and the outer :func:`quad`.

    Returns
    -------
    value, abserr : float
        The integral and the outer integration's error estimate.

    Raises
    ------
    TypeError
        A limit that is neither a number nor a callable.
    ValueError
        As for :func:`nquad`.

    Notes
    -----
    :math:`F(x) = \int_{g(x)}^{h(x)} f(y, x)\,dy` is computed by :func:`quad` at each outer
    node and then integrated over :math:`[a, b]`; see :func:`nquad` for the cost.

    References
    ----------
    .. [1] P. J. Davis and P. Rabinowitz, *Methods of Numerical Integration*, 2nd ed.,
       Academic Press, 1984, chapter 5.

    Examples
    --------
    >>> from m4ml.calculus.multiple import dblquad
    >>> value, err = dblquad(lambda y, x: x * y, 0, 1, 0, lambda x: x)  # triangle: 1/8
    >>> round(value, 12)
    0.125
    """
    g, h = _as_callable(gfun, "gfun"), _as_callable(hfun, "hfun")
    opts = {"epsabs": epsabs, "epsrel": epsrel}
    return nquad(func, [lambda x, *_: (g(x), h(x)), [a, b]], args=args, opts=opts)


def tplquad(
    func: Callable[..., Any],
    a: float,
    b: float,
    gfun: float | Callable[..., float],
    hfun: float | Callable[..., float],
    qfun: float | Callable[..., float],
    rfun: float | Callable[..., float],
    args: tuple[Any, ...] = (),
    epsabs: float = 1.49e-8,
    epsrel: float = 1.49e-8,
) -> tuple[float, float]:
    r"""Triple integral :math:`\int_a^b \int_{g(x)}^{h(x)} \int_{q(x,y)}^{r(x,y)}
    f(z, y, x)\,dz\,dy\,dx`.

    Parameters
    ----------
    func : callable
        ``func(z, y, x, *args)``, innermost variable first (``scipy.integrate.tplquad``'s
        order).
    a, b : float
        Limits of ``x``.
    gfun, hfun : float or callable
        Limits of ``y``: numbers or callables of ``x``.
    qfun, rfun : float or callable
        Limits of ``z``: numbers or callables ``q(x, y)``, ``r(x, y)`` (``x`` first, as in
        SciPy).
    args : tuple
        Extra arguments for ``func``.
    epsabs, epsrel : float
        Tolerances at every level.

    Returns
    -------
    value, abserr : float
        The integral and the outermost error estimate.

    Raises
    ------
    TypeError
        A limit that is neither a number nor a callable.
    ValueError
        As for :func:`nquad`.

    Notes
    -----
    Three nested :func:`quad` calls (see :func:`nquad`).

    References
    ----------
    .. [1] P. J. Davis and P. Rabinowitz, *Methods of Numerical Integration*, 2nd ed.,
       Academic Press, 1984, chapter 5.

    Examples
    --------
    >>> from m4ml.calculus.multiple import tplquad
    >>> # volume of the simplex x, y, z >= 0, x + y + z <= 1
    >>> value, err = tplquad(lambda z, y, x: 1.0, 0, 1, 0, lambda x: 1 - x,
    ...                      0, lambda x, y: 1 - x - y)
    >>> round(value, 12)
    0.166666666667
    """
    g, h = _as_callable(gfun, "gfun"), _as_callable(hfun, "hfun")
    q, r = _as_callable(qfun, "qfun"), _as_callable(rfun, "rfun")
    opts = {"epsabs": epsabs, "epsrel": epsrel}
    ranges = [lambda y, x, *_: (q(x, y), r(x, y)), lambda x, *_: (g(x), h(x)), [a, b]]
    return nquad(func, ranges, args=args, opts=opts)
