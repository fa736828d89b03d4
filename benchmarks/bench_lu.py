"""LU family, Cholesky and triangular solves: m4ml vs numpy.linalg / scipy.linalg, same inputs."""

import numpy as np

from benchmarks._agree import checked, close
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


def _general_one_rhs():
    rng = np.random.default_rng(4)
    return rng.standard_normal((N, N)), rng.standard_normal(N)


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


def _scipy_lu_factor(A):
    import scipy.linalg

    return scipy.linalg.lu_factor(A)


def _workload(name, setup, module, func, reference, reference_name, target, rtol=1e-8):
    m4ml = _m4ml(module, func)
    return Workload(
        name=name,
        group="linalg",
        setup=checked(setup, m4ml, reference, close(rtol)),
        m4ml=m4ml,
        reference=reference,
        reference_name=reference_name,
        target=target,
    )


WORKLOADS = [
    _workload(
        f"solve {N}x{N}, {N} right-hand sides",
        _general_rhs,
        "solve",
        "solve",
        np.linalg.solve,
        "numpy.linalg.solve",
        2.0,
        rtol=1e-6,
    ),
    _workload(
        f"solve {N}x{N}, 1 right-hand side",
        _general_one_rhs,
        "solve",
        "solve",
        np.linalg.solve,
        "numpy.linalg.solve",
        2.0,
        rtol=1e-6,
    ),
    _workload(
        f"lu_factor {N}x{N}",
        _general,
        "lu",
        "lu_factor",
        _scipy_lu_factor,
        "scipy.linalg.lu_factor",
        2.0,
    ),
    _workload(
        f"inv {N}x{N}", _general, "solve", "inv", np.linalg.inv, "numpy.linalg.inv", 2.0, 1e-6
    ),
    _workload(
        f"det {N}x{N}", _general_scaled, "det", "det", np.linalg.det, "numpy.linalg.det", 2.0
    ),
    _workload(
        f"cholesky {N}x{N}",
        _spd,
        "cholesky",
        "cholesky",
        np.linalg.cholesky,
        "numpy.linalg.cholesky",
        2.0,
    ),
    _workload(
        f"solve_triangular {N}x{N}, {N} right-hand sides",
        _triangular_rhs,
        "triangular",
        "solve_triangular",
        _scipy_solve_triangular,
        "scipy.linalg.solve_triangular",
        None,
    ),
    _workload(f"lu {N}x{N} (P, L, U)", _general, "lu", "lu", _scipy_lu, "scipy.linalg.lu", None),
]
