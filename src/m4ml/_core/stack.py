"""Stacks of matrices: lift a one-matrix kernel over leading axes, or write it for ``(..., m, n)``.

NumPy's linear algebra accepts stacks ``(..., m, n)`` and so does m4ml. There are two ways to
write a kernel for them, and every m4ml package uses one of these two instead of its own loop.

1. **Lift a single-matrix kernel** with :func:`map_stack` (or the :func:`stacked` decorator).
   The kernel is written for one 2-D matrix, as in a textbook; ``map_stack`` broadcasts the
   leading axes of the inputs, calls the kernel once per matrix and stacks its outputs (an
   array, a scalar, or a tuple/named tuple of them). Use it for large matrices, where the
   Python loop over the stack costs nothing next to the O(n^3) work of each call, and for
   algorithms whose control flow depends on the data (deflation, convergence tests).

2. **Write the kernel batch-polymorphically**, so that one sweep of Python operations serves
   every matrix of the stack at once. Use it for small matrices, where the per-call overhead
   of NumPy dominates and a loop over 1000 4x4 matrices would cost 1000 times too much. The
   idioms, each the stack version of a textbook line:

   ============================  ==========================================================
   textbook, one matrix          stack ``A`` of shape ``(B, m, n)`` (:func:`flatten`)
   ============================  ==========================================================
   ``A[i, j]``                   ``A[..., i, j]`` (shape ``(B,)``)
   ``A[j:, j]`` (a column)       ``A[..., j:, j]`` (shape ``(B, m - j)``)
   ``A.T``, ``A @ B``            :func:`mT` ``(A)``, ``A @ B`` (``@`` broadcasts the stack)
   ``x @ y`` (dot of vectors)    ``np.einsum("...i,...i->...", x, y)``
   outer product ``u v^T``       ``u[..., :, None] * v[..., None, :]``
   ``r = argmax(|A[j:, j]|)``    ``r = j + np.abs(A[:, j:, j]).argmax(axis=-1)``, one per
                                 matrix; then swap with :func:`swap_rows`
   ``if pivot == 0: skip``       a mask: ``np.where(pivot != 0, ..., ...)`` (no branches
                                 on data; each matrix takes its own branch through the mask)
   raise on a bad matrix         compute for all, then test the mask once at the end
   ============================  ==========================================================

   Loops run over the *columns* (O(n) Python steps), never over the stack.

:func:`flatten`/:func:`unflatten` reshape any ``(..., m, n)`` to ``(B, m, n)`` and back so that
kernels see exactly one leading axis.
"""

import functools

import numpy as np

__all__ = ["flatten", "mT", "map_stack", "stacked", "swap_rows", "unflatten"]


def mT(a):
    """Transpose of each matrix of the stack ``a`` (swap the last two axes; a view)."""
    return np.swapaxes(a, -1, -2)


def flatten(a, core_ndim=2):
    """Reshape ``a (..., *core)`` to ``(B, *core)``; return it and the stack shape ``(...)``."""
    batch = a.shape[: a.ndim - core_ndim]
    return a.reshape((int(np.prod(batch, dtype=np.int64)), *a.shape[a.ndim - core_ndim :])), batch


def unflatten(x, batch):
    """Inverse of :func:`flatten`: reshape ``x (B, *core)`` to ``(*batch, *core)``."""
    return x.reshape((*batch, *x.shape[1:]))


def swap_rows(A, i, r):
    """Swap row ``i`` with row ``r[b]`` of every matrix ``A[b]`` of ``A (B, m, n)``, in place.

    ``i`` is one row index shared by the stack, ``r`` an integer array of shape ``(B,)`` (a
    pivot row per matrix, e.g. from ``argmax``). Matrices with ``r[b] == i`` are unchanged.
    """
    b = np.arange(A.shape[0])
    top = A[:, i].copy()
    A[:, i] = A[b, r]
    A[b, r] = top


