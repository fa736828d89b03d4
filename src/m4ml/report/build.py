"""Running the chapters and rendering the report page."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from m4ml.report.model import Chapter, Check, Section

__all__ = ["ReportResult", "build_report", "render_report"]

PROVENANCE = [
    (
        "Palmer penguins",
        "Horst, Hill & Gorman (2020), palmerpenguins R package, CC0; bundled "
        "as m4ml/datasets/data/penguins.csv",
    ),
    (
        "NIST StRD",
        "NIST/ITL Statistical Reference Datasets (public domain), certified values "
        "parsed from the bundled .dat files",
    ),
    ("digits, diabetes", "scikit-learn's bundled copies (UCI digits; Efron et al. 2004)"),
    ("moons, blobs", "m4ml.datasets generators with the seed shown at the top"),
]


@dataclass
class ReportResult:
    """The chapters that ran and their totals."""

    chapters: list[Chapter]
    quick: bool
    seed: int
    seconds: float = 0.0
    generated: str = ""
    checks: list[Check] = field(default_factory=list)

    @property
    def n_checks(self) -> int:
        return len(self.checks)

    @property
    def n_agree(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def pending(self) -> list[Section]:
        return [s for ch in self.chapters for s in ch.sections if s.pending]

    @property
    def summary(self) -> str:
        """``"N of N checks agree"`` plus the pending count."""
        text = f"{self.n_agree} of {self.n_checks} checks agree"
        if self.pending:
            text += f", {len(self.pending)} section(s) pending"
        return text


def build_report(
    *,
    quick: bool = False,
    seed: int = 0,
    progress: Callable[[Chapter, int, int], object] | None = None,
    only: Iterable[str] | None = None,
) -> ReportResult:
    """Run the chapters and collect their checks.

    Parameters
    ----------
    quick : bool
        Smaller problems and fewer repetitions.
    seed : int
        The seed of every random choice (two runs give the same numbers).
    progress : callable or None
        ``progress(chapter, index, total)``, called after each chapter.
    only : iterable of str or None
        Run only the chapters with these anchors (e.g. ``{"optimization"}``).
    """
    import datetime
    import warnings

    from m4ml.report.chapters import CHAPTERS
    from m4ml.report.chapters._common import Context

    ctx = Context(quick=quick, seed=seed)
    start = time.perf_counter()
    chapters = []
    selected = [(m, a) for m, a in CHAPTERS if only is None or a in set(only)]
    for i, (module, anchor) in enumerate(selected):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # matplotlib layout chatter
            sections = module.build(ctx)
        chapter = Chapter(module.TITLE, anchor, module.INTRO, sections, time.perf_counter() - t0)
        chapters.append(chapter)
        if progress is not None:
            progress(chapter, i + 1, len(selected))
    result = ReportResult(chapters, quick, seed)
    result.checks = [c for ch in chapters for c in ch.checks]
    result.seconds = time.perf_counter() - start
    result.generated = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return result


def render_report(result: ReportResult) -> str:
    """The self-contained HTML page of ``result``."""
    import m4ml
    from m4ml.report.render import render

    return render(
        "report.html.j2",
        version=m4ml.__version__,
        chapters=result.chapters,
        n_checks=result.n_checks,
        n_agree=result.n_agree,
        n_pending=len(result.pending),
        mode="quick" if result.quick else "full",
        seconds=f"{result.seconds:.1f}",
        generated=result.generated,
        seed=result.seed,
        provenance=PROVENANCE,
    )
