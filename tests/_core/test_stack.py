"""Tests for m4ml._core.stack: lifting one-matrix kernels over stacks, batch idioms."""

from typing import NamedTuple

import numpy as np
import pytest

from m4ml._core.stack import flatten, map_stack, mT, stacked, swap_rows, unflatten


class _Pair(NamedTuple):
    first: np.ndarray
    second: np.ndarray


def test_map_stack_matches_per_matrix_loop():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 4, 5, 5))
    out = map_stack(lambda a: (a.trace(), a @ a, a[0]), A)
    assert out[0].shape == (3, 4) and out[1].shape == (3, 4, 5, 5) and out[2].shape == (3, 4, 5)
    for i in range(3):
        for j in range(4):
            assert out[0][i, j] == A[i, j].trace()
            np.testing.assert_array_equal(out[1][i, j], A[i, j] @ A[i, j])
            np.testing.assert_array_equal(out[2][i, j], A[i, j, 0])


def test_map_stack_broadcasts_and_mixed_core_ndims():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((2, 1, 3, 3))
    b = rng.standard_normal((4, 3))
    x = map_stack(lambda a, v: a @ v, A, b, core_ndim=(2, 1))
    assert x.shape == (2, 4, 3)
    np.testing.assert_allclose(x, np.einsum("aij,bj->abi", A[:, 0], b), rtol=1e-14)


def test_map_stack_without_leading_axes_returns_kernel_output_itself():
    a = np.eye(2)
    sentinel = object()
    assert map_stack(lambda m: sentinel, a) is sentinel


def test_map_stack_keeps_named_tuples_and_dtypes():
    A = np.ones((3, 2, 2))
    out = map_stack(lambda a: _Pair(np.int64(a.shape[0]), a.sum(axis=0)), A)
    assert isinstance(out, _Pair)
    assert out.first.dtype == np.int64 and out.first.tolist() == [2, 2, 2]
    np.testing.assert_array_equal(out.second, np.full((3, 2), 2.0))


def test_map_stack_empty_stack_shapes_from_identity_probe():
    def kernel(a):
        if not np.array_equal(a, np.eye(*a.shape)):
            raise AssertionError("probe must be the identity")
        return a[:, :1], float(a.sum())

    first, second = map_stack(kernel, np.zeros((0, 3, 2)))
    assert first.shape == (0, 3, 1) and second.shape == (0,)


def test_map_stack_in_place_kernel():
    A = np.arange(12.0).reshape(3, 2, 2)
    expected = 2 * A

    def double(a):
        a *= 2

    assert map_stack(double, A) is None
    np.testing.assert_array_equal(A, expected)


def test_stacked_decorator_passes_options_and_keeps_name():
    @stacked(core_ndim=2)
    def scaled_trace(a, factor=1.0):
        return factor * a.trace()

    assert scaled_trace.__name__ == "scaled_trace"
    np.testing.assert_array_equal(scaled_trace(np.ones((2, 3, 3)), factor=2.0), [6.0, 6.0])


def test_flatten_unflatten_roundtrip_and_transpose():
    A = np.arange(24.0).reshape(2, 3, 2, 2)
    flat, batch = flatten(A)
    assert flat.shape == (6, 2, 2) and batch == (2, 3)
    np.testing.assert_array_equal(unflatten(flat, batch), A)
    flat0, batch0 = flatten(np.ones((2, 2)))
    assert flat0.shape == (1, 2, 2) and batch0 == ()
    np.testing.assert_array_equal(mT(A)[1, 2], A[1, 2].T)


def test_swap_rows_per_matrix_pivots():
    A = np.arange(18.0).reshape(2, 3, 3)
    expected = A.copy()
    expected[0, [0, 2]] = expected[0, [2, 0]]  # matrix 0 swaps rows 0 and 2, matrix 1 keeps
    swap_rows(A, 0, np.array([2, 0]))
    np.testing.assert_array_equal(A, expected)


def test_map_stack_rejects_non_broadcasting_stacks():
    with pytest.raises(ValueError):
        map_stack(lambda a, b: a, np.ones((2, 2, 2)), np.ones((3, 2, 2)))
