r"""Newton–Cotes rules on samples (trapezoid, Simpson) and Romberg integration of a function."""

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from m4ml._core import as_float_array, check_positive_int, overflow_guard
from m4ml._core.hints import ArrayLike, FloatArray
from m4ml.calculus.warnings import IntegrationWarning

__all__ = ["romberg", "simpson", "trapezoid"]


def _samples(y, x, dx, axis):
    """Validate ``y`` (and ``x``) and return ``(y moved to the last axis, spacing h)``."""
    y = as_float_array(y, "y", min_ndim=1)
    if not isinstance(axis, (int, np.integer)) or not -y.ndim <= axis < y.ndim:
        raise ValueError(f"axis {axis!r} is out of range for y with {y.ndim} dimension(s)")
    y = np.moveaxis(y, axis, -1)
    if x is None:
        dx = float(dx)
        if not np.isfinite(dx):
            raise ValueError(f"dx must be finite, got {dx}")
        return y, np.full(max(y.shape[-1] - 1, 0), dx)
    x = as_float_array(x, "x", min_ndim=1)
    if x.ndim == 1:
        if len(x) != y.shape[-1]:
            raise ValueError(
                f"x has {len(x)} samples but y has {y.shape[-1]} along the integration axis"
            )
        return y, np.diff(x)
    x = np.moveaxis(x, axis, -1)
    if x.shape != y.shape:
        raise ValueError(f"x of shape {x.shape} must be 1-D or match y's shape {y.shape}")
    return y, np.diff(x, axis=-1)


@overflow_guard("trapezoid")
def trapezoid(
    y: ArrayLike, x: ArrayLike | None = None, dx: float = 1.0, axis: int = -1
) -> float | FloatArray:
    r"""Integrate samples ``y`` along ``axis`` by the composite trapezoidal rule.

    Parameters
    ----------
    y : array_like
        Samples of the integrand.
    x : array_like, optional
        Sample points (1-D of length ``y.shape[axis]``, or the shape of ``y``); need not be
        evenly spaced or increasing. If omitted, the spacing is ``dx``.
    dx : float
        Spacing between samples when ``x`` is None (default 1).
    axis : int
        Axis along which to integrate (default last).

    Returns
    -------
    float or ndarray
        The integral; ``y``'s shape without ``axis``. Fewer than two samples give 0.

    Raises
    ------
    ValueError
        NaN/inf input, mismatched ``x`` and ``y``, or a bad ``axis``.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    .. math:: \int f \approx \sum_{i} \frac{h_i}{2} (y_i + y_{i+1}),
              \qquad h_i = x_{i+1} - x_i .

    Exact for linear functions; error :math:`-\frac{(b-a) h^2}{12} f''(\xi)` on a uniform grid.
    Same semantics as ``numpy.trapezoid`` / ``scipy.integrate.trapezoid``. Cost :math:`O(N)`.

    References
    ----------
    .. [1] P. J. Davis and P. Rabinowitz, *Methods of Numerical Integration*, 2nd ed.,
       Academic Press, 1984, section 2.1.

    Examples
    --------
    >>> from m4ml.calculus.quadrature_rules import trapezoid
    >>> trapezoid([1.0, 2.0, 3.0])
    4.0
    >>> trapezoid([0.0, 1.0, 4.0], x=[0.0, 1.0, 2.0])
    3.0
    """
    y, h = _samples(y, x, dx, axis)
    if y.shape[-1] < 2:
        out = np.zeros(y.shape[:-1])
    else:
        out = np.sum(h * (y[..., 1:] + y[..., :-1]), axis=-1) / 2.0
    return float(out) if out.ndim == 0 else out


def _simpson_pairs(y, h):
    """Composite Simpson over an even number of (possibly uneven) intervals."""
    h0, h1 = h[..., 0:-1:2], h[..., 1::2]
    y0, y1, y2 = y[..., 0:-2:2], y[..., 1:-1:2], y[..., 2::2]
    s = h0 + h1
    terms = s / 6.0 * ((2.0 - h1 / h0) * y0 + s * s / (h0 * h1) * y1 + (2.0 - h0 / h1) * y2)
    return np.sum(terms, axis=-1)


