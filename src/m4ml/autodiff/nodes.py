"""What a reverse trace records: one :class:`Node` per primitive application.

A node holds the primitive, its arguments and its result, the positions of the traced
arguments and the nodes that produced them, and a creation number that orders the backward
pass (:mod:`m4ml.autodiff.backward`). Arrays a primitive's VJP rules do not need are kept as
their :class:`Meta` (shape and dtype) only, so a trace does not hold on to their memory.
"""

import itertools
from operator import itemgetter as _field

import numpy as np

_new_tuple = tuple.__new__
_sequence = itertools.count()


class Meta:
    """The shape and dtype of an array whose values a backward pass does not need."""

    __slots__ = ("dtype", "ndim", "shape")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype
        self.ndim = len(shape)

    def __repr__(self):
        return f"Meta(shape={self.shape}, dtype={self.dtype})"


_ND = np.ndarray


_META = {}


def _meta(x):
    """Replace a floating-point array by its Meta (index and mask arrays are kept).

    Metas are immutable and shared per (shape, dtype), so recording one costs a dict lookup.
    """
    if type(x) is not _ND:
        return x
    dtype = x.dtype
    if dtype.kind != "f":
        return x
    key = (x.shape, dtype)
    m = _META.get(key)
    if m is None:
        if len(_META) > 4096:
            _META.clear()
        m = _META[key] = Meta(*key)
    return m


class Node(tuple):
    """One recorded primitive application of a reverse trace (read it by field name).

    Attributes
    ----------
    prim : Primitive or None
        The primitive applied (None for a leaf: an input of the transform; :data:`OUTPUT`
        for the selection of one result of a primitive with several results).
    args, kwargs : list, dict
        The arguments (values, or :class:`Meta` when the rules do not need them).
    ans : array, Meta or tuple
        The result (a tuple for a primitive with several results).
    argnums : list of int
        Positions of the traced arguments, one per parent.
    parents : list of Node
        The nodes that produced those arguments.
    seq : int
        Creation order; the backward pass visits nodes in decreasing ``seq``.

    Notes
    -----
    Recording a node is the only bookkeeping a primitive does in the forward pass, so a node is
    an immutable tuple with named read-only fields (creating one costs about a third of a
    slotted object's ``__init__``); the tracers create them with :func:`record`.
    """

    __slots__ = ()
    prim = property(_field(0))
    args = property(_field(1))
    kwargs = property(_field(2))
    ans = property(_field(3))
    argnums = property(_field(4))
    parents = property(_field(5))
    seq = property(_field(6))

    def __new__(cls, prim, args, kwargs, ans, argnums, parents):
        return _new_tuple(cls, (prim, args, kwargs, ans, argnums, parents, next(_sequence)))

    def __repr__(self):
        name = "leaf" if self.prim is None else getattr(self.prim, "name", "output")
        return f"Node({name}, seq={self.seq})"


def record(prim, args, kwargs, ans, argnums, parents):
    """A new :class:`Node` (the fast path of ``Node(...)``, without a Python ``__new__``)."""
    return _new_tuple(Node, (prim, args, kwargs, ans, argnums, parents, next(_sequence)))


OUTPUT = object()
"""Marker primitive of the node that selects result ``args[0]`` of ``args[1]`` results."""
