"""General (nonsymmetric) eigenproblem: m4ml vs numpy.linalg on identical inputs."""

import numpy as np

from benchmarks._agree import checked
from benchmarks.workload import Workload


def _spectra_agree(rtol=1e-8):
    """The eigenvalues agree as sets (sorted), relative to the largest modulus."""

    def compare(ours, theirs):
        w = ours[0] if isinstance(ours, tuple) else ours
        wr = theirs[0] if isinstance(theirs, tuple) else theirs
        w, wr = np.sort_complex(np.asarray(w, complex)), np.sort_complex(np.asarray(wr, complex))
        err, scale = np.abs(w - wr).max(), np.abs(wr).max()
        assert err <= rtol * scale, f"eigenvalues differ: {err:.3g} > {rtol} * {scale:.3g}"

    return compare


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
        setup=checked(_gaussian(100), _eig, np.linalg.eig, _spectra_agree()),
        m4ml=_eig,
        reference=np.linalg.eig,
        reference_name="numpy.linalg.eig",
        target=10.0,
    ),
    Workload(
        name="eig 300x300",
        group="linalg",
        setup=checked(_gaussian(300), _eig, np.linalg.eig, _spectra_agree()),
        m4ml=_eig,
        reference=np.linalg.eig,
        reference_name="numpy.linalg.eig",
        target=10.0,
        repeats=3,
    ),
    Workload(
        name="eigvals 300x300",
        group="linalg",
        setup=checked(_gaussian(300), _eigvals, np.linalg.eigvals, _spectra_agree()),
        m4ml=_eigvals,
        reference=np.linalg.eigvals,
        reference_name="numpy.linalg.eigvals",
        repeats=3,
    ),
]
