"""Optimizers: one Adam step over a 1M-parameter pytree, m4ml vs torch.optim.Adam(foreach=True).

Issue 5's target: within 1.5x of PyTorch on CPU. Both sides work in float64 on the same
values; the parameters are a dict of four arrays (an MLP 500-1000-499's weights and biases,
1,000,499 parameters), the gradients are fixed. Each call is one optimizer step (m4ml: flatten
params and grads, update the moments, return new params; torch: in-place foreach update).
Skipped when torch is not installed.
"""

import importlib.util

import numpy as np

from benchmarks.workload import Workload

SHAPES = {"W1": (500, 1000), "b1": (1000,), "W2": (1000, 499), "b2": (499,)}


def _setup():
    rng = np.random.default_rng(0)
    params = {k: rng.standard_normal(s) for k, s in SHAPES.items()}
    grads = {k: rng.standard_normal(s) for k, s in SHAPES.items()}
    return params, grads, {}


def _m4ml_adam(params, grads, box):
    from m4ml.optim.optimizers import Adam

    if "m4ml" not in box:
        opt = Adam(1e-3)
        box["m4ml"] = [opt, params, opt.init(params)]
    opt, p, s = box["m4ml"]
    box["m4ml"][1:] = opt.step(p, grads, s)


def _torch_adam(params, grads, box):
    import torch  # its thread count follows OMP_NUM_THREADS, set by the runner

    if "torch" not in box:
        ps = [torch.tensor(params[k], requires_grad=True) for k in SHAPES]
        for p, k in zip(ps, SHAPES):
            p.grad = torch.tensor(grads[k])
        box["torch"] = torch.optim.Adam(ps, lr=1e-3, foreach=True)
    box["torch"].step()


WORKLOADS = []
if importlib.util.find_spec("torch") is not None:
    WORKLOADS.append(
        Workload(
            name="Adam step, 1M-parameter pytree (4 arrays), float64",
            group="optim",
            setup=_setup,
            m4ml=_m4ml_adam,
            reference=_torch_adam,
            reference_name="torch.optim.Adam(foreach=True)",
            target=1.5,
            repeats=21,
        )
    )
