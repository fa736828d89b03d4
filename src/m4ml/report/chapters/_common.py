"""Helpers the chapters share: the section guard and model availability."""

import importlib
import traceback

from m4ml.report.model import Check, Section

__all__ = ["Context", "guarded", "model_class"]


class Context:
    """Run-wide settings: ``quick`` (smaller problems) and the seed."""

    def __init__(self, quick=False, seed=0):
        self.quick = quick
        self.seed = seed


def model_class(name, module="m4ml.models"):
    """The estimator class ``module.name`` if it has landed, else None (never a substitute)."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def guarded(title, anchor, build, ctx):
    """Run ``build(ctx)`` into a Section; an exception becomes a failing check, not a crash."""
    section = Section(title, anchor)
    try:
        build(section, ctx)
    except Exception as exc:  # the report must still be written, with the failure visible
        last = traceback.extract_tb(exc.__traceback__)[-1]
        section.checks.append(
            Check(
                f"{title}: raised {type(exc).__name__}",
                str(exc)[:200],
                "runs without error",
                f"at {last.name}:{last.lineno}",
                False,
            )
        )
    return section
