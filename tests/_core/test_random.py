import numpy as np
import pytest

from m4ml._core import check_rng


def test_int_seed_is_reproducible():
    a = check_rng(7).standard_normal(5)
    b = check_rng(7).standard_normal(5)
    np.testing.assert_array_equal(a, b)


def test_generator_is_passed_through_and_shares_its_stream():
    g = np.random.default_rng(1)
    assert check_rng(g) is g
    first = check_rng(g).random()
    second = check_rng(g).random()
    assert first != second


def test_none_gives_a_generator():
    assert isinstance(check_rng(None), np.random.Generator)


@pytest.mark.parametrize("bad", [1.5, "seed", np.random.RandomState(0), True])
def test_bad_rng_types(bad):
    with pytest.raises(TypeError, match="rng must be"):
        check_rng(bad)


def test_negative_seed():
    with pytest.raises(ValueError, match="non-negative"):
        check_rng(-1)
