"""QR factorization and least squares: m4ml vs numpy.linalg on identical inputs."""

import numpy as np

from benchmarks._agree import checked, close, close_up_to_signs
from benchmarks.workload import Workload


def _matrix(m, n, seed=0):
    def setup():
        return (np.random.default_rng(seed).standard_normal((m, n)),)

    return setup


def _qr(mode):
    def run(A):
        from m4ml.linalg.qr import qr

        return qr(A, mode=mode)

    return run


def _np_qr(mode):
    def run(A):
        return np.linalg.qr(A, mode=mode)

    return run


def _problem(m, n, seed=0):
    def setup():
        rng = np.random.default_rng(seed)
        return rng.standard_normal((m, n)), rng.standard_normal(m)

    return setup


def _lstsq(A, b):
    from m4ml.linalg.lstsq import lstsq

    return lstsq(A, b)


def _np_lstsq(A, b):
    return np.linalg.lstsq(A, b, rcond=None)


WORKLOADS = [
    Workload(
        name="qr 500x500 (reduced, Q and R)",
        group="linalg",
        setup=checked(
            _matrix(500, 500), _qr("reduced"), _np_qr("reduced"), close_up_to_signs(1e-8)
        ),
        m4ml=_qr("reduced"),
        reference=_np_qr("reduced"),
        reference_name="numpy.linalg.qr",
        target=2.0,
    ),
    Workload(
        name="qr 500x500 (mode='r')",
        group="linalg",
        setup=checked(_matrix(500, 500), _qr("r"), _np_qr("r"), close_up_to_signs(1e-8)),
        m4ml=_qr("r"),
        reference=_np_qr("r"),
        reference_name="numpy.linalg.qr",
    ),
    Workload(
        name="qr 5000x100 (reduced, Q and R)",
        group="linalg",
        setup=checked(
            _matrix(5000, 100), _qr("reduced"), _np_qr("reduced"), close_up_to_signs(1e-8)
        ),
        m4ml=_qr("reduced"),
        reference=_np_qr("reduced"),
        reference_name="numpy.linalg.qr",
    ),
    Workload(
        name="qr 5000x100 (mode='r')",
        group="linalg",
        setup=checked(_matrix(5000, 100), _qr("r"), _np_qr("r"), close_up_to_signs(1e-8)),
        m4ml=_qr("r"),
        reference=_np_qr("r"),
        reference_name="numpy.linalg.qr",
    ),
    Workload(
        name="lstsq 1000x100 (vector b)",
        group="linalg",
        setup=checked(_problem(1000, 100), _lstsq, _np_lstsq, close(1e-9)),
        m4ml=_lstsq,
        reference=_np_lstsq,
        reference_name="numpy.linalg.lstsq",
        target=3.0,
    ),
    Workload(
        name="lstsq 300x300 (vector b)",
        group="linalg",
        setup=checked(_problem(300, 300), _lstsq, _np_lstsq, lambda a, b: close(1e-6)(a[0], b[0])),
        m4ml=_lstsq,
        reference=_np_lstsq,
        reference_name="numpy.linalg.lstsq",
    ),
]
