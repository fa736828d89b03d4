"""Function transforms, JAX-style: vjp, jvp, grad, value_and_grad, jacrev, jacfwd, hessian, ...

Each transform opens a new trace level, wraps the leaves of the chosen arguments in tracers,
calls the function, and reads the derivative off the traced output. Jacobians push a whole
identity basis through one pass: :func:`jacfwd` gives the tangents a leading batch axis of
length :math:`n` (inputs), :func:`jacrev` gives the output cotangents one of length :math:`m`
(outputs), so no Python loop runs over rows or columns.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from m4ml._core.hints import PyTree
from m4ml.autodiff.backward import backward
from m4ml.autodiff.core import ForwardTracer, Node, ReverseTracer, new_level, shape_of
from m4ml.autodiff.pytree import tree_flatten, tree_unflatten
from m4ml.autodiff.rules_elementwise import astype
from m4ml.autodiff.tracer import Tracer


def _as_input(x, what):
    """The leaf ``x`` as a floating array (or tracer); TypeError for int/bool/complex."""
    if not isinstance(x, Tracer):
        x = np.asarray(x)
    dtype = x.dtype
    if dtype.kind != "f":
        raise TypeError(
            f"{what} must hold floating-point numbers to be differentiated, got dtype {dtype} "
            "(convert it first, e.g. x.astype(float))"
        )
    return x


def _unbox(x, level):
    if isinstance(x, Tracer) and x._level == level:
        return x._value
    return x


def _vjp(f, primals, has_aux=False):
    level = new_level()
    leaves, treedef = tree_flatten(tuple(primals))
    leaves = [_as_input(x, "a differentiated argument") for x in leaves]
    nodes = [Node(None, (), {}, x, [], []) for x in leaves]
    boxed = [ReverseTracer(x, level, n) for x, n in zip(leaves, nodes)]
    out = f(*tree_unflatten(treedef, boxed))
    aux = None
    if has_aux:
        if not (isinstance(out, tuple) and len(out) == 2):
            raise TypeError("with has_aux=True the function must return a pair (output, aux)")
        out, aux = out
        aux = _strip(aux, level)
    out_leaves, out_def = tree_flatten(out)
    values = [_unbox(o, level) for o in out_leaves]

    def vjp_fun(cotangent):
        ct_leaves, ct_def = tree_flatten(cotangent)
        if ct_def != out_def:
            raise ValueError(
                f"cotangent structure {ct_def!r} differs from the output's {out_def!r}"
            )
        roots, cts = [], []
        batch = ()
        for o, v, ct in zip(out_leaves, values, ct_leaves):
            batch = shape_of(ct)[: len(shape_of(ct)) - len(shape_of(v))]
            if isinstance(o, ReverseTracer) and o._level == level:
                roots.append(o._node)
                cts.append(ct)
        grads = backward(roots, cts, nodes)
        grads = [
            np.zeros(batch + shape_of(x), dtype=x.dtype) if g is None else _cast(g, x.dtype)
            for g, x in zip(grads, leaves)
        ]
        return tree_unflatten(treedef, grads)

    return tree_unflatten(out_def, values), vjp_fun, aux


def _cast(g, dtype):
    """The cotangent of an input in that input's dtype (float32 parameters get float32 grads)."""
    gd = getattr(g, "dtype", None)
    if gd == dtype:
        return g
    if isinstance(g, Tracer):
        return astype(g, dtype)
    return np.asarray(g, dtype=dtype)


def _strip(tree, level):
    leaves, td = tree_flatten(tree)
    return tree_unflatten(td, [_unbox(x, level) for x in leaves])


def _jvp(f, primals, tangents, has_aux=False):
    level = new_level()
    leaves, treedef = tree_flatten(tuple(primals))
    t_leaves, t_def = tree_flatten(tuple(tangents))
    if t_def != treedef:
        raise ValueError(f"tangent structure {t_def!r} differs from the primals' {treedef!r}")
    leaves = [_as_input(x, "a differentiated argument") for x in leaves]
    batch = ()
    for x, t in zip(leaves, t_leaves):
        nb = len(shape_of(t)) - len(shape_of(x))
        if nb < 0 or shape_of(t)[nb:] != shape_of(x):
            raise ValueError(f"tangent of shape {shape_of(t)} for a primal of shape {shape_of(x)}")
        batch = shape_of(t)[:nb]
    boxed = [ForwardTracer(x, level, t) for x, t in zip(leaves, t_leaves)]
    out = f(*tree_unflatten(treedef, boxed))
    aux = None
    if has_aux:
        out, aux = out
        aux = _strip(aux, level)
    out_leaves, out_def = tree_flatten(out)
    values, tans = [], []
    for o in out_leaves:
        if isinstance(o, ForwardTracer) and o._level == level:
            values.append(o._value)
            tans.append(o._tangent)
        else:
            values.append(o)
            dt = getattr(o, "dtype", np.dtype(float))
            tans.append(np.zeros(batch + shape_of(o), dtype=dt if dt.kind == "f" else float))
    return tree_unflatten(out_def, values), tree_unflatten(out_def, tans), aux


