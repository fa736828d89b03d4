"""``python -m benchmarks.accuracy``: recompute the accuracy tables, write benchmarks/accuracy.json.

Run from the repository root with m4ml importable (``PYTHONPATH=src``); ``--out`` writes
elsewhere. The documentation page renders the file; a test checks it is current.
"""

import argparse
import json
import sys
import time

from benchmarks.accuracy.build import JSON, compute


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__)
    parser.add_argument("--out", default=str(JSON), help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    doc = compute()
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
    print(f"wrote {args.out} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
