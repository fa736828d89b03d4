"""Penalties and proximal operators: closed forms, the prox definition, scikit-learn's objective."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.autodiff import grad
from m4ml.optim.regularizers import elastic_net, l1, l2, prox_elastic_net, prox_l1, prox_l2

vec = st.lists(st.floats(-10, 10), min_size=1, max_size=8).map(np.array)


def test_penalties_closed_forms_and_pytrees(rng):
    w = rng.standard_normal(6)
    assert float(l1(w, 0.3)) == pytest.approx(0.3 * np.abs(w).sum(), rel=1e-14)
    assert float(l2(w, 0.3)) == pytest.approx(0.15 * (w**2).sum(), rel=1e-14)
    en = 0.4 * 0.7 * np.abs(w).sum() + 0.5 * 0.4 * 0.3 * (w**2).sum()
    assert float(elastic_net(w, 0.4, 0.7)) == pytest.approx(en, rel=1e-14)
    tree = {"a": w[:2], "b": [w[2:5], w[5:]]}
    assert float(l1(tree, 0.3)) == pytest.approx(float(l1(w, 0.3)), rel=1e-14)
    assert float(elastic_net(w, 0.4, 1.0)) == pytest.approx(float(l1(w, 0.4)), rel=1e-14)
    assert float(elastic_net(w, 0.4, 0.0)) == pytest.approx(float(l2(w, 0.4)), rel=1e-14)


def test_penalty_gradients(rng):
    w = rng.standard_normal(5)
    np.testing.assert_allclose(grad(lambda v: l2(v, 0.7))(w), 0.7 * w, rtol=1e-15)
    np.testing.assert_allclose(grad(lambda v: l1(v, 0.7))(w), 0.7 * np.sign(w), rtol=1e-15)
    g = grad(lambda t: elastic_net(t, 2.0, 0.25))({"w": w})["w"]
    np.testing.assert_allclose(g, 2.0 * (0.25 * np.sign(w) + 0.75 * w), rtol=1e-14)


@settings(max_examples=25, deadline=None)
@given(vec, st.floats(0.0, 3.0), st.floats(0.0, 1.0))
def test_prox_minimizes_its_objective(x, step, ratio):
    # prox_{t R}(x) = argmin_u 0.5 |u - x|^2 + t R(u): no perturbation does better
    def obj(u):
        return 0.5 * np.sum((u - x) ** 2) + step * float(elastic_net(u, 1.3, ratio))

    u = prox_elastic_net(x, step, 1.3, ratio)
    base = obj(u)
    rng = np.random.default_rng(0)
    for d in rng.standard_normal((20, x.size)) * 1e-3:
        assert obj(u + d) >= base - 1e-12


def test_prox_closed_forms():
    x = np.array([3.0, -0.5, -2.0, 0.0, 1.0])
    np.testing.assert_array_equal(prox_l1(x, 1.0), [2.0, 0.0, -1.0, 0.0, 0.0])
    np.testing.assert_array_equal(prox_l1(x, 0.5, alpha=2.0), prox_l1(x, 1.0))
    np.testing.assert_allclose(prox_l2(x, 0.5, alpha=2.0), x / 2.0, rtol=1e-15)
    np.testing.assert_allclose(
        prox_elastic_net(x, 1.0, alpha=2.0, l1_ratio=0.5), prox_l1(x, 1.0) / 2.0, rtol=1e-15
    )
    np.testing.assert_array_equal(prox_elastic_net(x, 1.0, 1.0, 1.0), prox_l1(x, 1.0))
    np.testing.assert_allclose(prox_elastic_net(x, 1.0, 1.0, 0.0), prox_l2(x, 1.0), rtol=1e-15)
    np.testing.assert_array_equal(prox_l1(x, 0.0), x)


def test_prox_exact_zeros_and_pytrees():
    tree = {"w": np.array([0.3, -0.2, 5.0]), "b": [np.array([[0.1, -4.0]])]}
    out = prox_l1(tree, 0.5)
    np.testing.assert_array_equal(out["w"], [0.0, 0.0, 4.5])
    np.testing.assert_array_equal(out["b"][0], [[0.0, -3.5]])
    assert np.sum(out["w"] == 0) == 2


def test_ista_reaches_sklearn_lasso(rng):
    # proximal gradient on sklearn's lasso objective (1/2n)|y - Xw|^2 + alpha |w|_1
    from sklearn.linear_model import Lasso

    X = rng.standard_normal((60, 8))
    w_true = np.array([2.0, 0, 0, -1.5, 0, 0, 0, 0.5])
    y = X @ w_true + 0.1 * rng.standard_normal(60)
    L = np.max(np.linalg.eigvalsh(X.T @ X)) / 60
    w = np.zeros(8)
    for _ in range(3000):
        w = prox_l1(w - (X.T @ (X @ w - y) / 60) / L, 1.0 / L, alpha=0.1)
    ref = Lasso(alpha=0.1, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y).coef_
    np.testing.assert_allclose(w, ref, atol=1e-8)
    np.testing.assert_array_equal(w == 0, ref == 0)


def test_errors():
    with pytest.raises(ValueError, match="alpha"):
        l1([1.0], alpha=-1.0)
    with pytest.raises(ValueError, match="l1_ratio"):
        elastic_net([1.0], 1.0, l1_ratio=1.5)
    with pytest.raises(ValueError, match="step"):
        prox_l1([1.0], -0.1)
    with pytest.raises(ValueError, match="NaN"):
        prox_l2([np.nan], 1.0)
    with pytest.raises(ValueError, match="no leaves"):
        l2({})
    with pytest.raises(ValueError, match="finite"):
        l2([1.0], alpha=np.inf)
