"""The report's chapters, in the seed's order."""

from m4ml.report.chapters import (
    applications,
    calculus,
    intro,
    linalg,
    models,
    optimization,
    probability,
)

#: (module, anchor) in curriculum order; each module has TITLE, INTRO and build(ctx)
CHAPTERS = [
    (intro, "introduction"),
    (linalg, "linear-algebra"),
    (calculus, "calculus"),
    (probability, "probability-statistics"),
    (optimization, "optimization"),
    (models, "advanced-topics"),
    (applications, "applications"),
]

__all__ = ["CHAPTERS"]
