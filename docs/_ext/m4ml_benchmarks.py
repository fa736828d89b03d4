"""Write the "m4ml vs the production libraries" page from benchmarks/results.json and accuracy.json.

Run at build time by docs/conf.py, so no table is retyped: the ratio is the m4ml median time over
the reference's on identical inputs, with one BLAS thread and with the default; the accuracy
tables are the NIST StRD log relative errors and agreement figures written by
``python -m benchmarks.accuracy`` (tests/benchmarks/test_accuracy.py keeps the file current).
"""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"
ACCURACY = RESULTS.with_name("accuracy.json")


def _ratio(a, b):
    if a is None or b is None or b <= 0:
        return "—"
    return f"{a / b:.2f}×"


def render(results, accuracy=None):
    """The page's Markdown for the decoded ``results.json`` (and ``accuracy.json``)."""
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
    lines += render_accuracy(accuracy) if accuracy else ["## Accuracy", "", "Not computed yet.", ""]
    return "\n".join(lines)


LABELS = {
    "beta": "β",
    "beta_sd": "SE(β)",
    "residual_sd": "residual SD",
    "r_squared": "R²",
    "F": "F",
    "mean": "mean",
    "std": "SD",
    "r1": "r(1)",
    "ss_between": "SS between",
    "ss_within": "SS within",
    "ms_between": "MS between",
    "ms_within": "MS within",
    "rss": "RSS",
}


def _lowest(scores, quantity=None):
    """The smallest LRE of one method's ``{quantity: [LRE, ...]}`` (of one quantity, or all)."""
    if quantity is not None:
        return min(scores[quantity]) if quantity in scores else None
    return min(min(v) for v in scores.values()) if scores else None


def _cell(value):
    return "—" if value is None else f"{value:.1f}"


def _certified_table(family):
    """Rows: m4ml's smallest LRE per quantity and overall, then each reference's overall."""
    quantities, methods = family["quantities"], family["methods"]
    refs = methods[1:]
    head = ["data set"] + [f"m4ml {LABELS[q]}" for q in quantities] + ["**m4ml**"] + refs
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for name, row in family["datasets"].items():
        ours = row[methods[0]]
        cells = [name] + [_cell(_lowest(ours, q)) for q in quantities]
        cells += [f"**{_cell(_lowest(ours))}**"] + [_cell(_lowest(row[m])) for m in refs]
        lines.append("| " + " | ".join(cells) + " |")
    covered = []
    for m in refs:
        have = {q for r in family["datasets"].values() for q in r[m]}
        covered.append(f"{m}: " + ", ".join(LABELS[q] for q in quantities if q in have))
    note = "What each reference reports (its column is the smallest of those): "
    return [*lines, "", note + "; ".join(covered) + ".", ""]


def _nonlinear_table(family):
    methods = family["methods"]
    head = ["problem", "difficulty", *methods]
    lines = ["| " + " | ".join(head) + " |", "| --- | --- |" + " ---: |" * len(methods)]
    for name, row in family["datasets"].items():
        cells = [name, row["difficulty"]]
        cells += [
            f"{_cell(_lowest(row[m], 'beta'))} / {_cell(_lowest(row[m], 'beta_sd'))}"
            for m in methods
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _summary(doc):
    lines = [
        "| family | data sets | m4ml: smallest LRE (where) | m4ml: median | references: smallest |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for family in doc["families"].values():
        first, refs = family["methods"][0], family["methods"][1:]
        sets = family["datasets"]
        lowest = {name: _lowest(row[first]) for name, row in sets.items()}
        worst = min(lowest, key=lowest.get)
        values = sorted(lowest.values())
        median = values[len(values) // 2]
        others = ", ".join(f"{m} {min(_lowest(r[m]) for r in sets.values()):.1f}" for m in refs)
        lines.append(
            f"| {family['title']} | {len(sets)} | {lowest[worst]:.1f} ({worst}, {first}) "
            f"| {median:.1f} | {others} |"
        )
    return [*lines, ""]


def render_accuracy(doc):
    """The accuracy section's Markdown for the decoded ``accuracy.json``."""
    env = ", ".join(f"{k} {v}" for k, v in doc.get("environment", {}).items() if v)
    lines = [
        "## Accuracy",
        "",
        "NIST's Statistical Reference Datasets (StRD) come with values certified to 15 "
        "significant digits. The score is the log relative error "
        "$\\mathrm{LRE} = -\\log_{10}(|q - c| / |c|)$, the number of correct significant "
        "digits of an estimate $q$ of the certified $c$ (the absolute error where $c = 0$), "
        "clipped to $[0, 15]$. Each table gives, per data set, m4ml's smallest LRE over every "
        "value of each certified quantity, its smallest over all of them, and the smallest of "
        "each reference library on the same data (over the quantities it reports). "
        f"Generated by `{doc.get('generated_by', 'python -m benchmarks.accuracy')}` into "
        "`benchmarks/accuracy.json` (which holds the LRE of every single value); a test "
        f"recomputes part of it so it cannot go stale. Computed with {env}.",
        "",
        "### Summary",
        "",
    ]
    lines += _summary(doc)
    for key, family in doc["families"].items():
        lines += [f"### {family['title']}", ""]
        if key == "nonlinear_regression":
            lines += [
                "Each cell: smallest LRE over the parameters / over their standard deviations, "
                "from NIST's start 1 (far) and start 2 (near); tolerances 1e-15 and the same "
                "exact Jacobian for both libraries. Lanczos1 is an exact fit (certified residual "
                "sum of squares 1.4e-25), so its standard deviations are made of the data's "
                "rounding errors and no double-precision solver gets more than ~3.5 digits there.",
                "",
            ]
            lines += _nonlinear_table(family)
        else:
            lines += _certified_table(family)
    lines += [
        "### Agreement with the production libraries",
        "",
        "The same inputs (seeded random data) through m4ml and the production library; the "
        "relative difference is $\\|a - b\\| / \\|b\\|$ over the outputs compared, "
        "and *digits* is $-\\log_{10}$ of it (16 when they are identical).",
        "",
        "| group | m4ml | reference | relative difference | digits |",
        "| --- | --- | --- | ---: | ---: |",
    ]
    for group, rows in doc.get("agreement", {}).items():
        for row in rows:
            lines.append(
                f"| {group} | {row['name']} | {row['reference']} | "
                f"{row['rel_diff']:.1e} | {row['digits']:.1f} |"
            )
    return [*lines, ""]


def write_page(path):
    """Write the page to ``path`` (only when its text changed, to keep rebuilds incremental)."""
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {"rows": []}
    accuracy = json.loads(ACCURACY.read_text()) if ACCURACY.is_file() else None
    text = render(results, accuracy)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path