def vjp(
    fun: Callable[..., Any], *primals: PyTree, has_aux: bool = False
) -> tuple[PyTree, Callable[[PyTree], Any]] | tuple[PyTree, Callable[[PyTree], Any], Any]:
    """Evaluate ``fun(*primals)`` and return it with its vector-Jacobian-product function.

    Parameters
    ----------
    fun : callable
        A function of pytrees of float arrays written with :mod:`m4ml.numpy`.
    *primals : pytrees
        The point of evaluation.
    has_aux : bool
        ``fun`` returns ``(output, aux)``; aux is returned as a third value, undifferentiated.

    Returns
    -------
    out : pytree
        ``fun(*primals)``.
    vjp_fun : callable
        ``vjp_fun(ct)`` returns the tuple :math:`(\\bar x_1, \\dots)` with
        :math:`\\bar x_i = (\\partial f/\\partial x_i)^\\top \\bar y` for an output cotangent ``ct``
        shaped like ``out``. It can be called any number of times.

    Raises
    ------
    TypeError
        An integer, boolean or complex primal.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> y, f_vjp = vjp(lambda x: mnp.sin(x) * 2.0, np.array([0.0, np.pi]))
    >>> f_vjp(np.ones(2))
    (array([ 2., -2.]),)
    """
    out, fn, aux = _vjp(fun, primals, has_aux)
    return (out, fn, aux) if has_aux else (out, fn)


def jvp(
    fun: Callable[..., Any],
    primals: Sequence[PyTree],
    tangents: Sequence[PyTree],
    has_aux: bool = False,
) -> tuple[PyTree, PyTree] | tuple[PyTree, PyTree, Any]:
    """Evaluate ``fun`` at ``primals`` and its directional derivative along ``tangents``.

    Parameters
    ----------
    fun : callable
        A function of pytrees of float arrays written with :mod:`m4ml.numpy`.
    primals, tangents : tuple
        One entry per positional argument of ``fun``; each tangent has its primal's structure
        and shape (optionally with extra leading batch axes, for many directions at once).
    has_aux : bool
        ``fun`` returns ``(output, aux)``; aux is returned third, undifferentiated.

    Returns
    -------
    out : pytree
        ``fun(*primals)``.
    tangent_out : pytree
        :math:`\\dot y = \\sum_i (\\partial f/\\partial x_i)\\,\\dot x_i`, shaped like ``out``.

    Raises
    ------
    TypeError
        ``primals``/``tangents`` not tuples, or integer/boolean/complex primals.
    ValueError
        A tangent whose structure or shape does not match its primal.

    Notes
    -----
    Forward mode: each primitive applies its JVP rule as it runs, so the cost is a small
    multiple of one evaluation of ``fun`` per direction, whatever the output size.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> jvp(lambda x: x ** 3, (2.0,), (1.0,))
    (np.float64(8.0), array(12.))
    """
    if not isinstance(primals, tuple | list) or not isinstance(tangents, tuple | list):
        raise TypeError("jvp: primals and tangents must be tuples (one entry per argument)")
    out, t, aux = _jvp(fun, tuple(primals), tuple(tangents), has_aux)
    return (out, t, aux) if has_aux else (out, t)


def _argnums(argnums, nargs, who):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    for i in nums:
        if not isinstance(i, int) or not -nargs <= i < nargs:
            raise ValueError(
                f"{who}: argnums {argnums!r} out of range for {nargs} positional arguments"
            )
    return tuple(i % nargs for i in nums), single


def _partial(fun, args, kwargs, nums):
    def g(*dyn):
        full = list(args)
        for i, d in zip(nums, dyn):
            full[i] = d
        return fun(*full, **kwargs)

    return g


