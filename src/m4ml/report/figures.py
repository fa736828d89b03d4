"""Matplotlib figures rendered off-screen (Agg) and inlined as base64 PNG.

pyplot is never imported: figures are built from :class:`matplotlib.figure.Figure` directly, so
no GUI backend is touched and nothing global changes in the user's session.
"""

import base64
import io

from m4ml.report.model import Figure

__all__ = ["new_figure", "to_figure"]

DPI = 80


def new_figure(ncols=1, width=None, height=3.0):
    """A fresh Figure and its axes (a list when ``ncols > 1``)."""
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width or 4.6 * ncols, height), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols)
    return fig, axes


def to_figure(fig, alt, caption=""):
    """Render ``fig`` to PNG and wrap it, base64-encoded, with its alt text."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return Figure(base64.b64encode(buf.getvalue()).decode("ascii"), alt, caption)
