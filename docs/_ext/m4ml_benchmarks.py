"""Write the "m4ml vs the production libraries" page from benchmarks/results.json.

Run at build time by docs/conf.py, so the table is never retyped: the ratio is the m4ml median
time over the reference's on identical inputs, with one BLAS thread and with the default.
"""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"


def _ratio(a, b):
    if a is None or b is None or b <= 0:
        return "—"
    return f"{a / b:.2f}×"


def render(results):
    """The page's Markdown for the decoded ``results.json``."""
    rows = results.get("rows", [])
    lines = [
        "# m4ml vs the production libraries",
        "",
        "Every workload times m4ml and the production library on identical inputs in one "
        "process (a warm-up, then the median of repeats). The ratio is m4ml's time over the "
        "reference's: below 1× m4ml is faster. *1 thread* pins the BLAS to one thread (the "
        "steadier comparison on small machines); *default* lets it use every core. This page "
        "is generated from `benchmarks/results.json` when the documentation is built "
        "(`python -m benchmarks` refreshes it).",
        "",
        f"Machine: {results.get('machine', 'unknown')}. Workloads: {len(rows)}.",
        "",
    ]
    groups = {}
    for row in rows:
        groups.setdefault(row.get("group", "other"), []).append(row)
    for group, members in groups.items():
        lines += [f"## {group}", ""]
        lines += ["| workload | reference | ratio (1 thread) | ratio (default) | target |"]
        lines += ["| --- | --- | ---: | ---: | ---: |"]
        for row in members:
            target = row.get("target")
            cells = [
                str(row.get("name", "")).replace("|", "\\|"),
                str(row.get("reference_name", "")).replace("|", "\\|"),
                _ratio(row.get("m4ml"), row.get("reference")),
                _ratio(row.get("m4ml_default"), row.get("reference_default")),
                "—" if target is None else f"≤ {target:g}×",
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [
        "## Accuracy",
        "",
        "Accuracy against the references is asserted by the test suite with explicit "
        "tolerances; the NIST StRD log relative errors of the least-squares solvers are in the "
        "[least-squares guide](../least_squares.md).",
        "",
    ]
    return "\n".join(lines)


def write_page(path):
    """Write the page to ``path`` (only when its text changed, to keep rebuilds incremental)."""
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {"rows": []}
    text = render(results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path
