import numpy as np
import pytest

from m4ml.linalg.norms import norm
from tests.helpers import SIZES, hilbert, well_conditioned

VECTOR_ORDS = [None, 2, 1, 0, np.inf, -np.inf, 3, 0.5, -1, -2.5]
MATRIX_ORDS = [None, "fro", 1, -1, np.inf, -np.inf]
SVD_ORDS = ["nuc", 2, -2]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("ord", VECTOR_ORDS)
def test_vector_norm_matches_numpy(n, ord, rng):
    x = rng.standard_normal(n)
    np.testing.assert_allclose(norm(x, ord), np.linalg.norm(x, ord), rtol=1e-10)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("ord", MATRIX_ORDS)
def test_matrix_norm_matches_numpy(n, ord, rng):
    A = rng.standard_normal((n + 2, n))
    np.testing.assert_allclose(norm(A, ord), np.linalg.norm(A, ord), rtol=1e-10)


@pytest.mark.parametrize("ord", SVD_ORDS)
@pytest.mark.parametrize("n", [1, 3, 20])
def test_matrix_norm_from_singular_values(ord, n, rng):
    A = well_conditioned(n, rng, m=n + 1)
    np.testing.assert_allclose(norm(A, ord), np.linalg.norm(A, ord), rtol=1e-10)
    S = rng.standard_normal((2, 4, 3))
    np.testing.assert_allclose(
        norm(S, ord, axis=(2, 1)), np.linalg.norm(S, ord, axis=(2, 1)), rtol=1e-10
    )
    H = hilbert(8)  # singular values carry absolute errors of order eps * ||H||_2
    np.testing.assert_allclose(norm(H, ord), np.linalg.norm(H, ord), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("axis", [0, 1, -1, 2, (0, 1), (2, 0), (-1, -2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_norm_axes_and_keepdims(axis, keepdims, rng):
    x = rng.standard_normal((3, 4, 5))
    ords = MATRIX_ORDS if isinstance(axis, tuple) else VECTOR_ORDS
    for ord in ords:
        r = norm(x, ord, axis, keepdims)
        e = np.linalg.norm(x, ord, axis, keepdims)
        assert np.shape(r) == np.shape(e)
        np.testing.assert_allclose(r, e, rtol=1e-10)


def test_norm_whole_array_and_scalars(rng):
    x = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(norm(x), np.linalg.norm(x), rtol=1e-12)
    assert norm(x, keepdims=True).shape == (1, 1, 1)
    assert norm(-3.0) == 3.0
    assert norm(np.zeros(5)) == 0.0
    assert norm(np.zeros((3, 3)), "fro") == 0.0
    assert norm(np.zeros(0)) == 0.0
    assert norm(np.zeros((0, 3))) == 0.0
    assert norm([0.0, 0.0, 2.0], 0) == 1.0
    assert norm([0.0, 3.0], -1) == 0.0
    for ord in (None, 1, 3, 0):  # empty vectors along an axis have norm 0, as in numpy
        np.testing.assert_array_equal(norm(np.zeros((3, 0)), ord, axis=1), np.zeros(3))


@pytest.mark.parametrize("scale", [1e200, 1e-200, 1e300, 1e-310])
def test_norm_neither_overflows_nor_underflows(scale):
    x = np.full(4, scale)
    np.testing.assert_allclose(norm(x), 2 * scale, rtol=1e-15)
    np.testing.assert_allclose(norm(x.reshape(2, 2), "fro"), 2 * scale, rtol=1e-15)
    np.testing.assert_allclose(norm(x, 3), 4 ** (1 / 3) * scale, rtol=1e-14)
    np.testing.assert_allclose(norm(x.reshape(2, 2), axis=1), np.sqrt(2) * scale, rtol=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"x": [1.0, np.nan]}, ValueError, "NaN or infinity"),
        ({"x": [1.0, np.inf]}, ValueError, "NaN or infinity"),
        ({"x": [1j]}, TypeError, "complex"),
        ({"x": [1.0, 2.0], "ord": "fro"}, ValueError, "invalid norm order 'fro' for vectors"),
        ({"x": np.eye(2), "ord": 3}, ValueError, "invalid norm order 3 for matrices"),
        ({"x": np.eye(2), "ord": "bad"}, ValueError, "invalid norm order"),
        ({"x": np.ones((2, 2, 2)), "ord": 1}, ValueError, "must be 1-D or 2-D"),
        ({"x": np.eye(2), "axis": (0, 0)}, ValueError, "duplicate axes"),
        ({"x": np.eye(2), "axis": (0, 1, 2)}, ValueError, "an int or a pair"),
        ({"x": np.eye(2), "axis": 2}, ValueError, "out of bounds"),
        ({"x": np.eye(2), "axis": 1.0}, TypeError, "must be an integer"),
        ({"x": np.zeros(0), "ord": np.inf}, ValueError, "empty vector"),
        ({"x": np.zeros((0, 2)), "ord": 1}, ValueError, "empty matrix"),
        ({"x": np.eye(2), "keepdims": 1}, TypeError, "keepdims must be True or False"),
    ],
)
def test_norm_errors(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        norm(**kwargs)


@pytest.mark.parametrize("axis", [2, -3, (0, 2), (-3, 1)])
def test_bad_axis_raises_numpys_axis_error(axis):
    with pytest.raises(np.exceptions.AxisError):
        np.linalg.norm(np.eye(2), axis=axis)
    with pytest.raises(np.exceptions.AxisError):
        norm(np.eye(2), axis=axis)


@pytest.mark.parametrize(
    "kwargs", [{}, {"ord": 1}, {"axis": 0}, {"ord": 2}, {"ord": "nuc"}, {"ord": np.inf}]
)
def test_float32_in_float32_out(kwargs):
    x = np.array([[3.0, 4.0], [1.0, -2.0]], dtype=np.float32)
    r, ref = norm(x, **kwargs), np.linalg.norm(x, **kwargs)
    assert r.dtype == ref.dtype == np.float32
    np.testing.assert_allclose(r, ref, rtol=1e-6)
    assert norm(x.astype(np.float64), **kwargs).dtype == np.float64


# ---------------------------------------------------------------- angle
