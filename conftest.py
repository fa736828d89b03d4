"""Root conftest: applies to the tests, the doctests in src/ and the markdown guides in docs/."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _restore_numpy_printoptions():
    """Examples may call np.set_printoptions; keep that from leaking into the next test."""
    saved = np.get_printoptions()
    yield
    np.set_printoptions(**saved)


# Property tests are derandomized so every run (and CI) explores the same examples; a new
# counterexample then shows up in a deliberate change of seed or strategy, not as a flaky CI.
try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass
else:
    _hypothesis_settings.register_profile("m4ml", derandomize=True, database=None)
    _hypothesis_settings.load_profile("m4ml")
