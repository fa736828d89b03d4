"""The tour printed by ``python -m m4ml`` (or the ``m4ml`` command): every module that exists.

Each line computes something one way and checks it another way, and says whether the two agree.
"""

import numpy as np

import m4ml
from m4ml.tour.calculus import calculus_checks
from m4ml.tour.linalg import linalg_checks
from m4ml.tour.optimization import optimization_checks
from m4ml.tour.pipeline import pipeline_checks
from m4ml.tour.probability import probability_checks

SECTIONS = [
    ("m4ml.linalg — linear algebra", linalg_checks),
    ("m4ml.autodiff and m4ml.calculus — derivatives and integrals", calculus_checks),
    ("m4ml.probability and m4ml.stats — chance, evidence, inference", probability_checks),
    ("m4ml.optim — losses, optimizers, constrained and convex optimization", optimization_checks),
    ("m4ml.pipeline — data preparation, validation and metrics", pipeline_checks),
]


def _fmt(value):
    if isinstance(value, str):
        return value
    value = np.asarray(value)
    if value.size == 1:
        return f"{value.item():.10g}"
    return np.array2string(value, precision=6, suppress_small=True, max_line_width=200)


def _rows(checks):
    """The formatted rows of one section and the number of disagreements among them."""
    rows, failures = [], 0
    for label, value, check_label, check_value, agree in checks():
        failures += not agree
        mark = "agrees" if agree else "DISAGREES"
        rows.append((label, _fmt(value), check_label, _fmt(check_value), mark))
    return rows, failures


def format_rows(rows, max_width=48):
    """Lines with each column padded to its widest cell, so long values keep columns aligned.

    A cell longer than ``max_width`` is wrapped onto continuation lines inside its column.
    """
    wrapped = [
        [[cell[i : i + max_width] for i in range(0, max(len(cell), 1), max_width)] for cell in row]
        for row in rows
    ]
    widths = [max(len(part) for row in wrapped for part in row[j]) for j in range(len(rows[0]))]
    lines = []
    for row in wrapped:
        height = max(len(cell) for cell in row)
        for k in range(height):
            parts = [(cell[k] if k < len(cell) else "").ljust(w) for cell, w in zip(row, widths)]
            lines.append("  " + "  ".join(parts).rstrip())
    return lines


def main(argv=None):
    """Print the tour; return 0 when every check agrees, 1 otherwise."""
    print(f"m4ml {m4ml.__version__}: every result next to an independent check\n")
    failures = 0
    for title, checks in SECTIONS:
        print(title)
        rows, failed = _rows(checks)
        failures += failed
        for line in format_rows(rows):
            print(line)
        print()
    print("all checks agree" if not failures else f"{failures} check(s) disagree")
    return 1 if failures else 0
