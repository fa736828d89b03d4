"""Optimizers: closed forms (no torch needed) and step-by-step agreement with torch.optim."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from m4ml.optim.optimizers import SGD, AdaGrad, Adam, AdamW, OptState, RMSprop
from m4ml.optim.schedules import cosine_decay, exponential_decay, step_decay


def _run(opt, params, grad_fn, n):
    state = opt.init(params)
    for _ in range(n):
        params, state = opt.step(params, grad_fn(params), state)
    return params, state


# -- closed forms ------------------------------------------------------------------------------


def test_sgd_on_quadratic_is_a_matrix_power(rng):
    # f(x) = x'Ax/2 - b'x: x_k - x* = (I - lr A)^k (x_0 - x*)
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, -1.0])
    xs = np.linalg.solve(A, b)
    x0 = rng.standard_normal(2)
    x, _ = _run(SGD(0.1), x0, lambda x: A @ x - b, 100)
    expected = xs + np.linalg.matrix_power(np.eye(2) - 0.1 * A, 100) @ (x0 - xs)
    np.testing.assert_allclose(x, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("nesterov", "wd"), [(False, 0.0), (True, 0.0), (False, 0.3), (True, 0.3)],
    ids=["heavy-ball", "nesterov", "heavy-ball-wd", "nesterov-wd"],
)  # fmt: skip
def test_momentum_on_quadratic_is_a_linear_recurrence(nesterov, wd, rng):
    # g = A x - c (+ wd x) = B x - c with B = A + wd I; z = (x, b) evolves by an affine map:
    # b' = mu b + B x - c and x' = x - lr d with d = b' (heavy ball) or g + mu b' (Nesterov).
    # b_0 = 0 makes the first step b_1 = g_1 too, so one map covers every step.
    A, c = np.diag([1.0, 4.0]), np.array([0.5, 1.0])
    lr, mu, n = 0.05, 0.8, 100
    B, eye = A + wd * np.eye(2), np.eye(2)
    if nesterov:  # d = (1 + mu)(B x - c) + mu^2 b
        top = [eye - lr * (1 + mu) * B, -lr * mu * mu * eye]
        off_x = lr * (1 + mu) * c
    else:  # d = mu b + B x - c
        top = [eye - lr * B, -lr * mu * eye]
        off_x = lr * c
    M = np.block([top, [B, mu * eye]])
    off = np.concatenate([off_x, -c])
    x0 = rng.standard_normal(2)
    z = np.concatenate([x0, np.zeros(2)])
    for _ in range(n):
        z = M @ z + off
    opt = SGD(lr, momentum=mu, nesterov=nesterov, weight_decay=wd)
    x, state = _run(opt, x0, lambda x: A @ x - c, n)
    np.testing.assert_allclose(x, z[:2], rtol=0, atol=1e-12)
    np.testing.assert_allclose(state.buffers["momentum_buffer"], z[2:], rtol=0, atol=1e-12)


@pytest.mark.parametrize("c", [2.0, -0.3, 1e-3])
def test_adaptive_methods_on_a_linear_function(c):
    # constant gradient c: the moment estimates have closed forms
    n, lr, x0 = 100, 0.01, np.array([1.0])
    t = np.arange(1, n + 1)
    g = lambda x: np.full(1, c)  # noqa: E731
    x, _ = _run(Adam(lr), x0, g, n)  # m_t/(1-b1^t) = c, v_t/(1-b2^t) = c^2
    np.testing.assert_allclose(x, 1.0 - n * lr * c / (abs(c) + 1e-8), rtol=0, atol=1e-13)
    x, _ = _run(AdaGrad(lr), x0, g, n)  # G_t = t c^2
    np.testing.assert_allclose(
        x, 1.0 - np.sum(lr * c / (np.sqrt(t) * abs(c) + 1e-10)), rtol=0, atol=1e-13
    )
    x, _ = _run(RMSprop(lr, alpha=0.9), x0, g, n)  # v_t = c^2 (1 - 0.9^t)
    d = abs(c) * np.sqrt(1 - 0.9**t) + 1e-8
    np.testing.assert_allclose(x, 1.0 - np.sum(lr * c / d), rtol=0, atol=1e-13)
    x, _ = _run(AdamW(lr, weight_decay=0.0), x0, g, n)
    np.testing.assert_allclose(x, 1.0 - n * lr * c / (abs(c) + 1e-8), rtol=0, atol=1e-13)
    x, _ = _run(Adam(lr, amsgrad=True), x0, g, n)  # v_t increases: max_s v_s = v_t
    np.testing.assert_allclose(x, 1.0 - n * lr * c / (abs(c) + 1e-8), rtol=0, atol=1e-13)
    # centered: m_t = c (1 - a^t), v_t - m_t^2 = c^2 (1 - a^t) a^t
    x, _ = _run(RMSprop(lr, alpha=0.9, centered=True), x0, g, n)
    d = abs(c) * np.sqrt((1 - 0.9**t) * 0.9**t) + 1e-8
    np.testing.assert_allclose(x, 1.0 - np.sum(lr * c / d), rtol=1e-9, atol=1e-13)


def test_adamw_decay_is_decoupled():
    x, _ = _run(AdamW(0.1, weight_decay=0.5), np.array([2.0]), lambda x: np.zeros(1), 10)
    np.testing.assert_allclose(x, 2.0 * 0.95**10, rtol=1e-14)


def test_schedule_is_read_at_the_step_count():
    # SGD on f = x (gradient 1): x_n = x_0 - sum_k lr(k)
    sched = step_decay(1.0, step_size=3, gamma=0.5)
    x, state = _run(SGD(sched), np.zeros(1), lambda x: np.ones(1), 7)
    assert state.count == 7
    np.testing.assert_allclose(x, -sum(sched(k) for k in range(7)), rtol=1e-15)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6), st.floats(0.0, 0.95), st.booleans())
def test_inputs_are_never_modified_and_pytrees_round_trip(n, mu, nesterov):
    nesterov = nesterov and mu > 0
    params = {"w": np.arange(n, dtype=float), "b": [np.ones((2, 2)), np.zeros(0)]}
    grads = {"w": np.ones(n), "b": [np.full((2, 2), 2.0), np.zeros(0)]}
    for opt in (SGD(0.1, momentum=mu, nesterov=nesterov), Adam(0.1), RMSprop(centered=True)):
        state = opt.init(params)
        new, state = opt.step(params, grads, state)
        np.testing.assert_array_equal(params["w"], np.arange(n, dtype=float))
        np.testing.assert_array_equal(grads["b"][0], 2.0)
        assert new["b"][0].shape == (2, 2) and new["b"][1].shape == (0,)
        assert np.all(new["w"] < params["w"]) and np.all(new["b"][0] < 1.0)


def test_state_is_donated_and_copy_keeps_it():
    opt = Adam(0.1)
    p = np.ones(3)
    s0 = opt.init(p)
    keep = s0.copy()
    p1, s1 = opt.step(p, np.ones(3), s0)
    with pytest.raises(ValueError, match="consumed"):
        opt.step(p, np.ones(3), s0)
    p1b, _ = opt.step(p, np.ones(3), keep)
    np.testing.assert_array_equal(p1, p1b)
    assert isinstance(s1, OptState) and s1.count == 1 and "exp_avg" in repr(s1)


def test_float32_params_are_updated_in_float64():
    p, _ = _run(SGD(0.5), {"w": np.ones(2, np.float32)}, lambda p: {"w": np.ones(2)}, 1)
    assert p["w"].dtype == np.float64
    np.testing.assert_array_equal(p["w"], 0.5)


# -- errors ------------------------------------------------------------------------------------


def test_bad_hyperparameters():
    with pytest.raises(ValueError, match="momentum"):
        SGD(0.1, momentum=1.0)
    with pytest.raises(ValueError, match="nesterov"):
        SGD(0.1, nesterov=True)
    with pytest.raises(ValueError, match="betas"):
        Adam(betas=(0.9,))
    with pytest.raises(ValueError, match=r"betas\[i\]"):
        Adam(betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="eps"):
        RMSprop(eps=-1.0)
    with pytest.raises(ValueError, match=r"learning_rate|value"):
        AdaGrad(-0.1)
    with pytest.raises(TypeError, match="learning_rate"):
        Adam("fast")


def test_bad_step_inputs():
    opt = Adam()
    s = opt.init({"w": np.ones(2)})
    with pytest.raises(ValueError, match="structure"):
        opt.step({"w": np.ones(2)}, {"v": np.ones(2)}, s)
    with pytest.raises(ValueError, match="NaN"):
        opt.step({"w": np.ones(2)}, {"w": np.array([1.0, np.nan])}, s)
    with pytest.raises(ValueError, match="different size"):
        opt.step({"w": np.ones(3)}, {"w": np.ones(3)}, s)
    with pytest.raises(TypeError, match="OptState"):
        opt.step({"w": np.ones(2)}, {"w": np.ones(2)}, {})
    with pytest.raises(ValueError, match="no leaves"):
        opt.init({})
    with pytest.raises(TypeError, match="real arrays"):
        opt.init({"w": np.array(["a"])})


# -- torch.optim -------------------------------------------------------------------------------

CONFIGS = [
    (SGD, "SGD", {"learning_rate": 0.05}),
    (SGD, "SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    (SGD, "SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True}),
    (SGD, "SGD", {"learning_rate": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}),
    (AdaGrad, "Adagrad", {"learning_rate": 0.1}),
    (
        AdaGrad,
        "Adagrad",
        {
            "learning_rate": 0.1,
            "lr_decay": 0.01,
            "weight_decay": 0.01,
            "initial_accumulator_value": 0.1,
        },
    ),
    (RMSprop, "RMSprop", {"learning_rate": 0.01}),
    (
        RMSprop,
        "RMSprop",
        {"learning_rate": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.01},
    ),
    (Adam, "Adam", {"learning_rate": 0.01}),
    (Adam, "Adam", {"learning_rate": 0.01, "amsgrad": True, "weight_decay": 0.01}),
    (AdamW, "AdamW", {"learning_rate": 0.01}),
    (AdamW, "AdamW", {"learning_rate": 0.01, "amsgrad": True, "weight_decay": 0.1}),
]
IDS = [f"{name}-{i}" for i, (_, name, _) in enumerate(CONFIGS)]


def _torch_run(torch, name, kwargs, params, loss_fn, n, scheduler=None):
    torch.set_num_threads(1)
    kw = dict(kwargs)
    kw["lr"] = kw.pop("learning_rate")
    tp = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in params]
    opt = getattr(torch.optim, name)(tp, **kw, foreach=False)
    sched = scheduler(opt) if scheduler else None
    for _ in range(n):
        opt.zero_grad()
        loss_fn(tp).backward()
        opt.step()
        if sched:
            sched.step()
    return [t.detach().numpy() for t in tp]


@pytest.mark.parametrize(("cls", "name", "kwargs"), CONFIGS, ids=IDS)
def test_agrees_with_torch_on_a_quadratic(cls, name, kwargs, rng):
    torch = pytest.importorskip("torch")
    A = rng.standard_normal((4, 4))
    A = A @ A.T + np.eye(4)
    b = rng.standard_normal(4)
    x0 = rng.standard_normal(4)
    At, bt = torch.tensor(A), torch.tensor(b)
    ref = _torch_run(torch, name, kwargs, [x0], lambda p: 0.5 * p[0] @ At @ p[0] - bt @ p[0], 100)
    ours, _ = _run(cls(**kwargs), [x0], lambda p: [A @ p[0] - b], 100)
    np.testing.assert_allclose(ours[0], ref[0], rtol=0, atol=1e-10)


@pytest.mark.parametrize(("cls", "name", "kwargs"), CONFIGS, ids=IDS)
def test_agrees_with_torch_on_a_small_mlp(cls, name, kwargs, rng):
    # both sides take their gradients from the same torch function, so any difference is the
    # optimizer's (m4ml.autodiff's gradients are tested against torch in tests/autodiff)
    torch = pytest.importorskip("torch")
    X = torch.tensor(rng.standard_normal((32, 3)))
    y = torch.sin(X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64))
    # non-zero biases: from zero biases RMSprop's first step is lr * sign(g) / sqrt(1 - alpha)
    # on tiny gradients, and the trajectory becomes chaotic (torch against itself perturbed by
    # 1e-15 already differs by 1e-5)
    params = [
        rng.standard_normal((3, 8)) * 0.5,
        rng.standard_normal(8) * 0.3,
        rng.standard_normal((8, 1)) * 0.5,
        rng.standard_normal(1) * 0.3,
    ]

    def loss(p):
        out = (torch.tanh(X @ p[0] + p[1]) @ p[2] + p[3])[:, 0]
        return torch.mean((out - y) ** 2)

    def grad_fn(p):
        tp = [torch.tensor(v, requires_grad=True) for v in p]
        loss(tp).backward()
        return [t.grad.numpy() for t in tp]

    ref = _torch_run(torch, name, kwargs, params, loss, 100)
    ours, _ = _run(cls(**kwargs), params, grad_fn, 100)
    for a, r in zip(ours, ref):
        np.testing.assert_allclose(a, r, rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    ("schedule", "make"),
    [
        (exponential_decay(0.05, 0.97), lambda t, o: t.optim.lr_scheduler.ExponentialLR(o, 0.97)),
        (step_decay(0.05, 10, 0.5), lambda t, o: t.optim.lr_scheduler.StepLR(o, 10, 0.5)),
        (
            cosine_decay(0.05, 100, alpha=0.1),
            lambda t, o: t.optim.lr_scheduler.CosineAnnealingLR(o, 100, eta_min=0.005),
        ),
    ],
    ids=["exponential", "step", "cosine"],
)
def test_scheduled_adam_agrees_with_torch_scheduler(schedule, make, rng):
    torch = pytest.importorskip("torch")
    A = np.diag([1.0, 10.0])
    x0 = rng.standard_normal(2)
    At = torch.tensor(A)
    ref = _torch_run(
        torch, "Adam", {"learning_rate": 0.05}, [x0], lambda p: 0.5 * p[0] @ At @ p[0], 100,
        scheduler=lambda o: make(torch, o),
    )  # fmt: skip
    ours, _ = _run(Adam(schedule), [x0], lambda p: [A @ p[0]], 100)
    np.testing.assert_allclose(ours[0], ref[0], rtol=0, atol=1e-10)


@pytest.mark.parametrize("cls", [SGD, AdaGrad, RMSprop, Adam, AdamW], ids=lambda c: c.__name__)
def test_blocked_update_equals_one_block(cls, rng, monkeypatch):
    from m4ml.optim import _optimizer_base

    p = {"a": rng.standard_normal((4, 5)), "b": rng.standard_normal(7)}
    g = {"a": rng.standard_normal((4, 5)), "b": rng.standard_normal(7)}
    kw = {"momentum": 0.9} if cls in (SGD, RMSprop) else {}
    whole, _ = _run(cls(0.01, **kw), p, lambda q: g, 5)
    monkeypatch.setattr(_optimizer_base, "_BLOCK", 3)
    blocked, _ = _run(cls(0.01, **kw), p, lambda q: g, 5)
    np.testing.assert_array_equal(whole["a"], blocked["a"])
    np.testing.assert_array_equal(whole["b"], blocked["b"])


# -- non-finite parameters and overflowing updates (issue 9's bad-input catalogue) --------------

ALL = [
    SGD(0.1),
    SGD(0.1, momentum=0.9, nesterov=True),
    AdaGrad(),
    RMSprop(),
    RMSprop(centered=True, momentum=0.5),
    Adam(),
    Adam(amsgrad=True),
    AdamW(),
]


@pytest.mark.parametrize("opt", ALL, ids=repr)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_params_are_refused_and_the_state_kept(opt, bad):
    p = {"w": np.array([1.0, bad, 2.0]), "b": np.zeros(1)}
    g = {"w": np.ones(3), "b": np.ones(1)}
    s = opt.init({"w": np.ones(3), "b": np.zeros(1)})
    before = s.copy()
    with pytest.raises(ValueError, match="params contains NaN or infinity"):
        opt.step(p, g, s)
    for k, v in before.buffers.items():  # checked before anything was touched
        np.testing.assert_array_equal(s.buffers[k], v)
    new, _ = opt.step({"w": np.ones(3), "b": np.zeros(1)}, g, s)  # the state is still usable
    assert np.isfinite(new["w"]).all()


@pytest.mark.parametrize("opt", ALL[2:], ids=repr)
@pytest.mark.parametrize("scale", [1e155, 1e200, 1e308])
def test_squared_gradients_that_overflow_are_refused(opt, scale):
    # g^2 overflows the second-moment buffer; before, the step became silently zero (inf in a
    # denominator) with an "overflow encountered" RuntimeWarning
    s = opt.init(np.ones(3))
    with pytest.raises(ValueError, match=r"grads too large .*largest \|grads\| = 1e\+"):
        opt.step(np.ones(3), np.array([1.0, scale, -2.0]), s)
    with pytest.raises(ValueError, match="consumed"):
        opt.step(np.ones(3), np.ones(3), s)


def test_adagrad_sum_overflowing_over_steps_is_refused():
    opt = AdaGrad(0.1)
    p, s = np.zeros(2), opt.init(np.zeros(2))
    g = np.array([1e154, 1.0])  # g^2 = 1e308 fits; the accumulated sum does not, at step 2
    p, s = opt.step(p, g, s)
    with pytest.raises(ValueError, match="grads too large"):
        opt.step(p, g, s)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_update_overflowing_is_refused(momentum):
    opt = SGD(1.0, momentum=momentum)
    s = opt.init(np.zeros(2))
    with pytest.raises(ValueError, match=r"largest \|params\| = 1\.5e\+308"):
        opt.step(np.array([1.5e308, 0.0]), np.array([-1.5e308, 0.0]), s)


@pytest.mark.parametrize("opt", [SGD(1e-3), SGD(1e-3, momentum=0.9)], ids=repr)
def test_large_finite_values_are_not_a_false_alarm(opt):
    # the cheap check is a dot product, which overflows for these finite vectors: an exact
    # check then clears them
    p, g = np.array([1e200, -3e200, 1.0]), np.array([2e200, 1e200, 1.0])
    new, _ = opt.step(p, g, opt.init(p))
    np.testing.assert_allclose(new, p - 1e-3 * g, rtol=1e-15)


def test_centered_rmsprop_variance_rounding_below_zero_is_clamped():
    # alpha = 1e-16, gradients 1 then 1 + 4 ulp: v - m^2 rounds below zero at step 2 (it is
    # ~1e-16 * (g2 - g1)^2 >= 0 exactly); its square root was NaN and so were the parameters
    opt = RMSprop(0.01, alpha=1e-16, centered=True)
    p, s = np.zeros(1), opt.init(np.zeros(1))
    a, v, m, ref = 1e-16, 0.0, 0.0, 0.0
    for g in (1.0, 1.0000000000000009, 1.0):
        p, s = opt.step(p, np.array([g]), s)
        v = a * v + (1 - a) * g * g  # the same recursion in scalars, with the clamp
        m += (1 - a) * (g - m)
        ref -= 0.01 * g / (np.sqrt(max(v - m * m, 0.0)) + 1e-8)
        assert np.isfinite(p).all()
        np.testing.assert_allclose(p, [ref], rtol=1e-6)
