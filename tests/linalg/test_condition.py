"""cond_estimate (Hager-Higham) and the LinAlgWarning of solve/inv on ill-conditioned input."""

import warnings

import numpy as np
import pytest

from m4ml.linalg import LinAlgError, LinAlgWarning, cond_estimate, inv, solve
from tests.helpers import hilbert


def _graded(n, decades, rng):
    U, _ = np.linalg.qr(rng.standard_normal((n, n)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (U * np.logspace(0, -decades, n)) @ V.T


@pytest.mark.parametrize("n", [1, 2, 3, 7, 40, 120])
@pytest.mark.parametrize("decades", [0, 4, 10])
@pytest.mark.parametrize("p", [1, np.inf])
def test_estimate_is_a_tight_lower_bound(n, decades, p, rng):
    A = _graded(n, decades, rng)
    exact = np.linalg.cond(A, p)
    est = cond_estimate(A, p=p)
    assert np.ndim(est) == 0
    assert est <= exact * (1 + 1e-4)  # computed through solves: rounding ~ kappa * eps
    assert est >= exact / 3


def test_stack_and_known_values(rng):
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert cond_estimate(A) == pytest.approx(21.0, rel=1e-13)
    S = rng.standard_normal((3, 2, 5, 5))
    est = cond_estimate(S)
    assert est.shape == (3, 2)
    exact = np.linalg.cond(S, 1)
    assert np.all(est <= exact * (1 + 1e-8)) and np.all(est >= exact / 3)
    np.testing.assert_allclose(cond_estimate(hilbert(6)), np.linalg.cond(hilbert(6), 1), rtol=1e-6)


def test_singular_and_empty():
    assert cond_estimate(np.zeros((3, 3))) == np.inf
    stack = np.stack([np.eye(2), [[1.0, 1.0], [1.0, 1.0]]])
    est = cond_estimate(stack)
    assert est[0] == pytest.approx(1.0) and est[1] == np.inf
    assert cond_estimate(np.zeros((0, 0))) == 0.0


def test_bad_input():
    with pytest.raises(ValueError, match="p must be 1"):
        cond_estimate(np.eye(2), p=2)
    with pytest.raises(LinAlgError, match="square"):
        cond_estimate(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        cond_estimate([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(TypeError):
        cond_estimate(np.eye(2, dtype=complex))


# Regression (issue 9): these returned entries of +-4.5e15 without a word.
SINGULAR_BY_ROUNDING = np.arange(1.0, 10.0).reshape(3, 3)


def test_inv_and_solve_warn_on_numerically_singular_matrix():
    with pytest.warns(LinAlgWarning, match="rcond="):
        inv(SINGULAR_BY_ROUNDING)
    with pytest.warns(LinAlgWarning, match="Ill-conditioned"):
        solve(SINGULAR_BY_ROUNDING, np.ones(3))
    stack = np.stack([np.eye(3), SINGULAR_BY_ROUNDING])
    with pytest.warns(LinAlgWarning):
        solve(stack, np.ones((2, 3, 1)))
    with pytest.warns(LinAlgWarning):
        solve(hilbert(13), np.ones(13))


def test_warning_points_at_the_caller():
    with pytest.warns(LinAlgWarning) as record:
        solve(SINGULAR_BY_ROUNDING, np.ones(3))
    assert record[0].filename == __file__


@pytest.mark.parametrize("n", [2, 8, 50])
def test_no_warning_when_well_or_moderately_conditioned(n, rng):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        solve(rng.standard_normal((n, n)), np.ones(n))
        inv(_graded(n, 12, rng))  # cond ~ 1e12: accurate to ~4 digits, no warning
        solve(hilbert(10), np.ones(10))  # cond 3.5e13 < 1/eps


def test_warning_is_a_runtime_warning_and_can_be_silenced():
    assert issubclass(LinAlgWarning, RuntimeWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LinAlgWarning)
        x = solve(SINGULAR_BY_ROUNDING, np.ones(3))
    assert np.isfinite(x).all()


def test_lstsq_and_inv_warnings_point_at_the_caller():
    from m4ml.linalg import lstsq

    with pytest.warns(LinAlgWarning) as record:
        inv(SINGULAR_BY_ROUNDING)
    assert record[0].filename == __file__
    A = np.vander(np.linspace(0.0, 1.0, 40), 25, increasing=True)
    with pytest.warns(LinAlgWarning) as record:
        lstsq(A, np.ones(40), rtol=0.0)
    assert record[0].filename == __file__
