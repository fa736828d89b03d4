"""Gradient clipping: closed forms, torch.nn.utils, the optimizer wrapper."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.optim.clipping import clip_by_global_norm, clip_by_value, global_norm, with_clipping
from m4ml.optim.optimizers import SGD, Adam


def _tree(rng, scale=1.0):
    return {"W": rng.standard_normal((3, 4)) * scale, "b": [rng.standard_normal(4) * scale]}


def test_global_norm_and_clipping(rng):
    g = _tree(rng, 10.0)
    flat = np.concatenate([g["W"].ravel(), g["b"][0]])
    assert global_norm(g) == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    out, n = clip_by_global_norm(g, 2.0, return_norm=True)
    assert n == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    assert global_norm(out) == pytest.approx(2.0 * n / (n + 1e-6), rel=1e-14)
    np.testing.assert_allclose(out["W"] / g["W"], out["b"][0][0] / g["b"][0][0], rtol=1e-14)
    small = clip_by_global_norm(_tree(rng, 1e-3), 2.0)  # under the bound: unchanged
    assert global_norm(small) < 2.0
    v = clip_by_value(g, -0.5, 1.0)
    np.testing.assert_array_equal(v["W"], np.clip(g["W"], -0.5, 1.0))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=10), st.floats(0.01, 100.0))
def test_clipped_norm_never_exceeds_the_bound(xs, c):
    out = clip_by_global_norm(np.array(xs), c)
    assert global_norm(out) <= c * (1 + 1e-12)
    if global_norm(np.array(xs)) + 1e-6 <= c:  # torch's 1e-6 margin
        np.testing.assert_array_equal(out, xs)


def test_matches_torch_clip_utilities(rng):
    torch = pytest.importorskip("torch")
    g = _tree(rng, 5.0)
    ts = [torch.zeros(3, 4, dtype=torch.float64), torch.zeros(4, dtype=torch.float64)]
    ts[0].grad, ts[1].grad = torch.tensor(g["W"]), torch.tensor(g["b"][0])
    torch.nn.utils.clip_grad_norm_(ts, 3.0)
    ours = clip_by_global_norm(g, 3.0)
    np.testing.assert_allclose(ours["W"], ts[0].grad.numpy(), rtol=1e-14)
    np.testing.assert_allclose(ours["b"][0], ts[1].grad.numpy(), rtol=1e-14)
    t = torch.zeros(3, 4, dtype=torch.float64)
    t.grad = torch.tensor(g["W"])
    torch.nn.utils.clip_grad_value_([t], 0.7)
    np.testing.assert_array_equal(clip_by_value(g["W"], -0.7, 0.7), t.grad.numpy())


def test_with_clipping_chains_before_the_optimizer(rng):
    p, g = _tree(rng), _tree(rng, 100.0)
    opt = with_clipping(Adam(0.01), clip_value=50.0, max_norm=1.0)
    s = opt.init(p)
    new, s = opt.step(p, g, s)
    ref_opt = Adam(0.01)
    ref, _ = ref_opt.step(p, clip_by_global_norm(clip_by_value(g, -50, 50), 1.0), ref_opt.init(p))
    np.testing.assert_array_equal(new["W"], ref["W"])
    assert s.count == 1 and opt.learning_rate(0) == 0.01


def test_errors():
    with pytest.raises(ValueError, match="must not exceed"):
        clip_by_value(np.ones(2), 1.0, -1.0)
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_global_norm(np.ones(2), 0.0)
    with pytest.raises(ValueError, match="NaN"):
        clip_by_global_norm(np.array([np.inf]), 1.0)
    with pytest.raises(ValueError, match="clip_value, max_norm"):
        with_clipping(SGD(0.1))
    with pytest.raises(TypeError, match="Optimizer"):
        with_clipping("sgd", max_norm=1.0)
    with pytest.raises(ValueError, match="clip_value"):
        with_clipping(SGD(0.1), clip_value=-1.0)


def test_global_norm_scales_like_linalg_norm():
    # regression (issue 9): sum of squares overflowed to inf at 1e200 and underflowed to 0
    assert global_norm({"a": np.array([3e200]), "b": [np.array([4e200])]}) == pytest.approx(
        5e200, rel=1e-15
    )
    assert global_norm([np.array([3e-200, 4e-200])]) == pytest.approx(5e-200, rel=1e-15)
    assert global_norm([np.array([1e308, 1e308])]) == pytest.approx(np.sqrt(2) * 1e308)
    assert global_norm({}) == 0.0


def test_clip_by_global_norm_huge_and_tiny_gradients():
    g = {"w": np.array([3e200, 4e200]), "b": np.array([0.0])}
    out, n = clip_by_global_norm(g, 1.0, return_norm=True)
    assert n == pytest.approx(5e200)
    np.testing.assert_allclose(out["w"], [0.6, 0.8], rtol=1e-14)
    # the norm itself exceeds the largest float: the direction survives, the norm is c
    out = clip_by_global_norm([np.array([1.5e308, -1.5e308])], 2.0)
    np.testing.assert_allclose(out[0], [np.sqrt(2), -np.sqrt(2)], rtol=1e-14)
    tiny = [np.array([3e-200, 4e-200])]
    np.testing.assert_array_equal(clip_by_global_norm(tiny, 1.0)[0], tiny[0])
    with pytest.raises(ValueError, match="NaN or infinity"):
        clip_by_global_norm([np.array([np.inf, 1.0])], 1.0)
    with pytest.raises(ValueError, match="tree contains NaN"):
        global_norm({"a": np.array([np.nan])})


def test_global_norm_refuses_none_and_complex():
    with pytest.raises(TypeError, match="got None"):
        global_norm(None)
    with pytest.raises(TypeError, match="real numbers"):
        global_norm([np.array([1 + 2j])])
    with pytest.raises(TypeError, match="real numbers"):
        clip_by_global_norm({"a": np.array(["x"])}, 1.0)
