"""check_grads itself: passes on correct rules and catches wrong ones in each mode."""

import numpy as np
import pytest

import m4ml.numpy as mnp
from m4ml.autodiff import check_grads, defjvp, defvjp, primal, primitive


def _wrong(vjp_factor, jvp_factor, second=False):
    @primitive
    def cube(x):
        return x**3

    if second:
        # right first derivative, but computed on the untraced value: second derivative 0
        defvjp(cube, lambda g, ans, x: g * 3.0 * primal(x) ** 2)
        defjvp(cube, lambda t, ans, x: t * 3.0 * primal(x) ** 2)
    else:
        defvjp(cube, lambda g, ans, x: g * vjp_factor * x**2)
        defjvp(cube, lambda t, ans, x: t * jvp_factor * x**2)
    return cube


def test_passes_on_correct_rules():
    check_grads(_wrong(3.0, 3.0), (np.array([0.5, 1.5]),), order=2)


def test_catches_wrong_reverse_rule():
    with pytest.raises(AssertionError, match="reverse-mode derivative of order 1"):
        check_grads(_wrong(2.0, 3.0), (np.array([0.5, 1.5]),), order=1)
    check_grads(_wrong(2.0, 3.0), (np.array([0.5, 1.5]),), order=1, modes=("fwd",))


def test_catches_wrong_forward_rule():
    with pytest.raises(AssertionError, match="forward-mode derivative of order 1"):
        check_grads(_wrong(3.0, 2.0), (np.array([0.5, 1.5]),), order=1, modes=("fwd",))


def test_catches_wrong_second_derivative():
    f = _wrong(0, 0, second=True)
    check_grads(f, (np.array([0.5, 1.5]),), order=1)
    with pytest.raises(AssertionError, match="order 2"):
        check_grads(f, (np.array([-0.5, 1.5]),), order=2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown mode"):
        check_grads(mnp.sin, (1.0,), modes=("backward",))
    with pytest.raises(ValueError, match="order must be >= 1"):
        check_grads(mnp.sin, (1.0,), order=0)
    check_grads(mnp.sin, np.array(0.3))  # a single array is one argument
