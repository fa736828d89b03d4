"""Counterexamples found by the explore profile (M4ML_HYPOTHESIS=explore), pinned.

Each test holds one matrix an exploration run found, with a reference that does not depend on
the LAPACK routine that happened to be the test's reference at the time (see below).
"""

import math

import numpy as np

from m4ml.linalg import eigh, eigvals, eigvalsh

# found with --hypothesis-seed=21 by tests/linalg/test_scaling.py::test_eigh_badly_scaled
# (entries from 1e-163 to 3e149, symmetric)
BADLY_SCALED = np.array(
    [
        [
            1.03662195e-10,
            -3.62728892e-161,
            -3.66857553e-161,
            -9.82890253e-163,
            2.23612059e-11,
            -1.77792254e-160,
            -8.07668511e-161,
        ],
        [
            -3.62728892e-161,
            -1.77708318e-161,
            9.74900857e-101,
            -2.46199003e-161,
            -1.68135991e149,
            9.22763455e-101,
            -1.83454575e-155,
        ],
        [
            -3.66857553e-161,
            9.74900857e-101,
            -1.33429718e-101,
            -1.54090014e-161,
            3.22376446e149,
            -4.01451076e-101,
            -8.81685356e-156,
        ],
        [
            -9.82890253e-163,
            -2.46199003e-161,
            -1.54090014e-161,
            1.17701735e-161,
            -2.70687937e-12,
            -1.1048017e-160,
            5.74877837e-162,
        ],
        [
            2.23612059e-11,
            -1.68135991e149,
            3.22376446e149,
            -2.70687937e-12,
            -2.55151611e49,
            -4.48004096e-161,
            1.34805468e-161,
        ],
        [
            -1.77792254e-160,
            9.22763455e-101,
            -4.01451076e-101,
            -1.1048017e-160,
            -4.48004096e-161,
            9.30428255e-161,
            1.61333753e-160,
        ],
        [
            -8.07668511e-161,
            -1.83454575e-155,
            -8.81685356e-156,
            5.74877837e-162,
            1.34805468e-161,
            1.61333753e-160,
            7.26919526e-161,
        ],
    ]
)


def _weyl_reference(a, threshold):
    """Eigenvalues of ``a`` split as ``A0 + E``: the closed form of ``A0`` and the bound ``|E|_F``.

    ``A0`` keeps the entries with ``|a_ij| >= threshold``: here a symmetric arrow whose only
    nonzeros are ``b = a[4, [1, 2]]`` (mirrored) and ``c = a[4, 4]``, with the eigenvalues
    ``c/2 +- sqrt(c^2/4 + |b|^2)`` and five zeros. By Weyl's inequality every eigenvalue of
    ``a`` lies within ``|E|_2 <= |E|_F`` of the matching one of ``A0``.
    """
    big = np.abs(a) >= threshold
    assert set(zip(*np.nonzero(big), strict=True)) == {(1, 4), (2, 4), (4, 1), (4, 2), (4, 4)}
    nb = math.hypot(a[4, 1], a[4, 2])  # no overflow: hypot scales
    c = a[4, 4]
    r = math.hypot(0.5 * c, nb)
    w0 = np.sort([0.5 * c - r, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5 * c + r])
    e = np.where(big, 0.0, a)
    return w0, float(np.linalg.norm(e))


# found with --hypothesis-seed=21 by tests/linalg/test_scaling.py::test_eigh_badly_scaled.
# It failed there against numpy.linalg.eigvalsh, whose values-only LAPACK path (dsterf, the
# root-free QL iteration; dsteqr, dstev and dsyevr/dsyevx agree with it) returns the extreme
# eigenvalues +-3.63790e149. The true ones are +-3.635880697743e149 (mpmath at 700 digits;
# the closed form below), which m4ml returns; numpy.linalg.eigh (dsteqr with vectors) and the
# bisection dstebz agree with m4ml. The test is kept as a regression test against the closed
# form.
def test_eigvalsh_of_a_matrix_mixing_1e149_and_1e_161_entries():
    w0, bound = _weyl_reference(BADLY_SCALED, 1e40)
    assert bound < 1e-9
    scale = np.abs(w0).max()
    for w in (eigvalsh(BADLY_SCALED), eigh(BADLY_SCALED).eigenvalues):
        # the extreme ones to the last bits; the five near 0 to eps * |A| (backward stable)
        np.testing.assert_allclose(w[[0, -1]], w0[[0, -1]], rtol=4e-16)
        assert np.abs(w - w0).max() <= 1e-14 * scale + bound
    wg = np.sort(eigvals(BADLY_SCALED).real)
    np.testing.assert_allclose(wg[[0, -1]], w0[[0, -1]], rtol=1e-15)
    _, V = eigh(BADLY_SCALED)
    np.testing.assert_allclose(V.T @ V, np.eye(7), rtol=0, atol=1e-15 * 7)
    big = math.ldexp(1.0, -math.frexp(scale)[1])  # residual on the matrix scaled to unit size
    res = (BADLY_SCALED * big) @ V - V * (w0 * big)
    assert np.abs(res).max() <= 1e-14