@overflow_guard("simpson")
def simpson(
    y: ArrayLike, x: ArrayLike | None = None, dx: float = 1.0, axis: int = -1
) -> float | FloatArray:
    r"""Integrate samples ``y`` along ``axis`` by the composite Simpson rule.

    Parameters
    ----------
    y : array_like
        Samples of the integrand.
    x : array_like, optional
        Sample points (1-D of length ``y.shape[axis]``, or the shape of ``y``); may be unevenly
        spaced. If omitted, the spacing is ``dx``.
    dx : float
        Spacing when ``x`` is None (default 1).
    axis : int
        Axis along which to integrate (default last).

    Returns
    -------
    float or ndarray
        The integral; ``y``'s shape without ``axis``.

    Raises
    ------
    ValueError
        NaN/inf input, mismatched ``x`` and ``y``, a bad ``axis``, or repeated sample points.
    TypeError
        Complex or non-numeric input.

    Notes
    -----
    On each pair of intervals :math:`h_0, h_1` the parabola through the three samples is
    integrated exactly:

    .. math:: \int_{x_0}^{x_2} \approx \frac{h_0 + h_1}{6}\left[\left(2 - \frac{h_1}{h_0}\right)
              y_0 + \frac{(h_0 + h_1)^2}{h_0 h_1} y_1 + \left(2 - \frac{h_0}{h_1}\right)
              y_2\right],

    which is :math:`\frac h3 (y_0 + 4y_1 + y_2)` on a uniform grid (exact for cubics, error
    :math:`O(h^4)`). With an even number :math:`N` of samples (odd number of intervals), as in
    ``scipy.integrate.simpson`` (SciPy >= 1.11), the first :math:`N - 1` samples get Simpson's
    rule and the last interval gets the integral of the parabola through the last three
    samples (Cartwright's correction):

    .. math:: \int_{x_{N-2}}^{x_{N-1}} \approx
              \frac{2h_1^2 + 3h_0h_1}{6(h_0 + h_1)} y_{N-1}
              + \frac{h_1^2 + 3h_0h_1}{6h_0} y_{N-2}
              - \frac{h_1^3}{6h_0(h_0 + h_1)} y_{N-3}.

    One sample gives 0, two give the trapezoid. Cost :math:`O(N)`.

    References
    ----------
    .. [1] K. V. Cartwright, "Simpson's rule cumulative integration with MS Excel and irregularly
       spaced data", *J. Math. Sci. Math. Educ.* 12 (2017), 1-9.

    Examples
    --------
    >>> from m4ml.calculus.quadrature_rules import simpson
    >>> simpson([0.0, 1.0, 4.0, 9.0, 16.0], x=[0.0, 1.0, 2.0, 3.0, 4.0])  # x**2, exact
    21.333333333333332
    >>> simpson([0.0, 1.0, 8.0, 27.0], dx=1.0)  # x**3, even count (exact: 20.25)
    20.5
    """
    y, h = _samples(y, x, dx, axis)
    n = y.shape[-1]
    if n > 2 and np.any(h == 0):
        raise ValueError("simpson needs distinct sample points; x has repeated values")
    if n < 2:
        out = np.zeros(y.shape[:-1])
    elif n == 2:
        out = h[..., 0] * (y[..., 0] + y[..., 1]) / 2.0
    elif n % 2:
        out = _simpson_pairs(y, h)
    else:
        out = _simpson_pairs(y[..., :-1], h[..., :-1])  # n >= 4 here
        h0, h1 = h[..., -2], h[..., -1]
        s = h0 + h1
        out = (
            out
            + (2 * h1 * h1 + 3 * h0 * h1) / (6 * s) * y[..., -1]
            + (h1 * h1 + 3 * h0 * h1) / (6 * h0) * y[..., -2]
            - h1**3 / (6 * h0 * s) * y[..., -3]
        )
    out = np.asarray(out)
    return float(out) if out.ndim == 0 else out


