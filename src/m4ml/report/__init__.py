"""m4ml.report: the curriculum as one self-contained HTML page, every value beside a check.

``build_report(quick=False)`` runs the chapters (introduction, linear algebra, calculus,
probability and statistics, optimization, advanced topics, applications) and
``render_report(result)`` returns the page: inline CSS, figures as base64 PNG, formulas as
MathML, a Content-Security-Policy that allows no scripts, and nothing fetched at view time.
The ``m4ml report`` command writes it; ``m4ml fit`` uses the same machinery for its report.
"""

from m4ml.report.build import ReportResult, build_report, render_report

__all__ = ["ReportResult", "build_report", "render_report"]
