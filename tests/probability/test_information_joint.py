"""Joint, conditional and mutual information vs scipy.stats.entropy and scikit-learn."""

import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import mutual_info_score

from m4ml.probability.information import entropy
from m4ml.probability.information_joint import (
    conditional_entropy,
    joint_entropy,
    mutual_information,
    mutual_information_from_samples,
)

RTOL = 1e-12


def test_joint_conditional_mutual_information(rng):
    J = rng.random((4, 5))
    J /= J.sum()
    H = scipy.stats.entropy
    hx, hy, hxy = H(J.sum(1)), H(J.sum(0)), H(J.ravel())
    assert joint_entropy(J) == pytest.approx(hxy, RTOL)
    assert conditional_entropy(J) == pytest.approx(hxy - hx, 1e-12)
    assert conditional_entropy(J.T) == pytest.approx(hxy - hy, 1e-12)
    assert mutual_information(J) == pytest.approx(hx + hy - hxy, 1e-11)
    indep = np.outer(J.sum(1), J.sum(0))
    assert mutual_information(indep) == pytest.approx(0.0, abs=1e-15)
    assert mutual_information(indep) >= 0.0


def test_mutual_information_matches_sklearn(rng):
    x = rng.integers(0, 5, 400)
    y = (x + rng.integers(0, 3, 400)) % 6
    mi = mutual_information_from_samples(x, y)
    assert mi == pytest.approx(mutual_info_score(x, y), rel=RTOL)
    from sklearn.metrics.cluster import contingency_matrix

    C = contingency_matrix(x, y)
    assert mutual_information(C, normalize=True) == pytest.approx(mi, rel=RTOL)
    assert mutual_information_from_samples(x, y, base=2) == pytest.approx(mi / np.log(2), RTOL)


def test_mutual_information_from_string_labels():
    x = ["a", "b", "a", "c", "b", "a"]
    y = ["u", "v", "u", "u", "v", "w"]
    assert mutual_information_from_samples(x, y) == pytest.approx(mutual_info_score(x, y), RTOL)


def test_mutual_information_with_tiny_marginals():
    # p(x) p(y) underflows to 0 here; the answer must stay finite and match H(Y) - H(Y|X)
    J = np.full((3, 4), 3.8e-230)
    J[0, 0] = 1.0
    J /= J.sum()
    mi = mutual_information(J)
    assert np.isfinite(mi)
    assert mi == pytest.approx(entropy(J.sum(0)) - conditional_entropy(J), abs=1e-15)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, (3, 4), elements=st.floats(0.0, 1.0, allow_subnormal=False)))
def test_chain_rule(table):
    if table.sum() < 1e-3:
        table = table + 1.0
    J = table / table.sum()
    hx = entropy(J.sum(1))
    assert joint_entropy(J) == pytest.approx(hx + conditional_entropy(J), rel=1e-10, abs=1e-13)
    mi = mutual_information(J)
    assert mi == pytest.approx(entropy(J.sum(0)) - conditional_entropy(J), abs=1e-12)


def test_by_hand_tables():
    assert joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2) == 2.0
    assert conditional_entropy([[0.5, 0.0], [0.0, 0.5]]) == 0.0
    assert mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2) == pytest.approx(1.0, RTOL)
    counts = np.array([[8, 2], [2, 8]])
    assert mutual_information(counts, normalize=True) == pytest.approx(
        mutual_information(counts / 20), RTOL
    )
    # a row with p(x) = 0 contributes nothing
    J = np.array([[0.3, 0.2], [0.0, 0.0], [0.1, 0.4]])
    assert conditional_entropy(J) == pytest.approx(conditional_entropy(J[[0, 2]]), rel=RTOL)
    assert mutual_information(J) == pytest.approx(mutual_information(J[[0, 2]]), rel=RTOL)


def test_bad_input():
    with pytest.raises(ValueError, match="2-D"):
        mutual_information([0.5, 0.5])
    with pytest.raises(ValueError, match="2-D"):
        conditional_entropy(np.full((2, 2, 2), 0.125))
    with pytest.raises(ValueError, match="joint must sum to 1"):
        joint_entropy([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="non-negative"):
        mutual_information([[0.6, -0.1], [0.25, 0.25]])
    with pytest.raises(ValueError, match="equal length"):
        mutual_information_from_samples([1, 2], [1])
    with pytest.raises(ValueError, match="equal length"):
        mutual_information_from_samples([], [])
    with pytest.raises(ValueError, match="1-D"):
        mutual_information_from_samples([[1, 2]], [[1, 2]])
    with pytest.raises(ValueError, match="NaN"):
        mutual_information_from_samples([1.0, np.nan], [1, 2])
