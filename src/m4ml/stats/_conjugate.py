"""Base class and input checks shared by the conjugate models (private).

A conjugate model is immutable: it holds its hyper-parameters, ``update(data)`` returns a new
model of the same class holding the posterior's hyper-parameters, and the distribution objects
(``posterior``, ``posterior_predictive()``) are built from the hyper-parameters on demand.
"""

import numbers
from typing import Literal

import numpy as np

from m4ml._core import as_float_array
from m4ml._core.hints import FloatArray
from m4ml.stats._results import ConfidenceInterval
from m4ml.stats.credible import credible_interval

__all__ = ["ConjugateModel", "as_counts", "as_observations", "positive", "real"]


def real(value, name):
    """A finite real scalar hyper-parameter as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | np.ndarray):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    arr = as_float_array(value, name, max_ndim=0)
    return float(arr)


def positive(value, name):
    """A finite, strictly positive scalar hyper-parameter as a float."""
    v = real(value, name)
    if v <= 0:
        raise ValueError(f"{name} must be > 0, got {v!r}")
    return v


def as_observations(data, name="data"):
    """Observations as a flat, finite float64 array (empty allowed: no information)."""
    return as_float_array(data, name).ravel()


def as_counts(data, name="data"):
    """Counts: finite, non-negative integers (as float64), any shape."""
    x = as_float_array(data, name)
    bad = (x < 0) | (x != np.floor(x))
    if np.any(bad):
        raise ValueError(
            f"{name} must hold non-negative integer counts, got {float(x[bad].ravel()[0])!r}"
        )
    return x


class ConjugateModel:
    """Shared behaviour: repr, equality of hyper-parameters, posterior mean, intervals.

    Subclasses set ``_hyper`` (names of the constructor's arguments, stored as attributes of
    the same names) and define ``posterior``, ``update``, ``posterior_predictive`` and
    ``map_estimate``.
    """

    _hyper = ()

    def __setattr__(self, name, value):
        if name in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__} is immutable; update(data) returns a new model"
            )
        super().__setattr__(name, value)

    def _params(self):
        return tuple(getattr(self, name) for name in self._hyper)

    def __repr__(self):
        def fmt(v):
            if isinstance(v, np.ndarray):
                return np.array2string(v, separator=", ")
            return repr(float(v))

        args = ", ".join(f"{n}={fmt(getattr(self, n))}" for n in self._hyper)
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(np.array_equal(a, b) for a, b in zip(self._params(), other._params()))

    __hash__ = None

    def posterior_mean(self) -> float | FloatArray:
        """Mean of the posterior distribution of the parameter."""
        return self.posterior.mean()

    def credible_interval(
        self, level: float = 0.95, kind: Literal["equal-tailed", "hpd"] = "equal-tailed"
    ) -> ConfidenceInterval:
        """Posterior credible interval of the parameter holding probability ``level``.

        Parameters
        ----------
        level : float, default 0.95
            Posterior probability of the interval, strictly between 0 and 1.
        kind : {"equal-tailed", "hpd"}
            Equal tails, or the shortest (highest posterior density) interval; see
            :func:`m4ml.stats.credible.hpd_interval`.

        Returns
        -------
        ConfidenceInterval
            ``(low, high)``.

        Raises
        ------
        ValueError
            ``level`` outside (0, 1), unknown ``kind``, or an HPD interval of a bimodal
            posterior.
        """
        return credible_interval(self.posterior, level, kind)
