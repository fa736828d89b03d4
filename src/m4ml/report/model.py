"""What a report is made of: chapters of sections, each with formulas, checks and figures.

A :class:`Check` is a value m4ml computed beside an independent reference and whether the two
agree within a stated tolerance. A section whose model has not landed in :mod:`m4ml.models`
yet carries ``pending`` (the reason) and no checks: it is listed, never faked.
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Chapter", "Check", "Figure", "Section", "Table", "agree", "fmt", "lre"]


def fmt(value):
    """A short, readable rendering of a scalar, array or string."""
    if isinstance(value, str):
        return value
    arr = np.asarray(value)
    if arr.dtype == bool and arr.size == 1:
        return str(bool(arr.item()))
    if arr.size == 1:
        item = arr.item()
        return f"{item:.10g}" if isinstance(item, float | complex) else str(item)
    return np.array2string(arr, precision=6, suppress_small=True, max_line_width=90, threshold=12)


def agree(a, b, rtol=1e-10, atol=0.0):
    """Whether ``a`` and ``b`` agree elementwise within ``atol + rtol * |b|``."""
    a, b = np.asarray(a, dtype=complex), np.asarray(b, dtype=complex)
    return bool(a.shape == b.shape or b.size == 1) and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def lre(computed, certified):
    """NIST's log relative error: the number of correct significant digits (capped at 15)."""
    computed, certified = float(computed), float(certified)
    if computed == certified:
        return 15.0
    denom = abs(certified) if certified != 0 else 1.0
    return float(min(15.0, -np.log10(abs(computed - certified) / denom)))


@dataclass
class Check:
    """One computed value beside its independent check."""

    label: str
    value: object
    reference_label: str
    reference: object
    ok: bool
    tolerance: str = ""

    @property
    def value_text(self):
        return fmt(self.value)

    @property
    def reference_text(self):
        return fmt(self.reference)


@dataclass
class Figure:
    """A PNG (base64) with its alternative text."""

    png_base64: str
    alt: str
    caption: str = ""


@dataclass
class Table:
    """A small table: header cells and rows of cells (all rendered as escaped text)."""

    header: list
    rows: list
    caption: str = ""


@dataclass
class Section:
    """One concept: prose, formulas (LaTeX from m4ml's own code), checks, figures, tables."""

    title: str
    anchor: str
    text: str = ""
    formulas: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    pending: str | None = None


@dataclass
class Chapter:
    """A chapter of the curriculum, in the seed's order."""

    title: str
    anchor: str
    intro: str
    sections: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def checks(self):
        return [c for s in self.sections for c in s.checks]
