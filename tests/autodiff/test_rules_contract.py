"""matmul/dot/einsum/tensordot/outer/inner/vdot: values equal NumPy's; check_grads both modes to
order 2 for vectors, matrices and stacks; jacfwd == jacrev (batched rules)."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, jacfwd, jacrev

MATMUL_SHAPES = [
    ((3,), (3,)),
    ((3,), (3, 2)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((2, 2, 3), (3, 4)),
    ((2, 3), (2, 3, 4)),
    ((2, 2, 3), (3,)),
    ((3,), (2, 3, 4)),
    ((2, 1, 2, 3), (2, 3, 2)),
]


@pytest.mark.parametrize("shapes", MATMUL_SHAPES, ids=str)
def test_matmul(shapes, rng):
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    np.testing.assert_allclose(mnp.matmul(a, b), a @ b, rtol=1e-13)
    check_grads(mnp.matmul, (a, b), order=2)
    for argnums in (0, 1):
        np.testing.assert_allclose(
            jacfwd(mnp.matmul, argnums)(a, b),
            jacrev(mnp.matmul, argnums)(a, b),
            rtol=1e-13,
            atol=1e-14,
        )


EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("i,i->", [(3,), (3,)]),
    ("ij->i", [(2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("...ij,...j->...i", [(2, 2, 3), (2, 3)]),
    ("i,j,k->ijk", [(2,), (3,), (2,)]),
    ("ij,kj->", [(2, 3), (4, 3)]),
]


@pytest.mark.parametrize("spec", EINSUMS, ids=lambda s: s[0] if isinstance(s, tuple) else str(s))
def test_einsum(spec, rng):
    subs, shapes = spec
    ops = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(mnp.einsum(subs, *ops), np.einsum(subs, *ops), rtol=1e-13)
    check_grads(lambda *o: mnp.einsum(subs, *o), tuple(ops), order=2)


def test_einsum_errors():
    with pytest.raises(ValueError, match="subscripts for"):
        mnp.einsum("ij,jk->ik", np.ones((2, 2)))
    with pytest.raises(ValueError, match="do not match"):
        mnp.einsum("ijk->i", np.ones((2, 2)))
    with pytest.raises(ValueError, match="sublist"):
        mnp.einsum(np.ones(2), [60])


@pytest.mark.parametrize("axes", [2, 1, 0, ([1, 0], [0, 1]), ([2], [0])], ids=str)
def test_tensordot(axes, rng):
    a, b = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 2))
    if axes in (2, ([1, 0], [0, 1])):
        b = rng.standard_normal((3, 2, 2))
    np.testing.assert_allclose(mnp.tensordot(a, b, axes), np.tensordot(a, b, axes), rtol=1e-13)
    check_grads(lambda x, y: mnp.tensordot(x, y, axes), (a, b), order=2)


@pytest.mark.parametrize("name", ["dot", "outer", "inner", "vdot"])
@pytest.mark.parametrize(
    "shapes",
    [((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 2)), ((), (3,)), ((2, 3), (2, 3, 2))],
    ids=str,
)
def test_products(name, shapes, rng):
    a, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    if name == "vdot" and np.size(a) != np.size(b):
        b = rng.standard_normal(shapes[0])
    if name == "inner" and np.ndim(a) and np.ndim(b) and a.shape[-1] != b.shape[-1]:
        b = rng.standard_normal(a.shape[-1:])
    np.testing.assert_allclose(getattr(mnp, name)(a, b), getattr(np, name)(a, b), rtol=1e-13)
    check_grads(getattr(mnp, name), (a, b), order=2)


def test_matmul_of_scalars_raises():
    with pytest.raises(ValueError, match="not have enough dimensions"):
        mnp.matmul(np.float64(2.0), np.ones(2))
