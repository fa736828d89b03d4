"""LU family, Cholesky and triangular solves: m4ml vs numpy.linalg / scipy.linalg, same inputs."""

import numpy as np

from benchmarks.workload import Workload

N = 500


def _general():
    return (np.random.default_rng(0).standard_normal((N, N)),)


def _general_scaled():
    """Entries of variance 1/N: |det| about 1e-110, representable, so neither library
    overflows (the unscaled matrix has |det| near e^1300 = inf)."""
    return (np.random.default_rng(0).standard_normal((N, N)) / np.sqrt(N),)


def _general_rhs():
    rng = np.random.default_rng(1)
    return rng.standard_normal((N, N)), rng.standard_normal((N, N))


def _spd():
    q, _ = np.linalg.qr(np.random.default_rng(2).standard_normal((N, N)))
    A = (q * np.linspace(1.0, 10.0, N)) @ q.T
    return ((A + A.T) / 2,)


def _triangular_rhs():
    rng = np.random.default_rng(3)
    L = np.tril(rng.standard_normal((N, N))) / np.sqrt(N) + 2.0 * np.eye(N)
    return L, rng.standard_normal((N, N))


def _m4ml(module, name, **kwargs):
    def run(*args):
        mod = __import__(f"m4ml.linalg.{module}", fromlist=[name])
        return getattr(mod, name)(*args, **kwargs)

    return run


def _scipy_solve_triangular(L, B):
    import scipy.linalg

    return scipy.linalg.solve_triangular(L, B, lower=True)


def _scipy_lu(A):
    import scipy.linalg

    return scipy.linalg.lu(A)


WORKLOADS = [
    Workload(
        name=f"solve {N}x{N}, {N} right-hand sides",
        group="linalg",
        setup=_general_rhs,
        m4ml=_m4ml("solve", "solve"),
        reference=np.linalg.solve,
        reference_name="numpy.linalg.solve",
        target=2.0,
    ),
    Workload(
        name=f"inv {N}x{N}",
        group="linalg",
        setup=_general,
        m4ml=_m4ml("solve", "inv"),
        reference=np.linalg.inv,
        reference_name="numpy.linalg.inv",
        target=2.0,
    ),
    Workload(
        name=f"det {N}x{N}",
        group="linalg",
        setup=_general_scaled,
        m4ml=_m4ml("det", "det"),
        reference=np.linalg.det,
        reference_name="numpy.linalg.det",
        target=2.0,
    ),
    Workload(
        name=f"cholesky {N}x{N}",
        group="linalg",
        setup=_spd,
        m4ml=_m4ml("cholesky", "cholesky"),
        reference=np.linalg.cholesky,
        reference_name="numpy.linalg.cholesky",
        target=2.0,
    ),
    Workload(
        name=f"solve_triangular {N}x{N}, {N} right-hand sides",
        group="linalg",
        setup=_triangular_rhs,
        m4ml=_m4ml("triangular", "solve_triangular"),
        reference=_scipy_solve_triangular,
        reference_name="scipy.linalg.solve_triangular",
        target=None,
    ),
    Workload(
        name=f"lu {N}x{N} (P, L, U)",
        group="linalg",
        setup=_general,
        m4ml=_m4ml("lu", "lu"),
        reference=_scipy_lu,
        reference_name="scipy.linalg.lu",
        target=None,
    ),
]
