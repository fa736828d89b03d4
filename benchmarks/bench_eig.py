"""General (nonsymmetric) eigenproblem: m4ml vs numpy.linalg on identical inputs."""

import numpy as np

from benchmarks.workload import Workload


def _gaussian(n, seed=0):
    def setup():
        return (np.random.default_rng(seed).standard_normal((n, n)),)

    return setup


def _eig(A):
    from m4ml.linalg.eig import eig

    return eig(A)


def _eigvals(A):
    from m4ml.linalg.eig import eigvals

    return eigvals(A)


WORKLOADS = [
    Workload(
        name="eig 100x100",
        group="linalg",
        setup=_gaussian(100),
        m4ml=_eig,
        reference=np.linalg.eig,
        reference_name="numpy.linalg.eig",
    ),
    Workload(
        name="eig 300x300",
        group="linalg",
        setup=_gaussian(300),
        m4ml=_eig,
        reference=np.linalg.eig,
        reference_name="numpy.linalg.eig",
        repeats=3,
    ),
    Workload(
        name="eigvals 300x300",
        group="linalg",
        setup=_gaussian(300),
        m4ml=_eigvals,
        reference=np.linalg.eigvals,
        reference_name="numpy.linalg.eigvals",
        repeats=3,
    ),
]
