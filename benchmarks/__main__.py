"""Run the benchmarks with one BLAS thread and with the default, and write docs/benchmarks.md.

Usage::

    python -m benchmarks                  # everything, both thread settings
    python -m benchmarks --filter svd     # only workloads whose group/name contains "svd"
    python -m benchmarks --no-write       # print, do not touch docs/benchmarks.md

Each setting runs in its own subprocess, because the BLAS reads its thread count once, when
NumPy is imported.
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


def run_setting(threads, pattern):
    env = dict(os.environ)
    for var in THREAD_VARS:
        env.pop(var, None)
        if threads is not None:
            env[var] = str(threads)
    cmd = [sys.executable, "-m", "benchmarks._measure"]
    if pattern:
        cmd += ["--filter", pattern]
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


def render(single, default):
    import numpy as np

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.date.today().isoformat()} on {machine}, NumPy {np.__version__} "
        "(OpenBLAS). Each time is the median of repeated runs after a warm-up, m4ml and the "
        "reference on identical inputs in one process. Ratio = m4ml time / reference time "
        "(below 1 means m4ml is faster). Regenerate with `python -m benchmarks`.",
        "",
        "On these 2-core machines the one-thread column is the steadier comparison.",
        "",
        "| group | workload | reference | target | m4ml (1 thr) | ref (1 thr) | ratio (1 thr) "
        "| ratio (default) | meets target (1 thr) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_key = {(r["group"], r["name"]): r for r in default}
    for r in single:
        d = by_key.get((r["group"], r["name"]))
        ratio = r["m4ml"] / r["reference"]
        ratio_d = f"{d['m4ml'] / d['reference']:.2f}" if d else "n/a"
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
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    single = run_setting(1, args.filter)
    default = run_setting(None, args.filter)
    table = render(single, default)
    print(table)
    if not args.no_write:
        (ROOT / "docs" / "benchmarks.md").write_text(table)
        print("wrote docs/benchmarks.md", file=sys.stderr)


if __name__ == "__main__":
    main()
