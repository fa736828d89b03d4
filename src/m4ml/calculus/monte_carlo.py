r"""Monte Carlo and randomized quasi-Monte Carlo integration over boxes."""

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

import numpy as np

from m4ml._core import as_float_array, check_positive_int, check_rng, overflow_guard
from m4ml._core.hints import ArrayLike, Seed
from m4ml.calculus.low_discrepancy import halton, sobol

__all__ = ["MonteCarloResult", "monte_carlo_integrate"]

_METHODS = ("random", "halton", "sobol")


class MonteCarloResult(NamedTuple):
    """Result of :func:`monte_carlo_integrate` (the fields of ``scipy.integrate.qmc_quad``).

    Attributes
    ----------
    integral : float
        The estimate of the integral.
    standard_error : float
        Its estimated standard error.
    """

    integral: float
    standard_error: float


def _bounds(bounds):
    b = as_float_array(bounds, "bounds")
    if b.ndim == 1 and b.shape == (2,):
        b = b[None, :]
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] == 0:
        raise ValueError(f"bounds must be a sequence of (lo, hi) pairs, got shape {b.shape}")
    if np.any(b[:, 1] < b[:, 0]):
        raise ValueError("each bound must satisfy lo <= hi")
    return b[:, 0], b[:, 1]


def _evaluate(f, points):
    y = np.asarray(f(points), dtype=float)
    if y.shape != (len(points),):
        raise ValueError(
            f"f must map an (n, d) array of points to n values; got shape {y.shape} for "
            f"points of shape {points.shape}"
        )
    if not np.isfinite(y).all():
        raise ValueError("f returned NaN or infinity at a sample point")
    return y


def monte_carlo_integrate(
    f: Callable[..., Any],
    bounds: ArrayLike,
    n: int = 4096,
    method: Literal["random", "halton", "sobol"] = "random",
    rng: Seed = None,
    scramble: bool = True,
    n_estimates: int = 8,
) -> MonteCarloResult:
    r"""Integrate ``f`` over a box by Monte Carlo or randomized quasi-Monte Carlo.

    Parameters
    ----------
    f : callable
        ``f(points) -> values``: an ``(n, d)`` array of points to ``n`` values.
    bounds : array_like, shape (d, 2)
        ``[(lo_1, hi_1), ..., (lo_d, hi_d)]``, finite.
    n : int
        Total number of points (default 4096; for ``"sobol"`` a multiple of ``n_estimates``
        times a power of two keeps every replicate a balanced net).
    method : {"random", "halton", "sobol"}
        Pseudo-random points, or the Halton or Sobol low-discrepancy sequence.
    rng : None, int or numpy.random.Generator
        Randomness (the points for ``"random"``, the scrambles for the others).
    scramble : bool
        For the quasi-random methods: scramble each replicate independently (default). If
        False the replicates are consecutive blocks of the unscrambled sequence, and the
        standard error is only a heuristic.
    n_estimates : int
        Number of independent replicates for the quasi-random error estimate (default 8).

    Returns
    -------
    MonteCarloResult
        ``(integral, standard_error)``.

    Raises
    ------
    TypeError
        ``f`` not callable, bad ``rng``.
    ValueError
        Bad bounds, method or sizes; ``f`` returning the wrong shape or NaN/inf.

    Notes
    -----
    With :math:`V = \prod_i (b_i - a_i)` and points :math:`x_k` in the box,

    .. math:: \hat I = \frac{V}{n} \sum_{k=1}^n f(x_k), \qquad
              \widehat{\mathrm{se}} = V \frac{s_f}{\sqrt n}

    for independent uniform points (:math:`s_f` the sample standard deviation): error
    :math:`O(n^{-1/2})` in any dimension. Low-discrepancy points have error
    :math:`O((\log n)^d / n)` (Koksma–Hlawka) but no variance of their own, so the
    :math:`n` points are split into :math:`R` = ``n_estimates`` independently scrambled
    replicates with estimates :math:`\hat I_r`; then :math:`\hat I` is their mean and
    :math:`\widehat{\mathrm{se}} = s_{\hat I_r} / \sqrt R`. Each scrambled point is uniform
    on the box, so every :math:`\hat I_r` is unbiased. Cost: :math:`n` evaluations of ``f``
    in one call per replicate.

    References
    ----------
    .. [1] A. B. Owen, *Monte Carlo Theory, Methods and Examples*, 2013, chapters 2 and 17
       (randomized quasi-Monte Carlo).
    .. [2] P. L'Ecuyer and C. Lemieux, "Recent advances in randomized quasi-Monte Carlo
       methods", in *Modeling Uncertainty*, Springer, 2002, 419-474.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.monte_carlo import monte_carlo_integrate
    >>> gauss = lambda p: np.exp(-0.5 * np.sum(p * p, axis=1))
    >>> res = monte_carlo_integrate(gauss, [(-5, 5)] * 3, n=2**14, method="sobol", rng=0)
    >>> exact = (2 * np.pi) ** 1.5
    >>> round(res.integral, 2), round(float(exact), 2), round(res.standard_error, 3)
    (15.74, 15.75, 0.012)
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    lo, hi = _bounds(bounds)
    d = len(lo)
    n = check_positive_int(n, "n", minimum=2)
    with overflow_guard("monte_carlo_integrate: the volume of the box"):
        volume = float(np.prod(hi - lo))
    gen = check_rng(rng)
    if method == "random":
        y = _evaluate(f, lo + (hi - lo) * gen.random((n, d)))
        return MonteCarloResult(
            float(volume * y.mean()), float(volume * y.std(ddof=1) / np.sqrt(n))
        )
    R = check_positive_int(n_estimates, "n_estimates", minimum=2)
    m = n // R
    if m < 1:
        raise ValueError(f"n = {n} is too small for n_estimates = {R} replicates")
    make = sobol if method == "sobol" else halton
    estimates = np.empty(R)
    for r in range(R):
        unit = make(m, d, scramble=True, rng=gen) if scramble else make(m, d, skip=r * m)
        estimates[r] = volume * _evaluate(f, lo + (hi - lo) * unit).mean()
    return MonteCarloResult(float(estimates.mean()), float(estimates.std(ddof=1) / np.sqrt(R)))
