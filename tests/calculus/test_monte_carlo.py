"""monte_carlo_integrate: Gaussians in 1-5 dimensions, honest standard errors, scipy's qmc_quad."""

import numpy as np
import pytest
import scipy.integrate as si
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import erf
from scipy.stats import qmc

from m4ml.calculus.monte_carlo import monte_carlo_integrate


def gaussian(points):
    return np.exp(-0.5 * np.sum(points * points, axis=1))


def _gaussian_box(d, c=2.5):
    return (np.sqrt(2 * np.pi) * erf(c / np.sqrt(2))) ** d


@pytest.mark.parametrize("method", ["random", "halton", "sobol"])
@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_gaussians_in_1_to_5_dimensions(d, method):
    exact = _gaussian_box(d)
    res = monte_carlo_integrate(
        gaussian, [(-2.5, 2.5)] * d, n=2**13, method=method, rng=d, n_estimates=16
    )
    assert abs(res.integral - exact) <= 5 * res.standard_error
    rel_se = res.standard_error / exact
    assert rel_se < (0.05 if method == "random" else 0.01)


def test_quasi_random_beats_random():
    bounds = [(-2.5, 2.5)] * 3
    se = {
        m: monte_carlo_integrate(gaussian, bounds, n=2**14, method=m, rng=0).standard_error
        for m in ("random", "halton", "sobol")
    }
    assert se["sobol"] < 0.05 * se["random"]
    assert se["halton"] < 0.2 * se["random"]


@pytest.mark.parametrize("method", ["random", "sobol"])
def test_standard_error_is_calibrated(method):
    # over many independent runs, about 95% of errors fall within 2 standard errors
    exact = _gaussian_box(2)
    hits = 0
    for seed in range(60):
        res = monte_carlo_integrate(
            gaussian, [(-2.5, 2.5)] * 2, n=512, method=method, rng=seed, n_estimates=8
        )
        hits += abs(res.integral - exact) <= 2 * res.standard_error
    assert 48 <= hits <= 60


def test_agrees_with_scipy_qmc_quad():
    def f_scipy(x):  # scipy passes points as (d, n)
        return np.exp(-0.5 * np.sum(x * x, axis=0))

    ref = si.qmc_quad(f_scipy, [-2.5] * 4, [2.5] * 4, n_points=2048, qrng=qmc.Sobol(4, seed=0))
    ours = monte_carlo_integrate(gaussian, [(-2.5, 2.5)] * 4, n=8 * 2048, method="sobol", rng=0)
    joint = 3 * np.hypot(ref.standard_error, ours.standard_error)
    assert abs(ours.integral - ref.integral) <= joint


def test_unscrambled_and_one_dimensional_bounds():
    res = monte_carlo_integrate(
        lambda p: p[:, 0] ** 2, (0, 3), n=1024, method="sobol", scramble=False
    )
    assert res.integral == pytest.approx(9.0, rel=5e-3)
    assert 0 < res.standard_error < 0.05
    res = monte_carlo_integrate(
        lambda p: p[:, 0] * p[:, 1], [(0, 1), (0, 2)], n=4000, method="halton", rng=1
    )
    assert abs(res.integral - 1.0) <= 4 * res.standard_error


def test_reproducible_with_seed():
    a = monte_carlo_integrate(gaussian, [(-1, 1)] * 2, n=256, rng=7)
    b = monte_carlo_integrate(gaussian, [(-1, 1)] * 2, n=256, rng=7)
    assert a == b


def test_bad_input():
    with pytest.raises(TypeError, match="callable"):
        monte_carlo_integrate(None, [(0, 1)])
    with pytest.raises(ValueError, match="method"):
        monte_carlo_integrate(gaussian, [(0, 1)], method="lattice")
    with pytest.raises(ValueError, match="pairs"):
        monte_carlo_integrate(gaussian, [(0, 1, 2)])
    with pytest.raises(ValueError, match="lo <= hi"):
        monte_carlo_integrate(gaussian, [(1, 0)])
    with pytest.raises(ValueError, match="NaN"):
        monte_carlo_integrate(gaussian, [(0, np.inf)])
    with pytest.raises(ValueError, match="n values"):
        monte_carlo_integrate(lambda p: p, [(0, 1), (0, 1)])
    with pytest.raises(ValueError, match="too small"):
        monte_carlo_integrate(gaussian, [(0, 1)], n=4, method="sobol")
    with pytest.raises(ValueError, match="NaN or infinity"):
        monte_carlo_integrate(lambda p: np.full(len(p), np.nan), [(0, 1)])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-3, 0), st.floats(0.1, 3)), min_size=1, max_size=4),
    st.floats(-5, 5),
    st.sampled_from(["random", "halton", "sobol"]),
)
def test_constants_and_linear_functions(boxes, c, method):
    bounds = [(lo, lo + w) for lo, w in boxes]
    volume = np.prod([w for _, w in boxes])
    res = monte_carlo_integrate(lambda p: np.full(len(p), c), bounds, n=64, method=method, rng=0)
    assert res.integral == pytest.approx(c * volume, rel=1e-12, abs=1e-12)
    assert res.standard_error == pytest.approx(0.0, abs=1e-12 * (1 + abs(c) * volume))
    # a linear function: exact mean at the centre, and the error within 5 standard errors
    centre = np.array([lo + w / 2 for lo, w in boxes])
    res = monte_carlo_integrate(lambda p: p.sum(axis=1), bounds, n=256, method=method, rng=1)
    assert abs(res.integral - centre.sum() * volume) <= 5 * res.standard_error + 1e-12
