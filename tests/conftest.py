"""Shared fixtures. Matrix generators live in tests/helpers.py.

The suite runs with one BLAS thread per process: pytest-xdist already runs one worker per core,
and OpenBLAS threads on top of that oversubscribe the 2-core CI machines (the many small matrix
products of the recursive factorizations become an order of magnitude slower).
"""

import numpy as np
import pytest

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
    threadpool_limits = None

if threadpool_limits is not None:
    _BLAS_LIMIT = threadpool_limits(limits=1, user_api="blas")


@pytest.fixture
def rng():
    return np.random.default_rng(20261125)


def pytest_collection_modifyitems(config, items):
    """Refuse test ids that hold memory addresses (an object's default repr).

    pytest-xdist requires every worker to collect the same ids; ``<... at 0x7f...>`` differs
    per process and fails CI at collection. Give such parametrizations explicit ``ids=``.
    """
    bad = [item.nodeid for item in items if " at 0x" in item.nodeid]
    if bad:
        raise pytest.UsageError(
            "test ids must not contain memory addresses (pass ids= to parametrize): "
            + ", ".join(bad[:3])
        )
