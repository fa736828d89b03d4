"""Pytrees: nested dicts, lists and tuples (named tuples included) whose leaves are arrays.

Model parameters are naturally nested (``{"W1": ..., "b1": ..., "layers": [...]}``); the
transforms accept and return such structures. :func:`tree_flatten` lists the leaves in a fixed
order (dict keys sorted) together with a :class:`TreeDef` that :func:`tree_unflatten` uses to
rebuild the structure. ``None`` is an empty subtree, as in JAX.
"""

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np

from m4ml._core.hints import FloatArray, PyTree


class TreeDef:
    """The structure of a pytree without its leaves (hashable, comparable)."""

    __slots__ = ("children", "kind", "meta")

    def __init__(self, kind: str, meta: Hashable, children: tuple["TreeDef", ...]):
        self.kind = kind
        self.meta = meta
        self.children = children

    @property
    def num_leaves(self) -> int:
        """Number of leaves in the structure."""
        if self.kind == "leaf":
            return 1
        return sum(c.num_leaves for c in self.children)

    def _key(self):
        return (self.kind, self.meta, tuple(c._key() for c in self.children))

    def __eq__(self, other):
        return isinstance(other, TreeDef) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __repr__(self):
        if self.kind == "leaf":
            return "*"
        if self.kind == "none":
            return "None"
        inner = ", ".join(map(repr, self.children))
        if self.kind == "dict":
            inner = ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.meta, self.children))
            return "{" + inner + "}"
        return f"[{inner}]" if self.kind == "list" else f"({inner})"


_LEAF = TreeDef("leaf", None, ())


def _flatten(tree, leaves):
    if isinstance(tree, dict):
        keys = tuple(sorted(tree))
        return TreeDef("dict", keys, tuple(_flatten(tree[k], leaves) for k in keys))
    if isinstance(tree, list):
        return TreeDef("list", None, tuple(_flatten(x, leaves) for x in tree))
    if isinstance(tree, tuple):
        meta = type(tree) if hasattr(tree, "_fields") else None
        return TreeDef("tuple", meta, tuple(_flatten(x, leaves) for x in tree))
    if tree is None:
        return TreeDef("none", None, ())
    leaves.append(tree)
    return _LEAF


def tree_flatten(tree: PyTree) -> tuple[list[Any], TreeDef]:
    """Split a pytree into its list of leaves and its structure.

    Parameters
    ----------
    tree : pytree
        Nested dicts (keys sorted), lists and tuples; anything else is a leaf.

    Returns
    -------
    leaves : list
    treedef : TreeDef

    Examples
    --------
    >>> leaves, treedef = tree_flatten({"b": 2.0, "a": [1.0, (3.0,)]})
    >>> leaves
    [1.0, 3.0, 2.0]
    >>> treedef
    {'a': [*, (*)], 'b': *}
    """
    leaves = []
    treedef = _flatten(tree, leaves)
    return leaves, treedef


def tree_unflatten(treedef: TreeDef, leaves: Iterable[Any]) -> PyTree:
    """Rebuild the pytree of structure ``treedef`` from ``leaves`` (inverse of tree_flatten).

    Examples
    --------
    >>> leaves, treedef = tree_flatten({"w": 1.0, "b": [2.0]})
    >>> tree_unflatten(treedef, [10.0, 20.0])
    {'b': [10.0], 'w': 20.0}
    """
    it = iter(leaves)
    out = _unflatten(treedef, it)
    if next(it, _LEAF) is not _LEAF:
        raise ValueError(f"too many leaves for the tree structure {treedef!r}")
    return out


def _unflatten(td, it):
    if td.kind == "leaf":
        try:
            return next(it)
        except StopIteration:
            raise ValueError("too few leaves for the tree structure") from None
    if td.kind == "none":
        return None
    children = [_unflatten(c, it) for c in td.children]
    if td.kind == "dict":
        return dict(zip(td.meta, children))
    if td.kind == "list":
        return children
    return td.meta(*children) if td.meta is not None else tuple(children)


def tree_map(f: Callable[..., Any], tree: PyTree, *rest: PyTree) -> PyTree:
    """Apply ``f`` to every leaf (and the matching leaves of ``rest``), keeping the structure.

    Examples
    --------
    >>> tree_map(lambda x, y: x + y, {"a": 1, "b": (2, 3)}, {"a": 10, "b": (20, 30)})
    {'a': 11, 'b': (22, 33)}
    """
    leaves, treedef = tree_flatten(tree)
    others = []
    for r in rest:
        rl, rd = tree_flatten(r)
        if rd != treedef:
            raise ValueError(f"tree_map: structures differ: {treedef!r} vs {rd!r}")
        others.append(rl)
    return tree_unflatten(treedef, [f(*xs) for xs in zip(leaves, *others)])


def ravel_pytree(tree: PyTree) -> tuple[FloatArray, Callable[[FloatArray], PyTree]]:
    """Concatenate every leaf of ``tree`` into one 1-D array; also return the inverse.

    Returns
    -------
    flat : ndarray
        The leaves raveled and concatenated (in :func:`tree_flatten` order), in their common
        floating dtype.
    unravel : callable
        ``unravel(flat)`` rebuilds the pytree (differentiable: it only slices and reshapes).

    Examples
    --------
    >>> flat, unravel = ravel_pytree({"W": np.ones((2, 2)), "b": np.zeros(2)})
    >>> flat
    array([1., 1., 1., 1., 0., 0.])
    >>> unravel(flat + 1)["W"]
    array([[2., 2.],
           [2., 2.]])
    """
    from m4ml.autodiff.rules_shape import concatenate, getitem, reshape

    leaves, treedef = tree_flatten(tree)
    shapes = [np.shape(x) for x in leaves]
    sizes = [int(np.prod(s)) for s in shapes]
    flat = concatenate([reshape(x, (-1,)) for x in leaves]) if leaves else np.zeros(0)
    bounds = np.cumsum([0, *sizes])

    def unravel(v):
        parts = [
            reshape(getitem(v, slice(int(lo), int(hi))), s)
            for lo, hi, s in zip(bounds[:-1], bounds[1:], shapes)
        ]
        return tree_unflatten(treedef, parts)

    return flat, unravel
