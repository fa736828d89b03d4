"""SVD and what is built on it: m4ml vs numpy.linalg on identical inputs."""

import numpy as np

from benchmarks._agree import checked, close
from benchmarks.workload import Workload


def _matrix(m, n, seed=0, stack=()):
    def setup():
        return (np.random.default_rng(seed).standard_normal((*stack, m, n)),)

    return setup


def _values_agree(rtol=1e-10, index=1):
    """Singular values agree (``index`` picks them out of a result tuple)."""
    inner = close(rtol)

    def compare(ours, theirs):
        pick = lambda r: r[index] if isinstance(r, tuple) else r  # noqa: E731
        inner(pick(ours), pick(theirs))

    return compare


def _planted(top=1000.0, bottom=200.0, seed=0):
    """20000 x 200: rank-10 signal (singular values top..bottom) plus unit Gaussian noise.

    The noise alone has singular values up to about sqrt(20000) + sqrt(200) = 155, so the
    default 1000..200 signal leaves a weak gap (sigma_11 / sigma_10 = 0.63) and 5000..1000 a
    clear one (0.15); docs/linalg.md gives the accuracy of each.
    """

    def setup():
        rng = np.random.default_rng(seed)
        m, n, k = 20000, 200, 10
        U, _ = np.linalg.qr(rng.standard_normal((m, k)))
        V, _ = np.linalg.qr(rng.standard_normal((n, k)))
        return ((U * np.linspace(top, bottom, k)) @ V.T + rng.standard_normal((m, n)),)

    return setup


def _svd(A):
    from m4ml.linalg.svd import svd

    return svd(A, full_matrices=False)


def _svdvals(A):
    from m4ml.linalg.svd import svdvals

    return svdvals(A)


def _randomized(A):
    from m4ml.linalg.randomized import randomized_svd

    return randomized_svd(A, 10, rng=0)


def _pinv(A):
    from m4ml.linalg.pinv import pinv

    return pinv(A)


def _np_svd(A):
    return np.linalg.svd(A, full_matrices=False)


WORKLOADS = [
    Workload(
        name="svd 500x500 (reduced, U, S, Vh)",
        group="linalg",
        setup=checked(_matrix(500, 500), _svd, _np_svd, _values_agree()),
        m4ml=_svd,
        reference=_np_svd,
        reference_name="numpy.linalg.svd",
        target=5.0,
    ),
    Workload(
        name="svdvals 500x500",
        group="linalg",
        setup=checked(
            _matrix(500, 500),
            _svdvals,
            lambda A: np.linalg.svd(A, compute_uv=False),
            _values_agree(),
        ),
        m4ml=_svdvals,
        reference=lambda A: np.linalg.svd(A, compute_uv=False),
        reference_name="numpy.linalg.svd(compute_uv=False)",
    ),
    Workload(
        name="svd 2000x200 (reduced)",
        group="linalg",
        setup=checked(_matrix(2000, 200), _svd, _np_svd, _values_agree()),
        m4ml=_svd,
        reference=_np_svd,
        reference_name="numpy.linalg.svd",
    ),
    Workload(
        name="randomized_svd 20000x200 k=10 (signal 1000..200) vs full svd",
        group="linalg",
        setup=_planted(),
        m4ml=_randomized,
        reference=_np_svd,
        reference_name="numpy.linalg.svd(full_matrices=False)",
        target=1.0,
        repeats=5,
    ),
    Workload(
        name="randomized_svd 20000x200 k=10 (signal 5000..1000) vs full svd",
        group="linalg",
        setup=_planted(5000.0, 1000.0),
        m4ml=_randomized,
        reference=_np_svd,
        reference_name="numpy.linalg.svd(full_matrices=False)",
        target=1.0,
        repeats=5,
    ),
    Workload(
        name="pinv 500x500",
        group="linalg",
        setup=checked(_matrix(500, 500), _pinv, np.linalg.pinv, close(1e-8)),
        m4ml=_pinv,
        reference=np.linalg.pinv,
        reference_name="numpy.linalg.pinv",
    ),
    *[
        Workload(
            name=f"svd {n}x{n} (reduced)",
            group="linalg",
            setup=checked(_matrix(n, n), _svd, _np_svd, _values_agree()),
            m4ml=_svd,
            reference=_np_svd,
            reference_name="numpy.linalg.svd(full_matrices=False)",
            target=10.0,
        )
        for n in (2, 3, 4, 8, 16)
    ],
    Workload(
        name="svd stack 1000x4x4 (reduced)",
        group="linalg",
        setup=checked(_matrix(4, 4, stack=(1000,)), _svd, _np_svd, _values_agree()),
        m4ml=_svd,
        reference=_np_svd,
        reference_name="numpy.linalg.svd (stacked)",
    ),
]
