"""The report in a real browser: headless Debian Chromium driven by playwright."""

import subprocess
import sys

import pytest

from tests.report.browser import chromium_path, inspect_page

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if chromium_path() is None:
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)


@pytest.mark.slow
def test_report_renders_in_chromium(tmp_path):
    out = tmp_path / "report.html"
    run = subprocess.run(
        [sys.executable, "-m", "m4ml", "report", "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    shot = tmp_path / "report.png"
    facts = inspect_page(out, shot)
    assert facts["console_errors"] == []
    assert facts["requests"] == []  # nothing fetched
    assert facts["scripts"] == 0
    assert len(facts["images"]) >= 10
    assert all(done and width > 0 for _, done, width in facts["images"]), facts["images"]
    assert len(facts["toc"]) >= 20 and all(found for _, found in facts["toc"]), facts["toc"]
    assert len(facts["math"]) >= 20 and min(facts["math"]) > 0
    assert "checks agree" in facts["summary"]
    assert shot.stat().st_size > 10_000
