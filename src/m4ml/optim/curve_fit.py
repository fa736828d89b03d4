r"""``curve_fit``: fit a model :math:`y \approx f(x; p)` by nonlinear least squares (SciPy's
interface), with the covariance of the fitted parameters."""

import inspect
import warnings
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import ArrayLike, FloatArray, HasBounds
from m4ml.linalg import cholesky, solve_triangular, svd
from m4ml.optim.least_squares import least_squares

__all__ = ["OptimizeWarning", "curve_fit"]


class OptimizeWarning(UserWarning):
    """The covariance of the parameters could not be estimated (as SciPy's warning)."""

    __module__ = "m4ml.optim"  # its public home (tracebacks, reprs, docs, pickle)


def _n_params(f, p0):
    if p0 is not None:
        return np.atleast_1d(as_float_array(p0, "p0")).size
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        raise ValueError("cannot count the parameters of f: give p0") from None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        raise ValueError("f takes *args: give p0 to say how many parameters it has")
    if len(params) < 2:
        raise ValueError("f must take the independent variable and at least one parameter")
    return len(params) - 1


def _whitener(sigma, m):
    """A function that maps residuals r to the whitened L^{-1} r (sigma 1-D or covariance)."""
    if sigma is None:
        return lambda r: r
    sigma = as_float_array(sigma, "sigma")
    if sigma.shape == (m,):
        if np.any(sigma <= 0):
            raise ValueError("sigma must be positive")
        inv = 1.0 / sigma
        return lambda r: r * inv
    if sigma.shape == (m, m):
        try:
            L = cholesky(sigma)
        except ValueError:
            raise ValueError("sigma (a covariance matrix) must be positive definite") from None
        Linv = solve_triangular(L, np.eye(m), lower=True)  # explicit, so autodiff sees a matmul
        return lambda r: Linv @ r
    raise ValueError(f"sigma must have shape ({m},) or ({m}, {m}), got {sigma.shape}")


