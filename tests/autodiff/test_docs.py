"""Every >>> example of docs/autodiff.md runs and prints what the guide says."""

import doctest
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "autodiff.md"


def test_docs_examples_run():
    result = doctest.testfile(
        str(DOC),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted > 30
    assert result.failed == 0
