"""Side-by-side timings of m4ml against the library it replaces (``python -m benchmarks``)."""
