"""check_grads: derivatives checked against finite differences and against each other.

Forward mode is compared with a central difference along a random direction :math:`v`,
:math:`J v \\approx (f(x + \\epsilon v) - f(x - \\epsilon v)) / 2\\epsilon` (error
:math:`O(\\epsilon^2)`); reverse mode is checked through the adjoint identity
:math:`\\langle u, J v\\rangle = \\langle J^\\top u, v\\rangle` for a random cotangent :math:`u`.
Higher orders repeat the check on the functions :math:`x \\mapsto J(x) v` and
:math:`x \\mapsto J(x)^\\top u`.
"""

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np

from m4ml._core import check_positive_int, check_rng
from m4ml._core.hints import Seed
from m4ml.autodiff.pytree import tree_flatten, tree_map
from m4ml.autodiff.transforms import _jvp, _vjp


def _flat(tree):
    leaves, _ = tree_flatten(tree)
    if not leaves:
        return np.zeros(0)
    return np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x in leaves])


def _random_like(tree, rng):
    return tree_map(lambda x: rng.standard_normal(np.shape(x)), tree)


def check_grads(
    f: Callable[..., Any],
    args: tuple[Any, ...],
    order: int = 2,
    modes: Sequence[Literal["fwd", "rev"]] = ("fwd", "rev"),
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    rng: Seed = 0,
) -> None:
    """Check the derivatives of ``f`` at ``args`` up to ``order``, in forward and reverse mode.

    Parameters
    ----------
    f : callable
        A function of the positional arguments ``args`` (arrays or pytrees of float64
        arrays), written with :mod:`m4ml.numpy`.
    args : tuple
        The point of the check (a single array is taken as one argument).
    order : int
        Highest derivative order to check (1 or more).
    modes : sequence of {"fwd", "rev"}
        Which modes to check.
    eps : float
        Finite-difference step.
    rtol, atol : float
        Tolerances of the comparison ``|a - b| <= atol + rtol * |b|``.
    rng : None, int or numpy.random.Generator
        Source of the random directions.

    Returns
    -------
    None
        Silently, when every check passes.

    Raises
    ------
    AssertionError
        Naming the mode and order whose derivative disagrees, with the two numbers.
    ValueError
        For an unknown mode.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> check_grads(lambda x: mnp.sum(mnp.sin(x) * x), (np.array([0.5, 1.5]),))
    """
    order = check_positive_int(order, "order")
    modes = tuple(modes)
    for m in modes:
        if m not in ("fwd", "rev"):
            raise ValueError(f"unknown mode {m!r}; use 'fwd' and/or 'rev'")
    if not isinstance(args, tuple):
        args = (args,)
    args = tuple(tree_map(lambda x: np.asarray(x, dtype=float), a) for a in args)
    _check(f, args, order, modes, eps, rtol, atol, check_rng(rng), 1)


def _close(a, b, rtol, atol, what):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = atol + rtol * np.maximum(np.abs(a), np.abs(b))
    if not np.all(np.abs(a - b) <= scale):
        raise AssertionError(f"check_grads: {what} disagree: {a!r} vs {b!r}")


def _check(f, args, order, modes, eps, rtol, atol, rng, k):
    v = _random_like(args, rng)
    plus = tree_map(lambda x, d: x + eps * d, args, v)
    minus = tree_map(lambda x, d: x - eps * d, args, v)
    fd = (_flat(f(*plus)) - _flat(f(*minus))) / (2 * eps)
    scale = max(1.0, float(np.max(np.abs(fd), initial=0.0)))
    tol = (rtol, atol * scale)
    if "fwd" in modes:
        _, t, _ = _jvp(f, args, v)
        _close(_flat(t), fd, *tol, f"forward-mode derivative of order {k} and finite differences")
    if "rev" in modes:
        out, fn, _ = _vjp(f, args)
        u = _random_like(out, rng)
        g = fn(u)
        _close(
            np.dot(_flat(g), _flat(v)),
            np.dot(_flat(u), fd),
            *tol,
            f"reverse-mode derivative of order {k} (adjoint identity) and finite differences",
        )
    if order > 1:
        if "fwd" in modes:
            _check(lambda *a: _jvp(f, a, v)[1], args, order - 1, modes, eps, rtol, atol, rng, k + 1)
        if "rev" in modes:
            _check(lambda *a: _vjp(f, a)[1](u), args, order - 1, modes, eps, rtol, atol, rng, k + 1)
