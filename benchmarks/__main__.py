"""Run the benchmarks with one BLAS thread and with the default, and write docs/benchmarks.md.

Usage::

    python -m benchmarks                  # everything, both thread settings
    python -m benchmarks --filter svd     # only workloads whose group/name contains "svd"
    python -m benchmarks --exclude optim  # everything but the workloads matching "optim"
    python -m benchmarks --no-write       # print, do not touch the results

Each setting runs in its own subprocess, because the BLAS reads its thread count once, when
NumPy is imported. The measurements are merged into benchmarks/results.json (a partial run
replaces only the rows it measured) and docs/benchmarks.md is rendered from that file.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
ROOT = Path(__file__).resolve().parent.parent


RESULTS = ROOT / "benchmarks" / "results.json"


def run_setting(threads, pattern, exclude=()):
    env = dict(os.environ)
    for var in THREAD_VARS:
        env.pop(var, None)
        if threads is not None:
            env[var] = str(threads)
    cmd = [sys.executable, "-m", "benchmarks._measure"]
    if pattern:
        cmd += ["--filter", pattern]
    for word in exclude:
        cmd += ["--exclude", word]
    label = "1 thread" if threads == 1 else "default threads"
    print(f"== {label}", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout)


def _fmt_time(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.0f} µs"


def merge(single, default):
    """Fold a run into benchmarks/results.json, keyed by (group, workload)."""
    import numpy as np

    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"rows": []}
    by_key = {(r["group"], r["name"]): r for r in stored["rows"]}
    default_by_key = {(r["group"], r["name"]): r for r in default}
    today = datetime.date.today().isoformat()
    for r in single:
        key = (r["group"], r["name"])
        d = default_by_key.get(key)
        by_key[key] = {
            **r,
            "m4ml_default": d["m4ml"] if d else None,
            "reference_default": d["reference"] if d else None,
            "date": today,
        }
    stored["rows"] = sorted(by_key.values(), key=lambda r: (r["group"], r["name"]))
    stored["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__} (OpenBLAS)"
    )
    return stored


def render(stored):
    dates = sorted({r["date"] for r in stored["rows"]})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
    lines = [
        "# Benchmarks",
        "",
        f"Measured {when} on {stored['machine']}. Each time is the median of repeated runs "
        "after a warm-up, m4ml and the reference on identical inputs in one process. "
        "Ratio = m4ml time / reference time (below 1 means m4ml is faster). Regenerate with "
        "`python -m benchmarks` (`--filter`/`--exclude` re-measure a subset).",
        "",
        "On these 2-core machines the one-thread column is the steadier comparison.",
        "",
        "| group | workload | reference | target | m4ml (1 thr) | ref (1 thr) | ratio (1 thr) "
        "| ratio (default) | meets target (1 thr) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in stored["rows"]:
        ratio = r["m4ml"] / r["reference"]
        ratio_d = (
            f"{r['m4ml_default'] / r['reference_default']:.2f}" if r["m4ml_default"] else "n/a"
        )
        target = f"≤ {r['target']:g}×" if r["target"] else "—"
        meets = "—" if not r["target"] else ("yes" if ratio <= r["target"] else "**no**")
        lines.append(
            f"| {r['group']} | {r['name']} | `{r['reference_name']}` | {target} | "
            f"{_fmt_time(r['m4ml'])} | {_fmt_time(r['reference'])} | {ratio:.2f} | {ratio_d} "
            f"| {meets} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filter", default=None, help="substring of group or workload name")
    parser.add_argument("--exclude", action="append", default=[], help="skip matching names")
    parser.add_argument("--no-write", action="store_true", help="print only; write nothing")
    args = parser.parse_args(argv)
    single = run_setting(1, args.filter, args.exclude)
    default = run_setting(None, args.filter, args.exclude)
    stored = merge(single, default)
    table = render(stored)
    print(table)
    if not args.no_write:
        RESULTS.write_text(json.dumps(stored, indent=1) + "\n")
        (ROOT / "docs" / "benchmarks.md").write_text(table)
        print("wrote benchmarks/results.json and docs/benchmarks.md", file=sys.stderr)


if __name__ == "__main__":
    main()
