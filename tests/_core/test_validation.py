import numpy as np
import pytest

from m4ml._core import (
    LinAlgError,
    as_float_array,
    as_matrix_stack,
    as_square_stack,
    check_finite,
    check_positive_int,
)


def test_as_float_array_promotes_ints_and_bools_to_float64():
    out = as_float_array([[1, 2], [3, 4]])
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1.0, 2.0], [3.0, 4.0]])
    assert as_float_array([True, False]).tolist() == [1.0, 0.0]


def test_as_float_array_copy_gives_an_independent_array():
    x = np.arange(3.0)
    y = as_float_array(x, copy=True)
    y[0] = 42.0
    assert x[0] == 0.0
    assert as_float_array(x) is x  # no copy when none is asked for and none is needed


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_rejected_with_the_argument_name(bad):
    with pytest.raises(ValueError, match="b contains NaN or infinity"):
        as_float_array([1.0, bad], "b")
    assert as_float_array([1.0, bad], finite=False).shape == (2,)


def test_complex_and_non_numeric_input_raise_type_error():
    with pytest.raises(TypeError, match="complex"):
        as_float_array([1j, 2])
    with pytest.raises(TypeError, match="real numbers"):
        as_float_array(["a", "b"])


def test_ragged_input_raises_value_error():
    with pytest.raises(ValueError, match="could not be converted"):
        as_float_array([[1, 2], [3]])


def test_dimension_bounds():
    with pytest.raises(ValueError, match="at least 1 dimension"):
        as_float_array(3.0, min_ndim=1)
    with pytest.raises(ValueError, match="at most 1 dimension"):
        as_float_array(np.zeros((2, 2)), max_ndim=1)


def test_matrix_and_square_stacks():
    assert as_matrix_stack(np.zeros((4, 2, 3))).shape == (4, 2, 3)
    assert as_square_stack(np.eye(3)).shape == (3, 3)
    with pytest.raises(LinAlgError, match="at least 2-D"):
        as_matrix_stack([1.0, 2.0], "A")
    with pytest.raises(LinAlgError, match="must be square"):
        as_square_stack(np.zeros((2, 3)))
    assert issubclass(LinAlgError, ValueError)


def test_check_finite_returns_its_input():
    x = np.ones(3)
    assert check_finite(x) is x


def test_check_positive_int():
    assert check_positive_int(np.int64(3), "k") == 3
    with pytest.raises(TypeError, match="k must be an integer"):
        check_positive_int(2.0, "k")
    with pytest.raises(TypeError):
        check_positive_int(True, "k")
    with pytest.raises(ValueError, match="k must be >= 1"):
        check_positive_int(0, "k")
    assert check_positive_int(0, "k", minimum=0) == 0
