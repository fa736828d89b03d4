"""trapezoid, simpson and romberg against SciPy/NumPy and closed forms."""

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.calculus.quadrature_rules import romberg, simpson, trapezoid
from m4ml.calculus.warnings import IntegrationWarning


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 9, 10])
@pytest.mark.parametrize("uniform", [True, False])
def test_match_scipy_on_samples(n, uniform, rng):
    y = rng.standard_normal((3, n))
    x = np.linspace(0, 2, n) if uniform else np.sort(rng.uniform(0, 5, n))
    np.testing.assert_allclose(simpson(y, x=x), si.simpson(y, x=x), atol=1e-13)
    np.testing.assert_allclose(trapezoid(y, x=x), si.trapezoid(y, x=x), atol=1e-13)
    np.testing.assert_allclose(simpson(y, dx=0.3), si.simpson(y, dx=0.3), atol=1e-13)
    np.testing.assert_allclose(trapezoid(y, dx=0.3), np.trapezoid(y, dx=0.3), atol=1e-13)


def test_axis_and_nd_x(rng):
    y = rng.standard_normal((5, 4, 3))
    x = np.cumsum(rng.uniform(0.1, 1, (5, 4, 3)), axis=0)
    np.testing.assert_allclose(simpson(y, x=x, axis=0), si.simpson(y, x=x, axis=0), atol=1e-13)
    np.testing.assert_allclose(trapezoid(y, axis=1), si.trapezoid(y, axis=1), atol=1e-13)


def test_simpson_exact_for_cubics_and_converges_h4():
    x = np.linspace(0, 2, 9)
    assert simpson(x**3 - x, x=x) == pytest.approx(4.0 - 2.0, abs=1e-13)
    errors = []
    for n in (11, 21, 41):
        x = np.linspace(0, 1, n)
        errors.append(abs(simpson(np.exp(x), x=x) - (np.e - 1)))
    assert errors[0] / errors[1] == pytest.approx(16, rel=0.1)
    assert errors[1] / errors[2] == pytest.approx(16, rel=0.1)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 30), st.floats(0.01, 2.0))
def test_trapezoid_exact_for_linear(n, slope):
    x = np.linspace(-1, 3, n)
    assert trapezoid(slope * x + 1, x=x) == pytest.approx(4 + 4 * slope, abs=1e-12)


@pytest.mark.parametrize(
    ("f", "a", "b", "exact"),
    [
        (np.exp, 0, 1, np.e - 1),
        (np.cos, 0, 2, np.sin(2)),
        (lambda x: 1 / (1 + x * x), 0, 1, np.pi / 4),
        (lambda x: x**7, -1, 2, (2**8 - 1) / 8),
    ],
)
def test_romberg_closed_forms(f, a, b, exact):
    value, err = romberg(f, a, b)
    assert abs(value - exact) <= max(err, 1e-14)
    assert err <= 1.48e-8 * max(1, abs(exact))


def test_romberg_warns_when_not_converged():
    with pytest.warns(IntegrationWarning, match="divmax"):
        value, err = romberg(np.sqrt, 0, 1, divmax=4)
    assert abs(value - 2 / 3) <= 10 * err


def test_bad_input():
    with pytest.raises(ValueError, match="x has 3 samples"):
        simpson([1.0, 2.0], x=[0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        trapezoid([1.0, np.nan])
    with pytest.raises(ValueError, match="axis"):
        trapezoid([1.0, 2.0], axis=3)
    with pytest.raises(ValueError, match="distinct"):
        simpson([1.0, 2.0, 3.0], x=[0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="at least 1"):
        simpson(3.0)
    with pytest.raises(ValueError, match="finite limits"):
        romberg(np.exp, 0, np.inf)
    with pytest.raises(ValueError, match="vectorized"):
        romberg(lambda x: 1.0, 0, 1)
    with pytest.raises(ValueError, match="tol"):
        romberg(np.exp, 0, 1, tol=-1)
    assert trapezoid([2.0]) == 0.0 and simpson([]) == 0.0
