"""Agreement checks for benchmark workloads: m4ml and its reference must agree before timing."""

import numpy as np


def checked(setup, m4ml, reference, compare):
    """Wrap ``setup`` so that it runs both implementations once and ``compare``s the outputs.

    ``compare(ours, theirs)`` raises AssertionError when they disagree; the runner then reports
    the workload as failed instead of timing two different computations.
    """

    def run():
        inputs = setup()
        compare(m4ml(*inputs), reference(*inputs))
        return inputs

    return run


def close(rtol=1e-8):
    """Compare arrays (or tuples of arrays) to ``rtol`` relative to the reference's scale."""

    def compare(ours, theirs):
        if isinstance(theirs, tuple):
            for a, b in zip(ours, theirs, strict=True):
                compare(a, b)
            return
        ours, theirs = np.asarray(ours), np.asarray(theirs)
        assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
        scale = max(float(np.abs(theirs).max(initial=0.0)), 1e-300)
        err = float(np.abs(ours - theirs).max(initial=0.0))
        assert err <= rtol * scale, f"m4ml and reference differ: {err:.3g} > {rtol} * {scale:.3g}"

    return compare


def close_up_to_signs(rtol=1e-8):
    """Compare factors that are unique up to the signs of rows/columns (QR, SVD): |.| agree."""
    inner = close(rtol)

    def compare(ours, theirs):
        if isinstance(theirs, tuple):
            for a, b in zip(ours, theirs, strict=True):
                inner(np.abs(a), np.abs(b))
        else:
            inner(np.abs(ours), np.abs(theirs))

    return compare
