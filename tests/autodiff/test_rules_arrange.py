"""The NumPy functions added for issue 11 (rearranging, joining, splitting, differencing and
more elementwise functions): values equal NumPy's, derivatives checked against finite
differences in both modes to second order, and jacfwd == jacrev (batched rules)."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import TracerError, check_grads, grad, jacfwd, jacrev

X = np.random.default_rng(11).standard_normal((3, 4))
V = np.random.default_rng(12).standard_normal(5)
C3 = np.random.default_rng(13).standard_normal((2, 3))

# name -> (m4ml function, NumPy reference, input); the reference is applied to the same input.
CASES = {
    "pad_constant": (
        lambda a: mnp.pad(a, ((1, 0), (2, 1)), constant_values=0.5),
        lambda a: np.pad(a, ((1, 0), (2, 1)), constant_values=0.5),
        X,
    ),
    "pad_int": (lambda a: mnp.pad(a, 2), lambda a: np.pad(a, 2), X),
    "pad_edge": (lambda a: mnp.pad(a, 2, mode="edge"), lambda a: np.pad(a, 2, mode="edge"), X),
    "pad_reflect": (
        lambda a: mnp.pad(a, ((2, 1), (1, 3)), mode="reflect"),
        lambda a: np.pad(a, ((2, 1), (1, 3)), mode="reflect"),
        X,
    ),
    "pad_symmetric": (
        lambda a: mnp.pad(a, (1, 2), mode="symmetric"),
        lambda a: np.pad(a, (1, 2), mode="symmetric"),
        X,
    ),
    "pad_wrap": (lambda a: mnp.pad(a, 3, mode="wrap"), lambda a: np.pad(a, 3, mode="wrap"), V),
    "tril": (mnp.tril, np.tril, X),
    "tril_k": (lambda a: mnp.tril(a, -1), lambda a: np.tril(a, -1), X),
    "triu": (mnp.triu, np.triu, X),
    "triu_k": (lambda a: mnp.triu(a, 2), lambda a: np.triu(a, 2), X),
    "tril_1d": (mnp.tril, np.tril, V),
    "triu_stack": (
        lambda a: mnp.triu(a.reshape(3, 2, 2)),
        lambda a: np.triu(a.reshape(3, 2, 2)),
        X,
    ),
    "vstack": (lambda a: mnp.vstack([a, a[0]]), lambda a: np.vstack([a, a[0]]), X),
    "row_stack": (lambda a: mnp.row_stack([a[0], a[1]]), lambda a: np.vstack([a[0], a[1]]), X),
    "hstack": (lambda a: mnp.hstack([a, a[:, :1]]), lambda a: np.hstack([a, a[:, :1]]), X),
    "hstack_1d": (lambda a: mnp.hstack([a, a[:2]]), lambda a: np.hstack([a, a[:2]]), V),
    "column_stack": (
        lambda a: mnp.column_stack([a[:, 0], a[:, 1] ** 2, a[:, :2]]),
        lambda a: np.column_stack([a[:, 0], a[:, 1] ** 2, a[:, :2]]),
        X.T,
    ),
    "dstack": (lambda a: mnp.dstack([a, a * 2.0]), lambda a: np.dstack([a, a * 2.0]), X),
    "dstack_1d": (lambda a: mnp.dstack([a, a]), lambda a: np.dstack([a, a]), V),
    "split": (lambda a: mnp.split(a, 2, axis=1)[1], lambda a: np.split(a, 2, axis=1)[1], X),
    "array_split": (
        lambda a: mnp.array_split(a, 3)[0] * mnp.array_split(a, 3)[2][0],
        lambda a: np.array_split(a, 3)[0] * np.array_split(a, 3)[2][0],
        V,
    ),
    "array_split_axis": (
        lambda a: mnp.array_split(a, [1, 3], axis=1)[1],
        lambda a: np.array_split(a, [1, 3], axis=1)[1],
        X,
    ),
    "hsplit": (lambda a: mnp.hsplit(a, 2)[0], lambda a: np.hsplit(a, 2)[0], X),
    "vsplit": (lambda a: mnp.vsplit(a, [1])[1], lambda a: np.vsplit(a, [1])[1], X),
    "dsplit": (
        lambda a: mnp.dsplit(a.reshape(3, 2, 2), 2)[1],
        lambda a: np.dsplit(a.reshape(3, 2, 2), 2)[1],
        X,
    ),
    "repeat": (lambda a: mnp.repeat(a, 2, axis=1), lambda a: np.repeat(a, 2, axis=1), X),
    "repeat_flat": (lambda a: mnp.repeat(a, 3), lambda a: np.repeat(a, 3), X),
    "repeat_counts": (
        lambda a: mnp.repeat(a, [2, 0, 1], axis=0),
        lambda a: np.repeat(a, [2, 0, 1], axis=0),
        X,
    ),
    "tile": (lambda a: mnp.tile(a, (2, 3)), lambda a: np.tile(a, (2, 3)), X),
    "tile_promote": (lambda a: mnp.tile(a, (2, 1, 2)), lambda a: np.tile(a, (2, 1, 2)), V),
    "roll": (lambda a: mnp.roll(a, 2), lambda a: np.roll(a, 2), X),
    "roll_axis": (lambda a: mnp.roll(a, -1, axis=1), lambda a: np.roll(a, -1, axis=1), X),
    "roll_multi": (
        lambda a: mnp.roll(a, (1, 5), axis=(0, 1)),
        lambda a: np.roll(a, (1, 5), axis=(0, 1)),
        X,
    ),
    "rollaxis": (
        lambda a: mnp.rollaxis(a.reshape(3, 2, 2), 2, 1),
        lambda a: np.rollaxis(a.reshape(3, 2, 2), 2, 1),
        X,
    ),
    "flip": (mnp.flip, np.flip, X),
    "flip_axis": (lambda a: mnp.flip(a, 1), lambda a: np.flip(a, 1), X),
    "fliplr": (mnp.fliplr, np.fliplr, X),
    "flipud": (mnp.flipud, np.flipud, X),
    "rot90": (mnp.rot90, np.rot90, X),
    "rot90_k2": (lambda a: mnp.rot90(a, 2), lambda a: np.rot90(a, 2), X),
    "rot90_k3": (lambda a: mnp.rot90(a, -1, (1, 0)), lambda a: np.rot90(a, -1, (1, 0)), X),
    "append": (lambda a: mnp.append(a, a[0]), lambda a: np.append(a, a[0]), X),
    "append_axis": (lambda a: mnp.append(a, a[:1], 0), lambda a: np.append(a, a[:1], 0), X),
    "diff": (mnp.diff, np.diff, X),
    "diff_n2_axis0": (lambda a: mnp.diff(a, 2, axis=0), lambda a: np.diff(a, 2, axis=0), X),
    "diff_pre_app": (
        lambda a: mnp.diff(a, prepend=0.0, append=a[-1] * 2),
        lambda a: np.diff(a, prepend=0.0, append=a[-1] * 2),
        V,
    ),
    "gradient": (mnp.gradient, np.gradient, V),
    "gradient_spacing": (lambda a: mnp.gradient(a, 0.5), lambda a: np.gradient(a, 0.5), V),
    "gradient_coords": (
        lambda a: mnp.gradient(a, np.array([0.0, 0.3, 1.0, 1.2, 2.0])),
        lambda a: np.gradient(a, np.array([0.0, 0.3, 1.0, 1.2, 2.0])),
        V,
    ),
    "gradient_edge2": (
        lambda a: mnp.gradient(a, np.array([0.0, 0.3, 1.0, 1.2, 2.0]), edge_order=2),
        lambda a: np.gradient(a, np.array([0.0, 0.3, 1.0, 1.2, 2.0]), edge_order=2),
        V,
    ),
    "gradient_2d": (
        lambda a: mnp.stack(mnp.gradient(a, 2.0, edge_order=2)),
        lambda a: np.stack(np.gradient(a, 2.0, edge_order=2)),
        X,
    ),
    "kron": (lambda a: mnp.kron(a, a[:2, :2]), lambda a: np.kron(a, a[:2, :2]), X),
    "kron_1d": (lambda a: mnp.kron(a[:2], a), lambda a: np.kron(a[:2], a), V),
    "cross": (lambda a: mnp.cross(a, a[::-1]), lambda a: np.cross(a, a[::-1]), C3),
    "cross_2x3": (
        lambda a: mnp.cross(a[:, :2], a),
        lambda a: np.cross(np.pad(a[:, :2], ((0, 0), (0, 1))), a),  # a 2-vector has z = 0
        C3,
    ),
    "cross_axis": (
        lambda a: mnp.cross(a.T, a.T[::-1], axis=0),
        lambda a: np.cross(a.T, a.T[::-1], axis=0),
        C3,
    ),
    "select": (
        lambda a: mnp.select([a < -0.5, a > 0.5], [a**2, mnp.sin(a)], default=a * 3.0),
        lambda a: np.select([a < -0.5, a > 0.5], [a**2, np.sin(a)], default=a * 3.0),
        X,
    ),
    "partition": (lambda a: mnp.partition(a, 2), lambda a: np.partition(a, 2), X),
    "partition_axis0": (
        lambda a: mnp.partition(a, 1, axis=0),
        lambda a: np.partition(a, 1, axis=0),
        X,
    ),
    "mod": (lambda a: mnp.mod(a, 0.7), lambda a: np.mod(a, 0.7), X),
    "mod_operator": (lambda a: (3.0 * a) % (a[0] + 2.0), lambda a: (3.0 * a) % (a[0] + 2.0), X),
    "rmod": (lambda a: 2.5 % (a * a + 1.0), lambda a: 2.5 % (a * a + 1.0), X),
    "remainder": (lambda a: mnp.remainder(a, -0.6), lambda a: np.remainder(a, -0.6), X),
    "fmax": (lambda a: mnp.fmax(a, a[::-1]), lambda a: np.fmax(a, a[::-1]), X),
    "fmin": (lambda a: mnp.fmin(a, 0.1), lambda a: np.fmin(a, 0.1), X),
    "logaddexp2": (lambda a: mnp.logaddexp2(a, a[0]), lambda a: np.logaddexp2(a, a[0]), X),
    "sinc": (mnp.sinc, np.sinc, X),
    "fabs": (mnp.fabs, np.fabs, X),
    "nan_to_num": (mnp.nan_to_num, np.nan_to_num, X),
    "deg2rad": (mnp.deg2rad, np.deg2rad, X),
    "rad2deg": (mnp.rad2deg, np.rad2deg, X),
    "radians": (mnp.radians, np.radians, X),
    "degrees": (mnp.degrees, np.degrees, X),
    "atleast_1d": (lambda a: mnp.atleast_1d(a[0, 0]), lambda a: np.atleast_1d(a[0, 0]), X),
    "atleast_2d": (lambda a: mnp.atleast_2d(a[0]), lambda a: np.atleast_2d(a[0]), X),
    "atleast_3d": (lambda a: mnp.atleast_3d(a), lambda a: np.atleast_3d(a), X),
    "atleast_3d_1d": (lambda a: mnp.atleast_3d(a), lambda a: np.atleast_3d(a), V),
    "trace_offset": (lambda a: mnp.trace(a, offset=1), lambda a: np.trace(a, offset=1), X),
    "trace_neg_offset": (lambda a: mnp.trace(a, -1), lambda a: np.trace(a, -1), X),
    "trace_axes": (
        lambda a: mnp.trace(a.reshape(2, 3, 2), 0, 0, 2),
        lambda a: np.trace(a.reshape(2, 3, 2), 0, 0, 2),
        X,
    ),
    "diagonal": (lambda a: mnp.diagonal(a, 1), lambda a: np.diagonal(a, 1), X),
    "einsum_sublist": (
        lambda a: mnp.einsum(a, [0, 1], a, [2, 1], [0, 2]),
        lambda a: np.einsum(a, [0, 1], a, [2, 1], [0, 2]),
        X,
    ),
    "einsum_sublist_implicit": (
        lambda a: mnp.einsum(a, [Ellipsis, 1], a, [Ellipsis, 1]),
        lambda a: np.einsum(a, [Ellipsis, 1], a, [Ellipsis, 1]),
        X,
    ),
    "real": (lambda a: mnp.real(a) * 2.0, lambda a: np.real(a) * 2.0, X),
    "conj": (lambda a: mnp.conj(a) + mnp.imag(a), lambda a: np.conj(a) + np.imag(a), X),
    "angle": (lambda a: a * mnp.angle(a), lambda a: a * np.angle(a), X),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_derivatives(name):
    f, ref, x = CASES[name]
    np.testing.assert_allclose(f(x), ref(x), rtol=1e-14, atol=1e-15)
    check_grads(lambda a: f(a) * 1.5, (x,), order=2)
    np.testing.assert_allclose(jacfwd(f)(x), jacrev(f)(x), rtol=1e-13, atol=1e-15)


def test_r_and_c_with_traced_values():
    x = np.array([1.0, 2.0])
    assert np.array_equal(mnp.r_[x, 0.0, 1:3], np.r_[x, 0.0, 1:3])
    np.testing.assert_array_equal(mnp.c_[x, x * 2], np.c_[x, x * 2])

    def f(a):
        return mnp.sum(mnp.r_[a, a**2, 0:2] ** 2) + mnp.sum(mnp.c_[a, 3.0 * a] ** 3)

    check_grads(f, (x,), order=2)
    np.testing.assert_allclose(grad(lambda a: mnp.sum(mnp.r_["0,2", a, a]))(x), [2.0, 2.0])
    assert mnp.r_["0,2", x, x].shape == np.r_["0,2", x, x].shape
    assert mnp.r_["1,2,0", x, x].shape == np.r_["1,2,0", x, x].shape


def test_linspace_traced_endpoints():
    start, stop = np.array(0.3), np.array(2.0)
    np.testing.assert_allclose(mnp.linspace(start, stop, 7), np.linspace(0.3, 2.0, 7), rtol=1e-15)
    check_grads(lambda a, b: mnp.linspace(a, b, 5) ** 2, (start, stop))
    check_grads(lambda a, b: mnp.linspace(a, b, 5, endpoint=False) ** 2, (start, stop))
    y, _step = mnp.linspace(np.array([0.0, 1.0]), np.array([1.0, 3.0]), 4, retstep=True, axis=1)
    ref, _rstep = np.linspace([0.0, 1.0], [1.0, 3.0], 4, retstep=True, axis=1)
    np.testing.assert_allclose(y, ref, rtol=1e-15)
    g = grad(lambda a: mnp.sum(mnp.linspace(a, 1.0, 5, endpoint=True)))(start)
    np.testing.assert_allclose(g, 2.5)  # weights 1 - k/4 for k = 0..4
    yt = jacfwd(lambda a: mnp.linspace(a, stop, 3, axis=0))(np.array([0.0, 1.0]))
    assert yt.shape == (3, 2, 2)


def test_sinc_at_zero_and_small_arguments():
    np.testing.assert_allclose(grad(mnp.sinc)(0.0), 0.0, atol=0)
    np.testing.assert_allclose(grad(grad(mnp.sinc))(0.0), -(np.pi**2) / 3, rtol=1e-14)
    for x in (1e-4, 2e-3, 0.3):
        check_grads(mnp.sinc, (np.array(x),), order=2, eps=1e-5)


def test_mod_derivative_in_the_divisor_is_minus_the_quotient():
    g = grad(lambda y: mnp.mod(7.0, y))(2.0)
    assert g == -3.0  # 7 mod y = 7 - 3y near y = 2


def test_fmax_ignores_nan_in_value_and_derivative():
    x = np.array([1.0, np.nan, 3.0])
    np.testing.assert_array_equal(mnp.fmax(x, 2.0), np.fmax(x, 2.0))
    g = grad(lambda a: mnp.sum(mnp.fmax(a, np.array([0.0, 5.0, 3.0]))))(x)
    np.testing.assert_array_equal(g, [1.0, 0.0, 0.5])


def test_nan_to_num_derivative_zero_at_replaced_entries():
    x = np.array([1.0, np.inf, -2.0])
    g = grad(lambda a: mnp.sum(mnp.nan_to_num(a, posinf=10.0) * 2.0))(x)
    np.testing.assert_array_equal(g, [2.0, 0.0, 2.0])


def test_reductions_and_norm_over_a_list_of_traced_arrays():
    x = np.array([3.0, 4.0])

    def f(a):
        parts = [a[0], a[1] * 2.0]
        return (
            mnp.sum(parts)
            + mnp.mean(parts)
            + mnp.prod(parts)
            + mnp.max(parts)
            + mnp.std(parts)
            + mnp.logsumexp([a[0], a[1]])
        )

    check_grads(f, (x,), order=2)


def test_primitives_have_names():
    for p in (mnp.sin, mnp.add, mnp.mod, mnp.sinc, mnp.logaddexp2, mnp.fmax):
        assert isinstance(p.__name__, str) and p.__name__ in repr(p)


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="pad mode"):
        mnp.pad(X, 1, mode="mean")
    with pytest.raises(ValueError, match="non-negative"):
        mnp.pad(X, -1)
    with pytest.raises(TypeError, match="constant_values"):
        grad(lambda c: mnp.sum(mnp.pad(X, 1, constant_values=c)))(1.0)
    with pytest.raises(ValueError, match="repeats"):
        mnp.repeat(X, [1, 2], axis=0)
    with pytest.raises(ValueError, match="equal division"):
        mnp.split(V, 2)
    with pytest.raises(ValueError, match="2 or more"):
        mnp.vsplit(V, 1)
    with pytest.raises(ValueError, match="edge_order"):
        mnp.gradient(V, edge_order=3)
    with pytest.raises(ValueError, match="at least"):
        mnp.gradient(V[:2], edge_order=2)
    with pytest.raises(ValueError, match="same length"):
        mnp.select([X > 0], [X, X])
    with pytest.raises(ValueError, match="2 or 3"):
        mnp.cross(V, V)
    with pytest.raises(np.exceptions.AxisError):
        mnp.flip(X, 2)
    with pytest.raises(ValueError, match="2 dimensions"):
        mnp.fliplr(V)


def test_take_along_axis_and_put_along_axis():
    idx = np.argsort(X, axis=0)
    for ind, axis in ((idx, 0), (idx[:, :1], 0), (np.argsort(X, axis=1)[:, :2], 1)):
        np.testing.assert_array_equal(
            mnp.take_along_axis(X, ind, axis), np.take_along_axis(X, ind, axis)
        )
        check_grads(lambda a, i=ind, ax=axis: mnp.take_along_axis(a, i, ax) ** 2, (X,), order=2)
    y, ref = X.copy(), X.copy()
    assert mnp.put_along_axis(y, idx[:1], 0.0, 0) is None
    np.put_along_axis(ref, idx[:1], 0.0, 0)
    np.testing.assert_array_equal(y, ref)
    with pytest.raises(TracerError, match="in place"):
        grad(lambda a: mnp.sum(mnp.put_along_axis(a, idx[:1], 0.0, 0)))(X)
