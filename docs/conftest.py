"""pytest collects the guides' doctests (*.md) here; not the Sphinx sources and build."""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "_ext/*", "gallery/*", "auto_examples/*", "api/*", "generated/*"]
