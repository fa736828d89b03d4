"""Jacobians and second derivatives: jacfwd, jacrev, jacobian, hessian, hvp.

A Jacobian is computed in one pass by giving the tangents (forward mode) or the cotangents
(reverse mode) a leading batch axis that holds a whole identity basis: :func:`jacfwd` pushes
:math:`n` input directions through one forward pass, :func:`jacrev` pulls :math:`m` output
directions back through one backward pass. No Python loop runs over rows or columns.
"""

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from m4ml._core.hints import PyTree
from m4ml.autodiff.core import shape_of
from m4ml.autodiff.pytree import tree_flatten, tree_unflatten
from m4ml.autodiff.rules_shape import getitem_p, reshape_p, transpose_p
from m4ml.autodiff.transforms import (
    _argnums,
    _as_input,
    _float_dtype,
    _jvp,
    _partial,
    _vjp,
    grad,
)


def _sizes(leaves):
    sizes = [int(np.prod(shape_of(x))) for x in leaves]
    return sizes, np.cumsum([0, *sizes]).tolist()


def _block(t, lo, hi, out_shape, in_shape):
    """From a batched derivative ``t`` (n_batch, *out_shape) take rows lo:hi as out x in."""
    part = getitem_p(t, slice(lo, hi))
    nd = len(shape_of(part))
    part = transpose_p(part, (*tuple(range(1, nd)), 0))
    return reshape_p(part, tuple(out_shape) + tuple(in_shape))


def _block_rev(g, lo, hi, out_shape, in_shape):
    """From a batched cotangent ``g`` (n_batch, *in_shape) take rows lo:hi as out x in."""
    return reshape_p(getitem_p(g, slice(lo, hi)), tuple(out_shape) + tuple(in_shape))


