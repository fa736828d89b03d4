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


@pytest.mark.slow
def test_fit_report_of_a_hostile_csv_runs_nothing(tmp_path):
    import numpy as np
    import pandas as pd

    from m4ml.cli import main

    rng = np.random.default_rng(0)
    n = 60
    x = rng.standard_normal(n)
    frame = pd.DataFrame(
        {
            "<script>alert('col')</script>": x,
            "<img src=x onerror=alert(1)>": rng.choice(["<script>alert(2)</script>", "ok"], n),
            "label": np.where(x > 0, "<svg onload=alert(3)>", "<b>no</b>"),
        }
    )
    csv = tmp_path / "hostile.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "fit"
    assert (
        main(
            [
                "fit",
                str(csv),
                "--target",
                "label",
                "--models",
                "dummy,naive_bayes",
                "--cv",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    facts = inspect_page(out / "report.html", tmp_path / "fit.png")
    assert facts["dialogs"] == [] and facts["scripts"] == 0
    assert facts["console_errors"] == [] and facts["requests"] == []
    assert all(done and width > 0 for _, done, width in facts["images"])
    assert all(found for _, found in facts["toc"])
