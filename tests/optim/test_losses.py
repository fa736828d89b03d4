"""Losses: scikit-learn / closed forms, gradients vs finite differences, extreme inputs."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import hinge_loss, log_loss, mean_absolute_error, mean_squared_error

import m4ml.numpy as mnp
from m4ml.autodiff import grad
from m4ml.optim.losses import huber, log_cosh, mae, mse
from m4ml.optim.losses_classification import (
    binary_cross_entropy,
    cross_entropy,
    hinge,
    softmax_cross_entropy,
    squared_hinge,
)


def _fd(f, x, h=1e-6):
    e = np.eye(x.size).reshape(x.size, *x.shape)
    return np.array([(f(x + h * d) - f(x - h * d)) / (2 * h) for d in e]).reshape(x.shape)


def test_regression_losses_match_sklearn_and_closed_forms(rng):
    y, p = rng.standard_normal(50), rng.standard_normal(50)
    assert float(mse(y, p)) == pytest.approx(mean_squared_error(y, p), rel=1e-14)
    assert float(mae(y, p)) == pytest.approx(mean_absolute_error(y, p), rel=1e-14)
    r = np.abs(p - y)
    h = np.where(r <= 0.7, 0.5 * r**2, 0.7 * (r - 0.35))
    np.testing.assert_allclose(huber(y, p, delta=0.7, reduction="none"), h, rtol=1e-14)
    lc = np.log(np.cosh((p - y).astype(np.longdouble))).astype(float)  # 80-bit reference
    np.testing.assert_allclose(log_cosh(y, p, reduction="none"), lc, rtol=1e-13)
    assert float(mse(y, p, reduction="sum")) == pytest.approx(np.sum((y - p) ** 2), rel=1e-14)


def test_classification_losses_match_sklearn(rng):
    y = rng.integers(0, 2, 40).astype(float)
    z = rng.standard_normal(40) * 3
    prob = 1 / (1 + np.exp(-z))
    ref = log_loss(y, prob)
    assert float(binary_cross_entropy(y, prob)) == pytest.approx(ref, rel=1e-12)
    assert float(binary_cross_entropy(y, z, from_logits=True)) == pytest.approx(ref, rel=1e-12)
    labels = rng.integers(0, 4, 40)
    logits = rng.standard_normal((40, 4))
    sm = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    ref = log_loss(labels, sm, labels=[0, 1, 2, 3])
    assert float(softmax_cross_entropy(labels, logits)) == pytest.approx(ref, rel=1e-12)
    assert float(softmax_cross_entropy(np.eye(4)[labels], logits)) == pytest.approx(ref, rel=1e-12)
    s = 2 * y - 1
    assert float(hinge(s, z)) == pytest.approx(hinge_loss(s, z), rel=1e-14)
    np.testing.assert_allclose(
        squared_hinge(s, z, reduction="none"), np.maximum(0, 1 - s * z) ** 2, rtol=1e-15
    )


def test_soft_label_cross_entropy_is_kl_plus_entropy(rng):
    logits = rng.standard_normal((5, 3))
    q = rng.dirichlet(np.ones(3), 5)
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    np.testing.assert_allclose(
        softmax_cross_entropy(q, logits, reduction="none"), -(q * logp).sum(1), rtol=1e-13
    )


@pytest.mark.parametrize(
    "loss",
    [
        lambda y, p: mse(y, p),
        lambda y, p: mae(y, p),
        lambda y, p: huber(y, p, delta=0.5),
        lambda y, p: log_cosh(y, p),
        lambda y, p: binary_cross_entropy((y > 0).astype(float), p, from_logits=True),
        lambda y, p: binary_cross_entropy((y > 0).astype(float), 1 / (1 + mnp.exp(-p))),
        lambda y, p: hinge(np.sign(y), p),
        lambda y, p: squared_hinge(np.sign(y), p),
    ],
    ids=["mse", "mae", "huber", "log_cosh", "bce_logits", "bce_prob", "hinge", "sq_hinge"],
)
def test_gradients_match_finite_differences(loss, rng):
    y = rng.standard_normal(7)
    p = rng.standard_normal(7)
    if "hinge" in repr(loss):  # keep away from the kink
        p = p + 0.1
    g = grad(lambda q: loss(y, q))(p)
    np.testing.assert_allclose(g, _fd(lambda q: float(loss(y, q)), p), rtol=1e-6, atol=1e-8)


def test_cross_entropy_gradient_is_softmax_minus_onehot(rng):
    labels = rng.integers(0, 3, 6)
    z = rng.standard_normal((6, 3))
    g = grad(lambda w: softmax_cross_entropy(labels, w))(z)
    sm = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    np.testing.assert_allclose(g, (sm - np.eye(3)[labels]) / 6, rtol=1e-13, atol=1e-16)


def test_extreme_logits_are_finite_and_exact():
    z = np.array([1e3, -1e3, 1e3, -1e3])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    v = binary_cross_entropy(y, z, from_logits=True, reduction="none")
    np.testing.assert_array_equal(v, [0.0, 0.0, 1e3, 1e3])
    g = grad(lambda w: binary_cross_entropy(y, w, from_logits=True, reduction="sum"))(z)
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0, -1.0])
    logits = np.array([[1e3, -1e3, 0.0], [-1e3, -1e3, 1e3]])
    v = softmax_cross_entropy([1, 2], logits, reduction="none")
    np.testing.assert_allclose(v, [2e3, 0.0], rtol=1e-15)
    g = grad(lambda w: softmax_cross_entropy([1, 2], w, reduction="sum"))(logits)
    np.testing.assert_allclose(g, [[1, -1, 0], [0, 0, 0]], atol=1e-300)
    r = np.array([1e3, -1e3, 1e-8])
    lc = log_cosh(np.zeros(3), r, reduction="none")
    np.testing.assert_allclose(lc, [1e3 - np.log(2), 1e3 - np.log(2), 5e-17], rtol=1e-12)
    np.testing.assert_allclose(grad(lambda w: log_cosh(np.zeros(3), w, reduction="sum"))(r),
                               np.tanh(r), rtol=1e-12)  # fmt: skip
    assert np.isfinite(binary_cross_entropy([1.0, 0.0], [0.0, 1.0]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=6))
def test_logit_and_probability_forms_agree(zs):
    z = np.array(zs)
    y = (np.arange(z.size) % 2).astype(float)
    p = 1 / (1 + np.exp(-z))
    a = binary_cross_entropy(y, z, from_logits=True, reduction="none")
    b = binary_cross_entropy(y, p, reduction="none")
    mask = (p > 1e-6) & (p < 1 - 1e-6)  # 1 - p keeps ~10 digits here
    np.testing.assert_allclose(a[mask], b[mask], rtol=1e-6)
    assert np.all(a >= 0)


def test_errors():
    with pytest.raises(ValueError, match="same shape"):
        mse([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="reduction"):
        mae([1.0], [1.0], reduction="avg")
    with pytest.raises(ValueError, match="NaN"):
        mse([np.nan], [1.0])
    with pytest.raises(ValueError, match="delta"):
        huber([1.0], [1.0], delta=0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        binary_cross_entropy([2.0], [0.5])
    with pytest.raises(ValueError, match="probabilities"):
        binary_cross_entropy([1.0], [1.5])
    with pytest.raises(ValueError, match="labels must lie"):
        softmax_cross_entropy([0, 3], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="whole numbers"):
        softmax_cross_entropy([0.5, 1.0], np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(n, k\)"):
        softmax_cross_entropy([0], np.zeros(3))
    with pytest.raises(ValueError, match="2 rows"):
        softmax_cross_entropy([0, 1, 2], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="one-hot"):
        softmax_cross_entropy(np.eye(2), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="-1, \\+1"):
        hinge([0.0, 1.0], [0.5, 0.5])
    with pytest.raises(TypeError, match="real numbers"):
        mse(["a"], [1.0])


def test_cross_entropy_is_a_deprecated_alias_of_softmax_cross_entropy(rng):
    # issue 9: the loss was renamed; the old name warns and returns the same values
    logits = rng.standard_normal((5, 3))
    labels = np.array([0, 2, 1, 1, 0])
    with pytest.warns(DeprecationWarning, match="softmax_cross_entropy"):
        old = cross_entropy(labels, logits, reduction="none")
    np.testing.assert_array_equal(old, softmax_cross_entropy(labels, logits, reduction="none"))
    import m4ml.optim as optim

    assert "softmax_cross_entropy" in optim.__all__ and optim.cross_entropy is cross_entropy


def test_losses_and_penalties_refuse_to_overflow_silently():
    # issue 9 catalogue: finite inputs near 1e200 squared past the float range gave inf with a
    # leaked RuntimeWarning; now a ValueError names the function
    from m4ml.optim import elastic_net, l2

    big = np.array([1e200, -1e200])
    with pytest.raises(ValueError, match="mse overflows"):
        mse(big, -big)
    # the linear-growth losses stay finite there: |d| - 1/2 and |d| - log 2
    assert float(huber(big, -big)) == pytest.approx(2e200, rel=1e-15)
    assert float(log_cosh(big, -big)) == pytest.approx(2e200, rel=1e-15)
    with pytest.raises(ValueError, match="mae overflows"):
        mae([1e308, -1e308], [-1e308, 1e308])
    with pytest.raises(ValueError, match="l2 overflows"):
        l2(big)
    with pytest.raises(ValueError, match="l1 overflows"):
        elastic_net(np.array([1e308, 1e308]), 4.0, 1.0)
    assert mse([1e150], [-1e150]) == pytest.approx(4e300)  # large but representable
