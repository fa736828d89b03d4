"""A sampling-based convexity checker: Jensen's inequality on random pairs, Hessian PSD-ness.

A check on samples can *refute* convexity (a violated inequality is a proof, up to rounding)
but can never *prove* it: ``verdict=True`` means "no violation found among the samples".
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from m4ml._core import as_float_array, check_positive_int, check_rng
from m4ml._core.hints import ArrayLike, FloatArray, Seed
from m4ml.autodiff import TracerError, hessian
from m4ml.linalg.eigh import eigvalsh


@dataclass
class ConvexityResult:
    """The outcome of :func:`is_convex`.

    Attributes
    ----------
    verdict : bool
        ``False``: a violation was found (``witness`` proves non-convexity). ``True``: no
        violation among the samples -- evidence, not proof.
    witness : dict or None
        For a Jensen violation ``{"kind": "jensen", "x", "y", "t", "f_mid", "chord"}`` with
        :math:`f(tx + (1-t)y) = ` ``f_mid`` :math:`>` ``chord`` :math:`= tf(x) + (1-t)f(y)`;
        for a Hessian violation ``{"kind": "hessian", "x", "min_eigenvalue"}``.
    violation : float
        The size of the reported violation: ``f_mid - chord`` for the worst Jensen triple, or
        (only when no chord is violated) minus the most negative Hessian eigenvalue; 0 if
        none.
    n_jensen, n_hessian : int
        Numbers of Jensen triples and Hessians checked (``n_hessian`` is 0 when the Hessian
        check was off or ``f`` could not be differentiated).
    """

    verdict: bool
    witness: dict | None
    violation: float
    n_jensen: int
    n_hessian: int

    def __bool__(self):
        return self.verdict


def _box_sampler(low, high):
    low = as_float_array(low, "domain_sampler low", finite=False)
    high = as_float_array(high, "domain_sampler high", finite=False)
    if low.shape != high.shape or np.any(~np.isfinite(low)) or np.any(~np.isfinite(high)):
        raise ValueError("a box domain (low, high) needs finite bounds of the same shape")
    if np.any(low >= high):
        raise ValueError("a box domain needs low < high in every coordinate")
    return lambda rng, size: rng.uniform(low, high, size=(size, *low.shape))


def _scalar(v):
    v = np.asarray(v, dtype=float)
    if v.size != 1:
        raise ValueError(f"f must return a scalar, got shape {v.shape}")
    return float(v.reshape(()))


def is_convex(
    f: Callable[[FloatArray], float],
    domain_sampler: Callable[..., Any] | tuple[ArrayLike, ArrayLike],
    n_samples: int = 200,
    rng: Seed = None,
    tol: float = 1e-8,
    *,
    check_hessian: bool = True,
    n_hessian: int = 20,
) -> ConvexityResult:
    r"""Look for evidence that ``f`` is not convex on a convex domain.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar`` for one point ``x``; written with :mod:`m4ml.numpy` to enable the
        Hessian check.
    domain_sampler : callable or tuple
        ``domain_sampler(rng, size) -> array of shape (size, ...)`` drawing points of the
        (convex) domain, or a box ``(low, high)`` sampled uniformly.
    n_samples : int
        Number of Jensen triples :math:`(x, y, t)`.
    rng : None, int or numpy.random.Generator
        Randomness.
    tol : float
        Relative tolerance: a violation counts when it exceeds
        ``tol * (1 + |t f(x)| + |(1-t) f(y)|)`` (Jensen) or ``tol * (1 + max|eig|)``
        (Hessian), so rounding is not reported.
    check_hessian : bool
        Also test :math:`\nabla^2 f \succeq 0` at ``n_hessian`` sampled points (skipped if
        ``f`` cannot be traced by :mod:`m4ml.autodiff`).
    n_hessian : int
        Points for the Hessian check.

    Returns
    -------
    ConvexityResult
        ``verdict``, ``witness`` of the worst violation, its size, counts.

    Raises
    ------
    ValueError
        Bad sampler output, bad box, non-scalar or non-finite ``f`` values.

    Notes
    -----
    :math:`f` is convex on a convex set :math:`C` iff for all :math:`x, y \in C` and
    :math:`t \in [0, 1]`

    .. math:: f(tx + (1-t)y) \le t f(x) + (1-t) f(y)

    (Jensen), and for twice differentiable :math:`f` iff :math:`\nabla^2 f(x) \succeq 0` on
    :math:`C`. The first test needs only values and also sees kinks (norms); the second looks
    at curvature locally and finds thin non-convex regions the chords may miss. The domain
    must be convex (chords must stay inside it). Cost: :math:`3n` evaluations of ``f`` plus
    ``n_hessian`` Hessians (:math:`O(d)` reverse passes each) and :math:`d\times d`
    eigenvalue problems.

    References
    ----------
    S. Boyd & L. Vandenberghe, *Convex Optimization* (2004), §3.1.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> r = is_convex(lambda x: x**4 - x**2, (-2.0, 2.0), rng=0)
    >>> r.verdict, r.witness["kind"]
    (False, 'jensen')
    >>> bool(is_convex(lambda x: mnp.logsumexp(x), (-np.ones(3), np.ones(3)), rng=0))
    True
    """
    if not callable(f):
        raise TypeError("f must be callable")
    n_samples = check_positive_int(n_samples, "n_samples")
    n_hessian = check_positive_int(n_hessian, "n_hessian", minimum=0)
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol!r}")
    sampler = _box_sampler(*domain_sampler) if isinstance(domain_sampler, tuple) else domain_sampler
    if not callable(sampler):
        raise TypeError(
            "domain_sampler must be a callable (rng, size) -> points or a (low, high) box"
        )
    gen = check_rng(rng)

    def draw(size):
        pts = np.asarray(sampler(gen, size), dtype=float)
        if pts.ndim == 0 or pts.shape[0] != size or not np.all(np.isfinite(pts)):
            raise ValueError(
                f"domain_sampler(rng, {size}) must return {size} finite points along axis 0, "
                f"got shape {pts.shape}"
            )
        return pts

    def value(x):
        with np.errstate(all="ignore"):  # a non-finite value is reported just below
            v = _scalar(f(x))
        if not np.isfinite(v):
            raise ValueError(f"f is not finite at a sampled point ({v}); restrict the domain")
        return v

    X, Y = draw(n_samples), draw(n_samples)
    t = gen.uniform(0.0, 1.0, n_samples)
    tb = t.reshape(-1, *([1] * (X.ndim - 1)))
    Z = tb * X + (1.0 - tb) * Y
    fx = np.array([value(x) for x in X])
    fy = np.array([value(y) for y in Y])
    fz = np.array([value(z) for z in Z])
    chord = t * fx + (1.0 - t) * fy
    excess = fz - chord
    scale = tol * (1.0 + np.abs(t * fx) + np.abs((1.0 - t) * fy))
    worst = int(np.argmax(excess - scale))
    witness, violation = None, 0.0
    if excess[worst] > scale[worst]:
        violation = float(excess[worst])
        witness = {"kind": "jensen", "x": X[worst], "y": Y[worst], "t": float(t[worst]),
                   "f_mid": float(fz[worst]), "chord": float(chord[worst])}  # fmt: skip

    n_h = 0
    if check_hessian and n_hessian:
        try:
            H_fn = hessian(f)
            P = draw(n_hessian)
            d = int(np.prod(P.shape[1:], dtype=np.int64))
            H = np.stack([np.asarray(H_fn(p), dtype=float).reshape(d, d) for p in P])
        except (TracerError, TypeError):  # f is not traceable: keep the Jensen verdict
            H = None
        if H is not None:
            n_h = len(H)
            ev = eigvalsh(0.5 * (H + np.swapaxes(H, -1, -2)))
            lo = ev[:, 0]
            bound = tol * (1.0 + np.max(np.abs(ev), axis=1))
            k = int(np.argmin(lo + bound))
            if lo[k] < -bound[k] and witness is None:  # a Jensen witness is global: keep it
                violation = float(-lo[k])
                witness = {"kind": "hessian", "x": P[k], "min_eigenvalue": float(lo[k])}
    return ConvexityResult(witness is None, witness, violation, n_samples, n_h)
