"""The documentation site builds with warnings as errors, documents every public name, has no
broken internal link, and renders (math, figures) in headless Chromium.

One build per session (``python -m sphinx -W --keep-going -b html docs <tmp>``), gallery
included; the checks below read its output.
"""

import html
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

for _name in ("sphinx", "numpydoc", "myst_parser", "pydata_sphinx_theme", "sphinx_gallery"):
    pytest.importorskip(_name, reason="the docs extra is not installed (pip install -e '.[docs]')")

# The build writes its generated sources (docs/api/, docs/auto_examples/) into the source tree,
# so two xdist workers must not build at once: every test here runs on one worker
# (pyproject's addopts select --dist loadgroup).
pytestmark = pytest.mark.xdist_group("sphinx-build")

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Every public package of the curriculum: each name of its __all__ needs an API page.
PACKAGES = [
    "m4ml.linalg",
    "m4ml.autodiff",
    "m4ml.numpy",
    "m4ml.numpy.linalg",
    "m4ml.calculus",
    "m4ml.optim",
    "m4ml.probability",
    "m4ml.stats",
    "m4ml.pipeline",
    "m4ml.pipeline.metrics",
    "m4ml.nn",
    "m4ml.models",
    "m4ml.datasets",
    "m4ml.distributed",
]


def _existing_packages():
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "html"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "agg"}
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", DOCS, out],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert run.returncode == 0, run.stderr[-6000:]
    return out


@pytest.mark.slow
def test_every_public_name_has_an_api_page(site):
    packages = _existing_packages()
    assert "m4ml.linalg" in packages and "m4ml.models" in packages
    for modname, module in packages.items():
        pages = {p.stem for p in (site / "api" / modname).glob("*.html")}
        assert pages == set(module.__all__), modname
    solve = (site / "api" / "m4ml.linalg" / "solve.html").read_text()
    assert 'id="m4ml.linalg.solve"' in solve and "LU" in solve
    # the signatures show the type hints, aliases by name and linked to the Type aliases page
    assert 'href="../types.html#ArrayLike"' in solve and 'href="../types.html#FloatArray"' in solve
    expanded = [p.name for p in (site / "api").rglob("*.html") if "numpy._typing" in p.read_text()]
    assert expanded == []
    assert (site / "api" / "index.html").is_file()


_LINK = re.compile(r'<(?:a|link|img|script|source)\b[^>]*?\b(?:href|src)="([^"]*)"')
_ID = re.compile(r'\b(?:id|name)="([^"]*)"')


class _Page:
    def __init__(self, text):
        self.links = [html.unescape(link) for link in _LINK.findall(text)]
        self.ids = set(_ID.findall(text))


def _parse(path, cache):
    if path not in cache:
        cache[path] = _Page(path.read_text(errors="replace"))
    return cache[path]


@pytest.mark.slow
def test_no_broken_internal_links(site):
    cache, broken, checked, verdicts = {}, [], 0, {}
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] in ("_static", "_sources"):
            continue  # the theme's template fragments, the page sources
        for link in _parse(page, cache).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue  # external (http, mailto, data, javascript): not checked offline
            path = os.path.normpath(page.parent / unquote(parts.path)) if parts.path else page
            checked += 1
            key = (str(path), parts.fragment)
            if key not in verdicts:  # the navigation repeats the same links on every page
                target = Path(path)
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    verdicts[key] = "no such file"
                elif parts.fragment and target.suffix == ".html":
                    found = parts.fragment in _parse(target, cache).ids
                    verdicts[key] = None if found else "no such anchor"
                else:
                    verdicts[key] = None
            if verdicts[key]:
                broken.append(f"{page.relative_to(site)} -> {link} ({verdicts[key]})")
    assert checked > 1000
    assert broken == [], broken[:20]


_REMOTE_ASSET = re.compile(
    r'<(?:script|img)\b[^>]*\bsrc="(?:https?:)?//|<link\b[^>]*\bhref="(?:https?:)?//[^"]*\.css'
)


@pytest.mark.slow
def test_no_page_loads_assets_from_the_network(site):
    # the site must work offline: scripts, styles and images are bundled, not fetched
    remote = [
        str(page.relative_to(site))
        for page in site.rglob("*.html")
        if _REMOTE_ASSET.search(page.read_text(errors="replace"))
    ]
    assert remote == []


@pytest.mark.slow
def test_gallery_and_generated_pages(site):
    gallery = sorted((site / "auto_examples").glob("plot_*.html"))
    assert len(gallery) >= 25
    for page in gallery:
        stem = page.stem
        assert (site / "_downloads").rglob(f"{stem}.py"), stem
    assert list((site / "_downloads").rglob("*.ipynb"))
    figures = list((site / "_images").glob("sphx_glr_plot_*.png"))
    assert len(figures) >= 20
    versus = (site / "generated" / "versus.html").read_text()
    import json

    rows = json.loads((ROOT / "benchmarks" / "results.json").read_text())["rows"]
    assert versus.count("<tr") >= len(rows)  # one row per workload (plus headers)
    accuracy = json.loads((ROOT / "benchmarks" / "accuracy.json").read_text())
    for family in accuracy["families"].values():  # every NIST set has its row in its table
        assert family["title"] in versus
        for name in family["datasets"]:
            assert f"<td><p>{name}</p></td>" in versus or f"<td>{name}</td>" in versus, name
    cli = (site / "cli.html").read_text()
    for command in ("report", "fit", "predict", "datasets", "tour"):
        assert f"m4ml {command}" in cli


@pytest.mark.slow
def test_pages_render_in_chromium(site, tmp_path):
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    from tests.report.browser import CHROMIUM_ARGS, chromium_path

    if chromium_path() is None:
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    pages = {
        "index": site / "index.html",
        "api": site / "api" / "m4ml.linalg" / "solve.html",
        "gallery": site / "auto_examples" / "plot_05_svd.html",
    }
    shots = Path(os.environ.get("M4ML_DOCS_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            for name, path in pages.items():
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                errors = []
                page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else 0)
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                if name != "index":
                    page.wait_for_selector("mjx-container", timeout=30_000)
                facts = page.evaluate(
                    """() => ({
                    math: Array.from(document.querySelectorAll('mjx-container')).map(
                        m => m.getBoundingClientRect().width * m.getBoundingClientRect().height),
                    images: Array.from(document.images).map(i => [i.src, i.naturalWidth]),
                    raw: document.body.innerText.includes('\\\\frac'),
                })"""
                )
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
                page.close()
                assert errors == [], (name, errors)
                if name != "index":
                    assert facts["math"] and min(facts["math"]) > 0, (name, facts["math"])
                    assert not facts["raw"], name
                assert all(width > 0 for _, width in facts["images"]), (name, facts["images"])
                if name == "gallery":
                    assert any("sphx_glr" in src for src, _ in facts["images"])
        finally:
            browser.close()
