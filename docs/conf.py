"""Sphinx configuration for the m4ml documentation site.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (needs the ``docs``
extra). Everything is offline: MathJax is bundled (sphinx-mathjax-offline) and intersphinx reads
only inventories found on disk.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(HERE.parent / "src"))

import m4ml_api  # noqa: E402
import m4ml_benchmarks  # noqa: E402
import m4ml_cli  # noqa: E402
import m4ml_typehints  # noqa: E402

import m4ml  # noqa: E402

project = "m4ml"
author = "the m4ml authors"
copyright = "2026, the m4ml authors"
release = version = m4ml.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "m4ml_typehints",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = [
    "_build",
    "_ext",
    "generated/guides.md",
    "examples/*.md",
    "gallery/README.rst",
    "sg_execution_times.rst",  # left by builds before write_computation_times was turned off
    "auto_examples/sg_execution_times.rst",
    "**.ipynb_checkpoints",
]
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

# -- API reference -----------------------------------------------------------------------------
autosummary_generate = False  # the pages are written by _ext/m4ml_api.py, one per public name
autodoc_default_options = {"members": False}
autodoc_docstring_signature = False  # NumPy-style first lines are not signatures here
# The signatures show the type hints; m4ml_typehints puts the aliases (ArrayLike, FloatArray,
# Seed) back by name where Python has expanded them, and api/types documents them.
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
maximum_signature_line_length = 88  # longer signatures get one parameter per line
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
add_module_names = False

# -- intersphinx: only inventories that are on disk (offline machines skip it cleanly) ---------
intersphinx_mapping = {}
_inv_dir = os.environ.get("M4ML_INTERSPHINX_DIR")
if _inv_dir:
    for _name, _url in {
        "numpy": "https://numpy.org/doc/stable/",
        "scipy": "https://docs.scipy.org/doc/scipy/",
        "sklearn": "https://scikit-learn.org/stable/",
    }.items():
        _inv = Path(_inv_dir) / f"{_name}.inv"
        if _inv.is_file():
            intersphinx_mapping[_name] = (_url, str(_inv))
intersphinx_disabled_reftypes = ["*"]

# -- gallery -----------------------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": ["gallery"],
    "gallery_dirs": ["auto_examples"],
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"(__init__|_wrap)\.py",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "matplotlib_animations": False,
    "show_memory": False,
    # each example page ends with its running time; the summary pages would load jQuery and
    # DataTables from CDNs, which an offline site cannot
    "write_computation_times": False,
    "plot_gallery": os.environ.get("M4ML_GALLERY_RUN", "True"),
    "abort_on_example_error": True,
}

# -- HTML --------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"m4ml {version}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "icon_links": [],
}
html_context = {"default_mode": "light"}  # else the theme logs "invalid theme mode"
html_static_path = []
html_last_updated_fmt = None


# The guides in curriculum order; a guide added to docs/ later is listed after them (by name).
GUIDES = [
    "linalg",
    "calculus",
    "optimization",
    "least_squares",
    "probability",
    "distributions",
    "statistics",
    "pipeline",
    "models_linear",
    "models_probabilistic",
]
NOT_GUIDES = {"index", "benchmarks"}


def _write_guides(path):
    found = {p.stem for p in HERE.glob("*.md")} - NOT_GUIDES
    names = [g for g in GUIDES if g in found] + sorted(found - set(GUIDES))
    text = "```{toctree}\n:maxdepth: 1\n:caption: Guides\n\n" + "\n".join(names) + "\n```\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


def _generate(app):
    _write_guides(HERE / "generated" / "guides.md")
    m4ml_api.generate(HERE / "api")
    m4ml_typehints.write_page(HERE / "api" / "types.rst")
    m4ml_benchmarks.write_page(HERE / "generated" / "versus.md")
    m4ml_cli.write_page(HERE / "cli.rst")


def setup(app):
    app.connect("builder-inited", _generate)
