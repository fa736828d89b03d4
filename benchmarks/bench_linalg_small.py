"""Small matrices and stacks of them: solve, det, inv, cholesky, qr vs numpy.linalg.

A learner's matrices are 2x2 to 16x16, and models factor many small matrices at once (per-class
covariances, mixture components). Stacks are computed vectorized across the stack in m4ml.
"""

import numpy as np

from benchmarks._agree import checked, close, close_up_to_signs
from benchmarks.workload import Workload

SMALL = (2, 3, 4, 8, 16)
STACKS = ((1000, 4), (100, 32))


def _general(shape, seed):
    def setup():
        rng = np.random.default_rng(seed)
        n = shape[-1]
        return (rng.standard_normal(shape) + n**0.5 * np.eye(n),)  # comfortably nonsingular

    return setup


def _with_rhs(shape, seed):
    def setup():
        rng = np.random.default_rng(seed)
        n = shape[-1]
        A = rng.standard_normal(shape) + n**0.5 * np.eye(n)
        b = rng.standard_normal((*shape[:-1], 1)) if len(shape) > 2 else rng.standard_normal(n)
        return A, b

    return setup


def _spd(shape, seed):
    def setup():
        X = np.random.default_rng(seed).standard_normal(shape)
        return (X @ np.swapaxes(X, -1, -2) + shape[-1] * np.eye(shape[-1]),)

    return setup


def _m4ml(module, name):
    def run(*args):
        mod = __import__(f"m4ml.linalg.{module}", fromlist=[name])
        return getattr(mod, name)(*args)

    return run


_FUNCS = {
    "solve": (_with_rhs, "solve", "solve", np.linalg.solve, close(1e-9)),
    "det": (_general, "det", "det", np.linalg.det, close(1e-9)),
    "inv": (_general, "solve", "inv", np.linalg.inv, close(1e-9)),
    "cholesky": (_spd, "cholesky", "cholesky", np.linalg.cholesky, close(1e-9)),
    "qr": (_general, "qr", "qr", np.linalg.qr, close_up_to_signs(1e-9)),
}


def _workload(func, shape, label):
    make, module, name, reference, compare = _FUNCS[func]
    setup = make(shape, seed=sum(shape))
    m4ml = _m4ml(module, name)
    return Workload(
        name=f"{func} {label}",
        group="linalg",
        setup=checked(setup, m4ml, reference, compare),
        m4ml=m4ml,
        reference=reference,
        reference_name=f"numpy.linalg.{name}",
        target=5.0,
        repeats=25,
    )


WORKLOADS = [
    _workload(func, (n, n), f"{n}x{n}")
    for func in ("solve", "det", "inv", "cholesky", "qr")
    for n in SMALL
] + [
    _workload(func, (count, n, n), f"stack of {count} {n}x{n}")
    for func in ("det", "solve", "cholesky", "inv")
    for count, n in STACKS
]
