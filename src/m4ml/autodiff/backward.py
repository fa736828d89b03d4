"""The backward pass of reverse mode: visit the recorded nodes newest first, apply VJP rules.

:func:`backward` is the whole algorithm: seed the output nodes with their cotangents, sort
the graph by creation order (a node is always newer than its parents), and for each node
call the VJP rule of every traced argument and add the result into that argument's node.
A cotangent whose shape differs from its argument's (broadcasting) is summed back down by
:func:`unbroadcast`. The result of a primitive with several results is reached through an
:data:`~m4ml.autodiff.core.OUTPUT` node per result; their cotangents are gathered into one
tuple before the primitive's rule runs.
"""

import numpy as np

from m4ml.autodiff.core import OUTPUT, Node, _broadcast_to, _sum, ndim_of, shape_of


def unbroadcast(r, target, nb):
    """Sum the cotangent ``r`` (batch axes first) down to the shape ``target``."""
    rshape = shape_of(r)
    extra = len(rshape) - len(target)
    if extra > 0:
        r = _sum(r, axis=tuple(range(nb, nb + extra)))
        rshape = shape_of(r)
    if len(rshape) == len(target):
        axes = tuple(k for k in range(nb, len(target)) if target[k] == 1 and rshape[k] != 1)
        if axes:
            r = _sum(r, axis=axes, keepdims=True)
    if shape_of(r) != target:
        r = _broadcast_to(r, target)
    return r


_seq_of = Node.seq.fget  # the creation order, read at C speed for the sort


def _toposort(roots):
    seen = set()
    nodes = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        stack.extend(node.parents)
    nodes.sort(key=_seq_of, reverse=True)
    return nodes


def _fill(gs, ans):
    """Cotangents of all results of a several-result node (zeros for the unused ones)."""
    nb = next(ndim_of(g) - ndim_of(a) for g, a in zip(gs, ans) if g is not None)
    batch = shape_of(next(g for g in gs if g is not None))[:nb]
    return tuple(
        np.zeros(batch + shape_of(a), dtype=a.dtype) if g is None else g for g, a in zip(gs, ans)
    ), nb


def backward(roots, cotangents, leaves):
    """Run the backward pass from ``roots`` (nodes) seeded with ``cotangents``.

    Returns the cotangent of each leaf node in ``leaves`` (``None`` if it was not reached).
    Nothing is stored on the nodes, so the pass can be repeated with other cotangents.
    """
    grads = {}
    for node, ct in zip(roots, cotangents, strict=True):
        prev = grads.get(id(node))
        grads[id(node)] = ct if prev is None else prev + ct
    leaf_ids = {id(leaf) for leaf in leaves}
    out = {}
    pop = grads.pop
    get = grads.get
    for node in _toposort(roots):
        key = id(node)
        g = pop(key, None)
        if g is None:
            continue
        prim, args, kwargs, ans, argnums, parents, _ = node  # the fields of the Node
        if prim is None:
            if key in leaf_ids:
                out[key] = g
            continue
        if prim is OUTPUT:  # gather the cotangent of result i of a several-result node
            (i, k), parent = args, parents[0]
            slots = get(id(parent))
            if slots is None:
                slots = grads[id(parent)] = [None] * k
            slots[i] = g if slots[i] is None else slots[i] + g
            continue
        if prim.multiple_results:
            g, nb = _fill(g, ans)
            gshape = shape_of(g[0])
        else:
            try:
                gshape = g.shape
                nb = len(gshape) - ans.ndim
            except AttributeError:
                gshape = shape_of(g)
                nb = len(gshape) - ndim_of(ans)
        vjps = prim.vjps
        for i, parent in zip(argnums, parents):
            r = vjps[i](g, ans, *args, **kwargs) if kwargs else vjps[i](g, ans, *args)
            try:
                xs, rs = args[i].shape, r.shape
            except AttributeError:
                xs, rs = shape_of(args[i]), shape_of(r)
            if nb:
                xs = gshape[:nb] + xs
            if rs != xs:
                r = unbroadcast(r, xs, nb)
            pkey = id(parent)
            prev = get(pkey)
            grads[pkey] = r if prev is None else prev + r
    return [out.get(id(leaf)) for leaf in leaves]
