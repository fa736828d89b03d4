"""Pytrees: flatten/unflatten round trips, tree_map, ravel_pytree, and transforms on them."""

from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import m4ml.numpy as mnp
from m4ml.autodiff import grad, jacfwd, jacrev, ravel_pytree, tree_flatten, tree_map, tree_unflatten

Point = namedtuple("Point", "x y")

leaf = st.floats(-10, 10, allow_nan=False)
trees = st.recursive(
    leaf,
    lambda sub: (
        st.lists(sub, max_size=3)
        | st.tuples(sub, sub)
        | st.dictionaries(st.text("abc", min_size=1, max_size=2), sub, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=25, deadline=None)
@given(trees)
def test_flatten_unflatten_round_trip(tree):
    leaves, treedef = tree_flatten(tree)
    assert tree_unflatten(treedef, leaves) == tree
    assert treedef.num_leaves == len(leaves)
    assert tree_map(lambda v: v, tree) == tree


def test_namedtuple_and_none():
    tree = {"p": Point(1.0, [2.0, None]), "q": None}
    leaves, td = tree_flatten(tree)
    assert leaves == [1.0, 2.0]
    back = tree_unflatten(td, [5.0, 6.0])
    assert isinstance(back["p"], Point) and back["p"].y == [6.0, None] and back["q"] is None


def test_errors():
    _, td = tree_flatten([1.0, 2.0])
    with pytest.raises(ValueError, match="too few leaves"):
        tree_unflatten(td, [1.0])
    with pytest.raises(ValueError, match="too many leaves"):
        tree_unflatten(td, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="structures differ"):
        tree_map(lambda a, b: a, [1.0], (1.0,))


def test_ravel_pytree_round_trip(rng):
    params = {"W": rng.standard_normal((2, 3)), "b": rng.standard_normal(3), "s": np.array(1.5)}
    flat, unravel = ravel_pytree(params)
    assert flat.shape == (10,)
    back = unravel(flat)
    for k in params:
        np.testing.assert_array_equal(back[k], params[k])

    def loss(p):
        return mnp.sum(mnp.tanh(p["W"]) * p["b"]) * p["s"]

    g_tree = grad(loss)(params)
    g_flat = grad(lambda v: loss(unravel(v)))(flat)
    np.testing.assert_allclose(ravel_pytree(g_tree)[0], g_flat, rtol=1e-14)


def test_grad_and_jacobians_of_pytrees(rng):
    p = {"a": rng.standard_normal(2), "b": [rng.standard_normal((2, 2)), np.array(0.3)]}

    def f(t):
        return {"u": t["b"][0] @ t["a"] * t["b"][1], "v": mnp.sum(t["a"] ** 2)}

    jf, jr = jacfwd(f)(p), jacrev(f)(p)
    for out in ("u", "v"):
        for a, b in zip(tree_flatten(jf[out])[0], tree_flatten(jr[out])[0]):
            np.testing.assert_allclose(a, b, rtol=1e-13)
    assert jf["u"]["b"][0].shape == (2, 2, 2)
    np.testing.assert_allclose(jr["v"]["a"], 2 * p["a"])