def _probe(shape):
    """A well-behaved stand-in input of core ``shape``: the (rectangular) identity."""
    if len(shape) >= 2:
        return np.broadcast_to(np.eye(shape[-2], shape[-1]), shape).copy()
    return np.zeros(shape)


def map_stack(kernel, *arrays, core_ndim=2):
    """Apply a one-matrix ``kernel`` to every matrix of the stacks ``arrays``.

    Parameters
    ----------
    kernel : callable
        ``kernel(*cores)`` takes one core block of each input (e.g. a 2-D matrix) and returns
        an array or scalar, or a tuple (or named tuple) of them with the same shapes for every
        matrix of the stack; or it works in place on its (writable) inputs and returns None.
    *arrays : ndarray
        Inputs of shape ``(..., *core)``; their leading axes broadcast against each other.
    core_ndim : int or tuple of int, default 2
        Number of trailing axes that form one core block, for all inputs or per input (e.g.
        ``(2, 1)`` for a matrix and a vector).

    Returns
    -------
    The kernel's output with the broadcast stack shape ``(...)`` prepended to each part. For
    inputs without leading axes the kernel's own output is returned unchanged (no copy). For an
    empty stack the output shapes are found by running the kernel once on the identity (the
    stand-in every linear-algebra kernel accepts), and empty arrays of those shapes returned.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml._core.stack import map_stack
    >>> A = np.arange(8.0).reshape(2, 2, 2)
    >>> map_stack(lambda a: (a.trace(), a.T), A)[0]
    array([ 3., 11.])
    """
    ndims = (core_ndim,) * len(arrays) if isinstance(core_ndim, int) else tuple(core_ndim)
    batches = [a.shape[: a.ndim - c] for a, c in zip(arrays, ndims, strict=True)]
    if not any(batches):
        return kernel(*arrays)
    batch = np.broadcast_shapes(*batches)
    cores = [a.shape[a.ndim - c :] for a, c in zip(arrays, ndims, strict=True)]
    views = [  # broadcast only where needed: an input of the full stack shape stays writable
        a if a.shape == batch + core else np.broadcast_to(a, batch + core)
        for a, core in zip(arrays, cores, strict=True)
    ]
    count = int(np.prod(batch, dtype=np.int64))
    inputs = [v[(0,) * len(batch)] for v in views] if count else [_probe(c) for c in cores]
    first = kernel(*inputs)
    if first is None:  # an in-place kernel: nothing to collect
        for idx in list(np.ndindex(*batch))[1:]:
            kernel(*(v[idx] for v in views))
        return None
    single = not isinstance(first, tuple)
    parts = (first,) if single else tuple(first)
    outs = [
        np.empty(batch + np.shape(p), dtype=np.result_type(p) if count else np.float64)
        for p in parts
    ]
    for k, idx in enumerate(np.ndindex(*batch)):
        if k:
            res = kernel(*(v[idx] for v in views))
            parts = (res,) if single else tuple(res)
        for out, p in zip(outs, parts, strict=True):
            out[idx] = p
    if single:
        return outs[0]
    return type(first)(*outs) if hasattr(first, "_fields") else tuple(outs)


def stacked(core_ndim=2):
    """Decorator: lift ``kernel(*arrays, **options)`` over stacks with :func:`map_stack`.

    Positional arguments are the stacked arrays; keyword arguments are passed unchanged to
    every call.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml._core.stack import stacked
    >>> @stacked(core_ndim=2)
    ... def frobenius(a, squared=False):
    ...     s = float((a * a).sum())
    ...     return s if squared else s**0.5
    >>> frobenius(np.ones((3, 2, 2)), squared=True)
    array([4., 4., 4.])
    """

    def decorate(kernel):
        @functools.wraps(kernel)
        def lifted(*arrays, **options):
            return map_stack(lambda *cores: kernel(*cores, **options), *arrays, core_ndim=core_ndim)

        return lifted

    return decorate