def jacfwd(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Jacobian by forward mode: one batched JVP pass with the identity as tangents.

    Parameters
    ----------
    fun : callable
        A function of pytrees of float arrays.
    argnums : int or tuple of int
        Which positional argument(s) to differentiate.
    has_aux : bool
        ``fun`` returns ``(output, aux)``; the result is then ``(jacobian, aux)``.

    Returns
    -------
    callable
        Returns :math:`J_{ij} = \\partial y_i / \\partial x_j`: for an output of shape ``out``
        and an input of shape ``in``, an array of shape ``out + in`` (pytrees: the output's
        structure of the input's structure).

    Raises
    ------
    TypeError
        Integer/boolean/complex arguments.

    Notes
    -----
    The :math:`n` tangents :math:`e_1, \\dots, e_n` travel together as one array with a leading
    axis of length :math:`n`; cost about one forward pass on :math:`n`-times-larger data, good
    when inputs are few.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> jacfwd(lambda x: x[0] * mnp.sin(x))(np.array([1.0, 0.0]))
    array([[1.38177329, 0.        ],
           [0.        , 1.        ]])
    """

    @functools.wraps(fun)
    def jac(*args, **kwargs):
        nums, single = _argnums(argnums, len(args), "jacfwd")
        dyn = args[nums[0]] if single else tuple(args[i] for i in nums)
        leaves, in_def = tree_flatten(dyn)
        leaves = [_as_input(x, "a differentiated argument") for x in leaves]
        _, offs = _sizes(leaves)
        n = offs[-1]
        dtype = np.result_type(*[_float_dtype(x) for x in leaves]) if leaves else float
        eye = np.eye(n, dtype=dtype)
        tangents = [
            eye[:, lo:hi].reshape((n, *shape_of(x))) for x, lo, hi in zip(leaves, offs, offs[1:])
        ]
        dyn_t = tree_unflatten(in_def, leaves)
        g = _partial(fun, args, kwargs, nums)
        call = (lambda d: g(d)) if single else (lambda d: g(*d))
        out, tans, aux = _jvp(call, (dyn_t,), (tree_unflatten(in_def, tangents),), has_aux)
        o_leaves, o_def = tree_flatten(out)
        t_leaves, _ = tree_flatten(tans)
        rows = [
            tree_unflatten(
                in_def,
                [
                    _block(t, lo, hi, shape_of(o), shape_of(x))
                    for x, lo, hi in zip(leaves, offs, offs[1:])
                ],
            )
            for o, t in zip(o_leaves, t_leaves)
        ]
        result = tree_unflatten(o_def, rows)
        return (result, aux) if has_aux else result

    return jac


def jacrev(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Jacobian by reverse mode: one batched VJP pass with the identity as cotangents.

    Parameters
    ----------
    fun : callable
        A function of pytrees of float arrays.
    argnums : int or tuple of int
        Which positional argument(s) to differentiate.
    has_aux : bool
        ``fun`` returns ``(output, aux)``; the result is then ``(jacobian, aux)``.

    Returns
    -------
    callable
        Returns the Jacobian in the layout of :func:`jacfwd` (shape ``out + in``).

    Raises
    ------
    TypeError
        Integer/boolean/complex arguments.

    Notes
    -----
    One forward pass, then one backward pass carrying the :math:`m` cotangents
    :math:`e_1, \\dots, e_m` as one array with a leading axis of length :math:`m` (a scalar
    output takes the plain gradient path); good when outputs are few.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> jacrev(lambda x: mnp.stack([x[0] * x[1], x[1]]))(np.array([2.0, 3.0]))
    array([[3., 2.],
           [0., 1.]])
    """

    @functools.wraps(fun)
    def jac(*args, **kwargs):
        nums, single = _argnums(argnums, len(args), "jacrev")
        dyn = [args[i] for i in nums]
        out, fn, aux = _vjp(_partial(fun, args, kwargs, nums), dyn, has_aux)
        o_leaves, o_def = tree_flatten(out)
        _, offs = _sizes(o_leaves)
        m = offs[-1]
        in_leaves, in_def = tree_flatten(dyn[0] if single else tuple(dyn))
        if m == 1 and len(o_leaves) == 1 and shape_of(o_leaves[0]) == ():
            g = fn(tree_unflatten(o_def, [np.ones((), dtype=_float_dtype(o_leaves[0]))]))
            g_leaves, _ = tree_flatten(g[0] if single else tuple(g))
            result = tree_unflatten(o_def, [tree_unflatten(in_def, g_leaves)])
            return (result, aux) if has_aux else result
        dtype = np.result_type(*[_float_dtype(o) for o in o_leaves])
        eye = np.eye(m, dtype=dtype)
        cts = [
            eye[:, lo:hi].reshape((m, *shape_of(o))) for o, lo, hi in zip(o_leaves, offs, offs[1:])
        ]
        g = fn(tree_unflatten(o_def, cts))
        g_leaves, _ = tree_flatten(g[0] if single else tuple(g))
        rows = [
            tree_unflatten(
                in_def,
                [
                    _block_rev(gl, lo, hi, shape_of(o), shape_of(x))
                    for gl, x in zip(g_leaves, in_leaves)
                ],
            )
            for o, lo, hi in zip(o_leaves, offs, offs[1:])
        ]
        result = tree_unflatten(o_def, rows)
        return (result, aux) if has_aux else result

    return jac


jacobian = jacrev


def hessian(fun: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Hessian, forward-over-reverse: ``jacfwd(jacrev(fun))``.

    Parameters
    ----------
    fun : callable
        A scalar function (vector outputs give a stack of Hessians, shape ``out + in + in``).
    argnums : int or tuple of int
        Which positional argument(s) to differentiate.

    Returns
    -------
    callable
        Returns :math:`H_{ij} = \\partial^2 f / \\partial x_i \\partial x_j`, shape ``in + in``.

    Notes
    -----
    The reverse pass gives the gradient; the forward pass pushes all :math:`n` input
    directions through that whole computation at once, so the cost is about :math:`n` times
    a gradient, done as a few large array operations.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 2.0]))
    array([[4., 2.],
           [2., 0.]])
    """
    return jacfwd(jacrev(fun, argnums), argnums)


def hvp(fun: Callable[..., Any], primals: PyTree, tangents: PyTree) -> PyTree:
    """Hessian-vector product :math:`\\nabla^2 f(x)\\, v` without forming the Hessian.

    Parameters
    ----------
    fun : callable
        A scalar function.
    primals, tangents : array, pytree or tuple
        The point :math:`x` and the direction :math:`v` (tuples for several arguments).

    Returns
    -------
    array or pytree
        :math:`\\nabla^2 f(x)\\, v`, shaped like ``primals``.

    Notes
    -----
    Forward-over-reverse: the JVP of :func:`grad` along :math:`v`, about the cost of two
    gradients.

    Examples
    --------
    >>> import m4ml.numpy as mnp
    >>> hvp(lambda x: mnp.sum(x ** 3), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([6., 0.])
    """
    if isinstance(primals, tuple):
        nums = tuple(range(len(primals)))
        return _jvp(grad(fun, nums), primals, tuple(tangents))[1]
    return _jvp(grad(fun), (primals,), (tangents,))[1]
