"""Root conftest: applies to the tests, the doctests in src/ and the markdown guides in docs/."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _restore_numpy_printoptions():
    """Examples may call np.set_printoptions; keep that from leaking into the next test."""
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)
