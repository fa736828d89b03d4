"""m4ml.linalg: linear algebra from the math up (wired up as the modules land)."""

from m4ml._core.errors import LinAlgError

__all__ = ["LinAlgError"]
