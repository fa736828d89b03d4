"""Chapter 1: introduction: what the report is, and a first check on every bundled table."""

import numpy as np

from m4ml.report.chapters._common import guarded
from m4ml.report.model import Check, Table

TITLE = "Introduction"
INTRO = (
    "m4ml implements the mathematics of machine learning on NumPy arrays. Every value "
    "below was computed by m4ml when this page was generated, beside an independent check: "
    "a different algorithm, a closed form, or a certified reference value."
)


def _how(section, ctx):
    from m4ml.datasets import DATASETS, load_penguins

    section.text = (
        "Read each table left to right: what m4ml computed, its value, the check "
        "and its value, and the verdict. A section whose model has not been written "
        "yet says so instead of showing a number. The data are bundled, so the page "
        "is reproducible offline with the seed shown at the top."
    )
    section.formulas = [
        r"\text{verdict} = \left[\, |v - v_{\text{check}}| \le \text{atol} + "
        r"\text{rtol}\,|v_{\text{check}}| \,\right]"
    ]
    df = load_penguins(as_frame=False)
    n = len(df["species"])
    counts = {k: int(np.sum(df["species"] == k)) for k in ("Adelie", "Chinstrap", "Gentoo")}
    section.checks.append(
        Check(
            "penguins: rows per species",
            list(counts.values()),
            "344 rows in total",
            n,
            sum(counts.values()) == n == 344,
        )
    )
    section.tables.append(
        Table(["dataset", "description", "source"], [[k, d, s] for k, (d, s) in DATASETS.items()])
    )


SECTIONS = [("How to read this report", "how-to-read", _how)]


def build(ctx):
    """The chapter's sections, each guarded."""
    return [guarded(title, anchor, fn, ctx) for title, anchor, fn in SECTIONS]
