"""Time every workload in this process and print the results as JSON (one thread setting).

Run by ``python -m benchmarks`` in a subprocess whose environment fixes the BLAS thread count,
because OpenBLAS reads it once, when NumPy is first imported.
"""

import argparse
import importlib
import json
import pkgutil
import statistics
import sys
import time

import benchmarks


def discover(pattern=None, exclude=()):
    """Every Workload of the ``benchmarks/bench_*.py`` modules, filtered by group and name."""
    found = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        for w in module.WORKLOADS:
            label = f"{w.group} {w.name}".lower()
            if pattern is not None and pattern.lower() not in label:
                continue
            if any(word.lower() in label for word in exclude):
                continue
            found.append(w)
    return found


def _median_time(fn, inputs, repeats):
    fn(*inputs)  # warm-up: caches, lazy imports, allocator
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*inputs)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(workload):
    """Median seconds of m4ml and of the reference, alternating so drift hits both alike."""
    inputs = workload.setup()
    t_m4ml = _median_time(workload.m4ml, inputs, workload.repeats)
    t_ref = _median_time(workload.reference, inputs, workload.repeats)
    t_m4ml = min(t_m4ml, _median_time(workload.m4ml, inputs, workload.repeats))
    t_ref = min(t_ref, _median_time(workload.reference, inputs, workload.repeats))
    return t_m4ml, t_ref


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--filter", default=None)
    parser.add_argument("--exclude", action="append", default=[])
    args = parser.parse_args(argv)
    rows = []
    for w in discover(args.filter, args.exclude):
        try:
            t_m4ml, t_ref = measure(w)
        except Exception as exc:  # report and go on: one broken workload must not sink the run
            print(f"{w.group:8s} {w.name:40s} FAILED: {exc!r}", file=sys.stderr, flush=True)
            continue
        rows.append(
            {
                "group": w.group,
                "name": w.name,
                "reference_name": w.reference_name,
                "target": w.target,
                "m4ml": t_m4ml,
                "reference": t_ref,
            }
        )
        print(f"{w.group:8s} {w.name:40s} {t_m4ml / t_ref:6.2f}x", file=sys.stderr, flush=True)
    json.dump(rows, sys.stdout)


if __name__ == "__main__":
    main()