def value_and_grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """A function returning ``(fun(*args), grad)`` from one forward and one backward pass.

    Parameters
    ----------
    fun : callable
        Returns a scalar (shape ``()``).
    argnums : int or tuple of int
        Which positional argument(s) to differentiate.
    has_aux : bool
        ``fun`` returns ``(value, aux)``; the result is then ``((value, aux), grad)``.

    Returns
    -------
    callable
        Returns ``(value, grad)``, the gradient shaped like the argument(s).

    Raises
    ------
    TypeError
        Integer/boolean/complex arguments, or a non-scalar output.
    ValueError
        ``argnums`` out of range.

    Notes
    -----
    See :func:`grad` for the method.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> value_and_grad(lambda x: mnp.sum(x ** 2))(np.array([1.0, 2.0]))
    (np.float64(5.0), array([2., 4.]))
    """

    @functools.wraps(fun)
    def vg(*args, **kwargs):
        nums, single = _argnums(argnums, len(args), "grad")
        dyn = [args[i] for i in nums]
        out, fn, aux = _vjp(_partial(fun, args, kwargs, nums), dyn, has_aux)
        if not isinstance(out, np.ndarray | Tracer | float | int | np.floating) or any(
            n != 1 for n in shape_of(out)
        ):
            raise TypeError(
                f"grad requires a function with a scalar output (shape (), or (1,), (1, 1), "
                f"...), got shape {shape_of(out)}; use jacrev/jacfwd for Jacobians or "
                "elementwise_grad for elementwise functions"
            )
        dt = getattr(out, "dtype", np.dtype(float))
        g = fn(np.ones(shape_of(out), dtype=dt if dt.kind == "f" else float))
        g = g[0] if single else tuple(g)
        return ((out, aux), g) if has_aux else (out, g)

    return vg


def grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The gradient of a scalar function: ``grad(f)(x)`` is :math:`\\nabla f(x)`.

    Parameters
    ----------
    fun : callable
        Returns a scalar: shape ``()``, or one element such as ``(1,)`` or ``(1, 1)`` (as
        autograd accepts); written with :mod:`m4ml.numpy`.
    argnums : int or tuple of int
        Which positional argument(s) to differentiate (a tuple gives a tuple of gradients).
    has_aux : bool
        ``fun`` returns ``(value, aux)``; the result is then ``(grad, aux)``.

    Returns
    -------
    callable
        Same arguments as ``fun``; returns the gradient, shaped like the argument (a pytree for
        a pytree argument), in the argument's dtype.

    Raises
    ------
    TypeError
        Integer/boolean/complex arguments, or a non-scalar output.

    Notes
    -----
    Reverse mode: one forward pass records the primitives, one backward pass applies their
    VJP rules :math:`\\bar x = (\\partial y/\\partial x)^\\top \\bar y` from :math:`\\bar f = 1`,
    so the cost is a small multiple of evaluating ``fun``, whatever the input dimension.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> grad(lambda x: mnp.sum(mnp.tanh(x)))(np.array([0.0, 1.0]))
    array([1.        , 0.41997434])
    >>> grad(grad(lambda x: x ** 3))(2.0)
    array(12.)
    """
    vg = value_and_grad(fun, argnums, has_aux)

    @functools.wraps(fun)
    def g(*args, **kwargs):
        out = vg(*args, **kwargs)
        return (out[1], out[0][1]) if has_aux else out[1]

    return g


def elementwise_grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0
) -> Callable[..., Any]:
    """The gradient of ``sum(fun(x))``: the derivative of an elementwise function, elementwise.

    Parameters
    ----------
    fun : callable
        Any function of arrays (its output may have any shape).
    argnums : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Returns :math:`J^\\top \\mathbf{1}`, i.e. :math:`f'(x)` elementwise when ``fun`` acts
        elementwise (HIPS autograd's ``elementwise_grad``).

    Raises
    ------
    TypeError
        Integer/boolean/complex arguments.

    Notes
    -----
    One reverse pass with an all-ones cotangent.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> elementwise_grad(mnp.sin)(np.array([0.0, np.pi]))
    array([ 1., -1.])
    """

    @functools.wraps(fun)
    def eg(*args, **kwargs):
        nums, single = _argnums(argnums, len(args), "elementwise_grad")
        out, fn, _ = _vjp(_partial(fun, args, kwargs, nums), [args[i] for i in nums])
        g = fn(_ones_like_tree(out))
        return g[0] if single else tuple(g)

    return eg


def _ones_like_tree(tree):
    leaves, td = tree_flatten(tree)
    return tree_unflatten(td, [np.ones(shape_of(x), dtype=_float_dtype(x)) for x in leaves])


def _float_dtype(x):
    dt = getattr(x, "dtype", np.dtype(float))
    return dt if dt.kind == "f" else np.dtype(float)
