import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from m4ml._core import LinAlgError
from m4ml.linalg.norms import norm
from m4ml.linalg.vectors import angle, cross, dot, project
from tests.helpers import SIZES, well_conditioned


# ---------------------------------------------------------------- dot and cross
@pytest.mark.parametrize("n", SIZES)
def test_dot_matches_numpy(n, rng):
    a, b = rng.standard_normal((2, n))
    np.testing.assert_allclose(dot(a, b), np.dot(a, b), rtol=1e-12)


def test_dot_axis_and_broadcasting(rng):
    a = rng.standard_normal((4, 3, 5))
    b = rng.standard_normal((3, 5))
    np.testing.assert_allclose(dot(a, b), np.linalg.vecdot(a, b), rtol=1e-12)
    np.testing.assert_allclose(dot(a, a, axis=0), np.linalg.vecdot(a, a, axis=0), rtol=1e-12)
    c = rng.standard_normal((4, 1, 5))
    assert dot(a, c).shape == (4, 3)
    assert dot([], []) == 0.0
    assert dot([2.0], [3.0]) == 6.0


def test_cross_matches_numpy(rng):
    a = rng.standard_normal((6, 3))
    b = rng.standard_normal((6, 3))
    np.testing.assert_allclose(cross(a, b), np.linalg.cross(a, b), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(cross(a, b[0]), np.linalg.cross(a, b[0]), atol=1e-14)
    np.testing.assert_allclose(
        cross(a.T, b.T, axis=0), np.linalg.cross(a.T, b.T, axis=0), atol=1e-14
    )
    e = np.eye(3)
    np.testing.assert_array_equal(cross(e[0], e[1]), e[2])
    np.testing.assert_array_equal(cross(e[1], e[0]), -e[2])
    np.testing.assert_array_equal(cross(a[0], a[0]), 0.0)  # parallel vectors


# ---------------------------------------------------------------- norm
def test_angle_matches_arccos_on_ordinary_vectors(rng):
    u = rng.standard_normal((10, 5))
    v = rng.standard_normal((10, 5))
    cos = np.sum(u * v, axis=1) / np.linalg.norm(u, axis=1) / np.linalg.norm(v, axis=1)
    np.testing.assert_allclose(angle(u, v), np.arccos(cos), rtol=1e-12)
    np.testing.assert_allclose(angle(u.T, v.T, axis=0), np.arccos(cos), rtol=1e-12)


def test_angle_is_accurate_near_zero_and_pi():
    t = 1e-10
    u = [1.0, 0.0]
    np.testing.assert_allclose(angle(u, [np.cos(t), np.sin(t)]), t, rtol=1e-12)
    np.testing.assert_allclose(angle(u, [-np.cos(t), np.sin(t)]), np.pi - t, rtol=1e-15)
    assert angle([1.0, 2.0], [2.0, 4.0]) == 0.0
    np.testing.assert_allclose(angle([1.0, 2.0], [-1.0, -2.0]), np.pi, rtol=1e-15)
    np.testing.assert_allclose(angle([1e-300, 0.0], [0.0, 1e300]), np.pi / 2, rtol=1e-15)
    np.testing.assert_allclose(angle([3.0], [-2.0]), np.pi, rtol=1e-15)


def test_angle_errors():
    with pytest.raises(ValueError, match="zero vector"):
        angle([0.0, 0.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="same length"):
        angle([1.0, 0.0], [1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="empty vectors"):
        angle([], [])


# ---------------------------------------------------------------- project
def test_project_onto_vector(rng):
    u = rng.standard_normal((4, 6))
    v = rng.standard_normal(6)
    p = project(u, v)
    ref = np.outer(u @ v / (v @ v), v)
    np.testing.assert_allclose(p, ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose((u - p) @ v, 0.0, atol=1e-12)
    np.testing.assert_allclose(project(p, v), p, rtol=1e-12, atol=1e-14)  # idempotent
    with pytest.raises(ValueError, match="zero vector"):
        project(u, np.zeros(6))


@pytest.mark.parametrize("n", [3, 10, 100])
def test_project_onto_column_space(n, rng):
    A = well_conditioned(n // 2 + 1, rng, m=n)
    u = rng.standard_normal((5, n))
    P = A @ np.linalg.solve(A.T @ A, A.T)
    p = project(u, A)
    np.testing.assert_allclose(p, u @ P.T, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose((u - p) @ A, 0.0, atol=1e-11)
    np.testing.assert_allclose(project(A[:, 0], A), A[:, 0], rtol=1e-12, atol=1e-14)


def test_project_onto_dependent_columns_raises(rng):
    a = rng.standard_normal(5)
    with pytest.raises(LinAlgError, match="linearly dependent"):
        project(np.ones(5), np.column_stack([a, 2 * a]))
    with pytest.raises(ValueError, match="u has length 4"):
        project(np.ones(4), np.eye(5)[:, :2])


# ---------------------------------------------------------------- shared bad input
@pytest.mark.parametrize("f", [dot, cross, angle])
def test_pairs_bad_input(f):
    with pytest.raises(ValueError, match="NaN or infinity"):
        f([1.0, np.nan, 0.0], [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="complex"):
        f([1j, 0.0, 0.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="same length"):
        f([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="do not broadcast"):
        f(np.ones((2, 3)), np.ones((4, 3)))
    with pytest.raises(ValueError, match="at least 1 dimension"):
        f(1.0, 2.0)
    with pytest.raises(ValueError, match="out of bounds"):
        f([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], axis=1)


def test_cross_needs_three_vectors():
    with pytest.raises(ValueError, match="length 3 along axis -1, got length 2"):
        cross([1.0, 2.0], [3.0, 4.0])


# ---------------------------------------------------------------- properties
finite = st.floats(-1e3, 1e3)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n,), elements=finite), arrays(np.float64, (n,), elements=finite)
        )
    )
)
def test_property_cauchy_schwarz_and_triangle(pair):
    x, y = pair
    nx, ny = norm(x), norm(y)
    assert abs(dot(x, y)) <= nx * ny * (1 + 1e-12) + 1e-300
    assert norm(x + y) <= (nx + ny) * (1 + 1e-12) + 1e-300
    m = np.abs(x).max()  # numpy's naive formula underflows for tiny entries; rescale it
    np.testing.assert_allclose(nx, m * np.linalg.norm(x / m) if m else 0.0, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.float64, (3,), elements=finite),
    arrays(np.float64, (3,), elements=finite),
)
def test_property_cross_orthogonal_and_lagrange(a, b):
    c = cross(a, b)
    scale = norm(a) * norm(b)
    assert abs(dot(c, a)) <= 1e-12 * scale * norm(a) + 1e-300
    assert abs(dot(c, b)) <= 1e-12 * scale * norm(b) + 1e-300
    # Lagrange identity |a x b|^2 + (a . b)^2 = |a|^2 |b|^2
    assert abs(norm(c) ** 2 + dot(a, b) ** 2 - scale**2) <= 1e-12 * scale**2 + 1e-300
    np.testing.assert_array_equal(cross(b, a), -c)
