"""m4ml.pipeline: the steps every model runs through (wired up as the modules land)."""

__all__ = []
