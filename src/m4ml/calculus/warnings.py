"""Warning type of the integrators."""


class IntegrationWarning(UserWarning):
    """An integrator stopped before meeting its tolerance (subdivision limit, roundoff, ...).

    Like ``scipy.integrate.IntegrationWarning``, it is a :class:`UserWarning`; the result is
    still returned together with its (too large) error estimate.
    """

    __module__ = "m4ml.calculus"  # its public home (tracebacks, reprs, docs, pickle)
