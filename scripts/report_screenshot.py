"""Regenerate docs/images/report.png, the README's screenshot of ``m4ml report``.

Runs ``m4ml report --quick`` into a temporary folder, opens it in the system Chromium through
playwright (no browser download), and saves the header and the optimization chapter,
downscaled, as a small PNG::

    python scripts/report_screenshot.py
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "report.png"


def main():
    from PIL import Image
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from tests.report.browser import CHROMIUM_ARGS, chromium_path

    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "m4ml", "report", "--quick", "--out", str(html)], check=True
        )
        shot = Path(tmp) / "full.png"
        with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
            browser = pw.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1000, "height": 1250},
            )
            page = browser.new_page()
            page.goto(html.as_uri())
            header = Path(tmp) / "header.png"
            page.screenshot(path=str(header), clip={"x": 0, "y": 0, "width": 1000, "height": 190})
            page.evaluate("document.getElementById('rosenbrock').scrollIntoView()")
            page.screenshot(path=str(shot))
            browser.close()
        top, body = Image.open(header).convert("RGB"), Image.open(shot).convert("RGB")
        image = Image.new("RGB", (body.width, top.height + body.height - 250), "white")
        image.paste(top, (0, 0))
        image.paste(body.crop((0, 0, body.width, body.height - 250)), (0, top.height))
        image = image.resize((image.width * 7 // 10, image.height * 7 // 10), Image.LANCZOS)
        image = image.quantize(colors=256)
        image.save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
