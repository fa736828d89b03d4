"""The m4ml.probability namespace: every public name, and one kl_divergence for both kinds."""

import numpy as np
import pytest
import scipy.stats

import m4ml.probability as prob


def test_every_distribution_and_tool_is_exported():
    for name in prob.DISTRIBUTIONS:
        assert name in prob.__all__, name
        assert isinstance(getattr(prob, name), type)
    for name in ("ProbabilitySpace", "bayes", "MarkovChain", "entropy", "mutual_information"):
        assert callable(getattr(prob, name))
    assert len(set(prob.__all__)) == len(prob.__all__)
    assert all(hasattr(prob, name) for name in prob.__all__)


def test_kl_divergence_dispatches_on_its_arguments():
    p, q = prob.Normal(0.0, 1.0), prob.Normal(1.0, 2.0)
    exact = np.log(2.0) + (1.0 + 1.0) / (2 * 4.0) - 0.5
    assert float(prob.kl_divergence(p, q)) == pytest.approx(exact, rel=1e-12)
    a, b = prob.Categorical([0.2, 0.8]), prob.Categorical([0.5, 0.5])
    assert float(prob.kl_divergence(a, b)) == pytest.approx(
        prob.kl_divergence([0.2, 0.8], [0.5, 0.5]), rel=1e-12
    )
    assert float(prob.kl_divergence([0.5, 0.5], [0.25, 0.75])) == pytest.approx(
        scipy.stats.entropy([0.5, 0.5], [0.25, 0.75]), rel=1e-12
    )
    with pytest.raises(TypeError, match="arrays only"):
        prob.kl_divergence(p, q, base=2)
    with pytest.raises(TypeError, match="two probability arrays or two distribution objects"):
        prob.kl_divergence(p, [0.5, 0.5])
