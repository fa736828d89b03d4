"""Drive Debian's Chromium (no browser download) through playwright to inspect a report page."""

import shutil
import tempfile
from pathlib import Path

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path():
    """The system Chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def inspect_page(html_path, screenshot_path):
    """Open ``html_path``; return console errors, image/TOC/MathML facts; save a screenshot."""
    from playwright.sync_api import sync_playwright

    errors = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1100, "height": 900},
        )
        try:
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            requests, dialogs = [], []
            page.on("request", lambda r: requests.append(r.url))

            def on_dialog(dialog):
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(Path(html_path).resolve().as_uri())
            page.wait_for_load_state("load")
            facts = page.evaluate(
                """() => ({
                images: Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth]),
                toc: Array.from(document.querySelectorAll('nav.toc a')).map(a => [
                    a.getAttribute('href'),
                    !!document.getElementById(a.getAttribute('href').slice(1))]),
                math: Array.from(document.querySelectorAll('math')).map(
                    m => m.getBoundingClientRect().height),
                scripts: document.scripts.length,
                summary: (document.getElementById('summary') || {}).textContent,
            })"""
            )
            page.screenshot(path=str(screenshot_path), full_page=True)
        finally:
            context.close()
    facts["console_errors"] = errors
    facts["dialogs"] = dialogs
    facts["requests"] = [u for u in requests if not u.startswith(("file:", "data:"))]
    return facts
