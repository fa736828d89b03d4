"""The tour printed by ``python -m m4ml`` (or the ``m4ml`` command): every module that exists.

Each line computes something one way and checks it another way, and says whether the two agree.
"""

import numpy as np

import m4ml
from m4ml.tour.calculus import calculus_checks
from m4ml.tour.linalg import linalg_checks
from m4ml.tour.pipeline import pipeline_checks
from m4ml.tour.probability import probability_checks

SECTIONS = [
    ("m4ml.linalg — linear algebra", linalg_checks),
    ("m4ml.autodiff and m4ml.calculus — derivatives and integrals", calculus_checks),
    ("m4ml.probability and m4ml.stats — chance, evidence, inference", probability_checks),
    ("m4ml.pipeline — data preparation, validation and metrics", pipeline_checks),
]


def _fmt(value):
    if isinstance(value, str):
        return value
    value = np.asarray(value)
    if value.size == 1:
        return f"{value.item():.10g}"
    return np.array2string(value, precision=6, suppress_small=True, max_line_width=200)


def main(argv=None):
    """Print the tour; return 0 when every check agrees, 1 otherwise."""
    print(f"m4ml {m4ml.__version__}: every result next to an independent check\n")
    failures = 0
    for title, checks in SECTIONS:
        print(title)
        for label, value, check_label, check_value, agree in checks():
            mark = "agrees" if agree else "DISAGREES"
            failures += not agree
            print(f"  {label:<38} {_fmt(value):<30}  {check_label:<26} {_fmt(check_value)}  {mark}")
        print()
    print("all checks agree" if not failures else f"{failures} check(s) disagree")
    return 1 if failures else 0
