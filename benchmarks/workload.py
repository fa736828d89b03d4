"""The unit of benchmarking: one job, done by m4ml and by its reference on identical inputs."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Workload:
    """One benchmark workload.

    Attributes
    ----------
    name : str
        Short description shown in the table, e.g. ``"solve 500x500"``.
    group : str
        Module the workload belongs to (``"linalg"``, ``"stats"``, ...).
    setup : callable
        ``setup() -> tuple`` builds the inputs once; both implementations receive the same tuple.
    m4ml : callable
        ``m4ml(*inputs)`` runs the m4ml implementation.
    reference : callable
        ``reference(*inputs)`` runs the reference implementation.
    reference_name : str
        What the reference is, e.g. ``"numpy.linalg.solve"``.
    target : float or None
        The issue's target for the ratio m4ml / reference (``None`` if none was set).
    repeats : int
        Timed repetitions after one warm-up; the median is reported.
    """

    name: str
    group: str
    setup: Callable[[], tuple]
    m4ml: Callable
    reference: Callable
    reference_name: str
    target: float | None = None
    repeats: int = 7
