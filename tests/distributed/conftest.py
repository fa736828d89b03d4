"""Shared data for the m4ml.distributed tests: irregular row chunks, one of one row, one empty."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")

CHUNKS = (1, 0, 37, 25, 0, 38)  # 101 rows: a one-row chunk and two empty ones


@pytest.fixture
def data():
    """A 101 x 4 matrix with offsets and scales far apart, and a linear target."""
    rng = np.random.default_rng(17)
    X = rng.normal(size=(101, 4)) * [1.0, 10.0, 1e3, 0.1] + [5.0, 1e4, 0.0, -3.0]
    y = X @ [1.0, -2.0, 0.003, 4.0] + 3.0 + 0.1 * rng.normal(size=101)
    return X, y


def chunked(a, chunks=CHUNKS):
    """``a`` as a Dask array with the irregular row chunks ``chunks``."""
    return da.from_array(a, chunks=(chunks, *a.shape[1:]))
