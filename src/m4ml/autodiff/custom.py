"""Declaring new primitives: a NumPy function plus its VJP and JVP rules.

A primitive is opaque to tracing: its body runs on plain arrays, and its derivative comes only
from the rules you register. Write the rules with :mod:`m4ml.numpy` so that they can be
differentiated again (higher-order derivatives then come for free).

Rule signatures, for a primitive ``f(x1, x2, ..., **kwargs)`` with result ``ans``:

* VJP for argument ``i``: ``rule(g, ans, x1, x2, ..., **kwargs)`` returns
  :math:`\\bar x_i = (\\partial f/\\partial x_i)^\\top g`;
* JVP for argument ``i``: ``rule(t, ans, x1, x2, ..., **kwargs)`` returns the output tangent
  :math:`(\\partial f/\\partial x_i)\\, t`.

``g`` and ``t`` may carry leading batch axes (the Jacobian transforms push a whole basis
through at once): ``g.shape == batch + ans.shape`` and ``t.shape == batch + x_i.shape``.
Rules that use broadcasting and negative axes work unchanged. A VJP result that is broadcast
against ``x_i`` is summed back to ``batch + x_i.shape`` for you.
"""

from collections.abc import Callable, Sequence
from typing import Any

from m4ml.autodiff.core import Primitive


def primitive(
    fun: Callable[..., Any] | None = None, *, name: str | None = None
) -> Primitive | Callable[[Callable[..., Any]], Primitive]:
    """Turn a NumPy function into a differentiable primitive (use as a decorator).

    Parameters
    ----------
    fun : callable
        Computes the value on plain NumPy arrays.
    name : str, optional
        Name shown in error messages (default: the function's name).

    Returns
    -------
    Primitive
        Callable like ``fun``; register its rules with :func:`defvjp` and :func:`defjvp`.

    Examples
    --------
    A softplus :math:`\\log(1 + e^x)` with derivative :math:`\\sigma(x) = 1/(1 + e^{-x})`:

    >>> import numpy as np
    >>> import m4ml.numpy as mnp
    >>> from m4ml.autodiff import grad, jvp
    >>> @primitive
    ... def softplus(x):
    ...     return np.logaddexp(0.0, x)
    >>> sigmoid = lambda x: 1.0 / (1.0 + mnp.exp(-x))
    >>> _ = defvjp(softplus, lambda g, ans, x: g * sigmoid(x))
    >>> _ = defjvp(softplus, lambda t, ans, x: t * sigmoid(x))
    >>> grad(lambda x: mnp.sum(softplus(x)))(np.array([0.0, 2.0]))
    array([0.5       , 0.88079708])
    >>> grad(grad(softplus))(0.0)
    np.float64(0.25)
    """
    if fun is None:
        return lambda f: primitive(f, name=name)
    return Primitive(fun, name)


def defvjp(
    prim: Primitive, *rules: Callable[..., Any] | None, argnums: Sequence[int] | None = None
) -> Primitive:
    """Register the VJP rules of ``prim``, one per positional argument (``None`` to skip).

    Returns the primitive. See the module docstring for the rule signature.
    """
    if not isinstance(prim, Primitive):
        raise TypeError(f"defvjp expects a primitive made by m4ml.autodiff.primitive, got {prim!r}")
    return prim.defvjp(*rules, argnums=argnums)


def defjvp(
    prim: Primitive, *rules: Callable[..., Any] | None, argnums: Sequence[int] | None = None
) -> Primitive:
    """Register the JVP rules of ``prim``, one per positional argument (``None`` to skip).

    Returns the primitive. See the module docstring for the rule signature.
    """
    if not isinstance(prim, Primitive):
        raise TypeError(f"defjvp expects a primitive made by m4ml.autodiff.primitive, got {prim!r}")
    return prim.defjvp(*rules, argnums=argnums)