def romberg(
    f: Callable[..., Any],
    a: float,
    b: float,
    args: tuple[Any, ...] = (),
    tol: float = 1.48e-8,
    rtol: float = 1.48e-8,
    divmax: int = 10,
) -> tuple[float, float]:
    r"""Integrate ``f`` over :math:`[a, b]` by Romberg's method, with an error estimate.

    Parameters
    ----------
    f : callable
        Vectorized integrand ``f(x, *args)`` returning an array shaped like ``x``.
    a, b : float
        Finite limits.
    args : tuple
        Extra arguments for ``f``.
    tol, rtol : float
        Stop when successive diagonal entries differ by at most ``max(tol, rtol * |R|)``.
    divmax : int
        Maximum number of halvings (``2**divmax + 1`` evaluations at most; default 10).

    Returns
    -------
    value : float
        The last diagonal entry of the Romberg table.
    abserr : float
        The difference between the last two diagonal entries (an estimate of the error of the
        previous one, hence conservative for ``value``).

    Raises
    ------
    ValueError
        Non-finite limits or tolerances, a bad ``divmax``, or ``f`` returning the wrong shape or
        non-finite values.

    Warns
    -----
    IntegrationWarning
        If the tolerance is not met after ``divmax`` halvings.

    Notes
    -----
    :math:`T_k` is the trapezoid rule with :math:`2^k` intervals (each level reuses the previous
    samples and adds the midpoints). By the Euler–Maclaurin expansion
    :math:`T_k = I + c_1 h^2 + c_2 h^4 + \dots`, so Richardson extrapolation

    .. math:: R_{k,j} = R_{k,j-1} + \frac{R_{k,j-1} - R_{k-1,j-1}}{4^j - 1}

    cancels one more power of :math:`h^2` per column. Very fast for smooth integrands;
    periodic integrands over a period converge already in :math:`T_k`; endpoint singularities
    defeat it (use :func:`m4ml.calculus.quad.quad`). ``scipy.integrate.romberg`` (removed in
    SciPy 1.15) returned only the value; here the error estimate comes along, as from ``quad``.

    References
    ----------
    .. [1] W. Romberg, "Vereinfachte numerische Integration", *Det Kongelige Norske Videnskabers
       Selskab Forhandlinger* 28 (1955), 30-36.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.calculus.quadrature_rules import romberg
    >>> value, err = romberg(np.exp, 0.0, 1.0)
    >>> round(value, 12), err < 1e-9
    (1.718281828459, True)
    """
    a, b, tol, rtol = float(a), float(b), float(tol), float(rtol)
    if not all(np.isfinite([a, b])):
        raise ValueError(f"romberg needs finite limits, got a={a}, b={b}")
    if not (np.isfinite(tol) and np.isfinite(rtol)) or tol < 0 or rtol < 0:
        raise ValueError(f"tol and rtol must be finite and >= 0, got {tol}, {rtol}")
    divmax = check_positive_int(divmax, "divmax")

    def evaluate(x):
        y = np.asarray(f(x, *args), dtype=float)
        if y.shape != x.shape:
            raise ValueError(f"f must be vectorized: got shape {y.shape} for input {x.shape}")
        if not np.isfinite(y).all():
            raise ValueError("f returned NaN or infinity; romberg needs a finite integrand")
        return y

    h = b - a
    ends = evaluate(np.array([a, b]))
    row = np.array([h * (ends[0] + ends[1]) / 2.0])
    err = np.inf
    for k in range(1, divmax + 1):
        m = 2 ** (k - 1)
        mids = a + h * (np.arange(m) + 0.5) / m
        trap = row[0] / 2.0 + h / (2 * m) * evaluate(mids).sum()
        new = np.empty(k + 1)
        new[0] = trap
        for j in range(1, k + 1):
            new[j] = new[j - 1] + (new[j - 1] - row[j - 1]) / (4.0**j - 1.0)
        err = abs(new[k] - row[k - 1])
        row = new
        if err <= max(tol, rtol * abs(new[k])):
            return float(new[k]), float(err)
    warnings.warn(
        f"romberg: tolerance not met after divmax={divmax} halvings (last change {err:.3g}); "
        "increase divmax or use quad for non-smooth integrands",
        IntegrationWarning,
        stacklevel=2,
    )
    return float(row[-1]), float(err)
