"""Shape, indexing, joining and sorting primitives: values equal NumPy's; check_grads both
modes to order 2; batched rules via jacfwd == jacrev."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, grad, jacfwd, jacrev

X = np.random.default_rng(7).standard_normal((2, 3, 4))

CASES = {
    "reshape": (lambda a: mnp.reshape(a, (4, -1)), lambda a: np.reshape(a, (4, -1))),
    "ravel": (mnp.ravel, np.ravel),
    "transpose": (mnp.transpose, np.transpose),
    "transpose_axes": (lambda a: mnp.transpose(a, (1, 2, 0)), lambda a: np.transpose(a, (1, 2, 0))),
    "swapaxes": (lambda a: mnp.swapaxes(a, 0, 2), lambda a: np.swapaxes(a, 0, 2)),
    "moveaxis": (lambda a: mnp.moveaxis(a, 0, -1), lambda a: np.moveaxis(a, 0, -1)),
    "squeeze": (lambda a: mnp.squeeze(a[:1]), lambda a: np.squeeze(a[:1])),
    "squeeze_axis": (
        lambda a: mnp.squeeze(a[:, :1], axis=1),
        lambda a: np.squeeze(a[:, :1], axis=1),
    ),
    "expand_dims": (lambda a: mnp.expand_dims(a, (0, 2)), lambda a: np.expand_dims(a, (0, 2))),
    "broadcast_to": (
        lambda a: mnp.broadcast_to(a[0, 0], (3, 4)),
        lambda a: np.broadcast_to(a[0, 0], (3, 4)),
    ),
    "concatenate": (
        lambda a: mnp.concatenate([a, a[:, :1] * 2.0], axis=1),
        lambda a: np.concatenate([a, a[:, :1] * 2.0], axis=1),
    ),
    "concatenate_none": (
        lambda a: mnp.concatenate([a, a[0]], axis=None),
        lambda a: np.concatenate([a, a[0]], axis=None),
    ),
    "stack": (
        lambda a: mnp.stack([a[0], a[1] ** 2], axis=-1),
        lambda a: np.stack([a[0], a[1] ** 2], axis=-1),
    ),
    "split": (
        lambda a: mnp.split(a, [1, 3], axis=2)[1] * 3.0,
        lambda a: np.split(a, [1, 3], axis=2)[1] * 3.0,
    ),
    "split_sections": (lambda a: mnp.split(a, 2, axis=2)[0], lambda a: np.split(a, 2, axis=2)[0]),
    "getitem_basic": (lambda a: a[1, ::2, None, -1], lambda a: a[1, ::2, None, -1]),
    "getitem_ellipsis": (lambda a: a[..., 1:3], lambda a: a[..., 1:3]),
    "getitem_fancy": (lambda a: a[[0, 1, 1], [2, 0, 2]], lambda a: a[[0, 1, 1], [2, 0, 2]]),
    "getitem_repeat": (lambda a: a[:, [0, 0, 2]], lambda a: a[:, [0, 0, 2]]),
    "getitem_mask": (lambda a: a[a > 0], lambda a: a[a > 0]),
    "sort": (lambda a: mnp.sort(a, axis=1), lambda a: np.sort(a, axis=1)),
    "sort_none": (lambda a: mnp.sort(a, axis=None), lambda a: np.sort(a, axis=None)),
    "diag": (lambda a: mnp.diag(a[0, :, :3]), lambda a: np.diag(a[0, :, :3])),
    "diag_vector": (lambda a: mnp.diag(a[0, 0], k=1), lambda a: np.diag(a[0, 0], k=1)),
    "trace": (lambda a: mnp.trace(a[1, :, :3]), lambda a: np.trace(a[1, :, :3])),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_ops(name):
    f, ref = CASES[name]
    np.testing.assert_array_equal(f(X), ref(X))
    check_grads(lambda a: f(a) * 1.5, (X,), order=2)
    np.testing.assert_allclose(jacfwd(f)(X), jacrev(f)(X), rtol=1e-14)


def test_getitem_repeated_index_accumulates():
    g = grad(lambda a: mnp.sum(a[np.array([0, 0, 2])] ** 2))(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g, [4.0, 0.0, 6.0])


def test_index_update_rules(rng):
    x = rng.standard_normal((3, 4))
    v = rng.standard_normal(4)
    check_grads(lambda a, b: mnp.at(a)[1].set(b * a[0]), (x, v), order=2)
    check_grads(lambda a, b: mnp.at(a)[:, 1:3].add(b[:2]), (x, v), order=2)
    check_grads(lambda a, b: mnp.at(a)[np.array([0, 0, 2])].add(b), (x, v), order=2)
    expected = x.copy()
    np.add.at(expected, np.array([0, 0, 2]), v)
    np.testing.assert_allclose(mnp.at(x)[np.array([0, 0, 2])].add(v), expected)


def test_argsort_argmax_have_no_derivative(rng):
    x = rng.standard_normal(5)
    assert mnp.argmax(x) == np.argmax(x) and mnp.argmin(x) == np.argmin(x)
    np.testing.assert_array_equal(mnp.argsort(x), np.argsort(x))
    g = grad(lambda a: a[mnp.argmax(a)] * 2.0)(x)
    np.testing.assert_array_equal(g, 2.0 * (np.arange(5) == np.argmax(x)))


def test_errors():
    with pytest.raises(ValueError, match="cannot squeeze"):
        mnp.squeeze(np.ones((2, 3)), axis=0)
    with pytest.raises(ValueError, match="order='C'"):
        mnp.reshape(np.ones(4), (2, 2), order="F")
    with pytest.raises(ValueError, match="at least one array"):
        mnp.concatenate([])
    with pytest.raises(ValueError, match="equal division"):
        mnp.split(np.ones(5), 2)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        mnp.diag(np.ones((2, 2, 2)))
    with pytest.raises(TypeError, match="plain integer array"):
        grad(lambda a: a[a])(np.ones(2))
