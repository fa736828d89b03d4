"""Learning-rate schedules: their formulas, torch.optim.lr_scheduler, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.optim.schedules import (
    as_schedule,
    constant,
    cosine_decay,
    exponential_decay,
    step_decay,
    warmup,
)

T = np.arange(0, 60)


def test_formulas_vectorized():
    np.testing.assert_array_equal(constant(0.3)(T), np.full(T.shape, 0.3))
    np.testing.assert_allclose(step_decay(2.0, 7, 0.3)(T), 2.0 * 0.3 ** (T // 7), rtol=1e-15)
    np.testing.assert_allclose(exponential_decay(1.5, 0.9, 4)(T), 1.5 * 0.9 ** (T / 4), rtol=1e-15)
    np.testing.assert_allclose(
        exponential_decay(1.5, 0.9, 4, staircase=True)(T), 1.5 * 0.9 ** (T // 4), rtol=1e-15
    )
    c = cosine_decay(1.0, 40, alpha=0.2)(T)
    frac = np.minimum(T, 40) / 40
    np.testing.assert_allclose(c, 0.8 * 0.5 * (1 + np.cos(np.pi * frac)) + 0.2, rtol=1e-15)
    assert c[40] == pytest.approx(0.2) and c[59] == pytest.approx(0.2)


def test_warmup_ramps_then_hands_over():
    inner = exponential_decay(1.0, 0.5)
    s = warmup(10, inner, init_value=0.1)
    v = s(T)
    np.testing.assert_allclose(v[:10], 0.1 + 0.9 * T[:10] / 10, rtol=1e-15)
    np.testing.assert_allclose(v[10:], inner(T[10:] - 10), rtol=1e-15)
    assert warmup(5, 0.3)(5) == 0.3  # a float is a constant schedule


def test_scalar_calls_return_floats():
    for s in (constant(0.1), step_decay(1.0, 2), cosine_decay(1.0, 5), warmup(2, 1.0)):
        assert isinstance(s(3), float)
    assert "step_size=2" in repr(step_decay(1.0, 2))


@pytest.mark.parametrize(
    ("ours", "make"),
    [
        (step_decay(0.1, 7, 0.5), lambda lrs, o: lrs.StepLR(o, 7, 0.5)),
        (exponential_decay(0.1, 0.95), lambda lrs, o: lrs.ExponentialLR(o, 0.95)),
        (cosine_decay(0.1, 30, alpha=0.25), lambda lrs, o: lrs.CosineAnnealingLR(o, 30, 0.025)),
        (warmup(12, 0.1, init_value=0.025), lambda lrs, o: lrs.LinearLR(o, 0.25, 1.0, 12)),
    ],
    ids=["step", "exponential", "cosine", "warmup"],
)
def test_matches_torch_lr_scheduler(ours, make):
    torch = pytest.importorskip("torch")
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    sched = make(torch.optim.lr_scheduler, opt)
    ref = []
    for _ in range(30):
        ref.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    np.testing.assert_allclose(ours(np.arange(30)), ref, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(st.floats(1e-4, 10.0), st.integers(1, 50), st.floats(0.0, 1.0))
def test_cosine_is_monotone_and_bounded(init, steps, alpha):
    v = cosine_decay(init, steps, alpha)(np.arange(steps + 5))
    assert np.all(np.diff(v) <= 1e-15 * init)
    assert v[0] == pytest.approx(init) and v[-1] == pytest.approx(alpha * init)


def test_errors():
    with pytest.raises(ValueError, match="value must be > 0"):
        constant(0.0)
    with pytest.raises(ValueError, match="step_size"):
        step_decay(1.0, 0)
    with pytest.raises(ValueError, match="alpha"):
        cosine_decay(1.0, 10, alpha=2.0)
    with pytest.raises(ValueError, match="finite"):
        exponential_decay(np.inf, 0.5)
    with pytest.raises(ValueError, match="step must be"):
        constant(0.1)(-1)
    with pytest.raises(ValueError, match="step must be"):
        constant(0.1)(1.5)
    with pytest.raises(TypeError, match="learning_rate"):
        as_schedule(None)
    assert as_schedule(constant(0.2))(0) == 0.2