def curve_fit(
    f: Callable[..., ArrayLike],
    xdata: ArrayLike,
    ydata: ArrayLike,
    p0: ArrayLike | None = None,
    sigma: ArrayLike | None = None,
    absolute_sigma: bool = False,
    bounds: tuple[ArrayLike, ArrayLike] | HasBounds = (-np.inf, np.inf),
    method: Literal["lm", "trf"] | None = None,
    jac: Callable[..., ArrayLike] | Literal["2-point", "3-point"] | None = None,
    **kwargs: Any,
) -> tuple[FloatArray, FloatArray]:
    r"""Fit ``f(xdata, *params)`` to ``ydata`` by (weighted) nonlinear least squares.

    Parameters
    ----------
    f : callable
        The model ``f(x, p1, p2, ...) -> y``; written with :mod:`m4ml.numpy` its Jacobian is
        exact (autodiff), otherwise finite differences are used (with a warning).
    xdata : array_like
        The independent variable (passed to ``f`` unchanged).
    ydata : array_like, shape (m,)
    p0 : array_like, optional
        Starting parameters (default all ones; their number is read from ``f``'s signature).
    sigma : array_like, shape (m,) or (m, m), optional
        Standard deviations of ``ydata`` (residuals divided by them) or their covariance
        matrix (residuals whitened by its Cholesky factor).
    absolute_sigma : bool, default False
        True: ``sigma`` is absolute, ``pcov`` is :math:`(J^\top J)^{-1}`. False: only the
        relative sizes count and ``pcov`` is scaled by :math:`s^2 = \|r\|^2/(m - n)`.
    bounds : (lb, ub), optional
        Bounds on the parameters (then ``method`` defaults to ``"trf"``).
    method : {"lm", "trf"}, optional
        Default ``"lm"`` without bounds, ``"trf"`` with them.
    jac : callable, "2-point", "3-point" or None
        ``jac(x, *params) -> (m, n)``, the Jacobian of ``f`` with respect to the parameters.
    **kwargs
        Passed to :func:`m4ml.optim.least_squares` (``ftol``, ``xtol``, ``gtol``,
        ``max_nfev``, ``x_scale``, ``loss``, ``f_scale``).

    Returns
    -------
    popt : ndarray, shape (n,)
        The fitted parameters.
    pcov : ndarray, shape (n, n)
        Their estimated covariance; ``inf`` entries (and an :class:`OptimizeWarning`) when it
        cannot be estimated (:math:`m \le n`, or a singular Jacobian).

    Raises
    ------
    ValueError
        NaN/inf data, mismatched shapes, bad ``sigma``, or as :func:`least_squares`.
    RuntimeError
        The least-squares solver did not converge ("Optimal parameters not found").

    Notes
    -----
    With whitened residuals :math:`r(p) = L^{-1}(f(x; p) - y)` (:math:`L = \operatorname{diag}
    (\sigma)` or the Cholesky factor of the covariance), ``popt`` minimizes :math:`\|r\|^2`.
    Linearizing at the solution, :math:`\operatorname{Cov}(\hat p) \approx s^2 (J^\top J)^{-1}`,
    computed from the SVD :math:`J = USV^\top` as :math:`s^2 V S^{-2} V^\top`, dropping
    singular values below :math:`\epsilon\max(m, n) s_1` (as SciPy's pseudo-inverse does); its
    diagonal's square roots are the standard errors (checked against NIST's certified values).

    References
    ----------
    .. [1] D. M. Bates and D. G. Watts, *Nonlinear Regression Analysis and Its Applications*,
       Wiley, 1988, ch. 2.

    Examples
    --------
    >>> import numpy as np
    >>> import m4ml.numpy as mnp
    >>> x = np.linspace(0.0, 4.0, 9)
    >>> y = 3.0 * np.exp(-0.7 * x) + np.array([1, -1, 2, 0, -2, 1, 0, -1, 1]) * 1e-3
    >>> popt, pcov = curve_fit(lambda x, a, k: a * mnp.exp(-k * x), x, y, p0=[1.0, 1.0])
    >>> np.round(popt, 2).tolist(), pcov.shape
    ([3.0, 0.7], (2, 2))
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    ydata = as_float_array(ydata, "ydata").reshape(-1)
    if isinstance(xdata, (list, tuple, np.ndarray)):
        xdata = as_float_array(xdata, "xdata")
    m = ydata.size
    n = _n_params(f, p0)
    p0 = np.ones(n) if p0 is None else np.atleast_1d(as_float_array(p0, "p0")).astype(float)
    lb, ub = bounds if not (hasattr(bounds, "lb") and hasattr(bounds, "ub")) else (
        bounds.lb, bounds.ub)  # fmt: skip
    bounded = bool(np.any(np.isfinite(lb)) or np.any(np.isfinite(ub)))
    if method is None:
        method = "trf" if bounded else "lm"
    whiten = _whitener(sigma, m)

    def residuals(p):
        return whiten(f(xdata, *p) - ydata)

    if callable(jac):

        def jac_fn(p):
            J = np.asarray(jac(xdata, *p), dtype=float).reshape(m, n)
            return whiten(J) if np.ndim(sigma) == 2 else (
                J if sigma is None else J / as_float_array(sigma, "sigma")[:, None])  # fmt: skip

    else:
        jac_fn = jac
    res = least_squares(residuals, p0, jac=jac_fn, bounds=(lb, ub), method=method, **kwargs)
    if not res.success:
        raise RuntimeError(f"Optimal parameters not found: {res.message}")
    popt = res.x
    _, s, Vt = svd(res.jac, full_matrices=False)
    keep = s > np.finfo(float).eps * max(res.jac.shape) * (s[0] if s.size else 0.0)
    Vk = Vt[keep].T
    pcov = (Vk / s[keep] ** 2) @ Vk.T
    singular = int(keep.sum()) < n
    if not absolute_sigma:
        if m > n:
            pcov = pcov * (2.0 * res.cost / (m - n))
        else:
            singular = True
    if singular:
        pcov = np.full((n, n), np.inf)
        warnings.warn(
            "Covariance of the parameters could not be estimated", OptimizeWarning, stacklevel=2
        )
    return popt, pcov
