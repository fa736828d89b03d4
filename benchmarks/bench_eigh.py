"""Symmetric eigenproblem: m4ml vs numpy.linalg on identical inputs."""

import numpy as np

from benchmarks._agree import checked, close
from benchmarks.workload import Workload


def _symmetric(n, seed=0, stack=()):
    def setup():
        a = np.random.default_rng(seed).standard_normal((*stack, n, n))
        return (a + np.swapaxes(a, -1, -2),)

    return setup


def _eigenvalues_agree(rtol=1e-10):
    """Eigenvalues agree (the vectors are unique only up to sign)."""
    inner = close(rtol)

    def compare(ours, theirs):
        inner(ours[0] if isinstance(ours, tuple) else ours, theirs[0])

    return compare


def _workload(name, setup, m4ml, reference, reference_name, target=None):
    return Workload(
        name=name,
        group="linalg",
        setup=checked(setup, m4ml, reference, _eigenvalues_agree()),
        m4ml=m4ml,
        reference=reference,
        reference_name=reference_name,
        target=target,
    )


def _eigh(A):
    from m4ml.linalg.eigh import eigh

    return eigh(A)


def _eigvalsh(A):
    from m4ml.linalg.eigh import eigvalsh

    return eigvalsh(A)


WORKLOADS = [
    _workload("eigh 500x500", _symmetric(500), _eigh, np.linalg.eigh, "numpy.linalg.eigh", 5.0),
    Workload(
        name="eigvalsh 500x500",
        group="linalg",
        setup=checked(_symmetric(500), _eigvalsh, np.linalg.eigvalsh, close(1e-10)),
        m4ml=_eigvalsh,
        reference=np.linalg.eigvalsh,
        reference_name="numpy.linalg.eigvalsh",
    ),
    _workload("eigh 100x100", _symmetric(100), _eigh, np.linalg.eigh, "numpy.linalg.eigh"),
    *[
        _workload(f"eigh {n}x{n}", _symmetric(n), _eigh, np.linalg.eigh, "numpy.linalg.eigh", 10.0)
        for n in (2, 3, 4, 8, 16)
    ],
    _workload(
        "eigh stack 1000x4x4",
        _symmetric(4, stack=(1000,)),
        _eigh,
        np.linalg.eigh,
        "numpy.linalg.eigh (stacked)",
        5.0,
    ),
    _workload(
        "eigh stack 100x32x32",
        _symmetric(32, stack=(100,)),
        _eigh,
        np.linalg.eigh,
        "numpy.linalg.eigh (stacked)",
        5.0,
    ),
]
