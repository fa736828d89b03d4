"""``m4ml report``: build the curriculum report, with progress per chapter."""

from m4ml.cli.console import err_console, out_console
from m4ml.cli.files import atomic_write, check_output_file

__all__ = ["run_report"]


def run_report(out, *, open_=False, quick=False, force=False, seed=0):
    """Write the report to ``out``; exit 0 when every check agrees, 1 otherwise."""
    from pathlib import Path

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from m4ml.report import build_report, render_report
    from m4ml.report.chapters import CHAPTERS

    path = check_output_file(out, force)
    console = out_console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err_console(),
        transient=False,
    ) as bar:
        task = bar.add_task("m4ml report: running chapters", total=len(CHAPTERS))

        def progress(chapter, i, total):
            ok = sum(c.ok for c in chapter.checks)
            pending = sum(1 for s in chapter.sections if s.pending)
            extra = f", {pending} pending" if pending else ""
            bar.console.print(
                f"  {chapter.title}: {ok}/{len(chapter.checks)} checks agree"
                f"{extra} ({chapter.seconds:.1f} s)",
                markup=False,
            )
            bar.update(task, completed=i)

        result = build_report(quick=quick, seed=seed, progress=progress)
    atomic_write(path, render_report(result))
    style = "green" if result.n_agree == result.n_checks else "red"
    console.print(f"[{style}]{result.summary}[/{style}] in {result.seconds:.1f} s")
    console.print(f"report written to {Path(path).resolve()}", markup=False)
    for section in result.pending:
        console.print(f"  pending: {section.title} ({section.pending})", markup=False)
    if open_:
        import webbrowser

        webbrowser.open(Path(path).resolve().as_uri())
    return 0 if result.n_agree == result.n_checks else 1
