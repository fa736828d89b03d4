"""Symmetric eigenproblem: m4ml vs numpy.linalg on identical inputs."""

import numpy as np

from benchmarks.workload import Workload


def _symmetric(n, seed=0):
    def setup():
        a = np.random.default_rng(seed).standard_normal((n, n))
        return (a + a.T,)

    return setup


def _eigh(A):
    from m4ml.linalg.eigh import eigh

    return eigh(A)


def _eigvalsh(A):
    from m4ml.linalg.eigh import eigvalsh

    return eigvalsh(A)


WORKLOADS = [
    Workload(
        name="eigh 500x500",
        group="linalg",
        setup=_symmetric(500),
        m4ml=_eigh,
        reference=np.linalg.eigh,
        reference_name="numpy.linalg.eigh",
        target=5.0,
    ),
    Workload(
        name="eigvalsh 500x500",
        group="linalg",
        setup=_symmetric(500),
        m4ml=_eigvalsh,
        reference=np.linalg.eigvalsh,
        reference_name="numpy.linalg.eigvalsh",
    ),
    Workload(
        name="eigh 100x100",
        group="linalg",
        setup=_symmetric(100),
        m4ml=_eigh,
        reference=np.linalg.eigh,
        reference_name="numpy.linalg.eigh",
    ),
]
