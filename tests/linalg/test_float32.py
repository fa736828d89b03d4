"""float32 in, float32 out, as numpy.linalg does (issue 11); m4ml computes in float64."""

import numpy as np
import pytest

from m4ml import linalg as ml

CASES = {
    "solve": (lambda a, b: ml.solve(a, b), lambda a, b: np.linalg.solve(a, b)),
    "inv": (lambda a, b: ml.inv(a), lambda a, b: np.linalg.inv(a)),
    "det": (lambda a, b: ml.det(a), lambda a, b: np.linalg.det(a)),
    "slogdet": (lambda a, b: ml.slogdet(a), lambda a, b: np.linalg.slogdet(a)),
    "cholesky": (lambda a, b: ml.cholesky(a), lambda a, b: np.linalg.cholesky(a)),
    "qr": (lambda a, b: ml.qr(a), lambda a, b: np.linalg.qr(a)),
    "qr_r": (lambda a, b: ml.qr(a, mode="r"), lambda a, b: np.linalg.qr(a, mode="r")),
    "lu": (lambda a, b: ml.lu(a), None),
    "lu_factor": (lambda a, b: ml.lu_factor(a)[0], None),
}


def _dtypes(out):
    if isinstance(out, tuple):
        return [np.asarray(o).dtype for o in out]
    return [np.asarray(out).dtype]


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("shape", [(4, 4), (3, 5, 5)])
def test_float32_input_gives_float32_like_numpy(name, shape, rng):
    ours, theirs = CASES[name]
    a = rng.standard_normal(shape) + 3 * np.eye(shape[-1])
    if name == "cholesky":  # symmetric positive definite, exactly symmetric after rounding
        a = a @ np.swapaxes(a, -1, -2)
    a = a.astype(np.float32)
    b = rng.standard_normal((*shape[:-1], 1)).astype(np.float32)
    out32 = ours(a, b)
    assert all(dt == np.float32 for dt in _dtypes(out32))
    if theirs is not None:
        assert _dtypes(theirs(a, b)) == _dtypes(out32)
    out64 = ours(a.astype(np.float64), b.astype(np.float64))
    assert all(dt == np.float64 for dt in _dtypes(out64))
    for lo, hi in zip(
        out32 if isinstance(out32, tuple) else (out32,),
        out64 if isinstance(out64, tuple) else (out64,),
        strict=True,
    ):
        np.testing.assert_array_equal(lo, np.asarray(hi).astype(np.float32))


def test_mixed_and_integer_input_stay_float64(rng):
    a32 = (rng.standard_normal((3, 3)) + 3 * np.eye(3)).astype(np.float32)
    assert ml.solve(a32, np.ones(3)).dtype == np.float64
    assert ml.solve(a32.astype(np.float64), np.ones(3, np.float32)).dtype == np.float64
    assert ml.det(np.eye(2, dtype=np.int32)).dtype == np.float64
    assert ml.lu_factor(a32)[1].dtype.kind == "i"  # pivots stay integers
